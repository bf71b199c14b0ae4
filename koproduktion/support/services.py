"""Writes of the support catalogue: set up, change and archive offers; link them to projects and
initiatives and unlink them.

The rules of an offer's own fields (a deadline ahead, amounts only for funding, in order) are
checked here, each named at its field, so that the page, the API and the demo meet the same
refusals. A project's page shows its offers and is cached for visitors: every change that a
project's page shows bumps that project's content version.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import rules
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.markdown import render_markdown
from koproduktion.core.models import Municipality, Neighbourhood, Topic
from koproduktion.core.permissions import require
from koproduktion.initiatives.models import Initiative
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_content_changed, projects_content_changed

from .models import BuildingBlock, OfferState, SupportLink, SupportOffer

MANAGE_REFUSAL = gettext_lazy(
    "Angebote pflegen die Koordination, die Admins der Kommune und die Mitarbeitenden des "
    "zuständigen Fachbereichs."
)
# What staff set on the offer form; ``support_offer_update`` compares these before and after.
OFFER_FIELDS = (
    "title",
    "building_block",
    "summary",
    "description",
    "organisation",
    "provider_name",
    "department",
    "target_group",
    "eligibility",
    "amount_min_cents",
    "amount_max_cents",
    "deadline",
    "contact_name",
    "contact_email",
    "contact_phone",
    "contact_url",
    "state",
)
AUDITED_FIELDS = (*OFFER_FIELDS, "neighbourhoods", "topics")


def support_offer_url(offer: SupportOffer) -> str:
    return reverse("support:detail", args=[offer.municipality.slug, offer.pk])


def _check(offer: SupportOffer, *, deadline_changed: bool) -> None:
    """The rules of an offer's own fields, each named at its field."""
    errors: dict[str, str] = {}
    if deadline_changed and offer.deadline and offer.deadline < timezone.localdate():
        errors["deadline"] = _("Die Frist liegt in der Vergangenheit. Bitte ein späteres Datum.")
    low, high = offer.amount_min_cents, offer.amount_max_cents
    if offer.building_block != BuildingBlock.FUNDING and (low is not None or high is not None):
        field = "amount_min_cents" if low is not None else "amount_max_cents"
        errors[field] = _("Beträge gibt es nur bei Förderangeboten; bitte leer lassen.")
    else:
        for field, amount in (("amount_min_cents", low), ("amount_max_cents", high)):
            if amount is not None and amount < 0:
                errors[field] = _("Ein Betrag kann nicht negativ sein.")
        if "amount_max_cents" not in errors and low is not None and high is not None and low > high:
            errors["amount_max_cents"] = _(
                "Der Höchstbetrag muss mindestens so hoch sein wie der Mindestbetrag."
            )
    if offer.state == OfferState.ARCHIVED and offer.pk is None:
        errors["state"] = _("Ein neues Angebot kann nicht archiviert sein.")
    if errors:
        raise ValidationError(errors)
    offer.full_clean(exclude=["municipality"])


def _check_places(
    municipality: Municipality, neighbourhoods: list[Neighbourhood], topics: list[Topic]
) -> None:
    if any(n.municipality_id != municipality.pk for n in neighbourhoods):
        raise ValidationError({"neighbourhoods": _("Gehört zu einer anderen Kommune.")})
    if any(t.municipality_id != municipality.pk for t in topics):
        raise ValidationError({"topics": _("Gehört zu einer anderen Kommune.")})


def _require_manage(actor: Any, offer: SupportOffer) -> None:
    require("support.can_manage", actor, offer, str(MANAGE_REFUSAL))


def _linked_projects_changed(offer: SupportOffer) -> None:
    projects_content_changed(
        project_ids=SupportLink.objects.filter(offer=offer, project__isnull=False).values(
            "project_id"
        )
    )


def _unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(OFFER_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
@audited(gettext_lazy("Unterstützungsangebot angelegt"), fields=AUDITED_FIELDS)
def support_offer_create(
    *,
    actor: Any,
    municipality: Municipality,
    neighbourhoods: Iterable[Neighbourhood] = (),
    topics: Iterable[Topic] = (),
    **fields: Any,
) -> SupportOffer:
    """A new offer in ``municipality``; ``fields`` are those of ``OFFER_FIELDS``. Staff who are
    neither coordination nor admin name one of their own departments."""
    _unknown(fields)
    neighbourhoods, topics = list(neighbourhoods), list(topics)
    offer = SupportOffer(municipality=municipality, created_by=actor, **fields)
    if not offer.state:
        offer.state = OfferState.DRAFT
    require("support.can_create", actor, municipality, str(MANAGE_REFUSAL))
    if not _may_manage(actor, offer):
        raise ValidationError(
            {"department": _("Bitte wählen Sie einen Ihrer Fachbereiche: er pflegt das Angebot.")}
        )
    _check(offer, deadline_changed=True)
    _check_places(municipality, neighbourhoods, topics)
    offer.description_html = render_markdown(offer.description)
    offer.save()
    offer.neighbourhoods.set(neighbourhoods)
    offer.topics.set(topics)
    return offer


def _may_manage(actor: Any, offer: SupportOffer) -> bool:
    return rules.test_rule("support.can_manage", actor, offer)


@transaction.atomic
@audited(gettext_lazy("Unterstützungsangebot geändert"), target="offer", fields=AUDITED_FIELDS)
def support_offer_update(
    *,
    actor: Any,
    offer: SupportOffer,
    neighbourhoods: Iterable[Neighbourhood] | None = None,
    topics: Iterable[Topic] | None = None,
    **fields: Any,
) -> SupportOffer:
    """Change an offer. A deadline moved into the past is refused; one that passed while the
    offer stood unchanged stays, so that its texts can still be corrected."""
    _unknown(fields)
    _require_manage(actor, offer)
    locked = SupportOffer.objects.select_for_update().get(pk=offer.pk)
    old_deadline = locked.deadline
    for name, value in fields.items():
        setattr(locked, name, value)
    if not _may_manage(actor, locked):  # also for the department it moves to
        raise ValidationError(
            {"department": _("Bitte wählen Sie einen Ihrer Fachbereiche: er pflegt das Angebot.")}
        )
    _check(locked, deadline_changed=locked.deadline != old_deadline)
    if neighbourhoods is not None or topics is not None:
        _check_places(locked.municipality, list(neighbourhoods or ()), list(topics or ()))
    locked.description_html = render_markdown(locked.description)
    locked.save()
    if neighbourhoods is not None:
        locked.neighbourhoods.set(list(neighbourhoods))
    if topics is not None:
        locked.topics.set(list(topics))
    _linked_projects_changed(locked)
    offer.refresh_from_db()
    return locked


@transaction.atomic
@audited(gettext_lazy("Unterstützungsangebot archiviert"), target="offer", fields=["state"])
def support_offer_archive(
    *, actor: Any, offer: SupportOffer, archived: bool = True
) -> SupportOffer:
    """Take the offer out of the catalogue (``archived``) or bring it back as published. Its page
    stays, marked as archived, so that links from projects and initiatives still lead somewhere."""
    _require_manage(actor, offer)
    locked = SupportOffer.objects.select_for_update().get(pk=offer.pk)
    if archived == locked.is_archived:
        raise ValidationError(
            _("Das Angebot ist schon archiviert.")
            if archived
            else _("Das Angebot ist nicht archiviert.")
        )
    locked.state = OfferState.ARCHIVED if archived else OfferState.PUBLISHED
    locked.save(update_fields=["state", "updated_at"])
    _linked_projects_changed(locked)
    offer.refresh_from_db()
    return locked


# --- Links to projects and initiatives ------------------------------------------------------


def _require_link(actor: Any, *, project: Project | None, initiative: Initiative | None) -> None:
    if project is not None:
        require(
            "support.can_link_project",
            actor,
            project,
            _("Angebote verknüpfen die, die das Vorhaben verwalten."),
        )
    else:
        require(
            "support.can_link_initiative",
            actor,
            initiative,
            _("Angebote verknüpfen die Initiator*innen der Initiative."),
        )


def _is_staff_link(kwargs: dict[str, Any]) -> bool:
    """Projects are run by the administration; an initiative's link is its initiators' own."""
    link = kwargs.get("link")
    return kwargs.get("project") is not None or (link is not None and link.project_id is not None)


@transaction.atomic
@audited(
    gettext_lazy("Unterstützungsangebot mit einem Vorhaben verknüpft"),
    fields=("offer", "project", "note"),
    when=_is_staff_link,
)
def support_link_create(
    *,
    actor: Any,
    offer: SupportOffer,
    project: Project | None = None,
    initiative: Initiative | None = None,
    note: str = "",
) -> SupportLink:
    """Link ``offer`` to a project or an initiative (exactly one) of the same town.

    Refused at the field ``offer``: an offer of another town, one not (or no longer) in the
    catalogue, one whose deadline has passed, one linked already.
    """
    if (project is None) == (initiative is None):
        raise TypeError("give either a project or an initiative")
    target = project or initiative
    _require_link(actor, project=project, initiative=initiative)
    if offer.municipality_id != target.municipality_id:
        raise ValidationError({"offer": _("Dieses Angebot gibt es hier nicht.")})
    if offer.state != OfferState.PUBLISHED:
        raise ValidationError({"offer": _("Dieses Angebot steht nicht (mehr) im Katalog.")})
    if offer.is_expired:
        raise ValidationError({"offer": _("Die Frist dieses Angebots ist abgelaufen.")})
    note = note.strip()
    link = SupportLink(
        municipality_id=offer.municipality_id,
        offer=offer,
        project=project,
        initiative=initiative,
        note=note,
        linked_by=actor,
    )
    link.full_clean(exclude=["municipality", "offer", "project", "initiative", "linked_by"])
    twice = SupportLink.objects.filter(offer=offer, project=project, initiative=initiative)
    if twice.exists():
        raise ValidationError({"offer": _("Dieses Angebot ist schon verknüpft.")}, code="twice")
    try:
        with transaction.atomic():
            link.save()
    except IntegrityError as error:  # the same link, twice at once
        raise ValidationError(
            {"offer": _("Dieses Angebot ist schon verknüpft.")}, code="twice"
        ) from error
    if project is not None:
        project_content_changed(project_id=project.pk)
    return link


@transaction.atomic
@audited(
    gettext_lazy("Verknüpfung eines Unterstützungsangebots gelöst"),
    target="link",
    fields=("offer", "project", "note"),
    when=_is_staff_link,
)
def support_link_delete(*, actor: Any, link: SupportLink) -> None:
    """Unlink; the same people as link."""
    _require_link(actor, project=link.project, initiative=link.initiative)
    project_id = link.project_id
    link.delete()
    if project_id:
        project_content_changed(project_id=project_id)
