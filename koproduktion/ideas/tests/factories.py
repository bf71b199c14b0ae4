from __future__ import annotations

import factory

from koproduktion.core.markdown import render_markdown
from koproduktion.core.roles import Role
from koproduktion.core.tests.factories import UserFactory, person_with_role
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.projects.capabilities import PhaseKind
from koproduktion.projects.tests.factories import ProjectFactory


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    project = factory.SubFactory(ProjectFactory, phase=PhaseKind.DIALOGUE)
    municipality = factory.SelfAttribute("project.municipality")
    author = factory.SubFactory(UserFactory)
    title = factory.Sequence(lambda n: f"Idee Nummer {n}")
    text = "Eine Idee, die den Ort besser macht."


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    idea = factory.SubFactory(IdeaFactory)
    project = factory.SelfAttribute("idea.project")
    municipality = factory.SelfAttribute("idea.municipality")
    author = factory.SubFactory(UserFactory)
    text = "Ein Kommentar."
    parent = None
    thread = factory.LazyAttribute(
        lambda comment: comment.parent.thread if comment.parent else None
    )
    # As comment_create keeps them: the text rendered, a reply's position in its thread.
    text_html = factory.LazyAttribute(lambda comment: render_markdown(comment.text))
    position = factory.LazyAttribute(
        lambda comment: comment.thread.reply_count + 1 if comment.thread else 0
    )

    @factory.post_generation
    def thread_root(obj, create, extracted, **kwargs):
        if create and obj.thread_id is None:
            obj.thread_id = obj.pk
            obj.save(update_fields=["thread"])
        elif create and obj.position:
            Comment.objects.filter(pk=obj.thread_id).update(reply_count=obj.position)
            obj.thread.reply_count = obj.position


def resident_of(project, **fields):
    return person_with_role(project.municipality, Role.RESIDENT, **fields)
