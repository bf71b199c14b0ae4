"""Polls and budgets with secret ballots, verification of voters, and recorded decisions."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Neighbourhood, TenantModel, plain_language_field
from koproduktion.core.uploads import UnguessableName, UploadField
from koproduktion.ideas.models import Idea
from koproduktion.projects.models import Project


class VerificationLevel(models.IntegerChoices):
    """How sure the municipality is who a person is. Binding votes need VERIFIED."""

    EMAIL = 1, _("E-Mail bestätigt")
    VERIFIED = 2, _("verifiziert")


class VerificationMethod(models.TextChoices):
    IN_PERSON = "in_person", _("persönlich bei der Verwaltung")
    POSTAL_CODE = "postal_code", _("mit einem Code per Post")


class Verification(TenantModel):
    """A person verified as living in the municipality (and where, and since when born)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications"
    )
    method = models.CharField(_("Verfahren"), max_length=20, choices=VerificationMethod.choices)
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Quartier")
    )
    birth_date = models.DateField(_("Geburtsdatum"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Verifizierung")
        verbose_name_plural = _("Verifizierungen")
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality"], name="verification_once"),
            # A birth date is what staff saw on an identity document, never what a person typed.
            models.CheckConstraint(
                condition=models.Q(birth_date__isnull=True)
                | models.Q(method=VerificationMethod.IN_PERSON),
                name="verification_birth_date_in_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.municipality})"


class CodeBatch(TenantModel):
    """One-time codes printed and sent by post, e.g. to the households of a neighbourhood."""

    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Quartier")
    )
    note = models.CharField(_("Notiz"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Code-Serie")
        verbose_name_plural = _("Code-Serien")

    def __str__(self) -> str:
        return self.note or str(self.created_at)


class VerificationCode(TenantModel):
    """Only the code's hash is kept; the printable list is shown once, when the codes are made."""

    batch = models.ForeignKey(CodeBatch, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Verifizierungscode")
        verbose_name_plural = _("Verifizierungscodes")

    def __str__(self) -> str:
        return self.code_hash[:8]


class PollKind(models.TextChoices):
    APPROVAL = "approval", _("Zustimmung (mehrere ankreuzen)")
    RANKING = "ranking", _("Rangfolge")
    DOTS = "dots", _("Punkte verteilen")
    BUDGET = "budget", _("Bürgerhaushalt")


class ResultsVisibility(models.TextChoices):
    LIVE = "live", _("laufend sichtbar")
    AFTER_CLOSE = "after_close", _("erst nach dem Ende")


class Poll(TenantModel):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    kind = models.CharField(_("Art"), max_length=20, choices=PollKind.choices)
    opens_at = models.DateTimeField(_("Beginn"))
    closes_at = models.DateTimeField(_("Ende"))
    results_visibility = models.CharField(
        _("Ergebnisse"),
        max_length=20,
        choices=ResultsVisibility.choices,
        default=ResultsVisibility.AFTER_CLOSE,
    )
    binding = models.BooleanField(
        _("verbindlich"),
        default=False,
        help_text=_("Verbindliche Abstimmungen erfordern eine Verifizierung."),
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("nur für das Quartier"),
        help_text=_(
            "Leer: alle in der Kommune. Sonst nur verifizierte Bewohner*innen des Quartiers."
        ),
    )
    min_age = models.PositiveSmallIntegerField(_("Mindestalter"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(
        _("höchstens so viele Optionen"),
        null=True,
        blank=True,
        help_text=_("Zustimmung: so viele Kreuze; Rangfolge: so viele Plätze."),
    )
    points = models.PositiveSmallIntegerField(_("Punkte je Person"), null=True, blank=True)
    budget_cents = models.BigIntegerField(_("Budget (Cent)"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_at", "pk"]
        verbose_name = _("Abstimmung")
        verbose_name_plural = _("Abstimmungen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="poll_closes_after_open",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="dots") | models.Q(points__gt=0),
                name="poll_dots_have_points",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="budget") | models.Q(budget_cents__gt=0),
                name="poll_budget_has_money",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def is_closed(self, now=None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class PollOption(TenantModel):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="options")
    idea = models.ForeignKey(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    cost_cents = models.BigIntegerField(_("Kosten (Cent)"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("Option")
        verbose_name_plural = _("Optionen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(cost_cents__isnull=True) | models.Q(cost_cents__gte=0),
                name="option_cost_not_negative",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        # Budget ballots add up the options' costs: an option without one would be free.
        if self.poll_id and self.poll.kind == PollKind.BUDGET and not (self.cost_cents or 0) > 0:
            raise ValidationError(
                {
                    "cost_cents": _(
                        "Im Bürgerhaushalt braucht jede Option ihre Kosten (mehr als 0 €)."
                    )
                }
            )


class Participation(TenantModel):
    """That someone voted in a poll — not what. The database allows one per person and poll."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Stimmabgabe")
        verbose_name_plural = _("Stimmabgaben")
        constraints = [models.UniqueConstraint(fields=["poll", "voter"], name="participation_once")]

    def __str__(self) -> str:
        return f"{self.voter} → {self.poll}"


class BallotPool(TenantModel):
    """Ballots cast in a poll and not yet counted, sealed together (``decisions/sealing.py``).

    One row per poll, rewritten whole by every vote in the vote's transaction: so a vote and
    its participation are stored at once or not at all, and the pool never has a row per ballot
    whose id, place or transaction could be matched with a participation.
    """

    poll = models.OneToOneField(Poll, on_delete=models.CASCADE, primary_key=True, related_name="+")
    pending = models.PositiveIntegerField(default=0)
    sealed = models.BinaryField(default=b"")
    # Set by the count at the close: no vote is taken after it, also if the poll's end is moved
    # later — a single later ballot would show in the difference of the two results.
    final = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("Urne")
        verbose_name_plural = _("Urnen")

    def __str__(self) -> str:
        return f"{self.poll_id}: {self.pending}"


class Ballot(TenantModel):
    """What was voted — not by whom. Written out of the pool in batches, in random order, with a
    random key and no time stamp, so that nothing pairs it with a participation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")

    class Meta:
        verbose_name = _("Stimmzettel")
        verbose_name_plural = _("Stimmzettel")

    def __str__(self) -> str:
        return str(self.id)


class BallotLine(TenantModel):
    """One option on a ballot: 1 for a cross, the points given, or the rank (1 = first)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="lines")
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="+")
    # An option that is on a counted ballot cannot be deleted on its own (the results would
    # change after the fact); with its whole poll it goes, since the poll takes the lines along.
    option = models.ForeignKey(PollOption, on_delete=models.RESTRICT, related_name="+")
    value = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("Stimmzettelzeile")
        verbose_name_plural = _("Stimmzettelzeilen")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "option"], name="ballot_line_once"),
            models.CheckConstraint(condition=models.Q(value__gt=0), name="ballot_line_positive"),
        ]
        # Results read every line of a poll, grouped by option: an index-only scan.
        indexes = [models.Index(fields=["poll", "option", "value"], name="ballot_line_results")]

    def __str__(self) -> str:
        return f"{self.option_id}: {self.value}"


class Body(models.TextChoices):
    COUNCIL = "council", _("Rat")
    COMMITTEE = "committee", _("Ausschuss")
    ADMINISTRATION = "administration", _("Bürgermeister*in / Verwaltung")
    NEIGHBOURHOOD_ASSEMBLY = "neighbourhood_assembly", _("Quartiersversammlung")


class Outcome(models.TextChoices):
    ADOPTED = "adopted", _("beschlossen")
    REJECTED = "rejected", _("abgelehnt")
    MODIFIED = "modified", _("geändert beschlossen")
    DEFERRED = "deferred", _("vertagt")


class Decision(TenantModel):
    """A decision of the body entitled to take it, with its reasons, in public."""

    project = models.ForeignKey(
        Project,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("Vorhaben"),
    )
    title = models.CharField(_("Gegenstand"), max_length=200)
    body = models.CharField(_("Gremium"), max_length=30, choices=Body.choices)
    body_name = models.CharField(
        _("Name des Gremiums"),
        max_length=200,
        blank=True,
        help_text=_("Zum Beispiel „Ausschuss für Verkehr und Umwelt“."),
    )
    decided_on = models.DateField(_("Datum der Entscheidung"))
    outcome = models.CharField(_("Ergebnis"), max_length=20, choices=Outcome.choices)
    reasons = models.TextField(_("Begründung"), help_text=_("Markdown ist erlaubt."))
    plain_summary = plain_language_field()
    ideas = models.ManyToManyField(
        Idea, blank=True, related_name="decisions", verbose_name=_("Ideen")
    )
    polls = models.ManyToManyField(
        Poll, blank=True, related_name="decisions", verbose_name=_("Abstimmungen")
    )
    minutes = UploadField(
        _("Protokoll"),
        upload_to=UnguessableName("decisions"),
        blank=True,
        allowed="pdf",
        db_index=True,  # core.media finds the decision by the file's name
        view_rule="decisions.can_view_decision",
        view_related=("municipality", "project__municipality"),
    )
    minutes_url = models.URLField(_("Link zum Protokoll"), blank=True)
    version = models.PositiveIntegerField(default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("Beschluss")
        verbose_name_plural = _("Beschlüsse")
        indexes = [models.Index(fields=["municipality", "-decided_on"], name="decision_log")]

    def __str__(self) -> str:
        return self.title


class DecisionVersion(TenantModel):
    """The decision as it read before an edit: the public version history."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    snapshot = models.JSONField()
    change_note = models.CharField(_("Was geändert wurde"), max_length=300)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name = _("Fassung")
        verbose_name_plural = _("Fassungen")
        constraints = [
            models.UniqueConstraint(fields=["decision", "version"], name="decision_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.decision} v{self.version}"
