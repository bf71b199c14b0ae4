"""Turn a stored result into what the results page and the API show.

The stored JSON refers to statements and participants by id; this module adds the texts (one
query for all statements), the percentages and the map's drawing coordinates.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache

from koproduktion.core.kept import Kept

from .models import OpinionMap, Statement

GROUP_LETTERS = "ABCDEFGHIJ"
# Above this many participants the map draws base clusters (sized by members) instead of people.
MAX_POINTS = 3000
MAP_WIDTH, MAP_HEIGHT, MAP_MARGIN = 480, 320, 16
# The results of this many maps a process keeps (``results_for``), each for at most this long:
# the version of the map's texts is the project's, which a write past the services misses.
RESULTS_KEPT = 8
RESULTS_SECONDS = 60


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class Shares:
    """Agree, disagree and pass as whole percentages (for the text) and as exact widths of a
    bar 100 units long (for the drawing), of ``seen`` votes."""

    agree: int
    disagree: int
    passed: int
    seen: int
    agree_width: float = 0.0
    disagree_width: float = 0.0

    @classmethod
    def of(cls, counts: list[int]) -> Shares:
        agree, disagree, seen = counts
        return cls(
            agree=_percent(agree, seen),
            disagree=_percent(disagree, seen),
            passed=_percent(seen - agree - disagree, seen),
            seen=seen,
            agree_width=round(100 * agree / seen, 1) if seen else 0.0,
            disagree_width=round(100 * disagree / seen, 1) if seen else 0.0,
        )

    @property
    def disagree_x(self) -> float:
        return self.agree_width

    @property
    def pass_x(self) -> float:
        return round(self.agree_width + self.disagree_width, 1)

    @property
    def pass_width(self) -> float:
        return round(max(100 - self.pass_x, 0.0), 1) if self.seen else 0.0


@dataclass(frozen=True)
class StatementLine:
    id: int
    text: str
    direction: str  # "agree" or "disagree"
    shares: Shares
    per_group: tuple[tuple[str, Shares], ...] = ()
    others: Shares | None = None  # of a group's statement: everybody clustered outside the group


@dataclass(frozen=True)
class GroupView:
    id: int
    letter: str
    size: int
    x: float  # map coordinates of the group's centre
    y: float
    representative: tuple[StatementLine, ...]


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    r: float
    group: str
    is_you: bool = False


@dataclass(frozen=True)
class ResultsView:
    computed_at: datetime.datetime
    participants: int
    votes: int
    groups: tuple[GroupView, ...]
    consensus_agree: tuple[StatementLine, ...]
    consensus_disagree: tuple[StatementLine, ...]
    divisive: tuple[StatementLine, ...]
    points: tuple[Point, ...]
    draws_clusters: bool
    your_group: str | None = None
    statement_count: int = 0
    voters: int = 0  # everybody who voted (``participants``: those placed on the map)
    left_out: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


class _Scale:
    def __init__(self, xs: list[float], ys: list[float]) -> None:
        reach = float(np.abs(np.array(xs + ys, dtype=float)).max(initial=0.0)) or 1.0
        self.sx = (MAP_WIDTH / 2 - MAP_MARGIN) / reach
        self.sy = (MAP_HEIGHT / 2 - MAP_MARGIN) / reach

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return round(MAP_WIDTH / 2 + x * self.sx, 1), round(MAP_HEIGHT / 2 - y * self.sy, 1)


@dataclass(frozen=True)
class _Places:
    """Who is where on a map, to mark one person on the view for everyone: the ids of the
    participants placed (sorted), the index of each one's group letter in ``letters`` (-1:
    none), and the index of each one's dot in the view's points, where people are drawn."""

    ids: np.ndarray
    groups: np.ndarray
    letters: tuple[str, ...]
    dots: dict[int, int]


_kept_results: Kept[tuple[Any, ...], tuple[ResultsView, _Places] | None] = Kept(
    RESULTS_KEPT, RESULTS_SECONDS
)


def results_for(
    *, opinion_map: OpinionMap, version: Any, participant_id: int | None = None
) -> ResultsView | None:
    """The page's view of the map's latest computation, for ``participant_id``; None before
    the first computation.

    ``opinion_map`` may come without its result (``opinion_map_get``): the view for everyone is
    kept per computation and ``version`` (the project's, which moderation raises: the texts
    shown are the accepted statements'), so the stored result, with every participant's place
    (megabytes at 50,000 people), is read and decoded once per computation in a process, not
    for every logged-in person who looks. Their own group and dot are put in per request.
    """
    key = _key(opinion_map, version)

    def make() -> tuple[ResultsView, _Places] | None:
        # Built by the worker after the computation (``results_share``), else by one process of
        # the installation per computation, and shared through the cache (Redis in
        # production): every app process decoding the whole result took 0.25 s and more of its
        # CPU right after each computation, while votes waited for the cores.
        shared = _shared(key)
        found = cache.get(shared)
        if found is not None:
            return found[0]
        # Read afresh: the map may have been computed again since ``opinion_map`` was read;
        # a view newer than its key is replaced as soon as a request reads the new key.
        stored = OpinionMap.objects.filter(pk=opinion_map.pk).defer("state").first()
        built = None if stored is None else _view_for_everyone(stored)
        cache.set(shared, (built,), RESULTS_SECONDS)
        return built

    kept = _kept_results.get_or_make(key, make)
    return None if kept is None else _for_person(*kept, participant_id)


def results_share(*, opinion_map: OpinionMap, version: Any) -> None:
    """Build the results page's view of ``opinion_map``'s latest result and share it through
    the cache, for the app processes to take instead of decoding the stored result.

    For the worker, right after a computation: ``opinion_map`` holds the result it stored, so
    nothing is read back or decoded, and the work is done on the worker's time (idle time, as
    ``make run`` and ``docs/deploy.md`` schedule it), not an app process's while votes wait.
    ``version`` is the project's, as ``results_for`` is given it. Without a cache that the
    processes share (each process's local memory, without Redis) there is nothing to share.
    """
    if isinstance(caches["default"], LocMemCache) or opinion_map.computed_at is None:
        return
    cache.set(
        _shared(_key(opinion_map, version)), (_view_for_everyone(opinion_map),), RESULTS_SECONDS
    )


def _key(opinion_map: OpinionMap, version: Any) -> tuple[Any, ...]:
    """Which computation a view is of, and which version of the project's texts it shows."""
    return (opinion_map.pk, opinion_map.computed_version, opinion_map.computed_at, version)


def _shared(key: tuple[Any, ...]) -> str:
    """The cache key of the view for everyone of ``key``: times as instants, so that the
    worker's (from memory) and an app process's (from the database) are the same."""
    return "opinions:results:" + hashlib.sha256(repr(_instants(key)).encode()).hexdigest()


def _instants(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.timestamp()
    if isinstance(value, tuple):
        return tuple(_instants(part) for part in value)
    return value


def _for_person(view: ResultsView, places: _Places, participant_id: int | None) -> ResultsView:
    """``view`` with the person's group named and their dot marked and drawn last (on top)."""
    if participant_id is None:
        return view
    at = int(np.searchsorted(places.ids, participant_id))
    placed = at < len(places.ids) and places.ids[at] == participant_id
    group = int(places.groups[at]) if placed else -1
    points = view.points
    dot = places.dots.get(participant_id)
    if dot is not None:
        you = dataclasses.replace(points[dot], r=6.0, is_you=True)
        points = (*points[:dot], *points[dot + 1 :], you)
    return dataclasses.replace(
        view, points=points, your_group=places.letters[group] if group >= 0 else None
    )


def _view_for_everyone(opinion_map: OpinionMap) -> tuple[ResultsView, _Places] | None:
    """The view of the stored result for nobody in particular, with who is where on it."""
    result = opinion_map.result
    if not result or not result.get("groups"):
        return None
    letters = {
        g["id"]: GROUP_LETTERS[i % len(GROUP_LETTERS)] for i, g in enumerate(result["groups"])
    }
    wanted = {r["statement"] for g in result["groups"] for r in g["representative"]}
    wanted |= {c["statement"] for cs in result["consensus"].values() for c in cs}
    wanted |= {d["statement"] for d in result.get("divisive", [])}
    # Only accepted statements: one rejected since the computation is gone from the page at once.
    texts = dict(
        Statement.objects.filter(
            project_id=opinion_map.project_id, pk__in=wanted, status=Statement.Status.ACCEPTED
        ).values_list("pk", "text")
    )
    group_votes = result.get("group_votes", {})
    totals = result.get("totals", {})

    def per_group(sid: int) -> tuple[tuple[str, Shares], ...]:
        rows = group_votes.get(str(sid), [])
        return tuple(
            (letters[g["id"]], Shares.of(counts))
            for g, counts in zip(result["groups"], rows, strict=False)
        )

    def line(sid: int, direction: str, counts: list[int]) -> StatementLine:
        return StatementLine(
            id=sid,
            text=texts[sid],
            direction=direction,
            shares=Shares.of(counts),
            per_group=per_group(sid),
        )

    def others(sid: int, index: int) -> Shares:
        rows = group_votes.get(str(sid), [])
        rest = [counts for i, counts in enumerate(rows) if i != index]
        return Shares.of([sum(c[k] for c in rest) for k in range(3)])

    groups = []
    for index, g in enumerate(result["groups"]):
        reps = tuple(
            StatementLine(
                id=r["statement"],
                text=texts[r["statement"]],
                direction=r["direction"],
                shares=Shares.of([r["na"], r["nd"], r["ns"]]),
                others=others(r["statement"], index),
            )
            for r in g["representative"]
            if r["statement"] in texts
        )
        groups.append(GroupView(g["id"], letters[g["id"]], len(g["members"]), g["x"], g["y"], reps))
    consensus = {
        direction: tuple(
            line(c["statement"], direction, totals.get(str(c["statement"]), [0, 0, 0]))
            for c in result["consensus"].get(direction, [])
            if c["statement"] in texts
        )
        for direction in ("agree", "disagree")
    }
    divisive = tuple(
        line(d["statement"], "split", totals.get(str(d["statement"]), [0, 0, 0]))
        for d in result.get("divisive", [])
        if d["statement"] in texts
    )
    people = [p for p in result["participants"] if p["x"] is not None]
    scale = _scale_of(people)
    points, draws_clusters, places = _points(result, people, scale, letters)
    groups = [GroupView(g.id, g.letter, g.size, *scale(g.x, g.y), g.representative) for g in groups]
    view = ResultsView(
        computed_at=opinion_map.computed_at,
        participants=len(result["participants"]),
        votes=opinion_map.votes_at_computation,
        groups=tuple(groups),
        consensus_agree=consensus["agree"],
        consensus_disagree=consensus["disagree"],
        divisive=divisive,
        points=points,
        draws_clusters=draws_clusters,
        statement_count=sum(1 for s in result["statements"] if not s["excluded"]),
        voters=result.get("voters", len(result["participants"])),
        left_out={k: v for k, v in result.get("left_out", {}).items() if v},
    )
    return view, places


def _scale_of(people: list[dict[str, Any]]) -> _Scale:
    """The scale that fits ``people`` (the participants placed) on the map."""
    return _Scale([p["x"] for p in people], [p["y"] for p in people])


def _points(
    result: dict[str, Any], people: list[dict[str, Any]], scale: _Scale, letters: dict[int, str]
) -> tuple[tuple[Point, ...], bool, _Places]:
    order = sorted(range(len(people)), key=lambda i: people[i]["id"])
    shown = tuple(letters.values())
    code = {letter: i for i, letter in enumerate(shown)}
    places = _Places(
        ids=np.array([people[i]["id"] for i in order], dtype=np.int64),
        groups=np.array(
            [code.get(letters.get(people[i]["group"], ""), -1) for i in order], dtype=np.int16
        ),
        letters=shown,
        dots={},
    )
    if len(people) <= MAX_POINTS:
        points = []
        for index, p in enumerate(people):
            x, y = scale(p["x"], p["y"])
            points.append(Point(x, y, 3.5, letters.get(p["group"], "")))
            places.dots[p["id"]] = index
        return tuple(points), False, places
    group_of_base = {b: g["id"] for g in result["groups"] for b in g["base_clusters"]}
    points = []
    for b in result["base_clusters"]:
        x, y = scale(b["x"], b["y"])
        radius = min(3 + math.sqrt(len(b["members"])), 24)
        points.append(Point(x, y, round(radius, 1), letters.get(group_of_base.get(b["id"]), "")))
    return tuple(points), True, places
