"""Reading a page opens no transaction, so on SQLite it never waits for the write lock.

SQLite transactions begin IMMEDIATE (settings/database.py): each ``transaction.atomic`` takes
the database's one write lock at its start, also if it then only reads. A read that opened one
would queue behind every write in progress and hold up the writes after it. So every page of
the demo town (found through the URL configuration, as in ``test_bad_input_pages``) and the
API's reads are fetched as visitor, resident and administrator, and every query they make
inside a transaction they opened themselves is reported.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client

from koproduktion.ideas.models import Idea, Support

from .bad_input_demo import IDEAS_PROJECT, POLL_PROJECT, TOWN, Demo, log_in
from .test_bad_input_pages import PAGES

pytestmark = pytest.mark.django_db

API = f"/api/v1/municipalities/{TOWN}/projects"
API_READS = [
    "/api/v1/municipalities",
    API,
    f"{API}/{IDEAS_PROJECT}/ideas",
    f"{API}/{IDEAS_PROJECT}/ideas/{{idea}}",
    f"{API}/{IDEAS_PROJECT}/ideas/{{idea}}/comments",
    f"{API}/{IDEAS_PROJECT}/opinion-map",
    f"{API}/{POLL_PROJECT}/polls",
    f"{API}/{POLL_PROJECT}/polls/{{poll}}/results",
]


WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def read_only_transactions(send: Callable[[str], HttpResponse], url: str) -> tuple[list[str], int]:
    """The transactions ``send(url)`` opens and only reads in (each as its first statement),
    and the answer's status. A transaction that writes needs the lock anyway (a session saved).
    """
    outer = len(connection.atomic_blocks)  # the test's own transaction
    opened: dict[int, list[str]] = {}

    def watch(execute, sql, params, many, context):
        if len(connection.atomic_blocks) > outer:
            statement = " ".join(sql.split())
            if not statement.upper().startswith(("SAVEPOINT", "RELEASE")):
                opened.setdefault(id(connection.atomic_blocks[outer]), []).append(statement)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        status = send(url).status_code
    found = [
        statements[0][:100]
        for statements in opened.values()
        if not any(s.upper().startswith(WRITES) for s in statements)
    ]
    return found, status


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_pages_read_outside_transactions(demo: Demo, page):
    problems = []
    for who in ("anonymous", "resident", "admin"):
        client = Client(raise_request_exception=False)
        log_in(client, demo, who)
        url = page.url(demo)
        found, _status = read_only_transactions(client.get, url)
        problems += [f"{url} as {who}: {sql}" for sql in found]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", API_READS)
def test_api_reads_outside_transactions(demo: Demo, path):
    url = path.format(**demo.ids)
    problems = []
    for who in ("anonymous", "resident"):
        client = Client(raise_request_exception=False)
        log_in(client, demo, who)
        found, status = read_only_transactions(client.get, url)
        assert status == 200, (url, who, status)
        problems += [f"{url} as {who}: {sql}" for sql in found]
    assert not problems, "\n".join(problems)


def test_the_check_tells_writing_from_reading_transactions(demo: Demo):
    client = Client(raise_request_exception=False)
    log_in(client, demo, "resident")
    ideas = Idea.objects.filter(project__slug=IDEAS_PROJECT, municipality__slug=TOWN)
    other = (
        ideas.exclude(author=demo.resident)
        .exclude(pk__in=Support.objects.filter(user=demo.resident).values("idea"))
        .first()
    )
    assert read_only_transactions(
        client.post, f"{API}/{IDEAS_PROJECT}/ideas/{other.pk}/support"
    ) == ([], 201)

    # A transaction that only reads is seen.
    def reads_in_a_transaction(_url: str) -> HttpResponse:
        with transaction.atomic():
            list(ideas.values_list("pk", flat=True)[:1])
        return HttpResponse(status=204)

    found, status = read_only_transactions(reads_in_a_transaction, "")
    assert status == 204
    assert len(found) == 1
    assert found[0].upper().startswith("SELECT")
