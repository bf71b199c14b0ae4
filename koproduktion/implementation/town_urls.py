"""The municipality's accountability overview, under /<municipality>/umsetzung/."""

from django.urls import path

from .views import plan

app_name = "accountability"

urlpatterns = [path("", plan.town_overview_view, name="town")]
