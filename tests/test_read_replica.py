"""Pages read from a PostgreSQL streaming replica, and whoever writes sees it at once.

A throw-away primary and its standby (tests/postgres_clusters.py says why not the suite's server),
the demo town migrated and seeded with ``DATABASE_REPLICA_URL`` set — the migrations run on the
primary only: on the read-only standby they would fail — and gunicorn with both addresses. The
replica's replay is then paused, so that it lags as far as it ever could: a person who posts an
idea sees it on the next pages (their reads go to the primary for a while after a write), while a
visitor and another logged-in person read the replica and do not see it yet (and get a 404 for
the idea's address). Once replay resumes, they see it too. A replica that stops answering is left
out and the primary serves its reads. ``manage.py check --deploy`` names a replica that cannot be
reached or that is no standby of the primary, and the production deploy of
tools/production_check.py serves its pages with the replica.

Runs in the PostgreSQL pass of the suite (.ci/run) where the PostgreSQL server programs are
installed; skipped on SQLite, which has no replicas.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from tests.postgres_clusters import PrimaryWithReplica, free_port, missing_programs
from tests.web_client import Browser

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from app_server import AppServer  # noqa: E402 - bench/ is put on sys.path first
from bench_env import server_environment  # noqa: E402

from koproduktion.core.db_router import COOKIE  # noqa: E402
from tools import production_check  # noqa: E402
from tools.production_check import manage  # noqa: E402


def _skip_reason() -> str | None:
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return "read replicas are PostgreSQL's: runs when DATABASE_URL is PostgreSQL (.ci/run)"
    missing = missing_programs()
    return f"needs a throw-away PostgreSQL primary and replica, but {missing}" if missing else None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))

DATABASE = "koproduktion"
IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"
WRITER = "buergerin@musterstadt.example"
OTHER = "radler@musterstadt.example"


@dataclass
class Deploy:
    servers: PrimaryWithReplica
    env: dict[str, str]
    base_url: str

    def ideas_titled(self, title: str, *, on: str) -> int:
        server = self.servers.primary if on == "primary" else self.servers.replica
        (count,) = server.execute(
            "SELECT COUNT(*) FROM ideas_idea WHERE title = %s", title, database=DATABASE
        )
        return count


@pytest.fixture(scope="module")
def deploy() -> Iterator[Deploy]:
    with PrimaryWithReplica() as servers:
        servers.primary.execute(f"CREATE DATABASE {DATABASE}")
        primary_url = servers.primary.url(DATABASE)
        env = server_environment(
            primary_url, {"DATABASE_REPLICA_URL": servers.replica.url(DATABASE)}
        )
        manage("migrate", "--noinput", env=env)
        manage("seed_demo", env=env)
        # One worker: the visitors' page cache in its memory is the one every request meets.
        with AppServer(database_url=primary_url, env=env, workers=1) as app:
            servers.wait_for_replay()
            yield Deploy(servers=servers, env=env, base_url=app.base_url)
            log = app.log()
        assert "Traceback" not in log, log


def _post_idea(person: Browser, base_url: str, title: str):
    return person.post(
        base_url + IDEAS + "neu/",
        {
            "title": title,
            "text": "Eine Idee, gepostet während das Replikat hinterherhinkt.",
            "topic": "",
            "neighbourhood": "",
            "address": "",
            "latitude": "",
            "longitude": "",
            "website": "",
        },
    )


def test_migrations_ran_on_the_primary_and_reached_the_replica_by_replication(deploy):
    (standby,) = deploy.servers.replica.execute("SELECT pg_is_in_recovery()")
    assert standby
    query = "SELECT COUNT(*) FROM django_migrations"
    applied = deploy.servers.primary.execute(query, database=DATABASE)
    assert applied[0] > 50
    assert deploy.servers.replica.execute(query, database=DATABASE) == applied


def test_whoever_posts_sees_it_at_once_while_others_read_the_lagging_replica(deploy):
    base, title = deploy.base_url, "Sitzbänke entlang der Hafenallee"
    writer, other, visitor = Browser(), Browser(), Browser()
    assert writer.log_in(base, WRITER).status == 302
    assert other.log_in(base, OTHER).status == 302
    # The other person logged in a while ago: the mark of that write has expired.
    other.forget(COOKIE)
    deploy.servers.pause_replay()
    try:
        posted = _post_idea(writer, base, title)
        # The idea's own page, right after posting, and the list: read from the primary.
        assert posted.status == 200, posted.text[-2000:]
        assert title in posted.text
        assert "Danke! Ihre Idee ist veröffentlicht." in posted.text
        assert title in writer.get(base + IDEAS).text
        assert deploy.ideas_titled(title, on="primary") == 1
        assert deploy.ideas_titled(title, on="replica") == 0

        # Everyone else reads the replica, which has not replayed the idea yet.
        assert title not in visitor.get(base + IDEAS).text
        assert title not in other.get(base + IDEAS).text
        assert visitor.get(posted.url).status == 404
        assert other.get(posted.url).status == 404
    finally:
        deploy.servers.resume_replay()

    # The list the visitor got while the replica lagged was cached under the version read there,
    # not under the primary's newer one: it is not served again now.
    assert title in visitor.get(base + IDEAS).text
    assert title in other.get(base + IDEAS).text
    assert visitor.get(posted.url).status == 200


def test_the_mark_of_a_write_lasts_the_configured_seconds(deploy):
    person = Browser()
    assert person.log_in(deploy.base_url, WRITER).status == 302
    (mark,) = [cookie for cookie in person.jar if cookie.name == COOKIE]
    assert 0 < mark.expires - time.time() <= 10  # DATABASE_PRIMARY_AFTER_WRITE_SECONDS
    assert mark.has_nonstandard_attr("HttpOnly")
    # A page that writes nothing marks nobody.
    visitor = Browser()
    assert visitor.get(deploy.base_url + IDEAS).status == 200
    assert visitor.cookie(COOKIE) is None


def test_the_deploy_check_names_a_replica_that_is_unreachable_or_no_standby(deploy):
    def problems(replica_url: str) -> str:
        env = {**deploy.env, "DATABASE_REPLICA_URL": replica_url}
        try:
            manage("check", "--deploy", "--tag", "database_replicas", env=env)
        except RuntimeError as failed:
            return str(failed)
        return ""

    assert problems(deploy.servers.replica.url(DATABASE)) == ""
    not_standby = problems(deploy.servers.primary.url(DATABASE))
    assert "kp.E103" in not_standby
    assert "is not a standby" in not_standby
    other_database = problems(deploy.servers.replica.url("postgres"))
    assert "kp.E104" in other_database
    unreachable = problems(f"postgres://postgres@127.0.0.1:{free_port()}/x")
    assert "kp.E102" in unreachable
    assert "cannot be reached" in unreachable


def test_the_production_deploy_serves_its_pages_reading_from_the_replica(deploy, tmp_path):
    """make check-production's steps (``check --deploy`` among them) with DATABASE_REPLICA_URL."""
    problems = production_check.run(
        database_url=deploy.servers.primary.url(DATABASE),
        folder=tmp_path,
        replica_url=deploy.servers.replica.url(DATABASE),
    )
    assert problems == []


def test_when_the_replica_stops_the_primary_serves_its_reads(deploy):
    """Last in this module: it stops the replica."""
    base, title = deploy.base_url, "Trinkbrunnen am Hafen"
    visitor = Browser()
    assert visitor.get(base + IDEAS).status == 200
    deploy.servers.replica.stop()
    writer = Browser()
    assert writer.log_in(base, WRITER).status == 302
    assert _post_idea(writer, base, title).status == 200
    page = visitor.get(base + IDEAS)
    assert page.status == 200
    assert title in page.text
