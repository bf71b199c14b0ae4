from django.urls import path

from . import views

app_name = "routing"

urlpatterns = [
    path("posteingang/", views.inbox_view, name="inbox"),
    path("posteingang/<int:pk>/antworten/", views.answer_view, name="answer"),
    path("posteingang/<int:pk>/status/", views.status_view, name="status"),
    path("posteingang/<int:pk>/zustaendigkeit/", views.reassign_view, name="reassign"),
    path("antwortzeiten/", views.response_times_view, name="response_times"),
    path("antwortzeiten.csv", views.response_times_csv_view, name="response_times_csv"),
]
