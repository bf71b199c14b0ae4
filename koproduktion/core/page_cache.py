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
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .htmx import wants_fragment

# An upper bound for changes no version sees (writes past the services and the admin).
TIMEOUT = 300


def visitor_cache_key(view: Callable, version: Any, request: HttpRequest) -> str:
    """The cache key of one view's answer to one request at one content version."""
    raw = "|".join(
        [
            view.__module__,
            view.__name__,
            str(version),
            request.LANGUAGE_CODE,
            # As the view decides: a boosted htmx request gets the whole page.
            "fragment" if wants_fragment(request) else "page",
            request.get_full_path(),
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


def cached_for_visitors(version: Callable[..., Any]) -> Callable:
    """Decorate a view; ``version(**view_kwargs)`` returns the content version or None (404)."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not cacheable(request):
                return view(request, *args, **kwargs)
            current = version(**kwargs)
            if current is None:
                return view(request, *args, **kwargs)
            key = visitor_cache_key(view, current, request)
            hit = cache.get(key)
            if hit is not None:
                return cached_response(hit)
            response = view(request, *args, **kwargs)
            # A page that used a form token is personal (the token belongs to one visitor).
            personal = request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies
            if response.status_code == 200 and not response.streaming and not personal:
                cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
            return response

        return wrapper

    return decorator
