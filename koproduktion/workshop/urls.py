"""An event's workshop screen, under /<town>/veranstaltungen/<id>/werkstatt/."""

from django.urls import path

from . import views

app_name = "workshop"

urlpatterns = [
    path("", views.start_view, name="start"),
    path("idee/", views.idea_view, name="idea"),
    path("meinungsbild/", views.opinion_view, name="opinion"),
    path("meinungsbild/neue-person/", views.person_view, name="person"),
    path("mithelfen/", views.signup_view, name="signup"),
    path("danke/", views.thanks_view, name="thanks"),
]
