"""Claims of one document: numbers of drones, their outcome, region, towns, speaker and window.

Runs per document, only on the sentences the vectorised pre-filter kept (and their neighbours,
which the parser reads for context: a speaker named after the figure, an enumeration of towns,
a breakdown continued in the next sentence). The figures of one sentence come from `mentions.py`;
`parse_document` reads them in document context, step by step.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from transforms.mentions import (
    DEBRIS,
    DEBRIS_OF_ONE,
    MONTHS,
    ORDINAL_ONE,
    OUTCOME_RE,
    Mention,
    classify_numbers,
    outcome_at,
    singular_mentions,
)
from transforms.breakdowns import (
    drop_type_breakdowns,
    is_list_item,
    link_breakdowns,
    link_region_tallies,
    mark_unplaced_totals,
)
from transforms.regex_gate import compile_gated
from transforms.speakers import SpeakerMention, channel_mention, find_speakers, title_region_phrase
from transforms.windows import find_window, resolve_window


@dataclass(frozen=True)
class DocumentInput:
    """What the parser needs of one document."""

    id: str
    text: str
    lang: str
    published_at: datetime | None
    channel: str | None
    sentences: tuple[tuple[int, int], ...]   # (start, end) of every sentence, in order
    candidates: tuple[int, ...]              # indices of sentences the pre-filter kept


@dataclass
class Claim:
    """One claimed number while the document is being parsed."""

    sent: int
    count: int
    qualifier: str
    outcome: str
    region: str | None
    num_start: int
    speaker: SpeakerMention | None = None
    is_total: bool = False
    elliptic: bool = False
    parent: int | None = None          # index of the total in the document's claim list
    towns: list[tuple[str, int | None, str | None, bool]] = field(default_factory=list)
    locality_places: list = field(default_factory=list)
    window_text: str | None = None
    cumulative: bool = False
    multi: list[str] = field(default_factory=list)   # regions named together, none chosen
    incremental: bool = False   # "ещё один", "another": a new object, never a repeat
    placed: bool = True         # the sentence gave it a place of its own
    aimed_only: bool = False    # its only place is a target ("attack on Kyiv"), not where it fell
    enumerated: bool = False    # one of "два ...: в Истре и в Красногорске", one per town

    @property
    def role(self) -> str | None:
        """The speaker's role, None while nobody is assigned."""
        return self.speaker.role if self.speaker else None


# ---------------------------------------------------------------------------------- vocabulary

_CUMULATIVE = compile_gated(
    r"since the (?:start|beginning)|с начала|з початку|всего с|за время|"
    r"за (?:весь |минувший |прошедший |последний |этот |текущий )?(?:год|месяц)\b|"
    r"за (?:весь |минулий |останній |цей |поточний )?(?:рік|місяць)\b|"
    r"(?:over|in|during) the (?:past|last) (?:year|month)|this year|since (?:january|february|march|april|may|june|"
    r"july|august|september|october|november|december|\d{4})",
    re.I,
)
_ENUM_KEY = compile_gated(
    r"\b(?:cities|towns|villages|settlements|localities|populated areas|municipalities|districts|"
    r"города|городах|населенн\w+ пункт\w*|населённ\w+ пункт\w*|сел\w*|районах|міста|містах|"
    r"населен\w+ пункт\w*|громад\w*)\b",
    re.I,
)
_CAP_WORD = compile_gated(r"[A-ZА-ЯЁІЇЄ][\w'’-]+")
_TITLE_NEAR = compile_gated(
    r"(?:governor|mayor|head|глав\w*|губернатор\w*|мэр\w*|голов\w*|начальник\w*|"
    r"adviser|спикер\w*)\W+(?:of\s+)?(?:the\s+)?\W*$",
    re.I,
)
_REPORT_VERB = compile_gated(
    r"сообщ|заяв|написал|рассказал|said|says|report|confirm|announc|stated|wrote|according|claim|"
    r"повідом|заявив|написав|розповів|за словами|по словам|по данным|по информации|"
    r"об этом|про це|this was|added|добавил|додав|додала|уточнил|уточнив|отметил|зазначив|noted",
    re.I,
)

_INCREMENT = compile_gated(r"ещ[её]|another|one more|a further|further|also|ще\b|очередн|черговий", re.I)
_KNOCK_ON = ("debris_found", "crashed", "hit")  # outcomes that follow a kill, never a count of their own
_TARGET = compile_gated(
    r"(?:(?:лет\w+|направля\w+|направл\w+|атак\w+|flying|heading|headed|aimed)\s+(?:на|к|в|towards?|at|for)|"
    r"на подл[её]те к|towards|в сторону|в направлении|(?:attack|strike)s?,?\s+(?:including\s+)?on|"
    r"по объектам (?:на территории|в|у)|по об'єктах (?:на території|в|у))\s+(?:the\s+)?$",
    re.I,
)
_DISTRICT = compile_gated(
    r"[А-ЯЁІЇЄ][\w'’-]+(?:ському|ськом|ском|ским|ській|ской|цькому|цком|зькому|ському)"
    r"(?:\s*(?:,|і|та|и|й)\s*[А-ЯЁІЇЄ][\w'’-]+)*\s+(?:район\w*|округ\w*|громад\w*)|"
    r"[А-ЯЁІЇЄ][\w'’-]+(?:щин[іеуи]|щине|чин[іе])\b|"
    r"[А-ЯЁІЇЄ][\w'’-]+(?:ському|ському|ском|цькому|цком|зькому)\b(?=\s*[,.;]|$)"
)
_PRONOUN_SPEAKER = compile_gated(
    r"(?:розповів|розповіла|сказав|сказала|заявив|заявила|додав|додала|написав|написала|повідомив|"
    r"сообщил|сообщила|заявил|заявила|добавил|добавила|написал|написала|рассказал|рассказала|"
    r"said|added|wrote|says)\s+(?:він|вона|он|она|he|she)\b|(?:he|she)\s+(?:said|added|wrote)",
    re.I,
)
_AND_OTHER_REGIONS = compile_gated(
    r"^\s*,?\s*(?:и|та|і|and|а также|as well as)\s+(?:(?:над|в|у|over|in)\s+)?(?:(?:другими|других|другие|"
    r"несколькими|нескольких|іншими|інших|кількома|other|several|various)\s+)?"
    r"(?:регион\w*|регіон\w*|област\w*|region|oblast|territor|территори\w*|субъект\w*)",
    re.I,
)
_MOD_FORMULA = compile_gated(
    r"дежурн\w+ средств\w+ (?:ПВО|противовоздушной обороны)|air defen[cs]e (?:systems|assets|means|units) on duty|"
    r"on-duty air defen[cs]e (?:systems|assets|means|units)",
    re.I,
)
_BACKGROUND = compile_gated(
    r"как сообщалось|как ранее сообщал|ранее сообщалось|сутками ранее|накануне|як повідомлялося|раніше повідомлялося|"
    r"напередодні|as (?:previously )?reported|earlier,|the day before|a day earlier",
    re.I,
)
_MANY_REGIONS = compile_gated(
    r"(?:над|в|по|у|over|across|in)\s+(?:[\w-]+\s+){0,2}(?:регионами|регионах|регіонами|регіонах|областями|"
    r"областях|regions)\b", re.I)
_PRONOUN_OUTCOME = compile_gated(
    r"\b(?:it|they)\s+(?:had|has|have|was|were)\s+(?:been\s+)?[“\"']?(?:shot down|destroyed|intercepted|downed)|"
    r"(?:^|[\s,])(?:он|она|они|він|вона|вони)\s+(?:(?:был|была|были|було)\s+)?(?:сбит|уничтожен|перехвачен|збит|знищен)\w*",
    re.I,
)
_VAGUE_DRONES = compile_gated(
    r"(?:несколько|several|a few|some|кілька|декілька|ряд)\s+(?:[\w-]+\s+){0,2}?(?:беспилот|дрон|бпла|drone|uav|"
    r"безпілот|летательн|літальн)",
    re.I,
)
_AT_PLACE = r"(?:в|во|у|над|под|біля|near|in|over|outside)\s+"
_THE_REGION = compile_gated(
    r"(?:над|в|по|у|на|over|in|across|above)\s+(?:этим\s+|этой\s+|цим\s+|цією\s+|the\s+)?"
    r"(?:регионом|регионе|регіоном|регіоні|областью|области|областю|області|region|oblast)\b(?!\s+of\b)",
    re.I,
)
_OF_THEM = compile_gated(r"^\s*(?:out\s+)?(?:of|из|з|із)\s+(?:them|those|these|них|яких|которых)\b", re.I)
_SAID_THAT = compile_gated(
    r"^[^.;:«“\"]{0,60}?\b(?:said|says|told|reported|wrote|announced|stated|заявил\w*|сообщил\w*|"
    r"написал\w*|рассказал\w*|повідомив\w*|повідомила|заявив|заявила|написав|написала|розповів|розповіла)"
    r"\b[^.;]{0,20}?(?:\bthat\b|,?\s*что\b|,?\s*що\b)",
    re.I,
)
_VERB_NEXT = compile_gated(
    r"^\s*(?:[—–-]\s*)?(?:of them\s+|из них\s+|з них\s+|others\s+|more\s+)?(?:were|was|have been|had been|"
    r"были|был|была|було|були)?\s*"
    r"(?:shot down|destroyed|intercepted|downed|сбит\w*|уничтожен\w*|перехвачен\w*|збит\w*|знищен\w*|"
    r"lost\b|suppressed|jammed|подавлен\w*|локаційно|локационно|втрачен\w*|потерян\w*)",
    re.I,
)
_RELATED = compile_gated(
    r"^(?:ЕЩЕ ПО ТЕМЕ|ЕЩЁ ПО ТЕМЕ|Еще по теме|Читайте также|Читайте також|Смотрите также|Дивіться також|"
    r"Read (?:also|more)|Related(?: news| articles| stories)?|See also|More on this|Новости партн[её]ров|"
    r"Свежие комментарии|Популярное|Последние новости|Останні новини|Latest news)\W*$",
    re.I,
)
_OTHER_REPORT = compile_gated(
    r"^\s*\d{1,2}\s+(?:" + MONTHS + r")\w*\s|"  # "4 мая губернатор сообщил ...": that day's report
    r"сутками ранее|накануне|дн[её]м ранее|a day earlier|the day before|the previous (?:day|night)|"
    r"позавчера|за день до|напередодні|добою раніше",
    re.I,
)
_CASUALTY = compile_gated(r"injur|killed|wounded|dead|died|hurt|ранен|погиб|пострада|загин|поранен|травм|люд|people|civilian", re.I)
_SUBSET = compile_gated(r"(?:including|в том числе|у тому числі|включая|among them|з яких|из которых)\s+$", re.I)
_METONYM_AFTER = compile_gated(
    r"^\s+(?:has\s+|have\s+|had\s+)?(?:launched|said|says|claimed|claims|fired|sent|used|attacked|struck|"
    r"reported|denied|time|время|времени|часу|запустил\w*|заявил\w*)\b|^\s+time\b|^\s*\(\d",
    re.I,
)
_REGION_FIRST = compile_gated(r"[—–]\s*(?:(?:по|также|ещё|еще|ще|також|тоже)\s+){0,2}$", re.I)
_CLAUSE_BREAK = compile_gated(r"[,;:()«»]|\s(?:а также|and also|as well as|а ещё|а еще|ще|ещё|еще)\s")
_LIST_START = compile_gated(
    r"^[\s,;:]*(?:(?:а также|and also|also|and|и|та|і|й|а|over|above|in|над|в|у|на|as well as|"
    r"the territor\w+ of|территори\w+|територі\w+)\s+)*(?:the\s+)?$",
    re.I,
)
_BODY_END = compile_gated(r"[.!?…][\"»”’')]*$")
_SMALL_TOWN = 20_000  # below this a lone namesake across the border is more likely a gap in the gazetteer
_RESPECTIVELY = compile_gated(r"соответственно|respectively|відповідно", re.I)
_ONE_OF = compile_gated(r"одного из|одного з|of one of|one of the|одного беспилот|одного дрон|одного БПЛА", re.I)


def _places_api():
    from transforms import places  # written beside this module; imported late on purpose

    return places


# ---------------------------------------------------------------------------------- the parser

def parse_document(doc: DocumentInput) -> tuple[list[dict], list[dict]]:
    """Claims (CLAIM_SCHEMA dicts) and their towns (CLAIM_PLACE_SCHEMA dicts) of one document.

    The steps run in this order because each reads what the ones before decided: a speaker's
    region fills a figure without a place, totals are linked once speakers and regions are known,
    a breakdown item inherits its total's window, and repeats are merged last.
    """
    ctx = _read_document(doc)
    if ctx is None:
        return [], []
    claims = _claims_of_sentences(ctx)
    if not claims:
        return [], []
    _assign_speakers_and_regions(ctx, claims)
    claims = _drop_related_headlines(ctx, claims)
    claims = _add_pronoun_repeats(ctx, claims)
    claims = _add_debris(claims, ctx.work, ctx.sentences, ctx.text)
    _assign_missing_speakers(ctx, claims)
    claims = drop_type_breakdowns(claims, ctx.text, ctx.sentences, ctx.lang)
    link_breakdowns(claims, ctx.text, ctx.sentences, ctx.lang, ctx.windows)
    link_region_tallies(claims, ctx.text, ctx.sentences)
    mark_unplaced_totals(claims)
    _assign_windows(ctx, claims)
    _resolve_towns(ctx, claims)
    keep, remap = _merge_repeats(ctx, claims)
    return _rows(ctx, claims, keep, remap)


@dataclass
class _DocContext:
    """One document while it is parsed: its text, the sentences read and what the steps look up."""

    doc: DocumentInput
    text: str
    lang: str
    sentences: tuple[tuple[int, int], ...]   # the article's sentences, cut before "Read also"
    cand: set[int]                           # drone sentences
    work: list[int]                          # drone sentences and the ones read with them
    speakers: list[SpeakerMention]
    sp_sent: list[tuple[int, SpeakerMention]]   # (sentence index, speaker)
    channel_speaker: SpeakerMention | None
    places_api: Any
    doc_regions: list[str] = field(default_factory=list)      # regions named in the sentences read
    context_regions: set[str] = field(default_factory=set)    # those and the speakers' regions
    place_cache: dict[int, list] = field(default_factory=dict)
    formula: list[SpeakerMention | None] = field(default_factory=list)   # the ministry's formula, once looked up
    windows: dict[int, str | None] = field(default_factory=dict)          # window phrase by sentence, once looked up

    def sentence(self, i: int) -> str:
        s, e = self.sentences[i]
        return self.text[s:e]

    def window(self, i: int) -> str | None:
        """The window phrase of sentence i (find_window, once per sentence)."""
        if i not in self.windows:
            self.windows[i] = find_window(self.sentence(i), self.lang)
        return self.windows[i]


# ---------------------------------------------------------------- reading the document

def _read_document(doc: DocumentInput) -> _DocContext | None:
    """The sentences to read, the speakers near them and the regions they name; None without a drone sentence."""
    places_api = _places_api()
    text, lang = doc.text, doc.lang or "en"
    sentences, cand = _cut_related(text, doc.sentences, set(doc.candidates))
    if not cand:
        return None
    work = _work_sentences(text, sentences, cand, lang)
    speakers = _speakers_near(text, sentences, work)
    starts = [s for s, _ in sentences]
    sp_sent = [(max(0, bisect.bisect_right(starts, sp.start) - 1), sp) for sp in speakers]
    ctx = _DocContext(doc=doc, text=text, lang=lang, sentences=sentences, cand=cand, work=work,
                      speakers=speakers, sp_sent=sp_sent,
                      channel_speaker=channel_mention(doc.channel) if doc.channel else None,
                      places_api=places_api)
    ctx.doc_regions = [p.region_code for i in work for p in _places_in(ctx, i)
                       if p.kind in ("region", "water") and p.region_code]
    ctx.context_regions = set(ctx.doc_regions) | {sp.region_code for sp in speakers if sp.region_code}
    return ctx


def _cut_related(text: str, sentences: tuple[tuple[int, int], ...],
                 cand: set[int]) -> tuple[tuple[tuple[int, int], ...], set[int]]:
    """Page furniture: nothing after "ЕЩЕ ПО ТЕМЕ" / "Read also" belongs to the article."""
    for k, (a, b) in enumerate(sentences):
        if _RELATED.match(text[a:b]):
            return sentences[:k], {i for i in cand if i < k}
    return sentences, cand


def _work_sentences(text: str, sentences: tuple[tuple[int, int], ...], cand: set[int], lang: str) -> list[int]:
    """The drone sentences and the two after each: breakdowns go on without the noun.

    A breakdown with one item per line goes on as long as the lines do.
    """
    work_set = cand | {i + k for i in cand for k in (1, 2) if i + k < len(sentences)}
    for i in range(1, len(sentences)):
        if i - 1 in work_set and i not in work_set and is_list_item(text[sentences[i][0]:sentences[i][1]], lang):
            work_set.add(i)
    return sorted(work_set)


def _speakers_near(text: str, sentences: tuple[tuple[int, int], ...], work: list[int]) -> list[SpeakerMention]:
    """Speakers of the headline and the stretch around the drone sentences, not of a whole long page."""
    windows = [(0, min(3, len(sentences)))] + [(max(0, i - 3), min(len(sentences), i + 4)) for i in work]
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(windows):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    speakers: list[SpeakerMention] = []
    for lo, hi in merged:
        a, b = sentences[lo][0], sentences[hi - 1][1]
        speakers += [replace(sp, start=sp.start + a, end=sp.end + a) for sp in find_speakers(text[a:b])]
    return speakers


# ---------------------------------------------------------------------------- places

def _places_in(ctx: _DocContext, i: int) -> list:
    """The places of sentence i in document offsets (a speaker's title place has kind "speaker_...")."""
    if i not in ctx.place_cache:
        s, e = ctx.sentences[i]
        found = _named_places(ctx.text, s, e, ctx.speakers, ctx.places_api)
        found = _with_regions_without_noun(ctx.text, s, e, ctx.lang, found, ctx.places_api)
        found = _with_districts(ctx.text, s, e, found, ctx.places_api)
        found.sort(key=lambda p: p.start)
        ctx.place_cache[i] = found
    return ctx.place_cache[i]


def _named_places(text: str, s: int, e: int, speakers: list[SpeakerMention], places_api) -> list:
    """The gazetteer's places in text[s:e], less the names that are people, outlets or adjectives."""
    found = []
    for p in places_api.find_places(text[s:e]):
        if p.kind == "locality" and any(sp.start <= s + p.start < sp.end for sp in speakers):
            continue  # "Гусев" the governor, not the town
        if p.surface.isupper() and len(p.surface) > 3 or _METONYM_AFTER.match(text[s + p.end:s + p.end + 30]):
            continue  # "KYIV (Reuters) -", "Moscow launched", "Moscow time"
        if p.kind == "locality" and re.search(r"(?:ого|его|ому|ему|ым|им|ой|ей)$", p.surface) and re.match(
                r"\s+[а-яё]{3,}", text[s + p.end:s + p.end + 12]) and not re.match(
                r"\s+(?:район|округ|город|посел|сел|деревн|област)", text[s + p.end:s + p.end + 12]):
            continue  # "со стороны Северного мола": an adjective of a common noun, not the town
        if _TITLE_NEAR.search(text[s:e][:p.start]) or re.search(
                r"(?:командуванн\w*|командовани\w*|command)\s*[«“\"]?\s*$", text[s:e][:p.start], re.I):
            p = replace(p, kind="speaker_" + p.kind)
        found.append(replace(p, start=p.start + s, end=p.end + s))
    return found


def _with_regions_without_noun(text: str, s: int, e: int, lang: str, found: list, places_api) -> list:
    """ "над Брянской" with the noun left out: the adjective read as "Брянской области"."""
    found = list(found)
    for m in re.finditer(r"\b(?:над|в|у|по|и|та|і|,)\s+([А-ЯЁІЇЄ][\w'’-]+(?:ской|ській|ської|цкой|ской|зькій|зької|цькій|цької))\b(?!\s+(?:област|обл|ОВА|округ|район|край|республик|регион|регіон))", text[s:e]):
        if any(q.start <= s + m.start(1) < q.end for q in found):
            continue
        suffix = " області" if lang == "uk" else " области"
        for q in places_api.find_places(m.group(1) + suffix):
            if q.kind == "region":
                found.append(replace(q, start=s + m.start(1), end=s + m.end(1), surface=m.group(1)))
                break
    return found


def _with_districts(text: str, s: int, e: int, found: list, places_api) -> list:
    """Districts ("у Синельниківському та Дніпровському районах"): places without a region."""
    found = list(found)
    for m in _DISTRICT.finditer(text[s:e]):
        if any(q.start < s + m.end() and s + m.start() < q.end for q in found):
            continue
        found.append(places_api.PlaceMention(s + m.start(), s + m.end(), m.group(), "district", None, None, ()))
    return found


# -------------------------------------------------------------------------- speakers

def _speaker_region(ctx: _DocContext, sp: SpeakerMention | None, deep: bool = True) -> str | None:
    """The region a regional or city head speaks for: their title, a namesake's, or the text's one region."""
    if sp is None or sp.role not in ("regional_head", "city_head"):
        return None
    if sp.region_code:
        return sp.region_code
    phrase = title_region_phrase(ctx.text, sp)
    if phrase:
        for q in ctx.places_api.find_places(phrase):
            if q.region_code:
                return q.region_code
    for adj in re.findall(r"[А-ЯЁІЇЄ][\w'’-]+(?:ської|ской|зької|цької|цкой|зской)", (phrase or "") + " " + sp.speaker):
        for q in ctx.places_api.find_places(adj + (" області" if ctx.lang == "uk" else " области")):
            if q.region_code:
                return q.region_code
    if not deep:
        return None
    # a bare "губернатор": the governor named elsewhere in the text
    for o in ctx.speakers:
        if o is not sp and o.role == sp.role:
            code = _speaker_region(ctx, o, deep=False)
            if code:
                return code
    # "the region's governor": the one region the text is about
    if len(set(ctx.doc_regions)) == 1:
        return ctx.doc_regions[0]
    return None


def _last_named(prev: list[SpeakerMention]) -> SpeakerMention:
    """The last of prev, preferring an official with a region or the ministry."""
    named = [sp for sp in prev if sp.region_code or sp.role == "defence_ministry"]
    return (named or prev)[-1]


def _speaker_for(ctx: _DocContext, i: int, pos: int) -> SpeakerMention | None:
    """Who claims the figure at pos of sentence i: the reporting speaker there, else next door."""
    text, sentences, sp_sent = ctx.text, ctx.sentences, ctx.sp_sent
    same = [sp for k, sp in sp_sent if k == i]
    if _PRONOUN_SPEAKER.search(ctx.sentence(i)):
        # "..., – розповів він": the one named before speaks
        prev = [sp for k, sp in sp_sent if k < i and sp.role not in ("media",)]
        if prev:
            return _last_named(prev)
    # "the governor said that the air force shot down five": who says it, not who did it
    introducing = [sp for sp in same if sp.end <= pos and _SAID_THAT.match(text[sp.end:pos])]
    if introducing:
        return introducing[-1]
    reporting = [sp for sp in same if _REPORT_VERB.search(text[max(sentences[i][0], sp.start - 45):sp.end + 45])]
    if reporting:
        same = reporting
    elif same and all(sp.role in ("military", "defence_ministry") for sp in same) and any(
        sp.role not in ("military", "defence_ministry") for k, sp in sp_sent if k in (i - 1, i + 1)
    ):
        # "наші захисники з Повітряного командування" acts; the speaker is named next door
        same = []
    if same:
        # prefer a named official with a region over a bare title
        same.sort(key=lambda sp: (abs(sp.start - pos) + (0 if sp.region_code or sp.role == "defence_ministry" else 30)))
        return same[0]
    if i + 1 < len(sentences) and _PRONOUN_SPEAKER.search(ctx.sentence(i + 1)):
        prev = [sp for k, sp in sp_sent if k <= i and sp.role not in ("media",)]
        if prev:
            return _last_named(prev)
    nxt = [sp for k, sp in sp_sent if k == i + 1]
    if nxt and i + 1 < len(sentences) and _REPORT_VERB.search(ctx.sentence(i + 1)):
        return nxt[0]
    prev = [sp for k, sp in sp_sent if 0 <= k < i]
    reporting_prev = [sp for k, sp in sp_sent if 0 <= k < i
                      and _REPORT_VERB.search(text[max(sentences[k][0], sp.start - 45):sp.end + 45])
                      and not _PRONOUN_SPEAKER.search(ctx.sentence(k))]
    if reporting_prev:
        prev = reporting_prev
    if prev:
        best = prev[-1]
        # a bare title right next to a named official of the same role: take the named one
        named = [sp for sp in prev if sp.role == best.role and sp.region_code]
        return named[-1] if named and not best.region_code else best
    later = [sp for k, sp in sp_sent if k > i]
    return later[0] if later else None


def _default_speaker(ctx: _DocContext, i: int) -> SpeakerMention | None:
    """The speaker when the text names nobody: the Telegram channel, else the ministry by its formula."""
    if ctx.channel_speaker is not None:
        return ctx.channel_speaker
    if not ctx.formula:
        # nobody named, but the ministry's own formula ("дежурными средствами ПВО перехвачены"): its report
        fm = _MOD_FORMULA.search(ctx.text)
        ctx.formula.append(SpeakerMention(fm.start(), fm.end(), fm.group(), "defence_ministry", None) if fm else None)
    # "Как сообщалось, сутками ранее ...": the outlet's background, not the report it retells
    if ctx.formula[0] is None or _BACKGROUND.search(ctx.sentence(i)):
        return None
    return ctx.formula[0]


# ------------------------------------------------------------------ claims per sentence

def _claims_of_sentences(ctx: _DocContext) -> list[Claim]:
    """The claimed figures of the sentences read, in order (a sentence reads the claims before it)."""
    claims: list[Claim] = []
    for i in ctx.work:
        claims += _sentence_claims(ctx, i, claims)
    return claims


def _sentence_mentions(ctx: _DocContext, i: int, prior: list[Claim]) -> list[Mention]:
    """The figures of sentence i that may be claims.

    A sentence after a drone sentence gives only the figures that go on its breakdown.
    """
    s, e = ctx.sentences[i]
    sent = ctx.text[s:e]
    prev_anchor = any(c.sent == i - 1 for c in prior)
    in_cand = i in ctx.cand
    if not in_cand and not prev_anchor:
        return []
    mentions = classify_numbers(sent, ctx.lang)
    anchors_here = [m for m in mentions if m.kind == "drone"]
    mentions = [m for m in mentions if m.kind != "elliptic" or anchors_here or prev_anchor]
    if in_cand:
        singles = singular_mentions(sent, ctx.lang, mentions)
        if any(DEBRIS_OF_ONE.match(sent, x.start) for x in singles) and _VAGUE_DRONES.search(ctx.text, 0, e):
            # "сбиты несколько беспилотников ... обломки беспилотника": debris of one of an uncounted few
            singles = [x for x in singles if not DEBRIS_OF_ONE.match(sent, x.start)]
        mentions += singles
        mentions.sort(key=lambda m: m.start)
    else:
        mentions = [m for m in mentions if m.kind == "elliptic" or re.search(
            r"(?:аппарат|апарат|ones|of them|из них|з них)", sent[m.end:m.end + 30], re.I)]
    return mentions


def _sentence_claims(ctx: _DocContext, i: int, prior: list[Claim]) -> list[Claim]:
    """The claims of sentence i: an outcome, a place and a region for each of its figures."""
    mentions = _sentence_mentions(ctx, i, prior)
    if not mentions:
        return []
    text = ctx.text
    s, e = ctx.sentences[i]
    sent = text[s:e]
    claims = list(prior)
    sent_places = [p for p in _places_in(ctx, i) if not p.kind.startswith("speaker_")]
    anchor_outcome = None
    respective = _respective_places(sent, s, mentions, sent_places)
    for k, m in enumerate(mentions):
        seg_hi = mentions[k + 1].start if k + 1 < len(mentions) else len(sent)
        outcome = _mention_outcome(ctx, i, mentions, k, anchor_outcome, claims)
        if outcome is None:
            continue
        also_launched = outcome == "intercepted" and re.search(
            r"(?:\ball|\bвсе|\bвсі|\bусі|\bвсех|\bвсіх|\bусіх)\s+$", sent[:m.start], re.I) and re.search(
            r"launch|fired|запущен|выпущен|випущен|запущених|випущених", sent[m.end:m.end + 50], re.I)
        if m.kind == "single" and outcome == "launched" and not re.search(r"launch|запущ|выпущ|випущ", sent, re.I):
            continue
        own = respective.get(k) or _own_places(sent, s, mentions, k, sent_places)
        if k in respective:
            m = replace(m, distributive=False)
        if _no_claim_of_its_own(text, sent, i, k, m, own, claims):
            continue
        own, aimed_only = _without_targets(text, own)
        regions = [p for p in own if p.kind in ("region", "water")]
        localities = [p for p in own if p.kind == "locality"]
        if ctx.context_regions:
            localities = _read_in_context(localities, ctx.context_regions, ctx.places_api)
        if not m.distributive and len(regions) > 1:
            regions = _listed_with_first(text, regions)
        codes, multi = _region_codes(text, sent, i, m, own, regions, localities, claims)
        if m.kind == "elliptic":
            anchor_outcome = anchor_outcome or outcome
        else:
            anchor_outcome = outcome
        placed = bool(regions or [p for p in localities if p.region_code])
        both = _suppressed_and_crashed(sent, mentions[k - 1].end if k else 0, seg_hi) if outcome in (
            "suppressed", "crashed") else ()
        claims += _figure_claims(sent, s, i, m, outcome, codes, multi, regions, localities,
                                 placed=placed, aimed_only=aimed_only, also_launched=bool(also_launched), both=both)
        if not both:
            claims += _one_per_town(sent, s, i, m, seg_hi, outcome, codes, localities, ctx.places_api)
    return claims[len(prior):]


def _mention_outcome(ctx: _DocContext, i: int, mentions: list[Mention], k: int,
                     anchor_outcome: str | None, claims: list[Claim]) -> str | None:
    """The outcome of the k-th figure of sentence i: its own verb, the figure it continues, the next sentence's."""
    sentences, text = ctx.sentences, ctx.text
    sent = ctx.sentence(i)
    m = mentions[k]
    seg_hi = mentions[k + 1].start if k + 1 < len(mentions) else len(sent)
    own = outcome_at(sent, m.start, m.end, m.end, seg_hi) if m.kind == "elliptic" else None
    outcome = own
    if outcome in _KNOCK_ON:
        outcome = None  # "ще один – у районі, де уламки ...": the debris is a consequence
    if outcome is None and m.kind == "elliptic" and not anchor_outcome:
        # "Над Київщиною збито 12, над Черкащиною — 8": the verb before the first figure
        before = outcome_at(sent, m.start, m.end, mentions[k - 1].end if k else 0, m.start)
        outcome = before if before not in _KNOCK_ON else None
    if outcome is None and m.kind == "elliptic":
        outcome = anchor_outcome or (claims[-1].outcome if claims and claims[-1].sent >= i - 2 else None)
    if outcome is None:
        outcome = outcome_at(sent, m.start, m.end)
    if m.kind == "elliptic" and anchor_outcome and own in (None,) + _KNOCK_ON:
        outcome = anchor_outcome
    attempt = outcome == "launched" and re.search(r"пыта|намага|attempt|tried|trying", sent, re.I)
    if (outcome is None or attempt) and m.kind != "elliptic" and i + 1 < len(sentences):
        # "Четыре БПЛА пытались атаковать область. Они были сбиты ...": the next sentence tells
        ns, ne = sentences[i + 1]
        if not classify_numbers(text[ns:ne], ctx.lang):
            nxt_outcome = outcome_at(text[ns:ne], 0, 0)
            # "... на месте падения обломков работают": debris told next is no count of its own
            if nxt_outcome != "debris_found":
                outcome = nxt_outcome or outcome
    if outcome is None and m.kind == "drone" and re.search(r"(?:атак\w*|удар\w*|напад\w*)\s+(?:[\w-]+\s+){0,2}$", sent[:m.start], re.I) \
            and re.match(r"^\s*(?:[\w-]+\s+){0,3}?[\w-]*(?:ами|ями)\b", sent[m.end:m.end + 60]):
        outcome = "launched"  # "атаку пятью беспилотниками": the attack was made with five
    if outcome is None and claims and claims[-1].sent in (i - 2, i - 1, i):
        outcome = claims[-1].outcome
    if k and re.match(r"^\s*(?:out\s+(?:of\s+)?|of\s+|из\s+|з\s+|із\s+)$", sent[mentions[k - 1].end:m.start], re.I):
        outcome = "launched"
    return outcome


def _no_claim_of_its_own(text: str, sent: str, i: int, k: int, m: Mention, own: list, claims: list[Claim]) -> bool:
    """A figure that is no claim: an elliptic one without a place or of casualties, or a subset of the one before."""
    if m.kind == "elliptic" and not own and not _VERB_NEXT.match(sent[m.end:m.end + 40]):
        return True  # "87 were shot down" stands alone; "11 над ..." needs its place
    if m.kind == "elliptic" and _CASUALTY.search(sent[m.end:m.end + 40]):
        return True
    # "seven over the Moscow Region, including two flying toward Moscow"
    return bool(k and _SUBSET.search(sent[max(0, m.start - 30):m.start]) and claims and claims[-1].sent == i and (
        claims[-1].region or (own and all(_TARGET.search(text[max(0, p.start - 40):p.start]) for p in own))
    ))


def _without_targets(text: str, own: list) -> tuple[list, bool]:
    """ "летевших на Москву" names a target; where it was downed wins when also named.

    Returns the places and whether the figure's only places are targets.
    """
    aimed: list = []
    for p in own:
        if _TARGET.search(text[max(0, p.start - 40):p.start]) or aimed and re.fullmatch(
                r"\s*(?:,|и|та|і|and)\s*(?:[\w-]+\s+)?", text[aimed[-1].end:p.start]):
            aimed.append(p)  # "по объектам в Московской области и Новой Москве": both are targets
    if aimed and len(aimed) < len(own):
        own = [p for p in own if p not in aimed]
    return own, bool(aimed) and len(aimed) == len(own)


def _read_in_context(localities: list, context_regions: set[str], places_api) -> list:
    """A town of the same name elsewhere: read it in the text's regions, or not at all."""
    fixed = []
    for p in localities:
        if p.region_code and _other_country(p.region_code, context_regions) and (
                places_api.locality_population(p.locality_id or 0) < _SMALL_TOWN):
            # a village whose only known namesake is across the border: kept unresolved
            fixed.append(replace(p, region_code=None, locality_id=None))
            continue
        if p.region_code in context_regions or len(p.candidates) <= 1:
            fixed.append(p)
            continue
        res = places_api.resolve_locality(p.candidates, tuple(sorted(context_regions))) if p.candidates else None
        if res is not None and res[1] in context_regions:
            fixed.append(replace(p, locality_id=res[0], region_code=res[1]))
    return fixed


def _listed_with_first(text: str, regions: list) -> list:
    """The regions listed together with the first ("over X and Y"), not later ones."""
    keep = [regions[0]]
    for a, b in zip(regions, regions[1:]):
        if re.fullmatch(r"[\s,]*(?:and|и|та|і|,)?[\s]*(?:the\s+)?", text[a.end:b.start], re.I):
            keep.append(b)
        else:
            break
    return keep


def _region_codes(text: str, sent: str, i: int, m: Mention, own: list, regions: list, localities: list,
                  claims: list[Claim]) -> tuple[list[str | None], list[str]]:
    """The regions a figure is claimed for (one claim each) and the regions named together when none is chosen."""
    multi: list[str] = []
    districts = [p for p in own if p.kind == "district"]
    if m.distributive and not regions and not localities and districts:
        n_districts = sum(len(re.findall(r"[А-ЯЁІЇЄ][\w'’-]+", p.surface)) for p in districts)
        return [None] * n_districts, multi
    if m.distributive:
        return list(dict.fromkeys(p.region_code for p in (regions or localities) if p.region_code)) or [None], multi
    distinct = list(dict.fromkeys(p.region_code for p in regions if p.region_code))
    loc_codes = list(dict.fromkeys(p.region_code for p in localities if p.region_code))
    and_more = regions and _AND_OTHER_REGIONS.match(text[regions[-1].end:regions[-1].end + 50])
    if len(distinct) == 1 and and_more:
        return [None], distinct  # "над Чёрным морем и регионами России": no one place
    if len(distinct) == 1:
        return distinct, multi
    if len(distinct) > 1:
        return ([None] if m.kind != "elliptic" else distinct[:1]), distinct
    if len(loc_codes) >= 1:
        # towns of one region but for a namesake elsewhere: the region most of them are in
        votes = [p.region_code for p in localities if p.region_code]
        return [max(loc_codes, key=votes.count)], multi
    if _OF_THEM.match(sent[m.end:]) and claims and claims[-1].sent >= i - 1 and claims[-1].region:
        return [claims[-1].region], multi  # "Киев атаковали 5 дронов, 3 из них сбиты": of those five
    return [None], multi


def _figure_claims(sent: str, s: int, i: int, m: Mention, outcome: str, codes: list[str | None], multi: list[str],
                   regions: list, localities: list, *, placed: bool, aimed_only: bool, also_launched: bool,
                   both: tuple[str, ...]) -> list[Claim]:
    """One claim per region of a figure (and per outcome when it tells two)."""
    out: list[Claim] = []
    for code in codes:
        if also_launched:
            out.append(Claim(sent=i, count=m.value, qualifier=m.qualifier, outcome="launched",
                             region=code, num_start=s + m.start, placed=placed, aimed_only=aimed_only))
        for what in both or (outcome,):
            out.append(Claim(
                sent=i, count=m.value, qualifier=m.qualifier, outcome=what, region=code,
                num_start=s + m.start, elliptic=m.kind == "elliptic",
                locality_places=[p for p in localities if p.region_code in (code, None)] if code or not regions else [],
                cumulative=bool(_CUMULATIVE.search(sent)), multi=multi, placed=placed, aimed_only=aimed_only,
                incremental=bool(_INCREMENT.search(sent[max(0, m.start - 12):m.start + 12])
                                 or (m.kind == "single" and ORDINAL_ONE.match(sent, m.start))
                                 or re.match(r"\d{1,2}:\d{2}\b", sent) or _OTHER_REPORT.search(sent)),
            ))
    return out


def _one_per_town(sent: str, s: int, i: int, m: Mention, seg_hi: int, outcome: str, codes: list[str | None],
                  localities: list, places_api) -> list[Claim]:
    """ "два беспилотника перехвачены в Подмосковье: в Истре и в Красногорске": one claim in each town."""
    colon = sent.find(":", m.end, seg_hi)
    if not (colon >= 0 and len(codes) == 1 and codes[0] and not m.distributive and 2 <= m.value <= 6
            and m.kind != "elliptic" and outcome != "launched"):
        return []
    out = []
    for a, b, name in _one_per_place(sent, colon + 1, seg_hi, m.value):
        known = [p for p in localities if s + a <= p.start < s + b]
        town = known[0] if known else places_api.PlaceMention(s + a, s + b, name, "locality", None, None, ())
        here = town.region_code if town.region_code and not _other_country(town.region_code, {codes[0]}) else None
        out.append(Claim(sent=i, count=1, qualifier="exact", outcome=outcome, region=here or codes[0],
                         num_start=s + a, locality_places=[town], enumerated=True))
    return out


# ------------------------------------------------------------ speakers and their regions

def _assign_speakers_and_regions(ctx: _DocContext, claims: list[Claim]) -> None:
    """Sets each claim's speaker, and the speaker's region for figures whose sentence names none."""
    doc_regions, text = ctx.doc_regions, ctx.text
    for c in claims:
        c.speaker = _speaker_for(ctx, c.sent, c.num_start) or _default_speaker(ctx, c.sent)
        if c.aimed_only and c.speaker and not c.elliptic and (
                c.speaker.role == "military" or c.speaker.role == "defence_ministry" and c.outcome == "launched"):
            c.region = None  # a national tally of an attack on a city: the city is the target
            continue
        if c.region is None and c.multi and c.outcome != "launched" and _speaker_region(ctx, c.speaker) in c.multi:
            c.region = _speaker_region(ctx, c.speaker)
        if c.region is None:
            own_places = [p for p in _places_in(ctx, c.sent) if not p.kind.startswith("speaker_") and p.region_code]
            if not own_places or not c.placed:
                role = c.speaker.role if c.speaker else "unknown"
                if role in ("regional_head", "city_head"):
                    c.region = _speaker_region(ctx, c.speaker)
                elif (role in ("unknown", "media", "other") and len(set(doc_regions)) == 1 and not _national(text)
                      and not any(o.sent == c.sent and o.region for o in claims)
                      and not _MANY_REGIONS.search(ctx.sentence(c.sent))):
                    c.region = doc_regions[0]
                elif len(set(doc_regions)) == 1 and not c.multi and _THE_REGION.search(ctx.sentence(c.sent)):
                    c.region = doc_regions[0]  # "Минобороны: над регионом уничтожены 12 БПЛА": the one region named


def _assign_missing_speakers(ctx: _DocContext, claims: list[Claim]) -> None:
    """Speakers of the claims added after the speakers were assigned (debris of a drone told before)."""
    for c in claims:
        if c.speaker is None:
            c.speaker = _speaker_for(ctx, c.sent, c.num_start) or _default_speaker(ctx, c.sent)


def _drop_related_headlines(ctx: _DocContext, claims: list[Claim]) -> list[Claim]:
    """Drops the figures of links to other stories.

    A headline-like line after the article has begun that gives another figure than the article for
    the same speaker, place and outcome is a link to another story ("Related"), not this one's headline.
    """
    text, sentences = ctx.text, ctx.sentences
    first_body = next((k for k, (a, b) in enumerate(sentences) if _BODY_END.search(text[a:b])
                       and len(text[a:b].split()) >= 5), None)
    if first_body is None:
        return claims

    def key(c: Claim) -> tuple:
        return (c.role, c.region, c.outcome)

    related = {id(c) for c in claims
               if not c.elliptic and c.sent > first_body and _title_line(text, *sentences[c.sent])}
    body = [c for c in claims if id(c) not in related]
    return [c for c in claims if id(c) not in related or not any(key(b) == key(c) and b.count != c.count for b in body)]


def _add_pronoun_repeats(ctx: _DocContext, claims: list[Claim]) -> list[Claim]:
    """ "The governor said it had been shot down over a village": another speaker repeats the figure before."""
    claims = list(claims)
    for i in ctx.work:
        s_i, _ = ctx.sentences[i]
        sent = ctx.sentence(i)
        pm = _PRONOUN_OUTCOME.search(sent)
        prev = [c for c in claims if c.sent == i - 1]
        if not pm or not prev or any(c.sent == i for c in claims):
            continue
        sp = _speaker_for(ctx, i, s_i + pm.start())
        base = prev[-1]
        if sp is None or base.speaker is None or sp.role == base.speaker.role or sp.start < s_i:
            continue
        own = [p for p in _places_in(ctx, i) if p.kind in ("region", "locality") and p.region_code]
        claims.append(Claim(sent=i, count=base.count, qualifier=base.qualifier,
                            outcome=outcome_at(sent, pm.start(), pm.end()) or base.outcome,
                            region=own[0].region_code if own else base.region, num_start=s_i + pm.start(),
                            speaker=sp, locality_places=[p for p in own if p.kind == "locality"]))
    claims.sort(key=lambda c: (c.sent, c.num_start))
    return claims


# ----------------------------------------------------------------------- windows, towns

def _assign_windows(ctx: _DocContext, claims: list[Claim]) -> None:
    """Each claim's window: the sentence's own, else the total's, else the previous claim sentence's."""
    for c in claims:
        c.window_text = ctx.window(c.sent)
    for k, c in enumerate(claims):
        if c.window_text is None and c.parent is not None:
            c.window_text = claims[c.parent].window_text
        elif c.window_text is None and k and claims[k - 1].sent >= c.sent - 2 and (c.elliptic or (
                not c.incremental and c.role == claims[k - 1].role)):
            # "Станом на 08:30 збито 65. Ще 10 – локаційно втрачені."; "За минувшую ночь ... 32. Так, над
            # Белгородской ... по 11": the report goes on over the same window
            c.window_text = claims[k - 1].window_text


def _resolve_towns(ctx: _DocContext, claims: list[Claim]) -> None:
    """The towns of each regional claim: in its own stretch, or an enumeration in the next sentences."""
    places_api = ctx.places_api
    for c in claims:
        if c.region is None or c.is_total:
            continue
        names: list[str] = [p.surface for p in c.locality_places]
        for j in range(c.sent + 1, min(c.sent + 3, len(ctx.sentences))):
            names += _enumeration(ctx.sentence(j))
        seen = set()
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            cands = places_api.lookup_locality(name)
            res = places_api.resolve_locality(cands, (c.region,)) if cands else None
            if res is not None and not (_other_country(res[1], {c.region})
                                        and places_api.locality_population(res[0]) < _SMALL_TOWN):
                c.towns.append((name, res[0], res[1], True))
            else:
                c.towns.append((name, None, None, False))


# ------------------------------------------------------------------------- repeats, rows

def _merge_repeats(ctx: _DocContext, claims: list[Claim]) -> tuple[list[int], dict[int, int]]:
    """One claim per (speaker role, region, count, outcome) in a document: headlines repeat bodies.

    Returns the indices kept and, for every index, the one it was merged into.
    """
    keep: list[int] = []
    seen_keys: dict[tuple, int] = {}
    remap: dict[int, int] = {}
    parents = {c.parent for c in claims if c.parent is not None}

    def role_of(c: Claim) -> str:
        return c.speaker.role if c.speaker else "unknown"

    for j, c in enumerate(claims):
        key = (role_of(c), c.region, c.count, c.outcome)
        # "понад п'ять десятків ... застосувала 54": the bound in the lead, the exact figure in the body
        sharper = None if c.qualifier == "exact" or j in parents else next((
            o for o, x in enumerate(claims) if x.sent != c.sent and x.qualifier == "exact"
            and (role_of(x), x.region, x.outcome) == key[:2] + (c.outcome,) and x.count != c.count
            and (c.count <= x.count <= c.count * 1.25 + 1 if c.qualifier == "at_least"
                 else abs(x.count - c.count) <= c.count * 0.2 + 1)), None)
        if sharper is not None:
            remap[j] = sharper
            continue
        if key in seen_keys and claims[seen_keys[key]].sent != c.sent and not c.incremental and not _other_official(
                _speaker_region(ctx, claims[seen_keys[key]].speaker), _speaker_region(ctx, c.speaker)):
            remap[j] = seen_keys[key]
            continue
        seen_keys[key] = j
        remap[j] = j
        keep.append(j)
    return keep, remap


def _claim_ids(doc_id: str, sentences, claims: list[Claim], keep: list[int]) -> dict[int, str]:
    """The id of each kept claim; the same figure twice in one sentence ("по два ... у двох районах") numbers the repeats."""
    ids: dict[int, str] = {}
    for j in keep:
        c = claims[j]
        s, e = sentences[c.sent]
        cid = claim_id(doc_id, s, e, c.region, c.outcome, c.count, c.is_total)
        n = 1
        while cid in ids.values():
            n += 1
            cid = claim_id(doc_id, s, e, c.region, c.outcome, c.count, c.is_total, n)
        ids[j] = cid
    return ids


def _rows(ctx: _DocContext, claims: list[Claim], keep: list[int], remap: dict[int, int]) -> tuple[list[dict], list[dict]]:
    """The kept claims as CLAIM_SCHEMA dicts and their towns as CLAIM_PLACE_SCHEMA dicts."""
    doc, text, lang = ctx.doc, ctx.text, ctx.lang
    ids = _claim_ids(doc.id, ctx.sentences, claims, keep)
    rows, place_rows = [], []
    for no, j in enumerate(keep):
        c = claims[j]
        s, e = ctx.sentences[c.sent]
        sp = c.speaker
        if sp is None:
            speaker, role = None, "unknown"
        else:
            speaker, role = sp.speaker, sp.role
        ws, we = resolve_window(c.window_text, doc.published_at, lang) if c.window_text else (None, None)
        parent = ids.get(remap.get(c.parent, -1)) if c.parent is not None else None
        one_town = c.towns[0] if len(c.towns) == 1 else (None, None)
        rows.append({
            "claim_id": ids[j], "document_id": doc.id, "claim_no": no, "speaker": speaker,
            "speaker_role": role, "outcome": c.outcome, "count": c.count,
            "count_qualifier": c.qualifier, "is_total": c.is_total, "is_cumulative": c.cumulative,
            "parent_claim_id": parent, "region_code": c.region,
            "locality": one_town[0], "locality_id": one_town[1],
            "window_start": ws, "window_end": we, "window_text": c.window_text, "weapon": "drone",
            "quote": text[s:e], "span_start": s, "span_end": e,
        })
        for name, lid, code, resolved in c.towns:
            place_rows.append({"claim_id": ids[j], "name": name, "locality_id": lid,
                               "region_code": code if resolved else None, "resolved": resolved})
    return rows, place_rows


# ---------------------------------------------------------------- helpers of the steps

def _one_per_place(sent: str, lo: int, hi: int, count: int) -> list[tuple[int, int, str]]:
    """ "...: в Истре и в Красногорске" after "два": (start, end, town) of each listed place, when there
    are as many places as drones; else nothing."""
    tail = sent[lo:hi]
    parts = []
    pos = 0
    for sep in re.finditer(r"\s*[,;]\s*(?:(?:и|та|і|and)\s+)?|\s+(?:и|та|і|and)\s+(?=" + _AT_PLACE + ")", tail):
        parts.append((pos, sep.start()))
        pos = sep.end()
    parts.append((pos, len(tail.rstrip(" .;!»\"”"))))
    out = []
    for a, b in parts:
        m = re.match(r"\s*" + _AT_PLACE + r"([A-ZА-ЯЁІЇЄ][\w'’-]+)", tail[a:b], re.I)
        if not m or not m.group(1)[0].isupper():
            return []
        out.append((lo + a + m.start(1), lo + a + m.end(1), m.group(1)))
    return out if len(out) == count else []


def _suppressed_and_crashed(sent: str, lo: int, hi: int) -> tuple[str, ...]:
    """ "подавлен средствами РЭБ и потерпел крушение": two claims on one object, suppressed and crashed.

    With debris found in the same stretch the crash is told by the debris claim; a kill verb next to
    the suppression ("збито/подавлено") makes it no suppression at all.
    """
    stretch = sent[lo:hi]
    if not (OUTCOME_RE[1][1].search(stretch) and OUTCOME_RE[2][1].search(stretch)):
        return ()
    if OUTCOME_RE[3][1].search(stretch):
        return ()
    if DEBRIS.search(stretch):
        return ("suppressed",)
    return ("suppressed", "crashed")


def _title_line(text: str, start: int, end: int) -> bool:
    """A line of its own without closing punctuation: a headline, not a sentence of the article."""
    if re.search(r"[.!?…:;,\"»”’')]\s*$", text[start:end]) or len(text[start:end].split()) < 4:
        return False
    before, after = text[max(0, start - 2):start], text[end:end + 2]
    if re.match(r"\s*[a-zа-яёіїєґ]", text[end:end + 20]):
        return False  # "... БпЛА\n\nнаписал губернатор": a quote that lost its punctuation
    return (start == 0 or "\n" in before) and (end == len(text) or "\n" in after)


def _other_official(a: str | None, b: str | None) -> bool:
    """Two officials of the same rank for different regions (Sevastopol's governor, Crimea's head)."""
    return bool(a and b and a != b)


def _other_country(code: str, regions) -> bool:
    """True when every land region given is in another country than code ("UA-09" vs {"RU-KRS"})."""
    land = {r[:2] for r in regions if r and not r.startswith("SEA")}
    return bool(land) and code[:2] not in land and not code.startswith("SEA")


def _respective_places(sent: str, s: int, mentions: list[Mention], sent_places: list) -> dict[int, list]:
    """ "По 36 и 27 БПЛА ... над Краснодарским краем и Ростовской областью соответственно"."""
    if not _RESPECTIVELY.search(sent):
        return {}
    out: dict[int, list] = {}
    k = 0
    while k < len(mentions):
        j = k
        while j + 1 < len(mentions) and re.fullmatch(r"\s*(?:,|и|and|та|і)\s*(?:,\s*)?", sent[mentions[j].end:mentions[j + 1].start]):
            j += 1
        if j > k:
            hi = mentions[j + 1].start if j + 1 < len(mentions) else len(sent)
            regions = [p for p in sent_places if s + mentions[j].end <= p.start < s + hi and p.kind in ("region", "water")]
            if len(regions) >= j - k + 1:
                for n, idx in enumerate(range(k, j + 1)):
                    out[idx] = [regions[n]]
        k = j + 1
    return out


def _own_places(sent: str, s: int, mentions: list[Mention], k: int, sent_places: list) -> list:
    """Places of the k-th figure of a sentence: its clause, then the place lists that continue it.

    A clause is cut at commas, colons and the like; within a clause a figure owns the places
    after it (up to the next figure), else the ones before it ("над Брянской областью — 24").
    """
    m = mentions[k]
    lo = mentions[k - 1].end if k else 0
    if re.search(r"\(\s*$", sent[max(0, m.start - 3):m.start]):
        # "над Белгородской областью (шесть дронов)": the places right before the bracket
        bracket = sent.rfind("(", 0, m.start)
        here = [p for p in sent_places if s + lo <= p.start and p.end <= s + bracket]
        if here:
            return here[-1:]
    if _region_first(sent, m):
        # "над Калужской, Орловской и Смоленской областями — по одному": everything since the last figure
        here = [p for p in sent_places if s + lo <= p.start and p.end <= s + m.start]
        if here:
            return here
    cuts = [0] + [x.end() for x in _CLAUSE_BREAK.finditer(sent)] + [len(sent) + 1]
    bounds = list(zip(cuts, cuts[1:]))
    ci = next(j for j, (a, b) in enumerate(bounds) if a <= m.start < b)
    c_lo, c_hi = bounds[ci]
    in_clause = [x for x in mentions if c_lo <= x.start < c_hi]
    pos = in_clause.index(m)
    nxt = in_clause[pos + 1].start if pos + 1 < len(in_clause) else c_hi
    prv = in_clause[pos - 1].end if pos else c_lo
    after = [p for p in sent_places if s + m.end <= p.start < s + nxt]
    before = [p for p in sent_places if s + prv <= p.start and p.end <= s + m.start]
    own = after or before
    if pos + 1 < len(in_clause):
        return own
    if not own and sent[c_lo:c_hi].rstrip().endswith(":"):
        return own  # "уничтожены 15 беспилотников: над ..." is a total, the list is its items
    if not own:
        # "уничтожили беспилотник (БПЛА), который летел на Москву": a relative clause names it
        found, ci, final = _places_in_next_clauses(sent, s, mentions, bounds, ci, sent_places)
        if final:
            return found
        own = found
    if not own:
        if pos == 0 and not any(x.start < c_lo for x in mentions):
            here = [p for p in sent_places if p.end <= s + c_lo]
            if here:
                return here
    # clauses that only go on listing places ("над Крымом, Калужской и Брянской областями")
    if k + 1 < len(mentions) and _region_first(sent, mentions[k + 1]):
        return own
    return _with_listed_places(sent, s, m, mentions, bounds[ci + 1:], sent_places, own)


def _region_first(sent: str, x: Mention) -> bool:
    """The place comes before the figure: "над Брянской областью — 24"."""
    return bool(_REGION_FIRST.search(sent[max(0, x.start - 25):x.start]))


def _places_in_next_clauses(sent: str, s: int, mentions: list[Mention], bounds: list[tuple[int, int]], ci: int,
                            sent_places: list) -> tuple[list, int, bool]:
    """Places of the clauses after clause ci, up to the next figure, for a figure whose clause has none.

    Returns the places, the clause they end in, and whether they are the figure's places for good
    (else the place lists after them may still continue them).
    """
    targets: list = []
    for cj in range(ci + 1, len(bounds)):
        a, b = bounds[cj]
        if any(a <= x.start < b for x in mentions):
            break
        here = [p for p in sent_places if s + a <= p.start < s + b]
        if here and all(_TARGET.search(sent[max(0, p.start - s - 25):p.start - s]) for p in here):
            targets += here  # "направлявшихся на Москву, были сбиты ... в Раменском, Коломне": read on
            continue
        if here and not targets:
            return here, ci, True
        if here:
            return targets + here, cj, False
    return targets, ci, bool(targets)


def _with_listed_places(sent: str, s: int, m: Mention, mentions: list[Mention], later: list[tuple[int, int]],
                        sent_places: list, own: list) -> list:
    """own and the places of the later clauses that only go on listing places, up to the next figure."""
    for a, b in later:
        if any(a <= x.start < b for x in mentions):
            break
        if re.fullmatch(r"[\s,;:]*(?:а также|and also|as well as|а ещё|а еще|ще|ещё|еще)?[\s,;:]*", sent[a:b]):
            continue
        here = [p for p in sent_places if s + a <= p.start < s + b]
        if not here or not _LIST_START.match(sent[a:here[0].start - s]):
            break
        if not (m.distributive or not own or m.kind != "elliptic"):
            break
        own = own + here
    return own


def _add_debris(claims: list[Claim], work: list[int], sentences, text: str) -> list[Claim]:
    """Debris of a single drone told after (or with) its interception: one debris_found claim.

    Debris of several drones has no count of its own and gives none.
    """
    out = list(claims)
    for i in work:
        s, e = sentences[i]
        sent = text[s:e]
        dm = DEBRIS.search(sent)
        if dm and re.search(r"падени\w*\s+(?:\w+\s+)?$|crash site|site of", sent[:dm.start()], re.I):
            continue
        if not dm or any(c.sent == i and c.outcome == "debris_found" for c in out):
            continue
        prior = [c for c in out if i - 2 <= c.sent <= i and c.region is not None and c.outcome != "launched"]
        if not prior:
            continue
        base = prior[-1]
        if not (base.count == 1 or _ONE_OF.search(sent)):
            continue
        if any(c.sent == i and c.count > 1 for c in out if c is not base) and not _ONE_OF.search(sent):
            continue
        out.append(Claim(sent=i, count=1, qualifier="exact", outcome="debris_found", region=base.region,
                         num_start=s + dm.start()))
    out.sort(key=lambda c: (c.sent, c.num_start))
    return out


def _national(text: str) -> bool:
    return bool(re.search(r"минобороны|ministry of defen|defence ministry|defense ministry|міноборони|"
                          r"над территори\w+ (?:России|РФ)|across russia|over russia", text, re.I))


def _enumeration(sentence: str) -> list[str]:
    """Capitalised names listed after a word such as "cities" or "населённые пункты"."""
    m = _ENUM_KEY.search(sentence)
    if not m:
        return []
    tail = sentence[m.end():]
    lst = re.match(
        r"^[\s,:—–-]*(?:(?:of|such as|including|—|:|как|як)\s+)?(?:[a-zа-яёіїє]+\s+){0,3}?"
        r"((?:[A-ZА-ЯЁІЇЄ][\w'’-]+(?:\s+[A-ZА-ЯЁІЇЄ][\w'’-]+)?)(?:\s*,\s*(?:and\s+|и\s+|та\s+|і\s+)?|\s+(?:and|и|та|і)\s+)"
        r"(?:[A-ZА-ЯЁІЇЄ][\w'’-]+(?:\s+[A-ZА-ЯЁІЇЄ][\w'’-]+)?(?:\s*,\s*(?:and\s+|и\s+|та\s+|і\s+)?|\s+(?:and|и|та|і)\s+)?)+)",
        tail,
    )
    if not lst:
        return []
    return [w for w in re.split(r"\s*,\s*(?:and\s+|и\s+|та\s+|і\s+)?|\s+(?:and|и|та|і)\s+", lst.group(1)) if w and _CAP_WORD.match(w)]


def claim_id(document_id: str, span_start: int, span_end: int, region: str | None, outcome: str,
             count: int, is_total: bool, repeat: int = 1) -> str:
    """Stable id: the same claim keeps it across re-extraction (first 16 hex of a sha1)."""
    parts: tuple = (document_id, span_start, span_end, region, outcome, count, is_total)
    if repeat > 1:
        parts += (repeat,)
    key = "|".join(map(str, parts))
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
