"""Numbers written as digits or as Russian, Ukrainian and English words, with their offsets."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pymorphy3

from transforms.regex_gate import compile_gated


@dataclass(frozen=True)
class NumberMention:
    """One number in a text: its value, where it is, and the bound the text puts on it."""

    value: int
    start: int
    end: int
    qualifier: str  # exact, at_least, at_most, approx


_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "thousand": 1000, "dozen": 12,
}

# Lemmas (pymorphy3 normal forms) of Russian and Ukrainian cardinals.
_SLAVIC_LEMMAS = {
    "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17,
    "восемнадцать": 18, "девятнадцать": 19, "двадцать": 20, "тридцать": 30, "сорок": 40,
    "пятьдесят": 50, "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90,
    "сто": 100, "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "шестьсот": 600,
    "семьсот": 700, "восемьсот": 800, "девятьсот": 900, "тысяча": 1000,
    "оба": 2, "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7,
    "чотири": 4, "п'ять": 5, "шість": 6, "сім": 7, "вісім": 8, "дев'ять": 9, "десять": 10,
    "одинадцять": 11, "дванадцять": 12, "тринадцять": 13, "чотирнадцять": 14,
    "п'ятнадцять": 15, "шістнадцять": 16, "сімнадцять": 17, "вісімнадцять": 18,
    "дев'ятнадцять": 19, "двадцять": 20, "тридцять": 30, "п'ятдесят": 50, "шістдесят": 60,
    "сімдесят": 70, "вісімдесят": 80, "дев'яносто": 90, "двісті": 200, "триста": 300,
    "чотириста": 400, "п'ятсот": 500, "тисяча": 1000, "одна": 1, "дві": 2, "обидва": 2,
}
# Words pymorphy3 does not lemmatise to the forms above.
_SLAVIC_FORMS = {
    "одну": 1, "одного": 1, "одному": 1, "одним": 1, "одной": 1, "одно": 1, "одна": 1,
    "однієї": 1, "одну": 1, "одне": 1, "дві": 2, "двох": 2, "двома": 2, "двум": 2, "двумя": 2,
    "трьох": 3, "трьома": 3, "чотирьох": 4, "сім": 7, "семи": 7, "сімох": 7, "восьми": 8,
    "вісьмох": 8, "сорока": 40, "сорок": 40, "ста": 100, "сот": 100,
}

_QUALIFIERS: tuple[tuple[str, str], ...] = (
    (r"(?:more|greater|no fewer|no less) than|at least|over|upwards of|in excess of|"
     r"более(?: чем)?|больше|свыше|не менее|не меньше|по меньшей мере|как минимум|минимум|"
     r"понад|більше(?: ніж)?|щонайменше|не менше|принаймні|як мінімум|мінімум", "at_least"),
    (r"up to|at most|no more than|fewer than|less than|до|не более|не больше|менее|меньше|"
     r"не більше|менше|максимум", "at_most"),
    (r"about|around|approximately|roughly|nearly|almost|some|около|порядка|примерно|почти|"
     r"приблизно|близько|майже|порядку", "approx"),
)
_QUALIFIER_RE = [(compile_gated(r"(?:^|[^\w])(?:" + pat + r")\s*$", re.I), q) for pat, q in _QUALIFIERS]

_TOKEN = compile_gated(r"\d+(?:(?:[ \u00a0\u202f]|,(?=\d{3}(?!\d)))\d{3})*(?![\d])|[^\W\d_]+(?:['’][^\W\d_]+)*", re.U)


@lru_cache(maxsize=2)
def _morph(lang: str) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang=lang)


@lru_cache(maxsize=65536)
def word_value(word: str, lang: str) -> int | None:
    """Value of one number word ("одиннадцати" -> 11, "eleven" -> 11), else None."""
    w = word.lower().replace("’", "'")
    if lang == "en":
        return _EN_UNITS.get(w)
    if w in _SLAVIC_FORMS:
        return _SLAVIC_FORMS[w]
    if len(w) < 3 and w not in ("сто",):
        return None
    for parse in _morph("uk" if lang == "uk" else "ru").parse(w):
        tag = parse.tag
        if parse.normal_form in _SLAVIC_LEMMAS and (
            "NUMR" in tag or parse.normal_form in ("один", "одна", "тысяча", "тисяча", "оба", "обидва")
        ):
            return _SLAVIC_LEMMAS[parse.normal_form]
    return None


def _qualifier(text: str, start: int) -> str:
    before = text[max(0, start - 30):start]
    for rx, q in _QUALIFIER_RE:
        if rx.search(before):
            return q
    return "exact"


def find_numbers(text: str, lang: str) -> list[NumberMention]:
    """Numbers in text order: digit groups ("1 200") and runs of number words ("двадцать четыре").

    >>> [(n.value, n.qualifier) for n in find_numbers("более двадцати четырёх дронов", "ru")]
    [(24, 'at_least')]
    """
    out: list[NumberMention] = []
    run: list[tuple[int, int, int]] = []  # (value, start, end) of consecutive number words

    def flush() -> None:
        if not run:
            return
        total, current = 0, 0
        for value, _, _ in run:
            if value >= 1000:
                total += max(current, 1) * value
                current = 0
            elif value == 100 and current and current < 100:
                current *= 100
            else:
                current += value
        total += current
        s, e = run[0][1], run[-1][2]
        out.append(NumberMention(total, s, e, _qualifier(text, s)))
        run.clear()

    prev_end = 0
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if run and tok.lower() == "and":
            continue
        between = text[prev_end:m.start()]
        joinable = bool(run) and re.fullmatch(r"\s+(?:and\s+)?|-", between or "x") is not None
        if not joinable:
            flush()
        if tok[0].isdigit():
            flush()
            value = int(re.sub(r"\D", "", tok))
            out.append(NumberMention(value, m.start(), m.end(), _qualifier(text, m.start())))
        else:
            if run and re.fullmatch(r"(?i)десят(?:ок|ка|ки|ків|ков|ками)", tok) and run[-1][0] < 10:
                # "два десятки" = 20 ("десятки" alone is vague and no number)
                value, rs, _ = run[-1]
                run[-1] = (value * 10, rs, m.end())
                prev_end = m.end()
                continue
            v = word_value(tok, lang)
            if v is None and lang != "en" and tok.isascii():
                v = word_value(tok, "en")
            if v is None:
                flush()
            elif run and (v >= run[-1][0] and v < 100 or (run[-1][0] < 10 and v < 100)):
                # "два три" is not one number: a new run starts
                flush()
                run.append((v, m.start(), m.end()))
            else:
                run.append((v, m.start(), m.end()))
        prev_end = m.end()
    flush()
    return out
