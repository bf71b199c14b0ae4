from django.urls import path

from . import views

app_name = "workspace"

# Under a municipality: /<municipality>/vorhaben-verwalten/…
urlpatterns = [
    path("", views.project_list_view, name="list"),
    path("neu/", views.project_create_view, name="create"),
    path("<slug:project_slug>/", views.basics_view, name="basics"),
    path("<slug:project_slug>/zeitplan/", views.timeline_view, name="timeline"),
    path("<slug:project_slug>/dokumente/", views.documents_view, name="documents"),
    path(
        "<slug:project_slug>/dokumente/<int:document_id>/entfernen/",
        views.document_remove_view,
        name="document_remove",
    ),
    path("<slug:project_slug>/abstimmungen/", views.polls_view, name="polls"),
    path("<slug:project_slug>/abstimmungen/<int:poll_id>/", views.poll_view, name="poll"),
    path(
        "<slug:project_slug>/abstimmungen/<int:poll_id>/optionen/",
        views.option_add_view,
        name="option_add",
    ),
    path(
        "<slug:project_slug>/abstimmungen/<int:poll_id>/optionen/<int:option_id>/",
        views.option_view,
        name="option",
    ),
    path(
        "<slug:project_slug>/abstimmungen/<int:poll_id>/optionen/<int:option_id>/loeschen/",
        views.option_delete_view,
        name="option_delete",
    ),
    path("<slug:project_slug>/vorschau/", views.preview_view, name="preview"),
    path("<slug:project_slug>/veroeffentlichen/", views.publish_view, name="publish"),
    path("<slug:project_slug>/naechste-phase/", views.advance_view, name="advance"),
]
