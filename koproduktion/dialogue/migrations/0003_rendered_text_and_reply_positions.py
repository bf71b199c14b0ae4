# Comments keep their text rendered (Markdown, sanitised) beside the source, and each reply its
# number in the thread; the threads count their replies. Existing comments are filled here.

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from koproduktion.core.markdown import render_markdown

    Comment = apps.get_model("dialogue", "Comment")
    db = schema_editor.connection.alias
    rows = (
        Comment.objects.using(db)
        .order_by("thread_id", "created_at", "id")
        .values_list("id", "thread_id", "text")
        .iterator(chunk_size=BATCH)
    )
    replies: dict[int, int] = {}
    batch = []
    for pk, thread_id, text in rows:
        position = 0
        if thread_id is not None and thread_id != pk:
            position = replies[thread_id] = replies.get(thread_id, 0) + 1
        batch.append(Comment(id=pk, position=position, text_html=render_markdown(text)))
        if len(batch) == BATCH:
            Comment.objects.using(db).bulk_update(batch, ["position", "text_html"])
            batch = []
    if batch:
        Comment.objects.using(db).bulk_update(batch, ["position", "text_html"])
    roots = [Comment(id=pk, reply_count=count) for pk, count in replies.items()]
    Comment.objects.using(db).bulk_update(roots, ["reply_count"], batch_size=BATCH)
    if schema_editor.connection.vendor == "postgresql":
        # The updates left the foreign keys' deferred checks pending, and PostgreSQL alters no
        # table with pending checks: run them now, before the index and constraint below.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):

    dependencies = [
        ('dialogue', '0002_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='comment',
            name='comment_thread',
        ),
        migrations.AddField(
            model_name='comment',
            name='position',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='comment',
            name='reply_count',
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name='comment',
            name='text_html',
            field=models.TextField(default='', editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='comment',
            index=models.Index(fields=['idea', 'created_at', 'id'], name='comment_idea_written'),
        ),
        migrations.AddConstraint(
            model_name='comment',
            constraint=models.UniqueConstraint(fields=('thread', 'position'), name='comment_thread_position'),
        ),
    ]
