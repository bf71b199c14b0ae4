"""The town's events, under /<municipality>/veranstaltungen/."""

from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list_view, name="list"),
    path("neu/", views.event_form_view, name="create"),
    path("<int:event_id>/", views.event_detail_view, name="detail"),
    path("<int:event_id>/bearbeiten/", views.event_form_view, name="edit"),
    path("<int:event_id>/absagen/", views.cancel_view, name="cancel"),
    path("<int:event_id>/abmelden/", views.deregister_view, name="deregister"),
    path("<int:event_id>/kalender.ics", views.ical_view, name="ical"),
    path("<int:event_id>/aushang/", views.poster_view, name="poster"),
    path("<int:event_id>/anmeldungen/", views.registrations_view, name="registrations"),
    path("<int:event_id>/anmeldungen.csv", views.registrations_csv_view, name="registrations_csv"),
    path("<int:event_id>/protokoll/", views.minutes_view, name="minutes"),
    path("<int:event_id>/ideen-aufnehmen/", views.record_idea_view, name="record_idea"),
]
