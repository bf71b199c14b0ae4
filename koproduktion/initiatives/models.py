"""Resident initiatives: a project proposed from below, its initiators and supporters, the
partnership it asks of the administration, and what it is looking for (needs and offers)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from koproduktion.core.models import (
    Department,
    Neighbourhood,
    Organisation,
    TenantModel,
    Topic,
    ensure_same_municipality,
)
from koproduktion.core.validators import no_html
from koproduktion.projects.models import Project

TITLE_MAX = 120
SUMMARY_MAX = 300
TEXT_MAX = 5000
MESSAGE_MAX = 1000
CONTACT_MAX = 200


class State(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    COLLECTING = "collecting", _("sammelt Unterstützung")
    REQUESTED = "requested", _("Partnerschaft angefragt")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


# Where each state may lead; everything else is refused by ``services.common._move``.
TRANSITIONS: dict[str, frozenset[str]] = {
    State.DRAFT: frozenset({State.COLLECTING, State.WITHDRAWN}),
    State.COLLECTING: frozenset({State.REQUESTED, State.WITHDRAWN}),
    State.REQUESTED: frozenset({State.ACCEPTED, State.DECLINED, State.WITHDRAWN}),
    State.ACCEPTED: frozenset(),
    State.DECLINED: frozenset(),
    State.WITHDRAWN: frozenset(),
}
# States in which an initiative gathers people: support, joining.
OPEN_STATES = frozenset({State.COLLECTING, State.REQUESTED})
# States in which its needs take offers (an accepted initiative keeps looking for help).
LOOKING_STATES = frozenset({State.COLLECTING, State.REQUESTED, State.ACCEPTED})
# States in which the initiators still change its texts.
EDITABLE_STATES = frozenset({State.DRAFT, State.COLLECTING, State.REQUESTED})


class Initiative(TenantModel):
    """A project that residents or an organisation propose for their neighbourhood."""

    title = models.CharField(_("Titel"), max_length=TITLE_MAX, validators=[no_html])
    slug = models.SlugField(_("Kurzname"), max_length=80)
    summary = models.CharField(
        _("Was wollen Sie machen?"),
        max_length=SUMMARY_MAX,
        validators=[no_html],
        help_text=_("Ein, zwei Sätze: Das steht in der Liste."),
    )
    why = models.TextField(
        _("Warum?"),
        max_length=TEXT_MAX,
        validators=[no_html],
        help_text=_("Was soll besser werden, und für wen? Markdown ist erlaubt."),
    )
    help_needed = models.TextField(
        _("Welche Hilfe brauchen Sie?"),
        max_length=TEXT_MAX,
        blank=True,
        validators=[no_html],
        help_text=_(
            "Von der Verwaltung und von anderen: Genehmigungen, Räume, Geld, Wissen, Hände."
        ),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Quartier"),
        help_text=_("Leer lassen, wenn es die ganze Kommune betrifft."),
    )
    topic = models.ForeignKey(
        Topic,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Thema"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("im Namen der Organisation"),
        help_text=_("Nur wer eine Organisation vertritt, startet in ihrem Namen."),
    )
    contact = models.CharField(
        _("So erreicht man Sie"),
        max_length=CONTACT_MAX,
        blank=True,
        validators=[no_html],
        help_text=_(
            "Telefon oder E-Mail. Sehen nur die Initiator*innen und wessen Angebot Sie annehmen."
        ),
    )
    state = models.CharField(_("Stand"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Kept by the services with F() updates in the same transaction as the support row.
    support_count = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # Set when the administration accepts it as partner.
    project = models.OneToOneField(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="initiative",
        editable=False,
    )
    partner_department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Partner-Fachbereich"),
        editable=False,
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Ansprechperson in der Verwaltung"),
        editable=False,
    )
    decline_reason = models.TextField(_("Begründung der Absage"), blank=True, editable=False)
    created_at = models.DateTimeField(_("gestartet am"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Initiative")
        verbose_name_plural = _("Initiativen")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "slug"], name="initiative_unique_slug"),
            models.CheckConstraint(
                condition=~Q(state=State.ACCEPTED)
                | Q(partner_department__isnull=False, contact_person__isnull=False),
                name="initiative_accepted_has_partner",
            ),
            models.CheckConstraint(
                condition=~Q(state=State.DECLINED) | ~Q(decline_reason=""),
                name="initiative_declined_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "state", "-created_at"], name="initiative_list")
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        ensure_same_municipality(self, "neighbourhood", "topic", "organisation")

    @property
    def is_public(self) -> bool:
        return self.state != State.DRAFT


class StateChange(TenantModel):
    """One step of an initiative's public history, with the reason given."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="state_changes"
    )
    old_state = models.CharField(_("vorher"), max_length=20, choices=State.choices, blank=True)
    new_state = models.CharField(_("nachher"), max_length=20, choices=State.choices)
    reason = models.TextField(_("Begründung"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(_("Zeitpunkt"), auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("Schritt einer Initiative")
        verbose_name_plural = _("Schritte von Initiativen")

    def __str__(self) -> str:
        return f"{self.initiative}: {self.old_state} → {self.new_state}"


class Initiator(TenantModel):
    """A person who carries the initiative: the starter, and co-initiators whose request to
    join an initiator accepted (``accepted_at``); until then the row is a request."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="initiators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    message = models.TextField(
        _("Was möchten Sie beitragen?"), max_length=MESSAGE_MAX, blank=True, validators=[no_html]
    )
    is_starter = models.BooleanField(default=False)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_starter", "created_at", "pk"]
        verbose_name = _("Initiator*in")
        verbose_name_plural = _("Initiator*innen")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiator_once"),
            models.CheckConstraint(
                condition=Q(is_starter=False) | Q(accepted_at__isnull=False),
                name="initiator_starter_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"


class Supporter(TenantModel):
    """One person's support of one initiative; the database allows no second."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="supporters")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Unterstützung einer Initiative")
        verbose_name_plural = _("Unterstützungen von Initiativen")
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_support_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.initiative}"


class NeedKind(models.TextChoices):
    PEOPLE = "people", _("Menschen, die mit anpacken")
    ROOM = "room", _("Raum")
    TOOLS = "tools", _("Werkzeug und Material")
    MONEY = "money", _("Geld")
    KNOW_HOW = "know_how", _("Wissen und Erfahrung")


class Need(TenantModel):
    """Something an initiative is looking for (Gesucht); fulfilled when as many offers are
    accepted as ``quantity`` says."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("Was wird gesucht?"), max_length=20, choices=NeedKind.choices)
    description = models.TextField(
        _("Beschreibung"),
        max_length=MESSAGE_MAX,
        validators=[no_html],
        help_text=_("Zum Beispiel: ein Raum für 20 Menschen, einmal im Monat abends."),
    )
    quantity = models.PositiveSmallIntegerField(
        _("Wie viele Angebote brauchen Sie?"),
        default=1,
        help_text=_("Zum Beispiel 4 für vier Helfende. Ist es erreicht, gilt es als gefunden."),
    )
    when = models.CharField(
        _("Wann?"),
        max_length=200,
        blank=True,
        validators=[no_html],
        help_text=_("Zum Beispiel: ab Mai, samstags."),
    )
    # Offers accepted so far, kept by the services under the need's row lock.
    accepted_count = models.PositiveSmallIntegerField(default=0, editable=False)
    fulfilled_at = models.DateTimeField(_("gefunden am"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Gesuch")
        verbose_name_plural = _("Gesuche")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1) & Q(quantity__lte=100), name="need_quantity_in_range"
            ),
            models.CheckConstraint(
                condition=Q(fulfilled_at__isnull=True) | Q(accepted_count__gte=F("quantity")),
                name="need_fulfilled_when_enough",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "fulfilled_at"], name="need_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None


class OfferStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("an offer", "offen")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class NeedOffer(TenantModel):
    """An offer in answer to a need, by a person or by an organisation through its
    representative. Its contact is shown to the initiators only once they accept it."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="offers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("im Namen der Organisation"),
    )
    message = models.TextField(
        _("Was bieten Sie an?"), max_length=MESSAGE_MAX, validators=[no_html]
    )
    contact = models.CharField(
        _("So erreicht man Sie"),
        max_length=CONTACT_MAX,
        blank=True,
        validators=[no_html],
        help_text=_("Telefon oder E-Mail. Sehen die Initiator*innen erst, wenn sie annehmen."),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.OPEN
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")
        constraints = [
            # One open offer per person and need; after a decline they may offer anew.
            models.UniqueConstraint(
                fields=["need", "user"],
                condition=Q(status="open"),
                name="need_offer_open_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.need}"

    @property
    def offered_by(self) -> str:
        return str(self.organisation) if self.organisation_id else str(self.user)
