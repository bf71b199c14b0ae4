"""Reads of the library: a town's view of it, one example, the tags in use, a project's draft."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.http import Http404

from koproduktion.core.models import Municipality

from .models import PracticeExample, Setting, Tag
from .rules import manages_practice
from .similarity import setting_of, topic_slugs


def published_for(*, municipality: Municipality) -> QuerySet[PracticeExample]:
    """What everyone sees from ``municipality``: its published examples and those of the other
    public towns."""
    return PracticeExample.objects.filter(
        Q(municipality=municipality) | Q(municipality__is_public=True), is_published=True
    )


def _visible(*, municipality: Municipality, user: Any, only_here: bool) -> Q:
    """The town's own examples (its drafts too, for those who keep the library) and, unless
    ``only_here``, the published examples of the other public towns."""
    own = Q(municipality=municipality)
    if not manages_practice.test(user, municipality):
        own &= Q(is_published=True)
    if only_here:
        return own
    return own | Q(municipality__is_public=True, is_published=True)


def town_examples_visible(*, municipality: Municipality, user: Any) -> QuerySet[PracticeExample]:
    """The town's own examples that ``user`` may read (its drafts for those who keep the
    library): what the town's search finds."""
    return PracticeExample.objects.filter(
        _visible(municipality=municipality, user=user, only_here=True)
    )


def library(
    *,
    municipality: Municipality,
    user: Any,
    tag: Tag | None = None,
    only_here: bool = False,
) -> QuerySet[PracticeExample]:
    """The library as ``municipality`` shows it: its own examples first, then the latest."""
    examples = PracticeExample.objects.filter(
        _visible(municipality=municipality, user=user, only_here=only_here)
    )
    if tag is not None:
        examples = examples.filter(tags=tag)
    return (
        examples.annotate(
            elsewhere=Case(
                When(municipality=municipality, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .select_related("municipality")
        .prefetch_related("tags")
        .order_by("elsewhere", "-year", "-pk")
    )


def tags_in_use(*, municipality: Municipality, user: Any) -> QuerySet[Tag]:
    """The tags of the examples the town's library shows (the filter's choices)."""
    shown = PracticeExample.objects.filter(
        _visible(municipality=municipality, user=user, only_here=False)
    )
    return Tag.objects.filter(pk__in=shown.values("tags")).order_by("name")


def example_get(*, municipality: Municipality, user: Any, pk: int) -> PracticeExample:
    """One example of ``municipality`` (an id of another town's is not found)."""
    example = (
        PracticeExample.objects.filter(
            _visible(municipality=municipality, user=user, only_here=True), pk=pk
        )
        .select_related("municipality", "project", "project__municipality")
        .prefetch_related("tags")
        .first()
    )
    if example is None:
        raise Http404
    return example


def town_examples(*, municipality: Municipality) -> QuerySet[PracticeExample]:
    """All examples of the town, drafts included: the staff's list."""
    return PracticeExample.objects.filter(municipality=municipality).order_by("-updated_at", "-pk")


def practice_example_draft(*, project: Any) -> dict[str, Any]:
    """Fields for ``services.practice_example_create`` that a project already knows: its
    title, its neighbourhood and kind of place, the year, its topic as a tag. Writes nothing."""
    topic = project.topic
    started = project.published_at or project.created_at
    return {
        "title": project.title,
        "place": project.neighbourhood.name if project.neighbourhood_id else "",
        "setting": Setting(setting_of(project.neighbourhood)).value,
        "problem": project.summary,
        "approach": project.description,
        "year": started.year if started else datetime.date.today().year,
        "tags": [topic.name] if topic is not None and topic_slugs(topic) else [],
    }
