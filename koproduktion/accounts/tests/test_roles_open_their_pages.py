"""A role given on the roles page opens its workspaces at the person's next request: nothing
else to set, no flag for an admin site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    UserFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db

# The workspace pages of each role, by URL name (all under the town).
WORKSPACES = {
    Role.STAFF: ["routing:inbox", "decisions:record", "decisions:verification_staff"],
    Role.COORDINATION: ["routing:inbox", "decisions:record", "decisions:verification_staff"],
    Role.MODERATOR: ["moderation:queue", "moderation:log"],
    Role.ADMIN: [
        "townadmin:overview",  # the header's first link for a town's admins
        "roles:list",
        "audit_log",
        "routing:inbox",
        "moderation:queue",
        "decisions:record",
        "decisions:verification_staff",
    ],
}


@pytest.mark.parametrize("role", list(WORKSPACES))
def test_a_granted_role_opens_its_pages_at_once(client, role):
    town = MunicipalityFactory()
    planning = DepartmentFactory(municipality=town)
    admin = person_with_role(town, Role.ADMIN)
    person = UserFactory(email="neu@example.org")
    pages = [reverse(name, args=[town.slug]) for name in WORKSPACES[role]]
    client.force_login(person)
    assert [client.get(page).status_code for page in pages] == [403] * len(pages)

    client.force_login(admin)
    response = client.post(
        reverse("roles:list", args=[town.slug]),
        {
            "email": "neu@example.org",
            "roles": [role.value],
            "departments": [planning.pk] if role == Role.STAFF else [],
            "aktion": "vergeben",
        },
    )
    assert response.status_code == 302

    client.force_login(person)
    assert [client.get(page).status_code for page in pages] == [200] * len(pages)
    person.refresh_from_db()
    assert not person.is_staff
    # The header leads there too.
    header = client.get(reverse("projects:municipality", args=[town.slug])).content.decode()
    for page in pages[:1]:
        assert f'href="{page}"' in header
