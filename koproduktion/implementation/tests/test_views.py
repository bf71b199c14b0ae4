from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.implementation import services
from koproduktion.implementation.models import Commitment, MilestoneStatus, Task
from koproduktion.implementation.tests.factories import (
    MilestoneFactory,
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
    staff_of,
)
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _url(name, project, *args):
    return reverse(name, args=[project.municipality.slug, project.slug, *args])


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _fill(project, size):
    for n in range(size):
        milestone = MilestoneFactory(
            project=project, status=MilestoneStatus.DELAYED, delay_reason="Regen"
        )
        task = TaskFactory(project=project, milestone=milestone, date=None)
        ShiftFactory(task=task)
        ShiftFactory(task=task, starts_at=in_days(8 + n))
        TaskFactory(project=project)


@pytest.mark.parametrize("name", ["implementation:tasks", "implementation:overview"])
def test_lists_cost_the_same_with_many_tasks(client, name):
    small = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    big = ProjectFactory(phase=PhaseKind.IMPLEMENTATION, municipality=small.municipality)
    _fill(small, 1)
    _fill(big, 12)
    client.force_login(resident_of(small))
    client.get(_url(name, small))
    assert _count(client, _url(name, small)) == _count(client, _url(name, big))


def test_town_overview_costs_the_same_with_many_projects(client):
    small = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    _fill(small, 2)
    url = reverse("accountability:town", args=[small.municipality.slug])
    client.force_login(resident_of(small))
    client.get(url)
    few = _count(client, url)
    for _ in range(8):
        _fill(ProjectFactory(phase=PhaseKind.IMPLEMENTATION, municipality=small.municipality), 2)
    assert _count(client, url) == few


def test_town_overview_shows_progress_delays_and_reasons(client):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    MilestoneFactory(project=project, weight=3, percent_complete=100, status=MilestoneStatus.DONE)
    MilestoneFactory(
        project=project, status=MilestoneStatus.DELAYED, delay_reason="Handwerker fehlen"
    )
    html = client.get(
        reverse("accountability:town", args=[project.municipality.slug])
    ).content.decode()
    assert 'value="75"' in html
    assert "Handwerker fehlen" in html
    assert project.title in html


def test_staff_create_a_task_with_shifts_through_the_page(client):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    client.force_login(staff_of(project))
    start = in_days(5, 9)
    response = client.post(
        _url("implementation:task_create", project),
        {
            "title": "Möbel aufbauen",
            "address": "Nordstraße 3",
            "contact_name": "Frau K",
            "capacity": "3",
            "is_published": "on",
            "schicht-TOTAL_FORMS": "3",
            "schicht-INITIAL_FORMS": "0",
            "schicht-0-starts_at": f"{start:%Y-%m-%dT%H:%M}",
            "schicht-0-ends_at": f"{start.replace(hour=12):%Y-%m-%dT%H:%M}",
            "schicht-1-starts_at": f"{start.replace(hour=13):%Y-%m-%dT%H:%M}",
            "schicht-1-ends_at": f"{start.replace(hour=16):%Y-%m-%dT%H:%M}",
            "schicht-1-capacity": "2",
        },
    )
    task = Task.objects.get()
    assert response.status_code == 302
    assert [s.capacity for s in task.shifts.all()] == [3, 2]
    assert task.is_published


def test_commit_through_the_page_and_see_it_under_my_commitments(client):
    shift = ShiftFactory()
    project = shift.task.project
    person = resident_of(project)
    client.force_login(person)
    response = client.post(
        _url("implementation:commit", project, shift.task.pk),
        {"shift": shift.pk, "share_contact": "on"},
    )
    assert response.status_code == 302
    assert Commitment.objects.get().share_contact
    html = client.get(reverse("commitments:mine")).content.decode()
    assert shift.task.title in html
    response = client.post(reverse("commitments:mine"))
    assert "/konto/zusagen/kalender/" in response.content.decode()


def test_a_full_shift_shows_why(client):
    shift = ShiftFactory(capacity=1)
    project = shift.task.project
    services.task_commit(actor=resident_of(project), task=shift.task, shift=shift)
    other = ShiftFactory(task=shift.task, capacity=1)
    client.force_login(resident_of(project))
    response = client.post(
        _url("implementation:commit", project, shift.task.pk), {"shift": shift.pk}
    )
    assert response.status_code == 400
    assert other.pk  # the open shift is still offered
    assert "Auswahl" in response.content.decode() or "voll" in response.content.decode()


def test_visitors_see_why_they_cannot_commit_and_drafts_are_hidden(client):
    task = TaskFactory()
    html = client.get(_url("implementation:task", task.project, task.pk)).content.decode()
    assert "Bitte melden Sie sich an" in html
    draft = TaskFactory(project=task.project, is_published=False)
    assert client.get(_url("implementation:task", task.project, draft.pk)).status_code == 404


def test_every_page_renders_for_staff(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    shift = ShiftFactory()
    task, project = shift.task, shift.task.project
    milestone = MilestoneFactory(project=project)
    client.force_login(staff_of(project))
    for url in (
        _url("implementation:overview", project),
        _url("implementation:tasks", project),
        _url("implementation:task_create", project),
        _url("implementation:task", project, task.pk),
        _url("implementation:milestone_create", project),
        _url("implementation:milestone_edit", project, milestone.pk),
        _url("implementation:update_create", project),
        reverse("projects:detail", args=[project.municipality.slug, project.slug]),
        reverse("commitments:mine"),
    ):
        assert client.get(url).status_code == 200, url
    response = client.post(
        _url("implementation:milestone_edit", project, milestone.pk),
        {
            "title": milestone.title,
            "target_date": f"{timezone.localdate():%Y-%m-%d}",
            "status": "done",
            "percent_complete": "10",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    html = client.get(
        reverse("projects:detail", args=[project.municipality.slug, project.slug])
    ).content.decode()
    assert 'value="100"' in html
