"""Events and workshops: when and where, who can come, who registered, and what came of it."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import (
    Department,
    Neighbourhood,
    Organisation,
    TenantModel,
    ensure_same_municipality,
)
from koproduktion.core.uploads import UnguessableName, UploadField
from koproduktion.core.validators import no_html
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project

# One registration brings at most this many people (a family, a small group).
MAX_PEOPLE = 10


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    INFORMATION = "information", _("Informationsabend")
    WALK = "walk", _("Quartiersspaziergang")
    ACTION_DAY = "action_day", _("Aktionstag")
    OTHER = "other", _("Sonstiges")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("geplant")
    CANCELLED = "cancelled", _("abgesagt")


class Event(TenantModel):
    """A date on which people meet: a workshop, an information evening, a walk, an action day."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=pgettext_lazy("one project", "Vorhaben"),
        help_text=_("Leer lassen für eine Veranstaltung der ganzen Kommune."),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Quartier"),
    )
    title = models.CharField(_("Titel"), max_length=200, validators=[no_html])
    description = models.TextField(
        _("Beschreibung"), blank=True, validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    kind = models.CharField(
        _("Art"), max_length=20, choices=EventKind.choices, default=EventKind.WORKSHOP
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    venue = models.CharField(_("Veranstaltungsort"), max_length=200, validators=[no_html])
    address = models.CharField(_("Adresse"), max_length=200, blank=True, validators=[no_html])
    latitude = models.FloatField(_("Breitengrad"), null=True, blank=True)
    longitude = models.FloatField(_("Längengrad"), null=True, blank=True)
    step_free = models.BooleanField(_("stufenloser Zugang"), default=False)
    hearing_loop = models.BooleanField(_("Induktionsschleife"), default=False)
    sign_language = models.BooleanField(_("Gebärdensprache auf Anfrage"), default=False)
    childcare = models.BooleanField(_("Kinderbetreuung"), default=False)
    accessibility = models.TextField(
        _("Weitere Hinweise zur Barrierefreiheit"),
        blank=True,
        validators=[no_html],
        help_text=_("Zum Beispiel: Eingang an der Rückseite, Aufzug, Parkplätze, Anreise mit Bus."),
    )
    capacity = models.PositiveIntegerField(
        _("Plätze"), null=True, blank=True, help_text=_("Leer lassen, wenn alle kommen können.")
    )
    registration_until = models.DateTimeField(
        _("Anmeldung bis"),
        null=True,
        blank=True,
        help_text=_("Leer lassen: Anmeldung bis zum Beginn."),
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veranstaltender Fachbereich"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("veranstaltende Organisation"),
    )
    contact = models.CharField(
        _("Kontakt"),
        max_length=200,
        blank=True,
        validators=[no_html],
        help_text=_("Name, Telefon oder E-Mail für Fragen zur Veranstaltung."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    cancel_reason = models.TextField(_("Grund der Absage"), blank=True, validators=[no_html])
    is_published = models.BooleanField(_("veröffentlicht"), default=False)
    # People confirmed (registrations × their party size), kept by the services under the row lock.
    taken = models.PositiveIntegerField(default=0, editable=False)
    minutes = models.TextField(
        _("Protokoll"), blank=True, validators=[no_html], help_text=_("Markdown ist erlaubt.")
    )
    minutes_file = UploadField(
        _("Protokoll als Datei"),
        upload_to=UnguessableName("event-minutes"),
        blank=True,
        db_index=True,  # core.media finds the event by the file's name
        view_rule="events.can_view",
        view_related=("project__municipality", "municipality"),
        help_text=_("PDF, Bild oder Office-Dokument, höchstens 20 MB."),
    )
    # Ideas discussed at the event, besides those recorded there (Idea.source_event).
    ideas = models.ManyToManyField(
        Idea, blank=True, related_name="discussed_at", verbose_name=_("besprochene Ideen")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="event_point_complete",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(taken__lte=F("capacity")),
                name="event_not_overbooked",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "starts_at"], name="event_town_starts")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "project", "neighbourhood", "department", "organisation")

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.taken, 0)

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.taken >= self.capacity

    @property
    def registration_closes_at(self) -> datetime.datetime:
        return self.registration_until or self.starts_at

    @property
    def registration_open(self) -> bool:
        return (
            self.is_published
            and not self.is_cancelled
            and timezone.now() < self.registration_closes_at
        )

    @property
    def has_point(self) -> bool:
        return self.latitude is not None

    @property
    def organiser(self) -> str:
        return " · ".join(str(who) for who in (self.department, self.organisation) if who)

    @property
    def place(self) -> str:
        return ", ".join(part for part in (self.venue, self.address) if part)


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("angemeldet")
    WAITING = "waiting", _("auf der Warteliste")
    CANCELLED = "cancelled", _("abgemeldet")


class Registration(TenantModel):
    """One person's registration, for themselves and whoever comes with them."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # Set when a representative registers the organisation; its representatives of the day act
    # on the registration, and the organisation's profile shows it.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("als Organisation"),
    )
    people = models.PositiveSmallIntegerField(
        _("Anzahl Personen"), default=1, help_text=_("Sie und wer mit Ihnen kommt.")
    )
    note = models.TextField(
        _("Hinweis für das Team"),
        blank=True,
        max_length=500,
        validators=[no_html],
        help_text=_(
            "Zum Beispiel: Rollstuhlplatz, Gebärdensprache, Kinderbetreuung für zwei Kinder."
        ),
    )
    status = models.CharField(
        _("Status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.REGISTERED,
    )
    # When the person (last) registered: the waiting list is served in this order.
    created_at = models.DateTimeField(_("angemeldet am"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Anmeldung")
        verbose_name_plural = _("Anmeldungen")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once"),
            models.UniqueConstraint(
                fields=["event", "organisation"],
                condition=Q(organisation__isnull=False),
                name="registration_organisation_once",
            ),
            models.CheckConstraint(
                condition=Q(people__gte=1) & Q(people__lte=MAX_PEOPLE),
                name="registration_people_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.event}"
