"""Find regions, water areas and towns named in a text, and tie towns to ISO 3166-2 regions.

The gazetteer (``transforms/gazetteer/``) is built once by ``build_gazetteer.py`` and committed;
this module only reads those files, once per process.

Examples
--------
>>> [(m.surface, m.region_code) for m in find_places("БПЛА сбит над Калужской областью")]
[('Калужской областью', 'RU-KLU')]
>>> region_name("RU-KLU")
'Kaluga Oblast'
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from transforms.regex_gate import compile_gated

GAZETTEER = Path(__file__).resolve().parent / "gazetteer"

TOKEN_RE = compile_gated(r"\w+(?:['’ʼ-]\w+)*")
_GAP_RE = compile_gated(r"\s+|\s*\.\s*")          # between the words of one name ("St. Petersburg")
_COORD_GAP_RE = compile_gated(r"\s*,?\s*")        # "Брянской, Курской и ..."
_AND = frozenset({"и", "і", "й", "та", "and"})
_REGION_NOUNS = frozenset("""
области областях областей областями областям область обл краях краев краями краям края
області regions oblasts provinces region oblast province krais territories
""".split())
_NOT_AFTER = {"time"}                          # "Moscow time", "Kyiv time"
# "в Трубчевском районе": the district's adjective, not the town (same spelling as "Трубчевском")
_DISTRICT_WORDS = ("район", "district", "округ", "громад", "муниципальн", "городск", "сельск")
_WATER_NOT_AFTER = {"fleet"}                   # "Black Sea Fleet" is a navy, not a sea
_PATRONYMIC_RE = compile_gated(r"\w+(?:ович|евич|ьич|овна|евна|ична|инична)(?:а|у|ем|е|ы|ой|ою|і|ем)?$")

# str.lower() may change the length of a few characters ("İ"); the index must not move.
_NORM_TABLE = str.maketrans({"ё": "е", "Ё": "е", "’": "'", "ʼ": "'", "`": "'"})


@dataclass(frozen=True)
class PlaceMention:
    """One place named in a text; ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    kind: str                                   # "region" | "water" | "locality"
    region_code: str | None                     # set for region/water; for a locality when resolved
    locality_id: int | None                     # set only when the town is resolved to one GeoNames id
    candidates: tuple[tuple[int, str], ...]     # for a locality: every (locality_id, region_code)


# ------------------------------------------------------------------ loading (once per process)


def _norm(text: str) -> str:
    """Lower-case with the same length as ``text`` (offsets stay valid), ё→е, one apostrophe."""
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    return low.translate(_NORM_TABLE)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(TOKEN_RE.findall(_norm(text)))


def _read_csv(name: str) -> list[dict[str, str]]:
    path = GAZETTEER / name
    raw = gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))


@cache
def regions_frame() -> pl.DataFrame:
    """One row per region or water area a claim can be tied to (regions.csv)."""
    return pl.read_csv(GAZETTEER / "regions.csv", schema_overrides={"code": pl.String})


@cache
def localities_frame() -> pl.DataFrame:
    """One row per GeoNames town of Russia and Ukraine (Crimea included), with its region."""
    return pl.read_csv(
        GAZETTEER / "localities.csv.gz",
        schema_overrides={
            "locality_id": pl.Int64, "name_en": pl.String, "name_ru": pl.String,
            "name_uk": pl.String, "region_code": pl.String, "population": pl.Int64,
            "lat": pl.Float64, "lon": pl.Float64, "forms": pl.String,
        },
    ).drop("forms")


@cache
def _region_names() -> dict[str, str]:
    return dict(zip(*regions_frame().select("code", "name_en").to_dict(as_series=False).values()))


def region_name(code: str) -> str:
    """Canonical English name of a region code ("RU-KLU" -> "Kaluga Oblast")."""
    return _region_names()[code]


Index = dict[str, list[tuple[tuple[str, ...], object]]]


def _add(index: Index, tokens: tuple[str, ...], value: object) -> None:
    if tokens:
        index.setdefault(tokens[0], []).append((tokens, value))


@cache
def _region_index() -> tuple[Index, dict[str, str]]:
    """First token -> [(alias tokens, code)] longest first; and coordination stem -> code."""
    index: Index = {}
    for row in _read_csv("region_aliases.csv"):
        _add(index, _tokens(row["alias"]), row["code"])
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    stems: dict[str, set[str]] = {}
    for row in _read_csv("region_stems.csv"):
        stems.setdefault(row["stem"], set()).add(row["code"])
    return index, {s: next(iter(c)) for s, c in stems.items() if len(c) == 1}


@cache
def _town_index() -> tuple[Index, dict[str, tuple[tuple[int, str], ...]], dict[int, int]]:
    """First token -> [(form tokens, candidates)]; form -> candidates; locality id -> population."""
    by_form: dict[str, list[tuple[int, int, str]]] = {}
    population: dict[int, int] = {}
    for row in _read_csv("localities.csv.gz"):
        lid, pop = int(row["locality_id"]), int(row["population"] or 0)
        population[lid] = pop
        for form in row["forms"].split("|"):
            if form:
                by_form.setdefault(form, []).append((-pop, lid, row["region_code"]))
    forms = {f: tuple((lid, code) for _, lid, code in sorted(c)) for f, c in by_form.items()}
    index: Index = {}
    for form, cands in forms.items():
        _add(index, _tokens(form), cands)
    for entries in index.values():
        entries.sort(key=lambda e: -len(e[0]))
    return index, forms, population


@cache
def _person_words() -> frozenset[str]:
    raw = gzip.decompress((GAZETTEER / "person_words.txt.gz").read_bytes()).decode("utf-8")
    return frozenset(raw.split())


# ------------------------------------------------------------------ towns


def lookup_locality(name: str) -> tuple[tuple[int, str], ...]:
    """Every (locality_id, region_code) a town name may be, most populous first; () if unknown.

    >>> lookup_locality("Боровске")
    ((572070, 'RU-KLU'),)
    """
    return _town_index()[1].get(" ".join(_tokens(name)), ())


def locality_population(locality_id: int) -> int:
    """Population of a locality as the gazetteer gives it (0 when unknown)."""
    return _town_index()[2].get(locality_id, 0)


def resolve_locality(
    candidates: Collection[tuple[int, str]], context_regions: Collection[str]
) -> tuple[int, str] | None:
    """The one candidate a town mention means, or None when it stays ambiguous.

    A candidate in a context region wins; else the only candidate; else the most populous one
    when it is more than ten times as large as the next.
    """
    population = _town_index()[2]
    ranked = sorted(candidates, key=lambda c: -population.get(c[0], 0))

    def dominant(cands: list[tuple[int, str]]) -> tuple[int, str] | None:
        if len(cands) == 1:
            return cands[0]
        if len(cands) > 1 and population.get(cands[0][0], 0) > 10 * population.get(cands[1][0], 0):
            return cands[0]
        return None

    in_context = [c for c in ranked if c[1] in context_regions]
    if in_context:
        return dominant(in_context)
    return dominant(ranked)


# ------------------------------------------------------------------ finding mentions


def _match(
    index: Index, tokens: list[tuple[int, int, str]], low: str, i: int, first: str
) -> tuple[int, object] | None:
    """Longest entry of ``index`` starting at token i: (number of tokens, value)."""
    for entry_tokens, value in index.get(first, ()):
        n = len(entry_tokens)
        if i + n > len(tokens):
            continue
        ok = True
        for k in range(1, n):
            if tokens[i + k][2] != entry_tokens[k] or not _GAP_RE.fullmatch(
                low, tokens[i + k - 1][1], tokens[i + k][0]
            ):
                ok = False
                break
        if ok:
            return n, value
    return None


def _is_person_before(text: str, low: str, tokens: list[tuple[int, int, str]], i: int) -> bool:
    """True when token i follows a first name, an initial, a patronymic or an English title."""
    if i == 0:
        return False
    start, end, word = tokens[i - 1]
    gap = low[end:tokens[i][0]]
    if gap.strip() not in ("", "."):
        return False
    if gap.strip() == ".":
        return end - start == 1 and text[start].isupper()  # "А. Гусев"
    if not text[start].isupper():
        return word in ("governor", "mayor")
    return word in _person_words() or bool(_PATRONYMIC_RE.match(word))


def _coordinated(
    text: str, low: str, tokens: list[tuple[int, int, str]], i: int, stems: dict[str, str]
) -> tuple[list[PlaceMention], int] | None:
    """"Брянской, Курской и Белгородской областях" / "Bryansk and Kursk regions" at token i:
    one mention per region, and the index of the token after the noun."""
    found = [i]
    j = i + 1
    while j < len(tokens):
        gap = low[tokens[j - 1][1]:tokens[j][0]]
        word = tokens[j][2]
        if word in _AND and _COORD_GAP_RE.fullmatch(gap) and j + 1 < len(tokens):
            j += 1
            gap = low[tokens[j - 1][1]:tokens[j][0]]
            word = tokens[j][2]
        elif "," not in gap:
            break
        if not _COORD_GAP_RE.fullmatch(gap) or word not in stems:
            break
        found.append(j)
        j += 1
    if len(found) < 2 or j >= len(tokens) or tokens[j][2] not in _REGION_NOUNS:
        return None
    if not _GAP_RE.fullmatch(low, tokens[j - 1][1], tokens[j][0]):
        return None
    mentions = []
    for k in found:
        start = tokens[k][0]
        end = tokens[j][1] if k == found[-1] else tokens[k][1]
        mentions.append(PlaceMention(start, end, text[start:end], "region", stems[tokens[k][2]], None, ()))
    return mentions, j + 1


def find_places(text: str) -> list[PlaceMention]:
    """Regions, water areas and towns named in ``text``, in text order; the longest name wins.

    Region and sea names match in any case; a town only when written with a capital letter and
    not right after a first name, an initial or a patronymic ("Александр Гусев"). A town is
    resolved with :func:`resolve_locality`, using the regions named in the same text.

    >>> [m.region_code for m in find_places("over the Kaluga region and the Sea of Azov")]
    ['RU-KLU', 'SEA-AZOV']
    """
    low = _norm(text)
    tokens = [(m.start(), m.end(), m.group()) for m in TOKEN_RE.finditer(low)]
    region_index, stems = _region_index()
    town_index = _town_index()[0]
    mentions: list[PlaceMention] = []
    towns: list[tuple[int, int, tuple[tuple[int, str], ...]]] = []
    i, n = 0, len(tokens)
    while i < n:
        start, end, word = tokens[i]
        base = word[:-2] if word.endswith("'s") else word      # "Kyiv's"
        best: tuple[int, object] | None = _match(region_index, tokens, low, i, word)
        best_trim = town_trim = 0                               # drop "'s" from the surface
        if best is None and base != word:
            best = _match(region_index, tokens, low, i, base)
            best_trim = 2 if best is not None and best[0] == 1 else 0
        if best is not None:
            size, code = best
            last = i + size - 1
            after = tokens[last + 1][2] if last + 1 < n else ""
            is_water = str(code).startswith("SEA-")
            if after in _NOT_AFTER or (is_water and after in _WATER_NOT_AFTER):
                i = last + 2
                continue
        if word in stems and (best is None or best[0] == 1):
            coordinated = _coordinated(text, low, tokens, i, stems)
            if coordinated is not None:
                mentions.extend(coordinated[0])
                i = coordinated[1]
                continue
        town: tuple[int, object] | None = None
        if text[start].isupper() and not _is_person_before(text, low, tokens, i):
            town = _match(town_index, tokens, low, i, word)
            if town is None and base != word:
                town = _match(town_index, tokens, low, i, base)
                town_trim = 2 if town is not None and town[0] == 1 else 0
            if town is not None and i + town[0] < n:
                nxt_start, _, nxt = tokens[i + town[0]]
                if nxt.startswith(_DISTRICT_WORDS):
                    town = None
                elif (  # "Владимир Путин", "Vladimir Putin": a first name that is also a town
                    town[0] == 1 and word in _person_words() and text[nxt_start].isupper()
                    and low[end:nxt_start].isspace()
                ):
                    town = None
        if best is not None and (town is None or best[0] >= town[0]):
            size, code = best
            end = tokens[i + size - 1][1] - best_trim
            kind = "water" if str(code).startswith("SEA-") else "region"
            mentions.append(PlaceMention(start, end, text[start:end], kind, str(code), None, ()))
            i += size
        elif town is not None:
            size, cands = town
            end = tokens[i + size - 1][1] - town_trim
            towns.append((len(mentions), end, cands))  # type: ignore[arg-type]
            mentions.append(PlaceMention(start, end, text[start:end], "locality", None, None, cands))  # type: ignore[arg-type]
            i += size
        else:
            i += 1
    if towns:
        context = {m.region_code for m in mentions if m.kind == "region"}
        for pos, _, cands in towns:
            chosen = resolve_locality(cands, context)
            if chosen is not None:
                old = mentions[pos]
                mentions[pos] = PlaceMention(
                    old.start, old.end, old.surface, "locality", chosen[1], chosen[0], cands
                )
    return mentions
