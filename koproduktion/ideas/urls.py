from django.urls import path

from koproduktion.dialogue.views import comment_create_view, thread_view
from koproduktion.notifications.views import follow_view

from .views import listing, page, staff, writes

app_name = "ideas"

urlpatterns = [
    path("", listing.idea_list_view, name="list"),
    path("neu/", writes.idea_create_view, name="create"),
    path("aehnliche/", writes.similar_ideas_view, name="similar"),
    path("<int:idea_id>/", page.idea_detail_view, name="detail"),
    path("<int:idea_id>/bearbeiten/", writes.idea_edit_view, name="edit"),
    path("<int:idea_id>/zurueckziehen/", writes.idea_withdraw_view, name="withdraw"),
    path("<int:idea_id>/unterstuetzen/", writes.idea_support_view, name="support"),
    path("<int:idea_id>/status/", staff.idea_status_view, name="status"),
    path("<int:idea_id>/zusammenfuehren/", staff.idea_merge_view, name="merge"),
    path("<int:idea_id>/kommentieren/", comment_create_view, name="comment"),
    path("<int:idea_id>/diskussion/<int:thread_id>/", thread_view, name="thread"),
    path("<int:idea_id>/folgen/", follow_view, name="follow"),
]
