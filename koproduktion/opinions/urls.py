from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("", views.vote_page, name="vote"),
    path("abstimmen/", views.vote_submit, name="vote_submit"),
    path("vorschlagen/", views.statement_submit, name="propose"),
    path("ergebnis/", views.results_page, name="results"),
    path("moderation/", views.moderation_page, name="moderation"),
    path("moderation/<int:statement_id>/", views.moderation_submit, name="moderate"),
]
