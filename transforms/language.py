"""Language of a document: ru, uk or en, from the letters it uses."""
from __future__ import annotations

import polars as pl

_CYRILLIC = r"[а-яА-ЯёЁіІїЇєЄґҐ]"
_LATIN = r"[A-Za-z]"
_UK_ONLY = r"[іІїЇєЄґҐ]"
_RU_ONLY = r"[ыЫэЭъЪёЁ]"


def language_expr(text: pl.Expr) -> pl.Expr:
    """ru / uk / en from letter counts; null when the text has no letters.

    Latin majority -> en; otherwise the Cyrillic letters only Ukrainian uses (іїєґ) against the
    ones only Russian uses (ыэъё) decide.
    """
    cyr = text.str.count_matches(_CYRILLIC)
    lat = text.str.count_matches(_LATIN)
    uk = text.str.count_matches(_UK_ONLY)
    ru = text.str.count_matches(_RU_ONLY)
    return (
        pl.when((cyr + lat) == 0).then(pl.lit(None, pl.String))
        .when(lat > cyr).then(pl.lit("en"))
        .when(uk > ru).then(pl.lit("uk"))
        .otherwise(pl.lit("ru"))
    )


def detect_languages(documents: pl.DataFrame) -> pl.DataFrame:
    """Documents with a null `lang` filled in (ru, uk, en); given languages are kept, and only the
    texts without one are read (counting letters is the costly part)."""
    missing = documents["lang"].is_null()
    if not missing.any():
        return documents
    detected = documents.filter(missing).select(language_expr(pl.col("text").fill_null(""))).to_series()
    return documents.with_columns(documents["lang"].clone().scatter(missing.arg_true(), detected).alias("lang"))
