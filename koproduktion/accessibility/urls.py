from django.urls import path

from . import views

app_name = "accessibility"

# At the top level, before the municipality slugs ("barrierefreiheit" is reserved).
urlpatterns = [
    path("barrierefreiheit/", views.index_view, name="index"),
    path("barrierefreiheit/bedienung/", views.help_view, name="help"),
    path("<slug:municipality_slug>/barrierefreiheit/", views.statement_view, name="statement"),
    path(
        "<slug:municipality_slug>/barrierefreiheit/bearbeiten/",
        views.statement_edit_view,
        name="edit",
    ),
    path("<slug:municipality_slug>/barrierefreiheit/melden/", views.report_view, name="report"),
    path(
        "<slug:municipality_slug>/barrierefreiheit/melden/gesendet/",
        views.report_sent_view,
        name="report_sent",
    ),
]
