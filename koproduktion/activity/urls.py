from django.urls import path

from . import views

app_name = "activity"

# Under a municipality: /<municipality>/beteiligung-in-zahlen/
urlpatterns = [
    path("", views.public_view, name="public"),
    path("zahlen.csv", views.public_csv_view, name="public_csv"),
]

# Under a municipality's administration: /<municipality>/verwaltung/beteiligung/
staff_urlpatterns = (
    [
        path("", views.staff_view, name="staff"),
        path("zahlen.csv", views.staff_csv_view, name="staff_csv"),
    ],
    "activity_staff",
)
