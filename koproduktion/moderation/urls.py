from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("regeln/", views.community_rules_view, name="rules"),
    path("regeln/bearbeiten/", views.community_rules_edit_view, name="rules_edit"),
    path("moderation/", views.queue_view, name="queue"),
    path("moderation/protokoll/", views.log_view, name="log"),
    path("moderation/personen/<int:user_id>/", views.person_view, name="person"),
    path("melden/<str:kind>/<int:pk>/", views.report_view, name="report"),
    path("moderation/<str:kind>/<int:pk>/<str:action>/", views.moderate_view, name="moderate"),
]
