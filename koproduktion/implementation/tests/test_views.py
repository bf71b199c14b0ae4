from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from koproduktion.core.tests import samples
from koproduktion.implementation import services
from koproduktion.implementation.models import Commitment, MilestoneStatus, Task, Update
from koproduktion.implementation.tests.factories import (
    MilestoneFactory,
    ShiftFactory,
    TaskFactory,
    in_days,
    resident_of,
    staff_of,
)
from koproduktion.notifications.models import Notification
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
    for project in (small, big):  # the session, and the projects a process keeps, settle
        client.get(_url(name, project))
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


def test_a_shift_with_a_bad_time_is_described_by_its_error(client):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    client.force_login(staff_of(project))
    response = client.post(
        _url("implementation:task_create", project),
        {
            "title": "Möbel aufbauen",
            "capacity": "3",
            "schicht-TOTAL_FORMS": "1",
            "schicht-INITIAL_FORMS": "0",
            "schicht-0-starts_at": "kein Datum",
        },
    )
    html = response.content.decode()
    assert response.status_code == 400
    tag = re.search(r'<input[^>]*id="id_schicht-0-starts_at"[^>]*>', html).group(0)
    assert 'aria-describedby="id_schicht-0-starts_at_error"' in tag
    assert '<ul class="errorlist" id="id_schicht-0-starts_at_error">' in html
    assert not Task.objects.exists()


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


def test_too_many_sign_ups_show_why_on_the_page(client, settings):
    settings.RATE_LIMITS = {"signup": ("1/h", None)}
    first = TaskFactory(capacity=5)
    second = TaskFactory(project=first.project, capacity=5)
    client.force_login(resident_of(first.project))
    assert client.post(_url("implementation:commit", first.project, first.pk)).status_code == 302
    response = client.post(_url("implementation:commit", second.project, second.pk))
    assert response.status_code == 400
    assert "Sie waren gerade sehr aktiv" in response.content.decode()
    assert not Commitment.objects.filter(task=second).exists()


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


def _milestone_data(milestone, **changes):
    return {
        "title": milestone.title,
        "target_date": f"{milestone.target_date:%Y-%m-%d}",
        "status": milestone.status,
        "percent_complete": str(milestone.percent_complete),
        "weight": str(milestone.weight),
        "responsible_group": milestone.responsible_group,
        "group_members": "",
        **changes,
    }


def test_the_member_field_has_a_label_and_help_text(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    project = milestone.project
    client.force_login(staff_of(project))
    html = client.get(_url("implementation:milestone_edit", project, milestone.pk)).content.decode()
    assert '<label for="id_group_members">Mitglieder der Gruppe' in html
    assert 'aria-describedby="id_group_members_helptext id_group_members_limit"' in html
    assert 'id="id_group_members_helptext">Nur bei einer verantwortlichen Gruppe' in html


def test_staff_name_the_members_and_can_remove_them_all(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    project = milestone.project
    anna = resident_of(project, public_name="Anna Nord")
    url = _url("implementation:milestone_edit", project, milestone.pk)
    client.force_login(staff_of(project))
    response = client.post(url, _milestone_data(milestone, group_members="anna nord"))
    assert response.status_code == 302
    assert list(milestone.group_members.all()) == [anna]
    assert Notification.objects.filter(user=anna).count() == 1
    assert "Anna Nord</textarea>" in client.get(url).content.decode()
    assert client.post(url, _milestone_data(milestone)).status_code == 302
    assert not milestone.group_members.exists()


def test_unknown_names_keep_the_input_and_change_nothing(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    project = milestone.project
    anna = resident_of(project, public_name="Anna Nord")
    client.force_login(staff_of(project))
    response = client.post(
        _url("implementation:milestone_edit", project, milestone.pk),
        _milestone_data(milestone, title="Neuer Titel", group_members="Anna Nord\nUnbekannt"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "niemand angemeldet: „Unbekannt“" in html
    assert "Anna Nord\nUnbekannt</textarea>" in html
    milestone.refresh_from_db()
    assert milestone.title != "Neuer Titel"
    assert not milestone.group_members.exists()
    assert not Notification.objects.filter(user=anna).exists()


def test_members_without_a_group_are_refused_on_the_page(client):
    milestone = MilestoneFactory()
    project = milestone.project
    resident_of(project, public_name="Anna Nord")
    client.force_login(staff_of(project))
    response = client.post(
        _url("implementation:milestone_create", project),
        _milestone_data(milestone, title="Fest", group_members="Anna Nord"),
    )
    assert response.status_code == 400
    assert "Mitglieder gibt es nur bei einer verantwortlichen Gruppe." in response.content.decode()


def test_residents_may_not_edit_milestones(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    project = milestone.project
    resident = resident_of(project, public_name="Anna Nord")
    milestone.group_members.add(resident)  # a member of its group, still not staff
    url = _url("implementation:milestone_edit", project, milestone.pk)
    client.force_login(resident)
    assert client.get(url).status_code == 403
    assert client.post(url, _milestone_data(milestone, title="Meins")).status_code == 403
    milestone.refresh_from_db()
    assert milestone.title != "Meins"


def test_a_member_reports_progress_then_leaves_the_group(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    project = milestone.project
    member, other = resident_of(project), resident_of(project)
    milestone.group_members.add(member)
    overview = _url("implementation:overview", project)
    report = {"text": "Die Girlanden hängen.", "milestone": str(milestone.pk)}

    client.force_login(other)
    assert "Gruppe verlassen" not in client.get(overview).content.decode()
    assert client.post(_url("implementation:update_create", project), report).status_code == 403
    client.post(_url("implementation:milestone_leave", project, milestone.pk))
    assert list(milestone.group_members.all()) == [member]

    client.force_login(member)
    html = client.get(overview).content.decode()
    assert "Sie gehören zur Gruppe „Nachbarschaftsgruppe Nord“" in html
    assert "Gruppe verlassen" in html
    response = client.post(_url("implementation:update_create", project), report)
    assert response.status_code == 302
    assert Update.objects.get().author == member
    response = client.post(
        _url("implementation:milestone_leave", project, milestone.pk), follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"/umsetzung/#meilenstein-{milestone.pk}")
    html = response.content.decode()
    assert "Sie gehören nicht mehr zur Gruppe" in html
    assert "Gruppe verlassen" not in html
    assert not milestone.group_members.exists()
    assert client.get(_url("implementation:update_create", project)).status_code == 403


def test_leaving_needs_a_post(client):
    milestone = MilestoneFactory(responsible_group="Nachbarschaftsgruppe Nord")
    member = resident_of(milestone.project)
    milestone.group_members.add(member)
    client.force_login(member)
    url = _url("implementation:milestone_leave", milestone.project, milestone.pk)
    assert client.get(url).status_code == 405
    assert milestone.group_members.exists()


def test_an_svg_as_a_photo_is_refused_next_to_its_field(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    client.force_login(staff_of(project))
    response = client.post(
        _url("implementation:update_create", project),
        {
            "text": "Die Wände sind gestrichen.",
            "photo_1": samples.upload("wand.jpg", samples.SVG_WITH_SCRIPT, "image/jpeg"),
            "alt_1": "Die Wand",
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["photo_1"] == [
        "„wand.jpg“ ist kein Foto im Format JPEG, PNG oder WebP."
    ]
    html = response.content.decode()
    assert "Die Wände sind gestrichen." in html
    assert 'accept=".jpg,.png,.webp,.jpeg,image/jpeg,image/png,image/webp"' in html
    assert not Update.objects.exists()
    assert not list(tmp_path.rglob("*.*"))


def test_a_milestone_line_reads_right_in_every_status(client):
    project = ProjectFactory(phase=PhaseKind.IMPLEMENTATION)
    MilestoneFactory(
        project=project,
        title="Fertig",
        status=MilestoneStatus.DONE,
        percent_complete=100,
        completed_on=timezone.datetime(2026, 5, 3).date(),
    )
    MilestoneFactory(
        project=project,
        title="Geplant",
        status=MilestoneStatus.PLANNED,
        target_date=timezone.datetime(2027, 2, 1).date(),
    )
    html = client.get(_url("implementation:overview", project)).content.decode()
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "erledigt am 3. Mai 2026" in text
    assert "erledigt erledigt" not in text
    assert "100 % erledigt" not in text
    assert "geplant geplant" not in text
    assert "Zieldatum: 1. Februar 2027 · 0 % geschafft" in text
