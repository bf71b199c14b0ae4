"""Implementation of a project: milestones, tasks with shifts, commitments, progress updates."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import Department, Organisation, TenantModel, ensure_same_municipality
from koproduktion.core.uploads import UnguessableName, UploadImageField
from koproduktion.core.validators import no_html
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    IN_PROGRESS = "in_progress", _("in Arbeit")
    DONE = "done", _("erledigt")
    DELAYED = "delayed", _("verzögert")


class Milestone(TenantModel):
    """A step of the implementation plan, with who answers for it and how far it has come."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="milestones",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    title = models.CharField(_("Titel"), max_length=200, validators=[no_html])
    description = models.TextField(
        _("Beschreibung"), blank=True, validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    target_date = models.DateField(_("Zieldatum"))
    status = models.CharField(
        _("Status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    delay_reason = models.TextField(_("Grund der Verzögerung"), blank=True, validators=[no_html])
    percent_complete = models.PositiveSmallIntegerField(_("Fortschritt in %"), default=0)
    # Milestones weigh differently in the project's progress (building work vs. an opening party).
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"),
        default=1,
        help_text=_("Wie stark der Meilenstein in den Fortschritt eingeht."),
    )
    responsible_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwortlicher Fachbereich"),
    )
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verantwortliche Organisation"),
    )
    responsible_group = models.CharField(
        _("verantwortliche Gruppe von Bürger*innen"), max_length=200, blank=True
    )
    # The people of a resident group; they may post progress updates like staff.
    group_members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("Mitglieder der Gruppe"),
    )
    ideas = models.ManyToManyField(
        Idea, blank=True, related_name="milestones", verbose_name=_("umgesetzte Ideen")
    )
    completed_on = models.DateField(_("erledigt am"), null=True, blank=True)

    class Meta:
        ordering = ["target_date", "pk"]
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.DELAYED) | ~Q(delay_reason=""),
                name="milestone_delay_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(percent_complete__lte=100), name="milestone_percent_at_most_100"
            ),
            models.CheckConstraint(condition=Q(weight__gte=1), name="milestone_weight_positive"),
            models.CheckConstraint(
                condition=~Q(status=MilestoneStatus.DONE) | Q(percent_complete=100),
                name="milestone_done_is_complete",
            ),
            models.CheckConstraint(
                condition=(
                    Q(responsible_department__isnull=True, responsible_organisation__isnull=True)
                    | Q(responsible_department__isnull=True, responsible_group="")
                    | Q(responsible_organisation__isnull=True, responsible_group="")
                ),
                name="milestone_one_responsible",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(
            self, "project", "responsible_department", "responsible_organisation"
        )

    @property
    def responsible(self) -> str:
        return str(
            self.responsible_department or self.responsible_organisation or self.responsible_group
        )

    @property
    def is_delayed(self) -> bool:
        return self.status == MilestoneStatus.DELAYED


class Task(TenantModel):
    """Something anyone may take on: on one date, or in shifts with their own capacity."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="tasks",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
    )
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="tasks",
        verbose_name=_("Meilenstein"),
    )
    title = models.CharField(_("Was ist zu tun?"), max_length=200, validators=[no_html])
    description = models.TextField(
        _("Beschreibung"), blank=True, validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    address = models.CharField(_("Wo?"), max_length=200, validators=[no_html])
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    # A task without shifts happens on this date; with shifts, each shift has its own times.
    date = models.DateField(_("Datum"), null=True, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("Wie viele Personen?"),
        default=1,
        help_text=_("Bei Schichten gilt die Zahl je Schicht, wenn dort keine eigene steht."),
    )
    # Commitments to the task itself (not to a shift); kept by the services under a row lock.
    taken = models.PositiveSmallIntegerField(default=0, editable=False)
    skills = models.CharField(
        _("Gesuchte Fähigkeiten oder Ausrüstung"), max_length=300, blank=True, validators=[no_html]
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=120, validators=[no_html])
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=50, blank=True)
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("Aufgabe")
        verbose_name_plural = _("Aufgaben")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="task_capacity_positive"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="task_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="task_point_complete",
            ),
        ]
        indexes = [models.Index(fields=["project", "is_published", "date"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "project", "milestone")

    @property
    def has_point(self) -> bool:
        return self.latitude is not None


class Shift(TenantModel):
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("Aufgabe")
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    capacity = models.PositiveSmallIntegerField(_("Plätze"))
    taken = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Schicht")
        verbose_name_plural = _("Schichten")
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="shift_capacity_positive"),
            models.CheckConstraint(
                condition=Q(taken__lte=F("capacity")), name="shift_not_overbooked"
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def free(self) -> int:
        return self.capacity - self.taken


class Commitment(TenantModel):
    """A person's promise to help with a task or one of its shifts."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="commitments")
    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, null=True, blank=True, related_name="commitments"
    )
    # Empty for a sign-up written down on site for someone without an account (workshop mode):
    # then ``contributor_name`` names them and ``source_event`` is where they signed up.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="commitments",
    )
    contributor_name = models.CharField(_("Name"), max_length=80, blank=True)
    email = models.EmailField(_("E-Mail"), blank=True)
    source_event = models.ForeignKey(
        "events.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="signups",
        verbose_name=_("aufgenommen bei"),
    )
    # Set when a representative commits as the organisation: it is shown publicly, and its
    # representatives of the day (not the person who committed once left) act on it.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("als Organisation"),
    )
    # How many people come: 1 for a person, what the organisation sends for it. The shift's
    # (or the task's) ``taken`` counts people.
    people = models.PositiveSmallIntegerField(_("Anzahl Personen"), default=1)
    share_contact = models.BooleanField(
        _("Die Ansprechperson darf mich über meine E-Mail-Adresse erreichen."), default=False
    )
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("zugesagt am"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("abgesagt am"), null=True, blank=True)
    done_at = models.DateTimeField(_("erledigt gemeldet am"), null=True, blank=True)
    hours = models.DecimalField(_("Stunden"), max_digits=5, decimal_places=1, null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Zusage")
        verbose_name_plural = _("Zusagen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "shift"],
                condition=Q(cancelled_at__isnull=True, shift__isnull=False),
                name="commitment_once_per_shift",
            ),
            models.UniqueConstraint(
                fields=["user", "task"],
                condition=Q(cancelled_at__isnull=True, shift__isnull=True),
                name="commitment_once_per_task",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gte=0, hours__lte=1000),
                name="commitment_hours_sensible",
            ),
            models.CheckConstraint(condition=Q(people__gte=1), name="commitment_people_positive"),
            models.UniqueConstraint(
                fields=["organisation", "shift"],
                condition=Q(cancelled_at__isnull=True, organisation__isnull=False),
                name="commitment_organisation_once_per_shift",
            ),
            models.UniqueConstraint(
                fields=["organisation", "task"],
                condition=Q(cancelled_at__isnull=True, organisation__isnull=False, shift=None),
                name="commitment_organisation_once_per_task",
            ),
        ]
        indexes = [models.Index(fields=["user", "cancelled_at"])]

    def __str__(self) -> str:
        # Not the name written down on site: this text goes into the administration's log.
        who = self.user if self.user_id else _("vor Ort")
        return f"{who} → {self.shift or self.task}"

    @property
    def person(self) -> str:
        """Who helps: the account's public name, or the name written down on site."""
        if self.user_id:
            return str(self.user)
        return self.contributor_name or str(_("anonym"))

    @property
    def shown_email(self) -> str:
        """The address organisers may write to: the account's, if shared; the one given on site."""
        if self.user_id:
            return self.user.email if self.share_contact else ""
        return self.email

    @property
    def shown_phone(self) -> str:
        return self.phone if self.share_contact or not self.user_id else ""

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class Update(TenantModel):
    """A progress report on the project's timeline, sent to its followers."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates")
    milestone = models.ForeignKey(
        Milestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="updates",
        verbose_name=_("Meilenstein"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Who speaks: "Fachbereich Soziales", "Bürgerverein Altstadt" – shown under the text.
    posted_as = models.CharField(_("im Namen von"), max_length=200, blank=True)
    text = models.TextField(_("Text"), validators=[no_html], help_text=_("Markdown ist erlaubt."))
    created_at = models.DateTimeField(_("veröffentlicht am"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Fortschrittsbericht")
        verbose_name_plural = _("Fortschrittsberichte")

    def __str__(self) -> str:
        return f"{self.project}: {self.created_at:%Y-%m-%d}"


class UpdatePhoto(TenantModel):
    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="photos")
    image = UploadImageField(
        _("Foto"),
        upload_to=UnguessableName("updates"),
        db_index=True,  # core.media finds the photo by the file's name
        view_rule="implementation.can_view_photo",
        view_related=("update__project__municipality",),
        width_field="width",
        height_field="height",
        allowed="photos",
    )
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    alt_text = models.CharField(
        _("Bildbeschreibung"),
        max_length=200,
        help_text=_("Was auf dem Foto zu sehen ist, für Menschen, die es nicht sehen können."),
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("Foto")
        verbose_name_plural = _("Fotos")

    def __str__(self) -> str:
        return self.alt_text


class CalendarToken(models.Model):
    """The secret of a person's private iCal feed. Only its SHA-256 hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="one_live_calendar_token",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%Y-%m-%d})"
