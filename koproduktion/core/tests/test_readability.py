"""The readability figures against examples counted by hand (method: docs/readability.md)."""

from __future__ import annotations

import pytest
from django.utils import translation

from koproduktion.core.readability import analyse, readability_refusal, sentences, syllables


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("Haus", 1),  # au is one sound
        ("Eis", 1),  # ei
        ("Bier", 1),  # ie
        ("Häuser", 2),  # äu, e
        ("neue", 2),  # eu, e
        ("Feuer", 2),
        ("Idee", 2),  # I, ee
        ("Boot", 1),  # oo
        ("Theater", 3),  # e and a side by side are two: The-a-ter
        ("Quelle", 2),  # the u of qu is no vowel: Quel-le
        ("Bayern", 2),  # ay, e
        ("Typ", 1),  # y is a vowel
        ("Straße", 2),
        ("Fahrradstraße", 4),  # Fahr-rad-stra-ße
        ("Bürgerbeteiligung", 6),  # Bür-ger-be-tei-li-gung
        ("Situation", 5),  # Si-tu-a-ti-on
        ("Nr", 1),  # a word without vowels still counts one
        # Where vowel groups miss: Fa-mi-li-e has four, the rule reads "ie" as one sound.
        ("Familie", 3),
    ],
)
def test_syllables_are_vowel_groups_with_diphthongs_as_one(word, count):
    assert syllables(word) == count


def test_sentences_end_at_stops_and_lines_but_not_after_ordinals_or_abbreviations():
    text = (
        "Am 1. März beginnt der Bau, z. B. an der Ecke. Wir bauen bis 2027. Danach ist es ruhig! "
        "Geht das?\n\n## Was kommt\n- Erstens\n- Zweitens, mit [Plan](https://example.org/plan)"
    )
    assert sentences(text) == [
        "Am 1. März beginnt der Bau, z. B. an der Ecke.",
        "Wir bauen bis 2027.",
        "Danach ist es ruhig!",
        "Geht das?",
        "Was kommt",
        "Erstens",
        "Zweitens, mit Plan",
    ]


def test_an_easy_text_counted_by_hand():
    # Die(1) Stadt(1) baut(1) einen(2) Radweg(2). Er(1) ist(1) sicher(2).
    # 8 words, 2 sentences, 11 syllables: 180 - 8/2 - 58.5 * 11/8 = 95.5625.
    # No word has more than six letters: LIX = 8/2 + 0 = 4.
    result = analyse("Die Stadt baut einen Radweg. Er ist sicher.")
    assert (result.words, len(result.sentences), result.syllables) == (8, 2, 11)
    assert result.amstad == pytest.approx(95.5625)
    assert result.score == 96
    assert result.lix == pytest.approx(4.0)
    assert result.level == "sehr leicht"
    assert result.hardest == ()


def test_a_hard_text_counted_by_hand_names_its_hardest_sentence():
    easy = "Wir bauen. "  # Wir(1) bau-en(2): 2 words, 3 syllables
    # Die(1) Ver-kehrs-be-ru-hi-gungs-maß-nah-men(9) er-for-dern(3) ei-ne(2)
    # Ab-stim-mung(3) mit(1) den(1) zu-stän-di-gen(4) Fach-be-rei-chen(4):
    # 9 words, 28 syllables, long words (more than six letters): 5.
    hard = (
        "Die Verkehrsberuhigungsmaßnahmen erfordern eine Abstimmung mit den zuständigen "
        "Fachbereichen."
    )
    result = analyse(easy + hard)
    assert (result.words, len(result.sentences), result.syllables) == (11, 2, 31)
    # 180 - 11/2 - 58.5 * 31/11 = 9.6364; LIX = 5.5 + 100 * 5/11 = 50.95
    assert result.amstad == pytest.approx(180 - 5.5 - 58.5 * 31 / 11)
    assert result.score == 10
    assert result.lix == pytest.approx(5.5 + 500 / 11)
    assert result.level == "sehr schwer"
    assert [sentence.text for sentence in result.hardest] == [hard]


def test_scores_stay_between_zero_and_a_hundred():
    assert analyse("Ja.").amstad == 100
    assert analyse("").amstad == 100
    assert analyse("Donaudampfschifffahrtsgesellschaftskapitänsmützenabzeichen.").amstad == 0


def test_a_minimum_refuses_with_the_score_and_the_hardest_sentences():
    hard = "Die Verkehrsberuhigungsmaßnahmen erfordern Abstimmungsgespräche."
    assert readability_refusal(None, {"text": hard}) is None
    assert readability_refusal(50, {"text": "Wir bauen einen Weg."}) is None
    with translation.override("de"):
        refusal = readability_refusal(50, {"text": hard, "summary": "Kurz und gut."})
    assert set(refusal.message_dict) == {"text"}
    (message,) = refusal.message_dict["text"]
    assert "Lesbarkeit 0, verlangt sind mindestens 50" in message
    assert f"„{hard}“" in message
