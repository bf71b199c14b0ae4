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
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from ninja.renderers import JSONRenderer

from koproduktion.core.page_cache import TIMEOUT, cacheable, cached_response, visitor_cache_key

_KEY = "_visitor_cache_key"


def cached_for_visitors(version: Callable[..., Any]) -> Callable:
    """Decorate an operation; ``version(**operation_kwargs)`` returns the version or None."""

    def decorator(operation: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(operation)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not cacheable(request):
                return operation(request, *args, **kwargs)
            current = version(**kwargs)
            if current is None:
                return operation(request, *args, **kwargs)
            key = visitor_cache_key(operation, current, request)
            hit = cache.get(key)
            if hit is not None:
                return cached_response(hit)
            setattr(request, _KEY, key)
            return operation(request, *args, **kwargs)

        return wrapper

    return decorator


class VisitorCachingRenderer(JSONRenderer):
    """JSON, and for a request marked by ``cached_for_visitors`` a copy in the cache."""

    def render(self, request: HttpRequest, data: Any, *, response_status: int) -> Any:
        content = super().render(request, data, response_status=response_status)
        key = getattr(request, _KEY, None)
        if key is not None and response_status == 200:
            cache.set(key, (content, f"{self.media_type}; charset={self.charset}"), TIMEOUT)
        return content
