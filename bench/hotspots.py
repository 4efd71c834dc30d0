"""Measure proposed fixes for the hot spots the profile shows, without editing the code they touch.

Each case times the current expression and a candidate replacement on the same benchmark dump
and checks the two give the same answer (or says how often they differ). Results go to stdout as
JSON and to bench/hotspots.json; the owners of the files decide.

    python bench/hotspots.py bench/out/dump-100000.jsonl
"""
from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

import polars as pl  # noqa: E402

from transforms.dumps import parse_dump, parse_published  # noqa: E402
from transforms.language import language_expr  # noqa: E402
from transforms.sentences import DRONE_PATTERN  # noqa: E402
from warehouse import db  # noqa: E402


def best_of(fn, repeat: int = 3) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - t)
    return best, value


def case(name: str, current, proposed, same) -> dict:
    t_cur, v_cur = best_of(current)
    t_new, v_new = best_of(proposed)
    result = {"case": name, "current_s": round(t_cur, 3), "proposed_s": round(t_new, 3),
              "speedup": round(t_cur / t_new, 1) if t_new else None, "agreement": same(v_cur, v_new)}
    print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    return result


def main(dump: Path) -> list[dict]:
    data = dump.read_bytes()
    docs, _ = parse_dump(data, dump.name, str(dump))
    text = pl.col("text").fill_null("")
    out = []

    # 1. pre-filter: lower-casing every text allocates a copy of the dump; (?i) scans it in place
    out.append(case(
        "pre-filter: to_lowercase().str.contains(P) -> str.contains('(?i)' + P)",
        lambda: docs.select(text.str.to_lowercase().str.contains(DRONE_PATTERN)).to_series(),
        lambda: docs.select(text.str.contains("(?i)" + DRONE_PATTERN)).to_series(),
        lambda a, b: f"{(a == b).sum()}/{len(a)} equal",
    ))

    # 2. language: four count_matches over the whole text -> over its first 600 characters
    out.append(case(
        "language: letter counts over the whole text -> over text.str.slice(0, 600)",
        lambda: docs.select(language_expr(text)).to_series(),
        lambda: docs.select(language_expr(text.str.slice(0, 600))).to_series(),
        lambda a, b: f"{(a == b).fill_null(True).sum()}/{len(a)} equal",
    ))

    # 2b. language only where the dump gave none (the coalesce already keeps given ones, but the
    # expression is still evaluated for every row)
    def detect_missing_only() -> pl.Series:
        lang = docs["lang"]
        missing = lang.is_null()
        found = docs.filter(missing).select(language_expr(text.str.slice(0, 600))).to_series()
        return lang.scatter(missing.arg_true(), found)

    out.append(case(
        "language: coalesce(lang, detect(every row, whole text)) -> detect rows without lang, first 600 chars",
        lambda: docs.select(pl.coalesce(pl.col("lang"), language_expr(text))).to_series(),
        detect_missing_only,
        lambda a, b: f"{(a == b).fill_null(True).sum()}/{len(a)} equal",
    ))

    # 3. content hash: map_elements -> a list comprehension over the column (same sha256 hex)
    out.append(case(
        "content hash: map_elements(db.content_hash) -> [sha256 over to_list()]",
        lambda: docs.select(pl.col("text").map_elements(db.content_hash, return_dtype=pl.String)).to_series(),
        lambda: pl.Series("text", [hashlib.sha256(t.encode()).hexdigest() for t in docs["text"].to_list()]),
        lambda a, b: f"{(a == b).sum()}/{len(a)} equal",
    ))
    import duckdb

    hasher = duckdb.connect()
    hasher.register("texts", docs.select("text"))
    out.append(case(
        "content hash: map_elements(db.content_hash) -> DuckDB sha256(text) (parallel, same hex)",
        lambda: docs.select(pl.col("text").map_elements(db.content_hash, return_dtype=pl.String)).to_series(),
        lambda: hasher.sql("select sha256(text) as h from texts").pl().to_series(),
        lambda a, b: f"{(a == b).sum()}/{len(a)} equal",
    ))

    # 4. published: seven formats coalesced for every row -> the common ISO shapes first, the
    # seven only for rows the first pass missed
    path = str(dump).replace("'", "''")
    raw = duckdb.sql(f"select published from read_ndjson('{path}', columns={{published: 'VARCHAR'}}, "
                     "ignore_errors=true)").pl().to_series()

    def published_two_pass() -> pl.Series:
        s = raw.str.strip_chars().str.replace(r"(?i)z$", "+00:00")
        first = s.str.to_datetime("%Y-%m-%dT%H:%M:%S%z", strict=False, time_unit="us", time_zone="UTC")
        missed = first.is_null() & s.is_not_null()
        if missed.any():
            first = first.scatter(missed.arg_true(), parse_published(s.filter(missed)))
        return first

    out.append(case(
        "published: 7 formats coalesced per row -> one ISO format, the 7 only for misses",
        lambda: parse_published(raw),
        published_two_pass,
        lambda a, b: f"{(a == b).fill_null(True).sum()}/{len(a)} equal",
    ))

    # 5. checks: the GX documents suite is handed every document's whole text (polars, then
    # pandas) to test that it is not null; one character keeps the nulls and the empty texts
    from expectations.runner import _to_pandas

    warehouse = duckdb.connect()
    warehouse.register("documents", docs)
    columns = "id, source, published_at, url, lang, channel"

    def frame_mib(sql: str) -> tuple[float, pl.Series]:
        frame = warehouse.sql(sql).pl()
        mib = (frame.estimated_size() + _to_pandas(frame).memory_usage(deep=True).sum()) / 2**20
        return mib, frame["text"].is_null()

    full_mib, _ = frame_mib(f"select {columns}, text from documents")
    lean_mib, _ = frame_mib(f"select {columns}, substr(text, 1, 1) as text from documents")
    result = case(
        "checks: GX documents frame with every text -> substr(text, 1, 1) (nulls kept)",
        lambda: frame_mib(f"select {columns}, text from documents")[1],
        lambda: frame_mib(f"select {columns}, substr(text, 1, 1) as text from documents")[1],
        lambda a, b: f"{(a == b).sum()}/{len(a)} equal nullness",
    )
    result.update(current_mib=round(full_mib), proposed_mib=round(lean_mib))
    print(json.dumps({"frames_mib": [result["current_mib"], result["proposed_mib"]]}), file=sys.stderr)
    out.append(result)

    # 6. the same, through the GX documents suite (which also hashes the whole pandas frame)
    from expectations import suites
    from expectations.runner import gx_context, validate

    def gx_documents(sql: str) -> bool:
        context = gx_context(OUT / "hotspots-docs")
        context.data_sources.add_pandas("dronewatch")
        frame = warehouse.sql(sql).pl().with_columns(first_run_id=pl.lit("bench"))
        return validate(context, "documents", frame, suites.documents_suite()).success

    out.append(case(
        "checks: GX documents suite on every text -> on substr(text, 1, 1)",
        lambda: gx_documents(f"select {columns}, text from documents"),
        lambda: gx_documents(f"select {columns}, substr(text, 1, 1) as text from documents"),
        lambda a, b: f"success {a} / {b}",
    ))
    return out


if __name__ == "__main__":
    results = main(Path(sys.argv[1]))
    (Path(__file__).parent / "hotspots.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
