from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from transforms.extract import extract_claims
from transforms.schema import CLAIM_PLACE_SCHEMA, CLAIM_SCHEMA

SEED = Path("/work/shared/seeds/kaluga-drones-article.txt")


def _docs(*texts: str, published: datetime | None = None, channel: str | None = None) -> pl.DataFrame:
    return pl.DataFrame({
        "id": [f"d{i}" for i in range(len(texts))],
        "text": list(texts),
        "published_at": [published] * len(texts),
        "channel": [channel] * len(texts),
    }, schema={"id": pl.String, "text": pl.String, "published_at": pl.Datetime("us", "UTC"), "channel": pl.String})


def _facts(claims: pl.DataFrame) -> list[tuple]:
    return [(r["region_code"], r["count"], r["outcome"]) for r in claims.iter_rows(named=True)]


def test_schemas_and_spans() -> None:
    docs = _docs("Над Курской областью сбиты три беспилотника, сообщил губернатор. Пострадавших нет.")
    claims, places = extract_claims(docs)
    assert claims.schema == pl.Schema(CLAIM_SCHEMA)
    assert places.schema == pl.Schema(CLAIM_PLACE_SCHEMA)
    text = docs["text"][0]
    for r in claims.iter_rows(named=True):
        assert text[r["span_start"]:r["span_end"]] == r["quote"]


def test_ministry_breakdown_in_russian() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны России сообщило, что дежурными средствами ПВО уничтожены 20 украинских БПЛА: "
        "10 — над территорией Калужской области, 8 — над Брянской, 2 — над Московским регионом."
    ))
    total = claims.filter(pl.col("is_total"))
    assert _facts(total) == [(None, 20, "intercepted")]
    items = claims.filter(~pl.col("is_total"))
    assert _facts(items) == [("RU-KLU", 10, "intercepted"), ("RU-BRY", 8, "intercepted"), ("RU-MOS", 2, "intercepted")]
    assert items["parent_claim_id"].to_list() == [total["claim_id"][0]] * 3
    assert set(claims["speaker_role"]) == {"defence_ministry"}


def test_ministry_breakdown_in_english_with_words() -> None:
    claims, _ = extract_claims(_docs(
        "Air defence systems destroyed 9 Ukrainian drones overnight, the Russian Defence Ministry said. "
        "Five were shot down over the Kursk region, three over the Oryol region and one over the Black Sea."
    ))
    assert sorted(_facts(claims), key=str) == sorted([
        (None, 9, "intercepted"), ("RU-KRS", 5, "intercepted"), ("RU-ORL", 3, "intercepted"),
        ("SEA-BLACK", 1, "intercepted")], key=str)


def test_distributive_po() -> None:
    claims, _ = extract_claims(_docs("Минобороны: по два беспилотника сбиты над Тульской и Орловской областями."))
    assert sorted(_facts(claims), key=str) == [("RU-ORL", 2, "intercepted"), ("RU-TUL", 2, "intercepted")]


def test_governor_post_in_english() -> None:
    claims, _ = extract_claims(_docs("Air defence destroyed 12 UAVs over the Bryansk region, governor Alexander Bogomaz said."))
    assert _facts(claims) == [("RU-BRY", 12, "intercepted")]
    assert claims["speaker_role"][0] == "regional_head"
    assert "Bogomaz" in claims["speaker"][0]


def test_town_names_the_region_and_the_locality() -> None:
    claims, places = extract_claims(_docs("ПВО сбили два беспилотника над Белгородом."))
    assert _facts(claims) == [("RU-BEL", 2, "intercepted")]
    assert claims["locality"][0] == "Белгородом"
    assert places["resolved"].to_list() == [True]


def test_speaker_region_when_the_sentence_names_none() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Калужской области Владислав Шапша сообщил об атаке. Над районом уничтожены два дрона."
    ))
    assert _facts(claims) == [("RU-KLU", 2, "intercepted")]


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("Вночі збито 30 ударних БпЛА.", "intercepted"),
        ("Вночі 12 ворожих БпЛА локаційно втрачено.", "suppressed"),
        ("Overnight 7 drones were suppressed by electronic warfare.", "suppressed"),
        ("Russia launched 40 drones at Ukraine overnight.", "launched"),
        ("Two drones crashed in a field near the village.", "crashed"),
        ("Обломки двух беспилотников нашли в поле.", "debris_found"),
    ],
)
def test_outcomes(text: str, outcome: str) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims["outcome"].to_list() == [outcome]


@pytest.mark.parametrize(
    ("text", "count", "qualifier"),
    [
        ("More than 60 drones were shot down overnight.", 60, "at_least"),
        ("Более 60 беспилотников сбиты ночью.", 60, "at_least"),
        ("Понад 60 дронів збито вночі.", 60, "at_least"),
        ("About 15 drones were destroyed.", 15, "approx"),
        ("Около пятнадцати дронов уничтожено.", 15, "approx"),
        ("A drone was shot down overnight.", 1, "exact"),
        ("Ночью сбит беспилотник.", 1, "exact"),
        ("Сбиты одиннадцать беспилотников.", 11, "exact"),
    ],
)
def test_counts_and_qualifiers(text: str, count: int, qualifier: str) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims.select("count", "count_qualifier").rows() == [(count, qualifier)]


@pytest.mark.parametrize(
    "text",
    [
        "Several drones were shot down overnight.",
        "Ночью сбиты несколько беспилотников.",
        "Десятки дронов атаковали город.",
        "After the drone attack 3 people were injured and 5 houses damaged.",
        "The drone attack lasted 4 hours and closed 2 airports in 2024.",
        "Air defence shot down 2 missiles; drone threat remains.",
        "Russia is producing drones. The factory opened 10 years ago.",
        "Weather is fine today, 25 degrees.",
    ],
)
def test_not_claims(text: str) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims.height == 0, claims["quote"].to_list()


def test_headline_repeated_in_body_is_one_claim() -> None:
    claims, _ = extract_claims(_docs(
        "Над Брянской областью сбиты 6 беспилотников\n"
        "Силы ПВО сбили 6 беспилотников над Брянской областью, сообщил губернатор."
    ))
    assert _facts(claims) == [("RU-BRY", 6, "intercepted")]


def test_town_enumeration_keeps_unknown_names() -> None:
    claims, places = extract_claims(_docs(
        "Governor Vladislav Shapsha said 5 drones were destroyed over the Kaluga region. "
        "The towns affected were Borovsk and Zzyxovo."
    ))
    assert _facts(claims) == [("RU-KLU", 5, "intercepted")]
    assert places.select("name", "resolved").rows() == [("Borovsk", True), ("Zzyxovo", False)]
    assert claims["locality"][0] is None  # two towns: none on the claim


def test_window_resolved_to_utc() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: в период с 20:00 до 23:00 мск уничтожены 5 беспилотников над Брянской областью.",
        published=datetime(2025, 11, 24, 21, 0, tzinfo=timezone.utc),
    ))
    r = claims.row(0, named=True)
    assert r["window_text"] == "в период с 20:00 до 23:00 мск"
    assert r["window_start"] == datetime(2025, 11, 24, 17, 0, tzinfo=timezone.utc)


def test_channel_is_the_default_speaker() -> None:
    claims, _ = extract_claims(_docs("Ночью над Курском сбиты два дрона.", channel="kursk_news"))
    assert claims.select("speaker", "speaker_role").rows() == [("kursk_news", "media")]


def test_claim_ids_are_stable_and_documents_without_drones_are_skipped() -> None:
    docs = _docs("Над Курской областью сбиты три беспилотника.", "Городская дума утвердила бюджет на 2025 год.")
    a, _ = extract_claims(docs)
    b, _ = extract_claims(docs)
    assert a["claim_id"].to_list() == b["claim_id"].to_list()
    assert a["document_id"].to_list() == ["d0"]


@pytest.mark.skipif(not SEED.exists(), reason="seed article not available")
def test_seed_article() -> None:
    claims, places = extract_claims(_docs(SEED.read_text(encoding="utf-8")))
    facts = {(r["speaker_role"], r["region_code"], r["count"], r["outcome"], r["is_total"])
             for r in claims.iter_rows(named=True)}
    assert facts == {
        ("regional_head", "RU-KLU", 11, "intercepted", False),
        ("defence_ministry", None, 20, "intercepted", True),
        ("defence_ministry", "RU-KLU", 10, "intercepted", False),
        ("defence_ministry", "RU-BRY", 8, "intercepted", False),
        ("defence_ministry", "RU-MOS", 2, "intercepted", False),
        ("regional_head", "RU-LEN", 1, "debris_found", False),
    }
    total = claims.filter(pl.col("count") == 20)["claim_id"][0]
    items = claims.filter(pl.col("speaker_role").eq("defence_ministry") & ~pl.col("is_total"))
    assert items["parent_claim_id"].to_list() == [total] * 3
    eleven = claims.filter(pl.col("count") == 11)["claim_id"][0]
    towns = places.filter(pl.col("claim_id") == eleven)
    assert towns.select("name", "region_code", "resolved").rows() == [
        ("Borovsk", "RU-KLU", True), ("Kirov", "RU-KLU", True), ("Maloyaroslavets", "RU-KLU", True),
        ("Yernov", None, False)]


def test_districts_share_the_speakers_region_and_ids_stay_unique() -> None:
    claims, _ = extract_claims(_docs(
        "Про це повідомив голова Дніпропетровської ОВА Сергій Лисак. "
        "Вночі над областю знищили 4 безпілотники. По два – у Нікопольському та Павлоградському районах."
    ))
    assert sorted(_facts(claims), key=str) == [("UA-12", 2, "intercepted"), ("UA-12", 2, "intercepted"),
                                               ("UA-12", 4, "intercepted")]
    assert claims["claim_id"].n_unique() == claims.height


def test_pronoun_points_back_to_the_named_speaker() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Брянской области Александр Богомаз выступил утром. "
        "«Ночью силы ПВО уничтожили три беспилотника», — написал он."
    ))
    assert claims.select("region_code", "count", "speaker_role").rows() == [("RU-BRY", 3, "regional_head")]


def test_respectively_pairs_figures_with_regions_in_order() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: по 14 и 9 БПЛА уничтожены над Курской и Орловской областями соответственно."
    ))
    assert sorted(_facts(claims), key=str) == [("RU-KRS", 14, "intercepted"), ("RU-ORL", 9, "intercepted")]


def test_region_first_breakdown() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны сообщило, что ночью уничтожены 9 БПЛА: над Брянской областью — 5, "
        "над Курской и Орловской областями — по два."
    ))
    assert sorted(_facts(claims), key=str) == sorted([
        (None, 9, "intercepted"), ("RU-BRY", 5, "intercepted"), ("RU-KRS", 2, "intercepted"),
        ("RU-ORL", 2, "intercepted")], key=str)


def test_total_with_a_part_of_it() -> None:
    claims, _ = extract_claims(_docs("ПВО сбила 12 украинских беспилотников, 7 из них над Белгородской областью."))
    assert sorted(_facts(claims), key=str) == [("RU-BEL", 7, "intercepted"), (None, 12, "intercepted")]
    total = claims.filter(pl.col("count") == 12)
    assert total["is_total"].to_list() == [True]
    assert claims.filter(pl.col("count") == 7)["parent_claim_id"].to_list() == total["claim_id"].to_list()


def test_launched_then_shot_down_without_a_noun() -> None:
    claims, _ = extract_claims(_docs("Over 100 drones attacked Ukraine overnight; 87 were shot down, the air force said."))
    assert claims.select("count", "count_qualifier", "outcome", "speaker_role").rows() == [
        (100, "at_least", "launched", "military"), (87, "exact", "intercepted", "military")]


def test_missiles_and_casualties_beside_drones() -> None:
    claims, _ = extract_claims(_docs(
        "Сили ППО збили 2 ракети та 15 шахедів. Внаслідок атаки загинули 2 людини, пошкоджено 4 будинки."
    ))
    assert _facts(claims) == [(None, 15, "intercepted")]


def test_an_officials_channel_speaks_for_its_region() -> None:
    claims, _ = extract_claims(_docs("Ночью над районом сбиты два беспилотника.", channel="vvgladkov"))
    assert claims.select("speaker", "speaker_role", "region_code").rows() == [("vvgladkov", "regional_head", "RU-BEL")]


def test_breakdown_with_one_item_per_line_keeps_every_line() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: за ночь сбиты 30 беспилотников:\n11 — над Курской областью,\n9 — над Брянской областью,\n"
        "6 — над Тульской областью,\n4 — над Орловской областью.\nДругие новости дня."
    ))
    total = claims.filter(pl.col("is_total"))
    assert _facts(total) == [(None, 30, "intercepted")]
    items = claims.filter(~pl.col("is_total"))
    assert _facts(items) == [("RU-KRS", 11, "intercepted"), ("RU-BRY", 9, "intercepted"),
                             ("RU-TUL", 6, "intercepted"), ("RU-ORL", 4, "intercepted")]
    assert items["parent_claim_id"].to_list() == [total["claim_id"][0]] * 4


def test_a_mayor_repelling_an_attack_is_an_interception_not_debris() -> None:
    claims, _ = extract_claims(_docs(
        "Мэр Москвы сообщил, что силы ПВО отразили атаку трёх беспилотников, летевших на Москву. "
        "На месте падения обломков работают экстренные службы."
    ))
    assert claims.select("region_code", "count", "outcome", "speaker_role").rows() == [
        ("RU-MOW", 3, "intercepted", "city_head")]


@pytest.mark.parametrize(
    ("text", "outcomes"),
    [
        ("Губернатор Курской области: подавленный беспилотник упал на склад, жители не пострадали.",
         ["suppressed", "crashed"]),
        ("Минобороны: ещё один БПЛА подавлен средствами РЭБ и потерпел крушение в Курской области.",
         ["suppressed", "crashed"]),
        # the debris tells the crash: suppressed and debris_found
        ("Губернатор Курской области: один БПЛА потерял управление и упал в поле, обломки найдены.",
         ["suppressed", "debris_found"]),
        # a kill verb beside the suppression: one interception
        ("Вночі над Сумщиною збито/подавлено 9 ворожих БпЛА.", ["intercepted"]),
    ],
)
def test_a_suppressed_drone_that_crashed_is_both(text: str, outcomes: list[str]) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims["outcome"].to_list() == outcomes
    assert len(set(claims["count"])) == 1


def test_the_same_number_again() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: ночью уничтожены 12 беспилотников: шесть над Курской областью, столько же — над Орловской."
    ))
    assert _facts(claims) == [(None, 12, "intercepted"), ("RU-KRS", 6, "intercepted"), ("RU-ORL", 6, "intercepted")]


def test_all_launched_at_a_city_is_a_national_tally() -> None:
    claims, _ = extract_claims(_docs(
        "Air defence repelled the overnight attack, including on Odesa, destroying all 14 drones that Russia "
        "launched, the air force said."
    ))
    assert _facts(claims) == [(None, 14, "launched"), (None, 14, "intercepted")]


def test_a_related_headline_inside_the_article_is_another_story() -> None:
    claims, _ = extract_claims(_docs(
        "Russian air defences destroyed 18 Ukrainian drones overnight, the defence ministry said on Monday.\n\n"
        "Russia says it downs 40 drones over its regions\n\n"
        "Ten of the drones were destroyed over the Belgorod region, the ministry said."
    ))
    assert sorted(_facts(claims), key=str) == [("RU-BEL", 10, "intercepted"), (None, 18, "intercepted")]


def test_a_quote_on_its_own_line_without_a_full_stop_is_still_read() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Курской области рассказал о ночной атаке на регион.\n\n"
        "Над Курской областью силами ПВО уничтожен один беспилотник самолетного типа\n\n"
        "написал губернатор в своем канале."
    ))
    assert _facts(claims) == [("RU-KRS", 1, "intercepted")]


def test_a_split_by_drone_type_is_no_second_tally() -> None:
    claims, _ = extract_claims(_docs(
        "Air defence shot down all seven drones launched overnight, the air force said. "
        "Russia used four Shahed-type drones and three decoy drones in the attack, it said."
    ))
    assert sorted(_facts(claims), key=str) == [(None, 7, "intercepted"), (None, 7, "launched")]


def test_the_one_who_says_it_speaks_not_the_one_who_did_it() -> None:
    claims, _ = extract_claims(_docs(
        "The governor of the southern Odesa region said that the air force shot down six drones there overnight."
    ))
    assert claims.select("region_code", "count", "speaker_role").rows() == [("UA-51", 6, "regional_head")]


def test_a_village_named_only_across_the_border_is_not_placed_there() -> None:
    claims, places = extract_claims(_docs(
        "Belgorod governor Vyacheslav Gladkov posted an update. "
        "Air defence shot down three drones over the village of Vovchansk overnight, the governor said."
    ))
    assert _facts(claims) == [("RU-BEL", 3, "intercepted")]
    assert places.select("name", "resolved").rows() == [("Vovchansk", False)]


def test_a_sea_and_other_regions_is_no_one_place() -> None:
    claims, _ = extract_claims(_docs("Минобороны: ночью четыре беспилотника сбиты над Чёрным морем и регионами России."))
    assert _facts(claims) == [(None, 4, "intercepted")]


def test_where_they_fell_wins_over_where_they_flew() -> None:
    claims, _ = extract_claims(_docs(
        "Собянин заявил, что пять беспилотников, летевших на Москву, были сбиты в Домодедово и Коломне."
    ))
    assert _facts(claims) == [("RU-MOS", 5, "intercepted")]


def test_ordinal_and_dated_reports_are_new_drones_and_adjectives_no_towns() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Севастополя сообщил: первый беспилотник сбит над морем у мыса. "
        "Второй беспилотник сбит над морем со стороны Северного мола. "
        "2 мая губернатор сообщил, что у аэродрома уничтожен беспилотник."
    ))
    assert _facts(claims) == [("UA-40", 1, "intercepted")] * 3


def test_launched_at_two_regions_is_not_the_speakers_region() -> None:
    claims, _ = extract_claims(_docs(
        "По словам губернатора Севастополя, за ночь на Крым и Севастополь было направлено восемь дронов."
    ))
    assert _facts(claims) == [(None, 8, "launched")]


def test_the_ministrys_formula_names_the_speaker_but_not_of_background() -> None:
    claims, _ = extract_claims(_docs(
        "«Этой ночью дежурными средствами ПВО перехвачены и уничтожены шесть беспилотников над Курской "
        "областью», — говорится в сообщении. Как сообщалось, сутками ранее над регионами сбиты 30 БПЛА."
    ))
    assert claims.select("region_code", "count", "speaker_role", "is_total").rows() == [
        ("RU-KRS", 6, "defence_ministry", False), (None, 30, "unknown", True)]


def test_the_ministrys_air_defence_acts_the_mayor_speaks() -> None:
    claims, _ = extract_claims(_docs(
        "Sobyanin: the Defense Ministry's air defense forces repelled an attack by three UAVs flying toward Moscow.\n"
        "Today, 12 drones were shot down while approaching Moscow."
    ))
    assert set(claims["speaker_role"]) == {"city_head"}


def test_a_running_tally_over_the_nights_updates_is_their_total() -> None:
    claims, _ = extract_claims(_docs(
        "Собянин:\n01:10. Уничтожен беспилотник, летевший на Москву.\n"
        "02:30. Сбиты ещё три беспилотника, летевших на Москву.\n"
        "03:05. Сбит ещё один БПЛА, летевший на Москву.\n"
        "Всего за ночь на подлете к Москве сбито 5 беспилотников."
    ))
    assert claims.select("count", "is_total").rows() == [(1, False), (3, False), (1, False), (5, True)]
    total = claims.filter(pl.col("is_total"))["claim_id"][0]
    assert claims.filter(~pl.col("is_total"))["parent_claim_id"].to_list() == [total] * 3


def test_a_bound_in_the_lead_gives_way_to_the_exact_figure() -> None:
    claims, _ = extract_claims(_docs(
        "Вночі росіяни атакували Україну понад чотирма десятками ударних дронів. "
        "Повітряні сили повідомили, що ворог застосував 43 ударні безпілотники."
    ))
    assert claims.select("count", "count_qualifier", "outcome").rows() == [(43, "exact", "launched")]


def test_a_bound_without_an_exact_figure_stays() -> None:
    claims, _ = extract_claims(_docs("Вночі росіяни атакували Україну понад чотирма десятками ударних дронів."))
    assert claims.select("count", "count_qualifier").rows() == [(40, "at_least")]


def test_an_attack_made_with_n_drones_on_targets_is_a_launch_without_a_region() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: пресечена попытка атаки шестью беспилотными летательными аппаратами по объектам "
        "в Курской и Орловской областях. Пять БПЛА уничтожены средствами ПВО над Курской областью."
    ))
    assert _facts(claims) == [(None, 6, "launched"), ("RU-KRS", 5, "intercepted")]


def test_an_attack_of_n_drones_repelled_is_no_launch() -> None:
    claims, _ = extract_claims(_docs("Собянин: силы ПВО отразили атаку двух беспилотников, летевших на Москву."))
    assert _facts(claims) == [("RU-MOW", 2, "intercepted")]


def test_a_second_speaker_repeating_the_figure_by_pronoun_is_a_claim_of_their_own() -> None:
    claims, _ = extract_claims(_docs(
        "Another drone was destroyed over the Kursk region on Tuesday evening, the defence ministry added.\n"
        "Kursk governor Alexander Khinshtein said it had been shot down over a village, with no casualties."
    ))
    assert claims.select("region_code", "count", "outcome", "speaker_role").rows() == [
        ("RU-KRS", 1, "intercepted", "defence_ministry"), ("RU-KRS", 1, "intercepted", "regional_head")]


def test_aircraft_type_apparatus_is_a_drone() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Курской области рассказал о происшествии. Сегодня утром два аппарата самолетного типа упали в поле."
    ))
    assert _facts(claims) == [("RU-KRS", 2, "crashed")]


def test_two_officials_of_one_rank_each_keep_their_claim() -> None:
    claims, _ = extract_claims(_docs(
        "Губернатор Севастополя сообщил, что над территорией Республики Крым сбит беспилотник. "
        "Позже глава Крыма Сергей Аксенов сообщил, что на западе Крыма был уничтожен беспилотник."
    ))
    assert _facts(claims) == [("UA-43", 1, "intercepted")] * 2


def test_debris_of_one_of_an_uncounted_few_is_no_count() -> None:
    claims, _ = extract_claims(_docs(
        "Над Курской областью сбиты несколько беспилотников, сообщил губернатор. "
        "В Курске обломки беспилотника повредили крышу гаража."
    ))
    assert claims.height == 0


def test_as_many_places_as_drones_listed_after_a_colon_is_one_each() -> None:
    claims, places = extract_claims(_docs(
        "Губернатор Московской области сообщил: ночью два беспилотника перехвачены на территории Подмосковья: "
        "в Истре и в Зюзюкино у реки."
    ))
    assert claims.select("region_code", "count", "is_total").rows() == [
        ("RU-MOS", 2, True), ("RU-MOS", 1, False), ("RU-MOS", 1, False)]
    total = claims["claim_id"][0]
    assert claims["parent_claim_id"].to_list()[1:] == [total, total]
    assert claims["locality"].to_list()[1:] == ["Истре", "Зюзюкино"]
    assert places.filter(pl.col("name") == "Зюзюкино")["resolved"].to_list() == [False]


def test_fewer_places_than_drones_is_no_split() -> None:
    claims, _ = extract_claims(_docs("Губернатор Курской области: три беспилотника сбиты над областью: у Суджи и в Рыльске."))
    assert _facts(claims) == [("RU-KRS", 3, "intercepted")]


def test_counts_in_brackets_after_their_regions() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны России: ночью уничтожены 15 беспилотников: над Белгородской областью (шесть дронов), "
        "над Курской (пять) и над Брянской (четыре)."
    ))
    assert _facts(claims) == [(None, 15, "intercepted"), ("RU-BEL", 6, "intercepted"), ("RU-KRS", 5, "intercepted"),
                              ("RU-BRY", 4, "intercepted")]
    assert claims["parent_claim_id"].null_count() == 1


def test_two_windows_are_two_reports() -> None:
    claims, _ = extract_claims(_docs(
        "Минобороны: в период с 15:00 до 20:00 мск уничтожены 9 беспилотников над Брянской областью. "
        "Всего за прошедшие сутки сбиты 47 украинских БПЛА."
    ))
    assert claims.select("region_code", "count", "is_total", "window_text").rows() == [
        ("RU-BRY", 9, False, "в период с 15:00 до 20:00 мск"), (None, 47, True, "за прошедшие сутки")]
    assert claims["parent_claim_id"].null_count() == 2


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine's air force said Russia launched 30 drones overnight, and 22 were shot down while 8 were lost to "
        "electronic warfare.",
        "Вночі противник атакував 30 ударними БпЛА. Збито 22 ворожі БпЛА, 8 локаційно втрачено.",
    ],
)
def test_launched_shot_down_and_lost_to_ew(text: str) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims.select("count", "outcome").rows() == [(30, "launched"), (22, "intercepted"), (8, "suppressed")]


@pytest.mark.parametrize(
    "text",
    [
        "Минобороны: за год над Брянской областью уничтожено 1500 беспилотников.",
        "Russian forces have launched 9,000 drones since the start of the invasion, the general staff said.",
        "Since January air defence has shot down 800 drones over the Kursk region, the governor said.",
    ],
)
def test_cumulative_figures_are_marked(text: str) -> None:
    claims, _ = extract_claims(_docs(text))
    assert claims["is_cumulative"].to_list() == [True]


def test_the_ministrys_over_the_region_is_the_one_region_of_the_text() -> None:
    claims, _ = extract_claims(_docs(
        "Вражеские беспилотники атаковали Ростовскую область. Губернатор Слюсарь сообщил, что над Таганрогом "
        "сбиты 4 дрона. Ранее Минобороны заявило, что над регионом уничтожены 12 БПЛА."
    ))
    assert claims.select("region_code", "count", "speaker_role").rows() == [
        ("RU-ROS", 4, "regional_head"), ("RU-ROS", 12, "defence_ministry")]


def test_an_official_named_in_the_genitive_speaks_for_the_city() -> None:
    claims, _ = extract_claims(_docs(
        "За словами начальника Київської МВА Тимура Ткаченка, над столицею знищено понад 20 ворожих дронів."
    ))
    assert claims.select("region_code", "count", "count_qualifier", "speaker_role").rows() == [
        ("UA-30", 20, "at_least", "city_head")]


def test_a_figure_without_its_noun_after_the_tally_keeps_its_window() -> None:
    claims, _ = extract_claims(_docs(
        "Вночі ворог атакував Україну 80 ударними БпЛА. Станом на 08:30 ППО знешкодила 65 дронів. "
        "Ще 10 – локаційно втрачені.",
        published=datetime(2025, 11, 25, 7, 0, tzinfo=timezone.utc),
    ))
    assert claims.select("count", "outcome", "window_text").rows() == [
        (80, "launched", "Вночі"), (65, "intercepted", "Станом на 08:30"), (10, "suppressed", "Станом на 08:30")]


def test_others_lost_to_electronic_warfare() -> None:
    claims, _ = extract_claims(_docs(
        "Ukraine's air force said it shot down 15 out of 20 drones launched by Russia, while 5 others were lost."
    ))
    assert claims.select("count", "outcome").rows() == [(15, "intercepted"), (20, "launched"), (5, "suppressed")]


def test_a_post_whose_lines_lack_full_stops_keeps_its_figure() -> None:
    claims, _ = extract_claims(_docs("Губернатор сообщает о ночной атаке на регион.\nНад Брянском уничтожены 3 беспилотника\nПострадавших нет"))
    assert _facts(claims) == [("RU-BRY", 3, "intercepted")]


def test_todays_tally_after_the_updates_is_a_running_total() -> None:
    claims, _ = extract_claims(_docs(
        "Sobyanin: air defence repelled an attack by three UAVs flying toward Moscow.\n"
        "Today, 12 drones were shot down while approaching Moscow."
    ))
    assert claims.select("region_code", "count", "is_total").rows() == [("RU-MOW", 3, False), ("RU-MOW", 12, True)]


def test_the_next_sentence_of_a_national_report_keeps_its_window() -> None:
    claims, _ = extract_claims(_docs(
        "Russia launched 120 drones at Ukraine overnight. Ukraine's air force said 84 of them were shot down.",
        published=datetime(2025, 5, 12, 6, 0, tzinfo=timezone.utc),
    ))
    assert claims.select("count", "window_text").rows() == [(120, "overnight"), (84, "overnight")]
    assert claims["window_start"].null_count() == 0


def test_a_title_tells_which_namesake_speaks() -> None:
    claims, _ = extract_claims(_docs(
        "Сили ППО збили 8 ворожих дронів над Київщиною, повідомив голова Київської ОВА Руслан Кравченко."
    ))
    assert claims.select("region_code", "speaker_role").rows() == [("UA-32", "regional_head")]


def test_of_them_without_a_place_of_its_own_is_where_they_were() -> None:
    claims, _ = extract_claims(_docs("Киев атаковали 5 дронов-камикадзе, 3 из них сбиты."))
    assert _facts(claims) == [("UA-30", 5, "launched"), ("UA-30", 3, "intercepted")]


def test_regions_shot_down_after_a_launch_tally_are_no_items_of_the_launch() -> None:
    claims, _ = extract_claims(_docs(
        "Повітряні сили: у ніч на 5 квітня ворог запустив 40 шахедів. "
        "Над Київщиною збито 12, над Черкащиною — 8, над Житомирщиною — 5."
    ))
    assert _facts(claims) == [(None, 40, "launched"), ("UA-32", 12, "intercepted"), ("UA-71", 8, "intercepted"),
                              ("UA-18", 5, "intercepted")]
    assert claims["parent_claim_id"].null_count() == 4
