from __future__ import annotations

import pytest

from transforms.mentions import Mention, classify_numbers, outcome_at, singular_mentions


def test_a_figure_with_its_noun_and_one_with_the_noun_left_out() -> None:
    sentence = "Над Брянской областью уничтожены 12 беспилотников, над Курской — 5."
    assert [(m.value, m.kind) for m in classify_numbers(sentence, "ru")] == [(12, "drone"), (5, "elliptic")]


@pytest.mark.parametrize("sentence,lang", [
    ("В 2024 году Shahed-136 ранили 3 человек.", "ru"),      # a year, a model number, people
    ("22 out of 35 missiles were destroyed.", "en"),          # missiles, not drones
])
def test_numbers_that_count_no_drones(sentence: str, lang: str) -> None:
    assert classify_numbers(sentence, lang) == []


def test_a_case_ending_belongs_to_the_number() -> None:
    sentence = "За ніч збито 37-ми дронів."
    (m,) = classify_numbers(sentence, "uk")
    assert (m.value, sentence[m.start:m.end]) == (37, "37-ми")


def test_a_single_drone_without_a_number() -> None:
    sentence = "Беспилотник был сбит над Курском."
    assert singular_mentions(sentence, "ru", []) == [Mention(1, 0, 11, "exact", "single", False)]


def test_the_outcome_nearest_each_figure() -> None:
    sentence = "Russia launched 10 drones, 8 of them were shot down."
    ten, eight = sentence.index("10"), sentence.index("8")
    assert outcome_at(sentence, ten, ten + 2) == "launched"
    assert outcome_at(sentence, eight, eight + 1, lo=eight) == "intercepted"
