"""Time windows of claims: the phrase as written and, when the date allows, its UTC bounds."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from transforms.regex_gate import compile_gated
MOSCOW = ZoneInfo("Europe/Moscow")
KYIV = ZoneInfo("Europe/Kyiv")

_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6, "июл": 7, "август": 8,
    "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12, "січ": 1, "лют": 2, "берез": 3,
    "квіт": 4, "трав": 5, "черв": 6, "лип": 7, "серп": 8, "верес": 9, "жовт": 10, "листопад": 11,
    "груд": 12, "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|січ|лют|берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)\w*"

# Most specific first; the first that matches is the window of the sentence.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("range", r"(?:в период |в промежутке |у період |за період )?(?:с|з|from|between)\s+(\d{1,2})[:.](\d{2})(?:\s*(?P<ap1>[ap])\.?m\.?)?(?:\s*(?:мск|MSK|Moscow time))?(?:\s*\([^()]{0,30}\))?\s+(?:до|по|to|and|till|until)\s+(\d{1,2})[:.](\d{2})(?:\s*(?P<ap2>[ap])\.?m\.?)?(?:\s+(?:мск|по московскому времени|по киевскому времени|Moscow time|MSK|за київським часом))?"),
    ("range_h", r"(?:в период |в промежутке |у період |за період )?(?:с|з|from|between)\s+(\d{1,2})\s*([ap]\.?m\.?)?\s+(?:до|по|to|and|till|until)\s+(\d{1,2})\s*(?:(?:час\w*|годин\w*)|([ap]\.?m\.?))(?:\s+(?:мск|по московскому времени|по киевскому времени|Moscow time|MSK|за київським часом))?"),
    ("night_to", r"(?:в|у) ніч (?:на|проти) (?:\w+,\s+)?(\d{1,2})\s+(" + _MONTH + r")|в ночь (?:на|с \w+ на) (?:\w+,\s+)?(\d{1,2})\s+(" + _MONTH + r")"),
    ("night", r"(?<!\w)(?:(?:в|у) ніч (?:на|проти) \w+|в ночь на \w+|(?:этой|минувшей|прошедшей|прошлой) ночью|в течение (?:прошедшей|минувшей) ночи|(?:минулої|цієї) ночі|вночі|ночью|за ніч|за ночь|за (?:минувшую|прошедшую|прошлую|эту) ночь|за (?:минулу|цю) ніч|\w+ ніч поспіль|\w+ ночь подряд|(?:second|third|fourth) (?:straight )?night(?: in a row)?|overnight|(?:last|this past|past|the) night|during the night)(?!\w)"),
    ("day", r"over the course of a (?:single )?day|in a single day|за (?:минувшие|прошедшие|последние) сутки|за сутки|за добу|за минулу добу|over the past (?:24 hours|day)|in the past (?:24 hours|day)|in (?:the last|the past) 24 hours|over the last 24 hours"),
    ("hours", r"(?:in|over|during|within) (?:a|the past|the last) (?:\w+[- ])?hour(?:s)?(?:[- ]window| period)?|за (?:последние |минувшие )?\w+ час\w*|за \w+ годин\w*|в течение (?:\w+ )?час\w*|протягом (?:\w+ )?годин\w*"),
    ("as_of", r"станом на (\d{1,2})[:.](\d{2})|по состоянию на (\d{1,2})[:.](\d{2})|as of (\d{1,2})[:.](\d{2})"),
    ("weekday", r"\b(?:(?:early|late) )?(?:on )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?: (?:morning|afternoon|evening|night))?\b|"
                r"(?<!\w)(?:в|во|у) (?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье|понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю)(?!\w)"),
    ("today", r"\btoday\b|\bсегодня\b|\bсьогодні\b|this morning|this evening|утром|вечером|днем|днём|вранці|ввечері"),
)
_COMPILED = [(k, compile_gated(p, re.I)) for k, p in _PATTERNS]


def find_window(sentence: str, lang: str) -> str | None:
    """The time-window phrase of a sentence as written, else None."""
    for _, rx in _COMPILED:
        m = rx.search(sentence)
        if m:
            return m.group(0)
    return None


def _zone(text: str, lang: str | None) -> ZoneInfo:
    if re.search(r"мск|московск|moscow", text, re.I):
        return MOSCOW
    return KYIV if lang == "uk" or re.search(r"київ|киев|kyiv|kiev|[іїєґ]", text, re.I) else MOSCOW


def resolve_window(
    window_text: str | None, published_at: datetime | None, lang: str | None = None
) -> tuple[datetime | None, datetime | None]:
    """UTC bounds of a window phrase, read against the publication time; (None, None) if unknown.

    Moscow time unless the text is Ukrainian or names Kyiv time (Europe/Kyiv, with DST).
    A night is 21:00-07:00 local; "the past 24 hours" ends at publication.
    """
    if not window_text or published_at is None:
        return None, None
    if published_at.tzinfo is None:
        published_at = published_at.replace(tzinfo=timezone.utc)
    tz = _zone(window_text, lang)
    local = published_at.astimezone(tz)
    day = local.date()
    for kind, rx in _COMPILED:
        m = rx.search(window_text)
        if not m:
            continue
        g = [x for x in m.groups() if x is not None]
        if kind in ("range", "range_h"):
            if kind == "range":
                h1, m1, h2, m2 = (int(m.group(k)) for k in (1, 2, 4, 5))
                h1 += 12 if (m.group("ap1") or m.group("ap2") or "").lower() == "p" and h1 < 12 else 0
                h2 += 12 if (m.group("ap2") or "").lower() == "p" and h2 < 12 else 0
            else:
                # "с 20 до 23 часов", "between 8 p.m. and 11 p.m."
                a1, a2 = (m.group(2) or m.group(4) or "").lower(), (m.group(4) or "").lower()
                h1, h2, m1, m2 = int(m.group(1)), int(m.group(3)), 0, 0
                h1 += 12 if a1.startswith("p") and h1 < 12 else 0
                h2 += 12 if a2.startswith("p") and h2 < 12 else 0
            if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
                return None, None
            end_day = day
            start = datetime.combine(day, time(h1, m1), tz)
            end = datetime.combine(end_day, time(h2 % 24, m2), tz)
            if end <= start:
                start -= timedelta(days=1)
            if end > local + timedelta(hours=1):
                start -= timedelta(days=1)
                end -= timedelta(days=1)
            return start.astimezone(timezone.utc), end.astimezone(timezone.utc)
        if kind == "night_to":
            d, month_word = int(g[0]), g[1].lower()
            month = next((v for k, v in _MONTHS.items() if month_word.startswith(k)), None)
            if month is None:
                return None, None
            year = day.year if month <= day.month + 1 else day.year - 1
            try:
                night_end = datetime(year, month, d, 7, 0, tzinfo=tz)
            except ValueError:
                return None, None
            return (night_end - timedelta(hours=10)).astimezone(timezone.utc), night_end.astimezone(timezone.utc)
        if kind == "night":
            end = datetime.combine(day, time(7, 0), tz)
            if local < end:
                end = local
            start = datetime.combine(day - timedelta(days=1), time(21, 0), tz)
            return start.astimezone(timezone.utc), end.astimezone(timezone.utc)
        if kind == "day":
            return (published_at - timedelta(hours=24)).astimezone(timezone.utc), published_at.astimezone(timezone.utc)
        if kind == "as_of":
            h, mi = int(g[0]), int(g[1])
            if h > 23 or mi > 59:
                return None, None
            end = datetime.combine(day, time(h, mi), tz)
            if end > local + timedelta(hours=1):
                end -= timedelta(days=1)  # "станом на 09:00" published before nine: yesterday's nine
            return None, end.astimezone(timezone.utc)
        if kind == "today":
            start = datetime.combine(day, time(0, 0), tz)
            return start.astimezone(timezone.utc), published_at.astimezone(timezone.utc)
        return None, None
    return None, None
