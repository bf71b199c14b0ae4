"""The kinds the search finds, each registered once (``registry``).

A kind's visibility is its own app's: the selectors that its list pages use (published projects
and drafts for who manages them, moderation-hidden ideas and comments left out, initiatives in
draft for their initiators only, confirmed organisations). Another kind (support offers, practice
examples) is one more ``register`` here, and on PostgreSQL one index (docs/search.md).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from koproduktion.core.models import Organisation
from koproduktion.core.selectors import organisation_list
from koproduktion.decisions.models import Decision
from koproduktion.decisions.selectors import decision_list
from koproduktion.decisions.services.records import decision_url
from koproduktion.dialogue.models import Comment
from koproduktion.dialogue.selectors import replies_page_start, thread_url
from koproduktion.events.models import Event
from koproduktion.events.selectors import event_list
from koproduktion.events.services import event_url
from koproduktion.ideas.models import Idea
from koproduktion.ideas.services import idea_url
from koproduktion.initiatives.models import Initiative
from koproduktion.initiatives.selectors import initiative_list
from koproduktion.initiatives.services.common import initiative_url
from koproduktion.practice.models import PracticeExample
from koproduktion.practice.selectors import town_examples_visible
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import visible_project_ids
from koproduktion.support.models import SupportOffer
from koproduktion.support.selectors import offers_found

from .registry import SearchSource, register


def _in_town(record: Any, municipality: Any) -> Any:
    """``record`` with its town set (it is the searched town's), so URLs cost no query."""
    record.municipality = municipality
    return record


def _project_url(project: Project, municipality: Any) -> str:
    return reverse("projects:detail", args=[municipality.slug, project.slug])


def _idea_url(idea: Idea, municipality: Any) -> str:
    _in_town(idea.project, municipality)
    return idea_url(idea)


def _comment_url(comment: Comment, municipality: Any) -> str:
    """The comment on its thread's page (the top-level comment heads it), at its anchor: no
    query, where the idea page's own page of threads would need a count."""
    _in_town(comment.idea.project, municipality)
    after = replies_page_start(comment.position) if comment.depth else 0
    query = f"?ab={after}" if after else ""
    return f"{thread_url(comment.idea, comment.thread_id)}{query}#kommentar-{comment.pk}"


def _visible_contributions(model: Any, municipality: Any, user: Any) -> Any:
    """Ideas or comments of the projects ``user`` may see, moderation-hidden ones left out."""
    return model.objects.filter(
        municipality=municipality,
        hidden_at__isnull=True,
        project__in=visible_project_ids(municipality=municipality, user=user),
    )


def _hidden_ideas(municipality: Any) -> Any:
    """The town's hidden ideas, whose comments are hidden with them: few, so a small NOT IN
    rather than a join of every comment found with its idea."""
    return Idea.objects.filter(municipality=municipality, hidden_at__isnull=False).values("pk")


def _event_context(event: Event) -> str:
    starts = date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT")
    return f"{starts} · {event.venue}"


register(
    SearchSource(
        key="project",
        slug="vorhaben",
        label=gettext_lazy("Vorhaben"),
        label_one=gettext_lazy("Vorhaben"),
        model=Project,
        title="title",
        body=("summary", "description"),
        visible=lambda municipality, user: Project.objects.filter(
            municipality=municipality,
            pk__in=visible_project_ids(municipality=municipality, user=user),
        ),
        project_path="pk",
        url=_project_url,
        context=lambda project: project.get_phase_display(),
    )
)
register(
    SearchSource(
        key="idea",
        slug="ideen",
        label=gettext_lazy("Ideen"),
        label_one=gettext_lazy("Idee"),
        model=Idea,
        title="title",
        body=("text",),
        visible=lambda municipality, user: _visible_contributions(Idea, municipality, user),
        related=("project",),
        url=_idea_url,
        context=lambda idea: idea.project.title,
        split=True,
    )
)
register(
    SearchSource(
        key="comment",
        slug="kommentare",
        label=gettext_lazy("Kommentare"),
        label_one=gettext_lazy("Kommentar"),
        model=Comment,
        title=None,
        body=("text",),
        visible=lambda municipality, user: _visible_contributions(
            Comment, municipality, user
        ).exclude(idea__in=_hidden_ideas(municipality)),
        related=("idea__project",),
        url=_comment_url,
        context=lambda comment: _("zur Idee „%(title)s“") % {"title": comment.idea.title},
        split=True,
    )
)
register(
    SearchSource(
        key="decision",
        slug="beschluesse",
        label=gettext_lazy("Beschlüsse"),
        label_one=gettext_lazy("Beschluss"),
        model=Decision,
        title="title",
        body=("body_name", "reasons"),
        visible=lambda municipality, user: decision_list(municipality=municipality, user=user),
        url=lambda decision, municipality: decision_url(_in_town(decision, municipality)),
        context=lambda decision: (
            f"{decision.get_outcome_display()}, {date_format(decision.decided_on)}"
        ),
    )
)
register(
    SearchSource(
        key="event",
        slug="veranstaltungen",
        label=gettext_lazy("Veranstaltungen"),
        label_one=gettext_lazy("Veranstaltung"),
        model=Event,
        title="title",
        body=("description", "venue"),
        visible=lambda municipality, user: event_list(municipality=municipality, user=user),
        url=lambda event, municipality: event_url(_in_town(event, municipality)),
        context=_event_context,
    )
)
register(
    SearchSource(
        key="initiative",
        slug="initiativen",
        label=gettext_lazy("Initiativen"),
        label_one=gettext_lazy("Initiative"),
        model=Initiative,
        title="title",
        body=("summary", "why", "help_needed"),
        visible=lambda municipality, user: initiative_list(municipality=municipality, user=user),
        project_path=None,
        url=lambda initiative, municipality: initiative_url(_in_town(initiative, municipality)),
        context=lambda initiative: initiative.get_state_display(),
    )
)
register(
    SearchSource(
        key="organisation",
        slug="organisationen",
        label=gettext_lazy("Organisationen"),
        label_one=gettext_lazy("Organisation"),
        model=Organisation,
        title="name",
        body=("description",),
        visible=lambda municipality, user: organisation_list(municipality=municipality),
        project_path=None,
        url=lambda organisation, municipality: reverse(
            "actors:profile", args=[municipality.slug, organisation.slug]
        ),
        context=lambda organisation: organisation.get_kind_display(),
    )
)
register(
    SearchSource(
        key="practice_example",
        slug="praxisbeispiele",
        label=gettext_lazy("Praxisbeispiele"),
        label_one=gettext_lazy("Praxisbeispiel"),
        model=PracticeExample,
        title="title",
        body=("problem", "approach", "worked"),
        visible=lambda municipality, user: town_examples_visible(
            municipality=municipality, user=user
        ),
        project_path="project_id",
        url=lambda example, municipality: reverse(
            "practice:detail", args=[municipality.slug, example.pk]
        ),
        context=lambda example: str(example.year or ""),
    )
)
register(
    SearchSource(
        key="support_offer",
        slug="unterstuetzung",
        label=gettext_lazy("Unterstützungsangebote"),
        label_one=gettext_lazy("Unterstützungsangebot"),
        model=SupportOffer,
        title="title",
        body=("summary", "description", "target_group"),
        visible=lambda municipality, user: offers_found(municipality=municipality, user=user),
        project_path=None,
        url=lambda offer, municipality: reverse(
            "support:detail", args=[municipality.slug, offer.pk]
        ),
        context=lambda offer: offer.get_building_block_display(),
    )
)
