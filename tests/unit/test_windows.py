from __future__ import annotations

from datetime import datetime, timezone

import pytest

from transforms.windows import find_window, resolve_window

UTC = timezone.utc


@pytest.mark.parametrize(
    ("sentence", "lang", "expected"),
    [
        ("в период с 20:00 до 23:00 мск уничтожены 5 БПЛА", "ru", "в период с 20:00 до 23:00 мск"),
        ("в ночь на 25 ноября сбиты дроны", "ru", "в ночь на 25 ноября"),
        ("за минувшие сутки сбиты 5 дронов", "ru", "за минувшие сутки"),
        ("5 drones over the past 24 hours", "en", "over the past 24 hours"),
        ("20 drones in a four-hour window", "en", "in a four-hour window"),
        ("станом на 09:00 збито 40 дронів", "uk", "станом на 09:00"),
        ("Five drones were downed overnight", "en", "overnight"),
        ("Two drones were downed", "en", None),
    ],
)
def test_find_window(sentence: str, lang: str, expected: str | None) -> None:
    assert find_window(sentence, lang) == expected


def test_moscow_time_range_is_utc_plus_3() -> None:
    start, end = resolve_window("в период с 20:00 до 23:00 мск", datetime(2025, 11, 24, 21, 0, tzinfo=UTC))
    assert (start, end) == (datetime(2025, 11, 24, 17, 0, tzinfo=UTC), datetime(2025, 11, 24, 20, 0, tzinfo=UTC))


def test_kyiv_time_follows_dst() -> None:
    _, summer = resolve_window("станом на 09:00", datetime(2025, 7, 1, 8, 0, tzinfo=UTC), "uk")
    _, winter = resolve_window("станом на 09:00", datetime(2025, 1, 10, 8, 0, tzinfo=UTC), "uk")
    assert summer == datetime(2025, 7, 1, 6, 0, tzinfo=UTC)
    assert winter == datetime(2025, 1, 10, 7, 0, tzinfo=UTC)


def test_night_to_a_date() -> None:
    start, end = resolve_window("в ночь на 25 ноября", datetime(2025, 11, 25, 6, 0, tzinfo=UTC))
    assert end == datetime(2025, 11, 25, 4, 0, tzinfo=UTC)
    assert start == datetime(2025, 11, 24, 18, 0, tzinfo=UTC)


def test_past_day_ends_at_publication() -> None:
    pub = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
    assert resolve_window("за минувшие сутки", pub) == (datetime(2025, 3, 1, 9, 30, tzinfo=UTC), pub)


def test_unknown_without_a_date() -> None:
    assert resolve_window("overnight", None) == (None, None)


def test_the_north_is_no_night() -> None:
    assert find_window("Збито 52 ворожі БпЛА на півночі та сході країни.", "uk") is None


@pytest.mark.parametrize(
    "phrase", ["С 20 до 23 часов по московскому времени", "between 8 p.m. and 11 p.m. Moscow time"],
)
def test_ranges_in_whole_hours(phrase: str) -> None:
    assert find_window(phrase + " 13 drones were destroyed", "en") == phrase
    start, end = resolve_window(phrase, datetime(2025, 6, 10, 21, 0, tzinfo=UTC))
    assert (start, end) == (datetime(2025, 6, 10, 17, 0, tzinfo=UTC), datetime(2025, 6, 10, 20, 0, tzinfo=UTC))


def test_as_of_a_later_hour_than_publication_is_yesterday() -> None:
    # published at 00:00 Kyiv time: "as of 09:00" can only be the morning before
    _, end = resolve_window("станом на 09:00", datetime(2025, 6, 10, 21, 0, tzinfo=UTC), "uk")
    assert end == datetime(2025, 6, 10, 6, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("в период с 20:00 мск до 23:00 мск сбиты 5 БПЛА", "в период с 20:00 мск до 23:00 мск"),
        ("Between 8:00 p.m. Moscow time (5:00 p.m. GMT) and 11:00 p.m. Moscow time, 41 drones",
         "Between 8:00 p.m. Moscow time (5:00 p.m. GMT) and 11:00 p.m. Moscow time"),
        ("За минувшую ночь средства ПВО уничтожили 32 беспилотника", "За минувшую ночь"),
        ("В течение трех часов ПВО уничтожили 13 беспилотников", "В течение трех часов"),
        ("Другу ніч поспіль захисники неба збили всі п'ять шахедів", "Другу ніч поспіль"),
    ],
)
def test_more_window_phrases(sentence: str, expected: str) -> None:
    assert find_window(sentence, "ru") == expected


def test_pm_range_in_moscow_time() -> None:
    start, end = resolve_window("Between 8:00 p.m. Moscow time (5:00 p.m. GMT) and 11:00 p.m. Moscow time",
                                datetime(2025, 1, 4, 21, 0, tzinfo=UTC))
    assert (start, end) == (datetime(2025, 1, 4, 17, 0, tzinfo=UTC), datetime(2025, 1, 4, 20, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [("Two drones were shot down on Wednesday afternoon", "on Wednesday afternoon"),
     ("Nine drones headed for Moscow were destroyed early Friday", "early Friday"),
     ("В воскресенье над областью сбиты 3 БПЛА", "В воскресенье")],
)
def test_a_weekday_is_kept_as_written_and_left_unresolved(sentence: str, expected: str) -> None:
    assert find_window(sentence, "en") == expected
    assert resolve_window(expected, datetime(2025, 1, 1, tzinfo=UTC)) == (None, None)
