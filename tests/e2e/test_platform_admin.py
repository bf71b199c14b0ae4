"""The pages of Django's admin that platform admins use have no critical accessibility problem:
every input of its forms has a name, also the cells of inline rows and the time beside a date."""

from __future__ import annotations

from playwright.sync_api import expect

from koproduktion.accounts.models import User
from koproduktion.core.models import Department, Membership, Municipality
from koproduktion.decisions.models import Poll
from koproduktion.projects.models import Project

CRITICAL = ("critical",)


def test_the_admins_forms_name_every_input(demo_town, visitor):
    visitor.log_in("plattform@koproduktion.example", then="/")
    project = Project.objects.get(
        municipality__slug="musterstadt", slug="fahrradstrasse-hafenallee"
    )
    town = Municipality.objects.get(slug="musterstadt")
    person = User.objects.get(email="buergerin@musterstadt.example")
    pages = [
        "/admin/",
        "/admin/projects/project/",
        f"/admin/projects/project/{project.pk}/change/",
        "/admin/projects/project/add/",
        "/admin/decisions/poll/add/",
        f"/admin/decisions/poll/{Poll.objects.filter(municipality=town).first().pk}/change/",
        f"/admin/core/municipality/{town.pk}/change/",
        f"/admin/core/department/{Department.objects.filter(municipality=town).first().pk}/change/",
        f"/admin/core/membership/{Membership.objects.filter(municipality=town).first().pk}/change/",
        f"/admin/accounts/user/{person.pk}/change/",
        "/admin/accounts/user/",
    ]
    for path in pages:
        page = visitor.page
        page.goto(visitor.base_url + path)
        visitor.check(impacts=CRITICAL)
        expect(page.locator("#content")).to_be_visible()

    # A new row of the project's timeline: its inputs are named by their column.
    page = visitor.page
    page.goto(visitor.base_url + f"/admin/projects/project/{project.pk}/change/")
    page.get_by_text("Phase hinzufügen").click()
    visitor.check(impacts=CRITICAL)
    added = page.locator("tr.dynamic-phases").last
    expect(added.get_by_label("Beginn")).to_be_visible()
    expect(added.get_by_label("Phase", exact=True)).to_be_visible()
