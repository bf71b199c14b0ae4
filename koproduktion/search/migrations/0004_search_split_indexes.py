# The indexes of ideas and comments, split into parts by id (PostgreSQL only): a town has
# hundreds of thousands of these, and a GIN index answers with every match at once, so a common
# word read the whole index's matches before the first row. search/postgres.py's ``SPLIT_PARTS``
# reads the parts one after another; the bounds here are the same, and
# search/tests/test_postgres.py requires every part's index in its plan. The new indexes are
# built (CONCURRENTLY, the tables keep taking writes) before the whole ones are dropped.

from django.db import migrations

from koproduktion.search.migrations import _indexes

WHOLE = [
    ("ideas_idea", "search_idea", "title", ("text",)),
    ("dialogue_comment", "search_comment", None, ("text",)),
]
# Of every 64 records by id: 1, then 7, then 56.
PARTS = (64, ((0, 0), (1, 7), (8, 63)))


def split(apps, schema_editor):
    _indexes.creator(WHOLE, PARTS)(apps, schema_editor)
    _indexes.dropper(WHOLE)(apps, schema_editor)


def join(apps, schema_editor):
    _indexes.creator(WHOLE)(apps, schema_editor)
    _indexes.dropper(WHOLE, PARTS)(apps, schema_editor)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("search", "0003_search_support_offers")]

    operations = [migrations.RunPython(split, join, elidable=False)]
