from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from koproduktion.accounts import views as account_views
from koproduktion.activity import urls as activity_urls
from koproduktion.api.api import api
from koproduktion.core import views as core_views
from koproduktion.core.media import media_file
from koproduktion.decisions.urls import project_urlpatterns as project_decision_urls
from koproduktion.evaluation.urls import workspace_urlpatterns as evaluation_workspace_urls
from koproduktion.events.views import project_poster_view
from koproduktion.notifications.views import follow_view

handler400 = core_views.bad_request

admin.site.site_header = _("Koproduktion – Verwaltung")
admin.site.site_title = _("Koproduktion")
admin.site.index_title = _("Verwaltung")

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("sprache/<str:code>/", core_views.language_switch, name="language"),
    path("datenschutz/", account_views.privacy_notice, name="privacy_notice"),
    path("impressum/", account_views.imprint, name="imprint"),
    # Before the admin's own: its log-in is the site's (throttled, with the second factor).
    path("admin/login/", account_views.admin_login),
    # And its password change: the site's, by mail (the admin's checked guesses without a lock).
    path("admin/password_change/", account_views.admin_password_change),
    path("admin/password_change/done/", account_views.admin_password_change),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # Uploaded files, as downloads; in production the web server serves them the same way. No
    # name: a file is reached by its field's ``url``, and the page walks in the tests skip it.
    *(
        [path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", media_file)]
        if settings.MEDIA_URL.startswith("/")
        else []
    ),
    path("konto/benachrichtigungen/", include("koproduktion.notifications.urls")),
    path("konto/lesbarkeit/", core_views.readability, name="readability"),
    path("konto/", include("koproduktion.accounts.urls")),
    # The platform's accessibility pages and each town's statement (before the towns' slugs).
    path("", include("koproduktion.accessibility.urls")),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/ideen/",
        include("koproduktion.ideas.urls"),
    ),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/folgen/",
        follow_view,
        name="follow_project",
    ),
    path("<slug:municipality_slug>/", include("koproduktion.opendata.urls")),
    path("<slug:municipality_slug>/", include("koproduktion.moderation.urls")),
    path("<slug:municipality_slug>/", include("koproduktion.decisions.urls")),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/",
        include((project_decision_urls, "project_decisions")),
    ),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/meinungsbild/",
        include("koproduktion.opinions.urls"),
    ),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/umsetzung/",
        include("koproduktion.implementation.urls"),
    ),
    path("<slug:municipality_slug>/umsetzung/", include("koproduktion.implementation.town_urls")),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/auswertung/",
        include("koproduktion.evaluation.urls"),
    ),
    path(
        "<slug:municipality_slug>/vorhaben-verwalten/<slug:project_slug>/auswertung/",
        include((evaluation_workspace_urls, "evaluation_workspace")),
    ),
    path("<slug:municipality_slug>/patenschaften/", include("koproduktion.sponsorships.urls")),
    path(
        "<slug:municipality_slug>/veranstaltungen/<int:event_id>/werkstatt/",
        include("koproduktion.workshop.urls"),
    ),
    path("<slug:municipality_slug>/veranstaltungen/", include("koproduktion.events.urls")),
    path("<slug:municipality_slug>/initiativen/", include("koproduktion.initiatives.urls")),
    path("<slug:municipality_slug>/praxisbeispiele/", include("koproduktion.practice.urls")),
    path("<slug:municipality_slug>/mitmachen/", include("koproduktion.practice.learning_urls")),
    path("<slug:municipality_slug>/unterstuetzung/", include("koproduktion.support.urls")),
    path(
        "<slug:municipality_slug>/vorhaben/<slug:project_slug>/aushang/",
        project_poster_view,
        name="project_poster",
    ),
    path("<slug:municipality_slug>/protokoll/", core_views.audit_log, name="audit_log"),
    path("<slug:municipality_slug>/verwaltung/orte/", core_views.places, name="places"),
    path("<slug:municipality_slug>/vorhaben-verwalten/", include("koproduktion.workspace.urls")),
    path(
        "<slug:municipality_slug>/verwaltung/rollen/", include("koproduktion.accounts.roles_urls")
    ),
    path(
        "<slug:municipality_slug>/verwaltung/organisationen/anfragen/",
        include("koproduktion.actors.queue_urls"),
    ),
    path(
        "<slug:municipality_slug>/verwaltung/beteiligung/",
        include(activity_urls.staff_urlpatterns),
    ),
    path("<slug:municipality_slug>/verwaltung/", include("koproduktion.townadmin.urls")),
    path("<slug:municipality_slug>/beteiligung-in-zahlen/", include("koproduktion.activity.urls")),
    path("<slug:municipality_slug>/akteure/", include("koproduktion.actors.urls")),
    path("<slug:municipality_slug>/suche/", include("koproduktion.search.urls")),
    path("<slug:municipality_slug>/", include("koproduktion.routing.urls")),
    path("<slug:municipality_slug>/rat/", include("koproduktion.council.urls")),
    path("<slug:municipality_slug>/leitlinien/", include("koproduktion.charter.urls")),
    path("konto/zusagen/", include("koproduktion.implementation.mine_urls")),
    # Municipality slugs sit at the top level, so they come last (see RESERVED_SLUGS).
    path("", include("koproduktion.projects.urls")),
]
