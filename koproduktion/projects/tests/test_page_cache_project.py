"""Visitors get a project's page from the page cache, and every change shows on the next visit."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.core.models import Department, Municipality
from koproduktion.core.roles import Role
from koproduktion.core.services import tenant_record_save
from koproduktion.core.tests.factories import (
    UserFactory,
    person_with_role,
)
from koproduktion.decisions.models import PollKind
from koproduktion.decisions.services import poll_create
from koproduktion.ideas.services import idea_create
from koproduktion.implementation import services as implementation
from koproduktion.opinions.services import opinion_map_ensure
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import Project
from koproduktion.projects.services import (
    document_add,
    phase_schedule,
    project_update,
)

from .factories import staff_of
from .page_cache_support import cached, fresh, project_url

pytestmark = pytest.mark.django_db


# What the services change on a project's page.


def _described(project):
    project_update(project=project, description="Neu: **Tempo 30** auf der ganzen Allee.")
    return "<strong>Tempo 30</strong>"


def _next_phase(project):
    project_update(project=project, phase=PhaseKind.DECISION)
    return 'class="badge phase-decision"'


def _phase_planned(project):
    phase_schedule(project=project, kind=PhaseKind.DECISION, starts_on=datetime.date(2031, 5, 1))
    return "2031"


def _document(project):
    document_add(project=project, title="Verkehrsgutachten", url="https://example.org/g.pdf")
    return "Verkehrsgutachten"


def _idea(project):
    resident = person_with_role(project.municipality, Role.RESIDENT)
    idea_create(actor=resident, project=project, title="Bänke", text="Mehr Bänke am Wasser.")
    return "1 Idee ansehen"


def _poll(project):
    now = timezone.now()
    poll_create(
        actor=staff_of(project),
        project=project,
        title="Welche Bäume?",
        kind=PollKind.APPROVAL,
        opens_at=now,
        closes_at=now + datetime.timedelta(days=14),
    )
    return "1 Abstimmung"


def _opinion_map(project):
    opinion_map_ensure(project=project)
    return "Meinungsbild"


def _milestone(project):
    staff = staff_of(project)
    milestone = implementation.milestone_create(
        actor=staff, project=project, title="Markierung", target_date=timezone.localdate()
    )
    implementation.milestone_update(actor=staff, milestone=milestone, percent_complete=40)
    return "Fortschritt: 40 %"


def _progress_report(project):
    implementation.update_post(
        actor=staff_of(project),
        project=project,
        text="Die Markierung ist fertig.",
    )
    return "Die Markierung ist fertig."


def _department_phone_in_the_admin(project):
    department = Department.objects.get(pk=project.department_id)
    department.phone = "0421 98765"
    tenant_record_save(actor=UserFactory(is_superuser=True), record=department)
    return "0421 98765"


def _town_renamed_in_the_admin(project):
    municipality = Municipality.objects.get(pk=project.municipality_id)
    municipality.name = "Musterstadt an der See"
    tenant_record_save(actor=UserFactory(is_superuser=True), record=municipality)
    return "Musterstadt an der See"


@pytest.mark.parametrize(
    ("phase", "write"),
    [
        (PhaseKind.DIALOGUE, _described),
        (PhaseKind.DIALOGUE, _next_phase),
        (PhaseKind.DIALOGUE, _phase_planned),
        (PhaseKind.DIALOGUE, _document),
        (PhaseKind.DIALOGUE, _idea),
        (PhaseKind.DECISION, _poll),
        (PhaseKind.DIALOGUE, _opinion_map),
        (PhaseKind.IMPLEMENTATION, _milestone),
        (PhaseKind.IMPLEMENTATION, _progress_report),
        (PhaseKind.DIALOGUE, _department_phone_in_the_admin),
        (PhaseKind.DIALOGUE, _town_renamed_in_the_admin),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else str(value),
)
def test_the_project_page_is_cached_and_shows_every_change_at_once(client, town, phase, write):
    project = town[2]
    project_update(project=project, phase=phase)
    url = project_url(project)
    before = cached(client, url)
    shown = write(Project.objects.get(pk=project.pk))
    assert shown not in before
    assert shown in fresh(client, url)
    assert client.get(url)["X-Page-Cache"] == "hit"
