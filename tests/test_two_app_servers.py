"""Two app servers behind one PostgreSQL and one Redis behave as one.

The production topology of docs/deploy.md on one machine: gunicorn twice, on two loopback ports,
as two machines behind a load balancer (one browser, one cookie jar for both), with the settings
production uses for what they share — ``REDIS_URL`` for sessions, the visitors' page cache and
the rate limits, the database task queue with its worker (``manage.py db_worker``) — on a fresh
PostgreSQL database with the demo town. Each test moves a person from one server to the other:

- logged in on A, the session holds on B, and logging out on B ends it on A;
- failed log-ins counted on A lock the account on B;
- a page a visitor got from A is served from the shared cache by B, and a write through B shows
  on A at once;
- a registration through A is mailed by the task worker, and its link confirms the address on B.

Runs when DATABASE_URL is PostgreSQL (the second pass of .ci/run) and Redis answers on
127.0.0.1:6379; on SQLite, one file on one machine is no shared database server.
"""

from __future__ import annotations

import re
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from django.conf import settings

from tests.web_client import Browser

BENCH = Path(__file__).resolve().parents[1] / "bench"
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

from app_server import AppServer  # noqa: E402 - bench/ is put on sys.path first
from bench_env import prepare_demo_town  # noqa: E402
from mixed_load import task_worker  # noqa: E402

REDIS_URL = "redis://127.0.0.1:6379/15"  # the tests' Redis database (core/tests/redis_support.py)
IDEAS = "/musterstadt/vorhaben/fahrradstrasse-hafenallee/ideen/"
MAIL_WAIT = 60  # seconds for the task worker to send a mail


def _skip_reason() -> str | None:
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return (
            "app servers on several machines share a PostgreSQL server: runs when DATABASE_URL "
            "is PostgreSQL (.ci/run)"
        )
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.ConnectionError:
        return "Redis does not answer on 127.0.0.1:6379 (.ci/run starts it)"
    finally:
        client.close()
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=str(_skip_reason()))


@dataclass
class Site:
    a: str
    b: str
    mail: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory, django_db_setup) -> Iterator[Site]:
    """The demo town on a fresh database, served by two app servers and one task worker."""
    from django.db import connection  # noqa: PLC0415

    config = connection.settings_dict
    url = (
        f"postgres://{config['USER']}:{config['PASSWORD']}@{config['HOST']}:"
        f"{config['PORT'] or 5432}/{config['NAME']}_two_servers"
    )
    mail = tmp_path_factory.mktemp("mail")
    prefix = f"kp-test-{uuid.uuid4().hex}"
    env = {
        "REDIS_URL": REDIS_URL,
        "REDIS_KEY_PREFIX": prefix,  # apart from every other run that uses this Redis
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_URL": f"file://{mail}",
    }
    prepare_demo_town(url)
    try:
        with (
            AppServer(database_url=url, env=env) as a,
            AppServer(database_url=url, env=env) as b,
            task_worker(url, env),
        ):
            yield Site(a=a.base_url, b=b.base_url, mail=mail)
            logs = a.log() + b.log()
        assert "Traceback" not in logs, logs
    finally:
        _forget(prefix)
        _drop(url)


def _forget(prefix: str) -> None:
    client = redis.Redis.from_url(REDIS_URL)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


def _drop(url: str) -> None:
    import psycopg  # noqa: PLC0415
    from psycopg import sql  # noqa: PLC0415

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_session_begun_on_one_server_holds_on_the_other(site):
    person = Browser()
    assert person.get(site.b + "/konto/", follow=False).status == 302  # to the log-in
    assert person.log_in(site.a, "buergerin@musterstadt.example").status == 302
    profile = person.get(site.b + "/konto/", follow=False)
    assert profile.status == 200
    assert "buergerin@musterstadt.example" in profile.text
    # Logging out on B ends the session on A too.
    assert person.post(site.b + "/konto/abmelden/", {}, follow=False).status == 302
    assert person.get(site.a + "/konto/", follow=False).status == 302


def test_failed_log_ins_counted_on_one_server_lock_the_account_on_the_other(site):
    email = "anwohnerin@musterstadt.example"
    person = Browser()
    for _ in range(5):  # RATE_LIMITS["login"]: five failures per account in 15 minutes
        refused = person.log_in(site.a, email, password="falsch-geraten")
        assert refused.status == 200
        assert "E-Mail-Adresse oder Passwort stimmen nicht." in refused.text
    locked = person.log_in(site.b, email)  # the right password, on the other server
    assert locked.status == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche." in locked.text
    assert person.get(site.b + "/konto/", follow=False).status == 302  # not logged in


def test_a_page_cached_by_one_server_is_renewed_by_a_write_through_the_other(site):
    visitor, writer = Browser(), Browser()
    title = "Fahrradbügel vor der Bäckerei"
    assert visitor.get(site.a + IDEAS).headers.get("x-page-cache") is None
    assert visitor.get(site.a + IDEAS).headers.get("x-page-cache") == "hit"
    assert visitor.get(site.b + IDEAS).headers.get("x-page-cache") == "hit"  # A's copy

    assert writer.log_in(site.a, "buergerin@musterstadt.example").status == 302
    posted = writer.post(
        site.b + IDEAS + "neu/",
        {"title": title, "text": "Damit man das Rad nicht an den Baum lehnt.", "website": ""},
    )
    assert posted.status == 200
    assert title in posted.text

    renewed = visitor.get(site.a + IDEAS)
    assert renewed.headers.get("x-page-cache") is None
    assert title in renewed.text
    again = visitor.get(site.b + IDEAS)
    assert again.headers.get("x-page-cache") == "hit"
    assert title in again.text


def test_a_task_enqueued_through_one_server_is_run_by_the_worker(site):
    """The confirmation mail of a registration through A is sent by the task worker."""
    person = Browser()
    email, password = f"neu-{uuid.uuid4().hex[:8]}@example.org", "Ein-langes-Passwort-2026!"
    sent = person.post(
        site.a + "/konto/registrieren/",
        {
            "email": email,
            "public_name": f"Neu {uuid.uuid4().hex[:6]}",
            "municipality": "",
            "password1": password,
            "password2": password,
            "accept_terms": "on",
            "website": "",
        },
    )
    assert sent.status == 200
    assert email in sent.text

    link = _confirmation_link(site.mail, email)
    confirmed = person.get(link.replace(site.a, site.b))
    assert confirmed.status == 200
    assert "Ihre E-Mail-Adresse ist bestätigt." in confirmed.text
    assert person.log_in(site.b, email, password=password).status == 302


def _confirmation_link(folder: Path, email: str) -> str:
    deadline = time.monotonic() + MAIL_WAIT
    while time.monotonic() < deadline:
        for message in folder.glob("*.log"):
            text = message.read_text(errors="replace")
            found = re.search(r"http://\S+/konto/bestaetigen/\S+/", text)
            if email in text and found:
                return found.group(0)
        time.sleep(0.2)
    raise AssertionError(f"No confirmation mail to {email} within {MAIL_WAIT} seconds.")
