from __future__ import annotations

import datetime

from django import template
from django.forms import BoundField
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from koproduktion.core import formats
from koproduktion.core.layout import layout_part
from koproduktion.core.markdown import render_markdown
from koproduktion.core.page_cache import kept_part
from koproduktion.core.static_map import StaticMap
from koproduktion.core.static_map import static_map as draw_static_map

register = template.Library()


@register.filter
def markdown(text: str) -> SafeString:
    """Render user Markdown safely: ``{{ project.description|markdown }}``."""
    return render_markdown(text)


@register.filter
def euros(cents: int | None) -> str:
    """Whole euros with the locale's thousands separator: 1234500 → "12.345 €"."""
    return "" if cents is None else formats.euros(cents)


@register.filter
def percent(value: float | int | str | None) -> str:
    """A share in per cent as the reader writes it ("58 %", "58%")."""
    return "" if value is None or value == "" else formats.percent(value)


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with ``changes`` applied, for pagination links that keep filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def account_link(context: template.Context, name: str, back_to: str | None = None) -> str:
    """The address of the log-in or registration (``name``) that leads back to ``back_to``.

    ``back_to`` is the current page when not given; the account pages themselves lead nowhere
    (after the log-in, the log-in page is no place to return to). The views check ``next`` again
    (``core.redirects.next_url``, Django's log-in), so only paths on this site are followed.
    """
    url = reverse(name)
    if back_to is None:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        if request is None or (match is not None and match.namespace == "accounts"):
            return url
        back_to = request.get_full_path()
    if not back_to or not back_to.startswith("/"):
        return url
    return f"{url}?{urlencode({'next': back_to})}"


@register.filter
def when(moment: datetime.date | datetime.datetime | None) -> str:
    """A day ("12. Januar 2027") or a moment with its time, in the reader's language and zone."""
    if moment is None:
        return ""
    if isinstance(moment, datetime.datetime):
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    return date_format(moment, "DATE_FORMAT")


TEXT_WIDGETS = {"textarea", "text"}


@register.filter
def length_limit(field: BoundField) -> int | None:
    """The most characters a text field takes (its ``maxlength``), to say so beside it."""
    if field.widget_type not in TEXT_WIDGETS:
        return None
    limit = field.field.widget.attrs.get("maxlength")
    return int(limit) if limit else None


@register.filter
def described_widget(field: BoundField) -> SafeString:
    """The field's input, described by its error, help text and length limit (their ids as
    ``templates/_form.html`` writes them), so a screen reader reads them with the field."""
    ids = []
    if field.errors:
        ids.append(f"{field.auto_id}_errors")
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if length_limit(field):
        ids.append(f"{field.auto_id}_limit")
    return field.as_widget(attrs={"aria-describedby": " ".join(ids)} if ids else None)


@register.filter
def grouped(number: int) -> str:
    """A number with the reader's thousands separator: 5000 → "5.000" (German), "5,000"."""
    return number_format(number, force_grouping=True)


@register.simple_tag
def static_map(features: dict | None, area: tuple | None) -> StaticMap | None:
    """``{% static_map features area as drawn %}``: the server's drawing of a map's places.

    A page that names no area (an event's place) is drawn around its points.
    """
    return draw_static_map(features, area or None)


@register.simple_tag(takes_context=True)
def person_nav(context: template.Context) -> SafeString:
    """The header's links of the person logged in (``core.layout.person_nav``)."""
    return layout_part(context.get("request"), "nav")


@register.simple_tag(takes_context=True)
def form_token(context: template.Context) -> SafeString:
    """``{% csrf_token %}`` for the layout's forms (``core.layout.form_token``)."""
    return layout_part(context.get("request"), "csrf")


class KeptBlockNode(template.Node):
    def __init__(self, name: str, values: list[template.base.FilterExpression], nodelist) -> None:
        self.name = name
        self.values = values
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        values = [value.resolve(context) for value in self.values]
        return kept_part(f"block:{self.name}", repr(values), lambda: self.nodelist.render(context))


@register.tag
def kept_block(parser: template.base.Parser, token: template.base.Token) -> KeptBlockNode:
    """``{% kept_block "name" value … %}…{% endkept_block %}``: the part of the layout between,
    rendered once per ``name``, values and language and kept (``page_cache.kept_part``).

    For the parts every page has, which cost many addresses and texts and show little: the
    footer, the header's search. What is between may show nothing but the values named (and
    what never changes while the process runs): anything else would be kept with the first
    page that rendered it.
    """
    name, *values = token.split_contents()[1:]
    nodelist = parser.parse(("endkept_block",))
    parser.delete_first_token()
    return KeptBlockNode(
        name.strip("\"'"), [parser.compile_filter(value) for value in values], nodelist
    )
