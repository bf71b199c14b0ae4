from django.urls import path

from . import views

app_name = "search"

# Under a municipality: /<municipality>/suche/?q=…&art=…&vorhaben=…&seite=…
urlpatterns = [
    path("", views.search_view, name="results"),
]
