"""How easy a German text is to read: Amstad's Flesch score and LIX, and the sentences that pull
it down. Staff see it while they write public texts; a municipality may require a minimum
before such a text is published (``readability_refusal``). The method, with its limits, is in
docs/readability.md.

- Sentences end at ``.``, ``!`` or ``?`` before a space and a capital letter or a digit, at the
  end of the text, and at line ends (Markdown list items and headings are sentences of their
  own). A full stop after a number of one or two digits ("am 1. März", "der 2. Abschnitt") or
  after a known abbreviation ("z. B.", "Nr.") ends no sentence; after a year ("bis 2027.") it
  does.
- Words are runs of letters (with digits and hyphens inside); numbers alone are not words.
- Syllables are vowel groups: ``a e i o u y ä ö ü``, where the diphthongs ``ei ey ai ay ie au
  eu äu`` and the doubled vowels ``aa ee oo`` count as one, two other vowels side by side as two
  ("The-a-ter"), and the ``u`` of ``qu`` as none. Every word has at least one.
- Amstad (1978): 180 − ASL − 58.5 × ASW, ASL words per sentence, ASW syllables per word;
  shown between 0 (very hard) and 100 (very easy).
- LIX (Björnsson): words per sentence + 100 × share of words longer than six letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

VOWELS = frozenset("aeiouyäöü")
ONE_SOUND = frozenset({"ei", "ey", "ai", "ay", "ie", "au", "eu", "äu", "aa", "ee", "oo"})
LONG_WORD = 6  # letters; LIX counts longer words as long
HARD_SENTENCE_WORDS = 20
SHOWN_SENTENCES = 3
EASY_ENOUGH = 60  # "mittel" in Amstad's table: sentences below it are shown as the hard ones

ABBREVIATIONS = frozenset(
    {
        "z", "b", "d", "h", "u", "a", "s", "o", "v", "ä", "bzw", "ca", "usw", "etc", "vgl",
        "nr", "str", "dr", "prof", "hr", "fr", "evtl", "ggf", "inkl", "ggü", "bspw", "tel",
        "abs", "art", "jan", "feb", "mär", "apr", "jun", "jul", "aug", "sep", "sept", "okt",
        "nov", "dez", "mio", "mrd", "std", "min", "max", "zzgl", "abt", "bzgl", "ehem",
    }
)  # fmt: skip

_WORD = re.compile(r"[^\W\d_](?:[\w-]*\w)?")
_END = re.compile(r"([.!?]+)[\"“”»«)\]]*\s+(?=[\"„“»«(\[]?[A-ZÄÖÜ0-9])")
_MARKDOWN = [
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: their description
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links: their text
    (re.compile(r"https?://\S+"), ""),  # bare addresses are no words to read
    (re.compile(r"^\s{0,3}(?:#{1,6}|>|[-*+]|\d+[.)])\s+", re.M), ""),  # headings, quotes, lists
    (re.compile(r"[*_`~]+"), ""),  # emphasis and code marks
]


@dataclass(frozen=True)
class Sentence:
    text: str
    words: int
    syllables: int
    long_words: int

    @property
    def amstad(self) -> float:
        return amstad(self.words, 1, self.syllables)


@dataclass(frozen=True)
class Readability:
    """The figures of one text, with its sentences from hardest to easiest."""

    sentences: tuple[Sentence, ...]
    words: int
    syllables: int
    long_words: int

    @property
    def amstad(self) -> float:
        """Amstad's Flesch score, 0 (very hard) to 100 (very easy); 100 for a text without
        words."""
        return amstad(self.words, len(self.sentences), self.syllables)

    @property
    def score(self) -> int:
        """The score shown and compared with a municipality's minimum: Amstad, rounded."""
        return round(self.amstad)

    @property
    def lix(self) -> float:
        if not self.words:
            return 0.0
        return self.words / len(self.sentences) + 100 * self.long_words / self.words

    @property
    def words_per_sentence(self) -> float:
        return self.words / len(self.sentences) if self.sentences else 0.0

    @property
    def hardest(self) -> tuple[Sentence, ...]:
        """The sentences that pull the score down: below "mittel" (60) on their own or longer
        than 20 words, hardest first, at most three."""
        return self.hardest_below(EASY_ENOUGH)

    def hardest_below(self, score: float) -> tuple[Sentence, ...]:
        """The (at most three) hardest sentences scoring below ``score`` or longer than 20
        words; the hardest one at least, for a text that is below ``score`` as a whole."""
        harder = [
            sentence
            for sentence in self.sentences
            if sentence.amstad < score or sentence.words > HARD_SENTENCE_WORDS
        ]
        if not harder and self.sentences and self.amstad < score:
            harder = list(self.sentences)
        return tuple(sorted(harder, key=lambda sentence: sentence.amstad)[:SHOWN_SENTENCES])

    @property
    def level(self) -> str:
        """The usual words for the score (Amstad's table)."""
        for floor, label in LEVELS:
            if self.amstad >= floor:
                return str(label)
        return str(LEVELS[-1][1])


LEVELS = (
    (90, gettext_lazy("sehr leicht")),
    (80, gettext_lazy("leicht")),
    (70, gettext_lazy("eher leicht")),
    (60, gettext_lazy("mittel")),
    (50, gettext_lazy("eher schwer")),
    (30, gettext_lazy("schwer")),
    (0, gettext_lazy("sehr schwer")),
)


def amstad(words: int, sentences: int, syllables: int) -> float:
    """180 − ASL − 58.5 × ASW, kept between 0 and 100."""
    if not words or not sentences:
        return 100.0
    raw = 180 - words / sentences - 58.5 * syllables / words
    return max(0.0, min(100.0, raw))


def syllables(word: str) -> int:
    """Vowel groups of a German word (see the module's description); at least one."""
    word = word.lower()
    count, i = 0, 0
    while i < len(word):
        letter = word[i]
        if letter not in VOWELS or (letter == "u" and i > 0 and word[i - 1] == "q"):
            i += 1
            continue
        count += 1
        i += 2 if word[i : i + 2] in ONE_SOUND else 1
    return max(count, 1)


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def plain(text: str) -> str:
    """The words of a Markdown text, without its marks."""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return text


def sentences(text: str) -> list[str]:
    """The text's sentences (see the module's description)."""
    found = []
    for line in plain(text).splitlines():
        start = 0
        for end in _END.finditer(line):
            before = line[start : end.start()]
            last = before.split()[-1] if before.split() else ""
            stop = end.group(1)
            ordinal = last.isdigit() and len(last) <= 2
            if stop == "." and (ordinal or last.lower().rstrip(".") in ABBREVIATIONS):
                continue
            found.append(line[start : end.end()].strip())
            start = end.end()
        found.append(line[start:].strip())
    return [sentence for sentence in found if words(sentence)]


def analyse(text: str) -> Readability:
    """The readability of ``text`` (German, Markdown allowed)."""
    parsed = []
    for sentence in sentences(text):
        found = words(sentence)
        parsed.append(
            Sentence(
                text=sentence,
                words=len(found),
                syllables=sum(syllables(word) for word in found),
                long_words=sum(len(word.replace("-", "")) > LONG_WORD for word in found),
            )
        )
    return Readability(
        sentences=tuple(parsed),
        words=sum(sentence.words for sentence in parsed),
        syllables=sum(sentence.syllables for sentence in parsed),
        long_words=sum(sentence.long_words for sentence in parsed),
    )


def readability_refusal(minimum: int | None, texts: dict[str, str]) -> ValidationError | None:
    """The refusal for the texts (by form field) that score below ``minimum``, or None.

    It names the score, the minimum and the hardest sentences, next to each field.
    """
    if not minimum:
        return None
    errors = {}
    for field, text in texts.items():
        if not text or not text.strip():
            continue
        result = analyse(text)
        if result.score >= minimum:
            continue
        hardest = " ".join(f"„{sentence.text}“" for sentence in result.hardest_below(minimum))
        errors[field] = _(
            "Dieser Text ist schwer zu lesen (Lesbarkeit %(score)d, verlangt sind mindestens "
            "%(minimum)d). Am schwersten: %(sentences)s Kürzere Sätze und kürzere Wörter helfen."
        ) % {"score": result.score, "minimum": minimum, "sentences": hardest}
    return ValidationError(errors) if errors else None
