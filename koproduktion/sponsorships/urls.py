from django.urls import path

from . import views

app_name = "sponsorships"

urlpatterns = [
    path("", views.object_list_view, name="list"),
    path("neu/", views.object_form_view, name="create"),
    path("antraege/", views.applications_view, name="applications"),
    path("antraege/<int:pk>/", views.decide_view, name="decide"),
    path("vereinbarungen/<int:pk>/zurueckgeben/", views.hand_back_view, name="hand_back"),
    path("vereinbarungen/<int:pk>/zurueckziehen/", views.withdraw_view, name="withdraw"),
    path("<int:pk>/", views.object_detail_view, name="detail"),
    path("<int:pk>/bearbeiten/", views.object_form_view, name="edit"),
    path("<int:pk>/aus-dem-register/", views.object_retire_view, name="retire"),
]
