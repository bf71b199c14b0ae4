"""Writes of the library: examples set up, changed, taken offline; tags found or made.

``practice_example_create`` is the one way an example comes to be, from the form or from another
part of the platform. An evaluation that turns a finished project into an example in one step
passes what it already knows as fields::

    fields = {**practice_example_draft(project=project), "worked": report.worked, ...}
    practice_example_create(actor=actor, municipality=project.municipality, project=project,
                            **fields)

(``selectors.practice_example_draft`` fills title, place, kind of place, year and the tag of the
project's topic.) Unknown field names raise ``TypeError``; a field that breaks a rule raises
``ValidationError`` naming the field.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.audit import audited
from koproduktion.core.markdown import render_markdown
from koproduktion.core.models import Municipality
from koproduktion.core.permissions import require
from koproduktion.core.services import municipality_content_changed
from koproduktion.projects.models import Project

from .models import MARKDOWN_FIELDS, PracticeExample, Tag
from .similarity import example_terms, tag_slug

MANAGE_REFUSAL = gettext_lazy(
    "Praxisbeispiele pflegen die Koordination und die Admins der Kommune."
)
# What staff set on the form; the services compare these before and after.
PRACTICE_FIELDS = (
    "title",
    "place",
    "setting",
    "problem",
    "approach",
    "actors",
    "worked",
    "not_worked",
    "contact_name",
    "contact_email",
    "contact_url",
    "year",
    "is_published",
)
AUDIT_FIELDS = (*PRACTICE_FIELDS, "project")
TAGS_MAX = 8


def practice_example_url(example: PracticeExample) -> str:
    return reverse("practice:detail", args=[example.municipality.slug, example.pk])


def tags_for(names: Iterable[str]) -> list[Tag]:
    """The platform's tags of ``names`` (as typed, comma-separated pieces allowed), made where
    new; the same slug is the same tag ("Spielplätze" and "spielplätze")."""
    found: dict[str, str] = {}
    for piece in names:
        for typed in str(piece).split(","):
            name = " ".join(typed.split())[:60]
            slug = tag_slug(name)
            if slug and slug not in found:
                found[slug] = name
    if len(found) > TAGS_MAX:
        raise ValidationError(
            {"tags": _("Höchstens %(count)d Schlagwörter, bitte.") % {"count": TAGS_MAX}}
        )
    existing = {tag.slug: tag for tag in Tag.objects.filter(slug__in=found)}
    for slug, name in found.items():
        if slug not in existing:
            existing[slug] = Tag.objects.create(slug=slug, name=name)
    return [existing[slug] for slug in found]


def _render(example: PracticeExample) -> None:
    """The stored HTML and stems follow the texts."""
    for name in MARKDOWN_FIELDS:
        setattr(example, f"{name}_html", str(render_markdown(getattr(example, name))))
    example.stems = example_terms(example.title, f"{example.problem}\n{example.approach}")


def _check_project(example: PracticeExample) -> None:
    if example.project_id and example.project.municipality_id != example.municipality_id:
        raise ValidationError({"project": _("Das Vorhaben gehört zu einer anderen Kommune.")})


def _unknown(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PRACTICE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


@transaction.atomic
@audited(gettext_lazy("Praxisbeispiel angelegt"), fields=AUDIT_FIELDS)
def practice_example_create(
    *,
    actor: Any,
    municipality: Municipality,
    project: Project | None = None,
    tags: Iterable[str] = (),
    **fields: Any,
) -> PracticeExample:
    """A new example of ``municipality``; ``fields`` are those of ``PRACTICE_FIELDS`` (title,
    problem, approach and year are required), ``tags`` names (new ones are made)."""
    _unknown(fields)
    example = PracticeExample(
        municipality=municipality, project=project, created_by=actor, **fields
    )
    require("practice.can_manage", actor, municipality, str(MANAGE_REFUSAL))
    _check_project(example)
    example.full_clean()
    _render(example)
    found = tags_for(tags)
    example.save()
    example.tags.set(found)
    municipality_content_changed(municipality_id=municipality.pk)
    return example


@transaction.atomic
@audited(gettext_lazy("Praxisbeispiel geändert"), target="example", fields=AUDIT_FIELDS)
def practice_example_update(
    *,
    actor: Any,
    example: PracticeExample,
    tags: Iterable[str] | None = None,
    **fields: Any,
) -> PracticeExample:
    """Change an example; ``fields`` as for ``practice_example_create`` (``project`` too);
    ``tags`` None leaves them as they are."""
    project_given = "project" in fields
    project = fields.pop("project", None)
    _unknown(fields)
    require("practice.can_manage", actor, example.municipality, str(MANAGE_REFUSAL))
    locked = PracticeExample.objects.select_for_update().get(pk=example.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    if project_given:
        locked.project = project
    _check_project(locked)
    locked.full_clean()
    _render(locked)
    locked.save()
    if tags is not None:
        locked.tags.set(tags_for(tags))
    municipality_content_changed(municipality_id=locked.municipality_id)
    return locked


@transaction.atomic
@audited(
    gettext_lazy("Praxisbeispiel offline genommen"), target="example", fields=("is_published",)
)
def practice_example_unpublish(*, actor: Any, example: PracticeExample) -> PracticeExample:
    """Take an example off the public library (it stays for staff, to change and publish)."""
    require("practice.can_manage", actor, example.municipality, str(MANAGE_REFUSAL))
    PracticeExample.objects.filter(pk=example.pk).update(is_published=False)
    example.is_published = False
    municipality_content_changed(municipality_id=example.municipality_id)
    return example
