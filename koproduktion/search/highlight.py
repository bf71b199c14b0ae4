"""Highlighted text built safely: the text is escaped first, then only our own marks become
``<mark>``. User text never passes through ``|safe``.

Both backends put the private-use characters ``START`` and ``STOP`` around the words found
(PostgreSQL's ``ts_headline`` as its ``StartSel`` and ``StopSel``, the fallback in Python);
``marked`` turns the text between them into ``<mark>``, everything else escaped, each mark closed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from koproduktion.ideas.similarity import FOLD

START, STOP = "\ue000", "\ue001"
_MARKS = re.compile(f"([{START}{STOP}])")
# Markdown's emphasis, headings and code marks, and a link's address, are noise in a snippet.
_MARKDOWN = re.compile(r"[*`#]+|\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Words before the first one found, and in all, in a snippet the fallback cuts.
_BEFORE, _WORDS = 8, 30


def plain(text: str) -> str:
    """``text`` as one line without Markdown marks; our own marks taken out of it."""
    text = text.replace(START, "").replace(STOP, "")
    return " ".join(_MARKDOWN.sub(lambda match: match.group(1) or "", text).split())


def marked(text: str) -> SafeString:
    """``text`` with our marks as ``<mark>``, everything else escaped and without Markdown."""
    out: list[str] = []
    inside = False
    for piece in _MARKS.split(text):
        if piece == START:
            if not inside:
                out.append("<mark>")
            inside = True
        elif piece == STOP:
            if inside:
                out.append("</mark>")
            inside = False
        else:
            out.append(str(escape(_MARKDOWN.sub(lambda match: match.group(1) or "", piece))))
    if inside:
        out.append("</mark>")
    return mark_safe(" ".join("".join(out).split()))  # noqa: S308 - escaped above, marks ours


def fold(word: str) -> str:
    return word.lower().translate(FOLD)


def highlight(text: str, terms: Iterable[str], *, whole: bool = False) -> SafeString:
    """``text`` with every word that starts with one of ``terms`` (folded stems or words)
    marked; unless ``whole``, cut to some ``_WORDS`` words around the first word found."""
    terms = tuple(terms)
    text = plain(text)
    words = list(_WORD.finditer(text))
    found = [i for i, word in enumerate(words) if fold(word.group()).startswith(terms)]
    first, last, start, end = 0, len(words), 0, len(text)
    if not whole and words:
        first = max(0, found[0] - _BEFORE) if found else 0
        last = min(len(words), first + _WORDS)
        start = words[first].start()
        end = words[last - 1].end() if last < len(words) else len(text)
    pieces, at = [], start
    for index in found:
        if first <= index < last:
            word = words[index]
            pieces += [text[at : word.start()], START, word.group(), STOP]
            at = word.end()
    pieces.append(text[at:end])
    cut = "".join(pieces)
    return marked(("… " if start > 0 else "") + cut + (" …" if end < len(text) else ""))
