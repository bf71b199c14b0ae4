from django.urls import path

from . import views

app_name = "actors"

# Under a municipality: /<municipality>/akteure/… ("neu" and "anfragen" are kept out of the
# organisations' addresses, services.RESERVED_PATHS).
urlpatterns = [
    path("", views.directory_view, name="directory"),
    path("neu/", views.propose_view, name="propose"),
    path(
        "anfragen/<int:request_id>/zurueckziehen/",
        views.withdraw_view,
        name="withdraw",
    ),
    path("<slug:organisation_slug>/", views.profile_view, name="profile"),
    path("<slug:organisation_slug>/vertreten/", views.join_view, name="join"),
    path("<slug:organisation_slug>/bearbeiten/", views.edit_view, name="edit"),
    path(
        "<slug:organisation_slug>/vertretung/<int:representative_id>/beenden/",
        views.representation_end_view,
        name="end",
    ),
]
