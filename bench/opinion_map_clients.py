"""The clients of ``opinion_map_live.py``: voters sending their votes through the API on a fixed
schedule, and a visitor reloading the results page to see how fresh it is; and where the slow
votes were (while a computation ran, in the start's backlog)."""

from __future__ import annotations

import bisect
import datetime as dt
import http.client
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from bench_env import percentile

TOWN = "musterstadt"
TIMEOUT = 60


@dataclass
class Vote:
    scheduled: float  # monotonic
    sent: float = 0.0
    done: float = 0.0
    wall_done: float = 0.0  # time.time() when answered
    status: int = 0
    measured: bool = False

    @property
    def latency_ms(self) -> float:
        return (self.done - self.sent) * 1000


@dataclass
class Sample:
    asked: float  # time.time()
    computed_at: float | None
    votes: int


@dataclass
class Run:
    votes: list[Vote] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def _request(base_url: str, method: str, path: str, headers: dict, body: bytes | None):
    parts = urlsplit(base_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=TIMEOUT)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except OSError as error:
        return 0, str(error).encode()
    finally:
        connection.close()


def vote_client(base_url: str, run: Run, plan: list[tuple[int, Vote, str, int]]) -> None:
    """Send this client's votes, each at its scheduled time."""
    api = f"/api/v1/municipalities/{TOWN}/projects/meinungsbild-last/statements"
    for _k, vote, session, statement in plan:
        wait = vote.scheduled - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        csrf = secrets.token_hex(16)
        headers = {
            "Cookie": f"sessionid={session}; csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/json",
            "Accept-Language": "de",
        }
        body = json.dumps({"vote": "agree" if statement % 2 else "disagree"}).encode()
        vote.sent = time.monotonic()
        vote.status, _content = _request(base_url, "POST", f"{api}/{statement}/vote", headers, body)
        vote.done = time.monotonic()
        vote.wall_done = time.time()


SHOWN_AT = re.compile(rb'<time datetime="([^"]+)"')
SHOWN_VOTES = re.compile(rb"abgegebene Stimmen</dt><dd>([\d.]+)</dd>")


def freshness_poller(base_url: str, run: Run) -> None:
    """A visitor reloading the results page every half second: the computation it shows is the
    one in its ``<time datetime>`` ("Stand: …")."""
    path = f"/{TOWN}/vorhaben/meinungsbild-last/meinungsbild/ergebnis/"
    while not run.stop.is_set():
        asked = time.time()
        status, content = _request(base_url, "GET", path, {"Accept-Language": "de"}, None)
        shown = SHOWN_AT.search(content) if status == 200 else None
        if shown:
            when = dt.datetime.fromisoformat(shown.group(1).decode()).timestamp()
            votes = SHOWN_VOTES.search(content)
            run.samples.append(
                Sample(asked, when, int(votes.group(1).replace(b".", b"")) if votes else 0)
            )
        run.stop.wait(0.5)


def _sent_at(vote: Vote) -> float:
    """When ``vote`` was sent, in ``time.time()``."""
    return vote.wall_done - (vote.done - vote.sent)


def by_computation(
    votes: list[Vote], computations: list[tuple[float, float]]
) -> dict[str, tuple[int, float, float, float]]:
    """The measured votes sent while a computation ran and the others: (count, p50, p90, p99)."""
    spans = sorted((start, start + seconds) for start, seconds in computations)
    starts = [start for start, _end in spans]
    parts: dict[str, list[float]] = {"while a computation ran": [], "otherwise": []}
    for vote in votes:
        sent = _sent_at(vote)
        i = bisect.bisect_right(starts, sent) - 1
        running = i >= 0 and sent <= spans[i][1]
        parts["while a computation ran" if running else "otherwise"].append(vote.latency_ms)
    return {
        name: (len(xs), percentile(xs, 0.5), percentile(xs, 0.9), percentile(xs, 0.99))
        for name, xs in parts.items()
    }


def start_over(votes: list[Vote], quiet_ms: float = 20.0, seconds: int = 5) -> float | None:
    """The second of the load from which the votes' median stays under ``quiet_ms`` for
    ``seconds`` seconds in a row: when the backlog of the start (every voter's first vote, cold
    processes) is over. None if it never is."""
    first = min(_sent_at(v) for v in votes)
    per_second: dict[int, list[float]] = {}
    for vote in votes:
        per_second.setdefault(int(_sent_at(vote) - first), []).append(vote.latency_ms)
    medians = [percentile(per_second.get(s, []), 0.5) for s in range(max(per_second) + 1)]
    for second in range(len(medians) - seconds + 1):
        if all(0 < m < quiet_ms for m in medians[second : second + seconds]):
            return float(second)
    return None
