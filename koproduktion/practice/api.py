"""The library in the API, read-only: a town's view of it (its examples and those of the other
public towns, as on the page) and one of the town's examples."""

import datetime

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from koproduktion.api.pagination import PageNumbers
from koproduktion.core.models import Municipality

from .models import PracticeExample, Setting, Tag
from .selectors import library

router = Router(tags=["Praxisbeispiele"])


class PracticeExampleOut(Schema):
    id: int
    title: str
    municipality: str = Field(description="Kurzname der Kommune, aus der das Beispiel stammt.")
    place: str
    setting: Setting | None
    year: int
    tags: list[str] = Field(description="Kurznamen der Schlagwörter.")
    url: str

    @staticmethod
    def resolve_municipality(example: PracticeExample) -> str:
        return example.municipality.slug

    @staticmethod
    def resolve_setting(example: PracticeExample) -> str | None:
        return example.setting or None

    @staticmethod
    def resolve_tags(example: PracticeExample) -> list[str]:
        return [tag.slug for tag in example.tags.all()]

    @staticmethod
    def resolve_url(example: PracticeExample) -> str:
        from .services import practice_example_url  # noqa: PLC0415 - URLs load after the API

        return practice_example_url(example)


class PracticeExampleDetailOut(PracticeExampleOut):
    problem: str
    approach: str
    actors: str
    worked: str
    not_worked: str
    contact_name: str
    contact_email: str
    contact_url: str
    project: str | None = Field(None, description="Kurzname des Vorhabens, aus dem es stammt.")
    updated_at: datetime.datetime

    @staticmethod
    def resolve_project(example: PracticeExample) -> str | None:
        project = example.project
        return project.slug if project is not None and project.is_published else None


class PracticeQuery(Schema):
    tag: str | None = Field(None, max_length=60, description="Kurzname eines Schlagworts.")
    only_here: bool = Field(False, description="Nur Beispiele der Kommune selbst.")


def _town(slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug, is_public=True)


@router.get("/municipalities/{slug}/practice-examples", response=list[PracticeExampleOut])
@paginate(PageNumbers, page_size=50)
def list_practice_examples(request: HttpRequest, slug: str, filters: Query[PracticeQuery]):
    """The town's published examples first, then those of the other public towns, latest
    first. An unknown tag answers 400 with the reason."""
    municipality = _town(slug)
    tag = None
    if filters.tag:
        tag = Tag.objects.filter(slug=filters.tag).first()
        if tag is None:
            raise HttpError(400, _("Dieses Schlagwort gibt es in der Bibliothek nicht."))
    return library(municipality=municipality, user=None, tag=tag, only_here=filters.only_here)


@router.get(
    "/municipalities/{slug}/practice-examples/{example_id}", response=PracticeExampleDetailOut
)
def get_practice_example(request: HttpRequest, slug: str, example_id: int) -> PracticeExample:
    """One published example of the town (another town's id is not found here)."""
    example = (
        library(municipality=_town(slug), user=None, only_here=True)
        .select_related("project")
        .filter(pk=example_id)
        .first()
    )
    if example is None:
        raise Http404
    return example
