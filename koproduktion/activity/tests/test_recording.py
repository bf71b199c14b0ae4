"""Acts are recorded as they happen, rebuilt from what a town holds, and forgotten with the
account."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from koproduktion.accounts.services.registration import user_erase
from koproduktion.activity.models import Activity, FunnelFigure, Kind, Scope
from koproduktion.activity.tasks import funnel_refresh
from koproduktion.core.models import Municipality
from koproduktion.core.tests.factories import NeighbourhoodFactory, UserFactory
from koproduktion.ideas.models import Idea, Support
from koproduktion.ideas.services import idea_support
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.implementation.models import Commitment
from koproduktion.implementation.tests.factories import TaskFactory
from koproduktion.initiatives.services import initiative_join, initiator_accept
from koproduktion.initiatives.tests.factories import initiative, resident
from koproduktion.notifications.services import follow
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.sponsorships.models import Sponsorship, SponsorshipStatus
from koproduktion.sponsorships.tests.factories import SponsorshipObjectFactory

pytestmark = pytest.mark.django_db


def _acts(person) -> list[tuple[str, int | None, int | None]]:
    return sorted(
        Activity.objects.filter(user=person).values_list("kind", "project_id", "neighbourhood_id")
    )


def test_a_support_and_a_follow_are_recorded_once_their_transaction_commits(
    django_capture_on_commit_callbacks,
):
    quarter = NeighbourhoodFactory()
    project = ProjectFactory(municipality=quarter.municipality, neighbourhood=quarter)
    idea = IdeaFactory(project=project, municipality=project.municipality)
    person = resident_of(project)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        idea_support(actor=person, idea=idea)
        follow(user=person, project=project)
    assert _acts(person) == []  # not inside the act's own transaction
    for callback in waiting:
        callback()
    # The idea has no neighbourhood of its own: its project's counts.
    assert _acts(person) == [
        (Kind.FOLLOW, project.pk, quarter.pk),
        (Kind.SUPPORT, project.pk, quarter.pk),
    ]
    act = Activity.objects.get(user=person, kind=Kind.SUPPORT)
    assert act.municipality_id == project.municipality_id
    assert act.month == timezone.localdate().replace(day=1)


def test_an_idea_typed_in_from_paper_without_an_account_is_no_ones_act(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        idea = IdeaFactory(author=None, recorded_by=UserFactory())
    assert not Activity.objects.filter(source_id=idea.pk, kind=Kind.IDEA).exists()
    with django_capture_on_commit_callbacks(execute=True):
        IdeaFactory(project=idea.project, municipality=idea.municipality)
    assert Activity.objects.filter(kind=Kind.IDEA).count() == 1


def test_a_task_reported_done_counts_when_it_is_done_and_only_once(
    django_capture_on_commit_callbacks,
):
    task = TaskFactory()
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        commitment = Commitment.objects.create(
            municipality=task.municipality, project=task.project, task=task, user=person
        )
    assert _acts(person) == [(Kind.COMMITMENT, task.project_id, None)]
    done = timezone.now() + datetime.timedelta(days=40)
    for _again in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            commitment.done_at = done
            commitment.save()
    assert [kind for kind, *_ in _acts(person)] == [Kind.COMMITMENT, Kind.TASK_COMPLETED]
    completed = Activity.objects.get(user=person, kind=Kind.TASK_COMPLETED)
    assert completed.occurred_at == done
    assert completed.month == timezone.localdate(done).replace(day=1)


def test_a_sponsorship_counts_as_applied_then_as_held_once_agreed(
    django_capture_on_commit_callbacks,
):
    obj = SponsorshipObjectFactory(neighbourhood=NeighbourhoodFactory())
    obj.neighbourhood.municipality = obj.municipality
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        sponsorship = Sponsorship.objects.create(
            municipality=obj.municipality, object=obj, sponsor=person
        )
    assert [kind for kind, *_ in _acts(person)] == [Kind.SPONSORSHIP_APPLICATION]
    with django_capture_on_commit_callbacks(execute=True):
        sponsorship.status = SponsorshipStatus.APPROVED
        sponsorship.decided_at = timezone.now()
        sponsorship.term_start = timezone.localdate()
        sponsorship.term_end = timezone.localdate() + datetime.timedelta(days=365)
        sponsorship.save()
    assert sorted(kind for kind, *_ in _acts(person)) == [
        Kind.SPONSORSHIP,
        Kind.SPONSORSHIP_APPLICATION,
    ]
    assert {n for *_, n in _acts(person)} == {obj.neighbourhood_id}


def test_an_act_records_what_was_done_never_what_was_chosen():
    # Ballot secrecy: a poll's act holds the poll's project and the time, no option or value.
    fields = {field.name for field in Activity._meta.concrete_fields}
    assert fields == {
        "id",
        "municipality",
        "user",
        "kind",
        "source_id",
        "project",
        "neighbourhood",
        "occurred_at",
        "day",
        "month",
    }


def _existing_town():
    """Records made while nothing listens (an install from before), as the rebuild finds them."""
    idea = IdeaFactory()
    IdeaFactory.create_batch(2, project=idea.project, municipality=idea.municipality)
    task = TaskFactory(project=idea.project, municipality=idea.municipality, taken=1)
    Commitment.objects.create(
        municipality=task.municipality,
        project=task.project,
        task=task,
        user=idea.author,
        done_at=timezone.now(),
    )
    return idea


def test_rebuilding_records_what_a_town_holds_and_running_it_again_adds_nothing(capsys):
    idea = _existing_town()
    other = IdeaFactory()  # another town
    Activity.objects.all().delete()
    call_command("activity_rebuild", municipality=idea.municipality.slug)
    assert "5 acts added" in capsys.readouterr().out
    kinds = sorted(
        Activity.objects.filter(municipality=idea.municipality).values_list("kind", flat=True)
    )
    assert kinds == [Kind.COMMITMENT, Kind.IDEA, Kind.IDEA, Kind.IDEA, Kind.TASK_COMPLETED]
    assert not Activity.objects.filter(municipality=other.municipality).exists()
    call_command("activity_rebuild", municipality=idea.municipality.slug)
    assert "0 acts added" in capsys.readouterr().out
    assert Activity.objects.filter(municipality=idea.municipality).count() == 5
    call_command("activity_rebuild", municipality=idea.municipality.slug, fresh=True)
    assert Activity.objects.filter(municipality=idea.municipality).count() == 5


@pytest.mark.parametrize("how", ["recorded", "rebuilt"])
def test_an_act_late_at_night_counts_on_the_local_day_and_month(
    how, django_capture_on_commit_callbacks
):
    # 23:30 on 31 January in UTC is half past midnight on 1 February in Musterstadt.
    late = datetime.datetime(2026, 1, 31, 23, 30, tzinfo=datetime.UTC)
    project = ProjectFactory()
    idea = IdeaFactory(project=project, municipality=project.municipality)
    person = resident_of(project)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        idea_support(actor=person, idea=idea)
    Support.objects.filter(user=person).update(created_at=late)
    if how == "recorded":
        for callback in waiting:
            callback()
    else:
        call_command("activity_rebuild", municipality=project.municipality.slug, stdout=StringIO())
    act = Activity.objects.get(user=person, kind=Kind.SUPPORT)
    assert (act.occurred_at, act.day, act.month) == (
        late,
        datetime.date(2026, 2, 1),
        datetime.date(2026, 2, 1),
    )


def test_rebuilding_an_unknown_town_says_so():
    with pytest.raises(CommandError, match="No municipality"):
        call_command("activity_rebuild", municipality="nirgendwo")


def test_a_deleted_account_s_acts_are_forgotten_and_not_rebuilt():
    idea = _existing_town()
    call_command("activity_rebuild", municipality=idea.municipality.slug)
    person = idea.author
    assert Activity.objects.filter(user=person).count() == 3
    user_erase(user=person)
    assert not Activity.objects.filter(user=person).exists()
    # The idea stays under the anonymous account, but is no one's act any more.
    assert Idea.objects.filter(pk=idea.pk, author=person).exists()
    call_command("activity_rebuild", municipality=idea.municipality.slug)
    assert not Activity.objects.filter(user=person).exists()


def test_the_demo_town_comes_with_its_acts_and_figures():
    call_command("seed_demo", stdout=StringIO())
    town = Municipality.objects.get(slug="musterstadt")
    kinds = set(Activity.objects.filter(municipality=town).values_list("kind", flat=True))
    assert {Kind.IDEA, Kind.COMMENT, Kind.SUPPORT, Kind.COMMITMENT} <= kinds
    total = FunnelFigure.objects.get(municipality=town, scope=Scope.TOWN, month=None)
    people = Activity.objects.filter(municipality=town).values("user").distinct().count()
    assert total.participation == people > 0


def test_an_act_no_save_shows_is_caught_up_before_the_figures_are_computed(
    django_capture_on_commit_callbacks,
):
    # Accepting a co-initiator is a conditional queryset update: no save, no signal.
    with django_capture_on_commit_callbacks(execute=True):
        made = initiative()
        joining = resident(made.municipality)
        join_request = initiative_join(actor=joining, initiative=made, message="Ich helfe.")
    with django_capture_on_commit_callbacks(execute=True):
        initiator_accept(actor=made.created_by, join_request=join_request)
    assert not Activity.objects.filter(user=joining, kind=Kind.CO_INITIATOR).exists()
    funnel_refresh.call(municipality_id=made.municipality_id)
    assert Activity.objects.filter(user=joining, kind=Kind.CO_INITIATOR).exists()
    # The starter counts as an initiator from the start.
    assert Activity.objects.filter(user=made.created_by, kind=Kind.CO_INITIATOR).exists()
