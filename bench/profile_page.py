"""Where a page's time goes: render it in this process, timed and profiled (pyinstrument).

    python bench/profile_page.py /musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/
    python bench/profile_page.py --database postgres --anonymous --repeat 50 URL
    python bench/profile_page.py --warm URL       # what is kept stays kept: the usual request

Uses a database a benchmark left (``bench/dialogue_load.py`` fills the dialogue), as the
resident of the demo town (``dialogue_load.RESIDENT``) unless ``--anonymous``; the page cache is
cleared before each request, so every request renders everything, unless ``--warm``: then
what pages keep (whole pages for visitors, the shared parts of logged-in pages, counts) stays
kept, as between the requests of a real visitor. Prints the mean time per request without
the profiler, then pyinstrument's call tree of the profiled requests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from bench_env import database_url, server_environment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument("--database", default="sqlite", help="sqlite, postgres or a DATABASE_URL")
    parser.add_argument("--anonymous", action="store_true", help="as a visitor, not logged in")
    parser.add_argument("--repeat", type=int, default=20, help="requests timed and profiled")
    parser.add_argument("--warm", action="store_true", help="keep the page cache between requests")
    args = parser.parse_args(argv)
    os.environ.update(server_environment(database_url(args.database), {"ALLOWED_HOSTS": "*"}))

    import django  # noqa: PLC0415 - after the environment is set

    django.setup()
    from dialogue_load import RESIDENT  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from pyinstrument import Profiler  # noqa: PLC0415

    from koproduktion.accounts.models import User  # noqa: PLC0415
    from koproduktion.core.page_cache import forget_all  # noqa: PLC0415

    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    if not args.anonymous:
        client.force_login(User.objects.get(email=RESIDENT))

    def get() -> None:
        if not args.warm:
            forget_all()
        response = client.get(args.path)
        if response.status_code != 200:
            raise SystemExit(f"{args.path} answers {response.status_code}")

    get()
    started = time.perf_counter()
    cpu: list[float] = []
    for _ in range(args.repeat):
        before = time.process_time()
        get()
        cpu.append((time.process_time() - before) * 1000)
    mean = (time.perf_counter() - started) / args.repeat * 1000
    state = "page cache kept" if args.warm else "page cache cleared"
    # The process's CPU time (SQLite runs inside it) moves far less than the clock on a machine
    # shared with other work.
    print(
        f"{args.path}: {mean:.1f} ms per request (mean of {args.repeat}, {state}); "
        f"CPU {statistics.median(cpu):.2f} ms median, {min(cpu):.2f} ms least"
    )
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(args.repeat):
            get()
    print(
        profiler.output_text(
            unicode=True, color=False, show_all=os.environ.get("PROFILE_ALL") == "1"
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
