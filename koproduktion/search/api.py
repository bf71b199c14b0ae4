"""The town's search in the API, with the page's rules: what the person asking may see (the
session's person; anonymous otherwise), counted per kind, the hits with marked snippets.

Without ``kind`` the answer holds the best few hits of every kind; with it, one page of that
kind. Bad input is a 400 with the reason (an empty or overlong query, a kind or project that
does not exist), never a 500.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from koproduktion.api.openapi import Detail
from koproduktion.api.pagination import MAX_PAGE
from koproduktion.core.ratelimit import check_rate, client_ip
from koproduktion.core.selectors import municipality_get
from koproduktion.projects.models import Project
from koproduktion.projects.selectors import visible_project_ids

from .registry import by_key, sources
from .selectors import MAX_LENGTH, TOO_LONG, Hit, clean_query, search, unknown_kind

router = Router(tags=["Suche"])


class KindOut(Schema):
    kind: str
    label: str
    count: int = Field(description="Treffer; mit more=true mindestens so viele.")
    more: bool = Field(description="Mehr Treffer als gezählt: die Suche genauer fassen.")


class HitOut(Schema):
    kind: str
    id: int
    title_html: str = Field(description="Titel, gefundene Wörter in <mark>; sonst escaped.")
    snippet_html: str = Field(description="Ausschnitt, gefundene Wörter in <mark>; escaped.")
    context: str
    url: str


class SearchOut(Schema):
    query: str
    kind: str | None
    kinds: list[KindOut]
    page: int
    pages: int
    results: list[HitOut]


class SearchQuery(Schema):
    q: str = Field("", description=f"Suchbegriffe, höchstens {MAX_LENGTH} Zeichen.")
    kind: str | None = Field(None, description="Nur diese Art, seitenweise.")
    project: str | None = Field(None, description="Kurzname des Vorhabens.")
    page: int = Field(1, ge=1, le=MAX_PAGE)


def _hit(hit: Hit) -> HitOut:
    return HitOut(
        kind=hit.source.key,
        id=hit.record.pk,
        title_html=str(hit.title),
        snippet_html=str(hit.snippet),
        context=hit.context,
        url=hit.url,
    )


@router.get("/municipalities/{slug}/search", response={200: SearchOut, 429: Detail})
def search_town(request: HttpRequest, slug: str, filters: Query[SearchQuery]) -> SearchOut:
    """Search the town: projects, ideas, comments, decisions, events, initiatives and
    organisations the person may see. German word forms find each other on PostgreSQL
    ("Radwege" finds "Radweg"); `websearch` syntax: `"a phrase"`, `or`, `-word`. Searches are
    limited per person and per address (429 with `Retry-After` past the limit)."""
    municipality = municipality_get(slug=slug, user=request.user)
    text = clean_query(filters.q)
    if not text:
        raise HttpError(400, _("Bitte geben Sie einen Suchbegriff ein."))
    if len(text) > MAX_LENGTH:
        raise HttpError(400, str(TOO_LONG) % {"limit_value": MAX_LENGTH})
    source = None
    if filters.kind:
        source = by_key(filters.kind)
        if source is None:
            raise HttpError(400, unknown_kind([each.key for each in sources()]))
    project = None
    if filters.project:
        project = Project.objects.filter(
            municipality=municipality,
            slug=filters.project,
            pk__in=visible_project_ids(municipality=municipality, user=request.user),
        ).first()
        if project is None:
            raise HttpError(400, _("Dieses Vorhaben gibt es hier nicht."))
    if source is None and filters.page > 1:
        raise Http404  # the best of every kind is one page
    check_rate(action="search", user=request.user, ip=client_ip(request))  # 429 past the limit
    found = search(
        municipality=municipality,
        user=request.user,
        text=text,
        source=source,
        project=project,
        page_number=filters.page,
    )
    if found.page is None:
        hits, page, pages = [hit for kind in found.kinds for hit in kind.hits], 1, 1
    else:
        if found.page.number != filters.page:
            raise Http404  # past the last page
        hits, page, pages = (
            found.page.object_list,
            found.page.number,
            found.page.paginator.num_pages,
        )
    return SearchOut(
        query=text,
        kind=source.key if source else None,
        kinds=[
            KindOut(kind=k.source.key, label=str(k.source.label), count=k.count, more=k.more)
            for k in found.kinds
        ],
        page=page,
        pages=pages,
        results=[_hit(hit) for hit in hits],
    )
