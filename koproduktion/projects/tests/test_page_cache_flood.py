"""A flood of made-up addresses neither fills the visitors' page cache nor lifts a rate limit.

Anyone can add a query string to a page's address (``?x=1``, ``?x=2``, …) or spell a number in
the path with leading zeros. Each such address used to get its own copy in the page cache, so a
few hundred requests evicted whatever else the cache held, a person's rate-limit counters too.
Now only the parameters a page declares count, and only in the spelling the page itself uses.
"""

from __future__ import annotations

import random
from urllib.parse import urlencode

import pytest
from django.core.cache import caches
from django.urls import reverse

from koproduktion.core.ratelimit import RateLimited
from koproduktion.ideas.services import idea_create
from koproduktion.ideas.tests.factories import IdeaFactory, resident_of

from .page_cache_support import cached, fresh, fresh_json, project_url

pytestmark = pytest.mark.django_db

FLOOD = 400


def _page_cache_entries() -> int:
    # The visitors' page cache is the default cache (local memory here, as without REDIS_URL).
    return len(caches["default"]._cache)


def _junk(rng: random.Random, known: tuple[str, ...]) -> str:
    """A query string as a crawler or an attacker makes them up."""
    word = f"{rng.getrandbits(40):x}"
    name = rng.choice(known)
    return "?" + urlencode(
        rng.choice(
            [
                [(f"utm_{word}", word)],  # a parameter no page knows
                [(name, word)],  # a known one with a made-up value
                [(name, str(rng.randint(2, 10**6)))],  # a page that is not there
                [(name, "1"), (name, "2")],  # given twice
                [("seite", f"0{rng.randint(1, 9)}")],  # a number spelled differently
            ]
        )
    )


@pytest.fixture
def pages(town):
    """The cached pages of the town with the parameters each of them knows."""
    municipality, _neighbourhood, project, _admin = town
    idea = IdeaFactory(project=project)
    ideas = reverse("ideas:list", args=[municipality.slug, project.slug])
    return {
        reverse("home"): ("seite",),
        reverse("projects:municipality", args=[municipality.slug]): (
            "phase",
            "topic",
            "neighbourhood",
            "seite",
        ),
        project_url(project): ("seite",),
        ideas: ("status", "topic", "neighbourhood", "sortierung", "seite"),
        f"{ideas}{idea.pk}/": ("seite", "antwort"),
    }


def _flood(client, pages: dict[str, tuple[str, ...]]) -> None:
    rng = random.Random(7)  # noqa: S311 - the same flood every run
    urls = list(pages)
    for _ in range(FLOOD):
        url = rng.choice(urls)
        response = client.get(url + _junk(rng, pages[url]))
        assert response.status_code == 200


def _made_up_parameters(client, pages: dict[str, tuple[str, ...]]) -> None:
    """What used to evict the counters: each visit with a parameter of its own."""
    urls = list(pages)
    for n in range(FLOOD):
        assert client.get(f"{urls[n % len(urls)]}?v={n}").status_code == 200


def test_a_flood_of_query_strings_leaves_a_persons_rate_limit_in_place(
    client, town, pages, settings
):
    settings.RATE_LIMITS = {"idea": ("2/10m", None)}
    _municipality, _neighbourhood, project, _admin = town
    lena = resident_of(project)

    def post(title: str) -> None:
        idea_create(actor=lena, project=project, title=title, text="Ein Vorschlag.", ip="")

    post("Erste Idee")
    post("Zweite Idee")
    with pytest.raises(RateLimited):
        post("Dritte Idee")
    _made_up_parameters(client, pages)
    with pytest.raises(RateLimited):
        post("Vierte Idee")


def test_a_flood_of_query_strings_does_not_grow_the_page_cache(client, pages):
    for url in pages:
        cached(client, url)
    # Each page, and what the idea pages keep for logged-in people too (their shared parts and
    # the counts of their pages); and the layout's footer and search, once for the pages of the
    # town and once for the platform's home.
    kept = _page_cache_entries()
    assert len(pages) <= kept <= 3 * len(pages) + 4
    _flood(client, pages)
    assert _page_cache_entries() == kept


def test_an_unknown_parameter_gets_the_page_without_it(client, town):
    municipality, *_ = town
    home = reverse("projects:municipality", args=[municipality.slug])
    page = cached(client, home)
    response = client.get(home + "?utm_source=%3Cb%3Eflood%3C%2Fb%3E")
    assert response["X-Page-Cache"] == "hit"
    assert response.content.decode() == page
    # Rendered afresh (nothing cached yet), the page does not echo the unknown parameter either,
    # not even in the language switch's link back.
    caches["default"].clear()
    response = client.get(home + "?seite=1&utm_source=flood")
    assert "utm_source" not in response.content.decode()
    assert client.get(home + "?seite=1")["X-Page-Cache"] == "hit"


def test_filters_and_pages_a_page_shows_are_cached_each(client, town):
    municipality, *_ = town
    home = reverse("projects:municipality", args=[municipality.slug])
    for query in ("?phase=dialogue", "?phase=&topic=&neighbourhood=", "?seite=1"):
        cached(client, home + query)
    # A filter the town does not have, or a page past the last, is shown, but not kept.
    for query in ("?phase=gibt-es-nicht", "?topic=gibt-es-nicht", "?seite=2", "?seite=x"):
        for _ in range(2):
            fresh(client, home + query)


def test_a_number_spelled_with_leading_zeros_is_shown_but_not_kept(client, town):
    _municipality, _neighbourhood, project, _admin = town
    idea = IdeaFactory(project=project)
    url = reverse("ideas:detail", args=[project.municipality.slug, project.slug, idea.pk])
    cached(client, url)
    kept = _page_cache_entries()
    zeros = url.replace(f"/{idea.pk}/", f"/000{idea.pk}/")
    for _ in range(2):
        assert idea.title in fresh(client, zeros)
    assert _page_cache_entries() == kept


def test_a_flood_of_api_query_strings_does_not_grow_the_page_cache(client, town):
    municipality, _neighbourhood, project, _admin = town
    IdeaFactory(project=project)
    api = f"/api/v1/municipalities/{municipality.slug}"
    ideas = f"{api}/projects/{project.slug}/ideas"
    urls = [f"{api}/projects", ideas, f"{ideas}.geojson", f"{api}/neighbourhoods"]
    for url in urls:
        cached(client, url)
    assert _page_cache_entries() == len(urls)
    rng = random.Random(11)  # noqa: S311 - the same flood every run
    for n in range(FLOOD):
        query = rng.choice(
            [
                {f"utm_{n}": "x"},
                {"page": rng.randint(2, 10**6)},
                {"page_size": rng.randint(1, 10**6)},
                {"page": f"0{rng.randint(1, 9)}"},
            ]
        )
        client.get(rng.choice(urls) + "?" + urlencode(query))
    assert _page_cache_entries() == len(urls)
    # An unknown parameter is answered from the cache, as without it.
    assert client.get(f"{api}/projects?utm_source=x")["X-Page-Cache"] == "hit"


def test_each_page_of_an_api_list_is_cached_apart(client, town):
    municipality, _neighbourhood, project, _admin = town
    IdeaFactory.create_batch(25, project=project)
    ideas = f"/api/v1/municipalities/{municipality.slug}/projects/{project.slug}/ideas"
    first, second = cached(client, ideas), cached(client, ideas + "?page=2")
    assert first != second
    assert client.get(ideas + "?page=02&utm_source=x").content.decode() == second
    # A page size of the client's choosing is answered, but not kept.
    assert len(fresh_json(client, ideas + "?page_size=5")["items"]) == 5
    assert _page_cache_entries() == 2
