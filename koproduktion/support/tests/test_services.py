"""Setting up, changing, archiving and linking offers: every refusal names its field and stores
nothing; a project's cached page learns of every change it shows."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from koproduktion.core.models import AuditEntry
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import (
    MunicipalityFactory,
    NeighbourhoodFactory,
    person_with_role,
)
from koproduktion.initiatives.tests.factories import initiative, resident
from koproduktion.projects.models import Project
from koproduktion.projects.tests.factories import ProjectFactory
from koproduktion.projects.tests.factories import staff_of as project_staff

from .. import services
from ..models import BuildingBlock, OfferState, SupportLink, SupportOffer
from .factories import (
    DepartmentFactory,
    coordination_of,
    expire,
    funding,
    in_days,
    offer,
    staff_of,
)

pytestmark = pytest.mark.django_db


def _refused(field: str, **fields) -> str:
    town = fields.pop("town", None) or MunicipalityFactory()
    with pytest.raises(ValidationError) as refused:
        offer(town, **fields)
    assert not SupportOffer.objects.exists()
    assert field in refused.value.message_dict, refused.value.message_dict
    return " ".join(refused.value.message_dict[field])


def test_the_description_is_stored_rendered_and_sanitised():
    made = offer(description="**Wichtig** [klick](javascript:alert(1))")
    assert "<strong>Wichtig</strong>" in made.description_html
    assert "javascript" not in made.description_html
    assert made.created_by is not None


def test_html_in_the_description_is_refused_at_the_field():
    assert "HTML" in _refused("description", description="<script>alert(1)</script>")


def test_a_deadline_in_the_past_is_refused():
    assert "Vergangenheit" in _refused("deadline", deadline=in_days(-1))


def test_today_is_still_a_deadline():
    assert offer(deadline=in_days(0)).days_left() == 0


def test_an_amount_on_an_offer_that_is_not_funding_is_refused():
    message = _refused("amount_max_cents", building_block=BuildingBlock.ADVICE, amount_max_cents=1)
    assert "nur bei Förderangeboten" in message
    _refused("amount_min_cents", building_block=BuildingBlock.NETWORKING, amount_min_cents=100)


def test_a_negative_amount_is_refused():
    assert "negativ" in _refused(
        "amount_min_cents", building_block=BuildingBlock.FUNDING, amount_min_cents=-100
    )


def test_a_minimum_above_the_maximum_is_refused():
    message = _refused(
        "amount_max_cents",
        building_block=BuildingBlock.FUNDING,
        amount_min_cents=5000,
        amount_max_cents=100,
    )
    assert "Mindestbetrag" in message


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("contact_email", "keine-adresse"),
        ("contact_phone", "ruf an"),
        ("contact_url", "javascript:alert(1)"),
        ("contact_url", "ftp://example.org/"),
    ],
)
def test_the_contact_is_validated(field, value):
    _refused(field, **{field: value})


def test_funding_up_to_an_amount_and_from_to():
    assert funding(amount_min_cents=None, amount_max_cents=500000).has_amount
    made = funding(amount_min_cents=100000, amount_max_cents=100000)
    assert made.amount_min_cents == made.amount_max_cents


def test_staff_set_up_offers_for_their_own_department_only():
    town = MunicipalityFactory()
    own, other = DepartmentFactory(municipality=town), DepartmentFactory(municipality=town)
    person = staff_of(own)
    assert offer(town, actor=person, department=own).department == own
    with pytest.raises(ValidationError) as refused:
        offer(town, actor=person, department=other)
    assert "department" in refused.value.message_dict
    with pytest.raises(ValidationError):
        offer(town, actor=person)  # none: nobody of theirs would keep it
    assert SupportOffer.objects.count() == 1


@pytest.mark.parametrize("role", [Role.RESIDENT, Role.MODERATOR, Role.COUNCIL, None])
def test_who_is_not_staff_sets_up_no_offer(role):
    town = MunicipalityFactory()
    with pytest.raises(PermissionDenied):
        offer(town, actor=person_with_role(town, role))
    assert not SupportOffer.objects.exists()


def test_a_neighbourhood_of_another_town_is_refused():
    town = MunicipalityFactory()
    with pytest.raises(ValidationError) as refused:
        offer(town, neighbourhoods=[NeighbourhoodFactory()])
    assert "neighbourhoods" in refused.value.message_dict
    assert not SupportOffer.objects.exists()


def test_changing_the_deadline_into_the_past_is_refused_and_nothing_changes():
    made = funding()
    actor = coordination_of(made.municipality)
    with pytest.raises(ValidationError) as refused:
        services.support_offer_update(
            actor=actor, offer=made, title="Neuer Titel", deadline=in_days(-2)
        )
    assert "deadline" in refused.value.message_dict
    made.refresh_from_db()
    assert made.title == "Verfügungsfonds"
    assert made.deadline == in_days(30)


def test_an_offer_whose_deadline_passed_can_still_be_corrected():
    made = expire(funding())
    services.support_offer_update(
        actor=coordination_of(made.municipality), offer=made, title="Verfügungsfonds 2026"
    )
    made.refresh_from_db()
    assert made.title == "Verfügungsfonds 2026"


def test_an_amount_added_to_advice_on_update_is_refused():
    made = offer()
    with pytest.raises(ValidationError) as refused:
        services.support_offer_update(
            actor=coordination_of(made.municipality), offer=made, amount_max_cents=100
        )
    assert "amount_max_cents" in refused.value.message_dict


def test_staff_of_another_department_change_nothing():
    town = MunicipalityFactory()
    own = DepartmentFactory(municipality=town)
    made = offer(town, department=own)
    stranger = staff_of(DepartmentFactory(municipality=town))
    with pytest.raises(PermissionDenied):
        services.support_offer_update(actor=stranger, offer=made, title="Gekapert")
    assert services.support_offer_update(actor=staff_of(own), offer=made, title="Neu").title == (
        "Neu"
    )


def test_staff_cannot_hand_an_offer_to_a_department_not_theirs():
    town = MunicipalityFactory()
    own = DepartmentFactory(municipality=town)
    made = offer(town, department=own)
    with pytest.raises(ValidationError) as refused:
        services.support_offer_update(
            actor=staff_of(own), offer=made, department=DepartmentFactory(municipality=town)
        )
    assert "department" in refused.value.message_dict


def test_archiving_and_bringing_back():
    made = offer()
    actor = coordination_of(made.municipality)
    services.support_offer_archive(actor=actor, offer=made)
    assert made.state == OfferState.ARCHIVED
    with pytest.raises(ValidationError):
        services.support_offer_archive(actor=actor, offer=made)
    services.support_offer_archive(actor=actor, offer=made, archived=False)
    assert made.state == OfferState.PUBLISHED
    assert AuditEntry.objects.filter(action="support.support_offer_archive").count() == 2


def test_a_resident_archives_nothing():
    made = offer()
    with pytest.raises(PermissionDenied):
        services.support_offer_archive(actor=resident(made.municipality), offer=made)


# --- links ----------------------------------------------------------------------------------


def _project_and_manager(town):
    project = ProjectFactory(municipality=town)
    return project, project_staff(project)


def test_a_project_manager_links_an_offer_and_the_cached_page_learns_of_it():
    made = funding()
    project, manager = _project_and_manager(made.municipality)
    version = project.content_version
    link = services.support_link_create(
        actor=manager, offer=made, project=project, note="  Antrag gestellt "
    )
    assert link.note == "Antrag gestellt"
    assert link.linked_by == manager
    assert Project.objects.get(pk=project.pk).content_version > version
    # The administration's log holds a project's link; an initiative's is the initiators' own.
    assert AuditEntry.objects.filter(action="support.support_link_create").count() == 1


def test_an_initiator_links_an_offer_to_the_initiative_unlogged():
    made = funding()
    theirs = initiative(made.municipality)
    link = services.support_link_create(
        actor=theirs.created_by, offer=made, initiative=theirs, note=""
    )
    assert link.initiative == theirs
    assert not AuditEntry.objects.filter(action="support.support_link_create").exists()


def test_linking_an_offer_whose_deadline_passed_is_refused_at_the_field():
    made = expire(funding())
    theirs = initiative(made.municipality)
    with pytest.raises(ValidationError) as refused:
        services.support_link_create(actor=theirs.created_by, offer=made, initiative=theirs)
    assert refused.value.message_dict["offer"] == ["Die Frist dieses Angebots ist abgelaufen."]
    assert not SupportLink.objects.exists()


@pytest.mark.parametrize("state", [OfferState.DRAFT, OfferState.ARCHIVED])
def test_an_offer_outside_the_catalogue_cannot_be_linked(state):
    made = offer()
    SupportOffer.objects.filter(pk=made.pk).update(state=state)
    made.refresh_from_db()
    theirs = initiative(made.municipality)
    with pytest.raises(ValidationError) as refused:
        services.support_link_create(actor=theirs.created_by, offer=made, initiative=theirs)
    assert "offer" in refused.value.message_dict
    assert not SupportLink.objects.exists()


def test_an_offer_of_another_town_cannot_be_linked():
    made = offer()
    theirs = initiative()
    with pytest.raises(ValidationError):
        services.support_link_create(actor=theirs.created_by, offer=made, initiative=theirs)
    assert not SupportLink.objects.exists()


def test_linking_twice_is_refused():
    made = offer()
    theirs = initiative(made.municipality)
    services.support_link_create(actor=theirs.created_by, offer=made, initiative=theirs)
    with pytest.raises(ValidationError) as refused:
        services.support_link_create(actor=theirs.created_by, offer=made, initiative=theirs)
    assert "schon verknüpft" in refused.value.message_dict["offer"][0]
    assert SupportLink.objects.count() == 1


def test_who_does_not_run_it_links_nothing():
    made = offer()
    theirs = initiative(made.municipality)
    project = ProjectFactory(municipality=made.municipality)
    neighbour = resident(made.municipality)
    with pytest.raises(PermissionDenied):
        services.support_link_create(actor=neighbour, offer=made, initiative=theirs)
    with pytest.raises(PermissionDenied):
        services.support_link_create(actor=neighbour, offer=made, project=project)
    assert not SupportLink.objects.exists()


def test_unlinking_by_the_same_people_only():
    made = funding()
    project, manager = _project_and_manager(made.municipality)
    link = services.support_link_create(actor=manager, offer=made, project=project)
    with pytest.raises(PermissionDenied):
        services.support_link_delete(actor=resident(made.municipality), link=link)
    version = Project.objects.get(pk=project.pk).content_version
    services.support_link_delete(actor=manager, link=link)
    assert not SupportLink.objects.exists()
    assert Project.objects.get(pk=project.pk).content_version > version


def test_changing_or_archiving_an_offer_refreshes_the_pages_of_its_projects():
    made = funding()
    project, manager = _project_and_manager(made.municipality)
    services.support_link_create(actor=manager, offer=made, project=project)
    actor = coordination_of(made.municipality)
    version = Project.objects.get(pk=project.pk).content_version
    services.support_offer_update(actor=actor, offer=made, title="Umbenannt")
    changed = Project.objects.get(pk=project.pk).content_version
    assert changed > version
    services.support_offer_archive(actor=actor, offer=made)
    assert Project.objects.get(pk=project.pk).content_version > changed
