from __future__ import annotations

import re

import pytest

from transforms.speakers import find_speakers


@pytest.mark.parametrize(
    ("text", "role", "region"),
    [
        ("Об этом сообщил губернатор Иван Петров.", "regional_head", None),
        ("Minister said nothing; the Russian Ministry of Defence reported.", "defence_ministry", None),
        ("Как сообщило Минобороны России, атака отражена.", "defence_ministry", None),
        ("Про це повідомили в Повітряних силах ЗСУ.", "military", None),
        ("Мэр Москвы Сергей Собянин написал в канале.", "city_head", "RU-MOW"),
        ("за словами Попка, атаку відбито", "city_head", "UA-30"),
        ("the region's governor, Vladislav Shapsha, said", "regional_head", "RU-KLU"),
        ("голова Дніпропетровської ОВА повідомив", "regional_head", None),
    ],
)
def test_roles(text: str, role: str, region: str | None) -> None:
    found = find_speakers(text)
    assert found, text
    best = next((m for m in found if m.region_code), found[0])
    assert best.role == role
    assert best.region_code == region
    assert text[best.start:best.end] == best.speaker


def test_air_defence_forces_are_not_a_speaker() -> None:
    assert not [m for m in find_speakers("Air defense forces destroyed two drones.") if m.role == "military"]


def test_every_official_name_is_capitalised_as_the_lookahead_of_the_officials_pattern_needs() -> None:
    from transforms.speakers import OFFICIALS

    for pattern, _, _ in OFFICIALS:
        for name in pattern.split("|"):
            assert re.match(r"[A-ZА-ЯЁІЇЄ]", name), f"{name!r} in OFFICIALS does not start with a capital"
