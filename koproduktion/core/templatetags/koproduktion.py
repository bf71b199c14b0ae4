from __future__ import annotations

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString

from koproduktion.core.markdown import render_markdown

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown safely: ``{{ project.description|markdown }}``."""
    return render_markdown(text)


@register.filter
def euros(cents: int | None) -> str:
    """Whole euros with the locale's thousands separator: 1234500 → "12.345 €"."""
    if cents is None:
        return ""
    return f"{number_format(round(cents / 100), force_grouping=True)} €"


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with ``changes`` applied, for pagination links that keep filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()
