"""User Markdown becomes sanitised HTML; the parser kept between texts changes nothing."""

from __future__ import annotations

import threading

import markdown
import nh3
import pytest

from koproduktion.core.markdown import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, render_markdown

TEXTS = [
    "",
    "Ein **fetter** und ein *kursiver* Satz.\n\nZweiter Absatz.",
    "- eins\n- zwei\n\n1. erstens\n2. zweitens",
    "# Titel\n\n## Untertitel\n\n### Drei",
    "> Zitat\n\n    code\n\n`inline`",
    "[Link](https://example.org) und [gefährlich](javascript:alert(1))",
    "Ein [Verweis][eins] auf eine Definition.\n\n[eins]: https://example.org/eins",
    "Derselbe [Verweis][eins] ohne Definition.",
    "<script>alert(1)</script><b onclick=x>fett</b>",
    "Zeile mit *offenem Stern\n\n***",
]


def _fresh_parser(text: str) -> str:
    """What rendering did with a new parser for each text."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )


def test_the_kept_parser_gives_what_a_new_one_gave_text_after_text():
    # In this order a reference defined in one text must not resolve in the next.
    for text in TEXTS * 2:
        assert render_markdown(text) == _fresh_parser(text)
    assert "example.org/eins" not in render_markdown("Derselbe [Verweis][eins] ohne Definition.")


def test_user_html_and_scripts_never_come_through():
    html = render_markdown("<script>alert(1)</script>[x](javascript:alert(1)) <b onclick=x>y</b>")
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onclick" not in html


@pytest.mark.parametrize("threads", [4])
def test_threads_render_at_once_without_mixing_texts(threads):
    results: dict[int, list[bool]] = {}

    def work(n: int) -> None:
        text = f"Text {n} mit **{n}** und [Verweis][r]\n\n[r]: https://example.org/{n}"
        results[n] = [render_markdown(text) == _fresh_parser(text) for _ in range(200)]

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert all(all(ok) for ok in results.values())
