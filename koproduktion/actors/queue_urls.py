from django.urls import path

from . import views

app_name = "actors_queue"

# Under a municipality: /<municipality>/verwaltung/organisationen/anfragen/… (the town admins').
urlpatterns = [
    path("", views.queue_view, name="list"),
    path("<int:request_id>/", views.decide_view, name="decide"),
]
