"""Ideas and comments: what people wrote, without who wrote it."""

from __future__ import annotations

from django.db.models import Count, Max, Sum
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea

from ..datasets import Column, Dataset, register
from .common import (
    ID,
    LATITUDE,
    LONGITUDE,
    NEIGHBOURHOOD,
    PROJECT_ID,
    TOPIC,
    closed_under,
    shown_ideas,
    url_column,
)


def _ideas(town: Municipality) -> list[Idea]:
    ideas = shown_ideas(town).select_related("project", "topic", "neighbourhood")
    return closed_under(ideas.order_by("created_at", "pk"), "merged_into_id")


register(
    Dataset(
        name="ideas",
        title=_("Ideen"),
        description=_(
            "Ideen und Beiträge zu den Vorhaben, ohne Angaben zu den Verfasser*innen; ohne "
            "ausgeblendete und zurückgezogene."
        ),
        columns=(
            ID,
            PROJECT_ID,
            Column("title", "string", _("Titel.")),
            Column("text", "string", _("Beschreibung (Markdown).")),
            Column(
                "status",
                "string",
                _(
                    "Was aus der Idee wurde: new, under_review, answered, accepted, rejected, "
                    "implemented oder merged."
                ),
            ),
            Column(
                "source",
                "string",
                _("Woher die Idee kam: online, paper, phone, workshop oder letter."),
            ),
            TOPIC,
            NEIGHBOURHOOD,
            LATITUDE,
            LONGITUDE,
            Column("address", "string", _("Ort oder Adresse, auf den sich die Idee bezieht.")),
            Column("support_count", "integer", _("Zahl der Unterstützungen.")),
            Column("comment_count", "integer", _("Zahl der Kommentare.")),
            Column("created_at", "datetime", _("Eingereicht (UTC).")),
            Column(
                "merged_into_id",
                "integer",
                _("Die Idee, mit der diese zusammengeführt wurde (ideas.id)."),
            ),
            url_column("ideas:detail", lambda idea: idea.project.slug, lambda idea: idea.pk),
        ),
        records=_ideas,
        source=lambda town: Idea.objects.filter(municipality=town),
        # Comments and supports raise the idea's version; status and moderation the project's.
        stamp=(
            Count("pk"),
            Max("pk"),
            Sum("content_version"),
            Count("hidden_at"),
            Count("withdrawn_at"),
        ),
    )
)


def _comments(town: Municipality) -> list[Comment]:
    comments = Comment.objects.filter(
        municipality=town, hidden_at__isnull=True, idea__in=shown_ideas(town)
    )
    return closed_under(comments.order_by("created_at", "pk"), "parent_id")


register(
    Dataset(
        name="comments",
        title=_("Kommentare"),
        description=_(
            "Die Diskussion der Ideen, ohne Angaben zu den Verfasser*innen; ohne ausgeblendete."
        ),
        columns=(
            ID,
            Column("idea_id", "integer", _("Die kommentierte Idee (ideas.id).")),
            PROJECT_ID,
            Column(
                "parent_id",
                "integer",
                _("Der Kommentar, auf den dieser antwortet (comments.id); leer sonst."),
            ),
            Column("stance", "string", _("Haltung: pro, contra, question oder neutral.")),
            Column("text", "string", _("Text (Markdown).")),
            Column("is_official", "boolean", _("Offizielle Antwort der Verwaltung.")),
            Column("source", "string", _("Woher der Kommentar kam: online, paper, …")),
            Column("created_at", "datetime", _("Geschrieben (UTC).")),
        ),
        records=_comments,
        source=lambda town: Comment.objects.filter(municipality=town),
        stamp=(Count("pk"), Max("pk"), Count("hidden_at")),
    )
)
