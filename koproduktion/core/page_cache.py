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

- ``projects.selectors.project_content_version`` (the project's page, its implementation
  pages): the project's ``content_version``, raised by the services of ideas (new ones, their
  status, edits, withdrawals), moderation, decisions, polls, documents, the plan and the
  opinion map; its ``updated_at`` (every save of the project); and the municipality's
  ``content_version``.
- ``ideas.versions`` (the lists of ideas, an idea's page and its threads): the project's
  version, with the idea's own ``content_version`` for an idea's pages, which its supports and
  comments raise instead of the project's; the lists fill in the counts per response.
- ``opinions.selectors.opinion_map_content_version`` (the opinion map's results): the project's
  version, the time of the latest computation and whether votes wait for the next one.
- ``core.selectors.platform_content_version`` (the platform's home page): the number, ids and
  content versions of the public municipalities.
- ``core.selectors.municipality_content_version`` (the town's page, its filtered project lists
  and its neighbourhoods): the municipality's ``content_version``, raised by the project services
  for what the lists show (projects, their fields and timelines) and by every admin save or
  delete of a record of the town (``core.services.tenant_record_save``).

Writes that bypass the services and the admin (the shell, data imports, ``seed_demo`` on a live
database) and a deploy with changed templates show after ``TIMEOUT`` at the latest (a minute more
where a process keeps its own copy of a page in front of a shared cache, ``kept``).

Logged-in people get pages of their own, but most of such a page is what everyone sees: the
list of ideas, a page of a discussion. ``shared_part`` keeps such a part, rendered once per
version (and, in the version, whatever decides its shape), language and address, for everyone;
``kept_part`` the same for parts that do not depend on the address (a rendered text, an empty
form). What is personal inside a kept page or part — a person's own support, the report link
they do not get on their own comment, the counts that change with every support — is a hole
``<!--name:KEY-->default<!--/name-->`` filled for every response by the view's ``fill``
(``fill_holes``: one query for all holes of a page).

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

import functools
import hashlib
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.paginator import Page
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .htmx import wants_fragment
from .kept import forget_kept

# An upper bound for changes no version sees (writes past the services and the admin).
TIMEOUT = 300
# What each process keeps of the shared cache's pages and parts in its own memory (bytes), and
# for how long at most (seconds): a copy taken from the shared cache may be old already.
RECENT_BUDGET = 24 * 1024 * 1024
RECENT_TIMEOUT = 60


class _Recent:
    """The pages, parts and counts this process used last, in front of a shared cache (Redis).

    Their keys hold the content version, so a copy here is never staler than the shared one;
    it saves the round trip and the unpickling of the pages asked for most. Bounded by
    ``budget`` bytes (the oldest go first) and by ``RECENT_TIMEOUT`` seconds.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, int, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> Any:
        with self.lock:
            entry = self.entries.get(key)
            if entry is None:
                return None
            if entry[0] < time.monotonic():
                self._drop(key)
                return None
            self.entries.move_to_end(key)
            return entry[2]

    def put(self, key: str, value: Any) -> None:
        size = _size(value)
        if size > self.budget // 8:
            return
        with self.lock:
            if key in self.entries:
                self._drop(key)
            self.entries[key] = (time.monotonic() + RECENT_TIMEOUT, size, value)
            self.size += size
            while self.size > self.budget:
                self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        self.size -= self.entries.pop(key)[1]


def _size(value: Any) -> int:
    if isinstance(value, tuple):
        return sum(map(_size, value))
    return len(value) if isinstance(value, str | bytes) else 64


_recent = _Recent(RECENT_BUDGET)


def _in_process() -> bool:
    """Whether the cache lives in this process already (no shared cache to save trips to)."""
    return isinstance(caches["default"], LocMemCache)


def kept(key: str) -> Any:
    """What the cache holds under ``key`` (a page, a part, a count), from this process's
    memory where it was used lately."""
    if _in_process():
        return cache.get(key)
    value = _recent.get(key)
    if value is None:
        value = cache.get(key)
        if value is not None:
            _recent.put(key, value)
    return value


def forget_all() -> None:
    """Empty the cache, and what this process keeps of it and beside it (benchmarks, tests)."""
    cache.clear()
    forget_kept()
    with _recent.lock:
        _recent.entries.clear()
        _recent.size = 0


def keep(key: str, value: Any, timeout: int = TIMEOUT) -> None:
    """Put ``value`` in the cache under ``key`` (a key holding a version, see ``kept``)."""
    cache.set(key, value, timeout)
    if not _in_process():
        _recent.put(key, value)


# Where a view notes the query values it honoured (confirm_query).
_CONFIRMED = "_visitor_cache_query"


def visitor_cache_key(
    view: Callable | str, version: Any, request: HttpRequest, *, address: str | None = None
) -> str:
    """The cache key of one view's answer (or of a named part of pages) to one request at one
    content version.

    ``address`` stands for what the answer depends on; the request's path and query by default.
    """
    raw = "|".join(
        [
            *((view,) if isinstance(view, str) else (view.__module__, view.__name__)),
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


def cacheable(request: HttpRequest, *, everyone: bool = False) -> bool:
    """Whether the answer may come from (and go to) the cache: a GET of a visitor, or of anyone
    where the answer is the same for ``everyone`` who may read it."""
    return (
        request.method == "GET"
        and (everyone or not request.user.is_authenticated)
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


def shared_part(
    request: HttpRequest,
    name: str,
    version: Any,
    render: Callable[[], str],
    *,
    query: tuple[str, ...] = (),
) -> str:
    """A part of a page that is the same for everyone who gets it, logged in or not.

    Logged-in pages cannot come from the visitors' cache: their header, forms and marks are
    personal. What they share with everyone else — a list of ideas, a discussion — is rendered
    by ``render()`` once per ``name``, ``version`` (which names its content, and what decides
    its shape: for whom it is rendered), language and address, and kept; personal bits inside
    it are holes filled per response (``fill_holes``). As for whole pages, only the addresses
    the pages link to are kept: a query of just the parameters ``query``, each once and
    confirmed by the view, on the path ``reverse()`` gives; any other is rendered, not kept.
    """
    address = kept_address(request, query)
    if address is None:
        return render()
    return kept_part(name, version, render, address=address)


def kept_address(request: HttpRequest, query: tuple[str, ...]) -> str | None:
    """The address under which what a GET shows may be kept: its path and its query of just
    the parameters ``query``, each once and confirmed by the view, on the path ``reverse()``
    gives; None for any other request, whose answer is rendered, not kept."""
    known = _known_query(request, query)
    if (
        request.method != "GET"
        or known is None
        or set(request.GET) - set(query)
        or not _confirmed(request, known)
        or not _canonical_path(request)
    ):
        return None
    return f"{request.path}?{known.urlencode()}"


def kept_part(name: str, version: Any, render: Callable[[], str], *, address: str = "") -> str:
    """``render()`` kept per ``name``, ``version``, language and ``address``: a part of pages
    that depends on nothing else (``shared_part`` for parts that depend on the address)."""
    raw = "|".join([name, str(version), get_language(), address])
    key = "part:" + hashlib.sha256(raw.encode()).hexdigest()
    part = kept(key)
    if part is None:
        part = str(render())
        keep(key, part)
    return mark_safe(part)  # noqa: S308 - rendered by our own templates, as the page is


def cached_count(name: str, version: Any, count: Callable[[], int]) -> int:
    """``count()`` kept per ``name`` and ``version`` (a paginator's count at a content version)."""
    key = "count:" + hashlib.sha256(f"{name}|{version}".encode()).hexdigest()
    known = kept(key)
    if known is None:
        known = count()
        keep(key, known)
    return known


@functools.cache
def _holes(name: str) -> re.Pattern[bytes]:
    return re.compile(rf"<!--{name}:([\w.-]+)-->(.*?)<!--/{name}-->".encode(), re.DOTALL)


def fill_holes(
    response: HttpResponse, name: str, fill: Callable[[list[str]], Mapping[str, str | None]]
) -> HttpResponse:
    """Fill the holes ``<!--name:KEY-->default<!--/name-->`` of a page, cached or not.

    ``fill(keys)`` answers for all of them at once (one query for a page): what takes the
    place of each hole; the hole's default where it answers None or nothing. The markers go.
    """
    if response.streaming or f"<!--{name}:".encode() not in response.content:
        return response
    # In the page's bytes (its keys are ASCII): a page is not decoded and encoded again for it.
    content, charset = response.content, response.charset
    pattern = _holes(name)
    keys = dict.fromkeys(key.decode() for key, _default in pattern.findall(content))
    answers = {
        key.encode(): answer.encode(charset)
        for key, answer in fill(list(keys)).items()
        if answer is not None
    }
    response.content = pattern.sub(lambda hole: answers.get(hole[1], hole[2]), content)
    return response


def cached_for_visitors(
    version: Callable[..., Any],
    *,
    query: tuple[str, ...] = (),
    fill: Callable[[HttpRequest, HttpResponse], HttpResponse] | None = None,
) -> Callable:
    """Decorate a view; ``version(**view_kwargs, query=…)`` returns the content version or None
    (404); ``query`` is the request's query reduced to the parameters the view reads.

    ``query`` names the query parameters the view reads; it confirms their values (see above).
    ``fill(request, response)`` completes every answer of the view, the cached ones too (the
    page's holes, see ``fill_holes``): what is kept is the page before it. With a ``fill``,
    ``version`` may return two versions: the page's, and the version of what the holes show
    for visitors (the ideas' counts); the page filled for visitors is then kept under the
    second, so a visitor's hit costs the version alone, and a change of what the holes show
    costs one filling of the kept page, not a rendering.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        def finish(request: HttpRequest, response: HttpResponse) -> HttpResponse:
            return response if fill is None else fill(request, response)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not cacheable(request):
                return finish(request, view(request, *args, **kwargs))
            known = _known_query(request, query)
            if known is None or not _canonical_path(request):
                return finish(request, view(request, *args, **kwargs))
            current = version(**kwargs, query=known)
            if current is None:
                return finish(request, view(request, *args, **kwargs))
            current, filled = current if isinstance(current, tuple) else (current, None)
            _only(request, known)
            if filled is not None:
                filled_key = visitor_cache_key(view, f"filled:{filled}", request)
                hit = kept(filled_key)
                if hit is not None:
                    return cached_response(hit)
            key = visitor_cache_key(view, current, request)
            hit = kept(key)
            if hit is not None:
                response = finish(request, cached_response(hit))
            else:
                response = view(request, *args, **kwargs)
                # A page that used a form token is personal (the token belongs to one visitor).
                personal = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies
                if (
                    response.status_code != 200
                    or response.streaming
                    or personal
                    or not _confirmed(request, known)
                ):
                    return finish(request, response)
                keep(key, (response.content, response["Content-Type"]))
                response = finish(request, response)
            if filled is not None:
                keep(filled_key, (response.content, response["Content-Type"]))
            return response

        return wrapper

    return decorator
