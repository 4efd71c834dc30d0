"""Claims extracted from documents: who claimed how many drones, of which outcome, over where.

polars does the bulk work over the whole frame (language, sentences with offsets, the drone
pre-filter); the per-document parser in `claims.py` runs only on documents with a drone sentence.
"""
from __future__ import annotations

import polars as pl

from transforms.claims import DocumentInput, parse_document
from transforms.language import detect_languages
from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA, DOCUMENT_SCHEMA
from transforms.sentences import mentions_drones, split_sentences

__all__ = ["extract_claims", "detect_languages"]


def extract_claims(documents: pl.DataFrame, *, prefilter: bool = True) -> tuple[pl.DataFrame, pl.DataFrame]:
    """documents (DOCUMENT_SCHEMA) -> (claims CLAIM_SCHEMA, claim_places CLAIM_PLACE_SCHEMA).

    One claim row per number a speaker claims, one claim_places row per town named with a claim.
    ``prefilter=False`` hands every sentence to the parser (for measuring the pre-filter only).
    """
    docs = documents.select(
        [pl.col(c).cast(t) if c in documents.columns else pl.lit(None, t).alias(c) for c, t in DOCUMENT_SCHEMA.items()]
    )
    docs = detect_languages(docs).with_columns(pl.col("text").fill_null(""))
    if prefilter:
        # cheap document-level test first: most documents never reach sentence splitting
        docs = docs.filter(mentions_drones(pl.col("text")))
    if docs.height == 0:
        return pl.DataFrame(schema=CLAIM_SCHEMA), pl.DataFrame(schema=CLAIM_PLACE_SCHEMA)
    sentences = split_sentences(docs)
    if not prefilter:
        sentences = sentences.with_columns(drone=pl.lit(True))
    per_doc = (
        sentences.group_by("document_id", maintain_order=True)
        .agg(pl.col("start"), pl.col("end"), pl.col("sent_no").filter(pl.col("drone")).alias("candidates"))
        .filter(pl.col("candidates").list.len() > 0)
        .join(docs.select("id", "text", "lang", "published_at", "channel"),
              left_on="document_id", right_on="id", how="inner", maintain_order="left")
    )
    claim_rows: list[dict] = []
    place_rows: list[dict] = []
    for row in per_doc.iter_rows(named=True):
        doc = DocumentInput(
            id=row["document_id"], text=row["text"], lang=row["lang"] or "en",
            published_at=row["published_at"], channel=row["channel"],
            sentences=tuple(zip(row["start"], row["end"])), candidates=tuple(row["candidates"]),
        )
        c, p = parse_document(doc)
        claim_rows += c
        place_rows += p
    return (
        pl.DataFrame(claim_rows, schema=CLAIM_SCHEMA, orient="row") if claim_rows else pl.DataFrame(schema=CLAIM_SCHEMA),
        pl.DataFrame(place_rows, schema=CLAIM_PLACE_SCHEMA, orient="row") if place_rows else pl.DataFrame(schema=CLAIM_PLACE_SCHEMA),
    )
