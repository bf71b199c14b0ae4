"""After logging in or registering, people are back where they were, and nowhere else."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import PASSWORD, person_with_role
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Radweg-am-Fluss-2026"


@pytest.fixture
def project():
    return ProjectFactory()


def _ideas(project) -> str:
    return reverse("ideas:list", args=[project.municipality.slug, project.slug])


def _header_link(html: str, name: str) -> str:
    return re.search(rf'<a href="([^"]+)">{name}</a>', html).group(1).replace("&amp;", "&")


def test_the_log_in_link_of_any_page_leads_back_to_it(client, project):
    html = client.get(_ideas(project) + "?seite=1").content.decode()
    login = _header_link(html, "Anmelden")
    assert parse_qs(urlsplit(login).query)["next"] == [_ideas(project) + "?seite=1"]
    person = person_with_role(project.municipality, Role.RESIDENT)
    response = client.post(login, {"username": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == _ideas(project) + "?seite=1"


def test_the_log_in_page_offers_registration_that_leads_back_too(client, project):
    login = reverse("accounts:login") + "?next=" + _ideas(project)
    html = client.get(login).content.decode()
    register = _header_link(html, "Noch kein Konto\\? Registrieren")
    assert parse_qs(urlsplit(register).query)["next"] == [_ideas(project)]
    # The log-in page's own header does not offer a way back to the log-in page.
    assert "next=%2Fkonto%2Fanmelden" not in html


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)"]
)
def test_a_foreign_next_is_ignored(client, project, target):
    person = person_with_role(project.municipality, Role.RESIDENT)
    response = client.post(
        reverse("accounts:login") + "?next=" + target,
        {"username": person.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert "evil" not in response["Location"]
    assert "javascript" not in response["Location"]


def test_registration_leads_back_through_the_confirmation_mail(
    client, project, django_capture_on_commit_callbacks
):
    back = reverse("ideas:create", args=[project.municipality.slug, project.slug])
    page = client.get(reverse("accounts:register") + "?next=" + back).content.decode()
    assert f'name="next" value="{back}"' in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:register"),
            {
                "email": "neu@example.org",
                "public_name": "Neu in der Stadt",
                "municipality": project.municipality.pk,
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "accept_terms": "on",
                "next": back,
            },
        )
    assert response.status_code == 200
    (message,) = mail.outbox
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    assert parse_qs(urlsplit(link).query)["next"] == [back]

    response = client.get(link)
    assert response.status_code == 302
    login = response["Location"]
    assert parse_qs(urlsplit(login).query)["next"] == [back]
    response = client.post(login, {"username": "neu@example.org", "password": NEW_PASSWORD})
    assert response["Location"] == back


def test_registration_with_a_foreign_next_mails_a_plain_confirmation_link(
    client, project, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:register"),
            {
                "email": "neu@example.org",
                "public_name": "Neu in der Stadt",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "accept_terms": "on",
                "next": "https://evil.example/",
            },
        )
    (message,) = mail.outbox
    assert "evil" not in message.body
    link = re.search(r"http://testserver(/\S+)", message.body).group(1)
    # Also a next added to the mailed link by hand leads only to the log-in.
    response = client.get(link + "?next=https://evil.example/")
    assert response["Location"] == reverse("accounts:login")
