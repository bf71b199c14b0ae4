"""The opinion map (Meinungsbild): statements, the people who vote on them, their votes, the result.

The math lives in ``polismath`` (no Django); these models hold its inputs and its latest output.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import TenantModel, ensure_same_municipality
from koproduktion.projects.models import Project

# What a resident may write; imported Polis statements keep their original text.
STATEMENT_MAX_LENGTH = 300


class OpinionMap(TenantModel):
    """A project's opinion map with its latest computed result.

    The result is replaced, not versioned: the page shows the current picture, and the Polis state
    kept alongside it lets the next computation continue from this one.
    """

    project = models.OneToOneField(
        Project,
        on_delete=models.CASCADE,
        related_name="opinion_map",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    introduction = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Markdown ist erlaubt.")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    computed_at = models.DateTimeField(_("berechnet am"), null=True, blank=True, editable=False)
    votes_at_computation = models.PositiveIntegerField(default=0, editable=False)
    # The version of the inputs (``OpinionMapInputs.version``) the stored result was computed
    # from: a computation stores its result only over one computed from less, so a slow one
    # never replaces a newer one.
    computed_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    result = models.JSONField(null=True, blank=True, editable=False)
    state = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Meinungsbild")
        verbose_name_plural = _("Meinungsbilder")

    def __str__(self) -> str:
        return str(self.project)

    def clean(self) -> None:
        ensure_same_municipality(self, "project")


class OpinionMapInputs(TenantModel):
    """What the math reads has changed: a map's input version and its request for a computation.

    Every vote writes here, so this is a row of its own, apart from the map's row: a
    computation's result (megabytes of JSON at 50,000 participants) takes its row for as long
    as the database writes it, and votes waiting for that row would all wait with it. Made with
    the first change (``services._inputs_changed``) or computation; a map without one is at
    version 0, with nothing requested.
    """

    opinion_map = models.OneToOneField(
        OpinionMap, on_delete=models.CASCADE, primary_key=True, related_name="inputs"
    )
    # Raised after every change of what the math reads (a vote, a moderation, a withdrawal).
    version = models.PositiveBigIntegerField(default=0)
    # Set when a change arrived and a computation is queued; cleared when a computation starts.
    update_requested_at = models.DateTimeField(null=True, blank=True)
    # When the latest computation started: the next one waits ``tasks.MIN_INTERVAL`` from here,
    # also when it is queued while this one still runs.
    computation_started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Eingaben eines Meinungsbilds")
        verbose_name_plural = _("Eingaben von Meinungsbildern")

    def __str__(self) -> str:
        return str(self.opinion_map)


class Participant(TenantModel):
    """Someone who votes in one project's opinion map.

    Platform users and the voters of an imported Polis conversation (who have no account here,
    only the export's id) are handled alike by the math.
    """

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="opinion_participants",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="opinion_participations",
        verbose_name=_("Person"),
    )
    external_id = models.CharField(_("externe Kennung"), max_length=64, blank=True)
    # Of an imported Polis conversation: the id the embedding site gave the person (Polis's
    # "xid"), and the group Polis had put them in.
    xid = models.CharField(_("Kennung der einbettenden Website"), max_length=255, blank=True)
    polis_group = models.SmallIntegerField(_("Gruppe in Polis"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Teilnehmende*r")
        verbose_name_plural = _("Teilnehmende")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user"],
                condition=models.Q(user__isnull=False),
                name="opinion_participant_unique_user",
            ),
            models.UniqueConstraint(
                fields=["project", "external_id"],
                condition=~models.Q(external_id=""),
                name="opinion_participant_unique_external",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False, external_id="")
                | models.Q(user__isnull=True) & ~models.Q(external_id=""),
                name="opinion_participant_user_xor_external",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user) if self.user_id else f"#{self.external_id}"

    @property
    def export_id(self) -> int | str:
        """The id an export would show: the imported id, else this row's id."""
        if self.external_id:
            return int(self.external_id) if self.external_id.isdigit() else self.external_id
        return self.pk


class Statement(TenantModel):
    """A short claim people agree or disagree with (a "These")."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Moderation")
        ACCEPTED = "accepted", _("freigegeben")
        REJECTED = "rejected", _("abgelehnt")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="statements",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    text = models.TextField(_("These"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verfasst von"),
    )
    is_seed = models.BooleanField(
        _("von der Verwaltung gesetzt"), default=False, help_text=_("Startthese der Verwaltung.")
    )
    is_meta = models.BooleanField(
        _("Meta-These"),
        default=False,
        help_text=_("Über den Prozess, nicht die Sache: zählt nicht für die Gruppen."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    moderation_reason = models.TextField(_("Begründung der Moderation"), blank=True)
    moderated_at = models.DateTimeField(_("moderiert am"), null=True, blank=True)
    # The comment id of an imported Polis conversation, and the Polis id of its author.
    external_id = models.CharField(_("externe Kennung"), max_length=64, blank=True)
    external_author = models.CharField(_("Verfasser*in im Export"), max_length=64, blank=True)
    # Kept by the vote service; lets "fewest votes first" work without counting rows.
    vote_count = models.PositiveIntegerField(_("Stimmen"), default=0, editable=False)
    # Copied from the latest computation: how strongly the math wants this statement shown next.
    priority = models.FloatField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("eingereicht am"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("These")
        verbose_name_plural = _("Thesen")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "external_id"],
                condition=~models.Q(external_id=""),
                name="statement_unique_external",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="rejected") | ~models.Q(moderation_reason=""),
                name="statement_rejection_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        ensure_same_municipality(self, "project")


class StatementVote(TenantModel):
    """One person's current answer to one statement; a new answer replaces the old one."""

    class Value(models.IntegerChoices):
        # The signs of Polis's exports.
        AGREE = 1, _("Stimme zu")
        DISAGREE = -1, _("Stimme nicht zu")
        PASS = 0, _("Weiß nicht / überspringen")

    # No index of their own for project and statement: the index (project, participant) and
    # the unique (statement, participant) begin with them, and every vote writes each index.
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    statement = models.ForeignKey(
        Statement,
        on_delete=models.CASCADE,
        related_name="votes",
        db_index=False,
        verbose_name=_("These"),
    )
    participant = models.ForeignKey(
        Participant,
        on_delete=models.CASCADE,
        related_name="votes",
        verbose_name=_("Teilnehmende*r"),
    )
    value = models.SmallIntegerField(_("Stimme"), choices=Value.choices)
    # First answer (orders participants as Polis does) and the latest change.
    created_at = models.DateTimeField(_("zuerst abgestimmt"))
    updated_at = models.DateTimeField(_("zuletzt geändert"))

    class Meta:
        verbose_name = _("Stimme")
        verbose_name_plural = _("Stimmen")
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "participant"], name="statement_vote_one_per_person"
            ),
            models.CheckConstraint(
                condition=models.Q(value__in=[-1, 0, 1]), name="statement_vote_value"
            ),
        ]
        indexes = [models.Index(fields=["project", "participant"])]

    def __str__(self) -> str:
        return f"{self.participant} – {self.get_value_display()}"


class PolisImport(TenantModel):
    """A Polis export uploaded by staff, imported in the background into a project's map.

    The uploaded files wait in storage (``files``: the names given and where they are) until
    the import ran; they are deleted then, whatever the outcome. ``report`` says what was
    imported and what was skipped, ``error`` why nothing was (a problem of ``polis_problems``).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    class Stage(models.TextChoices):
        READING = "reading", _("Dateien lesen")
        STORING = "storing", _("speichern")
        COMPUTING = "computing", _("Meinungsbild berechnen")

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="polis_imports",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hochgeladen von"),
    )
    created_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(_("Schritt"), max_length=20, choices=Stage.choices, blank=True)
    progress_done = models.PositiveBigIntegerField(default=0)
    progress_total = models.PositiveBigIntegerField(default=0)
    files = models.JSONField(default=list)
    report = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Polis-Import")
        verbose_name_plural = _("Polis-Importe")

    def __str__(self) -> str:
        return f"{self.project} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))
