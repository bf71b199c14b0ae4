"""Atom feeds of a town and of one project: new projects, phase changes, decisions and progress
updates of published projects, newest first (django.contrib.syndication).

A feed is for everyone: it shows what a visitor sees, also to staff (no drafts). Each kind is
read with one query of at most ``ITEMS`` rows; the newest ``ITEMS`` of all of them make the feed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from koproduktion.core.models import Municipality
from koproduktion.core.selectors import municipality_get
from koproduktion.decisions.models import Decision
from koproduktion.implementation.models import Update
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.models import PhaseChange, Project
from koproduktion.projects.selectors import project_get

ITEMS = 50
SUMMARY_WORDS = 60


@dataclass(frozen=True)
class Item:
    key: str
    title: str
    description: str
    link: str
    when: datetime.datetime


@dataclass(frozen=True)
class Source:
    municipality: Municipality
    project: Project | None = None


def _phase(value: str) -> str:
    return str(PhaseKind(value).label)


def _short(text: str) -> str:
    return Truncator(text).words(SUMMARY_WORDS)


def feed_items(source: Source) -> list[Item]:
    """The newest ``ITEMS`` events of the town or project, newest first (four queries)."""
    town, project = source.municipality, source.project
    scope = Q(project=project) if project else Q(project__is_published=True)
    projects = Project.objects.filter(municipality=town, is_published=True)
    if project:
        projects = projects.filter(pk=project.pk)
    items: list[Item] = []
    for new in projects.filter(published_at__isnull=False).order_by("-published_at")[:ITEMS]:
        items.append(
            Item(
                f"project-{new.pk}",
                _("Neues Vorhaben: %(title)s") % {"title": new.title},
                new.summary,
                reverse("projects:detail", args=[town.slug, new.slug]),
                new.published_at,
            )
        )
    changes = PhaseChange.objects.filter(scope, municipality=town).select_related("project")
    for change in changes.order_by("-changed_at", "-pk")[:ITEMS]:
        items.append(
            Item(
                f"phase-change-{change.pk}",
                _("%(project)s: von „%(old)s“ zu „%(new)s“")
                % {
                    "project": change.project.title,
                    "old": _phase(change.from_phase),
                    "new": _phase(change.to_phase),
                },
                _short(change.note),
                reverse("projects:detail", args=[town.slug, change.project.slug]),
                change.changed_at,
            )
        )
    decisions = Decision.objects.filter(
        scope if project else (Q(project__isnull=True) | scope), municipality=town
    )
    for decision in decisions.order_by("-recorded_at", "-pk")[:ITEMS]:
        items.append(
            Item(
                f"decision-{decision.pk}-{decision.version}",
                _("Beschluss vom %(day)s: %(title)s – %(outcome)s")
                % {
                    "day": date_format(decision.decided_on, "SHORT_DATE_FORMAT"),
                    "title": decision.title,
                    "outcome": decision.get_outcome_display(),
                },
                _short(decision.reasons),
                reverse("decisions:detail", args=[town.slug, decision.pk]),
                decision.recorded_at,
            )
        )
    updates = Update.objects.filter(scope, municipality=town).select_related("project")
    for update in updates.order_by("-created_at", "-pk")[:ITEMS]:
        items.append(
            Item(
                f"update-{update.pk}",
                _("Fortschritt: %(project)s") % {"project": update.project.title},
                _short(update.text),
                reverse("implementation:overview", args=[town.slug, update.project.slug])
                + f"#bericht-{update.pk}",
                update.created_at,
            )
        )
    items.sort(key=lambda item: (item.when, item.key), reverse=True)
    return items[:ITEMS]


class TownFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, municipality_slug: str) -> Source:
        return Source(municipality_get(slug=municipality_slug, user=request.user))

    def title(self, source: Source) -> str:
        return _("%(town)s: Neues aus den Vorhaben") % {"town": source.municipality.name}

    def subtitle(self, source: Source) -> str:
        return _("Neue Vorhaben, Phasenwechsel, Beschlüsse und Fortschrittsberichte.")

    def link(self, source: Source) -> str:
        return reverse("projects:municipality", args=[source.municipality.slug])

    def feed_url(self, source: Source) -> str:
        return reverse("opendata:feed", args=[source.municipality.slug])

    def feed_guid(self, source: Source) -> str:
        return self.feed_url(source)

    def items(self, source: Source) -> list[Item]:
        return feed_items(source)

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        return item.description

    def item_link(self, item: Item) -> str:
        return item.link

    def item_guid(self, item: Item) -> str:
        return item.key

    item_guid_is_permalink = False

    def item_pubdate(self, item: Item) -> datetime.datetime:
        return item.when

    def item_updateddate(self, item: Item) -> datetime.datetime:
        return item.when

    def __call__(self, request: HttpRequest, *args, **kwargs):
        response = super().__call__(request, *args, **kwargs)
        response["Content-Language"] = get_language()
        return response


class ProjectFeed(TownFeed):
    def get_object(  # type: ignore[override]
        self, request: HttpRequest, municipality_slug: str, project_slug: str
    ) -> Source:
        town = municipality_get(slug=municipality_slug, user=request.user)
        # For everyone alike: a draft has no feed, also not for its staff.
        project = project_get(
            municipality=town, slug=project_slug, user=AnonymousUser(), related=False
        )
        return Source(town, project)

    def title(self, source: Source) -> str:
        return _("%(project)s – %(town)s") % {
            "project": source.project.title,
            "town": source.municipality.name,
        }

    def subtitle(self, source: Source) -> str:
        return _("Phasenwechsel, Beschlüsse und Fortschrittsberichte dieses Vorhabens.")

    def link(self, source: Source) -> str:
        return reverse("projects:detail", args=[source.municipality.slug, source.project.slug])

    def feed_url(self, source: Source) -> str:
        return reverse(
            "opendata:project_feed", args=[source.municipality.slug, source.project.slug]
        )
