from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Municipality, TenantModel
from koproduktion.core.plain_text import PlainTextModel
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea


class CommunityRules(PlainTextModel):
    """The rules of conduct a municipality sets; shown wherever people write."""

    municipality = models.OneToOneField(
        Municipality, on_delete=models.CASCADE, related_name="community_rules"
    )
    text = models.TextField(_("Gemeinschaftsregeln"), help_text=_("Markdown ist erlaubt."))
    summary = models.CharField(
        _("Kurzfassung"),
        max_length=300,
        help_text=_("Ein Satz, der über jedem Eingabefeld steht."),
    )
    # For the people who read the site in English; without it they read the platform's own
    # sentence above the fields, and the German rules marked as German.
    summary_en = models.CharField(_("Kurzfassung auf Englisch"), max_length=300, blank=True)
    text_en = models.TextField(
        _("Gemeinschaftsregeln auf Englisch"), blank=True, help_text=_("Markdown ist erlaubt.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gemeinschaftsregeln")
        verbose_name_plural = _("Gemeinschaftsregeln")

    def __str__(self) -> str:
        return str(self.municipality)

    @property
    def in_english(self) -> bool:
        """Whether the reader reads English and the town wrote its rules in English too."""
        return get_language() == "en" and bool(self.text_en.strip())

    @property
    def shown_summary(self) -> str:
        """The one sentence above the fields, in the reader's language; empty when the town has
        none in it (the template then shows the platform's own sentence)."""
        if get_language() == "en":
            return self.summary_en
        return self.summary

    @property
    def shown_text(self) -> str:
        return self.text_en if self.in_english else self.text

    @property
    def shown_language(self) -> str:
        """The language of ``shown_text``, for its ``lang`` attribute."""
        return "en" if self.in_english else "de"


class ReportReason(models.TextChoices):
    INSULT = "insult", _("beleidigend oder herabwürdigend")
    DISCRIMINATION = "discrimination", _("diskriminierend")
    SPAM = "spam", _("Werbung oder Spam")
    PRIVACY = "privacy", _("verletzt die Privatsphäre anderer")
    OFF_TOPIC = "off_topic", _("gehört nicht zum Thema")
    OTHER = "other", _("anderer Grund")


def _one_target() -> models.Q:
    return models.Q(idea__isnull=False, comment__isnull=True) | models.Q(
        idea__isnull=True, comment__isnull=False
    )


class Report(TenantModel):
    """Someone thinks a contribution breaks the community rules."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("Grund"), max_length=20, choices=ReportReason.choices)
    explanation = models.TextField(_("Erläuterung"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Meldung")
        verbose_name_plural = _("Meldungen")
        constraints = [
            models.CheckConstraint(condition=_one_target(), name="report_one_target"),
            models.UniqueConstraint(
                fields=["reporter", "idea"],
                condition=models.Q(idea__isnull=False),
                name="report_idea_once",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="report_comment_once",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "resolved_at"], name="report_open")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.reporter})"


class ActionKind(models.TextChoices):
    HIDE = "hide", _("ausgeblendet")
    RESTORE = "restore", _("wiederhergestellt")
    DISMISS = "dismiss", _("Meldungen zurückgewiesen")
    WARN = "warn", _("verwarnt")
    BLOCK = "block", _("gesperrt")
    UNBLOCK = "unblock", _("Sperre aufgehoben")


class ModerationAction(TenantModel):
    """The log: every moderation action, who took it, on what, and why."""

    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(_("Aktion"), max_length=20, choices=ActionKind.choices)
    idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.TextField(_("Begründung"))
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Moderationsaktion")
        verbose_name_plural = _("Moderationsprotokoll")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reason[:40]}"
