"""The evaluation: the project's page under /<municipality>/vorhaben/<project>/auswertung/ and
the workspace's under /<municipality>/vorhaben-verwalten/<project>/auswertung/."""

from django.urls import path

from . import views, workspace_views

app_name = "evaluation"

urlpatterns = [
    path("", views.section_view, name="section"),
]

workspace_urlpatterns = [
    path("", workspace_views.questions_view, name="questions"),
    path("fragen/<int:question_id>/", workspace_views.question_view, name="question"),
    path(
        "fragen/<int:question_id>/aendern/",
        workspace_views.question_action_view,
        name="question_action",
    ),
    path("bericht/", workspace_views.report_view, name="report"),
    path("bericht/veroeffentlichen/", workspace_views.report_publish_view, name="report_publish"),
    path("bericht/praxisbeispiel/", workspace_views.report_practice_view, name="report_practice"),
]
