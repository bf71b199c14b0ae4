from __future__ import annotations

import factory

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

    @factory.post_generation
    def thread_root(obj, create, extracted, **kwargs):
        if create and obj.thread_id is None:
            obj.thread_id = obj.pk
            obj.save(update_fields=["thread"])


def resident_of(project, **fields):
    return person_with_role(project.municipality, Role.RESIDENT, **fields)
