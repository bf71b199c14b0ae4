"""Which department answers a contribution (Zuständigkeit), and when it answered."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Department, TenantModel, ensure_same_municipality
from koproduktion.dialogue.models import Comment
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project


class AssignmentKind(models.TextChoices):
    """What awaits an answer: an idea (with a problem reported as an idea), or a question."""

    IDEA = "idea", _("Idee")
    QUESTION = "question", _("Frage")


class Assignment(TenantModel):
    """One contribution routed to the department that answers it.

    An idea has one; a comment with the stance "question" has its own (``comment``). The first
    official answer (to the idea, or a reply to the question) sets ``answered_at`` and
    ``response_seconds``, a withdrawal or hiding ``closed_at``, so the inbox and the response
    times read this table alone.
    """

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("Art"), max_length=20, choices=AssignmentKind.choices)
    # Empty while no department is found; the coordination and the town's admins route it then.
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("zuständiger Fachbereich"),
    )
    # Why staff routed it by hand; empty when the rules routed it.
    reason = models.TextField(_("Begründung der Zuständigkeit"), blank=True)
    # When the contribution came in (its ``created_at``), copied so the lists need no join to sort.
    received_at = models.DateTimeField(_("eingegangen am"))
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    answer = models.ForeignKey(
        Comment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    response_seconds = models.PositiveIntegerField(_("Antwortzeit (Sekunden)"), null=True)
    # Set while no answer is owed: the idea was withdrawn or hidden, or the question hidden
    # (``services.assignments_refresh``); so the inbox counts on its own index, without joins.
    closed_at = models.DateTimeField(_("keine Antwort mehr nötig seit"), null=True, blank=True)

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("Zuständigkeit")
        verbose_name_plural = _("Zuständigkeiten")
        constraints = [
            models.UniqueConstraint(
                fields=["idea"], condition=models.Q(comment__isnull=True), name="assignment_idea"
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=models.Q(comment__isnull=False),
                name="assignment_comment",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=AssignmentKind.IDEA, comment__isnull=True)
                | models.Q(kind=AssignmentKind.QUESTION, comment__isnull=False),
                name="assignment_kind_matches",
            ),
            models.CheckConstraint(
                condition=models.Q(answered_at__isnull=True, response_seconds__isnull=True)
                | models.Q(answered_at__isnull=False, response_seconds__isnull=False),
                name="assignment_answer_complete",
            ),
        ]
        indexes = [
            # The inboxes: what awaits an answer, per department or town, oldest first.
            models.Index(
                fields=["department", "received_at", "id"],
                condition=models.Q(answered_at__isnull=True, closed_at__isnull=True),
                name="assignment_open_by_department",
            ),
            models.Index(
                fields=["municipality", "received_at", "id"],
                condition=models.Q(answered_at__isnull=True, closed_at__isnull=True),
                name="assignment_open_by_town",
            ),
            # The response times of the last twelve months.
            models.Index(fields=["municipality", "received_at"], name="assignment_received"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.comment_id or self.idea_id} → {self.department}"

    def clean(self) -> None:
        ensure_same_municipality(self, "project", "idea", "department")
