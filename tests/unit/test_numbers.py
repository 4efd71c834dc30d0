from __future__ import annotations

import pytest

from transforms.numbers import find_numbers, word_value


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("сбиты 20 БПЛА", "ru", [(20, "exact")]),
        ("одиннадцать беспилотников", "ru", [(11, "exact")]),
        ("одиннадцати беспилотников", "ru", [(11, "exact")]),
        ("двух дронов", "ru", [(2, "exact")]),
        ("двадцать четыре дрона", "ru", [(24, "exact")]),
        ("одинадцять дронів", "uk", [(11, "exact")]),
        ("п’ять шахедів", "uk", [(5, "exact")]),
        ("eleven drones", "en", [(11, "exact")]),
        ("twenty-four drones", "en", [(24, "exact")]),
        ("two hundred and five drones", "en", [(205, "exact")]),
        ("more than 60 drones", "en", [(60, "at_least")]),
        ("более 60 беспилотников", "ru", [(60, "at_least")]),
        ("понад 40 дронів", "uk", [(40, "at_least")]),
        ("at least 7 drones", "en", [(7, "at_least")]),
        ("около 30 беспилотников", "ru", [(30, "approx")]),
        ("about 30 drones", "en", [(30, "approx")]),
        ("up to 30 drones", "en", [(30, "at_most")]),
        ("1 200 дронов", "ru", [(1200, "exact")]),
    ],
)
def test_find_numbers(text: str, lang: str, expected: list[tuple[int, str]]) -> None:
    assert [(n.value, n.qualifier) for n in find_numbers(text, lang)] == expected


def test_offsets_point_at_the_number() -> None:
    text = "ПВО сбили двадцать четыре дрона"
    (n,) = find_numbers(text, "ru")
    assert text[n.start:n.end] == "двадцать четыре"


def test_ordinals_and_ordinary_words_are_not_numbers() -> None:
    assert word_value("второй", "ru") is None
    assert word_value("пятница", "ru") is None
    assert word_value("drone", "en") is None


def test_english_thousands_separator() -> None:
    assert [n.value for n in find_numbers("1,200 drones and 3,5 km", "en")] == [1200, 3, 5]
