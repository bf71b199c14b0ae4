"""The production deploy as docs/deploy.md describes it, started and looked at from outside.

    python -m tools.production_check          # the demo town on SQLite in a temporary folder
    python -m tools.production_check --database-url postgres://postgres@127.0.0.1:5432/scratch
    python -m tools.production_check --database-url postgres://…/scratch \
        --replica-url postgres://…:5433/scratch   # a streaming replica of that server

Everything runs with ``DJANGO_ENV=production`` and a production-like environment: a random
``SECRET_KEY``, ``ALLOWED_HOSTS``, an ``smtp://`` ``EMAIL_URL`` (nothing is sent), the database
queue for background work, ``STATIC_ROOT`` and ``MEDIA_ROOT`` in the temporary folder. The steps
are the deploy's own: ``migrate``, ``seed_demo``, ``collectstatic``, ``check --deploy``. Then
gunicorn serves the app on a free port of 127.0.0.1 and real pages are fetched (``PAGES``), and
every static file those pages link to, which must carry the hash of the manifest. Any other status
than the expected one, an https page without HSTS or a traceback in gunicorn's log is a problem.

In production the app sits behind a proxy that ends TLS and says so in ``X-Forwarded-Proto``,
which the settings trust (``SECURE_PROXY_SSL_HEADER``). The requests send that header as the
proxy would, except those marked ``https=False``: over plain HTTP /healthz answers (load
balancers probe it) and every other page redirects to https.

A database given by URL is used as it is (``migrate`` and ``seed_demo`` may run again); the tests
hand in a scratch database. With ``--replica-url`` the app reads from that standby
(``DATABASE_REPLICA_URL``): ``check --deploy`` fails unless it answers and replicates the database,
and the pages are read from it. Used by ``make check-production`` (.ci/run) and tests/test_production.py.
"""

from __future__ import annotations

import argparse
import http.client
import re
import secrets
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The benchmarks' gunicorn harness (a free port, waiting for /healthz, stopping the workers).
sys.path.insert(0, str(ROOT / "bench"))

from app_server import AppServer
from bench_env import HOST, PYTHON, server_environment

TOWN = "/musterstadt/"
PROJECT = TOWN + "vorhaben/fahrradstrasse-hafenallee/"
# Names collected by ManifestStaticFilesStorage carry 12 hex digits of their content's hash.
HASHED_NAME = re.compile(r"\.[0-9a-f]{12}\.\w+$")
# The vendored files a page must link to, by their names before hashing.
REQUIRED_STATIC = ("vendor/leaflet/leaflet.js", "vendor/htmx.min.js")


@dataclass(frozen=True)
class Page:
    path: str
    status: int
    https: bool = True


PAGES = (
    Page("/healthz", 200, https=False),
    Page("/", 301, https=False),
    Page("/", 200),
    Page(TOWN, 200),
    Page(PROJECT, 200),
    Page(PROJECT + "ideen/", 200),  # with the map, so with Leaflet
    Page("/konto/anmelden/", 200),
    Page("/gibt-es-nicht/", 404),
    Page("/api/v1/municipalities", 200),
    Page("/api/v1/openapi.json", 200),
    Page("/api/v1/docs", 200),
)


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


def production_environment(
    *, database_url: str, folder: Path, replica_url: str = ""
) -> dict[str, str]:
    """What an operator sets (docs/deploy.md), with throwaway values and folders."""
    replica = {"DATABASE_REPLICA_URL": replica_url} if replica_url else {}
    return {
        **replica,
        "DJANGO_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "DEBUG": "false",
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": database_url,
        "EMAIL_URL": f"smtp://{HOST}:2525",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "STATIC_ROOT": str(folder / "static"),
        "MEDIA_ROOT": str(folder / "media"),
        "SITE_URL": f"https://{HOST}",
        "LOG_LEVEL": "WARNING",
        "OPERATOR_NAME": "Stadt Musterstadt, Amt für Bürgerbeteiligung",
        "OPERATOR_ADDRESS": "Marktplatz 1|12345 Musterstadt",
        "OPERATOR_EMAIL": "beteiligung@musterstadt.example",
    }


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own with ``env``; a failure raises with its output."""
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"manage.py {' '.join(args)} failed with DJANGO_ENV={env.get('DJANGO_ENV')}:\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
        )
    return result


def prepare(env: dict[str, str]) -> None:
    """The deploy's steps; a failing one raises with its output."""
    manage("migrate", "--noinput", env=env)
    manage("seed_demo", env=env)
    manage("collectstatic", "--noinput", env=env)
    manage("check", "--deploy", "--fail-level", "WARNING", env=env)


def fetch(base_url: str, path: str, *, https: bool = True) -> Answer:
    """One GET without following redirects, as a browser behind the proxy would send it."""
    host_port = base_url.split("://", 1)[1]
    connection = http.client.HTTPConnection(host_port, timeout=30)
    headers = {"Accept-Language": "de", "X-Forwarded-Proto": "https" if https else "http"}
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return Answer(
            response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        )
    finally:
        connection.close()


class _StaticLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href"} and value and value.startswith("/static/"):
                self.links.add(value.split("?", 1)[0].split("#", 1)[0])


def check_pages(base_url: str) -> list[str]:
    """Every page of ``PAGES`` and every static file they link to; what is wrong, in words."""
    problems: list[str] = []
    links = _StaticLinks()
    for page in PAGES:
        answer = fetch(base_url, page.path, https=page.https)
        where = f"{'https' if page.https else 'http'} {page.path}"
        if answer.status != page.status:
            problems.append(f"{where}: {answer.status}, expected {page.status}")
            continue
        if page.status == 301 and not answer.headers.get("location", "").startswith("https://"):
            problems.append(f"{where}: redirects to {answer.headers.get('location')!r}, not https")
        if page.https and "strict-transport-security" not in answer.headers:
            problems.append(f"{where}: no Strict-Transport-Security header")
        if answer.headers.get("content-type", "").startswith("text/html"):
            links.feed(answer.body.decode("utf-8", "replace"))
    for required in REQUIRED_STATIC:
        stem, suffix = required.rsplit(".", 1)
        if not any(
            re.fullmatch(rf"/static/{re.escape(stem)}\.[0-9a-f]{{12}}\.{suffix}", link)
            for link in links.links
        ):
            problems.append(f"no page links to the collected {required} under its hashed name")
    for link in sorted(links.links):
        if not HASHED_NAME.search(link):
            problems.append(f"{link}: linked without the manifest's hash")
        answer = fetch(base_url, link)
        if answer.status != 200:
            problems.append(f"{link}: {answer.status}, expected 200")
    return problems


def run(*, database_url: str, folder: Path, replica_url: str = "") -> list[str]:
    """Prepare as a deploy does, serve with gunicorn, fetch; the problems found, in words."""
    env = server_environment(
        database_url,
        production_environment(database_url=database_url, folder=folder, replica_url=replica_url),
    )
    prepare(env)
    with AppServer(database_url=database_url, env=env) as server:
        problems = check_pages(server.base_url)
        log = server.log()
    if "Traceback" in log:
        problems.append(f"gunicorn logged an exception:\n{log}")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", help="a scratch database (default: SQLite in a temporary folder)"
    )
    parser.add_argument(
        "--replica-url",
        default="",
        help="a streaming replica of that database, read as DATABASE_REPLICA_URL (PostgreSQL)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koproduktion-production-") as name:
        folder = Path(name)
        database_url = args.database_url or f"sqlite:///{folder / 'db.sqlite3'}"
        problems = run(database_url=database_url, folder=folder, replica_url=args.replica_url)
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"The production deploy serves {len(PAGES)} pages and their static files as expected.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
