"""Pages kept whole for everyone logged in, with each person's own parts filled in
(``core.layout``); the project and the idea read from what a process keeps
(``published_project_get``, ``idea_get``); sessions and the person read with one query each
(``accounts.sessions``, ``accounts.backends``)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.middleware.csrf import _does_token_match, _get_new_csrf_string
from django.test import Client, RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from koproduktion.accounts import backends
from koproduktion.accounts.sessions import SessionStore
from koproduktion.core.layout import member_page
from koproduktion.core.page_cache import confirm_query
from koproduktion.core.roles import Role
from koproduktion.core.services import municipality_two_factor_set
from koproduktion.core.tests.factories import MunicipalityFactory, person_with_role
from koproduktion.council.services import municipality_council_recording_set
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_support, idea_update
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.moderation.services import community_rules_set
from koproduktion.notifications.models import Kind
from koproduktion.notifications.services import follow, notify
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.services import project_update
from koproduktion.projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def project():
    project = ProjectFactory(phase=PhaseKind.DIALOGUE)
    IdeaFactory.create_batch(3, project=project)
    return project


def _list_url(project) -> str:
    return reverse("ideas:list", args=[project.municipality.slug, project.slug])


def _client(person) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(person)
    return client


def _rendered(response) -> set[str]:
    return {template.name for template in response.templates}


def test_the_idea_list_is_kept_for_people_logged_in_with_their_own_header_and_button(project):
    resident = resident_of(project)
    # A moderator of another town: a link of their own in the header, and no right to post here.
    moderator = person_with_role(MunicipalityFactory(), Role.MODERATOR)
    notify(
        user_ids=[resident.pk],
        municipality_id=project.municipality_id,
        kind=Kind.REPLY,
        message="Antwort auf Ihren Kommentar",
        url="/",
    )
    first = _client(resident).get(_list_url(project))
    assert "ideas/idea_list.html" in _rendered(first)
    page = first.content.decode()
    assert "Idee einbringen" in page
    assert '<span class="badge">1<' in page
    assert "Moderation" not in page

    # The moderator's page is the resident's, kept, with the moderator's parts filled in.
    second = _client(moderator).get(_list_url(project))
    assert "ideas/idea_list.html" not in _rendered(second)
    assert "ideas/_contribute.html" in _rendered(second)
    page = second.content.decode()
    assert "Moderation" in page
    assert '<span class="badge">1<' not in page
    assert "Idee einbringen" not in page
    assert "<!--" not in page.split("<main", 1)[0]  # no hole left in the header
    assert page.count("Ideen zu „") == 1


def test_the_logout_form_of_a_kept_page_holds_the_persons_own_token(project):
    first, second = resident_of(project), resident_of(project)
    stranger = _client(first)
    stranger.get(_list_url(project))  # keeps the page, and gives the stranger a token of theirs
    client = _client(second)
    token = TOKEN.search(client.get(_list_url(project)).content.decode())[1]
    assert (
        stranger.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token}).status_code == 403
    )
    # The token works for the person whose page it is: they are logged out.
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 302


def _with_message(client: Client, text: str) -> None:
    """A message waiting for the person's next page, as a view leaves it (in the cookie)."""
    storage = CookieStorage(HttpRequest())
    client.cookies[storage.cookie_name] = storage._encode([Message(constants.SUCCESS, text)])


def test_a_message_shows_to_its_person_only(project):
    first, second = _client(resident_of(project)), _client(resident_of(project))
    first.get(_list_url(project))
    _with_message(second, "Ihre Unterstützung ist gespeichert.")
    assert "Ihre Unterstützung ist gespeichert." in second.get(_list_url(project)).content.decode()
    assert (
        "Ihre Unterstützung ist gespeichert." not in first.get(_list_url(project)).content.decode()
    )
    assert "Ihre Unterstützung" not in second.get(_list_url(project)).content.decode()


def test_a_change_of_the_project_shows_on_the_next_page(project):
    client = _client(resident_of(project))
    assert "Ideen zu „" in client.get(_list_url(project)).content.decode()
    project_update(project=project, title="Neuer Titel für den Platz")
    assert "Ideen zu „Neuer Titel für den Platz“" in client.get(_list_url(project)).content.decode()


def test_town_settings_that_change_what_pages_allow_raise_the_towns_version():
    """Pages read the town as kept per its version: every setting must raise it."""
    town = MunicipalityFactory()
    admin = person_with_role(town, Role.ADMIN)
    before = town.content_version
    municipality_council_recording_set(actor=admin, municipality=town, allowed=True)
    town.refresh_from_db()
    assert town.content_version > before
    before = town.content_version
    community_rules_set(actor=admin, municipality=town, text="Freundlich bleiben.", summary="Nett.")
    town.refresh_from_db()
    assert town.content_version > before
    # Last: from now on the admin, without a second factor, is one no longer.
    before = town.content_version
    municipality_two_factor_set(actor=admin, municipality=town, required=True)
    town.refresh_from_db()
    assert town.content_version > before


def test_an_edited_idea_shows_on_its_page_at_once(project):
    author = resident_of(project)
    idea = IdeaFactory(project=project, author=author, title="Bänke am Ufer", text="Mehr Bänke.")
    client = _client(resident_of(project))
    url = reverse("ideas:detail", args=[project.municipality.slug, project.slug, idea.pk])
    assert "Bänke am Ufer" in client.get(url).content.decode()
    idea_update(actor=author, idea=idea, title="Schattige Bänke am Ufer", text="Mehr Bänke.")
    assert "Schattige Bänke am Ufer" in client.get(url).content.decode()


def test_an_expired_session_logs_nobody_in(project):
    client = _client(resident_of(project))
    assert client.get(reverse("accounts:profile")).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def _session_of(person, backend: str) -> Client:
    """A client with a session made as a log-in makes it, naming ``backend``."""
    store = SessionStore()
    store[SESSION_KEY] = str(person.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = person.get_session_auth_hash()
    store.save()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = store.session_key
    return client


@pytest.mark.parametrize("backend", [backends.DJANGO_PATH, backends.PATH])
def test_sessions_made_before_and_after_the_backend_was_renamed_stay_logged_in(backend, project):
    person = resident_of(project)
    client = _session_of(person, backend)
    assert client.get(reverse("accounts:profile")).status_code == 200
    person.is_active = False
    person.save(update_fields=["is_active"])
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_a_log_in_names_the_backend_of_the_platform(client, project):
    person = resident_of(project, password="ein-langes-Passwort-1")
    response = client.post(
        reverse("accounts:login"), {"username": person.email, "password": "ein-langes-Passwort-1"}
    )
    assert response.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == backends.PATH
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_page_with_a_form_of_its_own_is_rendered_for_each_person(settings, tmp_path, project):
    """A token in the page itself (not a hole) belongs to one person: such a page is not kept."""
    (tmp_path / "own_form.html").write_text(
        '{% extends "base.html" %}{% block content %}<form method="post">{% csrf_token %}'
        "{{ greeting }}</form>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    pages = []
    for person in (resident_of(project), resident_of(project)):
        request = RequestFactory().get(_list_url(project))
        request.user, request.session = person, SessionStore()
        request.resolver_match = resolve(request.path)
        request.META["CSRF_COOKIE"] = _get_new_csrf_string()
        request.LANGUAGE_CODE = "de"
        request._messages = FallbackStorage(request)
        confirm_query(request)
        response = member_page(
            request,
            "own_form.html",
            {},
            version="1",
            query=(),
            personal={"greeting": lambda person=person: f"Hallo {person.pk}"},
        )
        token = TOKEN.findall(response.content.decode())[-1]
        assert _does_token_match(token, request.META["CSRF_COOKIE"])
        pages.append(response.content.decode())
    assert pages[0] != pages[1]


def _idea_url(idea) -> str:
    return reverse(
        "ideas:detail", args=[idea.project.municipality.slug, idea.project.slug, idea.pk]
    )


def test_an_idea_page_is_kept_for_people_logged_in_with_their_own_buttons(project):
    idea = Idea.objects.filter(project=project).first()
    supporter, other = resident_of(project), resident_of(project)
    idea_support(actor=supporter, idea=idea)
    follow(user=supporter, idea=idea)

    first = _client(supporter).get(_idea_url(idea))
    assert "ideas/idea_detail.html" in _rendered(first)
    page = first.content.decode()
    assert "Unterstützung zurücknehmen" in page
    assert "Nicht mehr folgen" in page
    assert "1 Unterstützung<" in page

    # The next person gets the page kept, with their own buttons and their own form tokens.
    client = _client(other)
    second = client.get(_idea_url(idea))
    assert "ideas/idea_detail.html" not in _rendered(second)
    page = second.content.decode()
    assert "Idee unterstützen" in page
    assert "Unterstützung zurücknehmen" not in page
    assert ">Folgen<" in page
    assert "Kommentar veröffentlichen" in page
    assert "<!--" not in page.split("<main", 1)[0]
    assert "{form-token}" not in page
    tokens = set(TOKEN.findall(page))
    assert all(_does_token_match(token, client.cookies["csrftoken"].value) for token in tokens)

    # Both of their forms work with what the kept page holds: the support and the comment.
    url = reverse("ideas:support", args=[project.municipality.slug, project.slug, idea.pk])
    assert client.post(url, {"csrfmiddlewaretoken": tokens.pop()}).status_code == 302
    page = client.get(_idea_url(idea)).content.decode()
    assert "2 Unterstützungen<" in page
    assert "Unterstützung zurücknehmen" in page
    comment = reverse("ideas:comment", args=[project.municipality.slug, project.slug, idea.pk])
    answer = client.post(
        comment,
        {"csrfmiddlewaretoken": TOKEN.search(page)[1], "text": "Gute Idee!", "stance": "pro"},
    )
    assert answer.status_code == 302
    assert "Gute Idee!" in client.get(_idea_url(idea)).content.decode()
    # The first person's buttons are still theirs.
    page = _client(supporter).get(_idea_url(idea)).content.decode()
    assert "Nicht mehr folgen" in page
    assert "Unterstützung zurücknehmen" in page


def test_staff_get_an_idea_page_with_their_forms_rendered_for_them(project):
    idea = Idea.objects.filter(project=project).first()
    _client(resident_of(project)).get(_idea_url(idea))  # the page kept for residents
    staff = person_with_role(project.municipality, Role.COORDINATION)
    response = _client(staff).get(_idea_url(idea))
    assert "ideas/idea_detail.html" in _rendered(response)
    assert "Status ändern" in response.content.decode()
    assert (
        "Status ändern" not in _client(resident_of(project)).get(_idea_url(idea)).content.decode()
    )
