"""Totals and their breakdowns among the claims of one document.

A figure over no one region is the total of the regions' figures told with it; a region's own
tally sums its updates or towns; figures by drone type that add up to a figure told elsewhere
split it and are no claims apart. Each item points at its total through ``Claim.parent``.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from transforms.numbers import word_value
from transforms.regex_gate import compile_gated
from transforms.windows import find_window

if TYPE_CHECKING:
    from transforms.claims import Claim

Sentences = tuple[tuple[int, int], ...]   # (start, end) of every sentence of the text


# "12 — над территорией Брянской области,", "- по два над ...", "• 3 over the Kursk region": one breakdown item
_LIST_ITEM = compile_gated(
    r"^\s*(?:[-—–•*·]\s*)?(?:(?:по|ещё|еще|ще|и|та|і|and)\s+)?(?:\d+|[^\W\d_]+)\s*(?:[—–-]|над|в|у|на|over|in|above)\s",
    re.I,
)
_RUNNING = compile_gated(r"\b(?:today|so far|since (?:the )?morning|сегодня|с утра|за ночь|за сутки|за день|"
                      r"сьогодні|з ранку|за ніч|за добу)\b", re.I)
_TOTAL_WORD = compile_gated(r"\b(?:всего|в общей сложности|в целом|in total|a total of|altogether|усього|всього|загалом|"
                         r"загальна кількість)\b", re.I)


def is_list_item(line: str, lang: str) -> bool:
    """A line that is one item of a breakdown ("12 — над ...", "- по два над ...")."""
    m = _LIST_ITEM.match(line)
    if not m:
        return False
    word = re.search(r"\d+|[^\W\d_]+(?=\s*(?:[—–-]|над|в|у|на|over|in|above)\s)", line[:m.end()], re.I)
    return bool(word) and (word.group()[0].isdigit() or word_value(word.group(), lang) is not None)


def drop_type_breakdowns(claims: list[Claim], text: str, sentences: Sentences, lang: str) -> list[Claim]:
    """ "three Shahed-type drones and two drones of another type" after "five drones": the five by kind.

    Figures without a place that share one sentence (with no time window of its own) and add up to
    a figure of the same outcome told elsewhere split it by drone type: they are no claims apart.
    """
    drop: set[int] = set()
    by_sent: dict[tuple[int, str], list[int]] = {}
    for j, c in enumerate(claims):
        if c.region is None and not c.multi:
            by_sent.setdefault((c.sent, c.outcome), []).append(j)
    for (i, outcome), parts in by_sent.items():
        if len(parts) < 2 or find_window(text[sentences[i][0]:sentences[i][1]], lang):
            continue
        total = sum(claims[j].count for j in parts)
        if any(c.sent != i and c.region is None and c.outcome == outcome and c.count == total for c in claims):
            drop.update(parts)
    return [c for j, c in enumerate(claims) if j not in drop]


def link_breakdowns(claims: list[Claim], text: str, sentences: Sentences, lang: str,
                    sent_window: dict[int, str | None] | None = None) -> None:
    """Marks a figure over no region as the total of the regions' figures told with it (their parent).

    ``sent_window`` holds the window phrases of sentences already looked up (by sentence index); it is filled in.
    """
    sent_window = {} if sent_window is None else sent_window

    def other_window(i: int, j: int) -> bool:
        """ "с 15:00 до 20:00 ... 9" and "за сутки ... 47" are two reports: no item of the other."""
        for k in (i, j):
            if k not in sent_window:
                sent_window[k] = find_window(text[sentences[k][0]:sentences[k][1]], lang)
        return i != j and None not in (sent_window[i], sent_window[j]) and sent_window[i] != sent_window[j]

    for t_idx, t in enumerate(claims):
        if t.region is not None or t.elliptic:
            continue
        reach = t.sent + 2
        while reach + 1 < len(sentences) and any(c.sent == reach + 1 for c in claims) and is_list_item(
                text[sentences[reach + 1][0]:sentences[reach + 1][1]], lang):
            reach += 1  # one item per line: the list is as long as its lines
        items = [
            j for j, c in enumerate(claims)
            if j != t_idx and c.region is not None and t.sent - 1 <= c.sent <= reach
            and not other_window(c.sent, t.sent) and c.outcome == t.outcome
            and c.parent is None and c.count < t.count
            and c.role == t.role
        ]
        if items and sum(claims[j].count for j in items) <= t.count * 1.05 + 0.5 or (
            items and len(items) >= 2
        ):
            t.is_total = True
            for j in items:
                claims[j].parent = t_idx


def link_region_tallies(claims: list[Claim], text: str, sentences: Sentences) -> None:
    """A region's own tally over its updates or towns: "Всего за ночь 5" after 2, 1 and 2."""
    for t_idx in sorted(range(len(claims)), key=lambda j: -claims[j].count):
        t = claims[t_idx]
        if t.region is None or t.elliptic or t.parent is not None or t.is_total:
            continue
        fits = [
            j for j, c in enumerate(claims)
            if j != t_idx and c.region == t.region and c.parent is None and not c.is_total and c.count < t.count
            and c.outcome == t.outcome and (c.sent != t.sent or c.enumerated)
            and c.role == t.role
        ]
        marked = _TOTAL_WORD.search(text[max(sentences[t.sent][0], t.num_start - 40):t.num_start])
        # the updates all before the tally ("Всего за ночь") or all after it (the lead, then details)
        for items in ([j for j in fits if claims[j].sent < t.sent], [j for j in fits if claims[j].sent > t.sent
                                                                     or claims[j].num_start > t.num_start]):
            if len(items) >= 2 and sum(claims[j].count for j in items) == t.count:
                t.is_total = True
                for j in items:
                    claims[j].parent = t_idx
                break
        # "Today, 16 drones were shot down" after the day's updates: a running tally of them
        running = _RUNNING.search(text[sentences[t.sent][0]:t.num_start]) and any(
            claims[j].sent < t.sent and not claims[j].is_total for j in fits) and not t.incremental
        if marked or running:
            t.is_total = True


def mark_unplaced_totals(claims: list[Claim]) -> None:
    """A figure over no one region covers several: a total, whoever gives it."""
    for c in claims:
        if c.region is None and not c.is_total:
            c.is_total = True
