"""What the initiatives' services share: addresses, locks, state moves, who is told."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.models import (
    Membership,
    Municipality,
    Organisation,
)
from koproduktion.core.roles import Role
from koproduktion.projects.services import (
    project_content_changed,
)

from ..models import (
    TRANSITIONS,
    Initiative,
    State,
    StateChange,
    Supporter,
)
from ..rules import initiator_ids

if TYPE_CHECKING:
    from koproduktion.accounts.models import User


# What the initiators write on the start and edit forms.
TEXT_FIELDS = ("title", "summary", "why", "help_needed", "neighbourhood", "topic", "contact")
INITIATORS_ONLY = gettext_lazy("Das können nur die Initiator*innen dieser Initiative.")


def initiative_url(initiative: Initiative) -> str:
    return reverse("initiatives:detail", args=[initiative.municipality.slug, initiative.slug])


def _unique_slug(municipality: Municipality, title: str) -> str:
    base = slugify(title)[:70] or "initiative"
    taken = set(
        Initiative.objects.filter(municipality=municipality, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


def _locked(initiative: Initiative) -> Initiative:
    """The initiative's row, locked for this transaction (only its own row: the town's stays
    free for everyone else)."""
    locked = Initiative.objects.select_for_update().get(pk=initiative.pk)
    locked.municipality = initiative.municipality
    return locked


def _check_organisation(actor: User, organisation: Organisation | None, field: str) -> None:
    """Only a representative of ``organisation`` acts in its name."""
    if organisation is None:
        return
    if not Membership.objects.filter(
        user=actor,
        municipality_id=organisation.municipality_id,
        role=Role.ORGANISATION,
        organisation=organisation,
    ).exists():
        raise ValidationError(
            {field: _("Im Namen einer Organisation handelt nur, wer sie vertritt.")}
        )


def _move(
    initiative: Initiative, *, to: State, actor: User | None, reason: str = ""
) -> StateChange:
    """Move ``initiative`` (locked by the caller) to ``to`` along ``TRANSITIONS``."""
    if to not in TRANSITIONS[initiative.state]:
        raise ValidationError(
            _("Aus dem Stand „%(old)s“ geht es nicht nach „%(new)s“.")
            % {"old": State(initiative.state).label, "new": State(to).label},
            code="transition",
        )
    change = StateChange.objects.create(
        initiative=initiative,
        municipality_id=initiative.municipality_id,
        old_state=initiative.state,
        new_state=to,
        reason=reason,
        changed_by=actor,
    )
    initiative.state = to
    return change


def _people(initiative: Initiative) -> set[int]:
    """Initiators and supporters: whom the initiative's big steps are told."""
    return set(initiator_ids(initiative)) | set(
        Supporter.objects.filter(initiative=initiative).values_list("user_id", flat=True)
    )


def _changed(initiative: Initiative) -> None:
    """The project page shows the initiative's initiators: renew it when they change."""
    if initiative.project_id:
        project_content_changed(project_id=initiative.project_id)
