"""Notices stored before the implementation, task and sponsorship kinds get the kind they are about."""

from __future__ import annotations

import pytest

from koproduktion.core.tests.factories import MunicipalityFactory, UserFactory
from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.ideas.tests.factories import IdeaFactory

BEFORE = ("notifications", "0002_alter_notification_kind")
AFTER = ("notifications", "0003_notification_kinds")


@pytest.mark.django_db(transaction=True)
def test_earlier_status_change_notices_are_sorted_by_what_they_are_about():
    idea = IdeaFactory()
    person, town = UserFactory(), MunicipalityFactory()
    old = migrate(BEFORE).get_model("notifications", "Notification")
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
        new = migrate(AFTER).get_model("notifications", "Notification")
        kinds = dict(new.objects.values_list("pk", "kind"))
        assert {url: kinds[pk] for url, pk in earlier.items()} == {
            "/idee/": "status_change",
            "/musterstadt/patenschaften/7/": "sponsorship",
            "/musterstadt/vorhaben/quartierstreff/umsetzung/": "implementation",
            "/musterstadt/vorhaben/patenschaften/umsetzung/#bericht-3": "implementation",
        }
        assert kinds[reply] == "reply"
    finally:
        migrate_to_latest()
