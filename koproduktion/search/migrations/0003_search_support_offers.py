# The GIN index of the support offers' search (as 0001 for the first kinds), PostgreSQL only.

from django.db import migrations

from koproduktion.search.migrations import _indexes

INDEXES = [
    (
        "support_supportoffer",
        "search_support_offer",
        "title",
        ("summary", "description", "target_group"),
    ),
]


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("search", "0002_search_practice_examples"),
        ("support", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(_indexes.creator(INDEXES), _indexes.dropper(INDEXES), elidable=False)
    ]
