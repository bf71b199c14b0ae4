from django.urls import path

from .views import polls, records, verification

app_name = "decisions"

# Under a municipality: /<municipality>/…
urlpatterns = [
    path("beschluesse/", records.decision_list_view, name="log"),
    path("beschluesse/neu/", records.decision_form_view, name="record"),
    path("beschluesse/<int:decision_id>/", records.decision_detail_view, name="detail"),
    path("beschluesse/<int:decision_id>/bearbeiten/", records.decision_form_view, name="edit"),
    path("verifizierung/", verification.verification_view, name="verification"),
    path(
        "verifizierung/verwaltung/", verification.verification_staff_view, name="verification_staff"
    ),
]

# Under a project: /<municipality>/vorhaben/<project>/…
project_urlpatterns = [
    path("beschluesse/", records.decision_list_view, name="project_log"),
    path("abstimmungen/", polls.poll_list_view, name="polls"),
    path("abstimmungen/<int:poll_id>/", polls.poll_detail_view, name="poll"),
    path("abstimmungen/<int:poll_id>/ergebnis/", polls.poll_results_view, name="results"),
    path(
        "abstimmungen/<int:poll_id>/ergebnis.csv",
        polls.poll_results_view,
        {"fmt": "csv"},
        name="results_csv",
    ),
    path("ideen/<int:idea_id>/kosten/", polls.idea_cost_view, name="idea_cost"),
]
