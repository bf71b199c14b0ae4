from django.core.validators import MaxLengthValidator, MinLengthValidator
from django.db import models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from koproduktion.core.validators import no_html
from koproduktion.ideas.models import Contribution, Idea

TEXT_MIN, TEXT_MAX = 2, 3000
# Replies nest this deep at most; a reply to a reply at the limit joins the deepest level.
MAX_DEPTH = 3


class Stance(models.TextChoices):
    PRO = "pro", _("dafür")
    CONTRA = "contra", _("dagegen")
    QUESTION = "question", _("Frage")
    NEUTRAL = "neutral", _("Anmerkung")


class Comment(Contribution):
    """A contribution to the discussion of an idea, with the writer's stance."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The top-level comment of the thread (itself for a top-level comment once saved), so a whole
    # thread is read with one indexed query.
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    stance = models.CharField(
        _("Haltung"), max_length=20, choices=Stance.choices, default=Stance.NEUTRAL
    )
    text = models.TextField(
        _("Kommentar"),
        validators=[MinLengthValidator(TEXT_MIN), MaxLengthValidator(TEXT_MAX), no_html],
    )
    # The text as pages show it: rendered from ``text`` (Markdown, sanitised) when it is saved,
    # so that no page renders Markdown per comment (``core.markdown.render_markdown``).
    text_html = models.TextField(editable=False, default="")
    is_official = models.BooleanField(_("offizielle Antwort"), default=False)
    # The reply's number in its thread, in the order written (1 for the first reply; 0 for the
    # top-level comment), and on the top-level comment the number of replies in its thread: a
    # page shows the first few replies of each thread and "more replies" from a position on, each
    # with one indexed query however long the thread is.
    position = models.PositiveIntegerField(default=0, editable=False)
    reply_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Kommentar")
        verbose_name_plural = _("Kommentare")
        indexes = [
            models.Index(fields=["idea", "depth", "created_at"], name="comment_idea_top"),
            # The comments of an idea in the order written (the API's list).
            models.Index(fields=["idea", "created_at", "id"], name="comment_idea_written"),
        ]
        constraints = [
            # Also the index by which a thread's replies are read, from any position on.
            models.UniqueConstraint(fields=["thread", "position"], name="comment_thread_position"),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def html(self) -> SafeString:
        """The text as pages show it."""
        return mark_safe(self.text_html)  # noqa: S308 - sanitised by render_markdown when saved
