"""Column contracts shared by the readers, the transforms and the warehouse loader.

Every frame that crosses a module boundary has one of these schemas, so a reader, a transform
and the loader can be written and tested apart.
"""
from __future__ import annotations

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")

DOCUMENT_SCHEMA: dict[str, pl.DataType] = {
    "id": pl.String,            # the dump's id (Telegram: "<channel>/<message id>")
    "text": pl.String,          # the text as read (HTML: visible text only); spans index into it
    "published_at": UTC_TS,     # null when the dump has no (parseable) date
    "url": pl.String,
    "title": pl.String,
    "source": pl.String,        # outlet or channel name
    "lang": pl.String,          # as given by the dump, else null (detected later)
    "channel": pl.String,       # Telegram channel name: the default speaker of its messages
    "origin": pl.String,        # file (and archive member) the record came from
    "record_no": pl.Int64,      # 1-based line / record / message number inside origin
}
"""One row per document read from a dump."""

REJECT_SCHEMA: dict[str, pl.DataType] = {
    "origin": pl.String,        # file (and archive member), or the URL
    "record_no": pl.Int64,      # 1-based line / record number, null for a whole-file problem
    "reason": pl.String,        # what a person needs to know to fix it
    "excerpt": pl.String,       # the first 200 characters of the bad record, for finding it
}
"""One row per record (or file) that could not be read."""

CLAIM_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String,
    "document_id": pl.String,
    "claim_no": pl.Int32,       # order of the claim inside its document
    "speaker": pl.String,
    "speaker_role": pl.String,  # defence_ministry, military, regional_head, city_head, media, other, unknown
    "outcome": pl.String,       # launched, intercepted, suppressed, hit, crashed, debris_found
    "count": pl.Int64,
    "count_qualifier": pl.String,  # exact, at_least, at_most, approx
    "is_total": pl.Boolean,
    "is_cumulative": pl.Boolean,   # "since the start of the operation": never summed with period figures
    "parent_claim_id": pl.String,
    "region_code": pl.String,
    "locality": pl.String,
    "locality_id": pl.Int64,
    "window_start": UTC_TS,
    "window_end": UTC_TS,
    "window_text": pl.String,
    "weapon": pl.String,        # drone (default) or missile, bomb, ...
    "quote": pl.String,
    "span_start": pl.Int64,     # documents.text[span_start:span_end] == quote (Python str offsets)
    "span_end": pl.Int64,
}
"""One row per number a speaker claims."""

CLAIM_PLACE_SCHEMA: dict[str, pl.DataType] = {
    "claim_id": pl.String,
    "name": pl.String,          # as written in the text
    "locality_id": pl.Int64,    # GeoNames id, null when unresolved
    "region_code": pl.String,
    "resolved": pl.Boolean,
}
"""One row per town named with a claim, resolved or not."""

SPEAKER_ROLES = ("defence_ministry", "military", "regional_head", "city_head", "media", "other", "unknown")
OUTCOMES = ("launched", "intercepted", "suppressed", "hit", "crashed", "debris_found")
COUNT_QUALIFIERS = ("exact", "at_least", "at_most", "approx")


def empty(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """An empty frame with the given schema."""
    return pl.DataFrame(schema=schema)

DQ_FINDING_SCHEMA: dict[str, pl.DataType] = {
    "finding_id": pl.String,    # stable: the same problem on the same rows has the same id every run
    "check_name": pl.String,    # e.g. breakdown_adds_up, speakers_agree, locality_resolved
    "severity": pl.String,      # error, warning, info
    "document_ids": pl.List(pl.String),
    "claim_ids": pl.List(pl.String),
    "region_code": pl.String,
    "message": pl.String,       # one sentence a person reads, with the numbers and quotes involved
}
"""One row per data-quality finding of a run."""

SEVERITIES = ("error", "warning", "info")
