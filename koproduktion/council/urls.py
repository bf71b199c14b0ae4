from django.urls import path

from . import views
from .selectors import IDEA, POLL, PROJECT

app_name = "council"

# Under a municipality: /<municipality>/rat/…
urlpatterns = [
    path("tagesordnung/", views.agenda_view, name="agenda"),
    path("tagesordnung/eintragen/", views.recording_view, name="recording"),
    path(
        "tagesordnung/ideen/<int:idea_id>/beschluss/",
        views.record_view,
        {"kind": IDEA},
        name="record_idea",
    ),
    path(
        "tagesordnung/abstimmungen/<int:poll_id>/beschluss/",
        views.record_view,
        {"kind": POLL},
        name="record_poll",
    ),
    path(
        "tagesordnung/vorhaben/<slug:project_slug>/beschluss/",
        views.record_view,
        {"kind": PROJECT},
        name="record_project",
    ),
]
