"""How well a town keeps its charter, measured from its own records over the last twelve months
(the window of the response times, ``routing.statistics.window_start``).

Each promise counts cases and the cases in which it was kept, and lists the latest cases in
which it was not, with public titles and links only — never a person:

- answer: every idea and question counted by the response times (``routing.statistics``, the
  town's row: answered, or past the time without an answer); kept when answered in time;
- listed: every decision about a project, decided in the window; kept when the project was
  first published (``Project.published_at``) at least N weeks before the day of the decision;
- reasons: every decision decided in the window; kept when it states reasons;
- feedback: every pair of a decision decided in the window and a linked idea whose author has
  an account (the recorder's own ideas aside); kept when the author had a notification about
  that idea (a decision or a new status) made at or after the decision's recording, within N
  days of the day of the decision.

Something hidden by the moderation, withdrawn, or belonging to a project or town the public
cannot see is counted but not named.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koproduktion.core.models import Municipality
from koproduktion.decisions.models import Decision
from koproduktion.ideas.services import idea_url
from koproduktion.notifications.models import Kind, Notification
from koproduktion.routing import statistics

from .models import CharterPromise, PromiseKind

BREACHES_SHOWN = 20
# What tells a contributor what became of their idea after a decision (decisions.services).
FEEDBACK_KINDS = [Kind.DECISION, Kind.STATUS_CHANGE]


@dataclass(frozen=True)
class Breach:
    """A case in which a promise was not kept: what (if public), when, and by how much."""

    when: datetime.date
    detail: str
    title: str = ""  # empty: not public, counted only
    url: str = ""


@dataclass(frozen=True)
class Measure:
    promise: CharterPromise
    number: int | None  # days or weeks; None for the reasons
    counted: int
    kept: int
    breaches: list[Breach] = field(default_factory=list)  # the latest, at most BREACHES_SHOWN

    @property
    def label(self) -> str:
        return promise_label(self.promise.kind, self.number)

    @property
    def sentence(self) -> str:
        return promise_sentence(self.promise.kind, self.number)

    @property
    def share_in_time(self) -> float | None:
        return self.kept / self.counted if self.counted else None

    @property
    def percent_in_time(self) -> int | None:  # the name the response times' chart reads
        share = self.share_in_time
        return None if share is None else round(share * 100)

    @property
    def not_kept(self) -> int:
        return self.counted - self.kept

    @property
    def more_breaches(self) -> int:
        return self.not_kept - len(self.breaches)


def promise_sentence(kind: str, number: int | None, *, placeholder: str = "") -> str:
    """The promise as the town gives it, in a sentence; with ``placeholder`` in place of the
    number (in the plural) where the town has not given one yet."""
    count = 2 if placeholder else number or 0
    shown = {"count": placeholder or count}
    if kind == PromiseKind.ANSWER:
        return (
            ngettext(
                "Jede Idee und jede Frage bekommt binnen %(count)s Tag eine offizielle Antwort.",
                "Jede Idee und jede Frage bekommt binnen %(count)s Tagen eine offizielle Antwort.",
                count,
            )
            % shown
        )
    if kind == PromiseKind.LISTED:
        return (
            ngettext(
                "Ein Vorhaben steht mindestens %(count)s Woche vor seinem Beschluss öffentlich auf "
                "der Liste.",
                "Ein Vorhaben steht mindestens %(count)s Wochen vor seinem Beschluss öffentlich auf "
                "der Liste.",
                count,
            )
            % shown
        )
    if kind == PromiseKind.FEEDBACK:
        return (
            ngettext(
                "Wer eine Idee eingebracht hat, erfährt binnen %(count)s Tag nach dem Beschluss, "
                "was aus ihr geworden ist.",
                "Wer eine Idee eingebracht hat, erfährt binnen %(count)s Tagen nach dem Beschluss, "
                "was aus ihr geworden ist.",
                count,
            )
            % shown
        )
    return _("Jeder Beschluss wird öffentlich begründet.")


def promise_label(kind: str, number: int | None) -> str:
    """The promise in a few words, for the chart."""
    count = number or 0
    if kind == PromiseKind.ANSWER:
        return ngettext("Antwort binnen %(count)s Tag", "Antwort binnen %(count)s Tagen", count) % {
            "count": count
        }
    if kind == PromiseKind.LISTED:
        return ngettext(
            "%(count)s Woche öffentlich vor Beschluss",
            "%(count)s Wochen öffentlich vor Beschluss",
            count,
        ) % {"count": count}
    if kind == PromiseKind.FEEDBACK:
        return ngettext(
            "Rückmeldung binnen %(count)s Tag", "Rückmeldung binnen %(count)s Tagen", count
        ) % {"count": count}
    return _("Beschlüsse begründet")


def _days(count: int) -> str:
    return ngettext("%(count)s Tag", "%(count)s Tagen", count) % {"count": count}


def measure_charter(
    *,
    municipality: Municipality,
    promises: list[CharterPromise],
    now: datetime.datetime | None = None,
) -> list[Measure]:
    """Each promise of ``promises`` with its figures, in the charter's order."""
    now = now or timezone.now()
    measures = {
        PromiseKind.ANSWER: _answer,
        PromiseKind.LISTED: _listed,
        PromiseKind.REASONS: _reasons,
        PromiseKind.FEEDBACK: _feedback,
    }
    return [
        measures[PromiseKind(promise.kind)](municipality, promise, now)
        for promise in sorted(promises, key=lambda promise: promise.position)
    ]


def _window(now: datetime.datetime) -> tuple[datetime.date, datetime.date]:
    return timezone.localdate(statistics.window_start(now)), timezone.localdate(now)


def _answer(municipality: Municipality, promise: CharterPromise, now: datetime.datetime) -> Measure:
    town = statistics.by_department(municipality=municipality, now=now)[0]
    promised = municipality.answer_within_days
    breaches = []
    for late in statistics.late_contributions(
        municipality=municipality, now=now, limit=BREACHES_SHOWN
    ):
        idea, received = late.idea, timezone.localdate(late.received_at)
        if late.response_seconds is None:
            waited = (now - late.received_at).days
            detail = _("seit %(days)s ohne offizielle Antwort") % {"days": _days(waited)}
        else:
            waited = late.response_seconds // statistics.DAY
            detail = _("offiziell beantwortet nach %(days)s") % {"days": _days(waited)}
        hidden = idea.hidden_at or idea.withdrawn_at or (late.comment and late.comment.hidden_at)
        if hidden:
            breaches.append(Breach(when=received, detail=detail))
            continue
        title = (
            _("Frage zur Idee „%(title)s“") % {"title": idea.title}
            if late.comment_id
            else idea.title
        )
        idea.project = late.project
        idea.project.municipality = municipality
        breaches.append(Breach(when=received, detail=detail, title=title, url=idea_url(idea)))
    return Measure(promise, promised, town.counted, town.in_time, breaches)


def _decisions(municipality: Municipality, now: datetime.datetime):
    start, today = _window(now)
    return Decision.objects.filter(
        municipality=municipality, decided_on__gte=start, decided_on__lte=today
    ).order_by("-decided_on", "-pk")


def _decision_breach(
    municipality: Municipality, decision: Decision, detail: str, *, public: bool
) -> Breach:
    if not public:
        return Breach(when=decision.decided_on, detail=detail)
    return Breach(
        when=decision.decided_on,
        detail=detail,
        title=decision.title,
        url=reverse("decisions:detail", args=[municipality.slug, decision.pk]),
    )


def _public(municipality: Municipality, project_published: bool | None) -> bool:
    """Whether the public sees a decision (its project's, or the town's when it has none)."""
    return municipality.is_public and project_published is not False


def _listed(municipality: Municipality, promise: CharterPromise, now: datetime.datetime) -> Measure:
    weeks = promise.number or 0
    decisions = (
        _decisions(municipality, now)
        .filter(project__isnull=False)
        .select_related("project")
        .only("title", "decided_on", "project__published_at", "project__is_published")
    )
    counted = kept = 0
    breaches = []
    for decision in decisions:
        counted += 1
        published = decision.project.published_at
        first_day = None if published is None else timezone.localdate(published)
        if first_day is not None and (decision.decided_on - first_day).days >= weeks * 7:
            kept += 1
            continue
        if len(breaches) >= BREACHES_SHOWN:
            continue
        if first_day is None:
            detail = _("Das Vorhaben war vor dem Beschluss nicht öffentlich.")
        elif first_day > decision.decided_on:
            detail = _("Das Vorhaben wurde erst nach dem Beschluss veröffentlicht.")
        else:
            public_days = (decision.decided_on - first_day).days
            detail = ngettext(
                "Das Vorhaben war nur %(count)s Tag vor dem Beschluss öffentlich.",
                "Das Vorhaben war nur %(count)s Tage vor dem Beschluss öffentlich.",
                public_days,
            ) % {"count": public_days}
        breaches.append(
            _decision_breach(
                municipality,
                decision,
                detail,
                public=_public(municipality, decision.project.is_published),
            )
        )
    return Measure(promise, weeks, counted, kept, breaches)


def _reasons(
    municipality: Municipality, promise: CharterPromise, now: datetime.datetime
) -> Measure:
    decisions = _decisions(municipality, now).values_list(
        "pk", "title", "decided_on", "reasons", "project__is_published"
    )
    counted = kept = 0
    breaches = []
    for pk, title, decided_on, reasons, project_published in decisions:
        counted += 1
        if reasons.strip():
            kept += 1
        elif len(breaches) < BREACHES_SHOWN:
            decision = Decision(pk=pk, title=title, decided_on=decided_on)
            breaches.append(
                _decision_breach(
                    municipality,
                    decision,
                    _("ohne Begründung veröffentlicht"),
                    public=_public(municipality, project_published),
                )
            )
    return Measure(promise, None, counted, kept, breaches)


def _feedback(
    municipality: Municipality, promise: CharterPromise, now: datetime.datetime
) -> Measure:
    days = promise.number or 0
    start, today = _window(now)
    first_notice = (
        Notification.objects.filter(
            user_id=OuterRef("idea__author_id"),
            idea_id=OuterRef("idea_id"),
            kind__in=FEEDBACK_KINDS,
            created_at__gte=OuterRef("decision__recorded_at"),
        )
        .order_by("created_at")
        .values("created_at")[:1]
    )
    pairs = (
        Decision.ideas.through.objects.filter(
            decision__municipality=municipality,
            decision__decided_on__gte=start,
            decision__decided_on__lte=today,
            idea__author__isnull=False,
            idea__author__is_active=True,
        )
        # Whoever recorded the decision knows it; notify() tells nobody their own act.
        .exclude(idea__author_id=F("decision__recorded_by_id"))
        .annotate(first_notice=Subquery(first_notice))
        .order_by("-decision__decided_on", "-decision_id", "idea_id")
        .values_list(
            "decision_id",
            "decision__title",
            "decision__decided_on",
            "decision__project__is_published",
            "idea__title",
            "idea__hidden_at",
            "idea__project__is_published",
            "first_notice",
        )
    )
    counted = kept = 0
    breaches = []
    for (
        decision_id,
        title,
        decided_on,
        project_published,
        idea_title,
        idea_hidden,
        idea_published,
        notice,
    ) in pairs:
        counted += 1
        late = None if notice is None else (timezone.localdate(notice) - decided_on).days
        if late is not None and late <= days:
            kept += 1
            continue
        if len(breaches) >= BREACHES_SHOWN:
            continue
        public = _public(municipality, project_published) and not idea_hidden and idea_published
        named = {"title": idea_title}
        if late is None:
            detail = (
                _("Zur Idee „%(title)s“: keine Benachrichtigung.") % named
                if public
                else _("Keine Benachrichtigung.")
            )
        else:
            named["days"] = _days(late)
            detail = (
                _("Zur Idee „%(title)s“: Benachrichtigung nach %(days)s.") % named
                if public
                else _("Benachrichtigung nach %(days)s.") % named
            )
        decision = Decision(pk=decision_id, title=title, decided_on=decided_on)
        breaches.append(_decision_breach(municipality, decision, detail, public=public))
    return Measure(promise, days, counted, kept, breaches)
