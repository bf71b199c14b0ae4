"""Ideas that resemble a draft: word stems weighted by TF-IDF, ranked by cosine similarity.

Everything runs locally: the Snowball stemmer (German, or English where a text reads as
English), a small list of stopwords, no model and nothing downloaded. docs/similar-ideas.md
explains the method and what it cannot find.

The stems of every idea are stored beside it (``IdeaTerm``, kept by ``idea_create`` and
``idea_update``), so a lookup never reads the ideas' texts: it reads the postings of the
draft's stems, then the full vectors of the best few candidates, each with one indexed query,
whether the project has ten ideas or ten thousand.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db.models import Count

from .models import Idea, IdeaStatus, IdeaTerm

# How many ideas a draft shows at most, and how alike they must be (cosine, 0 to 1). Chosen on
# the examples in ideas/tests/test_similarity.py: two ideas about the same thing score 0.35 and
# more (0.5 to 0.75 where the title's words recur); ideas that share only the place ("am
# Bahnhof") score 0.15 to 0.23.
LIMIT = 5
THRESHOLD = 0.25
# The title says what the idea is about: its words count twice.
TITLE_WEIGHT = 2
# Exact cosines are computed for this many ideas with the highest dot product.
CANDIDATES = 50
# A stem in more ideas than this (or a fifth of them, if more) finds no candidates itself.
COMMON_MIN = 200
STEM_MAX = 40  # IdeaTerm.stem's length

GERMAN_STOPWORDS = frozenset(
    """
    aber alle allem allen aller alles als also am an ander andere anderen anderer anderes
    auch auf aus bei beim bin bis bisher bitte bzw da dadurch dafür daher damit dann darauf
    darum das dass daß dein deine dem den denn der deren des deshalb dessen die dies diese
    diesem diesen dieser dieses doch dort du durch eher ein eine einem einen einer eines
    einfach einige er es etwa etwas euch euer für gab gar gibt ganz gerade gern gerne geben
    habe haben hat hatte hätte hier hin ich ihm ihn ihnen ihr ihre im immer in ins ist ja
    jede jedem jeden jeder jedes jetzt kann kein keine keinen können könnte machen man mehr
    mein meine mich mir mit muss müssen möchte nach nicht nichts noch nun nur ob oder ohne
    sehr sein seine sich sie sind so soll sollen sollte sollten sondern sowie über um und
    uns unser unsere unter viel viele vom von vor war waren warum was weil weiter wenn wer
    werden wie wieder wir wird wo wurde wurden würde zu zum zur zwar zwischen
    """.split()  # noqa: SIM905 - words read best as words
)
ENGLISH_STOPWORDS = frozenset(
    """
    a about all also an and any are as at be been but by can could do does for from had has
    have he her here how i if in into is it its just more my no not of on or our please
    should so some such than that the their them there these they this to too us very was we
    were what when where which who why will with would you your
    """.split()  # noqa: SIM905 - words read best as words
)
STOPWORDS = GERMAN_STOPWORDS | ENGLISH_STOPWORDS
WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@lru_cache(maxsize=2)
def _stemmer(language: str) -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer(language)


def language_of(words: list[str]) -> str:
    """ "english" where more of the words are English stopwords than German ones, else "german"."""
    english = sum(word in ENGLISH_STOPWORDS for word in words)
    german = sum(word in GERMAN_STOPWORDS for word in words)
    return "english" if english > german else "german"


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words, stopwords and numbers left out, umlauts folded (ä → a,
    ß → ss), so that "Bänke" and "Bank", "Straße" and "Strasse" meet."""
    words = WORD.findall(text.lower())
    stemmer = _stemmer(language_of(words))
    kept = [word for word in words if word not in STOPWORDS and not word.isdigit()]
    return [stem.translate(FOLD)[:STEM_MAX] for stem in stemmer.stemWords(kept)]


def idea_terms(title: str, text: str) -> Counter[str]:
    """How often each stem occurs in an idea; the title's count ``TITLE_WEIGHT`` times."""
    counts = Counter(text_stem for text_stem in stems(text))
    for stem in stems(title):
        counts[stem] += TITLE_WEIGHT
    return counts


def _weight(count: int, idf: float) -> float:
    """Sublinear term frequency times inverse document frequency."""
    return (1 + math.log(count)) * idf


def _idf(documents: int, frequency: int) -> float:
    # Smoothed, so a stem no idea has yet still weighs (most) and none weighs zero.
    return math.log((documents + 1) / (frequency + 1)) + 1


def cosine(query: Counter[str], document: Counter[str], idf: dict[str, float]) -> float:
    """The cosine of two term counts under the weights of ``idf`` (a stem missing there weighs
    as one no idea has)."""
    top = max(idf.values(), default=1.0)
    q = {stem: _weight(n, idf.get(stem, top)) for stem, n in query.items()}
    d = {stem: _weight(n, idf.get(stem, top)) for stem, n in document.items()}
    dot = sum(weight * d[stem] for stem, weight in q.items() if stem in d)
    norms = math.sqrt(sum(w * w for w in q.values())) * math.sqrt(sum(w * w for w in d.values()))
    return dot / norms if norms else 0.0


@dataclass(frozen=True)
class SimilarIdea:
    idea: Idea
    score: float


def similar_ideas(
    *,
    project_id: int,
    title: str,
    text: str,
    exclude: Iterable[int] = (),
    limit: int = LIMIT,
    threshold: float = THRESHOLD,
) -> list[SimilarIdea]:
    """The shown ideas of the project most like ``title`` and ``text``, best first.

    Seven indexed queries however many ideas the project has: the number of ideas, the
    frequencies of the draft's stems, their postings, which of the best may be shown, the
    stems of the best candidates, the frequencies of those stems, and the ideas themselves.
    """
    query = idea_terms(title, text)
    if not query:
        return []
    documents = Idea.objects.filter(project_id=project_id).count()
    # Every idea of the project counts for the frequencies; only shown ones are candidates.
    frequency = dict(
        IdeaTerm.objects.filter(project_id=project_id, stem__in=list(query))
        .values_list("stem")
        .annotate(n=Count("stem"))
    )
    idf = {stem: _idf(documents, frequency.get(stem, 0)) for stem in query}
    # Candidates come from the rarer stems: a stem in a fifth of the ideas weighs little and
    # would bring thousands of postings (it still counts in the exact cosine below).
    common = max(COMMON_MIN, documents // 5)
    rare = [stem for stem, n in frequency.items() if n <= common] or [
        min(frequency, key=frequency.__getitem__, default="")
    ]
    dots: Counter[int] = Counter()
    for idea_id, stem, count in IdeaTerm.objects.filter(
        project_id=project_id, stem__in=rare
    ).values_list("idea_id", "stem", "count"):
        dots[idea_id] += _weight(query[stem], idf[stem]) * _weight(count, idf[stem])
    for idea_id in exclude:
        dots.pop(idea_id, None)
    best = [idea_id for idea_id, _dot in dots.most_common(CANDIDATES * 4)]
    shown = set(
        Idea.objects.filter(pk__in=best, withdrawn_at__isnull=True, hidden_at__isnull=True)
        .exclude(status=IdeaStatus.MERGED)
        .values_list("pk", flat=True)
    )
    candidates = [idea_id for idea_id in best if idea_id in shown][:CANDIDATES]
    if not candidates:
        return []
    vectors: dict[int, Counter[str]] = {idea_id: Counter() for idea_id in candidates}
    for idea_id, stem, count in IdeaTerm.objects.filter(idea_id__in=candidates).values_list(
        "idea_id", "stem", "count"
    ):
        vectors[idea_id][stem] = count
    # The stems as a list: PostgreSQL plans a subquery here as a scan of every posting.
    their_stems = sorted({stem for vector in vectors.values() for stem in vector} - set(idf))
    frequencies = (
        IdeaTerm.objects.filter(project_id=project_id, stem__in=their_stems)
        .values_list("stem")
        .annotate(n=Count("stem"))
    )
    idf.update({stem: _idf(documents, n) for stem, n in frequencies})
    scored = sorted(
        ((cosine(query, vectors[idea_id], idf), idea_id) for idea_id in candidates),
        key=lambda pair: (-pair[0], pair[1]),
    )
    found = [(score, idea_id) for score, idea_id in scored if score >= threshold][:limit]
    ideas = Idea.objects.in_bulk([idea_id for _score, idea_id in found])
    return [SimilarIdea(idea=ideas[idea_id], score=score) for score, idea_id in found]
