"""The learning pages, under /<municipality>/mitmachen/: how taking part works here, and the
method guides."""

from django.urls import path

from . import learning

app_name = "learning"

urlpatterns = [
    path("", learning.participation_view, name="participation"),
    path("methoden/", learning.methods_view, name="methods"),
    path("methoden/<slug:method>/", learning.method_view, name="method"),
]
