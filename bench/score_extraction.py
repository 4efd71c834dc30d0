#!/usr/bin/env python3
"""Score extract_claims directly against the labelled corpus (no warehouse, no Prefect).

    python bench/score_extraction.py /work/shared/corpus/dev.jsonl [--errors N] [--speed N]

Builds a DOCUMENT_SCHEMA frame from the corpus texts (labels withheld), extracts claims and
scores them with the referee's own functions. `--speed N` also times extract_claims on the
corpus replicated to N documents mixed with 20x as many non-drone sentences, with and
without the pre-filter.
"""
from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import random
import re
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from transforms.extract import extract_claims  # noqa: E402
from transforms.schema import DOCUMENT_SCHEMA  # noqa: E402

DEFAULT_REFEREE = Path("/work/shared/eval/score.py")


def load_referee(path: Path):
    spec = importlib.util.spec_from_file_location("referee_score", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def documents_frame(docs: list[dict]) -> pl.DataFrame:
    def ts(v):
        if not v:
            return None
        try:
            return datetime.fromisoformat(str(v)).replace(tzinfo=timezone.utc)
        except ValueError:
            return None

    rows = [{"id": d["id"], "text": d["text"], "published_at": ts(d.get("published")), "url": d.get("url"),
             "title": None, "source": d.get("source_name"), "lang": None, "channel": None,
             "origin": "dev.jsonl", "record_no": i + 1} for i, d in enumerate(docs)]
    return pl.DataFrame(rows, schema=DOCUMENT_SCHEMA)


def predictions(claims: pl.DataFrame, referee) -> dict[str, list[dict]]:
    preds: dict[str, list[dict]] = collections.defaultdict(list)
    for r in claims.iter_rows(named=True):
        if r["outcome"] in referee.UNLABELLED:
            continue
        preds[r["document_id"]].append({
            "place": r["region_code"], "count": r["count"], "outcome": r["outcome"],
            "is_total": bool(r["is_total"]), "role": r["speaker_role"],
            "label": f"{r['region_code'] or 'NULL'} {r['count']} {r['outcome']}",
        })
    return preds


def score(docs: list[dict], preds: dict[str, list[dict]], referee, n_errors: int) -> float:
    tot = collections.Counter()
    by_lang: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    attr = collections.Counter()
    errors = []
    for d in docs:
        gold, pred = referee.gold_claims(d), preds.get(d["id"], [])
        strict = referee.match(gold, pred, True)
        for c in (tot, by_lang[d["lang"]]):
            c["tp"] += len(strict)
            c["gold"] += len(gold)
            c["pred"] += len(pred)
        for gi, pi in strict:
            attr["n"] += 1
            attr["is_total"] += int(gold[gi]["is_total"] == pred[pi]["is_total"])
            attr["role"] += int(gold[gi]["role"] == pred[pi]["role"])
        if len(strict) != len(gold) or len(strict) != len(pred):
            mg, mp = {g for g, _ in strict}, {p for _, p in strict}
            errors.append((d["id"], [g["label"] for i, g in enumerate(gold) if i not in mg],
                           [p["label"] for i, p in enumerate(pred) if i not in mp]))
    for name, c in sorted(by_lang.items()) + [("all", tot)]:
        p, r, f = referee.prf(c["tp"], c["pred"], c["gold"])
        print(f"{name:4} gold {c['gold']:4} pred {c['pred']:4} tp {c['tp']:4}  strict P {p:.3f} R {r:.3f} F1 {f:.3f}")
    if attr["n"]:
        print(f"on strict matches: is_total agrees {attr['is_total'] / attr['n']:.3f}, "
              f"speaker_role agrees {attr['role'] / attr['n']:.3f}")
    for doc_id, missed, false in errors[:n_errors]:
        print(f"  {doc_id}: missed {missed}  false {false}")
    return referee.prf(tot["tp"], tot["pred"], tot["gold"])[2]


_FILLER = [
    "The city council approved the new budget for road repairs on Tuesday.",
    "Городская дума утвердила бюджет на ремонт дорог в 2025 году.",
    "Міська рада затвердила кошторис на ремонт шкіл і лікарень.",
    "Temperatures will reach 25 degrees by the weekend, forecasters said.",
    "В регионе открылись 12 новых детских садов и три поликлиники.",
    "Футбольний клуб виграв матч з рахунком 3:1 у неділю.",
    "Shares of the company rose 4 percent after the earnings report.",
    "Губернатор провел совещание по подготовке к отопительному сезону.",
]


def _timed(frame: pl.DataFrame, prefilter: bool) -> tuple[float, int]:
    t = time.perf_counter()
    claims, _ = extract_claims(frame, prefilter=prefilter)
    return time.perf_counter() - t, claims.height


def speed(docs: list[dict], n: int) -> None:
    """Documents per second of extract_claims, with and without the pre-filter.

    padded: the corpus replicated to n documents, each with 20x as many non-drone sentences as
    it has sentences (the filler goes before, between paragraphs and after the text);
    mixed: n documents of which one in 21 is a corpus text and the rest are non-drone texts.
    """
    rng = random.Random(7)
    blank = {c: None for c in DOCUMENT_SCHEMA}

    def filler(k: int) -> str:
        return " ".join(rng.choice(_FILLER) for _ in range(k))

    padded, mixed = [], []
    for i in range(n):
        d = docs[i % len(docs)]
        n_sent = max(1, len(re.findall(r"[.!?\n]+", d["text"])))
        head, tail = filler(10 * n_sent), filler(10 * n_sent)
        padded.append({**blank, "id": f"{d['id']}#{i}", "text": f"{head}\n{d['text']}\n{tail}"})
        if i % 21 == 0:
            mixed.append({**blank, "id": f"{d['id']}#{i}", "text": d["text"]})
        else:
            mixed.append({**blank, "id": f"filler-{i}", "text": filler(rng.randint(3, 12))})
    for name, rows in (("padded", padded), ("mixed", mixed)):
        frame = pl.DataFrame(rows, schema=DOCUMENT_SCHEMA)
        chars = frame["text"].str.len_chars().sum()
        dt, n_claims = _timed(frame, True)
        print(f"speed {name}: {frame.height} documents, {chars / 1e6:.1f} M chars, prefilter on: "
              f"{dt:.2f} s = {frame.height / dt:,.0f} documents/s ({n_claims} claims)")
        # without the pre-filter every sentence is parsed: time a slice and scale
        part = frame.head(max(200, frame.height // 20))
        dt, _ = _timed(part, False)
        print(f"speed {name}: prefilter off (first {part.height} documents): {dt:.2f} s = "
              f"{part.height / dt:,.0f} documents/s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--referee", type=Path, default=DEFAULT_REFEREE)
    ap.add_argument("--errors", type=int, default=0)
    ap.add_argument("--speed", type=int, default=0, help="also time extraction on N mixed documents")
    ap.add_argument("--only", help="score only documents whose id contains this")
    args = ap.parse_args()
    referee = load_referee(args.referee)
    docs = [json.loads(line) for line in args.corpus.open(encoding="utf-8") if line.strip()]
    if args.only:
        docs = [d for d in docs if args.only in d["id"]]
    t = time.perf_counter()
    claims, places = extract_claims(documents_frame(docs))
    dt = time.perf_counter() - t
    print(f"{len(docs)} documents -> {claims.height} claims, {places.height} claim places in {dt:.2f} s")
    score(docs, predictions(claims, referee), referee, args.errors)
    if args.speed:
        speed(docs, args.speed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
