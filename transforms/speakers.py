"""Who speaks in a text: defence ministries, the military, governors, mayors, media."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from transforms.regex_gate import compile_gated

@dataclass(frozen=True)
class SpeakerMention:
    """A speaker named in a text: the phrase as written, its role and (when known) its region."""

    start: int
    end: int
    speaker: str
    role: str               # one of schema.SPEAKER_ROLES
    region_code: str | None  # the region a governor or mayor speaks for


# Officials who post tallies, by surname stem (Latin and Cyrillic spellings): role and region.
OFFICIALS: tuple[tuple[str, str, str | None], ...] = (
    (r"Sobyanin|Собянин|Собянін", "city_head", "RU-MOW"),
    (r"Vorobyov|Vorobiev|Воробь[её]в", "regional_head", "RU-MOS"),
    (r"Bogomaz|Богомаз", "regional_head", "RU-BRY"),
    (r"Gladkov|Гладков", "regional_head", "RU-BEL"),
    (r"Shapsha|Шапш", "regional_head", "RU-KLU"),
    (r"Starovoit|Старовойт", "regional_head", "RU-KRS"),
    (r"Khinshtein|Хинштейн", "regional_head", "RU-KRS"),
    (r"Smirnov|Смирнов", "regional_head", "RU-KRS"),
    (r"Gusev|Гусев", "regional_head", "RU-VOR"),
    (r"Razvozhaev|Развожаев", "regional_head", "UA-40"),
    (r"Aksyonov|Aksenov|Акс[её]нов", "regional_head", "UA-43"),
    (r"Milyaev|Миляев", "regional_head", "RU-TUL"),
    (r"Klychkov|Клычков", "regional_head", "RU-ORL"),
    (r"Drozdenko|Дрозденко", "regional_head", "RU-LEN"),
    (r"Golubev|Голубев", "regional_head", "RU-ROS"),
    (r"Slyusar|Слюсар", "regional_head", "RU-ROS"),
    (r"Artamonov|Артамонов", "regional_head", "RU-LIP"),
    (r"Kondratyev|Кондратьев", "regional_head", "RU-KDA"),
    (r"Nikitin|Никитин", "regional_head", "RU-NIZ"),
    (r"Busargin|Бусаргин", "regional_head", "RU-SAR"),
    (r"Bocharov|Бочаров", "regional_head", "RU-VGG"),
    (r"Lysak|Лысак|Лисак", "regional_head", "UA-12"),
    (r"Reznichenko|Резниченко|Резніченко", "regional_head", "UA-12"),
    (r"Kiper|Кипер|Кіпер", "regional_head", "UA-51"),
    (r"Taburets|Табурец|Табурець", "regional_head", "UA-71"),
    (r"Prokudin|Прокудин|Прокудін", "regional_head", "UA-65"),
    (r"Vitalii Kim|Vitaliy Kim|Виталий Ким|Віталій Кім", "regional_head", "UA-48"),
    (r"Popko|Попк", "city_head", "UA-30"),
    (r"Klitschko|Kličko|Кличко", "city_head", "UA-30"),
    (r"Tkachenko|Ткаченк", "city_head", "UA-30"),
    (r"Senkevych|Сенкевич", "city_head", "UA-48"),
    (r"Vilkul|Вилкул|Вілкул", "city_head", "UA-12"),
    (r"Kravchenko|Кравченко", "city_head", "RU-KDA"),
    (r"Oleshchuk|Олещук", "military", None),
    (r"Ihnat|Ignat|Игнат|Ігнат", "military", None),
)

# Titles, most specific first; each match is a speaker with that role.
_TITLES: tuple[tuple[str, str], ...] = (
    (r"ministry of defen[cs]e|defen[cs]e ministry|\bMoD\b|минобороны|министерств\w* обороны|"
     r"\bМО (?:РФ|России)|міноборони|міністерств\w* оборони|военн\w+ ведомств\w*|the ministry\b|"
     r"ведомств[оеау]\b|відомств\w*", "defence_ministry"),
    (r"mayor|city military administration|head of the city|\bмэр\w*|градоначальник\w*|"
     r"глав\w+ (?:города|городского округа)|міськ\w+ голов\w*|міськ\w+ військов\w+ адміністрац\w+|"
     r"\b[КK]МВА\b|\bМВА\b|city administration|глав\w+ Новороссийска|head of Novorossiysk", "city_head"),
    (r"governor|gubernator|head of (?:the )?[A-Z]\w+ (?:region|oblast|republic)|head of the region|"
     r"head of (?:the )?Republic|regional military administration|oblast military administration|"
     r"губернатор\w*|глав\w+ (?:региона|республики|Крыма|[А-ЯЁ]\w+ области)|"
     r"голов\w+ (?:\w+ )?(?:ОВА|ОДА|обласн\w+ (?:військов\w+|державн\w+) адміністрац\w+)|"
     r"начальник\w* (?:\w+ )?ОВА|\bОВА\b|oblast administration|regional administration|"
     r"очільник\w* (?:області|ОВА|регіону|Дніпропетровщини|\w+щини)|очільник\w*|"
     r"голов\w+ (?:[А-ЯІЇЄ][\w'’]+ )?(?:обласн\w+ )?(?:військов\w+|державн\w+) адміністрац\w+|"
     r"голов\w+ (?:[А-ЯІЇЄ][\w'’]+ )?обласн\w+ рад\w*|"
     r"оперштаб\w*|operational headquarters", "regional_head"),
    (r"air force|air command|(?<![Aa]ir )defen[cs]e forces|general staff|armed forces of ukraine|"
     r"повітрян\w+ сил\w*|повітрян\w+ командуван\w+|сил\w* оборони|воздушн\w+ сил\w*|генштаб\w*|"
     r"генеральн\w+ штаб\w*|Командуванн\w+ Повітряних", "military"),
    (r"telegram[- ]?(?:channel|канал\w*)s? (?:Mash|Shot|Baza|SHOT|ASTRA|Readovka)|\bSHOT\b|\bMash\b|"
     r"\bBaza\b|по данным СМИ|\bСМИ\b|\bЗМІ\b|media report\w*|according to (?:local )?media|"
     r"(?:[Tt]elegram|[Тт]елеграм)[- ]?канал(?:ы|и|ов|ів)\b|[Tt]elegram channels", "media"),
)
_TITLE_RE = [(compile_gated(p, re.I if role != "media" else 0), role) for p, role in _TITLES]
# one pass over the text for all titles and one for all officials (named groups say which)
_TITLES_ONE = compile_gated("|".join(
    f"(?P<t{i}>{'(?i:' + p + ')' if role != 'media' else p})" for i, (p, role) in enumerate(_TITLES)))
# Every official's name is capitalised (the pattern is case-sensitive): the lookahead lets the engine
# skip the other positions at once instead of trying all the names there (17x faster on news text).
_OFFICIALS_ONE = compile_gated(
    "(?=[A-ZА-ЯЁІЇЄ])(?:" + "|".join(f"(?P<o{i}>\\b(?:{p})\\w*)" for i, (p, _, _) in enumerate(OFFICIALS)) + ")")

# A personal name: two or three capitalised words.
_NAME = r"[A-ZА-ЯЁІЇЄ][a-zа-яёіїє'’]+(?:[ -][A-ZА-ЯЁІЇЄ][a-zа-яёіїє'’]+){1,2}"
_NAME_AFTER = compile_gated(r"^[\s,]*(?:(?:[\w'’-]+\s+){0,4}?)(" + _NAME + ")")
_NAME_BEFORE = compile_gated(r"(" + _NAME + r"),?\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}$")

# "of the Kaluga region", "Брянской области", "Дніпропетровської ОВА": where a title's region sits.
_TITLE_REGION = compile_gated(
    r"^[\s,]*(?:of\s+)?(?:the\s+)?(?:(?:southern|northern|eastern|western|central|north\w*|south\w*|"
    r"border|frontline|neighbouring|neighboring)\s+)?([A-ZА-ЯЁІЇЄ][\w'’-]+(?:\s+(?:region|oblast|Oblast|Region|krai|Krai))?|"
    r"[А-ЯЁІЇЄа-яёіїє][\w'’-]+(?:ской|ская|ской|ській|ської|цкой|кой)\s+(?:области|області|ОВА|ОДА))"
)


_ACTOR_BEFORE = compile_gated(
    r"(?:ПВО|ППО|противовоздушной обороны|расчет\w*|расчёт\w*|систем\w*|военнослужащ\w*|"
    r"подразделени\w*|бойц\w*|servicemen|troops of the|units of the|forces of the)\s+(?:\([^()]{1,12}\)\s+)?(?:РФ\s+)?$",
    re.I,
)


_ACTOR_AFTER = compile_gated(r"^['’]s\s+(?:air[- ]defen[cs]e|forces|units|troops|systems|anti-aircraft)", re.I)


def find_speakers(text: str) -> list[SpeakerMention]:
    """Speakers named in text, in text order (officials by name, institutions and titles)."""
    found: list[SpeakerMention] = []
    taken: list[tuple[int, int]] = []

    def overlaps(s: int, e: int) -> bool:
        return any(s < te and ts < e for ts, te in taken)

    for m in _OFFICIALS_ONE.finditer(text):
        _, role, region = OFFICIALS[int(m.lastgroup[1:])]
        s, e = m.start(), m.end()
        # widen to the title in front ("governor Vladislav Shapsha") or the first name
        head = text[max(0, s - 60):s]
        title = None
        for trx, trole in _TITLE_RE:
            tm = None
            for tm in trx.finditer(head):
                pass
            if tm is not None and len(head) - tm.end() < 25:
                title = (s - len(head) + tm.start(), trole)
                break
        first = re.search(r"([A-ZА-ЯЁІЇЄ][a-zа-яёіїє'’]+\s+)$", text[max(0, s - 25):s])
        if title is not None:
            s = title[0]
            if title[1] != role:
                # "голова Київської ОВА Руслан Кравченко": the title says who this namesake is
                role, region = title[1], None
        elif first:
            s -= len(first.group(1))
        if not overlaps(s, e):
            found.append(SpeakerMention(s, e, text[s:e], role, region))
            taken.append((s, e))

    for m in _TITLES_ONE.finditer(text):
        role = _TITLES[int(m.lastgroup[1:])][1]
        s, e = m.start(), m.end()
        if overlaps(s, e):
            continue
        if role == "defence_ministry" and (_ACTOR_BEFORE.search(text[max(0, s - 45):s]) or _ACTOR_AFTER.match(text[e:e + 40])):
            continue  # "силами ПВО Минобороны", "the Defense Ministry's air defense forces": it acts, nobody speaks
        after = _NAME_AFTER.match(text[e:e + 70])
        if after and role in ("regional_head", "city_head", "military"):
            e = e + after.end(1)
        else:
            before = _NAME_BEFORE.search(text[max(0, s - 60):s])
            if before and role in ("regional_head", "city_head", "military"):
                s = s - (len(text[max(0, s - 60):s]) - before.start(1))
        if overlaps(s, e):
            continue
        found.append(SpeakerMention(s, e, text[s:e], role, None))
        taken.append((s, e))
    found.sort(key=lambda m: m.start)
    return found


def title_region_phrase(text: str, mention: SpeakerMention) -> str | None:
    """The region phrase a title carries ("governor of the Kaluga region" -> "Kaluga region")."""
    m = _TITLE_REGION.match(text[mention.end:mention.end + 60])
    inner = re.search(
        r"(?:of (?:the )?)([A-Z]\w+ (?:region|oblast|Oblast|Region))|"
        r"([А-ЯЁІЇЄ]\w+(?:ской|ській|ської) (?:области|області))|([А-ЯЁІЇЄ]\w+ської) (?:ОВА|ОДА)",
        mention.speaker,
    )
    if inner:
        return next(g for g in inner.groups() if g)
    if m and mention.role in ("regional_head", "city_head"):
        return m.group(1)
    return None


_CHANNEL_ROLES: tuple[tuple[str, str], ...] = (
    (r"mod_?russia|minoborony|mil_?ru|минобороны", "defence_ministry"),
    (r"kpszsu|ps_?zsu|povitryan|air_?force|generalstaff|zsu_?official", "military"),
)


def channel_mention(channel: str) -> SpeakerMention:
    """The Telegram channel a message came from, as its speaker when the text names nobody.

    An official's channel ("vvgladkov", "Собянин") speaks for the official; ministries and the air
    force by their known channel names; any other channel is media.
    """
    for pattern, role, region in OFFICIALS:
        if re.search(pattern, channel, re.I):
            return SpeakerMention(0, 0, channel, role, region)
    for pattern, role in _CHANNEL_ROLES:
        if re.search(pattern, channel, re.I):
            return SpeakerMention(0, 0, channel, role, None)
    found = find_speakers(channel)
    if found:
        return replace(found[0], start=0, end=0, speaker=channel)
    return SpeakerMention(0, 0, channel, "media", None)
