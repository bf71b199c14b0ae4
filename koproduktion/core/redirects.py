"""The way back after an action: the page the request names in ``next``, if it is one of ours.

In a view:

    return redirect(next_url(request, default="commitments:mine"))
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def next_url(request: HttpRequest, *, default: str) -> str:
    """``next`` from the form (or the query) when it is a path on this site, else ``default``.

    Only a path that starts with a slash qualifies: ``redirect()`` reads a plain word as the name
    of a URL pattern (a server error when there is none), and another host would send the person
    off the site.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
