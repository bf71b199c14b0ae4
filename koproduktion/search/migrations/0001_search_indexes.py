# The GIN indexes of the full-text search, on PostgreSQL only (SQLite searches without one, see
# search/fallback.py). Each is on the expression search/postgres.py's ``vector`` builds for the
# source, so that the planner uses it; search/tests/test_postgres.py proves it for every source.
# Built CONCURRENTLY (hence not atomic): a big table keeps taking writes while its index grows.
# A new source (docs/search.md) adds its own migration like this one, with its table's index.

from django.db import migrations

from koproduktion.search.migrations import _indexes

# (table, index, title column or None, body columns) — as the sources in search/sources.py.
INDEXES = [
    ("projects_project", "search_project", "title", ("summary", "description")),
    ("ideas_idea", "search_idea", "title", ("text",)),
    ("dialogue_comment", "search_comment", None, ("text",)),
    ("decisions_decision", "search_decision", "title", ("body_name", "reasons")),
    ("events_event", "search_event", "title", ("description", "venue")),
    ("initiatives_initiative", "search_initiative", "title", ("summary", "why", "help_needed")),
    ("core_organisation", "search_organisation", "name", ("description",)),
]


def create(apps, schema_editor):
    _indexes.creator(INDEXES)(apps, schema_editor)
    if schema_editor.connection.vendor != "postgresql":
        return
    # The town's few hidden ideas, whose comments the search leaves out (search/sources.py):
    # read from this small index instead of every idea of the town.
    schema_editor.execute(
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS "search_hidden_idea" ON "ideas_idea" '
        '("municipality_id") WHERE "hidden_at" IS NOT NULL'
    )


def drop(apps, schema_editor):
    _indexes.dropper(INDEXES)(apps, schema_editor)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX CONCURRENTLY IF EXISTS "search_hidden_idea"')


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0014_organisation_profiles"),
        ("projects", "0009_project_activity_version"),
        ("ideas", "0006_similar_ideas_and_merging"),
        ("dialogue", "0003_rendered_text_and_reply_positions"),
        ("decisions", "0007_plain_summary"),
        ("events", "0002_registration_organisation"),
        ("initiatives", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
