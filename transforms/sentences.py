"""Sentences of documents with their character offsets, and the cheap drone pre-filter."""
from __future__ import annotations

import polars as pl

# Every character belongs to exactly one piece: the lazy body stops after sentence punctuation
# followed by whitespace or glued to a capitalised word ("дронов.Над"), after a run of newlines,
# or at the end of the text.
_PIECE = r"(?s).+?(?:[.!?…]+[\"»”“')\]]*(?:\s+|$)|[.!?…]+|\n+|$)"

# A piece ending like this did not end a sentence ("г. Москва", "В. Шапша", "Sept. 3").
_ABBREV_END = (
    r"(?:^|[\s(])(?:[гГ]|обл|ул|им|тыс|млн|пос|р-н|св|ст|т\.\s?е|т\.\s?к|[A-ZА-ЯЁІЇЄ]|Jan|Feb|Mar|"
    r"Apr|Aug|Sept?|Oct|Nov|Dec|Mr|Mrs|Dr|Gen|Lt|Col|St|U\.S|vs|No|[ap]\.\s?m|[a-z])\.$"
)

# Lower-cased stems that make a sentence worth parsing. Deliberately broad: the parser rejects.
DRONE_PATTERN = (
    r"дрон|беспилот|бпла|безпілот|бпла|uav|drone|ударн|шахед|shahed|герань|geran|"
    r"летательн\w* аппарат|літальн\w* апарат|unmanned|камикадзе|kamikaze|квадрокоптер|коптер|"
    r"аппарат\w* самол[её]тного типа|апарат\w* літакового типу"
)



def mentions_drones(text: pl.Expr) -> pl.Expr:
    """Whether a text holds one of the DRONE_PATTERN stems, in any case (a case-insensitive match:
    3x faster than lower-casing every text first)."""
    return text.str.contains(f"(?i){DRONE_PATTERN}")


SENTENCE_SCHEMA: dict[str, pl.DataType] = {
    "document_id": pl.String,
    "sent_no": pl.Int32,     # 0-based order in the document
    "start": pl.Int64,       # text[start:end] is the sentence, stripped of surrounding space
    "end": pl.Int64,
    "drone": pl.Boolean,     # mentions drones (the pre-filter)
}
"""One row per sentence of a document."""


def split_sentences(documents: pl.DataFrame) -> pl.DataFrame:
    """One row per sentence (SENTENCE_SCHEMA) of every document, with the drone flag.

    Pieces that end in an abbreviation, or are followed by a piece starting in lower case, are
    glued to the next one; newlines always end a sentence.
    """
    pieces = (
        documents.lazy()
        .select(pl.col("id").alias("document_id"), pl.col("text").fill_null("").str.extract_all(_PIECE).alias("piece"))
        .explode("piece")
        .drop_nulls("piece")
        .with_columns(n=pl.col("piece").str.len_chars().cast(pl.Int64))
        .with_columns(stop=pl.col("n").cum_sum().over("document_id"))
        .with_columns(
            lead=pl.col("n") - pl.col("piece").str.strip_chars_start().str.len_chars().cast(pl.Int64),
            trail=pl.col("n") - pl.col("piece").str.strip_chars_end().str.len_chars().cast(pl.Int64),
            body=pl.col("piece").str.strip_chars(),
            hard=pl.col("piece").str.contains(r"\n"),
        )
        .filter(pl.col("body").str.len_chars() > 0)
        .with_columns(
            start=pl.col("stop") - pl.col("n") + pl.col("lead"),
            end=pl.col("stop") - pl.col("trail"),
            drone=mentions_drones(pl.col("body")),
        )
        .with_columns(
            glue=(
                (~pl.col("hard").shift(1).over("document_id").fill_null(True))
                & (
                    pl.col("body").shift(1).over("document_id").str.contains(_ABBREV_END).fill_null(False)
                    # "22:10. Сбит ещё один БПЛА": a timestamp or list number opens the sentence
                    | pl.col("body").shift(1).over("document_id").str.contains(r"^[\d:.)]{1,6}$").fill_null(False)
                    | pl.col("body").str.contains(r"^[a-zа-яёіїєґ]")
                    # "3.5", "example.org", "U.S.": no space after the stop and no new sentence after it
                    | ((pl.col("trail").shift(1).over("document_id") == 0)
                       & ~pl.col("body").str.contains(r"^[A-ZА-ЯЁІЇЄ](?:[a-zа-яёіїє]|\s)"))
                )
            )
        )
        .with_columns(grp=(~pl.col("glue")).cast(pl.Int32).cum_sum().over("document_id"))
        .group_by("document_id", "grp", maintain_order=True)
        .agg(pl.col("start").min(), pl.col("end").max(), pl.col("drone").any())
        .with_columns(sent_no=(pl.col("grp") - 1).cast(pl.Int32))
        .select(list(SENTENCE_SCHEMA))
    )
    return pieces.collect().cast(SENTENCE_SCHEMA)
