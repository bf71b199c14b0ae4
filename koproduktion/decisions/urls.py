from django.urls import path

from . import views

app_name = "decisions"

# Under a municipality: /<municipality>/…
urlpatterns = [
    path("beschluesse/", views.decision_list_view, name="log"),
    path("beschluesse/neu/", views.decision_form_view, name="record"),
    path("beschluesse/<int:decision_id>/", views.decision_detail_view, name="detail"),
    path("beschluesse/<int:decision_id>/bearbeiten/", views.decision_form_view, name="edit"),
    path("verifizierung/", views.verification_view, name="verification"),
    path("verifizierung/verwaltung/", views.verification_staff_view, name="verification_staff"),
]

# Under a project: /<municipality>/vorhaben/<project>/…
project_urlpatterns = [
    path("beschluesse/", views.decision_list_view, name="project_log"),
    path("abstimmungen/", views.poll_list_view, name="polls"),
    path("abstimmungen/<int:poll_id>/", views.poll_detail_view, name="poll"),
    path("abstimmungen/<int:poll_id>/ergebnis/", views.poll_results_view, name="results"),
    path(
        "abstimmungen/<int:poll_id>/ergebnis.csv",
        views.poll_results_view,
        {"fmt": "csv"},
        name="results_csv",
    ),
    path("ideen/<int:idea_id>/kosten/", views.idea_cost_view, name="idea_cost"),
]
