from __future__ import annotations

from transforms.breakdowns import (
    drop_type_breakdowns,
    is_list_item,
    link_breakdowns,
    link_region_tallies,
    mark_unplaced_totals,
)
from transforms.claims import Claim


def _text(*sentences: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    text, spans = "", []
    for s in sentences:
        spans.append((len(text), len(text) + len(s)))
        text += s + " "
    return text, tuple(spans)


def _claim(sent: int, count: int, region: str | None, outcome: str = "intercepted", num_start: int = 0) -> Claim:
    return Claim(sent=sent, count=count, qualifier="exact", outcome=outcome, region=region, num_start=num_start)


def test_a_figure_over_no_region_is_the_total_of_the_regions_told_with_it() -> None:
    text, spans = _text("Сбито 7 беспилотников.", "Над Курской областью — 3, над Брянской — 4.")
    claims = [_claim(0, 7, None), _claim(1, 3, "RU-KRS"), _claim(1, 4, "RU-BRY")]
    link_breakdowns(claims, text, spans, "ru")
    assert claims[0].is_total and [c.parent for c in claims] == [None, 0, 0]


def test_another_outcome_is_no_item() -> None:
    text, spans = _text("Сбито 7 беспилотников.", "Над Курской областью упали 3.")
    claims = [_claim(0, 7, None), _claim(1, 3, "RU-KRS", outcome="crashed")]
    link_breakdowns(claims, text, spans, "ru")
    assert claims[1].parent is None and not claims[0].is_total


def test_a_regions_tally_of_its_updates() -> None:
    text, spans = _text("Сбиты 2.", "Ещё 1.", "Ещё 2.", "Всего за ночь 5.")
    claims = [_claim(0, 2, "RU-BEL"), _claim(1, 1, "RU-BEL"), _claim(2, 2, "RU-BEL"), _claim(3, 5, "RU-BEL")]
    link_region_tallies(claims, text, spans)
    assert claims[3].is_total and [c.parent for c in claims] == [3, 3, 3, None]


def test_a_split_by_type_is_dropped_and_the_rest_over_no_region_are_totals() -> None:
    text, spans = _text("Сбито 5 беспилотников.", "Из них 3 типа Шахед и 2 другого типа.")
    claims = drop_type_breakdowns([_claim(0, 5, None), _claim(1, 3, None), _claim(1, 2, None)], text, spans, "ru")
    assert [c.count for c in claims] == [5]
    mark_unplaced_totals(claims)
    assert claims[0].is_total


def test_list_items() -> None:
    assert is_list_item("- 3 над Курской областью", "ru")
    assert is_list_item("• три над Брянской областью", "ru")
    assert not is_list_item("Губернатор сообщил об атаке.", "ru")
