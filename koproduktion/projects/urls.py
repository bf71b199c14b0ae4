from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("<slug:municipality_slug>/", views.municipality_detail, name="municipality"),
    path(
        "<slug:municipality_slug>/quartiere/<slug:neighbourhood_slug>/",
        views.neighbourhood_detail,
        name="neighbourhood",
    ),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/",
        views.project_detail,
        name="detail",
    ),
]
