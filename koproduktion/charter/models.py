"""The participation charter (Beteiligungsleitlinien): a municipality's measurable promises."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import TenantModel


class PromiseKind(models.TextChoices):
    """What a town can promise; the order is the charter's order."""

    ANSWER = "answer", _("Offizielle Antwort binnen einer Frist")
    LISTED = "listed", _("Vorhaben öffentlich vor dem Beschluss")
    REASONS = "reasons", _("Jeder Beschluss begründet")
    FEEDBACK = "feedback", _("Rückmeldung nach einem Beschluss")


# The unit of each promise's number; a kind missing here has none.
DAYS, WEEKS = "days", "weeks"
UNITS = {PromiseKind.ANSWER: DAYS, PromiseKind.LISTED: WEEKS, PromiseKind.FEEDBACK: DAYS}
LARGEST = {DAYS: 365, WEEKS: 52}
# The answer promise's number is the town's ``answer_within_days``, which the department inbox
# and the response times already read: one number, stored once.
NUMBER_ON_THE_PROMISE = frozenset({PromiseKind.LISTED, PromiseKind.FEEDBACK})


class CharterPromise(TenantModel):
    """One promise of a town's charter: its kind and, where it has one, its number."""

    kind = models.CharField(_("Versprechen"), max_length=20, choices=PromiseKind.choices)
    number = models.PositiveSmallIntegerField(
        _("Frist"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(LARGEST[DAYS])],
    )
    note = models.TextField(
        _("Erläuterung"),
        blank=True,
        max_length=1000,
        help_text=_("Erscheint öffentlich unter dem Versprechen."),
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Versprechen der Beteiligungsleitlinien")
        verbose_name_plural = _("Versprechen der Beteiligungsleitlinien")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kind"], name="charter_promise_once"),
            models.CheckConstraint(
                condition=models.Q(kind__in=sorted(NUMBER_ON_THE_PROMISE), number__isnull=False)
                | (
                    ~models.Q(kind__in=sorted(NUMBER_ON_THE_PROMISE))
                    & models.Q(number__isnull=True)
                ),
                name="charter_promise_number_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    @property
    def position(self) -> int:
        return list(PromiseKind).index(PromiseKind(self.kind))
