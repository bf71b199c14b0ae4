from django.urls import path

from . import views

app_name = "charter"

# Under a municipality: /<municipality>/leitlinien/…
urlpatterns = [
    path("", views.charter_view, name="public"),
    path("bearbeiten/", views.charter_edit_view, name="edit"),
]
