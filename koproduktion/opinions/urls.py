from django.urls import path

from . import import_views, views

app_name = "opinions"

urlpatterns = [
    path("", views.vote_page, name="vote"),
    path("abstimmen/", views.vote_submit, name="vote_submit"),
    path("vorschlagen/", views.statement_submit, name="propose"),
    path("ergebnis/", views.results_page, name="results"),
    path("moderation/", views.moderation_page, name="moderation"),
    path("moderation/<int:statement_id>/", views.moderation_submit, name="moderate"),
    path("import/", import_views.import_page, name="import"),
    path("import/<int:import_id>/", import_views.import_status, name="import_status"),
    path("export/", import_views.export_download, name="export"),
]
