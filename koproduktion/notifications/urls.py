from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("gelesen/", views.mark_read_view, name="mark_read"),
    path("einstellungen/", views.settings_view, name="settings"),
]
