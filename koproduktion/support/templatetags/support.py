"""Support offers on other pages: the deadline in words, and the section "Unterstützung für
dieses Vorhaben" on a project's and an initiative's page."""

from __future__ import annotations

from typing import Any

import rules
from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from koproduktion.core import formats

from ..models import SupportOffer
from ..selectors import links_of_initiative, links_of_project

register = template.Library()


def deadline_words(offer: SupportOffer) -> str:
    """ "Frist: 15. März 2027, noch 12 Tage", "Frist abgelaufen" or "laufend"."""
    days = offer.days_left()
    if days is None:
        return _("laufend")
    day = date_format(offer.deadline, "DATE_FORMAT")
    if days < 0:
        return _("Frist abgelaufen (%(date)s)") % {"date": day}
    if days == 0:
        return _("Frist: %(date)s, heute ist der letzte Tag") % {"date": day}
    return _("Frist: %(date)s, %(left)s") % {
        "date": day,
        "left": ngettext("noch %(count)d Tag", "noch %(count)d Tage", days) % {"count": days},
    }


@register.simple_tag
def deadline(offer: SupportOffer) -> SafeString:
    """The deadline as a badge that says it in words (not by colour alone)."""
    days = offer.days_left()
    if days is None or days < 0:
        css = "badge"
    elif days <= 14:  # soon: stands out
        css = "badge status-delayed"
    else:
        css = "badge badge-ok"
    return format_html('<span class="{}">{}</span>', css, deadline_words(offer))


@register.filter
def amount(offer: SupportOffer) -> str:
    """ "bis zu 5.000 €", "ab 500 €", "500 € bis 5.000 €"; empty without an amount."""
    low, high = offer.amount_min_cents, offer.amount_max_cents
    if low is not None and high is not None:
        if low == high:
            return formats.euros(high)
        return _("%(low)s bis %(high)s") % {"low": formats.euros(low), "high": formats.euros(high)}
    if high is not None:
        return _("bis zu %(amount)s") % {"amount": formats.euros(high)}
    if low is not None:
        return _("ab %(amount)s") % {"amount": formats.euros(low)}
    return ""


@register.inclusion_tag("support/_section.html", takes_context=True)
def project_support(context: template.Context, project: Any) -> dict[str, Any]:
    """The offers linked to the project (one query) and, for its managers, the way to link."""
    user = context.get("user")
    return {
        "municipality": context.get("municipality") or project.municipality,
        "links": links_of_project(project=project),
        "can_link": rules.test_rule("support.can_link_project", user, project),
        "link_url_name": "support:link_project",
        "target_slug": project.slug,
    }


@register.inclusion_tag("support/_section.html", takes_context=True)
def initiative_support(context: template.Context, initiative: Any) -> dict[str, Any]:
    user = context.get("user")
    return {
        "municipality": context.get("municipality") or initiative.municipality,
        "links": links_of_initiative(initiative=initiative),
        "can_link": rules.test_rule("support.can_link_initiative", user, initiative),
        "link_url_name": "support:link_initiative",
        "target_slug": initiative.slug,
    }
