"""A town's initiatives, under /<municipality>/initiativen/."""

from django.urls import path

from . import views

app_name = "initiatives"

urlpatterns = [
    path("", views.initiative_list_view, name="list"),
    path("neu/", views.start_view, name="start"),
    path("gesucht/", views.needs_view, name="needs"),
    path("anfragen/", views.queue_view, name="queue"),
    path("<slug:initiative_slug>/", views.detail_view, name="detail"),
    path("<slug:initiative_slug>/bearbeiten/", views.edit_view, name="edit"),
    path("<slug:initiative_slug>/stand/", views.state_view, name="state"),
    path("<slug:initiative_slug>/zurueckziehen/", views.withdraw_view, name="withdraw"),
    path("<slug:initiative_slug>/unterstuetzen/", views.support_view, name="support"),
    path("<slug:initiative_slug>/mitmachen/", views.join_view, name="join"),
    path(
        "<slug:initiative_slug>/mitmachen/<int:initiator_id>/",
        views.join_answer_view,
        name="join_answer",
    ),
    path("<slug:initiative_slug>/partner/", views.review_view, name="review"),
    path("<slug:initiative_slug>/gesucht/neu/", views.need_add_view, name="need_add"),
    path("<slug:initiative_slug>/gesucht/<int:need_id>/", views.offer_view, name="offer"),
    path(
        "<slug:initiative_slug>/angebote/<int:offer_id>/",
        views.offer_answer_view,
        name="offer_answer",
    ),
]
