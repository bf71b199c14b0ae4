from django.urls import path

from . import views

app_name = "townadmin"

# Under a municipality: /<municipality>/verwaltung/… (the roles page, …/verwaltung/rollen/, is
# the accounts app's).
PATHS = {
    "neighbourhood": "quartiere",
    "department": "fachbereiche",
    "topic": "themen",
    "organisation": "organisationen",
}

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("kommune/", views.settings_view, name="settings"),
]
for key, segment in PATHS.items():
    kind = {"kind": key}
    urlpatterns += [
        path(f"{segment}/", views.record_list_view, kind, name=f"{key}_list"),
        path(f"{segment}/neu/", views.record_create_view, kind, name=f"{key}_create"),
        path(f"{segment}/<int:{key}_id>/", views.record_edit_view, kind, name=key),
        path(
            f"{segment}/<int:{key}_id>/loeschen/",
            views.record_delete_view,
            kind,
            name=f"{key}_delete",
        ),
    ]
