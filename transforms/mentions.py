"""Drone figures of one sentence: which numbers count drones, how each attaches to a noun, single
drones told without a number ("a drone was shot down"), and the outcome word nearest a figure.

Pure functions of one sentence's text; the document-level reading is in `claims.py`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transforms.numbers import NumberMention, find_numbers
from transforms.regex_gate import compile_gated

MAX_COUNT = 10_000  # no statement counts more drones at once; bigger figures are something else

_DRONE_STEMS = (
    r"(?:дрон|беспилот|бпла|безпілот|uav|drone|шахед|shahed|герань|geran|летательн|літальн|"
    r"аппарат|апарат|unmanned|камикадзе|kamikaze|квадрокоптер|коптер|ударн|lancet|ланцет|"
    r"mavic|ones\b|of them|из них|з них|із них)"
)
DRONE_WORD = compile_gated("^" + _DRONE_STEMS, re.I)
_HYPHEN_DRONE_WORD = re.compile("^-" + _DRONE_STEMS, re.I)
# words that may stand between a number and its noun
_SKIP_EN = compile_gated(
    r"^(?:ukrainian|russian|enemy|hostile|aircraft|type|aircraft-type|airplane-type|fixed-wing|"
    r"more|other|additional|long-range|attack|strike|combat|kamikaze|of|the|all|fixed|wing|"
    r"plane-type|aerial|air|enemy's|such|small|large|heavy|new|foreign|jet-powered|jet|guided|"
    r"unmanned|remotely|piloted|attacking|incoming|decoy|imitation|reconnaissance)$",
    re.I,
)
_REJECT_EN = compile_gated(
    r"^(?:people|persons?|civilians?|residents?|children|injur|killed|dead|wounded|houses?|homes?|"
    r"buildings?|apartments?|cars?|vehicles?|airports?|flights?|hours?|minutes?|seconds?|days?|"
    r"weeks?|months?|years?|km|kilomet|metres?|meters?|miles?|percent|missiles?|rockets?|bombs?|"
    r"cities|towns?|villages?|regions?|districts?|oblasts?|times|am|pm|a\.m|p\.m|helicopters?|"
    r"aircraft\b|planes?|jets?|ships?|boats?|tanks?|soldiers?|troops?|servicemen|guided|cruise|"
    r"ballistic|shells?|artillery|mortars?|mlrs|launchers?|sorties?|waves?|hectares?|storeys?|"
    r"floors?|tons?|tonnes?|million|billion|st|nd|rd|th|attacks?|strikes?|explosions?)",
    re.I,
)
MONTHS = (
    r"январ|феврал|март|апрел|ма[йяю]|июн|июл|август|сентябр|октябр|ноябр|декабр|січ|лют|берез|"
    r"квіт|трав|черв|лип|серп|верес|жовт|листопад|груд|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"
)
_MONTH_RE = compile_gated(r"^(?:" + MONTHS + r")", re.I)
_YEARISH = compile_gated(r"^(?:год|года|году|годом|г\b|рок|року|роки|років|year)", re.I)
_PREP_ELLIPTIC = compile_gated(
    r"^\s*(?:[—–-]\s*)?(?:над|в|во|у|на|над|по|из|из них|з них|із них|of|over|above|in|across|"
    r"near|off|of them|of those|each|were|was|ones?)\b",
    re.I,
)

OUTCOME_WORDS: tuple[tuple[str, str], ...] = (
    ("debris_found", r"обломк|обломок|обломков|debris|fragment|wreckage|remains of|уламк|уламок|"
                     r"остатк|залишк|фрагмент"),
    ("suppressed", r"подавлен|подавил|радиоэлектрон|\bрэб\b|electronic warfare|\bew\b|lost to location|(?:were|was) lost\b|"
                   r"локаційно|локационно|suppress|jamm|потерял\w* управлени|втратив\w* керуванн|"
                   r"втрачен|радіоелектрон|\bреб\b"),
    ("crashed", r"\bупал|\bупали|крушени|crash|\bвпав|\bвпали|рухнул|fell\b|fallen\b|упавш"),
    ("intercepted", r"уничтож|сбит|сбил|перехва|ликвид|нейтрализ|поражен|поразил|обезвред|знешкод|отраж|отрази|destroy|destruc|"
                    r"shot down|shoot down|shooting down|downed|intercept|neutrali|збит|збил|"
                    r"знищ|перехопл|перехоп|уражен|brought down|taken down|eliminat|repel|"
                    r"відбит|відбил|приземл|сбива|збива|knocked out|"
                    r"\bзбито|ліквідов|нейтраліз|downing|мінусув|приземлил|(?:were|was|been) hit\b"),
    ("launched", r"запуст|launch|выпусти|випусти|направил|направлен|атаковал|атакував|атакувал|"
                 r"attacked|атакован|пытал\w* атак|намагал\w* атак|fired\b|\bsent\b|випущен|"
                 r"запущен|attempted to attack|tried to attack|атакуюч|випустив|застосува|применил|"
                 r"атакува|attack(?:ing)? with|used\b"),
    ("hit", r"влучан|влучил|попадани"),
)
OUTCOME_RE = [(o, compile_gated(p, re.I)) for o, p in OUTCOME_WORDS]
_OUTCOME_PRIORITY = {o: i for i, (o, _) in enumerate(OUTCOME_WORDS)}

_VAGUE = compile_gated(r"^(?:several|some|dozens|scores|hundreds|несколько|десятки|десятков|"
                    r"кілька|декілька|десятки|сотни|сотні)$", re.I)
# Singular drones: "a drone", "беспилотник", "ворожий безпілотник" = 1 when an outcome is told.
_SINGULAR = {
    "en": compile_gated(
        r"\b(?:an?|one|another)\s+(?:(?:ukrainian|russian|enemy|hostile|attack|kamikaze|"
        r"aircraft-type|single|unmanned|fixed-wing|combat|strike)\s+){0,3}"
        r"(?:drone|uav|unmanned aerial vehicle|unmanned aircraft|shahed)\b"
        r"(?!\s*(?:attack|strike|command|operator|debris|threat|danger|alert|warning|raid|launch|"
        r"unit|assault|incursion|wreckage|fragment|factory|plant|base|production|program|war))",
        re.I),
    "ru": compile_gated(
        r"(?<![\w-])(?:один\s+|одного\s+)?(?:(?:украинск\w+|вражеск\w+|ударн\w+|беспилотн\w+|"
        r"самолетного типа|самол[её]тного типа)\s+){0,2}"
        r"(?:беспилотник|дрон|БПЛА|беспилотный летательный аппарат|летательный аппарат|"
        r"квадрокоптер|коптер|дрон-камикадзе|беспилотное воздушное судно)(?![\w-])",
        re.I),
    "uk": compile_gated(
        r"(?<![\w-])(?:один\s+)?(?:(?:ворож\w+|ударн\w+|російськ\w+)\s+){0,2}"
        r"(?:безпілотник|дрон|БпЛА|шахед|Шахед|БПЛА|безпілотний літальний апарат)(?![\w-])",
        re.I),
}
_SINGULAR_VERB = compile_gated(
    r"\b(?:сбит|уничтожен|перехвачен|подавлен|упал|был|была|обнаружен|shot|destroyed|"
    r"intercepted|downed|crashed|fell|збито|збитий|знищено|знищений|впав|уражено|сбили|"
    r"уничтожили|перехватили|збили|знищили|ликвидир|нейтрализ)\w*",
    re.I,
)
_BPLA = compile_gated(r"^(?:бпла|бпла)$", re.I)
# ---------------------------------------------------------------------------- figures

@dataclass(frozen=True)
class Mention:
    """A figure in a sentence that may count drones (offsets into the sentence)."""

    value: int
    start: int
    end: int
    qualifier: str
    kind: str            # "drone" (own drone noun), "elliptic" (noun left out), "single"
    distributive: bool


def _tokens_after(text: str, pos: int, n: int = 6) -> list[tuple[str, int, int, str]]:
    """Up to n word tokens after pos, each with the text between it and the previous one."""
    out = []
    prev = pos
    for m in re.finditer(r"[\w'’]+(?:-[\w'’]+)*|[%№:;,.()\"—–]", text[pos:pos + 160]):
        s, e = pos + m.start(), pos + m.end()
        out.append((m.group(), s, e, text[prev:s]))
        prev = e
        if len(out) >= n:
            break
    return out


def _is_adjective(word: str, lang: str) -> bool:
    if lang == "en":
        return bool(_SKIP_EN.match(word)) or ("-" in word and not DRONE_WORD.match(word))
    w = word.lower()
    if re.search(r"(?:ых|их|ого|ому|ой|ий|ый|ая|ые|ие|ую|ими|ыми|ому|ої|ій|ого|ими|их|і|ні|ні)$", w):
        return True
    return w in ("типа", "типу", "самолетного", "самолётного", "літакового", "of")


def classify_numbers(sentence: str, lang: str) -> list[Mention]:
    """The numbers of a sentence that may count drones, with how they attach to a noun."""
    out: list[Mention] = []
    for n in find_numbers(sentence, lang):
        n = _as_count(sentence, n)
        if n is None:
            continue
        if re.search(r"\(\s*$", sentence[max(0, n.start - 3):n.start]) and re.match(r"^\s*\)", sentence[n.end:]):
            # "над Курской (пять)": the figure of the place before the bracket
            out.append(Mention(n.value, n.start, n.end, n.qualifier, "elliptic", False))
            continue
        kind = _attachment(sentence, lang, n)
        if kind in (None, "reject"):
            continue
        if _VAGUE.match(sentence[n.start:n.end]):
            continue
        distributive = bool(re.search(r"(?:^|\s)по\s*$", sentence[max(0, n.start - 4):n.start], re.I)) or (
            lang == "en" and re.match(r"^\s*(?:\w+\s+){0,3}?each\b", sentence[n.end:n.end + 40], re.I) is not None
        )
        out.append(Mention(n.value, n.start, n.end, n.qualifier, kind, distributive))
    out = _with_same_amounts(sentence, out)
    out.sort(key=lambda x: x.start)
    return out


def _as_count(sentence: str, n: NumberMention) -> NumberMention | None:
    """The number with its case ending ("37-ми"), or None when it counts nothing.

    Ordinals, times, fractions, numbered items, dates, years, model numbers ("Shahed-136")
    and compound adjectives ("four-hour", "10-летний") are no counts.
    """
    before = sentence[max(0, n.start - 20):n.start]
    after = sentence[n.end:n.end + 12]
    case_ending = re.match(r"^-(?:ми|ти|х|ох|ьох|ма|мя|ю|ти|и)\b", after)
    if case_ending:
        # "37-ми дронів": a cardinal with its case ending
        n = NumberMention(n.value, n.start, n.end + case_ending.end(), n.qualifier)
        after = sentence[n.end:n.end + 12]
    elif re.match(r"^\s*(?::\d|\.\d|/|%)|^-\s?(?:х|x|ти|и|ї|й|го|м|ом|ому|я|е|ой|ый|ий)\b|^(?:th|st|nd|rd)\b", after):
        return None
    if re.search(r"(?:№|#|\d[.:])$", before):
        return None
    if re.search(r"(?:" + MONTHS + r")\w*\.?\s*$", before, re.I) and n.value <= 31:
        return None
    if 1900 <= n.value <= 2100 or n.value > MAX_COUNT:
        return None
    if re.search(r"\w[-/]$", before):
        # model numbers: "Shahed-136/131", "Су-34"
        return None
    if re.match(r"^-[a-zа-яіїє]", after, re.I) and not _HYPHEN_DRONE_WORD.match(after):
        # "four-hour window", "10-летний"
        return None
    return n


def _attachment(sentence: str, lang: str, n: NumberMention) -> str | None:
    """How a number attaches to a noun: "drone" (its own drone noun), "elliptic" (the noun left out),
    "reject" or None (it counts something else)."""
    toks = _tokens_after(sentence, n.end)
    kind = None
    tail = sentence[n.end:n.end + 40]
    of_m = re.match(r"^\s*(?:out\s+)?(?:of|из|з|із)\s+(?:them|those|these|which|the drones|них|яких|которых)\b", tail, re.I)
    of_n = re.match(r"^\s*(?:out\s+(?:of\s+)?|of\s+|из\s+|з\s+|із\s+)(\d+)", tail, re.I)
    if of_m:
        kind = "drone"
        toks = []
    elif of_n:
        rest = [w for w, *_ in _tokens_after(sentence, n.end + of_n.end(), 5) if not _is_adjective(w, lang)]
        if rest and DRONE_WORD.match(rest[0].lower()):
            kind = "drone"
        else:
            return None  # "22 out of 35 missiles"
        toks = []
    if toks:
        return _kind_of_next_words(toks, n.value, lang)
    return kind if kind is not None else "elliptic"


def _kind_of_next_words(toks: list[tuple[str, int, int, str]], value: int, lang: str) -> str | None:
    """The attachment the words after a number tell: the first that is no adjective decides."""
    for word, _, _, gap in toks:
        lw = word.lower()
        if DRONE_WORD.match(lw):
            return "drone"
        if _MONTH_RE.match(lw) and value <= 31 and lang != "en" or (lang == "en" and _MONTH_RE.match(lw) and len(lw) >= 3 and lw[:3] in ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec") and value <= 31 and word[0].isupper()):
            return "reject"
        if _YEARISH.match(lw):
            return "reject"
        if word in ("%", "№", ":", "."):
            return {"%": "reject", "№": "reject", ":": None, ".": "elliptic"}[word]
        if any(rx.match(lw) for _, rx in OUTCOME_RE) and not _is_adjective(word, lang) or lw in (
            "были", "был", "была", "було", "були", "был", "оказались"):
            return "elliptic"  # "ещё один уничтожен над ...", "16 были сбиты"
        if word in (",", ";", "(", ")", "—", "–", "«", "»", '"'):
            return "elliptic" if word in ("—", "–", ",") else None
        if _PREP_ELLIPTIC.match(gap + word) and not _is_adjective(word, lang) or lw in (
            "над", "в", "у", "на", "по", "из", "з", "із", "of", "over", "above", "in", "across",
            "near", "off", "each", "were", "was", "had", "have", "и", "and", "та", "і", "others"):
            return "elliptic"
        if lang == "en" and _REJECT_EN.match(lw) and not _SKIP_EN.match(lw):
            return "reject"
        if _is_adjective(word, lang):
            continue
        return "reject"
    return None


def _with_same_amounts(sentence: str, out: list[Mention]) -> list[Mention]:
    """ "пять — над Ростовской областью, столько же — над Крымом": the figure before, again."""
    out = list(out)
    for m in _SAME_AMOUNT.finditer(sentence):
        prev = [x for x in out if x.end <= m.start()]
        if prev:
            out.append(Mention(prev[-1].value, m.start(), m.end(), prev[-1].qualifier, "elliptic", False))
    return out


_SAME_AMOUNT = compile_gated(r"(?<!\w)(?:столько же|стільки ж|the same number)(?!\w)(?!\s*,?\s*(?:сколько|скільки|as\b))", re.I)


DEBRIS = compile_gated(r"обломк|обломок|фрагмент|debris|wreckage|fragments|уламк|уламок|остатк\w* беспилот", re.I)
DEBRIS_OF_ONE = compile_gated(
    r"(?:обломк\w*|обломок|фрагмент\w*|debris|wreckage|fragments|уламк\w*|уламок)\s+(?:from\s+|of\s+)?(?:an?\s+|the\s+)?"
    r"(?:[\w-]+\s+){0,2}?(?:беспилотника|дрона|беспилотного летательного аппарата|drone|UAV|"
    r"безпілотника|шахеда)\b(?!\s*(?:attack|strike|атак))",
    re.I,
)

# "очередной беспилотник", "о втором сбитом беспилотнике", "another drone", "третий — над морем"
ORDINAL_ONE = compile_gated(
    r"(?<![\w-])(?:(?:очередн|втор|трет|четв[её]рт|пят|ещ[её] одн|черегов|черговий|друг|третій|"
    r"четвертий)\w*\s+(?:(?!атак|удар)[\w-]+\s+){0,2}?(?:беспилотн\w*(?:ик|ика|ику|иком|ике|ый|ого|ому|ым)\b|"
    r"дрон(?:а|у|ом|е)?\b|БПЛА|БпЛА|безпілотник(?:а|у|ом)?\b|шахед(?:а|у|ом)?\b|летательн\w*)|"
    r"(?:another|a second|a third|one more)\s+(?:[\w-]+\s+){0,2}?(?:drone|uav|shahed)s?\b|"
    r"(?<=[,;]\s)(?:трет|четв[её]рт|третій|четверт)\w*(?=\s*[—–-]\s))",
    re.I,
)


def singular_mentions(sentence: str, lang: str, taken: list[Mention]) -> list[Mention]:
    rx = _SINGULAR.get(lang, _SINGULAR["en"])
    out = []
    for m in DEBRIS_OF_ONE.finditer(sentence):
        if re.search(r"падени\w*\s+$|crash site|site of", sentence[:m.start()], re.I):
            continue
        if any(t.start <= m.end() + 10 and m.start() <= t.end + 10 for t in taken):
            continue
        return [Mention(1, m.start(), m.end(), "exact", "single", False)]
    for m in ORDINAL_ONE.finditer(sentence):
        if DEBRIS.search(sentence[max(0, m.start() - 14):m.start()]):
            continue
        if any(t.start <= m.start() < t.end + 3 or m.start() <= t.start < m.end() for t in taken):
            continue
        out.append(Mention(1, m.start(), m.end(), "exact", "single", False))
    if out:
        return out
    for m in rx.finditer(sentence):
        if any(t.start <= m.end() + 40 and m.start() <= t.end + 40 for t in taken):
            continue
        word = m.group().split()[-1]
        if lang != "en":
            if _BPLA.match(word) or word.lower() in ("бпла",):
                if not _SINGULAR_VERB.search(sentence[max(0, m.start() - 25):m.end() + 25]):
                    continue
            # "атака беспилотника" has the noun in genitive and no match; plural verbs reject
            if re.search(r"^\s*(?:атак|удар|обломк|угроз)", sentence[m.end():m.end() + 8], re.I):
                continue
            if re.search(r"(?:атак\w*|угроз\w*|налет\w*|нападени\w*|опасност\w*)\s+$", sentence[:m.start()], re.I):
                continue
        out.append(Mention(1, m.start(), m.end(), "exact", "single", False))
        break
    return out


def outcome_at(sentence: str, start: int, end: int, lo: int = 0, hi: int | None = None) -> str | None:
    """The outcome word nearest to [start, end) inside sentence[lo:hi]."""
    hi = len(sentence) if hi is None else hi
    best: tuple[int, int, str] | None = None
    for outcome, rx in OUTCOME_RE:
        for m in rx.finditer(sentence, lo, hi):
            d = start - m.end() if m.end() <= start else max(0, m.start() - end)
            # a verb after the noun counts a little more than one before ("упал" in another clause)
            key = (d, _OUTCOME_PRIORITY[outcome], outcome)
            if best is None or key < best:
                best = key
    if best is None:
        return None
    if best[2] == "suppressed":
        for m in OUTCOME_RE[3][1].finditer(sentence, lo, hi):
            if abs(m.start() - start) < 45 and re.search(r"\b(?:або|или|or|чи|/|та|і|и|and)\b|/", sentence[min(m.end(), start):max(m.start(), start)] + sentence[max(0, m.end()):m.end() + 12]):
                return "intercepted"
    # "збито/подавлено", "intercepted and destroyed": a kill verb next to another counts as kill
    return best[2]
