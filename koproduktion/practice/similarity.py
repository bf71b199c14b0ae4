"""Practice examples like a project or an initiative ("Ähnliche Vorhaben").

Three signals, added up (docs/practice.md has the weights and a worked example):

- a tag of the example names the subject's topic (slug or name): 2 points per tag;
- the words of title and description, stemmed as for similar ideas (``ideas.similarity``:
  Snowball stems, stopwords out, umlauts folded) and compared by cosine under weights from the
  examples themselves: up to 4 points;
- the kind of place (``Setting``): the subject's neighbourhood read as a village, a centre or a
  residential area by its name and description, no neighbourhood as the whole town: 1 point,
  counted only next to one of the others, since a place alone is no likeness.

Two queries whatever the size of the library: one reads the stems, the kind of place and the
number of matching tags of every visible example (the library holds hundreds, not millions: a
town writes a few a year), the other loads the best three.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Q, Value
from django.utils.text import slugify

from koproduktion.core.models import Municipality
from koproduktion.core.services import GERMAN_LETTERS
from koproduktion.ideas.similarity import cosine, idea_terms

from .models import PracticeExample, Setting

LIMIT = 3
TAG_POINTS = 2
WORD_POINTS = 4
SETTING_POINTS = 1
# Below this cosine the words alone make no likeness (two texts on different things that share
# "Quartier" and "Bürger" score about 0.05 to 0.1 in the tests' examples).
WORDS_MIN = 0.12

# Words that tell the kind of a neighbourhood from its name or description.
SETTING_WORDS = {
    Setting.VILLAGE: ("dorf", "ortsteil", "ländlich", "weiler", "gemeindeteil"),
    Setting.CENTRE: ("altstadt", "innenstadt", "zentrum", "ortskern", "marktplatz", "city"),
    Setting.RESIDENTIAL: ("wohn", "siedlung", "hochhaus", "familien"),
}


@dataclass(frozen=True)
class Subject:
    """What examples are compared with: a project or an initiative."""

    municipality: Municipality
    title: str
    text: str
    topic: Any = None
    neighbourhood: Any = None
    project_id: int | None = None


@dataclass(frozen=True)
class Similar:
    example: PracticeExample
    score: float
    reasons: tuple[str, ...] = field(default=())


def subject_of_project(project: Any) -> Subject:
    return Subject(
        municipality=project.municipality,
        title=project.title,
        text=f"{project.summary}\n{project.description}",
        topic=project.topic,
        neighbourhood=project.neighbourhood,
        project_id=project.pk,
    )


def subject_of_initiative(initiative: Any) -> Subject:
    return Subject(
        municipality=initiative.municipality,
        title=initiative.title,
        text=f"{initiative.summary}\n{initiative.why}",
        topic=initiative.topic,
        neighbourhood=initiative.neighbourhood,
    )


def example_terms(title: str, text: str) -> str:
    """The stems stored with an example (``PracticeExample.stems``): one per occurrence."""
    return " ".join(idea_terms(title, text).elements())


def setting_of(neighbourhood: Any) -> Setting:
    """The kind of place of a neighbourhood, read from its words; no neighbourhood: the town."""
    if neighbourhood is None:
        return Setting.WHOLE_TOWN
    words = f"{neighbourhood.name} {neighbourhood.description}".lower()
    for setting, hints in SETTING_WORDS.items():
        if any(hint in words for hint in hints):
            return setting
    return Setting.RESIDENTIAL  # a named part of a town that is neither centre nor village


def tag_slug(name: str) -> str:
    """The slug of a tag, spelled as the towns' topics are (``Mobilität`` → ``mobilitaet``)."""
    spelled = re.sub("[äöüß]", lambda m: GERMAN_LETTERS[m.group()], name.lower())
    return slugify(spelled)[:60]


def topic_slugs(topic: Any) -> list[str]:
    """The tag slugs that name ``topic``: its own slug and its name's."""
    if topic is None:
        return []
    return sorted({topic.slug, tag_slug(topic.name)})


def similar_examples(*, subject: Subject, limit: int = LIMIT) -> list[Similar]:
    """Up to ``limit`` published examples most like ``subject``, best first (two queries)."""
    from .selectors import published_for  # noqa: PLC0415 - selectors import this module

    slugs = topic_slugs(subject.topic)
    shared = (
        Count("tags", filter=Q(tags__slug__in=slugs), distinct=True)
        if slugs
        else Value(0, output_field=IntegerField())
    )
    candidates = published_for(municipality=subject.municipality)
    if subject.project_id:
        candidates = candidates.exclude(project_id=subject.project_id)
    rows = list(candidates.annotate(shared=shared).values_list("pk", "stems", "setting", "shared"))
    if not rows:
        return []
    documents = {pk: Counter(stems.split()) for pk, stems, _setting, _shared in rows}
    frequency: Counter[str] = Counter()
    for terms in documents.values():
        frequency.update(terms.keys())
    idf = {stem: math.log((len(rows) + 1) / (n + 1)) + 1 for stem, n in frequency.items()}
    query = idea_terms(subject.title, subject.text)
    place = setting_of(subject.neighbourhood)
    scored: list[tuple[float, int, tuple[str, ...]]] = []
    for pk, _stems, setting, tags in rows:
        words = cosine(query, documents[pk], idf) if query else 0.0
        if not tags and words < WORDS_MIN:
            continue
        reasons = []
        score = TAG_POINTS * tags + WORD_POINTS * words
        if tags:
            reasons.append("topic")
        if words >= WORDS_MIN:
            reasons.append("words")
        if setting == place:
            score += SETTING_POINTS
            reasons.append("setting")
        scored.append((score, pk, tuple(reasons)))
    scored.sort(key=lambda row: (-row[0], -row[1]))
    best = scored[:limit]
    examples = PracticeExample.objects.select_related("municipality").in_bulk(
        [pk for _score, pk, _reasons in best]
    )
    return [
        Similar(example=examples[pk], score=score, reasons=reasons)
        for score, pk, reasons in best
        if pk in examples
    ]
