"""The public PIMEV page of a town with 50,000 people's activity (1,000,000 acts), cold and warm.

    python bench/pimev_page.py                               # PostgreSQL at 127.0.0.1, full scale
    python bench/pimev_page.py --people 5000 --acts 100000   # smaller, on a busy machine
    python bench/pimev_page.py --record                      # also appends to RESULTS.md

A fresh database ``kp_bench_pimev``: one town with 12 neighbourhoods (with residents) and 100
projects, ``--people`` accounts and ``--acts`` acts written with COPY (a few people with many
acts, most with few, over 24 months, of every kind). Then, in this one process:
``funnel_compute`` once (what the background run costs), and ``--runs`` times each: ``/healthz``
(the baseline), the public page cold (the cache emptied before every request, so it renders
from the computed figures) and warm (from the cache), and the staff page. The target: the
public page under 300 ms cold. Prints medians, the 95th percentile and the ratios to /healthz.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
for folder in (HERE, HERE.parent):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from bench_env import HOST, database_label, fresh_database, machine, record, server_environment

DATABASE = f"postgres://postgres@{HOST}:5432/kp_bench_pimev"
TARGET_MS = 300
KIND_WEIGHTS = {
    "idea": 8,
    "comment": 14,
    "support": 30,
    "statement": 2,
    "statement_vote": 10,
    "poll_participation": 8,
    "follow": 8,
    "event_registration": 6,
    "commitment": 5,
    "task_completed": 3,
    "sponsorship_application": 1,
    "sponsorship": 1,
    "initiative_support": 2,
    "co_initiator": 1,
    "need_offer": 1,
}


def _fill(people: int, acts: int) -> dict[str, object]:
    from django.db import connection  # noqa: PLC0415 - after django.setup()

    from koproduktion.accounts.models import User  # noqa: PLC0415
    from koproduktion.activity.models import Activity  # noqa: PLC0415
    from koproduktion.core.models import Municipality, Neighbourhood  # noqa: PLC0415
    from koproduktion.projects.models import Project  # noqa: PLC0415

    rng = random.Random(42)
    town = Municipality.objects.create(name="Benchstadt", slug="benchstadt")
    quarters = Neighbourhood.objects.bulk_create(
        Neighbourhood(
            municipality=town,
            name=f"Quartier {n}",
            slug=f"quartier-{n}",
            population=rng.randint(2000, 12000),
        )
        for n in range(12)
    )
    projects = Project.objects.bulk_create(
        Project(
            municipality=town,
            title=f"Vorhaben {n}",
            slug=f"vorhaben-{n}",
            summary="Ein Vorhaben.",
            neighbourhood=quarters[n % len(quarters)] if n % 5 else None,
            is_published=True,
        )
        for n in range(100)
    )
    started = time.monotonic()
    User.objects.bulk_create(
        (
            User(email=f"person{n}@example.org", public_name=f"Person {n}", password="!")
            for n in range(people)
        ),
        batch_size=5000,
    )
    user_ids = list(User.objects.order_by("pk").values_list("pk", flat=True))
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    today = dt.date.today()
    first = today - dt.timedelta(days=730)
    columns = (
        "municipality_id, user_id, kind, source_id, project_id, neighbourhood_id, "
        "occurred_at, day, month"
    )
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {Activity._meta.db_table} ({columns}) FROM STDIN") as copy:
            for n in range(acts):
                # Most people act a few times, a few act very often.
                user = user_ids[int(len(user_ids) * rng.random() ** 2.5)]
                project = projects[rng.randrange(len(projects))] if rng.random() < 0.85 else None
                quarter = project.neighbourhood_id if project else rng.choice(quarters).pk
                day = first + dt.timedelta(days=rng.randrange(731))
                at = dt.datetime.combine(day, dt.time(rng.randrange(24)), tzinfo=dt.UTC)
                copy.write_row(
                    (
                        town.pk,
                        user,
                        rng.choices(kinds, weights)[0],
                        n + 1,
                        project.pk if project else None,
                        quarter,
                        at,
                        day,
                        day.replace(day=1),
                    )
                )
        cursor.execute(f"ANALYZE {Activity._meta.db_table}")
    return {"town": town, "fill_seconds": time.monotonic() - started}


def _times(call, runs: int, before=None) -> list[float]:
    found = []
    for _run in range(runs):
        if before:
            before()
        started = time.perf_counter()
        call()
        found.append((time.perf_counter() - started) * 1000)
    return found


def _summary(label: str, values: list[float], baseline: float) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    median = statistics.median(values)
    return f"| {label} | {median:.1f} | {p95:.1f} | {values[-1]:.1f} | {median / baseline:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--acts", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database", default=DATABASE, help="a PostgreSQL URL")
    parser.add_argument("--record", action="store_true", help="append to bench/RESULTS.md")
    args = parser.parse_args()

    os.environ.update(server_environment(args.database))
    fresh_database(args.database)
    import django  # noqa: PLC0415 - the environment first

    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from koproduktion.accounts.models import User  # noqa: PLC0415
    from koproduktion.activity.services import funnel_compute  # noqa: PLC0415
    from koproduktion.core.models import Membership  # noqa: PLC0415
    from koproduktion.core.page_cache import forget_all  # noqa: PLC0415
    from koproduktion.core.roles import Role  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    filled = _fill(args.people, args.acts)
    town = filled["town"]
    started = time.perf_counter()
    figures = funnel_compute(municipality=town)
    compute_seconds = time.perf_counter() - started

    visitor = Client(HTTP_HOST=HOST)
    public = reverse("activity:public", args=[town.slug])
    staff_url = reverse("activity_staff:staff", args=[town.slug])
    admin = User.objects.create(email="admin@example.org", public_name="Admin", password="!")
    Membership.objects.create(user=admin, municipality=town, role=Role.ADMIN)
    staff = Client(HTTP_HOST=HOST)
    staff.force_login(admin)
    for client, url in ((visitor, "/healthz"), (visitor, public), (staff, staff_url)):
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    healthz = _times(lambda: visitor.get("/healthz"), args.runs)
    cold = _times(lambda: visitor.get(public), args.runs, before=forget_all)
    quarter = _times(lambda: visitor.get(public + "?quartier=quartier-3"), args.runs, forget_all)
    warm = _times(lambda: visitor.get(public), args.runs)
    staff_times = _times(lambda: staff.get(staff_url), args.runs)
    baseline = statistics.median(healthz)
    cold_median = statistics.median(cold)
    lines = [
        f"## PIMEV page: {args.people:,} people, {args.acts:,} acts ({dt.date.today()})",
        "",
        f"{database_label(args.database)}; {machine()}; in one process (Django's test client), "
        f"{args.runs} requests each. Filled in {filled['fill_seconds']:.0f} s; "
        f"`funnel_compute` (the background run) took {compute_seconds:.1f} s for {figures} figures.",
        "",
        "| request | median ms | p95 ms | max ms | × /healthz |",
        "|---|---|---|---|---|",
        _summary("/healthz", healthz, baseline),
        _summary("public page, cold", cold, baseline),
        _summary("public page, a neighbourhood, cold", quarter, baseline),
        _summary("public page, warm", warm, baseline),
        _summary("staff page (never cached)", staff_times, baseline),
        "",
        f"Target: public page under {TARGET_MS} ms cold — "
        + ("met" if cold_median < TARGET_MS else "missed")
        + f" ({cold_median:.0f} ms).",
    ]
    print("\n".join(lines))
    if args.record:
        record("\n".join(lines))


if __name__ == "__main__":
    main()
