"""The department inbox: what staff see, answering and changing a status in place."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    DepartmentFactory,
    MunicipalityFactory,
    NeighbourhoodFactory,
    person_with_role,
)
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import IdeaStatus, IdeaStatusChange
from koproduktion.ideas.services import idea_withdraw
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.routing.models import Assignment

from .factories import answered, asked, assignment_of, posted_idea, received_days_ago, staff_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    municipality = MunicipalityFactory(answer_within_days=14)
    lead = DepartmentFactory(municipality=municipality, name="Stadtplanung")
    other = DepartmentFactory(municipality=municipality, name="Verkehr")
    project = ProjectFactory(municipality=municipality, department=lead, phase=PhaseKind.DIALOGUE)
    return municipality, project, lead, other


def _inbox(municipality, **query):
    url = reverse("routing:inbox", args=[municipality.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _row(assignment) -> str:
    return f'id="eintrag-{assignment.pk}"'


def test_staff_see_what_awaits_their_department_oldest_first_with_its_age(client, town):
    municipality, project, lead, other = town
    newer = assignment_of(posted_idea(project, title="Neuere Idee am Markt"))
    older = received_days_ago(assignment_of(posted_idea(project, title="Ältere Idee")), 20)
    question = asked(posted_idea(project, title="Idee mit Frage"))
    elsewhere = assignment_of(posted_idea(project, title="Idee des Verkehrs"))
    Assignment.objects.filter(pk=elsewhere.pk).update(department=other)
    done = posted_idea(project, title="Schon beantwortet")
    staff = staff_in(lead)
    answered(done, staff)
    withdrawn = posted_idea(project, title="Zurückgezogene Idee")
    idea_withdraw(actor=withdrawn.author, idea=withdrawn)
    client.force_login(staff)

    page = client.get(_inbox(municipality)).content.decode()

    assert page.index(_row(older)) < page.index(_row(newer))
    assert "seit 20 Tagen offen" in page
    assert "überfällig" in page
    assert "Wann geht es damit los?" in page
    assert f"#kommentar-{question.pk}" in page
    for hidden in ("Idee des Verkehrs", "Schon beantwortet", "Zurückgezogene Idee"):
        assert hidden not in page
    assert "4 Beiträge warten auf eine offizielle Antwort" in page  # 3 ideas and the question


def test_the_filters_narrow_the_list(client, town):
    municipality, project, lead, _other = town
    north = NeighbourhoodFactory(municipality=municipality, slug="nord")
    second = ProjectFactory(municipality=municipality, department=lead)
    in_north = assignment_of(posted_idea(project, neighbourhood=north, title="Im Norden"))
    old = received_days_ago(assignment_of(posted_idea(second, title="Sehr alte Idee")), 30)
    question_idea = posted_idea(second, title="Idee zur Frage")
    question = assignment_of(question_idea, asked(question_idea))
    client.force_login(staff_in(lead))

    def shown(**query):
        page = client.get(_inbox(municipality, **query)).content.decode()
        return {a.pk for a in (in_north, old, question) if _row(a) in page}

    assert shown(quartier="nord") == {in_north.pk}
    assert shown(vorhaben=second.pk) == {old.pk, question.pk}
    assert shown(art="question") == {question.pk}
    assert shown(ueberfaellig=1) == {old.pk}


def test_a_bad_filter_filters_nothing_and_says_why(client, town):
    municipality, project, lead, _other = town
    posted_idea(project)
    client.force_login(staff_in(lead))
    response = client.get(_inbox(municipality, vorhaben="999999", art="quatsch"))
    assert response.status_code == 200
    assert response.content.decode().count('class="errorlist"') == 2
    assert "1 Beitrag wartet" in response.content.decode()


def test_the_coordination_sees_every_department_and_what_has_none(client, town):
    municipality, project, _lead, other = town
    of_other = assignment_of(posted_idea(project))
    Assignment.objects.filter(pk=of_other.pk).update(department=other)
    unrouted = assignment_of(posted_idea(project))
    Assignment.objects.filter(pk=unrouted.pk).update(department=None)
    mine = assignment_of(posted_idea(project))
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    page = client.get(_inbox(municipality)).content.decode()
    assert all(_row(a) in page for a in (of_other, unrouted, mine))
    page = client.get(_inbox(municipality, fachbereich="ohne")).content.decode()
    assert _row(unrouted) in page
    assert _row(mine) not in page


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.COUNCIL, Role.STAFF])
def test_people_without_an_inbox_there_are_refused(client, town, role):
    municipality, project, _lead, _other = town
    assignment = assignment_of(posted_idea(project))
    # Staff without a department, and everyone of another town, have no inbox here.
    client.force_login(person_with_role(municipality, role))
    assert client.get(_inbox(municipality)).status_code == 403
    client.force_login(staff_in(DepartmentFactory()))
    assert client.get(_inbox(municipality)).status_code == 403
    response = client.post(
        reverse("routing:answer", args=[municipality.slug, assignment.pk]),
        {"text": "Von woanders geantwortet."},
    )
    assert response.status_code == 403
    assert not Comment.objects.filter(is_official=True).exists()


def test_another_towns_staff_cannot_act_on_an_item_through_their_own_town(client, town):
    _municipality, project, _lead, _other = town
    assignment = assignment_of(posted_idea(project))
    foreign = DepartmentFactory()
    client.force_login(staff_in(foreign))
    response = client.post(
        reverse("routing:status", args=[foreign.municipality.slug, assignment.pk]),
        {"status": IdeaStatus.REJECTED, "reason": "Nein."},
    )
    assert response.status_code == 404
    assert not IdeaStatusChange.objects.exists()


def test_answering_in_place_publishes_an_official_answer_and_clears_the_item(client, town):
    municipality, project, lead, _other = town
    idea = posted_idea(project)
    assignment = assignment_of(idea)
    client.force_login(staff_in(lead))
    response = client.post(
        reverse("routing:answer", args=[municipality.slug, assignment.pk]),
        {"text": "Wir prüfen das bis Ende Mai.", "filter": "art=idea&seite=1&evil=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == _inbox(municipality, art="idea", seite=1)
    answer = Comment.objects.get(is_official=True)
    assert (answer.idea, answer.parent, answer.text) == (idea, None, "Wir prüfen das bis Ende Mai.")
    assignment.refresh_from_db()
    assert assignment.answer == answer
    assert _row(assignment) not in client.get(_inbox(municipality)).content.decode()


def test_answering_a_question_replies_to_it(client, town):
    municipality, project, lead, _other = town
    idea = posted_idea(project)
    question = asked(idea)
    assignment = assignment_of(idea, question)
    client.force_login(staff_in(lead))
    client.post(
        reverse("routing:answer", args=[municipality.slug, assignment.pk]),
        {"text": "Im Mai geht es los."},
    )
    assert Comment.objects.get(is_official=True).parent == question
    assignment.refresh_from_db()
    assert assignment.answered_at is not None
    assert assignment_of(idea).answered_at is None


def test_a_refused_answer_keeps_the_text_and_says_why_next_to_the_field(client, town):
    municipality, project, lead, _other = town
    assignment = assignment_of(posted_idea(project))
    client.force_login(staff_in(lead))
    response = client.post(
        reverse("routing:answer", args=[municipality.slug, assignment.pk]),
        {"text": "<b>Fett</b> geantwortet"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "&lt;b&gt;Fett&lt;/b&gt; geantwortet</textarea>" in page
    assert f'id="answer-text-{assignment.pk}-errors"' in page
    assert (
        f'aria-describedby="answer-text-{assignment.pk}-errors answer-text-{assignment.pk}-limit '
        f'answer-text-{assignment.pk}_lesbarkeit"' in page
    )
    assert not Comment.objects.filter(is_official=True).exists()


def test_checking_an_answers_readability_shows_its_figures_and_publishes_nothing(client, town):
    municipality, project, lead, _other = town
    municipality.min_readability = 60
    municipality.save(update_fields=["min_readability"])
    assignment = assignment_of(posted_idea(project))
    client.force_login(staff_in(lead))
    text = (
        "Die Verwaltungsvorschriftenkonformitätsprüfung der beantragten Verkehrsberuhigungs"
        "maßnahme erfordert unter Berücksichtigung sämtlicher planungsrechtlicher "
        "Rahmenbedingungen eine umfangreiche gutachterliche Stellungnahmeerarbeitung."
    )
    response = client.post(
        reverse("routing:answer", args=[municipality.slug, assignment.pk]),
        {"text": text, "pruefen": "1"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{text}</textarea>" in page  # as typed, in its open form
    assert "Lesbarkeit:" in page
    assert "Die Kommune verlangt mindestens 60: So wird der Text nicht veröffentlicht." in page
    assert "Lesbarkeit prüfen" in page
    assert not Comment.objects.filter(is_official=True).exists()
    assignment.refresh_from_db()
    assert assignment.answered_at is None


def test_a_status_change_without_its_reason_keeps_the_chosen_status(client, town):
    municipality, project, lead, _other = town
    idea = posted_idea(project)
    assignment = assignment_of(idea)
    client.force_login(staff_in(lead))
    response = client.post(
        reverse("routing:status", args=[municipality.slug, assignment.pk]),
        {"status": IdeaStatus.REJECTED, "reason": "  "},
    )
    assert response.status_code == 400
    page = response.content.decode()
    row = page[page.index(_row(assignment)) :]
    assert f'<option value="{IdeaStatus.REJECTED}" selected>' in row
    assert f'<option value="{IdeaStatus.NEW}" selected>' not in row
    errors = f'id="status-reason-{assignment.pk}-errors"'
    assert errors in row
    assert "Bitte begründen Sie diesen Status öffentlich." in row[row.index(errors) :][:300]
    assert f'href="#status-reason-{assignment.pk}"' in page  # the summary leads to the field
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW
    assert not IdeaStatusChange.objects.exists()


def test_a_status_change_with_its_reason_is_stored_and_told(client, town):
    municipality, project, lead, _other = town
    idea = posted_idea(project)
    assignment = assignment_of(idea)
    client.force_login(staff_in(lead))
    response = client.post(
        reverse("routing:status", args=[municipality.slug, assignment.pk]),
        {"status": IdeaStatus.REJECTED, "reason": "Der Platz gehört dem Land."},
    )
    assert response.status_code == 302
    change = IdeaStatusChange.objects.get()
    assert (change.new_status, change.reason) == (IdeaStatus.REJECTED, "Der Platz gehört dem Land.")


def test_reassigning_asks_for_a_reason_and_moves_the_item(client, town):
    municipality, project, lead, other = town
    assignment = assignment_of(posted_idea(project))
    client.force_login(staff_in(lead))
    url = reverse("routing:reassign", args=[municipality.slug, assignment.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"department": other.pk, "reason": ""})
    assert response.status_code == 400
    assert 'id="id_reason_errors"' in response.content.decode()
    assert f'<option value="{other.pk}" selected>' in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.department == lead
    response = client.post(url, {"department": other.pk, "reason": "Es geht um eine Ampel."})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.department, assignment.reason) == (other, "Es geht um eine Ampel.")


def _queries(client, url, *, fresh: bool = True) -> int:
    if fresh:
        cache.clear()  # the inbox's list and the header's count are cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_inbox_costs_the_same_queries_for_few_or_many_items(client, town):
    municipality, project, lead, _other = town
    small = MunicipalityFactory()
    small_department = DepartmentFactory(municipality=small)
    small_project = ProjectFactory(municipality=small, department=small_department)
    for _ in range(2):
        posted_idea(small_project)
    for index in range(25):
        idea = posted_idea(project)
        if index % 5 == 0:
            asked(idea)
    few, many = staff_in(small_department), staff_in(lead)
    client.force_login(few)
    client.get(_inbox(small))
    count_few = _queries(client, _inbox(small))
    client.force_login(many)
    client.get(_inbox(municipality))
    assert _queries(client, _inbox(municipality)) == count_few
    assert _queries(client, _inbox(municipality, seite=2)) == count_few
    # Served again from the cache: the session (cached again), the person's roles and blocks,
    # their count of unread notices, the list, its count, the header's count and the filters'
    # choices (departments, projects, neighbourhoods) are not asked.
    assert _queries(client, _inbox(municipality, seite=2), fresh=False) == count_few - 8


def test_a_cached_inbox_shows_a_change_at_once_and_each_person_their_own_token(client, town):
    municipality, project, lead, other = town
    first = assignment_of(posted_idea(project))
    staff = staff_in(lead)
    client.force_login(staff)
    page = client.get(_inbox(municipality)).content.decode()
    assert _row(first) in page
    assert "<!--csrf-->" not in page
    assert f'value="{client.cookies["csrftoken"].value}"' not in page  # masked, as Django does
    second = assignment_of(posted_idea(project))
    page = client.get(_inbox(municipality)).content.decode()
    assert _row(second) in page
    client.force_login(staff_in(other))
    assert _row(first) not in client.get(_inbox(municipality)).content.decode()
    client.force_login(staff)
    answer = client.post(
        reverse("routing:answer", args=[municipality.slug, first.pk]), {"text": "Erledigt."}
    )
    assert answer.status_code == 302
    assert _row(first) not in client.get(_inbox(municipality)).content.decode()


def test_the_header_shows_staff_their_inbox_and_moderators_their_queue(client, town):
    municipality, project, lead, _other = town
    posted_idea(project)
    posted_idea(project)
    client.force_login(staff_in(lead))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{_inbox(municipality)}">Posteingang <span class="badge">2<' in page
    client.force_login(person_with_role(municipality, Role.MODERATOR))
    page = client.get(reverse("accounts:profile")).content.decode()
    assert "Posteingang" not in page
    assert reverse("moderation:queue", args=[municipality.slug]) in page


def _tables_asked(client, url) -> str:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return " ".join(query["sql"] for query in queries)


def test_residents_and_visitors_pay_nothing_for_the_workspaces(client, town):
    municipality, project, lead, _other = town
    posted_idea(project)
    town_page = reverse("projects:municipality", args=[municipality.slug])
    for person in (person_with_role(municipality, Role.RESIDENT), None):
        if person:
            client.force_login(person)
        else:
            client.logout()
        for url in (town_page, reverse("home")):
            asked = _tables_asked(client, url)
            assert "routing_assignment" not in asked
            assert "moderation_report" not in asked
    client.force_login(staff_in(lead))
    assert _tables_asked(client, reverse("home")).count("routing_assignment") == 1


def test_the_towns_page_links_what_residents_can_use(client, town):
    municipality = town[0]
    page = client.get(reverse("projects:municipality", args=[municipality.slug])).content.decode()
    for name in ("sponsorships:list", "accountability:town", "routing:response_times"):
        assert f'href="{reverse(name, args=[municipality.slug])}"' in page
    assert _inbox(municipality) not in page
    client.force_login(person_with_role(municipality, Role.COORDINATION))
    page = client.get(reverse("projects:municipality", args=[municipality.slug])).content.decode()
    assert f'href="{_inbox(municipality)}"' in page


def test_the_admins_idea_page_leads_to_the_public_page(client, town):
    from koproduktion.core.tests.factories import UserFactory  # noqa: PLC0415
    from koproduktion.ideas.services import idea_url  # noqa: PLC0415

    _m, project, _lead, _other = town
    idea = posted_idea(project)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    response = client.get(reverse("admin:ideas_idea_change", args=[idea.pk]))
    assert response.status_code == 200
    assert f'href="{idea_url(idea)}"' in response.content.decode()


def test_the_idea_page_keeps_the_chosen_status_when_the_reason_is_missing(client, town):
    from koproduktion.ideas.services import idea_url  # noqa: PLC0415

    municipality, project, lead, _other = town
    idea = posted_idea(project)
    client.force_login(staff_in(lead))
    response = client.post(
        reverse("ideas:status", args=[municipality.slug, project.slug, idea.pk]),
        {"status": IdeaStatus.ACCEPTED, "reason": ""},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'<option value="{IdeaStatus.ACCEPTED}" selected>' in page
    assert 'id="id_reason_errors"' in page
    assert "Bitte begründen Sie diesen Status öffentlich." in page
    assert f'action="{idea_url(idea)}status/#status"' in page
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.NEW


@pytest.mark.parametrize("query", [{"vorhaben": "999999"}, {"seite": "77"}, {"seite": "01"}])
def test_made_up_addresses_are_rendered_but_not_kept(client, town, query):
    municipality, project, lead, _other = town
    posted_idea(project)
    client.force_login(staff_in(lead))
    url, valid = _inbox(municipality, **query), _inbox(municipality)
    client.get(url)
    client.get(valid)
    # The list is asked again for the made-up address; the real one comes from the cache.
    assert _queries(client, url, fresh=False) > _queries(client, valid, fresh=False)
