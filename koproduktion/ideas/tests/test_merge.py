"""Staff merge a duplicate idea into its original: supports counted once, followers carried
over, both authors told, and the refusals with their reasons."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from koproduktion.core.audit import REGISTRY
from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.ideas.models import Idea, IdeaStatus, Support
from koproduktion.ideas.services import (
    idea_create,
    idea_merge,
    idea_set_status,
    idea_support,
    idea_withdraw,
)
from koproduktion.ideas.tests.factories import resident_of
from koproduktion.notifications.models import Follow, Notification
from koproduktion.notifications.services import follow
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing.models import Assignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    """(duplicate, original, staff): two ideas of one project about the same benches."""
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    original = idea_create(
        actor=resident_of(project), project=project, title="Bänke am Hafen", text="Zum Ausruhen."
    )
    duplicate = idea_create(
        actor=resident_of(project, language="en"),
        project=project,
        title="Mehr Bänke am Hafen",
        text="Es fehlen Sitzplätze.",
    )
    staff = person_with_role(project.municipality, Role.COORDINATION)
    return duplicate, original, staff


def _fresh(idea: Idea) -> Idea:
    return Idea.objects.select_related("project__municipality").get(pk=idea.pk)


def test_supports_move_to_the_original_and_count_once(pair):
    duplicate, original, staff = pair
    both, only_duplicate, only_original = (resident_of(original.project) for _ in range(3))
    for person in (both, only_duplicate):
        idea_support(actor=person, idea=duplicate)
    for person in (both, only_original):
        idea_support(actor=person, idea=original)
    # The original's author supported the duplicate: no support of their own idea.
    idea_support(actor=original.author, idea=duplicate)

    change = idea_merge(actor=staff, duplicate=duplicate, original=original, reason="Dasselbe.")

    original, duplicate = _fresh(original), _fresh(duplicate)
    assert original.support_count == 3 == Support.objects.filter(idea=original).count()
    assert set(Support.objects.filter(idea=original).values_list("user_id", flat=True)) == {
        both.pk,
        only_duplicate.pk,
        only_original.pk,
    }
    assert duplicate.support_count == 0 == Support.objects.filter(idea=duplicate).count()
    assert duplicate.status == IdeaStatus.MERGED
    assert duplicate.merged_into == original
    assert change.old_status == IdeaStatus.NEW
    assert change.new_status == IdeaStatus.MERGED
    assert change.reason == "Dasselbe."
    with translation.override("de"):
        assert change.shown_reason == (
            "Zusammengeführt mit der gleichartigen Idee „Bänke am Hafen“. Dasselbe."
        )


def test_followers_follow_the_original(pair):
    duplicate, original, staff = pair
    follower, follows_both = resident_of(original.project), resident_of(original.project)
    follow(user=follower, idea=duplicate)
    for idea in (duplicate, original):
        follow(user=follows_both, idea=idea)

    idea_merge(actor=staff, duplicate=duplicate, original=original)

    followers = set(Follow.objects.filter(idea=original).values_list("user_id", flat=True))
    # The duplicate's author followed their idea when posting it; they follow the original now.
    assert {follower.pk, follows_both.pk, duplicate.author_id, original.author_id} <= followers
    assert not Follow.objects.filter(idea=duplicate).exists()


def test_both_authors_and_the_supporters_are_told_each_in_their_language(pair):
    duplicate, original, staff = pair
    supporter = resident_of(original.project)
    idea_support(actor=supporter, idea=duplicate)

    idea_merge(actor=staff, duplicate=duplicate, original=original)

    def told(person) -> list[str]:
        return list(Notification.objects.filter(user=person).values_list("message", flat=True))

    # The duplicate's author reads English.
    assert told(duplicate.author) == [
        "Your idea “Mehr Bänke am Hafen” has been merged with the similar idea “Bänke am Hafen”; "
        "its supports now count there."
    ]
    assert told(original.author)[-1].startswith(
        "Die gleichartige Idee „Mehr Bänke am Hafen“ ist mit Ihrer Idee „Bänke am Hafen“"
    )
    assert "Ihre Unterstützung" in told(supporter)[-1]
    assert told(staff) == []
    assert all(
        url.endswith(f"/{original.pk}/")
        for url in Notification.objects.values_list("url", flat=True)
    )


def test_the_merge_is_in_the_administrations_log(pair):
    duplicate, original, staff = pair
    idea_merge(actor=staff, duplicate=duplicate, original=original, reason="Doppelt.")
    assert "ideas.idea_merge" in REGISTRY
    entry = AuditEntry.objects.get(action="ideas.idea_merge")
    assert entry.actor == staff
    assert entry.reason == "Doppelt."


def test_the_duplicate_leaves_the_inbox(pair):
    duplicate, original, staff = pair
    idea_merge(actor=staff, duplicate=duplicate, original=original)
    assert Assignment.objects.get(idea=duplicate).closed_at is not None
    assert Assignment.objects.get(idea=original).closed_at is None


def test_a_merged_idea_takes_no_more_supports_nor_a_status(pair):
    duplicate, original, staff = pair
    idea_merge(actor=staff, duplicate=duplicate, original=original)
    with pytest.raises(PermissionDenied):
        idea_support(actor=resident_of(original.project), idea=_fresh(duplicate))
    with pytest.raises(ValidationError) as refused:
        idea_set_status(actor=staff, idea=_fresh(duplicate), status=IdeaStatus.UNDER_REVIEW)
    assert "zusammengeführt" in str(refused.value)
    with pytest.raises(ValidationError):
        idea_set_status(actor=staff, idea=_fresh(original), status=IdeaStatus.MERGED)


def _refusal(staff, duplicate, original) -> str:
    with pytest.raises(ValidationError) as refused:
        idea_merge(actor=staff, duplicate=duplicate, original=original)
    return " ".join(refused.value.message_dict["original"])


def test_refusals_say_why_at_the_field(pair):
    duplicate, original, staff = pair
    assert "mit sich selbst" in _refusal(staff, duplicate, duplicate)
    other_project = ProjectFactory(municipality=original.municipality, phase=PhaseKind.DIALOGUE)
    elsewhere = idea_create(
        actor=resident_of(other_project),
        project=other_project,
        title="Bänke",
        text="Am Hafen, bitte.",
    )
    assert "desselben Vorhabens" in _refusal(staff, duplicate, elsewhere)
    third = idea_create(
        actor=resident_of(original.project),
        project=original.project,
        title="Bänke, Bänke",
        text="Am Hafen, bitte.",
    )
    idea_merge(actor=staff, duplicate=third, original=original)
    assert "selbst schon" in _refusal(staff, duplicate, third)
    assert "schon mit einer anderen" in _refusal(staff, third, duplicate)
    idea_withdraw(actor=original.author, idea=original)
    assert "zurückgezogen" in _refusal(staff, duplicate, original)
    # Nothing moved by the refused merges.
    assert _fresh(duplicate).status == IdeaStatus.NEW


def test_only_who_runs_the_project_merges(pair):
    duplicate, original, _staff = pair
    municipality = original.municipality
    for person in (
        resident_of(original.project),
        person_with_role(municipality, Role.MODERATOR),
        person_with_role(ProjectFactory().municipality, Role.COORDINATION),
    ):
        with pytest.raises(PermissionDenied):
            idea_merge(actor=person, duplicate=duplicate, original=original)
    assert _fresh(duplicate).merged_into is None
