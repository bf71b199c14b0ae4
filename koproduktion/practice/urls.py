"""The library of good practice, under /<municipality>/praxisbeispiele/."""

from django.urls import path

from . import views

app_name = "practice"

urlpatterns = [
    path("", views.library_view, name="list"),
    path("neu/", views.form_view, name="create"),
    path("<int:example_id>/", views.detail_view, name="detail"),
    path("<int:example_id>/bearbeiten/", views.form_view, name="edit"),
    path("<int:example_id>/offline/", views.unpublish_view, name="unpublish"),
]
