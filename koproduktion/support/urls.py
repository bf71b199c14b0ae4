"""The town's support catalogue, under /<municipality>/unterstuetzung/."""

from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.offer_list_view, name="list"),
    path("angebote.csv", views.offer_csv_view, name="csv"),
    path("verwalten/", views.manage_view, name="manage"),
    path("neu/", views.offer_form_view, name="create"),
    path("<int:support_offer_id>/", views.offer_detail_view, name="detail"),
    path("<int:support_offer_id>/bearbeiten/", views.offer_form_view, name="edit"),
    path("<int:support_offer_id>/archivieren/", views.archive_view, name="archive"),
    path("vorhaben/<slug:project_slug>/", views.link_project_view, name="link_project"),
    path(
        "vorhaben/<slug:project_slug>/loesen/<int:support_link_id>/",
        views.unlink_project_view,
        name="unlink_project",
    ),
    path("initiative/<slug:initiative_slug>/", views.link_initiative_view, name="link_initiative"),
    path(
        "initiative/<slug:initiative_slug>/loesen/<int:support_link_id>/",
        views.unlink_initiative_view,
        name="unlink_initiative",
    ),
]
