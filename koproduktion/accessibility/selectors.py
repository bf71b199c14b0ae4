"""Reads: the town's statement (or the platform's template for it) and the latest reports."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from koproduktion.core.models import Municipality

from .models import AccessibilityStatement, BarrierReport, Conformity, Method


def default_enforcement() -> str:
    """The body of § 16 BGG: where people turn when the town's answer does not satisfy them.
    Towns in Länder with a body of their own replace it (docs/accessibility.md)."""
    return "\n".join(
        [
            _("Schlichtungsstelle nach dem Behindertengleichstellungsgesetz"),
            _(
                "bei dem Beauftragten der Bundesregierung für die Belange von Menschen mit "
                "Behinderungen"
            ),
            "Mauerstraße 53",
            "10117 Berlin",
            _("Telefon: %(phone)s") % {"phone": "030 18 527-2805"},
            _("E-Mail: %(email)s") % {"email": "info@schlichtungsstelle-bgg.de"},
            _("Internet: %(site)s") % {"site": "www.schlichtungsstelle-bgg.de"},
        ]
    )


def default_barriers() -> str:
    """What the platform knows of its own limits, until the town writes its statement."""
    return "\n\n".join(
        [
            _(
                "Dokumente (PDF- und Office-Dateien), die die Verwaltung hochlädt, sind nicht "
                "alle barrierefrei. Wer ein Dokument nicht lesen kann, erhält seinen Inhalt auf "
                "Anfrage in zugänglicher Form."
            ),
            _(
                "Die Karten zeigen Orte als Bild. Dieselben Ideen und Orte stehen auch als Liste "
                "auf der Seite; einen Ort geben Sie ohne Maus in die Felder für Breiten- und "
                "Längengrad ein."
            ),
            _(
                "Beiträge von Bürgerinnen und Bürgern sind nicht immer in einfacher Sprache "
                "geschrieben; die Plattform ändert sie nicht."
            ),
        ]
    )


def statement_for(*, municipality: Municipality) -> tuple[AccessibilityStatement, bool]:
    """The town's statement and True, or the platform's template (unsaved) and False."""
    statement = AccessibilityStatement.objects.filter(municipality=municipality).first()
    if statement is not None:
        return statement, True
    return (
        AccessibilityStatement(
            municipality=municipality,
            conformity=Conformity.PARTIAL,
            barriers=default_barriers(),
            method=Method.SELF,
            contact_email=settings.OPERATOR_EMAIL,
            enforcement=default_enforcement(),
        ),
        False,
    )


def feedback_address(*, municipality: Municipality) -> str:
    """Where reports of barriers go: the statement's address, else the operator's."""
    address = (
        AccessibilityStatement.objects.filter(municipality=municipality)
        .values_list("contact_email", flat=True)
        .first()
    )
    return address or settings.OPERATOR_EMAIL


def latest_reports(*, municipality: Municipality, count: int = 20) -> QuerySet[BarrierReport]:
    return BarrierReport.objects.filter(municipality=municipality).order_by("-created_at", "-pk")[
        :count
    ]
