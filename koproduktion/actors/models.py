"""Requests to the town about its local actors: a new organisation's profile, or representing one.

The organisation itself (``core.Organisation``) and who represents it (``core.Membership`` with
the role "organisation") live in core, since every app names them; the requests that lead there
are this app's.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from koproduktion.core.models import Organisation, TenantModel
from koproduktion.core.validators import no_html


class RequestKind(models.TextChoices):
    # A resident proposes a new organisation; confirmed, they become its first representative.
    NEW = "new", _("neue Organisation")
    # A resident asks to represent an organisation that has a profile already.
    JOIN = "join", _("Vertretung")


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("offen")
    ACCEPTED = "accepted", _("bestätigt")
    DECLINED = "declined", _("abgelehnt")
    WITHDRAWN = "withdrawn", _("zurückgezogen")


class RepresentationRequest(TenantModel):
    """A person's request to the town: confirm a new organisation, or let them represent one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Person"),
    )
    kind = models.CharField(_("Art"), max_length=10, choices=RequestKind.choices)
    # Emptied when a declined proposal's unconfirmed organisation is removed; ``name`` keeps
    # what it was called.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("Organisation"),
    )
    name = models.CharField(_("Name der Organisation"), max_length=200)
    message = models.TextField(
        _("Ihre Rolle in der Organisation"),
        max_length=1000,
        validators=[no_html],
        help_text=_(
            "Zum Beispiel: Vorsitzende des Vereins seit 2019. Das hilft der Kommune beim Prüfen; "
            "öffentlich ist es nicht."
        ),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    reason = models.TextField(_("Begründung"), blank=True, max_length=1000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    created_at = models.DateTimeField(_("gestellt am"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("Anfrage einer Organisation")
        verbose_name_plural = _("Anfragen von Organisationen")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=Q(status="pending"),
                name="representation_request_once",
            )
        ]
        indexes = [models.Index(fields=["municipality", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.user} → {self.name}"

    @property
    def is_pending(self) -> bool:
        return self.status == RequestStatus.PENDING
