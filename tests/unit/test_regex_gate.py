"""The first-character look-ahead changes how fast a pattern is, never what it matches."""
from __future__ import annotations

import re

import pytest

from transforms import claims, mentions, numbers, places, speakers, windows
from transforms.regex_gate import compile_gated, gated

TEXTS = [
    "Над Брянской областью сбиты 8 беспилотников, сообщил губернатор Александр Богомаз.",
    "ПОВІТРЯНІ СИЛИ: у ніч на 9 червня збито 37 БпЛА, ще 28 локаційно втрачені.",
    "The Ministry of Defence said 20 UAVs were destroyed over the past 24 hours; one fell.",
    "ſhot down and KILLED (Kelvin sign), İstanbul, ǅ — odd case-folding letters",
    "from 22:10 to 23:40 MSK, between 7 a.m. and 9 a.m.; this evening",
    "",
]


@pytest.mark.parametrize("pattern, flags", [
    (r"(?:more|greater) than|\bсбит|(?<!\w)ПВО|k\w+", re.I),
    (r"(?:в период )?(?:с|з|from)\s+(\d{1,2})[:.](\d{2})", re.I),
    (r"\bSHOT\b|\bMash\b|[Tt]elegram", 0),
    (r"[A-ZА-Я]\w+ (?:region|области)", 0),
])
def test_a_gated_pattern_matches_exactly_what_the_pattern_matches(pattern, flags):
    plain, fast = re.compile(pattern, flags), compile_gated(pattern, flags)
    assert fast.pattern != pattern  # the gate is there
    for text in TEXTS:
        for lo in range(0, len(text) + 1, 7):
            for hi in (len(text), max(lo, len(text) - 5)):
                assert [(m.span(), m.groups()) for m in plain.finditer(text, lo, hi)] == \
                       [(m.span(), m.groups()) for m in fast.finditer(text, lo, hi)]


def test_case_insensitive_gate_admits_every_case_variant():
    # "K" (Kelvin sign) and "ſ" (long s) match k and s case-insensitively: the gate must let them in
    assert compile_gated(r"kill|shot", re.I).findall("KILL ſhot") == re.findall(r"kill|shot", "KILL ſhot", re.I)


@pytest.mark.parametrize("pattern", [r"\w+ night", r"(?=a)b", r"x?", r"(?s).+?\.", r".*"])
def test_a_pattern_without_known_first_characters_is_left_as_it_is(pattern):
    assert gated(pattern) == pattern


def test_every_gated_module_pattern_still_matches_as_before():
    """The extraction modules compile through the gate; each pattern agrees with its plain self."""
    seen = 0
    for module in (claims, mentions, numbers, places, speakers, windows):
        for value in vars(module).values():
            rxs = [value] if isinstance(value, re.Pattern) else [v[-1] for v in value] if (
                isinstance(value, list) and value and isinstance(value[0], tuple)
                and isinstance(value[0][-1], re.Pattern)) else []
            for rx in rxs:
                if not rx.pattern.startswith("(?=(?i:["):
                    continue
                inner = rx.pattern[rx.pattern.index("]))(?:") + 6:-1]
                plain = re.compile(inner, rx.flags)
                for text in TEXTS:
                    assert [m.span() for m in plain.finditer(text)] == [m.span() for m in rx.finditer(text)]
                seen += 1
    assert seen >= 30
