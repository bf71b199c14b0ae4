from django.urls import path

from . import roles_views

app_name = "roles"

# Under a municipality: /<municipality>/verwaltung/rollen/…
urlpatterns = [
    path("", roles_views.roles_page, name="list"),
    path("<int:membership_id>/", roles_views.membership_page, name="membership"),
    path("einladungen/", roles_views.invitation_action, name="invitations"),
    path("zwei-faktor/", roles_views.two_factor_requirement, name="two_factor"),
]
