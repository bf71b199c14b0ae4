"""The town's search page: a GET form, the hits by kind with counts, marked snippets, pages.

Works without JavaScript; what the person may not see is never found (``selectors.search``).
Bad input (a query too long, a kind or project that does not exist) is answered with the reason
at its field (400), never with an error page; searches past the rate limit ("search") with the
time to wait (429).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from koproduktion.core.ratelimit import RateLimited, check_rate, client_ip
from koproduktion.core.selectors import municipality_get

from .forms import SearchForm
from .registry import by_slug, sources
from .selectors import search


@require_GET
def search_view(request: HttpRequest, municipality_slug: str) -> HttpResponse:
    municipality = municipality_get(slug=municipality_slug, user=request.user)
    form = SearchForm(request.GET or None, municipality=municipality, user=request.user)
    data = form.valid_data()
    text = data.get("q", "")
    source = by_slug(data.get("art") or "")
    results, limited = None, ""
    if text:
        try:  # each search is many times the work of a page: counted per person and address
            check_rate(action="search", user=request.user, ip=client_ip(request))
        except RateLimited as refused:
            limited = refused.message
        else:
            results = search(
                municipality=municipality,
                user=request.user,
                text=text,
                source=source,
                project=data.get("vorhaben"),
                page_number=request.GET.get("seite"),
            )
    kept = request.GET.copy()
    kept.pop("seite", None)
    kept.pop("art", None)
    everywhere = kept.copy()
    everywhere.pop("vorhaben", None)
    return render(
        request,
        "search/results.html",
        {
            "municipality": municipality,
            "form": form,
            "text": text,
            "results": results,
            "source": source,
            "kinds": sources(),
            "base_query": kept.urlencode(),
            "project": data.get("vorhaben"),
            "all_projects_query": everywhere.urlencode(),
            "limited": limited,
        },
        status=429 if limited else 400 if form.errors else 200,
    )
