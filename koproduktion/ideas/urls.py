from django.urls import path

from koproduktion.dialogue.views import comment_create_view, thread_view
from koproduktion.notifications.views import follow_view

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.idea_list_view, name="list"),
    path("neu/", views.idea_create_view, name="create"),
    path("aehnliche/", views.similar_ideas_view, name="similar"),
    path("<int:idea_id>/", views.idea_detail_view, name="detail"),
    path("<int:idea_id>/bearbeiten/", views.idea_edit_view, name="edit"),
    path("<int:idea_id>/zurueckziehen/", views.idea_withdraw_view, name="withdraw"),
    path("<int:idea_id>/unterstuetzen/", views.idea_support_view, name="support"),
    path("<int:idea_id>/status/", views.idea_status_view, name="status"),
    path("<int:idea_id>/zusammenfuehren/", views.idea_merge_view, name="merge"),
    path("<int:idea_id>/kommentieren/", comment_create_view, name="comment"),
    path("<int:idea_id>/diskussion/<int:thread_id>/", thread_view, name="thread"),
    path("<int:idea_id>/folgen/", follow_view, name="follow"),
]
