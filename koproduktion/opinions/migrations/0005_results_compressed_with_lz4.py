"""On PostgreSQL, a map's result and state are compressed with lz4 instead of pglz.

Every computation writes both (4.8 MB of JSON at 50,000 participants): with pglz the database
spent about 0.2 s of CPU on each write, at the same priority as the votes, with lz4 about 0.07 s;
reading them back is faster too. Values are compressed so when written, so each map changes
with its next computation. A PostgreSQL built without lz4 keeps pglz.
"""

from django.db import DatabaseError, migrations, transaction

COLUMNS = ("result", "state")


def _set_compression(apps, schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("opinions", "OpinionMap")._meta.db_table
    alter = ", ".join(f"ALTER COLUMN {column} SET COMPRESSION {method}" for column in COLUMNS)
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute(f"ALTER TABLE {table} {alter}")
    except DatabaseError:  # built without lz4: "compression method lz4 not supported"
        if method != "lz4":
            raise


def to_lz4(apps, schema_editor):
    _set_compression(apps, schema_editor, "lz4")


def to_pglz(apps, schema_editor):
    _set_compression(apps, schema_editor, "pglz")


class Migration(migrations.Migration):
    dependencies = [("opinions", "0004_inputs_on_a_row_of_their_own")]

    operations = [migrations.RunPython(to_lz4, to_pglz)]
