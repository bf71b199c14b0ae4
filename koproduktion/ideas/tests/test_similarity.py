"""Which ideas a draft finds: hand-checked examples of what stems and TF-IDF can find, and what
they must not."""

from __future__ import annotations

import pytest

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.ideas.services import idea_create, idea_update, idea_withdraw
from koproduktion.ideas.similarity import THRESHOLD, idea_terms, similar_ideas, stems
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.moderation.services import contribution_hide
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

# A project's ideas, as residents write them.
IDEAS = [
    (
        "Fahrradbügel am Bahnhof fehlen",
        "Am Bahnhof gibt es zu wenige Fahrradbügel, die Räder stehen überall.",
    ),
    ("Abstellplätze für Räder am Bahnhof", "Wer mit dem Rad zum Zug fährt, findet keinen Platz."),
    ("Parkhaus am Bahnhof erweitern", "Pendler finden morgens keinen Parkplatz für ihr Auto."),
    (
        "Mehr Bänke im Stadtpark",
        "Ältere Menschen brauchen Sitzgelegenheiten auf dem Weg durch den Park.",
    ),
    (
        "Trinkbrunnen auf dem Marktplatz",
        "Im Sommer fehlt öffentliches Trinkwasser in der Innenstadt.",
    ),
    (
        "Zebrastreifen vor der Grundschule",
        "Kinder queren die Lindenstraße auf dem Schulweg ohne Schutz.",
    ),
    ("Tempo 30 in der Lindenstraße", "Autos fahren vor der Schule viel zu schnell."),
    ("Hundewiese im Stadtpark", "Eine eingezäunte Fläche für Hunde würde Konflikte vermeiden."),
    ("Öffentliche Toilette am Spielplatz", "Familien müssen nach Hause gehen, wenn ein Kind muss."),
    ("Bessere Beleuchtung im Bahnhofstunnel", "Der Tunnel ist abends dunkel und unheimlich."),
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def project():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    for title, text in IDEAS:
        idea_create(actor=resident_of(project), project=project, title=title, text=text)
    return project


def _found(project, title, text="") -> list[str]:
    return [hit.idea.title for hit in similar_ideas(project_id=project.pk, title=title, text=text)]


def test_stems_fold_umlauts_and_drop_stopwords():
    assert stems("Die Bänke am Bahnhof") == ["bank", "bahnhof"]
    assert stems("Straße") == stems("Strasse")
    assert stems("Räder und Rad") == ["rad", "rad"]
    assert stems("more benches in the park") == ["bench", "park"]


def test_the_title_weighs_twice():
    assert idea_terms("Bänke", "Eine Bank am Hafen")["bank"] == 3


def test_a_draft_finds_the_idea_with_the_same_words_and_place(project):
    found = _found(project, "Mehr Fahrradbügel am Bahnhof", "Die Fahrräder stehen wild herum.")
    assert found[0] == "Fahrradbügel am Bahnhof fehlen"


def test_a_draft_finds_ideas_that_share_inflected_words(project):
    # "Rädern" and "Räder", "Abstellplatz" and "Abstellplätze" meet in their stems.
    found = _found(project, "Abstellplatz für Rädern", "Am Bahnhof fehlt ein Abstellplatz.")
    assert found[0] == "Abstellplätze für Räder am Bahnhof"


def test_a_draft_sharing_only_a_place_finds_nothing(project):
    # Both are about the station, but one wants benches there: not a duplicate.
    assert _found(project, "Sitzbänke vor dem Bahnhof", "Zum Warten auf den Bus.") == []


def test_the_same_thing_at_the_same_place_is_found_not_another_thing_there(project):
    assert _found(project, "Parkplätze am Bahnhof", "Für Autos.") == [
        "Parkhaus am Bahnhof erweitern"
    ]


def test_a_draft_about_something_else_finds_nothing(project):
    assert (
        _found(project, "Kunstrasen für den Sportverein", "Der Platz ist im Winter matschig.") == []
    )


def test_synonyms_and_other_compounds_are_not_found(project):
    """The limit of stems: "Veloständer" and "Fahrradständer" share no stem with "Fahrradbügel",
    so only the place is shared, which is not enough."""
    assert _found(project, "Veloständer", "Zu wenig Platz.") == []
    assert _found(project, "Mehr Fahrradständer am Bahnhof", "") == []


def test_an_english_draft_finds_an_english_idea(project):
    idea_create(
        actor=resident_of(project),
        project=project,
        title="More benches in the park",
        text="Older people need places to rest.",
    )
    assert _found(project, "Benches for the park", "We need a bench.") == [
        "More benches in the park"
    ]


def test_only_shown_ideas_are_found(project):
    author = resident_of(project)
    withdrawn = idea_create(
        actor=author, project=project, title="Sonnensegel am Spielplatz", text="Schatten im Sommer."
    )
    hidden = idea_create(
        actor=author,
        project=project,
        title="Sonnensegel über dem Sandkasten",
        text="Schatten, bitte.",
    )
    idea_withdraw(actor=author, idea=withdrawn)
    moderator = person_with_role(project.municipality, Role.MODERATOR)
    contribution_hide(moderator=moderator, idea=hidden, reason="Regel 2")
    other = ProjectFactory(municipality=project.municipality, phase=PhaseKind.DIALOGUE)
    idea_create(
        actor=author, project=other, title="Sonnensegel am Spielplatz", text="Schatten im Sommer."
    )
    assert _found(project, "Sonnensegel", "Schatten am Spielplatz") == []


def test_an_edit_is_found_by_its_new_words(project):
    author = resident_of(project)
    idea = idea_create(
        actor=author, project=project, title="Lastenrad leihen", text="Für alle im Quartier."
    )
    idea_update(
        actor=author, idea=idea, title="Kühlschrank teilen", text="Foodsharing im Quartier."
    )
    assert _found(project, "Lastenrad leihen", "") == []
    assert _found(project, "Foodsharing", "Kühlschrank im Quartier teilen") == [
        "Kühlschrank teilen"
    ]


def test_at_most_five_best_first_and_above_the_threshold(project):
    for n in range(7):
        idea_create(
            actor=resident_of(project),
            project=project,
            title=f"Carsharing Station {['Nord', 'Süd', 'Ost', 'West', 'Mitte', 'Hafen', 'Markt'][n]}",
            text="Carsharing statt eigenem Auto.",
        )
    hits = similar_ideas(project_id=project.pk, title="Carsharing Station", text="Carsharing.")
    assert len(hits) == 5
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(hit.score >= THRESHOLD for hit in hits)
