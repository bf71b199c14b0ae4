"""Meine Zusagen, under /konto/zusagen/."""

from django.urls import path

from .views import mine

app_name = "commitments"

urlpatterns = [
    path("", mine.my_commitments_view, name="mine"),
    path("<int:pk>/absagen/", mine.cancel_view, name="cancel"),
    path("<int:pk>/erledigt/", mine.done_view, name="done"),
    path("kalender/<str:token>.ics", mine.feed_view, name="feed"),
]
