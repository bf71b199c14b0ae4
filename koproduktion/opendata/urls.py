from django.urls import path

from . import views

app_name = "opendata"

# Under a municipality: /<municipality>/…
urlpatterns = [
    path("offene-daten/", views.index_view, name="index"),
    path("offene-daten/<slug:archive_slug>.zip", views.archive_view, name="archive"),
    path("offene-daten/<slug:dataset>.csv", views.dataset_view, {"fmt": "csv"}, name="dataset_csv"),
    path(
        "offene-daten/<slug:dataset>.json",
        views.dataset_view,
        {"fmt": "json"},
        name="dataset_json",
    ),
    path("feed/", views.town_feed, name="feed"),
    path("vorhaben/<slug:project_slug>/feed/", views.project_feed, name="project_feed"),
]
