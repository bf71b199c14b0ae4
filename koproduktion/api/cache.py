"""Anonymous reads of the API from the visitors' page cache, keyed by the same content versions.

django-ninja turns an operation's return value into JSON after the operation has run (and after
its pagination), so the decorator cannot see the JSON it would store. It marks the request
instead, and the API's renderer stores what it rendered for a marked request:

    @router.get("/municipalities/{slug}/projects", response=list[ProjectOut])
    @cached_for_visitors(lambda slug, **_: municipality_content_version(municipality_slug=slug))
    @paginate(PageNumbers, page_size=50)
    def list_projects(request, slug, ...): ...

A hit returns the stored JSON as it is (ninja passes an HttpResponse through). What
``core.page_cache`` says about versions, languages and logged-in people holds here too.

The key is built from the operation's arguments as django-ninja parsed them, not from the address:
a query parameter the operation does not declare never reaches it (``?utm_source=x`` is answered
from the cache as without it), and ``page=01`` or ``/ideas/0001`` are the arguments of
``page=1`` and ``/ideas/1``. Not kept, so that made-up addresses cannot fill the cache: a page
past the last (an empty list) and answers with a page size of the client's choosing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from pydantic import BaseModel

from koproduktion.api.renderer import PlainTextJSONRenderer
from koproduktion.core.page_cache import (
    cacheable,
    cached_response,
    keep,
    kept,
    visitor_cache_key,
)

_KEY = "_visitor_cache_key"


def _arguments(kwargs: dict[str, Any]) -> str:
    """The operation's parsed arguments, in one spelling: what its answer depends on."""
    parsed = {
        name: value.model_dump(mode="json") if isinstance(value, BaseModel) else value
        for name, value in kwargs.items()
    }
    return json.dumps(parsed, sort_keys=True, default=str)


def cached_for_visitors(version: Callable[..., Any], *, everyone: bool = False) -> Callable:
    """Decorate an operation; ``version(**operation_kwargs)`` returns the version or None.

    ``everyone``: the answer is the same for every person who may read it, logged in or not
    (nothing in it depends on who asks, and ``version`` is None where not everyone may read
    it: drafts, towns not public), so logged-in people get the cached copy too.
    """

    def decorator(operation: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(operation)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not cacheable(request, everyone=everyone):
                return operation(request, *args, **kwargs)
            current = version(**kwargs)
            pages = kwargs.get("ninja_pagination")
            if current is None or getattr(pages, "page_size", None) is not None:
                return operation(request, *args, **kwargs)
            key = visitor_cache_key(operation, current, request, address=_arguments(kwargs))
            hit = kept(key)
            if hit is not None:
                return cached_response(hit)
            setattr(request, _KEY, (key, getattr(pages, "page", 1)))
            return operation(request, *args, **kwargs)

        return wrapper

    return decorator


class VisitorCachingRenderer(PlainTextJSONRenderer):
    """JSON (without bidi controls), and for a request marked by ``cached_for_visitors`` a copy
    in the cache."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        content = super().render(request, data, response_status=response_status)
        key, page = getattr(request, _KEY, (None, 1))
        past_the_last = page > 1 and isinstance(data, dict) and data.get("items") == []
        if key is not None and response_status == 200 and not past_the_last:
            keep(key, (content, f"{self.media_type}; charset={self.charset}"))
        return content
