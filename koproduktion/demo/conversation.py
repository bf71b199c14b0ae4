"""The volume of the demo's dialogue: tens of ideas in every project that is or was in its
dialogue phase, comments in threads, supports, official answers and status changes, spread over
the project's dialogue phase.

Like real participation it is uneven: a few people write most, a few ideas gather most of the
supports (a Zipf-like fall from the top), and most ideas get a comment or two while a couple are
argued over at length. Projects that have left the dialogue phase are seeded while still in it
and then brought on through ``project_advance``, so their history is the one a real project
leaves. Written through the services; only timestamps are moved afterwards (``history``).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

import rules
from django.utils import timezone

from koproduktion.accounts.models import User
from koproduktion.core.models import Municipality, Place
from koproduktion.dialogue.models import Comment, Stance
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Idea, IdeaStatus, IdeaStatusChange, Support
from koproduktion.ideas.services import idea_create, idea_set_status, idea_support
from koproduktion.projects.capabilities import PhaseKind, next_phase
from koproduktion.projects.models import Phase, PhaseChange, Project
from koproduktion.projects.services import project_advance

from . import texts
from .history import answered_at, happened_at
from .people import at

# Ideas per project, and the supports of its most supported generated idea. The town's quorum
# (data.py) is 40: the crossing at the Lindenstraße (dialogue.py) and the top idea on school
# streets reach it, the top idea of the Hafenallee falls just short.
PLAN = {
    "fahrradstrasse-hafenallee": (44, 37),
    "tempo-30-vor-schulen": (30, 44),
    "neugestaltung-marktplatz": (28, 33),
    "buergerhaushalt-2027": (26, 29),
    "quartierstreff-nordstadt": (14, 21),
    "dorfladen": (22, 17),
}
# Ideas argued over at length (20-40 comments) per project; the rest get a few or none.
LONG_THREADS = {
    "fahrradstrasse-hafenallee": 2,
    "tempo-30-vor-schulen": 1,
    "neugestaltung-marktplatz": 1,
}
# Why a project left the dialogue phase, said when it moved on.
ADVANCE_NOTES = {
    PhaseKind.DECISION: "Die Dialogphase ist abgeschlossen. Aus den Ideen sind Vorschläge "
    "entstanden, über die jetzt entschieden wird.",
    PhaseKind.IMPLEMENTATION: "Der Rat hat entschieden; jetzt wird gebaut.",
}
# Hand-written ideas (dialogue.py) and the supports they reach in all.
BOOSTED = {"Sichere Querung an der Lindenstraße": 48}
ZIPF = 0.9
STANCES = (
    Stance.PRO,
    Stance.PRO,
    Stance.PRO,
    Stance.CONTRA,
    Stance.CONTRA,
    Stance.QUESTION,
    Stance.NEUTRAL,
)


def _dialogue_window(project: Project, now: datetime.datetime) -> tuple[float, float]:
    """The dialogue phase as (days ago it began, days ago it ended or 1 for today)."""
    phase = Phase.objects.filter(project=project, kind=PhaseKind.DIALOGUE).first()
    today = timezone.localdate(now)
    if phase is None or phase.starts_on is None:
        return 60.0, 1.0
    began = (today - phase.starts_on).days
    ended = max(1, (today - phase.ends_on).days) if phase.ends_on else 1
    return float(began), float(ended)


def _answerer(project: Project, staff: Sequence[User], idea: Idea) -> User | None:
    return next(
        (p for p in staff if rules.test_rule("dialogue.can_answer_officially", p, idea)), None
    )


def seed_conversation(
    municipality: Municipality,
    *,
    residents: list[User],
    staff: Sequence[User],
    admin: User,
    target_phases: dict[str, PhaseKind],
    now: datetime.datetime,
) -> None:
    """Seed every planned project of ``municipality`` once; ``target_phases`` names the phase
    each project ends in (projects past their dialogue were created in it)."""
    places = {p.name: p for p in Place.objects.filter(municipality=municipality)}
    # A few people write a lot, most write little.
    weights = [1 / (rank + 1) ** 0.6 for rank in range(len(residents))]
    for slug, (count, top) in PLAN.items():
        project = Project.objects.filter(municipality=municipality, slug=slug).first()
        if project is None or Idea.objects.filter(project=project, author__in=residents).exists():
            continue
        rng = random.Random(f"conversation-{slug}")  # noqa: S311 - demo data, reproducible
        people = _People(rng, residents, weights)
        window = _dialogue_window(project, now)
        until = now - datetime.timedelta(days=window[1])
        theme = texts.THEMES[slug]
        ideas = _ideas(
            project, theme=theme, count=count, places=places, people=people, window=window, now=now
        )
        _supports(ideas, rng=rng, top=top, people=people, until=until)
        for idea in Idea.objects.filter(project=project, title__in=BOOSTED):
            more = BOOSTED[idea.title] - idea.support_count
            created = idea.created_at
            _support(idea, people.some(more, besides=idea.author), created, now, rng)
        long_ones = set(rng.sample(range(len(ideas)), LONG_THREADS.get(slug, 0)))
        for number, (idea, created) in enumerate(ideas):
            questions = _thread(
                idea,
                created,
                rng=rng,
                theme=theme,
                people=people,
                until=until,
                long=number in long_ones,
            )
            answerer = _answerer(project, staff, idea)
            _answer(rng, idea, created, answerer, questions=questions, now=now)
        _advance(project, admin, target_phases.get(slug, project.phase), now)


class _People:
    def __init__(self, rng: random.Random, residents: list[User], weights: list[float]) -> None:
        self.rng, self.residents, self.weights = rng, residents, weights

    def one(self) -> User:
        return self.rng.choices(self.residents, weights=self.weights)[0]

    def some(self, count: int, *, besides: User | None) -> list[User]:
        pool = [p for p in self.residents if p != besides]
        return self.rng.sample(pool, min(count, len(pool)))


def _ideas(
    project: Project,
    *,
    theme: texts.Theme,
    count: int,
    places: dict[str, Place],
    people: _People,
    window: tuple[float, float],
    now: datetime.datetime,
) -> list[tuple[Idea, datetime.datetime]]:
    rng = people.rng
    began, ended = window
    made = []
    moments = sorted((rng.uniform(ended + 0.5, began) for _ in range(count)), reverse=True)
    for (wish, spot), days_ago in zip(texts.idea_choices(rng, theme, count), moments, strict=False):
        title, text = texts.idea_text(rng, theme, wish, spot)
        place = places.get(theme.places[spot][1])
        pinned = place is not None and rng.random() < 0.75
        created = at(now, days_ago)
        with happened_at(created, (Idea, "created_at")):
            idea = idea_create(
                actor=people.one(),
                project=project,
                topic=project.topic,
                neighbourhood=(place.neighbourhood if place else None) or project.neighbourhood,
                title=title,
                text=text,
                latitude=place.latitude + rng.uniform(-0.0008, 0.0008) if pinned else None,
                longitude=place.longitude + rng.uniform(-0.0012, 0.0012) if pinned else None,
                address=place.name if pinned else "",
            )
        made.append((idea, created))
    return made


def _supports(
    ideas: list[tuple[Idea, datetime.datetime]],
    *,
    rng: random.Random,
    top: int,
    people: _People,
    until: datetime.datetime,
) -> None:
    """Supports falling from ``top`` by rank, each some time after the idea came in."""
    ranked = ideas[:]
    rng.shuffle(ranked)
    quorum = ranked[0][0].project.municipality.support_quorum
    for rank, (idea, created) in enumerate(ranked):
        wanted = top if rank == 0 else int(top / (rank + 1) ** ZIPF * rng.uniform(0.6, 1.1))
        if quorum and rank:
            wanted = min(wanted, quorum - 5)  # only the planned ones reach the agenda
        _support(idea, people.some(wanted, besides=idea.author), created, until, rng)


def _support(
    idea: Idea,
    supporters: list[User],
    since: datetime.datetime,
    until: datetime.datetime,
    rng: random.Random,
) -> None:
    """Supports by ``supporters``, most of them soon after ``since``."""
    quorum = idea.project.municipality.support_quorum
    span = max((until - since).total_seconds(), 3600)
    moments = sorted(
        since + datetime.timedelta(seconds=span * rng.random() ** 2) for _ in supporters
    )
    for person, moment in zip(supporters, moments, strict=True):
        with happened_at(moment, (Support, "created_at")):
            idea_support(actor=person, idea=idea)
        if idea.quorum_reached_at and idea.support_count == quorum:
            Idea.objects.filter(pk=idea.pk).update(quorum_reached_at=moment)


def _thread(
    idea: Idea,
    created: datetime.datetime,
    *,
    rng: random.Random,
    theme: texts.Theme,
    people: _People,
    until: datetime.datetime,
    long: bool,
) -> list[tuple[Comment, datetime.datetime]]:
    """The idea's comments: top-level ones with a stance, replies up to three levels deep.
    Returns the questions among them, with when they were asked."""
    count = rng.randint(20, 36) if long else min(int(rng.expovariate(0.7)), 8)
    end = until
    moment = created
    posted: list[Comment] = []
    questions: list[tuple[Comment, datetime.datetime]] = []
    for _ in range(count):
        gap = (end - moment).total_seconds() / max(2, count) * rng.random()
        moment = min(moment + datetime.timedelta(seconds=gap + 600), end)
        parent = rng.choice(posted) if posted and rng.random() < 0.45 else None
        if parent is not None and parent.depth >= 2:
            parent = None
        if parent is None:
            stance = rng.choice(STANCES)
            text = texts.comment_text(rng, theme, stance)
        else:
            stance, text = texts.reply_text(rng)
        with happened_at(moment, (Comment, "created_at")):
            posted.append(
                comment_create(
                    actor=people.one(), idea=idea, stance=stance, parent=parent, text=text
                )
            )
        if stance == Stance.QUESTION:
            questions.append((posted[-1], moment))
    return questions


def _answered(rng: random.Random, since: datetime.datetime, now: datetime.datetime) -> bool:
    """Nearly everything older than two weeks has its answer (the charter promises 14 days),
    half of what is newer."""
    return rng.random() < (0.95 if (now - since).days > 14 else 0.5)


def _answer(
    rng: random.Random,
    idea: Idea,
    created: datetime.datetime,
    answerer: User | None,
    *,
    questions: list[tuple[Comment, datetime.datetime]],
    now: datetime.datetime,
) -> None:
    """Official answers to the idea and to the questions asked under it, some of the answers
    with a new status."""
    if answerer is None:
        return
    for question, asked in questions:
        if _answered(rng, asked, now):
            when = min(asked + datetime.timedelta(days=rng.uniform(0.5, 10)), now)
            with happened_at(when, (Comment, "created_at")):
                reply = comment_create(
                    actor=answerer,
                    idea=idea,
                    official=True,
                    parent=question,
                    text=rng.choice(texts.QUESTION_ANSWERS),
                )
            answered_at(reply, when)
    if not _answered(rng, created, now):
        return
    when = min(created + datetime.timedelta(days=rng.uniform(1, 16)), now)
    with happened_at(when, (Comment, "created_at")):
        answer = comment_create(
            actor=answerer, idea=idea, official=True, text=rng.choice(texts.OFFICIAL)
        )
    answered_at(answer, when)
    status = rng.choice(
        (
            IdeaStatus.UNDER_REVIEW,
            IdeaStatus.UNDER_REVIEW,
            IdeaStatus.ANSWERED,
            IdeaStatus.ACCEPTED,
            IdeaStatus.REJECTED,
            None,
        )
    )
    if status is None:
        return
    with happened_at(
        min(when + datetime.timedelta(hours=2), now), (IdeaStatusChange, "changed_at")
    ):
        idea_set_status(
            actor=answerer, idea=idea, status=status, reason=texts.STATUS_REASONS.get(status, "")
        )


def _advance(project: Project, admin: User, phase: PhaseKind, now: datetime.datetime) -> None:
    """Bring a project seeded in its dialogue phase on to ``phase``, each step on the day its
    next phase began."""
    project.refresh_from_db()
    while project.phase != phase:
        following = next_phase(project.phase)
        planned = Phase.objects.filter(project=project, kind=following).first()
        began = now
        if planned is not None and planned.starts_on:
            began = min(
                now,
                timezone.make_aware(datetime.datetime.combine(planned.starts_on, datetime.time(9))),
            )
        with happened_at(began, (PhaseChange, "changed_at")):
            project_advance(actor=admin, project=project, note=ADVANCE_NOTES[following])
        project.refresh_from_db()
