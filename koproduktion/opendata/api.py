"""The open data in the API: the data dictionary with the addresses of the files, and each
dataset's records as JSON, taken from the kept ZIP (so that a flood of requests builds nothing)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Field, Router, Schema

from koproduktion.api.openapi import Detail
from koproduktion.core.licences import licence_of
from koproduktion.core.selectors import municipality_get

from .datasets import Dataset, dataset_get, datasets
from .views import dataset_response

router = Router(tags=["Offene Daten"])


class ColumnOut(Schema):
    name: str
    type: str = Field(description="integer, number, string, boolean, date oder datetime.")
    description: str


class DatasetOut(Schema):
    name: str
    title: str
    description: str
    columns: list[ColumnOut]
    csv: str
    json_file: str = Field(alias="json")
    records: str = Field(description="Die Datensätze als JSON in der API.")


class LicenceOut(Schema):
    name: str = Field(description="SPDX-Kennung.")
    title: str
    path: str


class OpenDataOut(Schema):
    licence: LicenceOut
    zip: str
    feed: str
    datasets: list[DatasetOut]


def _dataset(slug: str, dataset: Dataset) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "title": str(dataset.title),
        "description": str(dataset.description),
        "columns": [
            {"name": c.name, "type": c.type, "description": str(c.description)}
            for c in dataset.columns
        ],
        "csv": reverse("opendata:dataset_csv", args=[slug, dataset.name]),
        "json": reverse("opendata:dataset_json", args=[slug, dataset.name]),
        "records": reverse("api-v1:open_data_records", args=[slug, dataset.name]),
    }


@router.get("/municipalities/{slug}/open-data", response=OpenDataOut, by_alias=True)
def open_data(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The town's datasets with every column's type and meaning (the data dictionary), the
    licence and the addresses of the ZIP, the single files and the Atom feed."""
    town = municipality_get(slug=slug, user=request.user)
    licence = licence_of(town.open_data_licence)
    return {
        "licence": {"name": licence.name, "title": licence.title, "path": licence.path},
        "zip": reverse("opendata:archive", args=[town.slug, town.slug]),
        "feed": reverse("opendata:feed", args=[town.slug]),
        "datasets": [_dataset(town.slug, dataset) for dataset in datasets()],
    }


@router.get(
    "/municipalities/{slug}/open-data/{dataset}",
    response={200: list[dict[str, Any]], 503: Detail},
    url_name="open_data_records",
)
def open_data_records(request: HttpRequest, slug: str, dataset: str) -> HttpResponse:
    """Every record of one dataset (``projects``, ``comments``, ``poll_results`` …) as the
    data dictionary describes it; the same as the dataset's JSON file in the ZIP."""
    town = municipality_get(slug=slug, user=request.user)
    found = dataset_get(dataset)
    if found is None:
        raise Http404
    return dataset_response(request, town, found, "json", api=True)
