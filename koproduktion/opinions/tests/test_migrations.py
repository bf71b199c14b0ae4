"""The opinion map's migrations: the inputs on a row of their own keep their values; results in lz4."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.opinions.computation import opinion_map_compute
from koproduktion.opinions.models import OpinionMap, OpinionMapInputs
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory

from .factories import opinion_map_with_votes

BEFORE = ("opinions", "0003_vote_indexes_of_project_and_statement_go")


@pytest.mark.django_db(transaction=True)
def test_each_map_keeps_its_input_version_and_its_request():
    apps = migrate(BEFORE)
    try:
        OpinionMap = apps.get_model("opinions", "OpinionMap")
        requested_at = timezone.now()
        busy, quiet = ProjectFactory(), ProjectFactory()
        waiting = OpinionMap.objects.create(
            project_id=busy.pk,
            municipality_id=busy.municipality_id,
            input_version=41,
            update_requested_at=requested_at,
        )
        computed = OpinionMap.objects.create(
            project_id=quiet.pk, municipality_id=quiet.municipality_id, input_version=7
        )
    finally:
        migrate_to_latest()

    inputs = {i.opinion_map_id: i for i in OpinionMapInputs.objects.all()}
    assert (inputs[waiting.pk].version, inputs[waiting.pk].update_requested_at) == (
        41,
        requested_at,
    )
    assert (inputs[computed.pk].version, inputs[computed.pk].update_requested_at) == (7, None)
    assert inputs[waiting.pk].municipality_id == busy.municipality_id


@pytest.mark.django_db
def test_results_are_compressed_with_lz4_on_postgresql():
    """Every computation writes megabytes of JSON; lz4 costs the database a third of pglz."""
    if connection.vendor != "postgresql":
        pytest.skip("column compression is PostgreSQL's")
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    opinion_map, _statements = opinion_map_with_votes(project, participants=60, statements=10)
    opinion_map_compute(opinion_map=opinion_map)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(result), pg_column_compression(state) "  # noqa: S608 - the model's table
            f"FROM {OpinionMap._meta.db_table} WHERE id = %s",
            [opinion_map.pk],
        )
        assert cursor.fetchone() == ("lz4", "lz4")
