"""Django's admin is for platform admins only, and where it writes, it writes through the services.

Every registered admin page is walked: nobody but an active superuser gets in, and every admin
that lets a platform admin add, change or delete does it through a service, which the test sees
by what the service does (the entry in the town's administration log, the account kept as an
anonymous placeholder, the refusal of what the service refuses).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
from django import forms
from django.contrib import admin
from django.contrib.admin import widgets
from django.core.management import call_command
from django.db.models import Model, QuerySet
from django.test import Client, RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import (
    AuditEntry,
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    TopicFactory,
    UserFactory,
    person_with_role,
)
from koproduktion.decisions.models import Poll, PollOption
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_town():
    call_command("seed_demo", stdout=StringIO())
    return Municipality.objects.get(slug="musterstadt")


@pytest.fixture
def platform_admin(client):
    person = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(person)
    return person


def _admin_url(model: type[Model], view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _entry_pages() -> list[str]:
    """The admin's index and, for every registered model, its list and its add page."""
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        pages.append(_admin_url(model, "changelist"))
        try:
            pages.append(_admin_url(model, "add"))
        except NoReverseMatch:
            continue
    return pages


# --- Who gets in ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    ["resident", "staff with the old flag", "town admin with the old flag", "inactive superuser"],
)
def test_nobody_but_a_platform_admin_enters_the_admin(client, who):
    town = MunicipalityFactory()
    person = {
        "resident": lambda: person_with_role(town, Role.RESIDENT),
        "staff with the old flag": lambda: person_with_role(town, Role.STAFF, is_staff=True),
        "town admin with the old flag": lambda: person_with_role(town, Role.ADMIN, is_staff=True),
        "inactive superuser": lambda: UserFactory(
            is_superuser=True, is_staff=True, is_active=False
        ),
    }[who]()
    client.force_login(person)
    for page in _entry_pages():
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("admin:login")), page
    # Logged in, they are told where their work is, rather than sent round to the log-in.
    refused = client.get(reverse("admin:index"), follow=True)
    if person.is_active:
        assert refused.status_code == 403
        assert "den Plattform-Admins vorbehalten" in refused.content.decode()


def test_a_town_admin_writes_nothing_through_the_admin(client):
    town = MunicipalityFactory()
    client.force_login(person_with_role(town, Role.ADMIN, is_staff=True))
    client.post(_admin_url(Department, "add"), {"municipality": town.pk, "name": "Eingeschmuggelt"})
    client.post(
        _admin_url(Membership, "add"),
        {"email": "jemand@example.org", "municipality": town.pk, "role": "admin"},
    )
    assert not Department.objects.filter(name="Eingeschmuggelt").exists()
    assert Membership.objects.filter(municipality=town).count() == 1


def test_a_platform_admin_enters_every_page(client, platform_admin):
    for page in _entry_pages():
        assert client.get(page).status_code in (200, 403), page  # 403: an add page with no add


def test_the_header_links_the_admin_for_platform_admins_only(client, platform_admin):
    assert reverse("admin:index") in client.get("/").content.decode()
    town = MunicipalityFactory()
    client.force_login(person_with_role(town, Role.ADMIN, is_staff=True))
    assert reverse("admin:index") not in client.get("/").content.decode()


# --- Writes go through the services -------------------------------------------------------------


def _widget(field: forms.Field) -> forms.Widget:
    widget = field.widget
    while isinstance(widget, widgets.RelatedFieldWidgetWrapper):
        widget = widget.widget
    return widget


def _as_sent(form: forms.BaseForm) -> dict[str, Any]:
    """The form's current values as the browser sends them back unchanged."""
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        value = form.initial.get(name, field.initial)
        value = value() if callable(value) else value
        widget = _widget(field)
        if isinstance(field, forms.FileField):
            continue
        if isinstance(widget, forms.MultiWidget):
            for number, part in enumerate(widget.decompress(value)):
                data[f"{key}_{number}"] = "" if part is None else str(part)
        elif isinstance(field, forms.BooleanField):
            if value:
                data[key] = "on"
        elif value is None:
            data[key] = ""
        elif isinstance(value, list | tuple | QuerySet):
            data[key] = [str(getattr(item, "pk", item)) for item in value]
        else:
            data[key] = str(getattr(value, "pk", value))
    return data


def _change_page_data(client: Client, record: Model) -> dict[str, Any]:
    """What the admin's change page of ``record`` sends back, its inline rows included."""
    page = client.get(_admin_url(type(record), "change", record.pk))
    assert page.status_code == 200
    data = _as_sent(page.context["adminform"].form)
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data |= {
            management.add_prefix(key): str(value) for key, value in management.initial.items()
        }
        for row in formset.initial_forms:
            data |= _as_sent(row)
    return data


def _logged(action: str, record: Model) -> AuditEntry | None:
    return AuditEntry.objects.filter(
        action=action, target_type=record._meta.label_lower, target_id=record.pk
    ).first()


def _renamed_and_deleted_through_the_tenant_services(client: Client, model: type[Model]) -> None:
    record = model.objects.order_by("pk").first()
    data = _change_page_data(client, record)
    name = "title" if "title" in data else "name"
    data[name] = "Im Admin umbenannt"
    response = client.post(_admin_url(model, "change", record.pk), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = _logged("core.tenant_record_save", record)
    assert entry is not None
    assert entry.after[name] == "Im Admin umbenannt"
    if model is Municipality:
        # Its log goes with the town; a town of its own, so the demo town stays.
        record = MunicipalityFactory()
        client.post(_admin_url(model, "delete", record.pk), {"post": "yes"})
        assert not Municipality.objects.filter(pk=record.pk).exists()
        return
    pk = FRESH[model](municipality=record.municipality).pk  # nothing refers to it yet
    response = client.post(_admin_url(model, "delete", pk), {"post": "yes"})
    assert response.status_code == 302
    assert not model.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(
        action="core.tenant_record_delete", target_type=model._meta.label_lower, target_id=pk
    ).exists()


FRESH: dict[type[Model], Callable[..., Model]] = {
    Neighbourhood: NeighbourhoodFactory,
    Department: DepartmentFactory,
    Organisation: OrganisationFactory,
    Topic: TopicFactory,
    Project: ProjectFactory,
}


def _accounts_through_their_services(client: Client, model: type[Model]) -> None:
    platform_admin = User.objects.get(email="plattform@koproduktion.example")
    client.force_login(platform_admin)
    person = User.objects.get(email="buergerin@musterstadt.example")
    change = _admin_url(User, "change", person.pk)
    assert client.post(change, {"is_active": "on", "is_superuser": "on"}).status_code == 302
    person.refresh_from_db()
    # The service keeps the old flag in step; nothing asks it any more.
    assert (person.is_superuser, person.is_staff) == (True, True)
    # Nobody takes their own platform admin rights or locks themselves out.
    response = client.post(_admin_url(User, "change", platform_admin.pk), {"is_active": "on"})
    assert response.status_code == 200
    assert "gibt eine andere Plattform-Admin-Person ab" in response.content.decode()
    platform_admin.refresh_from_db()
    assert platform_admin.is_superuser
    # Deleting is the account deletion: the row stays as an anonymous placeholder.
    client.post(_admin_url(User, "delete", person.pk), {"post": "yes"})
    person.refresh_from_db()
    assert person.deleted_at is not None
    assert person.email == f"deleted-{person.pk}@invalid"


def _polls_created_through_the_decision_services(client: Client, model: type[Model]) -> None:
    project = Project.objects.filter(municipality__slug="musterstadt").first()
    opens = timezone.localtime() + datetime.timedelta(days=1)
    data = {
        "project": project.pk,
        "title": "Spielplatz im Admin",
        "kind": "budget",
        "opens_at_0": opens.date().isoformat(),
        "opens_at_1": "10:00",
        "closes_at_0": (opens + datetime.timedelta(days=14)).date().isoformat(),
        "closes_at_1": "10:00",
        "results_visibility": "after_close",
        "budget_cents": "5000000",
        "options-TOTAL_FORMS": "1",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
        "options-0-title": "Schaukel",
    }
    response = client.post(_admin_url(Poll, "add"), data)
    assert response.status_code == 200
    assert "Im Bürgerhaushalt braucht jede Option ihre Kosten." in response.content.decode()
    assert not Poll.objects.filter(title="Spielplatz im Admin").exists()
    response = client.post(_admin_url(Poll, "add"), data | {"options-0-cost_cents": "250000"})
    assert response.status_code == 302
    poll = Poll.objects.get(title="Spielplatz im Admin")
    option = PollOption.objects.get(poll=poll)
    assert option.cost_cents == 250000
    assert _logged("decisions.poll_create", poll) is not None
    assert _logged("decisions.option_add", option) is not None
    # Once made, a poll and its options are shown, not changed or deleted: ballots name them.
    assert client.post(_admin_url(Poll, "change", poll.pk), data).status_code == 403
    assert client.post(_admin_url(Poll, "delete", poll.pk), {"post": "yes"}).status_code == 403
    assert PollOption.objects.get(pk=option.pk).title == "Schaukel"


# How each admin that writes does it, checked by what its service does.
WRITES_THROUGH_SERVICES: dict[str, Callable[[Client, type[Model]], None]] = {
    "accounts.user": _accounts_through_their_services,
    "core.municipality": _renamed_and_deleted_through_the_tenant_services,
    "core.neighbourhood": _renamed_and_deleted_through_the_tenant_services,
    "core.department": _renamed_and_deleted_through_the_tenant_services,
    "core.organisation": _renamed_and_deleted_through_the_tenant_services,
    "core.topic": _renamed_and_deleted_through_the_tenant_services,
    "projects.project": _renamed_and_deleted_through_the_tenant_services,
    "decisions.poll": _polls_created_through_the_decision_services,
}


def _writes(model_admin: admin.ModelAdmin, request: Any) -> set[str]:
    """What the admin (and its inline rows) lets a platform admin do besides looking."""
    record = model_admin.model._default_manager.first()
    allowed = {
        action
        for action in ("add", "change", "delete")
        for obj in (None, record)
        if getattr(model_admin, f"has_{action}_permission")(
            request, *([obj] if action != "add" else [])
        )
    }
    for inline in model_admin.get_inline_instances(request, record):
        allowed |= {
            f"inline {action}"
            for action in ("add", "change", "delete")
            if getattr(inline, f"has_{action}_permission")(request, record)
        }
    return allowed


def test_every_admin_writes_through_a_service_or_not_at_all(client, demo_town):
    platform_admin = User.objects.get(email="plattform@koproduktion.example")
    request = RequestFactory().get("/admin/")
    request.user = platform_admin
    writing = {
        model._meta.label_lower: model
        for model, model_admin in admin.site._registry.items()
        if _writes(model_admin, request)
    }
    assert set(writing) == set(WRITES_THROUGH_SERVICES), (
        "an admin that writes must go through a service, checked here; else make it read-only"
    )
    for label, model in writing.items():
        client.force_login(platform_admin)
        WRITES_THROUGH_SERVICES[label](client, model)


def test_roles_are_given_on_the_towns_page_not_in_the_admin(client, platform_admin):
    town = MunicipalityFactory()
    membership = Membership.objects.create(
        user=UserFactory(), municipality=town, role=Role.MODERATOR
    )
    page = client.get(_admin_url(Membership, "change", membership.pk)).content.decode()
    assert 'name="role"' not in page
    assert reverse("roles:list", args=[town.slug]) in page  # "Auf der Website anzeigen"
    assert client.get(_admin_url(Membership, "add")).status_code == 403


def test_people_set_their_own_passwords(client, platform_admin):
    person = UserFactory()
    assert client.get(_admin_url(User, "add")).status_code == 403
    assert client.get(f"/admin/accounts/user/{person.pk}/password/").status_code in (302, 404)
    page = client.get(_admin_url(User, "change", person.pk)).content.decode()
    assert 'name="password' not in page
    assert 'name="email"' not in page
