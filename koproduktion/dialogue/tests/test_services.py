from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from koproduktion.core.markdown import render_markdown
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import person_with_role
from koproduktion.dialogue.models import MAX_DEPTH, Comment, Stance
from koproduktion.dialogue.selectors import arguments, thread_page
from koproduktion.dialogue.services import comment_create
from koproduktion.ideas.models import Source
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of
from koproduktion.notifications.models import Kind, Notification
from koproduktion.projects.capabilities import PhaseKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def idea():
    idea = IdeaFactory()
    idea.author = resident_of(idea.project)
    idea.save()
    return idea


def test_replies_thread_and_count(idea):
    anna, ben = resident_of(idea.project), resident_of(idea.project)
    top = comment_create(actor=anna, idea=idea, text="Gute Idee!", stance=Stance.PRO)
    reply = comment_create(
        actor=ben, idea=idea, text="Finde ich nicht.", stance=Stance.CONTRA, parent=top
    )
    assert (top.thread_id, top.depth) == (top.pk, 0)
    assert (reply.thread_id, reply.depth) == (top.pk, 1)
    idea.refresh_from_db()
    assert idea.comment_count == 2
    # The idea's author and the person replied to hear of it; nobody hears of their own words.
    reply_notes = Notification.objects.filter(comment=reply, kind=Kind.REPLY)
    assert set(reply_notes.values_list("user_id", flat=True)) == {anna.pk, idea.author_id}


def test_deep_replies_stop_nesting(idea):
    person = resident_of(idea.project)
    parent = None
    for _ in range(MAX_DEPTH + 2):
        parent = comment_create(actor=person, idea=idea, text="Und weiter.", parent=parent)
    assert parent.depth == MAX_DEPTH


def test_official_answers_only_from_the_administration(idea):
    with pytest.raises(PermissionDenied, match="Verwaltung"):
        comment_create(actor=resident_of(idea.project), idea=idea, text="Amtlich!", official=True)
    staff = person_with_role(idea.project.municipality, Role.STAFF)
    answer = comment_create(actor=staff, idea=idea, text="Wir prüfen das bis März.", official=True)
    assert answer.is_official
    assert Notification.objects.filter(kind=Kind.OFFICIAL_ANSWER, user=idea.author).exists()


def test_comments_close_with_the_phase_and_on_hidden_ideas(idea):
    person = resident_of(idea.project)
    idea.hidden_at = timezone.now()
    idea.save()
    with pytest.raises(PermissionDenied, match="geschlossen"):
        comment_create(actor=person, idea=idea, text="Hallo?")
    idea.hidden_at = None
    idea.save()
    idea.project.phase = PhaseKind.IMPLEMENTATION
    idea.project.save()
    with pytest.raises(PermissionDenied, match="In der Phase"):
        comment_create(actor=person, idea=idea, text="Hallo?")
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nicht leer"),
        ("x", "mindestens 2 Zeichen"),
        ("x" * 3001, "höchstens 3000"),
        ("<b>laut</b>", "HTML"),
    ],
)
def test_bad_comments_are_refused(idea, text, message):
    with pytest.raises(ValidationError, match=message):
        comment_create(actor=resident_of(idea.project), idea=idea, text=text)
    assert not Comment.objects.exists()
    idea.refresh_from_db()
    assert idea.comment_count == 0


def test_recorded_comment_has_no_author(idea):
    staff = person_with_role(idea.project.municipality, Role.STAFF)
    comment = comment_create(
        actor=staff, idea=idea, text="Am Telefon gesagt.", source=Source.PHONE, contributor_name=""
    )
    assert comment.author is None
    assert comment.byline == "anonym"


def test_arguments_side_by_side_and_thread_in_reading_order(idea):
    people = [resident_of(idea.project) for _ in range(3)]
    pro = comment_create(actor=people[0], idea=idea, text="Dafür, weil schön.", stance=Stance.PRO)
    contra = comment_create(
        actor=people[1], idea=idea, text="Dagegen, weil teuer.", stance=Stance.CONTRA
    )
    first_reply = comment_create(actor=people[2], idea=idea, text="Wie teuer?", parent=contra)
    comment_create(actor=people[1], idea=idea, text="Sehr teuer.", parent=first_reply)
    comment_create(actor=people[0], idea=idea, text="Zweite Antwort.", parent=contra)
    sides = arguments(idea=idea)
    assert [c.pk for c in sides.pro] == [pro.pk]
    assert [c.pk for c in sides.contra] == [contra.pk]
    page = thread_page(idea=idea, page_number=1)
    assert [c.text for c in page.object_list] == [
        "Dafür, weil schön.",
        "Dagegen, weil teuer.",
        "Wie teuer?",
        "Sehr teuer.",
        "Zweite Antwort.",
    ]


def test_a_comment_keeps_its_text_rendered_and_sanitised(idea):
    text = "**Wichtig:** siehe [Zählung](https://example.org/z)\n\n- eins\n- zwei"
    comment = comment_create(actor=resident_of(idea.project), idea=idea, text=f"  {text}  ")
    stored = Comment.objects.get(pk=comment.pk)
    assert stored.text == text
    assert stored.text_html == render_markdown(text)
    assert "<strong>Wichtig:</strong>" in stored.text_html
    assert 'rel="nofollow noopener ugc"' in stored.text_html


def test_replies_are_numbered_in_their_thread_and_counted_on_its_top(idea):
    people = [resident_of(idea.project) for _ in range(3)]
    top = comment_create(actor=people[0], idea=idea, text="Oben.")
    other = comment_create(actor=people[1], idea=idea, text="Anderer Faden.")
    first = comment_create(actor=people[1], idea=idea, text="Erste Antwort.", parent=top)
    deeper = comment_create(actor=people[2], idea=idea, text="Darauf.", parent=first)
    elsewhere = comment_create(actor=people[2], idea=idea, text="Dort.", parent=other)
    last = comment_create(actor=people[0], idea=idea, text="Dritte.", parent=top)
    positions = dict(Comment.objects.values_list("pk", "position"))
    assert [positions[c.pk] for c in (top, first, deeper, last)] == [0, 1, 2, 3]
    assert [positions[c.pk] for c in (other, elsewhere)] == [0, 1]
    counts = dict(Comment.objects.filter(depth=0).values_list("pk", "reply_count"))
    assert counts == {top.pk: 3, other.pk: 1}
