"""Comments written before their text was stored rendered get it, and their replies a position."""

from __future__ import annotations

import pytest

from koproduktion.core.markdown import render_markdown
from koproduktion.core.tests.migrating import migrate, migrate_to_latest
from koproduktion.ideas.tests.factories import IdeaFactory

BEFORE = ("dialogue", "0002_initial")
AFTER = ("dialogue", "0003_rendered_text_and_reply_positions")


@pytest.mark.django_db(transaction=True)
def test_earlier_comments_are_rendered_numbered_and_counted():
    idea = IdeaFactory()
    old = migrate(BEFORE).get_model("dialogue", "Comment")
    try:

        def write(text, parent=None):
            comment = old.objects.create(
                municipality_id=idea.municipality_id,
                project_id=idea.project_id,
                idea_id=idea.pk,
                parent=parent,
                thread_id=parent.thread_id if parent else None,
                depth=parent.depth + 1 if parent else 0,
                text=text,
            )
            if parent is None:
                comment.thread_id = comment.pk
                comment.save(update_fields=["thread"])
            return comment

        top = write("**Oben**")
        first = write("Antwort", top)
        second = write("Darauf [Link](https://example.org)", first)
        lonely = write("Allein")
        new = migrate(AFTER).get_model("dialogue", "Comment")
        rows = {row.pk: row for row in new.objects.all()}
        assert {pk: row.text_html for pk, row in rows.items()} == {
            c.pk: render_markdown(c.text) for c in (top, first, second, lonely)
        }
        assert [rows[c.pk].position for c in (top, first, second, lonely)] == [0, 1, 2, 0]
        assert [rows[c.pk].reply_count for c in (top, lonely)] == [2, 0]
    finally:
        migrate_to_latest()
