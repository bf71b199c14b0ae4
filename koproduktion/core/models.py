from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .licences import OpenDataLicence
from .plain_text import PlainTextModel
from .roles import Role

# Top-level paths that a municipality's slug must not take (see koproduktion/urls.py).
RESERVED_SLUGS = frozenset(
    {
        "admin",
        "api",
        "konto",
        "sprache",
        "static",
        "media",
        "healthz",
        "datenschutz",
        "impressum",
        "barrierefreiheit",
    }
)


def validate_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("Dieser Kurzname ist für die Plattform reserviert."))


def plain_language_field() -> models.TextField:
    """A summary in plain language (Einfache or Leichte Sprache) of a public record, shown at
    the top of its page (docs/readability.md)."""
    return models.TextField(
        _("In Einfacher Sprache"),
        blank=True,
        help_text=_(
            "Das Wichtigste in kurzen Sätzen mit bekannten Wörtern: ein Gedanke pro Satz, "
            "keine Fremdwörter, Zahlen als Ziffern. Steht oben auf der öffentlichen Seite. "
            "Markdown ist erlaubt."
        ),
    )


class Municipality(PlainTextModel):
    """A Kommune: the tenant. Every other record belongs to exactly one."""

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(
        _("Kurzname"), max_length=80, unique=True, validators=[validate_not_reserved]
    )
    description = models.TextField(_("Beschreibung"), blank=True)
    website = models.URLField(_("Website"), blank=True)
    # The area in which places may be marked (ideas, objects); a bounding box is enough to keep
    # points out of the sea and other towns, and needs no GIS extension in the database.
    area_south = models.FloatField(_("Gebiet: südlichster Breitengrad"), null=True, blank=True)
    area_west = models.FloatField(_("Gebiet: westlichster Längengrad"), null=True, blank=True)
    area_north = models.FloatField(_("Gebiet: nördlichster Breitengrad"), null=True, blank=True)
    area_east = models.FloatField(_("Gebiet: östlichster Längengrad"), null=True, blank=True)
    support_quorum = models.PositiveIntegerField(
        _("Quorum für Unterstützungen"),
        null=True,
        blank=True,
        help_text=_(
            "Ab so vielen Unterstützungen kommt eine Idee auf die Tagesordnung des zuständigen "
            "Gremiums. Leer: kein Quorum."
        ),
    )
    initiative_threshold = models.PositiveIntegerField(
        _("Unterstützungen für eine Initiative"),
        default=25,
        validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_(
            "So viele Unterstützer*innen braucht eine Initiative, bevor sie die Verwaltung um "
            "einen Partner-Fachbereich bitten kann."
        ),
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("Antwort versprochen binnen (Tagen)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text=_(
            "So viele Tage nach dem Eingang soll eine Idee oder Frage eine offizielle Antwort "
            "haben. Die Seite „Antwortzeiten“ zeigt, wie oft das gelingt."
        ),
    )
    min_readability = models.PositiveSmallIntegerField(
        _("Mindestlesbarkeit"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Lesbarkeit nach Flesch (Amstad), 0 bis 100, die öffentliche Texte der Verwaltung "
            "mindestens erreichen müssen, bevor sie erscheinen (Vorhaben, Beschlüsse, offizielle "
            "Antworten, Fortschrittsberichte). 60 ist „mittel“. Leer: keine Vorgabe."
        ),
    )
    council_records_decisions = models.BooleanField(
        _("Schriftführung des Rats trägt Beschlüsse ein"),
        default=False,
        help_text=_(
            "Wer die Rolle „Schriftführung des Rats“ hat, trägt die Beschlüsse des Rats "
            "selbst ein, von der Tagesordnung des Rats aus. Sonst tut es die Verwaltung."
        ),
    )
    is_public = models.BooleanField(
        _("öffentlich sichtbar"),
        default=True,
        help_text=_("Nicht öffentliche Kommunen sehen nur ihre Verwaltung und Admins."),
    )
    require_two_factor = models.BooleanField(
        _("Zwei-Faktor-Anmeldung verlangen"),
        default=False,
        help_text=_(
            "Verwaltung, Moderation und Kommunen-Admins handeln hier erst, wenn sie sich mit "
            "einem Code aus einer App anmelden. Wer es noch nicht eingerichtet hat, wird dazu "
            "geführt."
        ),
    )
    open_data_licence = models.CharField(
        _("Lizenz der offenen Daten"),
        max_length=20,
        choices=OpenDataLicence.choices,
        default=OpenDataLicence.CC_BY_4,
        help_text=_(
            "Unter dieser Lizenz stehen die öffentlichen Daten der Kommune auf der Seite "
            "„Offene Daten“ zum Herunterladen."
        ),
    )
    # Raised by every write that changes what the town's public pages show besides one project's
    # own content (its list of projects, timelines, neighbourhoods, departments, anything saved in
    # the admin); every cached page of the town is keyed by it (core/page_cache.py). Only ever
    # raised with an UPDATE (services.municipality_content_changed), never written back by save().
    content_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Kommune")
        verbose_name_plural = _("Kommunen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(area_south__isnull=True)
                | models.Q(
                    area_south__lt=models.F("area_north"), area_west__lt=models.F("area_east")
                ),
                name="municipality_area_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def municipality_id(self) -> int:
        # Lets tenant checks treat a municipality like any record that belongs to one.
        return self.pk

    @property
    def area(self) -> tuple[float, float, float, float] | None:
        """(south, west, north, east), or None when no area is set."""
        bounds = (self.area_south, self.area_west, self.area_north, self.area_east)
        return None if None in bounds else bounds  # type: ignore[return-value]

    def contains(self, latitude: float, longitude: float) -> bool:
        area = self.area
        if area is None:
            return -90 <= latitude <= 90 and -180 <= longitude <= 180
        south, west, north, east = area
        return south <= latitude <= north and west <= longitude <= east


class TenantModel(PlainTextModel):
    """Base for every record that belongs to a municipality.

    The column is on every tenant table itself (not only through a parent row), so that data can be
    sharded by municipality without reshaping the schema.
    """

    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, verbose_name=_("Kommune"), related_name="+"
    )

    class Meta:
        abstract = True


class Neighbourhood(TenantModel):
    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    description = models.TextField(_("Beschreibung"), blank=True)
    # Entered by the town, so the participation figures can show whom it does not reach.
    population = models.PositiveIntegerField(
        _("Einwohnerzahl"),
        null=True,
        blank=True,
        help_text=_("Für „Beteiligung in Zahlen“: wie viele Menschen im Quartier leben."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Quartier")
        verbose_name_plural = _("Quartiere")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="neighbourhood_unique_slug"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlaceKind(models.TextChoices):
    STREET = "street", _("Straße")
    SQUARE = "square", _("Platz")
    LANDMARK = "landmark", _("Ort")


class Place(TenantModel):
    """A named place of the town's gazetteer (street, square, landmark) with one point on the map.

    People choose one instead of typing coordinates (docs/maps.md). ``search_name`` is the name
    as searches compare it (``core.gazetteer.search_key``), kept by the services.
    """

    name = models.CharField(_("Name"), max_length=120)
    kind = models.CharField(_("Art"), max_length=10, choices=PlaceKind.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("Quartier"),
        related_name="+",
    )
    latitude = models.FloatField(_("Breitengrad"))
    longitude = models.FloatField(_("Längengrad"))
    search_name = models.CharField(max_length=120, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Ort im Verzeichnis")
        verbose_name_plural = _("Ortsverzeichnis")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="place_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Department(TenantModel):
    """A Fachbereich or Amt: where contributions are routed and who answers for a project."""

    name = models.CharField(_("Name"), max_length=200)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Fachbereich")
        verbose_name_plural = _("Fachbereiche")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="department_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Organisation(TenantModel):
    """An association, initiative, church, school or business taking part in the municipality.

    Its public profile (``/<town>/akteure/<slug>/``) shows only what it chooses to publish. One
    proposed by a resident stays unconfirmed (``verified_at`` empty) until the town's admins
    confirm it: until then only its proposer and the town's administration see it (docs/local-actors.md).
    """

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("Verein")
        INITIATIVE = "initiative", _("Initiative")
        RELIGIOUS = "religious", _("Religionsgemeinschaft")
        SCHOOL = "school", _("Schule")
        DAYCARE = "daycare", _("Kita")
        SOCIAL = "social", _("Soziale Einrichtung")
        CULTURE = "culture", _("Kultureinrichtung")
        COMPANY = "company", _("Unternehmen")
        OTHER = "other", _("Sonstige")

    name = models.CharField(_("Name"), max_length=200)
    slug = models.SlugField(_("Kurzname"), max_length=80, blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.ASSOCIATION)
    website = models.URLField(_("Website"), blank=True)
    description = models.TextField(
        _("Beschreibung"),
        blank=True,
        max_length=5000,
        help_text=_("Wer Sie sind und was Sie tun. Markdown ist erlaubt."),
    )
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="organisations", verbose_name=_("Quartiere")
    )
    topics = models.ManyToManyField(
        "Topic", blank=True, related_name="organisations", verbose_name=_("Themen")
    )
    # Public contact: only what the organisation chooses to publish.
    contact_email = models.EmailField(_("öffentliche E-Mail"), blank=True)
    contact_phone = models.CharField(_("öffentliches Telefon"), max_length=50, blank=True)
    contact_address = models.CharField(_("öffentliche Adresse"), max_length=200, blank=True)
    verified_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("bestätigt von"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="organisation_unique_name"
            ),
            models.UniqueConstraint(
                fields=["municipality", "slug"],
                condition=~models.Q(slug=""),
                name="organisation_unique_slug",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class Topic(TenantModel):
    """A theme such as mobility or housing, used to file and filter projects and ideas."""

    name = models.CharField(_("Name"), max_length=100)
    slug = models.SlugField(_("Kurzname"), max_length=80)
    # Where contributions on this topic go when the project involves that department (or names
    # none of its own); see routing.services.responsible_department_id.
    department = models.ForeignKey(
        "Department",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zuständiger Fachbereich"),
        help_text=_("Beiträge zu diesem Thema gehen an diesen Fachbereich."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="topic_unique_slug")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ensure_same_municipality(self, "department")


class Membership(TenantModel):
    """One role a person holds in one municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("Person"),
    )
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices)
    departments = models.ManyToManyField(
        Department, blank=True, verbose_name=_("Fachbereiche"), related_name="members"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        verbose_name=_("Organisation"),
        related_name="representatives",
    )

    class Meta:
        ordering = ["municipality", "role"]
        verbose_name = _("Rolle")
        verbose_name_plural = _("Rollen")
        constraints = [
            # One row per role; an organisation's representatives one row per organisation,
            # since a person may speak for a club and a church alike.
            models.UniqueConstraint(
                fields=["user", "municipality", "role"],
                condition=~models.Q(role=Role.ORGANISATION),
                name="membership_unique_role",
            ),
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(role=Role.ORGANISATION),
                name="membership_unique_representative",
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.ORGANISATION, organisation__isnull=False)
                | (~models.Q(role=Role.ORGANISATION) & models.Q(organisation__isnull=True)),
                name="membership_organisation_iff_representative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.municipality})"


def ensure_same_municipality(record: TenantModel, *fields: str) -> None:
    """Refuse links from ``record`` to records of another municipality (model ``clean``)."""

    errors = {}
    for field in fields:
        related_id = getattr(record, f"{field}_id")
        if related_id is None or record.municipality_id is None:
            continue
        related = getattr(record, field)
        if related.municipality_id != record.municipality_id:
            errors[field] = _("Gehört zu einer anderen Kommune.")
    if errors:
        raise ValidationError(errors)


class Block(TenantModel):
    """A person may not contribute in a municipality until ``ends_at`` (for good when empty).

    Kept next to the roles because it is a fact about a person in a municipality, which every
    participation rule asks; the moderation app creates and lifts blocks.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="blocks",
        verbose_name=_("Person"),
    )
    reason = models.TextField(_("Begründung"))
    ends_at = models.DateTimeField(_("gesperrt bis"), null=True, blank=True)
    lifted_at = models.DateTimeField(_("aufgehoben am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("gesperrt von"),
    )
    created_at = models.DateTimeField(_("gesperrt am"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Sperre")
        verbose_name_plural = pgettext_lazy("more than one block", "Sperren")
        indexes = [models.Index(fields=["user", "municipality"])]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"


class AuditEntry(TenantModel):
    """One act of the administration: who ran which service on what, and what it changed.

    Written only by ``core.audit`` inside the service's transaction, never changed afterwards:
    the model refuses a second save, and the database refuses an UPDATE (a trigger, see the
    migration) except the one that forgets a deleted account. ``before`` and ``after`` hold the
    changed fields only; personal data such as a birth date appears as "set", never its value.
    """

    created_at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("Person"),
    )
    # As the person was called and what roles they held when they acted; kept as they were.
    actor_name = models.CharField(_("Name der Person"), max_length=200, blank=True)
    actor_roles = models.JSONField(_("Rollen der Person"), default=list)
    action = models.CharField(_("Aktion"), max_length=100)
    target_type = models.CharField(_("Art des Objekts"), max_length=100)
    target_id = models.PositiveBigIntegerField(_("Nummer des Objekts"), null=True)
    target_repr = models.CharField(_("Objekt"), max_length=300)
    before = models.JSONField(_("vorher"), default=dict, encoder=DjangoJSONEncoder)
    after = models.JSONField(_("nachher"), default=dict, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("Protokolleintrag")
        verbose_name_plural = _("Protokolleinträge")
        indexes = [
            # The log page reads a town's entries newest first, filtered by person or object.
            models.Index(fields=["municipality", "-id"], name="audit_newest"),
            models.Index(fields=["municipality", "actor", "-id"], name="audit_by_actor"),
            models.Index(
                fields=["municipality", "target_type", "target_id"], name="audit_by_target"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Audit entries are never deleted one by one.")


class RateCounter(models.Model):
    """One counter of the rate limits' cache without Redis (``core.counter_cache``).

    Not tenant data: the keys name an action and a hashed account or address. A row whose
    ``expires`` (seconds since the epoch) has passed counts as absent and is deleted later.
    """

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.BigIntegerField()
    expires = models.FloatField(db_index=True)

    def __str__(self) -> str:
        return f"{self.cache_key} = {self.value}"
