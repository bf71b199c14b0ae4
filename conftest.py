from collections.abc import Callable, Iterator
from urllib.parse import quote

import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _test_defaults(settings):
    """Every test starts in German with empty caches, as a first visit would.

    Passwords use a fast hash here; the real hasher is slow on purpose and would only slow the suite.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Background work of the opinion map waits until a test runs it (opinions.background):
    # another thread could not see the test's database transaction.
    settings.OPINION_MAP_TASKS_IN_PROCESS = "held"
    cache.clear()
    from koproduktion.core.kept import forget_kept  # noqa: PLC0415

    forget_kept()
    with translation.override("de"):
        yield
    from koproduktion.opinions.background import discard_held  # noqa: PLC0415

    discard_held()


@pytest.fixture
def scratch_database(django_db_setup, tmp_path) -> Iterator[Callable[[str], str]]:
    """``scratch_database(label)`` is the URL of an empty database of the kind the tests run on.

    For the tests that run the app in other processes (``manage.py``, gunicorn), which cannot see
    the test database's transaction. On PostgreSQL the database is named after the test database
    (``test_kp_…_<label>``), so that parallel runs on other databases never meet, and is dropped
    afterwards; on SQLite it is a file in the test's temporary folder.
    """
    from django.db import connection  # noqa: PLC0415 - settings are ready inside a fixture
    from psycopg import sql  # noqa: PLC0415

    config = connection.settings_dict
    made: list[str] = []

    def admin(statement: sql.Composable) -> None:
        import psycopg  # noqa: PLC0415

        with psycopg.connect(
            dbname="postgres",
            host=config["HOST"] or None,
            port=config["PORT"] or None,
            user=config["USER"] or None,
            password=config["PASSWORD"] or None,
            autocommit=True,
        ) as conn:
            conn.execute(statement)

    def make(label: str) -> str:
        if connection.vendor == "sqlite":
            return f"sqlite:///{tmp_path / label}.sqlite3"
        name = f"{config['NAME']}_{label}"
        admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        made.append(name)
        user = quote(config["USER"] or "", safe="")
        password = f":{quote(config['PASSWORD'], safe='')}" if config["PASSWORD"] else ""
        return f"postgres://{user}{password}@{config['HOST']}:{config['PORT'] or 5432}/{name}"

    yield make
    for name in made:
        admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
