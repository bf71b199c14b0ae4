"""User text: Markdown rendered, then sanitised. The only way user text becomes HTML."""

from __future__ import annotations

import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "a",
    "h3",
    "h4",
    "hr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


_parsers = threading.local()


def _parser() -> markdown_lib.Markdown:
    """This thread's Markdown parser, made once: making one costs three times a conversion.

    A parser keeps state while it converts (it is not thread-safe), and ``reset()`` clears what
    one text left behind (reference links, footnotes) before the next.
    """
    parser = getattr(_parsers, "markdown", None)
    if parser is None:
        parser = _parsers.markdown = markdown_lib.Markdown(
            extensions=["sane_lists"], output_format="html"
        )
    return parser.reset()


def render_markdown(text: str) -> SafeString:
    """Sanitised HTML of the Markdown ``text``.

    Pages that show many texts store this beside the source when the text is saved (comments:
    ``Comment.text_html``) instead of rendering it on every view.
    """
    html = _parser().convert(text or "")
    # Headings in user text start at h3: the page owns h1 and h2, and headings must stay in order.
    html = html.replace("<h1>", "<h3>").replace("</h1>", "</h3>")
    html = html.replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener ugc",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above
