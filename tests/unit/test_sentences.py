from __future__ import annotations

import polars as pl

from transforms.sentences import split_sentences


def _sentences(text: str) -> list[tuple[str, bool]]:
    out = split_sentences(pl.DataFrame({"id": ["d"], "text": [text]}))
    return [(text[r["start"]:r["end"]], r["drone"]) for r in out.iter_rows(named=True)]


def test_offsets_index_the_original_text() -> None:
    text = "  Над г. Курском сбит БПЛА. Об этом сообщил В. Иванов!\nЗаголовок\n\nThe U.S. said 3.5 things.  "
    assert _sentences(text) == [
        ("Над г. Курском сбит БПЛА.", True),
        ("Об этом сообщил В. Иванов!", False),
        ("Заголовок", False),
        ("The U.S. said 3.5 things.", False),
    ]


def test_prefilter_flags_drone_sentences_in_three_languages() -> None:
    text = "Збито 5 шахедів. Погода гарна. Two UAVs were downed. Ударних безпілотників було 3."
    assert [d for _, d in _sentences(text)] == [True, False, True, True]


def test_empty_and_null_texts() -> None:
    out = split_sentences(pl.DataFrame({"id": ["a", "b"], "text": ["", None]}, schema={"id": pl.String, "text": pl.String}))
    assert out.height == 0


def test_a_full_stop_glued_to_the_next_sentence_still_ends_it() -> None:
    text = "Ночью сбиты 5 дронов.Над г.Курском сбит БПЛА, сообщил В.Иванов. Это 3.5 км от example.org/news."
    assert [t for t, _ in _sentences(text)] == [
        "Ночью сбиты 5 дронов.",
        "Над г.Курском сбит БПЛА, сообщил В.Иванов.",
        "Это 3.5 км от example.org/news.",
    ]


def test_am_pm_does_not_end_a_sentence() -> None:
    text = "Between 9:00 p.m. Moscow time (6:00 p.m. GMT) and 10:00 p.m. three drones were downed. Next."
    assert [t for t, _ in _sentences(text)] == [
        "Between 9:00 p.m. Moscow time (6:00 p.m. GMT) and 10:00 p.m. three drones were downed.", "Next."]
