from django.conf import settings
from django.db import models
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
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Gemeinschaftsregeln")
        verbose_name_plural = _("Gemeinschaftsregeln")

    def __str__(self) -> str:
        return str(self.municipality)


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
