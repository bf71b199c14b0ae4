"""Public read API of municipalities and their parts."""

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from .models import Municipality
from .selectors import department_list, municipality_get, municipality_list, neighbourhood_list

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


@router.get("/municipalities", response=list[MunicipalityOut])
@paginate(PageNumberPagination, page_size=50)
def list_municipalities(request: HttpRequest):
    return municipality_list(user=request.user)


@router.get("/municipalities/{slug}", response=MunicipalityOut)
def get_municipality(request: HttpRequest, slug: str) -> Municipality:
    return municipality_get(slug=slug, user=request.user)


@router.get("/municipalities/{slug}/neighbourhoods", response=list[NeighbourhoodOut])
@paginate(PageNumberPagination, page_size=50)
def list_neighbourhoods(request: HttpRequest, slug: str):
    municipality = municipality_get(slug=slug, user=request.user)
    return neighbourhood_list(municipality=municipality).order_by("name", "pk")


@router.get("/municipalities/{slug}/departments", response=list[DepartmentOut])
@paginate(PageNumberPagination, page_size=50)
def list_departments(request: HttpRequest, slug: str):
    municipality = municipality_get(slug=slug, user=request.user)
    return department_list(municipality=municipality).order_by("name", "pk")
