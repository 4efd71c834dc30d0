from __future__ import annotations

import polars as pl
from polars.testing import assert_series_equal

from transforms.language import detect_languages


def test_fills_only_missing_languages() -> None:
    docs = pl.DataFrame({
        "text": ["Над областью сбиты два беспилотника, сообщил губернатор.",
                 "Над областю збито два безпілотники, повідомив голова ОВА.",
                 "Air defence destroyed two drones, the governor said.",
                 "Some English text", ""],
        "lang": [None, None, None, "ru", None],
    })
    out = detect_languages(docs)
    assert_series_equal(out["lang"], pl.Series("lang", ["ru", "uk", "en", "ru", None]))


def test_languages_given_for_every_document_are_kept_as_they_are() -> None:
    docs = pl.DataFrame({"text": ["Над областью сбиты два беспилотника."], "lang": ["en"]})
    assert detect_languages(docs)["lang"].to_list() == ["en"]


def test_no_language_given_at_all() -> None:
    docs = pl.DataFrame({"text": ["Над областю збито два безпілотники.", "Two drones."],
                         "lang": pl.Series([None, None], dtype=pl.String)})
    assert detect_languages(docs)["lang"].to_list() == ["uk", "en"]
