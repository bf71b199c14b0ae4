"""Numbers in the demo's texts come from its data: a project's description that says how many
ideas or options it has is written after they exist (``{ideas}``, ``{options}`` in data.py)."""

from __future__ import annotations

from koproduktion.core.models import Municipality
from koproduktion.decisions.models import PollOption
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project
from koproduktion.projects.services import project_update


def public_idea_count(project: Project) -> int:
    """The ideas a visitor sees in the project's list."""
    return Idea.objects.filter(project=project, hidden_at__isnull=True).count()


def seed_numbers(municipality: Municipality) -> None:
    for project in Project.objects.filter(municipality=municipality, description__contains="{"):
        options = PollOption.objects.filter(poll__project=project).order_by("poll_id")
        first_poll = options.values_list("poll_id", flat=True).first()
        project_update(
            project=project,
            description=project.description.format(
                ideas=public_idea_count(project),
                options=options.filter(poll_id=first_poll).count(),
            ),
        )
