"""Reads of the town's administration pages: what a record is still used by, and the overview."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from koproduktion.actors.models import RepresentationRequest, RequestStatus
from koproduktion.core.models import (
    Department,
    Membership,
    Municipality,
    Neighbourhood,
    Organisation,
    Topic,
)
from koproduktion.core.roles import Role

TownRecord = Neighbourhood | Department | Topic | Organisation

# Clearer names for uses whose model and field alone read oddly ("Rollen (Fachbereiche)").
USE_LABELS = {
    ("core.membership", "departments"): _("Mitarbeitende mit der Rolle „Verwaltung“"),
    ("core.membership", "organisation"): _("Personen, die die Organisation vertreten"),
    ("routing.assignment", "department"): _("Beiträge im Posteingang, auch beantwortete"),
    ("accounts.invitation", "departments"): _("Einladungen"),
    ("decisions.verification", "neighbourhood"): _("verifizierte Personen im Quartier"),
}


@dataclass(frozen=True)
class Use:
    """Records of one kind that point at a record, and how many."""

    label: str
    count: int

    def __str__(self) -> str:
        return f"{self.label}: {self.count}"


def _uses_of(model: type[models.Model]) -> list[tuple[type[models.Model], str, str]]:
    """(model, field name, label) of every relation pointing at ``model``, hidden ones too.

    Found from the models rather than listed by hand, so a relation added later is counted
    (and so refuses a deletion) the day it is added. The tables Django makes for a many-to-many
    field are skipped; the field itself is counted.
    """
    found = []
    for relation in model._meta.get_fields(include_hidden=True):
        if not (relation.is_relation and relation.auto_created and not relation.concrete):
            continue
        related = relation.related_model
        if related._meta.auto_created:
            continue
        field = relation.field
        label = USE_LABELS.get((related._meta.label_lower, field.name)) or (
            f"{related._meta.verbose_name_plural} ({field.verbose_name})"
        )
        found.append((related, field.name, str(label)))
    return found


def record_uses(*, record: TownRecord) -> list[Use]:
    """What still points at ``record``: one count query per kind of relation, only those found."""
    uses = []
    for related, field, label in _uses_of(type(record)):
        count = related._base_manager.filter(**{field: record}).count()
        if count:
            uses.append(Use(label=label, count=count))
    return uses


def town_record_get(*, model: type[TownRecord], municipality: Municipality, pk: int) -> TownRecord:
    """A record of ``municipality``; another town's record is not found here (404), whatever
    its id."""
    try:
        return model._default_manager.get(municipality=municipality, pk=pk)
    except model.DoesNotExist as missing:
        raise Http404 from missing


@dataclass(frozen=True)
class Overview:
    neighbourhoods: int
    departments: int
    topics: int
    organisations: int
    office_holders: int
    # Organisations and representatives waiting for the admins' confirmation (app actors).
    pending_requests: int


def town_overview(*, municipality: Municipality) -> Overview:
    """How many of each the town keeps, for the overview's links: one query."""
    in_town = {"municipality": models.OuterRef("pk")}

    def count(queryset: models.QuerySet, of: str = "pk") -> models.Subquery:
        return models.Subquery(
            queryset.filter(**in_town)
            .order_by()
            .values("municipality")
            .annotate(n=models.Count(of, distinct=True))
            .values("n"),
            output_field=models.IntegerField(),
        )

    offices = Membership.objects.exclude(role__in=[Role.RESIDENT, Role.ORGANISATION])
    row = (
        Municipality.objects.filter(pk=municipality.pk)
        .annotate(
            n_neighbourhoods=count(Neighbourhood.objects.all()),
            n_departments=count(Department.objects.all()),
            n_topics=count(Topic.objects.all()),
            n_organisations=count(Organisation.objects.all()),
            n_offices=count(offices, of="user"),
            n_pending=count(RepresentationRequest.objects.filter(status=RequestStatus.PENDING)),
        )
        .values_list(
            "n_neighbourhoods",
            "n_departments",
            "n_topics",
            "n_organisations",
            "n_offices",
            "n_pending",
        )
        .get()
    )
    return Overview(*(value or 0 for value in row))
