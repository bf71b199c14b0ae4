"""Where each query goes with read replicas (core/db_router.py), and nothing changes without them.

The router's decisions are checked here one by one; tests/test_read_replica.py runs them against a
real primary and its lagging standby.
"""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.test import RequestFactory

from koproduktion.accounts.models import User
from koproduktion.core import db_router
from koproduktion.core.db_router import COOKIE, ReplicaRouter, reads_from, replicas_for
from koproduktion.core.models import RateCounter
from koproduktion.ideas.models import Idea
from koproduktion.settings.database import (
    REPLICA_CONNECT_TIMEOUT,
    replica_settings,
    seconds_setting,
)

from .test_settings import _manage

PRIMARY = {"ENGINE": "django.db.backends.postgresql", "NAME": "koproduktion"}
SHOW = (
    "import json; from django.conf import settings; print(json.dumps({"
    "'aliases': list(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS, "
    "'first': settings.MIDDLEWARE[0], 'replica': settings.DATABASES.get('replica2')}))"
)


def _settings(**env: str) -> dict:
    result = _manage("shell", "-v0", "-c", SHOW, env={"DATABASE_REPLICA_URL": "", **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_without_a_replica_there_is_no_router_and_no_middleware():
    shown = _settings(DATABASE_URL="postgres://db.example.org/koproduktion")
    assert shown["aliases"] == ["default"]
    assert shown["routers"] == []
    assert "db_router" not in shown["first"]


def test_each_replica_of_the_setting_becomes_a_database_read_in_its_place_by_the_tests():
    shown = _settings(
        DATABASE_URL="postgres://db.example.org/koproduktion",
        DATABASE_REPLICA_URL=(
            "postgres://reader@replica-1.example.org/koproduktion,"
            "postgres://reader@replica-2.example.org:5433/koproduktion?connect_timeout=1"
        ),
    )
    assert shown["aliases"] == ["default", "replica", "replica2"]
    assert shown["routers"] == ["koproduktion.core.db_router.ReplicaRouter"]
    assert shown["first"] == "koproduktion.core.db_router.ReplicaReadsMiddleware"
    assert shown["replica"]["HOST"] == "replica-2.example.org"
    assert shown["replica"]["PORT"] == 5433
    assert shown["replica"]["OPTIONS"]["connect_timeout"] == 1
    assert shown["replica"]["TEST"]["MIRROR"] == "default"


def test_a_replica_waits_a_few_seconds_for_its_connection_unless_told_otherwise():
    (config,) = replica_settings(
        ["postgres://replica.example.org/koproduktion"], primary=PRIMARY, conn_max_age=60
    ).values()
    assert config["OPTIONS"]["connect_timeout"] == REPLICA_CONNECT_TIMEOUT
    assert config["CONN_MAX_AGE"] == 60


@pytest.mark.parametrize(
    ("primary", "url", "named"),
    [
        ({"ENGINE": "django.db.backends.sqlite3"}, "postgres://r/db", "needs PostgreSQL"),
        (PRIMARY, "sqlite:///replica.sqlite3", "must give each replica as postgres://"),
        (PRIMARY, "mysql://replica.example.org/db", "must give each replica as postgres://"),
        (PRIMARY, "postgres://replica.example.org", "must give each replica as postgres://"),
        (PRIMARY, "replica.example.org", "is not a database URL"),
    ],
)
def test_a_replica_that_cannot_be_one_is_refused_by_name(primary, url, named):
    with pytest.raises(ImproperlyConfigured, match=named):
        replica_settings([url], primary=primary, conn_max_age=0)


@pytest.mark.parametrize("value", ["0", "-5", "zehn", ""])
def test_reads_stay_on_the_primary_at_least_a_second_after_a_write(value):
    assert seconds_setting("DATABASE_PRIMARY_AFTER_WRITE_SECONDS", "10") == 10
    with pytest.raises(ImproperlyConfigured, match="DATABASE_PRIMARY_AFTER_WRITE_SECONDS"):
        seconds_setting("DATABASE_PRIMARY_AFTER_WRITE_SECONDS", value)


@pytest.fixture
def answering(monkeypatch) -> list[str]:
    """The replicas that answer; their servers run in tests/test_read_replica.py, not here."""
    up = ["replica", "replica2"]
    monkeypatch.setattr(db_router, "_reachable", lambda alias: alias in up)
    return up


def test_outside_a_request_every_read_goes_to_the_primary():
    """Commands, task workers and the shell act on what they read."""
    assert ReplicaRouter().db_for_read(Idea) == DEFAULT_DB_ALIAS


def test_a_request_reads_from_its_replica_until_it_writes(answering):
    router = ReplicaRouter()
    with reads_from("replica2") as reads:
        assert router.db_for_read(Idea) == "replica2"
        assert router.db_for_read(User) == "replica2"
        assert router.db_for_write(Idea) == DEFAULT_DB_ALIAS
        assert reads.wrote
        assert router.db_for_read(Idea) == DEFAULT_DB_ALIAS
    with reads_from():
        assert router.db_for_read(Idea) == DEFAULT_DB_ALIAS


def test_a_replica_that_does_not_answer_is_passed_over_for_the_next_or_the_primary(answering):
    router = ReplicaRouter()
    answering.remove("replica")
    with reads_from("replica", "replica2"):
        assert router.db_for_read(Idea) == "replica2"
    answering.remove("replica2")
    with reads_from("replica", "replica2"):
        assert router.db_for_read(Idea) == DEFAULT_DB_ALIAS


def test_sessions_counters_and_the_task_queue_stay_on_the_primary_and_mark_no_one(answering):
    from django.contrib.sessions.models import Session  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    router = ReplicaRouter()
    with reads_from("replica") as reads:
        for model in (Session, RateCounter, DBTaskResult):
            assert router.db_for_read(model) == DEFAULT_DB_ALIAS
            assert router.db_for_write(model) == DEFAULT_DB_ALIAS
        assert not reads.wrote
        assert router.db_for_read(Idea) == "replica"


@pytest.mark.django_db(transaction=True)
def test_reads_inside_a_transaction_go_to_the_primary(answering):
    """A service reads what it then changes in its transaction.atomic."""
    router = ReplicaRouter()
    with reads_from("replica"):
        with transaction.atomic():
            assert router.db_for_read(Idea) == DEFAULT_DB_ALIAS
        assert router.db_for_read(Idea) == "replica"


def test_migrations_run_on_the_primary_only():
    router = ReplicaRouter()
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "ideas")
    assert not router.allow_migrate("replica", "ideas")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_request_that_may_write_reads_from_the_primary(method):
    request = RequestFactory().generic(method, "/")
    assert replicas_for(request) == []


def test_a_person_who_wrote_a_moment_ago_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = ["replica"]
    request = RequestFactory().get("/")
    assert replicas_for(request) == ["replica"]
    request.COOKIES[COOKIE] = "9999999999"
    assert replicas_for(request) == []
    request.COOKIES[COOKIE] = "1"  # a mark that ran out
    assert replicas_for(request) == ["replica"]
