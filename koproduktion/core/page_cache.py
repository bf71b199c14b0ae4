"""Whole-page caching for anonymous visitors, keyed by what the page shows.

Most visitors of a municipal site read without logging in, and they all see the same page. A page
decorated with ``cached_for_visitors(version)`` is rendered once per (content version, language,
URL, htmx fragment or not) and then served from the cache to every anonymous visitor. ``version``
reads the current content version from the database (one indexed query), which every write that
changes the page raises; a cached copy is therefore never stale, whichever process wrote, even
without a shared cache. Logged-in people, requests with pending messages and anything but GET
bypass it. The language is part of the key (it comes from a cookie, so responses vary on Cookie,
see ``core.middleware``).

The versions in use:

- ``projects.selectors.project_content_version`` (the project's page, its idea and
  implementation pages): the project's ``content_version``, raised by the
  services of ideas, comments, supports, moderation, decisions, polls, documents, the plan and
  the opinion map;
  its ``updated_at`` (every save of the project); and the municipality's ``content_version``.
- ``opinions.selectors.opinion_map_content_version`` (the opinion map's results): the project's
  version, the time of the latest computation and whether votes wait for the next one.
- ``core.selectors.platform_content_version`` (the platform's home page): the number, ids and
  content versions of the public municipalities.
- ``core.selectors.municipality_content_version`` (the town's page, its filtered project lists
  and its neighbourhoods): the municipality's ``content_version``, raised by the project services
  for what the lists show (projects, their fields and timelines) and by every admin save or
  delete of a record of the town (``core.services.tenant_record_save``).

Writes that bypass the services and the admin (the shell, data imports, ``seed_demo`` on a live
database) and a deploy with changed templates show after ``TIMEOUT`` at the latest.

Only the addresses a page itself links to get a copy, so that a flood of made-up ones cannot fill
the cache or push out the pages people read (``projects/tests/test_page_cache_flood.py``):

- ``cached_for_visitors(version, query=("phase", "seite"))`` names the query parameters the view
  reads. Any other is dropped before the view runs: ``?utm_source=x`` gets the page without it,
  from the cache, and the page does not echo it (its links are built from ``request.GET``).
- A known parameter counts only in the spelling the view itself uses: the view confirms each
  value it honoured (``confirm_page``, ``confirm_filters``, ``confirm_query``). A page past the
  last (``?seite=999``, shown as the last page), a filter the town does not have or a number
  spelled ``01`` is shown, but not kept; so is a parameter given twice.
- The path must be the one ``reverse()`` gives for the view: ``/ideen/0001/`` is shown, not kept.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.paginator import Page
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import NoReverseMatch, reverse

from .htmx import wants_fragment

# An upper bound for changes no version sees (writes past the services and the admin).
TIMEOUT = 300
# Where a view notes the query values it honoured (confirm_query).
_CONFIRMED = "_visitor_cache_query"


def visitor_cache_key(
    view: Callable, version: Any, request: HttpRequest, *, address: str | None = None
) -> str:
    """The cache key of one view's answer to one request at one content version.

    ``address`` stands for what the answer depends on; the request's path and query by default.
    """
    raw = "|".join(
        [
            view.__module__,
            view.__name__,
            str(version),
            request.LANGUAGE_CODE,
            # As the view decides: a boosted htmx request gets the whole page.
            "fragment" if wants_fragment(request) else "page",
            request.get_full_path() if address is None else address,
        ]
    )
    return "page:" + hashlib.sha256(raw.encode()).hexdigest()


def cached_response(hit: tuple[bytes | str, str]) -> HttpResponse:
    content, content_type = hit
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response


def cacheable(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and not request.user.is_authenticated
        and not len(get_messages(request))
    )


def confirm_query(request: HttpRequest, **values: object) -> None:
    """Note the query values the view honoured, spelled as its own links spell them."""
    confirmed = request.__dict__.setdefault(_CONFIRMED, {})
    confirmed.update({name: "" if value is None else str(value) for name, value in values.items()})


def confirm_page(request: HttpRequest, page: Page, name: str = "seite") -> None:
    """The page shown (``Paginator.get_page`` shows the last for a number past it)."""
    confirm_query(request, **{name: page.number})


def confirm_filters(request: HttpRequest, form: Form) -> None:
    """The filters of a bound ``form`` that are valid, as given; invalid ones stay unconfirmed."""
    form.is_valid()
    confirm_query(
        request,
        **{name: form.data.get(name, "") for name in form.fields if name not in form.errors},
    )


def _known_query(request: HttpRequest, names: tuple[str, ...]) -> QueryDict | None:
    """The request's query reduced to ``names``; None when one of them is given twice."""
    pairs = []
    for name in names:
        values = request.GET.getlist(name)
        if len(values) > 1:
            return None
        pairs += [(name, value) for value in values]
    return QueryDict(urlencode(pairs))


def _canonical_path(request: HttpRequest) -> bool:
    match = request.resolver_match
    try:
        return request.path == reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return False


def _only(request: HttpRequest, known: QueryDict) -> None:
    """Let the view see only the known parameters (the server's own environ stays as it was)."""
    request.GET = known
    request.META = {**request.META, "QUERY_STRING": known.urlencode()}


def _confirmed(request: HttpRequest, known: QueryDict) -> bool:
    confirmed = getattr(request, _CONFIRMED, {})
    return all(confirmed.get(name) == value for name, value in known.items())


def cached_for_visitors(version: Callable[..., Any], *, query: tuple[str, ...] = ()) -> Callable:
    """Decorate a view; ``version(**view_kwargs)`` returns the content version or None (404).

    ``query`` names the query parameters the view reads; it confirms their values (see above).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            current = version(**kwargs)
            known = _known_query(request, query)
            if current is None or known is None or not _canonical_path(request):
                return view(request, *args, **kwargs)
            _only(request, known)
            key = visitor_cache_key(view, current, request)
            hit = cache.get(key)
            if hit is not None:
                return cached_response(hit)
            response = view(request, *args, **kwargs)
            # A page that used a form token is personal (the token belongs to one visitor).
            personal = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies
            if (
                response.status_code == 200
                and not response.streaming
                and not personal
                and _confirmed(request, known)
            ):
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
            return response

        return wrapper

    return decorator
