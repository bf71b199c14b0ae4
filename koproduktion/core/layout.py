"""The personal parts of the layout, and pages kept whole for everyone logged in.

A logged-in person's page differs from the next person's in a few places only: the header's
links (their unread count, their inboxes and workspaces), the form token of the logout form,
and whatever the view itself shows for them (may they post here? what would they need?). The
rest — the title, the breadcrumbs, a list of ideas — is the same for everyone logged in.

``member_page`` renders a page once per version, language and address with those places as
holes, keeps it, and fills the holes for every response: the layout's (``LAYOUT``: the header's
links, ``person_nav``; the form token, ``form_token``) and the view's own (``PERSONAL``), each
rendered for the person asking. A page that uses a form token anywhere else is personal and is
rendered for each request, as before; so are requests with messages to show, writes and
addresses the page does not link to (``page_cache.kept_address``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from koproduktion.accounts.selectors import administered_towns
from koproduktion.council.selectors import agenda_counts
from koproduktion.moderation.selectors import queue_counts
from koproduktion.notifications.selectors import unread_count
from koproduktion.routing.selectors import inbox_counts
from koproduktion.workspace.selectors import workspace_towns

from .page_cache import fill_holes, keep, kept, kept_address, kept_part, visitor_cache_key
from .selectors import Workspace

LAYOUT = "layout"
PERSONAL = "personal"
# Set on the request while its page is rendered to be kept for everyone logged in.
_FOR_MEMBERS = "_kept_for_members"
# Set on the request to the address its page is kept under, if it is (``person_part``).
_KEPT_ADDRESS = "_kept_address"
# The form token's field of the response being made (``form_token``).
_FORM_TOKEN = "_form_token_field"  # noqa: S105 - an attribute name
# Kept instead of a page that turned out personal (it used a form token): render it each time.
_PERSONAL_PAGE = ("", "personal")


def _towns(towns: list[Any]) -> list[Workspace]:
    return [Workspace(slug=town.slug, name=town.name, count=0) for town in towns]


def person_nav(user: Any) -> SafeString:
    """The header's links of ``user`` (``_person_nav.html``).

    On every page they take many addresses and texts, but what they show is a handful of
    values: the unread count, the person's inboxes, queues and agendas with their counts, the
    towns they manage or administer. They are rendered once per such values and language and
    kept (``page_cache.kept_part``), for everyone who has the same.
    """
    values = {
        "unread": unread_count(user=user),
        "inboxes": inbox_counts(user=user),
        "project_towns": _towns(workspace_towns(user=user)),
        "queues": queue_counts(user=user),
        "agendas": agenda_counts(user=user),
        "administered_towns": _towns(administered_towns(user=user)),
        "platform_admin": user.is_superuser,
    }
    return kept_part(
        "_person_nav.html", repr(values), lambda: render_to_string("_person_nav.html", values)
    )


def form_token(request: HttpRequest) -> SafeString:
    """The hidden field with the person's form token (what ``{% csrf_token %}`` writes); one
    masked token for all the forms of a response, as a template's forms share one (a new one
    after a log-in, which changes the secret)."""
    secret, field = getattr(request, _FORM_TOKEN, (None, None))
    if field is None or secret != request.META.get("CSRF_COOKIE"):
        field = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request)
        )
        setattr(request, _FORM_TOKEN, (request.META.get("CSRF_COOKIE"), field))
    return field


# What ``{% csrf_token %}`` writes in a part kept for many people (``person_part``), where the
# form token of the person asking goes. No real token looks like it.
_TOKEN_MARK = "{form-token}"  # noqa: S105 - a placeholder, not a secret
_BLANK_TOKEN = format_html(
    '<input type="hidden" name="csrfmiddlewaretoken" value="{}">', _TOKEN_MARK
)


def person_part(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    version: str,
    values: Mapping[str, bool | int | str | None],
) -> SafeString:
    """``template`` for the person asking, such as the buttons of what they may do on a page.

    ``values`` are what is theirs (may they …? do they …?), in plain values; ``context`` what
    ``version`` names, the same for everyone. Many people share the same values, so the part is
    rendered once per version, values, language and address and kept (as ``person_nav``); its
    forms get the person's own form token for each response. Only on a page ``member_page``
    keeps: on any other (an address it does not keep, a visitor's) the part is rendered, so that
    no address made up by a caller fills the cache. The template gets ``request`` for its
    address only.
    """
    plain = {
        name: value if value is None or isinstance(value, (bool, int)) else str(value)
        for name, value in values.items()
    }

    def render() -> str:
        return render_to_string(
            template, {**context, **plain, "request": request, "csrf_token": _TOKEN_MARK}
        )

    address = getattr(request, _KEPT_ADDRESS, None)
    part = (
        render()
        if address is None
        else kept_part(template, f"{version}|{sorted(plain.items())!r}", render, address=address)
    )
    if _BLANK_TOKEN in part:
        part = part.replace(_BLANK_TOKEN, form_token(request))
    return mark_safe(part)  # noqa: S308 - rendered by our templates


_LAYOUT_PARTS: dict[str, Callable[[HttpRequest], str]] = {
    "nav": lambda request: person_nav(request.user),
    "csrf": form_token,
}


def _hole(kind: str, name: str) -> SafeString:
    return mark_safe(f"<!--{kind}:{name}--><!--/{kind}-->")  # noqa: S308 - a fixed marker


def layout_part(request: HttpRequest | None, name: str) -> SafeString:
    """A personal part of the layout (``nav``, ``csrf``) for the person asking; a hole in a
    page rendered to be kept for everyone logged in."""
    if request is None:
        return mark_safe("")
    if getattr(request, _FOR_MEMBERS, False):
        return _hole(LAYOUT, name)
    return mark_safe(_LAYOUT_PARTS[name](request))  # noqa: S308 - rendered by our templates


def member_page(
    request: HttpRequest,
    template: str,
    context: Mapping[str, Any],
    *,
    version: Any,
    query: tuple[str, ...],
    personal: Mapping[str, Callable[[], str]],
) -> HttpResponse:
    """``template`` with ``context``, kept per ``version`` for everyone logged in (see the
    module), its ``personal`` parts (``{{ name }}`` in the template) rendered per response.

    ``version`` names everything the page shows but the holes; ``query`` the parameters the
    view reads (as for ``page_cache.shared_part``). Visitors, writes, pending messages and
    addresses the page does not link to get the page rendered, with everything filled in.
    """
    address = (
        kept_address(request, query)
        if request.user.is_authenticated and not len(get_messages(request))
        else None
    )

    def rendered() -> HttpResponse:
        return render(request, template, {**context, **{k: v() for k, v in personal.items()}})

    # Something before the page used the person's token already: whether the page does cannot
    # be told, so it is rendered for the person.
    if address is None or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return rendered()
    setattr(request, _KEPT_ADDRESS, address)
    key = visitor_cache_key(template, f"members:{version}", request, address=address)
    hit = kept(key)
    if hit == _PERSONAL_PAGE:
        return rendered()
    if hit is None:
        setattr(request, _FOR_MEMBERS, True)
        try:
            page = render(
                request, template, {**context, **{k: _hole(PERSONAL, k) for k in personal}}
            )
        finally:
            delattr(request, _FOR_MEMBERS)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
            # A form of the page holds this person's token: it cannot serve anyone else.
            keep(key, _PERSONAL_PAGE)
            return rendered()
        if page.status_code != 200 or page.streaming:
            return rendered()
        keep(key, (page.content, page["Content-Type"]))
        hit = (page.content, page["Content-Type"])
    response = HttpResponse(hit[0], content_type=hit[1])
    fill_holes(response, PERSONAL, lambda names: {n: personal[n]() for n in names if n in personal})
    return fill_holes(
        response,
        LAYOUT,
        lambda names: {n: _LAYOUT_PARTS[n](request) for n in names if n in _LAYOUT_PARTS},
    )
