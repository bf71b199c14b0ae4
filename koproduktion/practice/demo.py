"""Demo examples for the library: what the demo towns tried, with what worked and what did not.

``seed_practice(municipality, now=…)`` writes the examples of ``municipality`` and, where the
demo has one, of a second public town, through the service as the town's coordination or admin
would. Safe to run again: a town that has examples keeps them.
"""

from __future__ import annotations

import datetime
from typing import Any

from koproduktion.accounts.models import User
from koproduktion.core.models import Membership, Municipality
from koproduktion.core.roles import PROJECT_WIDE_ROLES
from koproduktion.demo.history import happened_at
from koproduktion.projects.models import Project

from .models import PracticeExample, Setting
from .services import practice_example_create


def _example(
    title: str,
    *,
    years_ago: int,
    tags: list[str],
    setting: Setting,
    place: str,
    problem: str,
    approach: str,
    actors: str,
    worked: str,
    not_worked: str,
    contact: str,
    published: bool = True,
    project: str = "",
) -> dict[str, Any]:
    return {
        "title": title,
        "years_ago": years_ago,
        "tags": tags,
        "setting": setting.value,
        "place": place,
        "problem": problem,
        "approach": approach,
        "actors": actors,
        "worked": worked,
        "not_worked": not_worked,
        "contact_name": contact,
        "is_published": published,
        "project": project,
    }


def _town_examples() -> list[dict[str, Any]]:
    return [
        _example(
            "Schulstraße auf Probe vor der Grundschule",
            years_ago=1,
            tags=["Mobilität", "Schulweg", "Verkehrsberuhigung"],
            setting=Setting.RESIDENTIAL,
            place="Am Hafen",
            problem=(
                "Morgens stauten sich die Elterntaxis vor der Schule. Kinder, die zu Fuß oder "
                "mit dem Rad kamen, mussten zwischen haltenden Autos hindurch."
            ),
            approach=(
                "Für sechs Wochen wurde die Straße vor der Schule von 7:30 bis 8:15 Uhr für "
                "Autos gesperrt. Eltern und Kinder zählten vorher und nachher, wie die Kinder "
                "kommen.\n\n- Sperrbaken und Schilder vom Bauhof\n- Eltern als Lotsen am "
                "ersten Tag\n- Elternhaltestelle zwei Straßen weiter"
            ),
            actors="Grundschule, Elternbeirat, Tiefbau und Verkehr, Polizei",
            worked=(
                "Der Anteil der Kinder zu Fuß und mit dem Rad stieg von 55 auf 78 Prozent. Die "
                "Zählung durch die Kinder selbst machte die Probe bekannt."
            ),
            not_worked=(
                "Zwei Anwohner mit Garage waren nicht gefragt worden; ihre Beschwerde kostete "
                "Vertrauen. Beim nächsten Mal die Anlieger vorher einzeln ansprechen."
            ),
            contact="Team Schulwege, Tiefbau und Verkehr",
            project="tempo-30-vor-schulen",
        ),
        _example(
            "Lastenräder zum Leihen im Quartierstreff",
            years_ago=2,
            tags=["Mobilität", "Nachbarschaft"],
            setting=Setting.RESIDENTIAL,
            place="Nordstadt",
            problem=(
                "Viele Familien in der Nordstadt haben kein Auto, aber große Einkäufe und "
                "kleine Kinder."
            ),
            approach=(
                "Zwei Lastenräder stehen im Quartierstreff. Wer eins leihen will, bucht online "
                "oder am Tresen, zeigt einmal den Ausweis und fährt los. Ehrenamtliche schauen "
                "einmal die Woche nach Reifen und Bremsen."
            ),
            actors="Quartierstreff, Ev. Kirchengemeinde Nordstadt, ein Fahrradladen",
            worked="Im ersten Jahr 410 Ausleihen; die Räder waren an Samstagen fast immer weg.",
            not_worked=(
                "Das Schloss am zweiten Rad war zu schwach und wurde aufgebrochen. Die "
                "Versicherung hätte vorher geklärt sein müssen."
            ),
            contact="Quartierstreff Nordstadt",
        ),
        _example(
            "Sitzmöbel auf Probe für den Marktplatz",
            years_ago=1,
            tags=["Öffentlicher Raum", "Innenstadt", "Aufenthaltsqualität"],
            setting=Setting.CENTRE,
            place="Altstadt",
            problem=(
                "Der Marktplatz war außerhalb der Markttage ein Parkplatz. Niemand wusste, ob "
                "Menschen dort überhaupt sitzen würden."
            ),
            approach=(
                "Holzbänke, Pflanzkübel und zwei Sonnenschirme wurden für einen Sommer "
                "aufgestellt und jede Woche umgestellt. Eine Karte auf der Plattform sammelte, "
                "wo die Bänke am meisten genutzt wurden."
            ),
            actors="Stadtplanung, Bürgerverein Altstadt, Gastronomie am Markt",
            worked=(
                "Die Gastronomie unterstützte den Versuch schnell. Die beliebtesten Plätze lagen "
                "im Schatten der Kirche – das floss in den Entwurf ein."
            ),
            not_worked="Die Kübel waren zu leicht und wurden nachts verschoben.",
            contact="Stadtplanung, Team Innenstadt",
            project="neugestaltung-marktplatz",
        ),
        _example(
            "Baumpatenschaften mit dem Bürgerverein",
            years_ago=3,
            tags=["Grünflächen", "Patenschaften", "Öffentlicher Raum"],
            setting=Setting.WHOLE_TOWN,
            place="",
            problem=(
                "In trockenen Sommern verloren die jungen Straßenbäume viele Blätter; der "
                "Bauhof schaffte das Gießen nicht überall."
            ),
            approach=(
                "Anwohnerinnen und Anwohner übernehmen einen Baum: gießen, die Baumscheibe "
                "pflegen, Schäden melden. Der Bürgerverein verleiht Gießsäcke, die Stadt "
                "schickt eine Erinnerung bei Hitze."
            ),
            actors="Grünflächen und Umwelt, Bürgerverein Altstadt, Anwohnerschaft",
            worked="Nach zwei Jahren hatten 160 Bäume eine Patin oder einen Paten.",
            not_worked=(
                "In Straßen mit vielen Wechseln der Mieterschaft blieben Bäume ohne Pflege; dort "
                "half nur der Bauhof."
            ),
            contact="Grünflächen und Umwelt",
        ),
        _example(
            "Mieterversammlungen am Güterbahnhof",
            years_ago=0,
            tags=["Wohnen", "Nachbarschaft"],
            setting=Setting.RESIDENTIAL,
            place="Am Hafen",
            problem="Die Planung des neuen Quartiers weckte Sorgen um steigende Mieten nebenan.",
            approach=(
                "Drei Versammlungen in der Hafen-Wohnungsgenossenschaft, mit Fragen vorab über "
                "die Plattform."
            ),
            actors="Soziales und Wohnen, Hafen-Wohnungsgenossenschaft",
            worked="",
            not_worked="",
            contact="Soziales und Wohnen",
            published=False,
            project="wohnen-am-gueterbahnhof",
        ),
    ]


def _village_examples() -> list[dict[str, Any]]:
    return [
        _example(
            "Ein Dorfladen, der den Menschen gehört",
            years_ago=2,
            tags=["Nahversorgung", "Ehrenamt", "Öffentlicher Raum"],
            setting=Setting.VILLAGE,
            place="Oberdorf",
            problem=(
                "Nach dem letzten Bäcker gab es im Dorf keinen Laden mehr. Ältere Menschen "
                "ohne Auto waren auf Nachbarn angewiesen."
            ),
            approach=(
                "Der Dorfverein gründete eine Genossenschaft. 190 Haushalte zeichneten Anteile "
                "zu 100 Euro. Die Gemeinde vermietet das alte Feuerwehrhaus günstig."
            ),
            actors="Dorfverein, Gemeinde, Regionalbank, Höfe aus der Umgebung",
            worked=(
                "Regionale Waren und ein Café-Tisch machten den Laden zum Treffpunkt. Nach zwei "
                "Jahren trägt er sich."
            ),
            not_worked=(
                "Die ersten Öffnungszeiten waren zu kurz für Berufstätige; erst der Samstag "
                "brachte genug Umsatz."
            ),
            contact="Dorfverein",
        ),
        _example(
            "Mitfahrbänke zwischen den Ortsteilen",
            years_ago=1,
            tags=["Mobilität", "Ländlicher Raum"],
            setting=Setting.VILLAGE,
            place="Oberdorf und Unterdorf",
            problem="Der Bus fährt nur alle zwei Stunden; Jugendliche und Ältere sitzen fest.",
            approach=(
                "An vier Stellen stehen Bänke mit Klappschildern für das Ziel. Wer mit dem Auto "
                "vorbeikommt und Platz hat, hält an."
            ),
            actors="Gemeinde, Jugendtreff, Seniorenbeirat",
            worked="Kurze Wege zum Arzt und zum Einkaufen klappen meist in zehn Minuten.",
            not_worked=(
                "Abends hält kaum jemand. Eine Gruppe im Messenger für feste Fahrten hat das "
                "ergänzt."
            ),
            contact="Bauamt",
        ),
        _example(
            "Zukunftswerkstatt zur alten Schule",
            years_ago=3,
            tags=["Leerstand", "Zukunftswerkstatt", "Wohnen"],
            setting=Setting.VILLAGE,
            place="Unterdorf",
            problem="Das Schulgebäude stand seit Jahren leer; jeder hatte eine andere Idee.",
            approach=(
                "Eine Zukunftswerkstatt an zwei Samstagen: erst Kritik, dann Wünsche, dann "
                "Schritte. Dazu per Los eingeladene Menschen aus allen Ortsteilen."
            ),
            actors="Gemeinde, Dorfverein, 28 Teilnehmende, davon 12 gelost",
            worked=(
                "Die Gelosten brachten Stimmen ein, die sonst fehlten: junge Familien und "
                "Pendler. Das Ergebnis – Wohnungen und ein Gemeinschaftsraum – trug der Rat mit."
            ),
            not_worked="Die Kinderbetreuung war zu spät angekündigt; Eltern sagten ab.",
            contact="Bauamt",
        ),
    ]


def _actor(municipality: Municipality) -> Any:
    membership = (
        Membership.objects.filter(municipality=municipality, role__in=sorted(PROJECT_WIDE_ROLES))
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    # A town without coordination or admin in the demo: the platform's admin writes for it.
    return User.objects.filter(is_superuser=True, is_active=True).order_by("pk").first()


def _seed(municipality: Municipality, examples: list[dict[str, Any]], now: datetime.datetime):
    actor = _actor(municipality)
    if actor is None or PracticeExample.objects.filter(municipality=municipality).exists():
        return
    for number, spec in enumerate(examples):
        fields = dict(spec)
        slug = fields.pop("project")
        years_ago = fields.pop("years_ago")
        tags = fields.pop("tags")
        project = (
            Project.objects.filter(municipality=municipality, slug=slug).first() if slug else None
        )
        # The library was written up over the demo's year, at even steps.
        entered = now - datetime.timedelta(days=330 - number * (300 // len(examples)))
        with happened_at(entered, (PracticeExample, "created_at"), (PracticeExample, "updated_at")):
            practice_example_create(
                actor=actor,
                municipality=municipality,
                project=project,
                tags=tags,
                year=now.year - years_ago,
                contact_email="",
                contact_url="",
                **fields,
            )


def seed_practice(municipality: Municipality, *, now: datetime.datetime) -> None:
    """The demo examples of ``municipality`` and of the demo's second public town, if any."""
    _seed(municipality, _town_examples(), now)
    other = (
        Municipality.objects.filter(is_public=True).exclude(pk=municipality.pk).order_by("pk")
    ).first()
    if other is not None:
        _seed(other, _village_examples(), now)
