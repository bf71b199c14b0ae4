# The GIN index of the practice examples' search (as 0001 for the first kinds), PostgreSQL only.

from django.db import migrations

from koproduktion.search.migrations import _indexes

INDEXES = [
    ("practice_practiceexample", "search_practice_example", "title", ("problem", "approach", "worked")),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0001_search_indexes"),
        ("practice", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_indexes.creator(INDEXES), _indexes.dropper(INDEXES), elidable=False)
    ]
