from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import TenantModel
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project


class Follow(TenantModel):
    """Someone wants to hear about a project or an idea."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Abonnement")
        verbose_name_plural = _("Abonnements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(project__isnull=False, idea__isnull=True)
                | models.Q(project__isnull=True, idea__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=models.Q(project__isnull=False),
                name="follow_project_once",
            ),
            models.UniqueConstraint(
                fields=["user", "idea"],
                condition=models.Q(idea__isnull=False),
                name="follow_idea_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.project or self.idea}"


class Kind(models.TextChoices):
    """What a notification is about; the inbox shows the label and filters by it."""

    REPLY = "reply", _("Antwort")
    OFFICIAL_ANSWER = "official_answer", _("Offizielle Antwort")
    # An idea's public status changed (also when a recorded decision sets it).
    STATUS_CHANGE = "status_change", _("Neuer Status")
    NEW_IDEA = "new_idea", _("Neue Idee")
    MODERATION = "moderation", _("Moderation")
    QUORUM = "quorum", _("Quorum erreicht")
    DECISION = "decision", _("Beschluss")
    # A followed project moved on to its next phase (with the administration's note).
    PHASE = "phase", _("Neue Phase")
    # Milestones reached or delayed, progress reports, joining a milestone's resident group.
    IMPLEMENTATION = "implementation", _("Umsetzung")
    # A task or shift someone committed to.
    TASK = "task", _("Aufgabe")
    SPONSORSHIP = "sponsorship", _("Patenschaft")
    # An event one registered for: a place from the waiting list, a cancellation.
    EVENT = "event", _("Veranstaltung")
    # An initiative one started, joined, supports or answered with an offer.
    INITIATIVE = "initiative", _("Initiative")
    # An organisation's profile or representation confirmed or declined by the town.
    ORGANISATION = "organisation", _("Organisation")
    # A project's evaluation: its survey opened, its report published.
    EVALUATION = "evaluation", _("Auswertung")


class Notification(TenantModel):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    message = models.CharField(max_length=300)
    url = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # Set once the notification went out by e-mail (immediately or in a digest).
    emailed_at = models.DateTimeField(null=True, blank=True)
    idea = models.ForeignKey(
        Idea, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Benachrichtigung")
        verbose_name_plural = _("Benachrichtigungen")
        indexes = [
            models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox"),
            models.Index(fields=["emailed_at", "user"], name="notification_mail_queue"),
        ]

    def __str__(self) -> str:
        return self.message


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", _("sofort")
    DAILY = "daily", _("einmal täglich als Zusammenfassung")
    NEVER = "never", _("nie")


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    email_frequency = models.CharField(
        _("E-Mails zu Benachrichtigungen"),
        max_length=20,
        choices=EmailFrequency.choices,
        default=EmailFrequency.IMMEDIATELY,
    )

    class Meta:
        verbose_name = _("Einstellungen für Benachrichtigungen")
        verbose_name_plural = _("Einstellungen für Benachrichtigungen")

    def __str__(self) -> str:
        return f"{self.user}: {self.email_frequency}"
