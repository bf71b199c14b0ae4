"""Notices stored before the implementation, task and sponsorship kinds get the kind they are about."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory
from koproduktion.ideas.tests.factories import IdeaFactory

BEFORE = ("notifications", "0002_alter_notification_kind")
AFTER = ("notifications", "0003_notification_kinds")


def _migrate(target):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.mark.django_db(transaction=True)
def test_earlier_status_change_notices_are_sorted_by_what_they_are_about():
    idea = IdeaFactory()
    person, town = UserFactory(), MunicipalityFactory()
    old = _migrate(BEFORE).get_model("notifications", "Notification")
    earlier = {
        url: old.objects.create(
            user_id=person.pk,
            municipality_id=town.pk,
            kind="status_change",
            message="…",
            url=url,
            idea_id=idea.pk if url.startswith("/idee") else None,
        ).pk
        for url in (
            "/idee/",
            "/musterstadt/patenschaften/7/",
            "/musterstadt/vorhaben/quartierstreff/umsetzung/",
            # A project may be called "patenschaften"; its notices are still implementation.
            "/musterstadt/vorhaben/patenschaften/umsetzung/#bericht-3",
        )
    }
    reply = old.objects.create(
        user_id=person.pk, municipality_id=town.pk, kind="reply", message="…", url="/x/"
    ).pk
    try:
        new = _migrate(AFTER).get_model("notifications", "Notification")
        kinds = dict(new.objects.values_list("pk", "kind"))
        assert {url: kinds[pk] for url, pk in earlier.items()} == {
            "/idee/": "status_change",
            "/musterstadt/patenschaften/7/": "sponsorship",
            "/musterstadt/vorhaben/quartierstreff/umsetzung/": "implementation",
            "/musterstadt/vorhaben/patenschaften/umsetzung/#bericht-3": "implementation",
        }
        assert kinds[reply] == "reply"
    finally:
        _migrate(_latest())


def _latest():
    """The newest notifications migration, so later tests find the schema they expect."""
    executor = MigrationExecutor(connection)
    (leaf,) = [node for node in executor.loader.graph.leaf_nodes() if node[0] == "notifications"]
    return leaf
