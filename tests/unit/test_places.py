"""Place finding and town resolution against the committed gazetteer."""
from __future__ import annotations

import time

import polars as pl
import pytest

from transforms.places import (
    PlaceMention,
    find_places,
    localities_frame,
    lookup_locality,
    region_name,
    regions_frame,
    resolve_locality,
)

BOROVSK = 572070
KIROV_KALUGA = 548410
KIROV_CITY = 548408


def codes(text: str) -> list[str | None]:
    return [m.region_code for m in find_places(text)]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Беспилотник сбит над Калужской областью", "RU-KLU"),
        ("Брянщина", "RU-BRY"),
        ("Ночью в Подмосковье сбиты два БПЛА", "RU-MOS"),
        ("уничтожены над территорией Белгородской области", "RU-BEL"),
        ("A drone was shot down over the Kaluga region", "RU-KLU"),
        ("in Russia's Ukraine-bordering Kursk region", "RU-KRS"),
        ("над акваторией Азовского моря", "SEA-AZOV"),
        ("Севастополь", "UA-40"),
        ("у Дніпропетровській області збито", "UA-12"),
        ("Kyiv", "UA-30"),
        ("drones flying towards Moscow", "RU-MOW"),
        ("атака на Москву", "RU-MOW"),
        ("в Крыму", "UA-43"),
        ("над Черным морем", "SEA-BLACK"),
        ("over the Black Sea", "SEA-BLACK"),
        ("в Московском регионе", "RU-MOS"),
        ("the Moscow region", "RU-MOS"),
        ("в Санкт-Петербурге", "RU-SPE"),
        ("на Київщині", "UA-32"),
        ("Калужчине", "RU-KLU"),
        ("у Підмосков’ї", "RU-MOS"),
        ("у Куп’янську", "UA-63"),
        ("Удар по Днепропетровску", "UA-12"),
    ],
)
def test_region_phrases(text: str, code: str) -> None:
    assert codes(text) == [code]


def test_offsets_and_kind() -> None:
    text = "Над акваторией Азовского моря и над Калужской областью"
    water, region = find_places(text)
    assert (water.kind, region.kind) == ("water", "region")
    assert text[water.start:water.end] == water.surface == "Азовского моря"
    assert region.surface == "Калужской областью"


def test_possessive() -> None:
    (kyiv,) = find_places("Kyiv's mayor")
    assert (kyiv.surface, kyiv.region_code) == ("Kyiv", "UA-30")
    (kursk,) = find_places("Kursk's governor")
    assert (kursk.surface, kursk.kind, kursk.region_code) == ("Kursk", "locality", "RU-KRS")


def test_longest_match_wins() -> None:
    assert codes("in the Moscow region overnight") == ["RU-MOS"]
    assert codes("Московская область") == ["RU-MOS"]


def test_not_places() -> None:
    assert find_places("at 03:00 Moscow time") == []
    assert find_places("в 03:00 по московскому времени (мск)") == []
    assert find_places("Министерство обороны сообщило, что ПВО сработала") == []
    assert find_places("Army Defense Ministry Air Telegram Today") == []


def test_coordinated_regions() -> None:
    assert codes("над Брянской, Курской и Белгородской областями") == ["RU-BRY", "RU-KRS", "RU-BEL"]
    assert codes("over the Bryansk, Kursk and Belgorod regions") == ["RU-BRY", "RU-KRS", "RU-BEL"]


def test_towns() -> None:
    (borovsk,) = find_places("Borovsk")
    assert (borovsk.kind, borovsk.locality_id, borovsk.region_code) == ("locality", BOROVSK, "RU-KLU")
    (m,) = find_places("в Малоярославце")
    assert m.region_code == "RU-KLU" and m.surface == "Малоярославце"
    assert [m.region_code for m in find_places("Maloyaroslavets")] == ["RU-KLU"]
    assert find_places("боровск") == []   # towns need a capital letter


def test_town_resolved_by_region_in_text() -> None:
    mentions = find_places("В Кирове Калужской области")
    assert [(m.kind, m.region_code) for m in mentions] == [("locality", "RU-KLU"), ("region", "RU-KLU")]
    assert mentions[0].locality_id == KIROV_KALUGA


def test_surname_after_first_name_is_not_a_town() -> None:
    assert find_places("Александр Гусев заявил") == []
    assert find_places("А. Гусев заявил") == []
    assert [m.kind for m in find_places("В Гусеве")] == ["locality"]
    assert find_places("Владимир Путин") == [] and find_places("Vladimir Putin said") == []
    assert [m.kind for m in find_places("во Владимире")] == ["locality"]


def test_lookup_locality() -> None:
    kirov = lookup_locality("Kirov")
    assert (KIROV_KALUGA, "RU-KLU") in kirov and (KIROV_CITY, "RU-KIR") in kirov
    assert lookup_locality("Боровске") == ((BOROVSK, "RU-KLU"),)
    assert lookup_locality("Yernov") == ()


def test_resolve_locality() -> None:
    kirov = lookup_locality("Kirov")
    assert resolve_locality(kirov, {"RU-KLU"}) == (KIROV_KALUGA, "RU-KLU")
    assert resolve_locality(kirov, set()) == (KIROV_CITY, "RU-KIR")  # 507k vs 39k
    assert resolve_locality([(1, "RU-KLU")], set()) == (1, "RU-KLU")
    assert resolve_locality([], {"RU-KLU"}) is None


def test_frames_and_names() -> None:
    regions = regions_frame()
    assert regions["code"].is_unique().all()
    assert {"RU-MOW", "RU-SPE", "UA-43", "UA-40", "UA-30", "SEA-CASPIAN"} <= set(regions["code"])
    assert regions.filter(pl.col("country") == "RU").height == 83
    assert regions.filter(pl.col("country") == "UA").height == 27
    assert region_name("RU-KLU") == "Kaluga Oblast"
    assert region_name("UA-43") == "Republic of Crimea"
    towns = localities_frame()
    assert towns.columns == ["locality_id", "name_en", "name_ru", "name_uk", "region_code",
                             "population", "lat", "lon"]
    assert set(towns["region_code"]) <= set(regions["code"])


def test_mention_is_hashable() -> None:
    assert len({PlaceMention(0, 1, "x", "region", "RU-KLU", None, ())} ) == 1


SENTENCES = [
    "Дежурными средствами ПВО перехвачены и уничтожены 10 беспилотников над территорией Калужской области.",
    "Over the past night, air defences destroyed 25 Ukrainian drones over the Bryansk, Kursk and Belgorod regions.",
    "Вночі над Дніпропетровщиною та Одещиною збито 12 ударних БпЛА типу Shahed.",
    "Мэр Москвы Сергей Собянин сообщил, что ПВО сбила беспилотник, летевший на Москву.",
    "Губернатор Вячеслав Гладков: в Шебекино повреждены два частных дома.",
    "Над акваторией Черного моря и над Республикой Крым уничтожены 8 БПЛА.",
]


def test_speed() -> None:
    sentences = SENTENCES * 170   # ~1,000
    find_places(sentences[0])     # load the gazetteer outside the timing
    began = time.perf_counter()
    found = sum(len(find_places(s)) for s in sentences)
    elapsed = time.perf_counter() - began
    print(f"\nfind_places: {len(sentences) / elapsed:,.0f} sentences/s ({found} mentions)")
    assert found > 0
