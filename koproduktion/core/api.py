"""Public read API of municipalities and their parts."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import paginate

from koproduktion.api.cache import cached_for_visitors
from koproduktion.api.pagination import PageNumbers

from .models import Municipality
from .selectors import (
    department_list,
    municipality_content_version,
    municipality_get,
    municipality_list,
    neighbourhood_list,
    platform_content_version,
)

router = Router(tags=["Kommunen"])


class MunicipalityOut(Schema):
    slug: str
    name: str
    description: str
    website: str
    url: str

    @staticmethod
    def resolve_url(obj: Municipality) -> str:
        return reverse("projects:municipality", args=[obj.slug])


class NeighbourhoodOut(Schema):
    slug: str
    name: str
    description: str


class DepartmentOut(Schema):
    id: int
    name: str
    email: str
    phone: str


def _town_version(slug: str, **_: object) -> str | None:
    return municipality_content_version(municipality_slug=slug)


@router.get("/municipalities", response=list[MunicipalityOut])
@cached_for_visitors(platform_content_version)
@paginate(PageNumbers, page_size=50)
def list_municipalities(request: HttpRequest):
    return municipality_list(user=request.user)


@router.get("/municipalities/{slug}", response=MunicipalityOut)
@cached_for_visitors(_town_version)
def get_municipality(request: HttpRequest, slug: str) -> Municipality:
    return municipality_get(slug=slug, user=request.user)


@router.get("/municipalities/{slug}/neighbourhoods", response=list[NeighbourhoodOut])
@cached_for_visitors(_town_version)
@paginate(PageNumbers, page_size=50)
def list_neighbourhoods(request: HttpRequest, slug: str):
    municipality = municipality_get(slug=slug, user=request.user)
    return neighbourhood_list(municipality=municipality).order_by("name", "pk")


@router.get("/municipalities/{slug}/departments", response=list[DepartmentOut])
@cached_for_visitors(_town_version)
@paginate(PageNumbers, page_size=50)
def list_departments(request: HttpRequest, slug: str):
    municipality = municipality_get(slug=slug, user=request.user)
    return department_list(municipality=municipality).order_by("name", "pk")
