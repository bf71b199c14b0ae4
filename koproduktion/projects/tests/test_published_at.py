"""When a project first went on the public list: the charter measures time before a decision
from it."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from koproduktion.core.tests.factories import MunicipalityFactory
from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_create, project_update

pytestmark = pytest.mark.django_db


def test_publishing_notes_the_first_time_and_keeps_it():
    project = project_create(
        municipality=MunicipalityFactory(), title="Neuer Stadtpark", summary="Ein Park."
    )
    assert project.published_at is None
    before = timezone.now()
    project_update(project=project, is_published=True)
    project.refresh_from_db()
    first = project.published_at
    assert first is not None
    assert first >= before
    project_update(project=project, is_published=False)
    project_update(project=project, is_published=True, title="Neuer Stadtpark am Fluss")
    project.refresh_from_db()
    assert project.published_at == first


def test_a_project_created_public_is_published_from_the_start():
    project = project_create(
        municipality=MunicipalityFactory(),
        title="Marktplatz",
        summary="Ein Platz.",
        is_published=True,
    )
    assert project.published_at is not None


@pytest.mark.django_db(transaction=True)
def test_projects_public_before_the_column_existed_count_from_their_creation():
    town = MunicipalityFactory()
    old = migrate(("projects", "0005_involved_departments"))
    try:
        projects = old.get_model("projects", "Project")
        public = projects.objects.create(
            municipality_id=town.pk,
            title="Öffentlich",
            slug="oeffentlich",
            summary="…",
            is_published=True,
        )
        draft = projects.objects.create(
            municipality_id=town.pk,
            title="Entwurf",
            slug="entwurf",
            summary="…",
            is_published=False,
        )
        created = timezone.now() - datetime.timedelta(days=40)
        projects.objects.filter(pk=public.pk).update(created_at=created)
    finally:
        migrate_to_latest()
    assert Project.objects.get(pk=public.pk).published_at == created
    assert Project.objects.get(pk=draft.pk).published_at is None
