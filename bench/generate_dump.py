"""Deterministic synthetic article dumps (JSON Lines) for the benchmark.

Mostly everyday news in Russian, Ukrainian and English (economy, sport, weather, politics,
culture, all with numbers in them), about 5 % drone statements in every shape the extractor reads
(ministry breakdowns, governors' posts with towns, air-force "launched N, shot down M, K lost to
EW", mayors' "flying at Moscow", articles quoting several speakers, approximate numbers, time
windows), a few news items that mention drones without claiming a number, some exact duplicates
(same id and text) and some bad records (invalid JSON, missing text, empty id).

Every text is built from the templates below; the same seed gives the same bytes.

    python bench/generate_dump.py bench/out/dump-100k.jsonl 100000 --seed 7
    python bench/generate_dump.py bench/out/new.jsonl.gz 1000 --seed 8 --start 100000
"""
from __future__ import annotations

import argparse
import gzip
import io
import json
import random
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

DRONE_SHARE = 0.05
DRONE_WORD_NEWS_SHARE = 0.01   # mentions drones, claims nothing (passes the pre-filter)
DUPLICATE_SHARE = 0.005        # a record repeated verbatim later in the file
BAD_SHARE = 0.001              # invalid JSON, missing text, empty id, text not a string

# --------------------------------------------------------------------------- places and people


@dataclass(frozen=True)
class Region:
    en: str           # "Bryansk"
    ru_ins: str       # над Брянской областью
    ru_gen: str       # Брянской области
    uk_ins: str       # над Брянською областю
    governor_en: str
    governor_ru: str
    towns_en: tuple[str, ...]
    towns_ru: tuple[str, ...]


RU_REGIONS = (
    Region("Bryansk", "Брянской областью", "Брянской области", "Брянською областю",
           "Alexander Bogomaz", "Александр Богомаз", ("Klintsy", "Novozybkov", "Starodub", "Pochep"),
           ("Клинцы", "Новозыбков", "Стародуб", "Почеп")),
    Region("Kursk", "Курской областью", "Курской области", "Курською областю",
           "Alexander Khinshtein", "Александр Хинштейн", ("Kurchatov", "Rylsk", "Lgov", "Sudzha"),
           ("Курчатов", "Рыльск", "Льгов", "Суджа")),
    Region("Belgorod", "Белгородской областью", "Белгородской области", "Бєлгородською областю",
           "Vyacheslav Gladkov", "Вячеслав Гладков", ("Shebekino", "Valuyki", "Graivoron", "Stary Oskol"),
           ("Шебекино", "Валуйки", "Грайворон", "Старый Оскол")),
    Region("Kaluga", "Калужской областью", "Калужской области", "Калузькою областю",
           "Vladislav Shapsha", "Владислав Шапша", ("Lyudinovo", "Maloyaroslavets", "Obninsk", "Kirov"),
           ("Людиново", "Малоярославец", "Обнинск", "Киров")),
    Region("Voronezh", "Воронежской областью", "Воронежской области", "Воронезькою областю",
           "Alexander Gusev", "Александр Гусев", ("Rossosh", "Liski", "Borisoglebsk", "Ostrogozhsk"),
           ("Россошь", "Лиски", "Борисоглебск", "Острогожск")),
    Region("Tula", "Тульской областью", "Тульской области", "Тульською областю",
           "Dmitry Milyaev", "Дмитрий Миляев", ("Novomoskovsk", "Aleksin", "Yefremov", "Uzlovaya"),
           ("Новомосковск", "Алексин", "Ефремов", "Узловая")),
    Region("Rostov", "Ростовской областью", "Ростовской области", "Ростовською областю",
           "Yuri Slyusar", "Юрий Слюсарь", ("Taganrog", "Millerovo", "Kamensk-Shakhtinsky", "Novoshakhtinsk"),
           ("Таганрог", "Миллерово", "Каменск-Шахтинский", "Новошахтинск")),
    Region("Oryol", "Орловской областью", "Орловской области", "Орловською областю",
           "Andrei Klychkov", "Андрей Клычков", ("Livny", "Mtsensk"), ("Ливны", "Мценск")),
    Region("Smolensk", "Смоленской областью", "Смоленской области", "Смоленською областю",
           "Vasily Anokhin", "Василий Анохин", ("Vyazma", "Roslavl", "Safonovo"), ("Вязьма", "Рославль", "Сафоново")),
    Region("Lipetsk", "Липецкой областью", "Липецкой области", "Липецькою областю",
           "Igor Artamonov", "Игорь Артамонов", ("Yelets", "Gryazi"), ("Елец", "Грязи")),
    Region("Ryazan", "Рязанской областью", "Рязанской области", "Рязанською областю",
           "Pavel Malkov", "Павел Малков", ("Skopin", "Kasimov", "Sasovo"), ("Скопин", "Касимов", "Сасово")),
    Region("Tver", "Тверской областью", "Тверской области", "Тверською областю",
           "Igor Rudenya", "Игорь Руденя", ("Rzhev", "Torzhok", "Konakovo"), ("Ржев", "Торжок", "Конаково")),
)

# Ukrainian oblasts: (English, uk "над ...", uk "... ОВА" genitive, head's name uk, head's name en, towns uk, towns en)
UA_REGIONS = (
    ("Kyiv", "Київщиною", "Київської", "Микола Калашник", "Mykola Kalashnyk", ("Бровари", "Біла Церква", "Фастів"), ("Brovary", "Bila Tserkva", "Fastiv")),
    ("Kharkiv", "Харківщиною", "Харківської", "Олег Синєгубов", "Oleh Syniehubov", ("Чугуїв", "Ізюм", "Лозова"), ("Chuhuiv", "Izium", "Lozova")),
    ("Odesa", "Одещиною", "Одеської", "Олег Кіпер", "Oleh Kiper", ("Ізмаїл", "Чорноморськ", "Білгород-Дністровський"), ("Izmail", "Chornomorsk", "Bilhorod-Dnistrovskyi")),
    ("Dnipropetrovsk", "Дніпропетровщиною", "Дніпропетровської", "Сергій Лисак", "Serhii Lysak", ("Нікополь", "Кривий Ріг", "Павлоград"), ("Nikopol", "Kryvyi Rih", "Pavlohrad")),
    ("Sumy", "Сумщиною", "Сумської", "Олег Григоров", "Oleh Hryhorov", ("Шостка", "Конотоп", "Охтирка"), ("Shostka", "Konotop", "Okhtyrka")),
    ("Chernihiv", "Чернігівщиною", "Чернігівської", "В'ячеслав Чаус", "Viacheslav Chaus", ("Ніжин", "Прилуки", "Новгород-Сіверський"), ("Nizhyn", "Pryluky", "Novhorod-Siverskyi")),
    ("Mykolaiv", "Миколаївщиною", "Миколаївської", "Віталій Кім", "Vitalii Kim", ("Вознесенськ", "Первомайськ"), ("Voznesensk", "Pervomaisk")),
    ("Poltava", "Полтавщиною", "Полтавської", "Володимир Когут", "Volodymyr Kohut", ("Кременчук", "Миргород", "Лубни"), ("Kremenchuk", "Myrhorod", "Lubny")),
)

LAUNCH_SITES_UK = ("Курськ", "Брянськ", "Орел", "Міллерово", "Приморсько-Ахтарськ", "Шаталово", "мис Чауда")
LAUNCH_SITES_EN = ("Kursk", "Bryansk", "Oryol", "Millerovo", "Primorsko-Akhtarsk", "Shatalovo", "Cape Chauda")

RU_CITIES = ("Москве", "Санкт-Петербурге", "Казани", "Новосибирске", "Екатеринбурге", "Самаре", "Перми", "Уфе", "Омске", "Краснодаре")
UK_CITIES = ("Києві", "Львові", "Одесі", "Харкові", "Дніпрі", "Вінниці", "Полтаві", "Чернівцях", "Ужгороді", "Житомирі")
EN_CITIES = ("London", "Berlin", "Warsaw", "Paris", "Madrid", "Toronto", "Chicago", "Sydney", "Tokyo", "Istanbul")
RU_TEAMS = ("«Спартак»", "«Зенит»", "ЦСКА", "«Локомотив»", "«Динамо»", "«Краснодар»", "«Ростов»", "«Рубин»")
UK_TEAMS = ("«Шахтар»", "«Динамо» Київ", "«Дніпро-1»", "«Зоря»", "«Полісся»", "«Кривбас»", "«Оболонь»", "«Ворскла»")
EN_TEAMS = ("Arsenal", "Celtic", "Ajax", "Benfica", "Porto", "Napoli", "Lyon", "Feyenoord")
RU_MONTHS_GEN = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря")
UK_MONTHS_GEN = ("січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
RU_WORDS = {1: "один", 2: "два", 3: "три", 4: "четыре", 5: "пять", 6: "шесть", 7: "семь", 8: "восемь", 9: "девять", 10: "десять"}
UK_WORDS = {1: "один", 2: "два", 3: "три", 4: "чотири", 5: "п'ять", 6: "шість", 7: "сім", 8: "вісім", 9: "дев'ять", 10: "десять"}
EN_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}

SOURCES = {
    "ru": ("Лента дня", "Вести региона", "Городские новости", "Экономика сегодня", "Спорт-экспресс онлайн"),
    "uk": ("Новини дня", "Регіональний вісник", "Економічна правда онлайн", "Спортивна газета"),
    "en": ("Daily Wire Service", "Metro Herald", "Business Today", "Global Sports Desk", "Evening Post"),
}

# --------------------------------------------------------------------------- everyday news

NEWS = {
    "ru": {
        "economy": (
            "Центральный банк сохранил ключевую ставку на уровне {pct} % годовых.",
            "Инфляция в {month_prep} составила {pct1} %, сообщил Росстат.",
            "Объём розничных продаж вырос на {pct1} % по сравнению с прошлым годом.",
            "Курс рубля к доллару на торгах закрылся на отметке {price} рубля.",
            "Компания отчиталась о выручке в {big} млрд рублей за {q} квартал.",
            "Средняя зарплата в {city} достигла {salary} рублей.",
            "Аналитики ожидают роста ВВП на {pct1} % по итогам года.",
            "Стоимость квадратного метра жилья в {city} выросла до {salary} рублей.",
        ),
        "sport": (
            "{team1} обыграл {team2} со счётом {g1}:{g2} в матче {n}-го тура.",
            "Нападающий забил {g1} мяча и вышел на первое место в списке бомбардиров.",
            "На стадионе присутствовали {crowd} зрителей.",
            "После {n} туров команда набрала {pts} очков.",
            "Главный тренер продлил контракт с клубом на {g1} года.",
            "Сборная заняла {n}-е место в медальном зачёте, завоевав {g2} золотых медали.",
        ),
        "weather": (
            "Синоптики обещают в {city} до {temp} градусов тепла.",
            "Ночью температура опустится до {cold} градусов.",
            "За сутки выпало {mm} мм осадков, это {pct} % месячной нормы.",
            "Скорость ветра местами достигнет {wind} метров в секунду.",
            "Атмосферное давление составит {press} мм ртутного столба.",
        ),
        "politics": (
            "Депутаты приняли законопроект в {n}-м чтении, за него проголосовали {votes} человек.",
            "Губернатор провёл совещание по подготовке к отопительному сезону.",
            "Явка на выборах в {city} составила {pct1} %.",
            "В бюджет региона на следующий год заложено {big} млрд рублей расходов.",
            "Министр заявил, что программа охватит {crowd} семей до конца года.",
        ),
        "culture": (
            "Выставку в музее за первую неделю посетили {crowd} человек.",
            "Фестиваль в {city} пройдёт с {d1} по {d2} {month_gen}.",
            "Театр представит {g1} премьеры в новом сезоне.",
            "Фильм собрал в прокате {big} млн рублей за первые выходные.",
        ),
    },
    "uk": {
        "economy": (
            "Національний банк залишив облікову ставку на рівні {pct} % річних.",
            "Інфляція у {month_prep_uk} сповільнилася до {pct1} %, повідомила Держстат.",
            "Надходження до бюджету зросли на {pct1} % порівняно з минулим роком.",
            "Офіційний курс гривні встановлено на рівні {price} грн за долар.",
            "Середня зарплата у {city} сягнула {salary} гривень.",
            "Експорт зерна за місяць становив {big} тис. тонн.",
            "Аналітики прогнозують зростання ВВП на {pct1} % за підсумками року.",
        ),
        "sport": (
            "{team1} переміг {team2} з рахунком {g1}:{g2} у матчі {n}-го туру.",
            "Нападник забив {g1} голи і очолив список бомбардирів.",
            "Матч відвідали {crowd} глядачів.",
            "Після {n} турів команда має {pts} очок.",
            "Збірна посіла {n}-те місце, здобувши {g2} золоті медалі.",
        ),
        "weather": (
            "Синоптики прогнозують у {city} до {temp} градусів тепла.",
            "Вночі температура знизиться до {cold} градусів.",
            "За добу випало {mm} мм опадів, це {pct} % місячної норми.",
            "Швидкість вітру сягатиме {wind} метрів на секунду.",
        ),
        "politics": (
            "Депутати ухвалили законопроєкт у {n}-му читанні, за нього проголосували {votes} нардепів.",
            "Уряд виділив {big} млн гривень на відновлення шкіл.",
            "Міська рада затвердила програму на {g1} роки.",
            "Програма охопить {crowd} родин до кінця року, заявив міністр.",
        ),
        "culture": (
            "Виставку в музеї за перший тиждень відвідали {crowd} людей.",
            "Фестиваль у {city} триватиме з {d1} по {d2} {month_gen_uk}.",
            "Театр покаже {g1} прем'єри в новому сезоні.",
        ),
    },
    "en": {
        "economy": (
            "The central bank held its key rate at {pct} percent.",
            "Consumer prices rose {pct1} percent in {month_en} from a year earlier.",
            "Retail sales climbed {pct1} percent, beating forecasts.",
            "The company reported revenue of ${big} million for the {q} quarter.",
            "Average weekly earnings in {city_en} reached ${salary_en}.",
            "Shares closed {pct1} percent higher at ${price} after the report.",
            "Economists expect growth of {pct1} percent this year.",
        ),
        "sport": (
            "{team1} beat {team2} {g1}-{g2} in round {n} on Saturday.",
            "The striker scored {g1} goals and now leads the scoring chart.",
            "A crowd of {crowd} watched the match.",
            "After {n} rounds the club has {pts} points.",
            "The team finished {n}th in the medal table with {g2} gold medals.",
        ),
        "weather": (
            "Forecasters expect highs of {temp} degrees in {city_en} this week.",
            "Overnight temperatures will fall to {cold} degrees.",
            "Some {mm} mm of rain fell in 24 hours, {pct} percent of the monthly average.",
            "Wind gusts may reach {wind} metres per second.",
        ),
        "politics": (
            "Lawmakers passed the bill by {votes} votes to {g2}0.",
            "Turnout in {city_en} was {pct1} percent, officials said.",
            "The budget sets aside ${big} million for new schools.",
            "The minister said the programme would reach {crowd} families by the end of the year.",
        ),
        "culture": (
            "The exhibition drew {crowd} visitors in its first week.",
            "The festival in {city_en} runs from {month_en} {d1} to {d2}.",
            "The film took ${big} million at the box office on its opening weekend.",
        ),
    },
}

TITLES = {
    "ru": ("Новости {topic}: главное за {d1} {month_gen}", "{city_cap}: итоги недели", "Главное к утру {d1} {month_gen}"),
    "uk": ("Новини {topic}: головне за {d1} {month_gen_uk}", "Підсумки тижня", "Головне до ранку {d1} {month_gen_uk}"),
    "en": ("{topic_en} news: {month_en} {d1}", "The week in {city_en}", "Morning briefing, {month_en} {d1}"),
}
TOPIC_RU = {"economy": "экономики", "sport": "спорта", "weather": "погоды", "politics": "политики", "culture": "культуры"}
TOPIC_UK = {"economy": "економіки", "sport": "спорту", "weather": "погоди", "politics": "політики", "culture": "культури"}

DRONE_WORD_NEWS = {
    "ru": ("На выставке в {city} показали {g1} гражданских беспилотника для доставки посылок. Организаторы ждут {crowd} посетителей.",
           "Фермеры региона используют дроны для обработки {big} гектаров полей, сообщили в минсельхозе."),
    "uk": ("У {city} відкрили школу операторів дронів, навчання пройдуть {crowd} курсантів.",
           "Волонтери передали бригаді {g1} партії безпілотників, зібравши {big} тис. гривень."),
    "en": ("A drone delivery startup in {city_en} raised ${big} million and plans {g1} new routes.",
           "Farmers are using drones to spray {big} hectares of crops this season, the ministry said."),
}


# --------------------------------------------------------------------------- filling slots


class Writer:
    """One dump's random choices; every draw goes through `self.rng`."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def slots(self) -> dict[str, object]:
        r = self.rng
        m = r.randrange(12)
        return {
            "pct": f"{r.randint(4, 21)}", "pct1": f"{r.randint(0, 19)},{r.randint(0, 9)}".replace(",", "."),
            "price": f"{r.randint(28, 110)}.{r.randint(10, 99)}", "big": r.randint(12, 980),
            "q": self.pick(("first", "second", "third", "fourth")), "salary": f"{r.randint(35, 180)} {r.randint(100, 999)}",
            "salary_en": f"{r.randint(600, 1900)}", "city": self.pick(RU_CITIES), "city_en": self.pick(EN_CITIES),
            "city_cap": self.pick(("Москва", "Казань", "Самара", "Пермь")),
            "team1": "", "team2": "", "g1": r.randint(1, 5), "g2": r.randint(0, 4), "n": r.randint(2, 30),
            "crowd": f"{r.randint(2, 60)} {r.randint(100, 999)}", "pts": r.randint(3, 70), "temp": r.randint(3, 34),
            "cold": -r.randint(0, 25), "mm": r.randint(1, 60), "wind": r.randint(4, 25), "press": r.randint(735, 770),
            "votes": r.randint(226, 420), "d1": r.randint(1, 14), "d2": r.randint(15, 28),
            "month_gen": RU_MONTHS_GEN[m], "month_gen_uk": UK_MONTHS_GEN[m], "month_en": EN_MONTHS[m],
            "month_prep": "сентябре", "month_prep_uk": "вересні",
        }

    def news(self, lang: str) -> tuple[str, str]:
        topic = self.pick(tuple(NEWS[lang]))
        s = self.slots()
        teams = {"ru": RU_TEAMS, "uk": UK_TEAMS, "en": EN_TEAMS}[lang]
        s["team1"], s["team2"] = self.rng.sample(teams, 2)
        if lang == "uk":
            s["city"] = self.pick(UK_CITIES)
        s["topic"] = (TOPIC_RU if lang == "ru" else TOPIC_UK).get(topic, "")
        s["topic_en"] = topic.capitalize()
        pool = NEWS[lang][topic]
        k = self.rng.randint(3, min(6, len(pool)))
        body = " ".join(t.format(**s) for t in self.rng.sample(pool, k))
        # more paragraphs from other topics: real pages carry digests and related links
        for _ in range(self.rng.choice((0, 1, 1, 2, 3))):
            other = NEWS[lang][self.pick(tuple(NEWS[lang]))]
            body += "\n" + " ".join(t.format(**s) for t in self.rng.sample(other, self.rng.randint(2, min(4, len(other)))))
        if self.rng.random() < DRONE_WORD_NEWS_SHARE / (1 - DRONE_SHARE):
            body += "\n" + self.pick(DRONE_WORD_NEWS[lang]).format(**s)
        return self.pick(TITLES[lang]).format(**s), body

    # ----------------------------------------------------------------------- drone statements

    def parts(self, total: int, k: int) -> list[int]:
        cuts = sorted(self.rng.sample(range(1, total), k - 1)) if total > k else list(range(1, k))
        bounds = [0, *cuts, total]
        return [max(1, b - a) for a, b in zip(bounds, bounds[1:])]

    @staticmethod
    def ru_drones(n: int) -> str:
        """'беспилотник' agreeing with a nominative number."""
        if n % 10 == 1 and n % 100 != 11:
            return "беспилотник"
        if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
            return "беспилотника"
        return "беспилотников"

    def ru_num(self, n: int) -> str:
        return RU_WORDS[n] if n in RU_WORDS and self.rng.random() < 0.5 else str(n)

    def en_num(self, n: int) -> str:
        return EN_WORDS[n] if n in EN_WORDS and self.rng.random() < 0.6 else str(n)

    def ru_window(self) -> str:
        h1 = self.rng.choice((8, 12, 14, 18, 20))
        return self.pick((
            "В течение прошедшей ночи",
            f"В период с {h1}:00 до {h1 + 3}:00 мск",
            f"С {h1}:00 до {h1 + 3}:00 по московскому времени",
            "За прошедшие сутки",
        ))

    def en_window(self) -> str:
        h1 = self.rng.choice((8, 11, 2, 5))
        return self.pick((
            "overnight",
            f"between {h1} p.m. and {h1 + 3} p.m. Moscow time",
            "over the past 24 hours",
            f"from {h1}:00 to {h1 + 3}:00 Moscow time",
        ))

    def ru_mod(self) -> tuple[str, str]:
        k = self.rng.randint(2, 5)
        regions = self.rng.sample(RU_REGIONS, k)
        total = self.rng.randint(k + 2, 140)
        parts = self.parts(total, k)
        if self.rng.random() < 0.05:  # a breakdown that does not add up
            parts[0] += self.rng.randint(1, 4)
        approx = self.rng.random() < 0.15
        head = (f"{self.ru_window()} дежурными средствами ПВО перехвачены и уничтожены "
                f"{'более ' if approx else ''}{total} украинских беспилотных летательных аппаратов самолетного типа")
        items = [f"{self.ru_num(n) if i else n} — над {r.ru_ins}" for i, (n, r) in enumerate(zip(parts, regions))]
        text = (f"«{head}», — говорится в сообщении Минобороны России.\n"
                f"Из них {', '.join(items[:-1])} и {items[-1]}.")
        if self.rng.random() < 0.3:
            text += " Кроме того, над акваторией Азовского моря уничтожены два беспилотника."
        return f"Минобороны: над регионами России сбиты {total} БПЛА", text

    def ru_governor(self) -> tuple[str, str]:
        r = self.pick(RU_REGIONS)
        n = self.rng.randint(1, 25)
        towns = self.rng.sample(r.towns_ru, min(len(r.towns_ru), self.rng.randint(1, 3)))
        where = "в районе населённых пунктов " + ", ".join(towns) if len(towns) > 1 else f"в районе города {towns[0]}"
        q = self.pick(("", "", "около ", "не менее "))
        text = (f"Губернатор {r.ru_gen} {r.governor_ru} сообщил в Telegram-канале, что силами ПВО "
                f"{where} сбиты {q + str(n) + ' беспилотников' if q else self.ru_num(n) + ' ' + self.ru_drones(n)}. "
                f"По предварительной информации, пострадавших нет. На месте падения обломков работают оперативные службы.")
        return f"{r.governor_ru.split()[-1]}: над регионом сбиты беспилотники", text

    def ru_mayor(self) -> tuple[str, str]:
        n = self.rng.randint(1, 12)
        gen = {1: "одного беспилотника, летевшего", 2: "двух беспилотников, летевших", 3: "трёх беспилотников, летевших",
               4: "четырёх беспилотников, летевших", 5: "пяти беспилотников, летевших"}
        what = gen[n] if n in gen and self.rng.random() < 0.6 else f"{n} {'беспилотника, летевшего' if n == 1 else 'беспилотников, летевших'}"
        text = (f"Мэр Москвы Сергей Собянин сообщил, что силы ПВО Минобороны отразили атаку "
                f"{what} на Москву. "
                f"На месте падения обломков работают специалисты экстренных служб.")
        if self.rng.random() < 0.5:
            more = self.rng.randint(1, 6)
            text += f" Позднее мэр уточнил, что {'сбит ещё один' if more == 1 else 'сбиты ещё ' + str(more)} БПЛА."
        return "Собянин: отражена атака на Москву", text

    def ru_mixed(self) -> tuple[str, str]:
        r = self.pick(RU_REGIONS)
        n = self.rng.randint(2, 30)
        m = n if self.rng.random() < 0.6 else n + self.rng.randint(1, 5)
        text = (f"{self.ru_window()} средства ПВО сбили {n} беспилотников над {r.ru_ins}, сообщили в Минобороны. "
                f"Губернатор {r.governor_ru} позднее написал, что над регионом уничтожены {m} дронов, "
                f"обломки упали в {self.pick(r.towns_ru)}. "
                f"Всего за сутки, по данным ведомства, над территорией России перехвачено {n + self.rng.randint(10, 80)} БПЛА.")
        return "Атака беспилотников: что известно", text

    def uk_airforce(self) -> tuple[str, str]:
        launched = self.rng.randint(20, 160)
        down = self.rng.randint(launched // 2, launched - 2)
        lost = self.rng.randint(0, launched - down)
        d, mth = self.rng.randint(1, 28), self.pick(UK_MONTHS_GEN)
        sites = ", ".join(self.rng.sample(LAUNCH_SITES_UK, 3))
        text = (f"У ніч на {d} {mth} противник атакував {launched} ударними БпЛА типу Shahed та дронами-імітаторами "
                f"з напрямків {sites}. "
                f"За попередніми даними, станом на 08:30 протиповітряною обороною збито/подавлено {down} ворожих БпЛА "
                f"на півночі, півдні, сході та в центрі країни. ")
        if lost:
            text += f"{lost} локаційно втрачені (без негативних наслідків). "
        text += "Зафіксовано влучання на кількох локаціях. Повітряні сили ЗС України"
        return "Повітряні сили: результати відбиття атаки", text

    def uk_head(self) -> tuple[str, str]:
        en, ins, gen, head_uk, _head_en, towns, _ = self.pick(UA_REGIONS)
        n = self.rng.randint(1, 30)
        text = (f"Вночі над {ins} сили ППО знищили {n} безпілотників, повідомив начальник {gen} ОВА {head_uk}. "
                f"Уламки впали у {self.pick(towns)}, пошкоджено {self.rng.randint(1, 9)} приватних будинків. "
                f"Загиблих немає.")
        return f"{head_uk}: над областю збито дрони", text

    def en_mod(self) -> tuple[str, str]:
        k = self.rng.randint(2, 5)
        regions = self.rng.sample(RU_REGIONS, k)
        total = self.rng.randint(k + 2, 140)
        parts = self.parts(total, k)
        items = [f"{self.en_num(n)} over the {r.en} region" for n, r in zip(parts, regions)]
        text = (f"Russia's Defence Ministry said its air defences intercepted and destroyed {total} Ukrainian drones "
                f"{self.en_window()}. It said {', '.join(items[:-1])} and {items[-1]}.\n"
                f"The claims could not be independently verified.")
        return f"Russia says it downed {total} Ukrainian drones", text

    def en_airforce(self) -> tuple[str, str]:
        launched = self.rng.randint(20, 160)
        down = self.rng.randint(launched // 2, launched - 2)
        lost = self.rng.randint(0, launched - down)
        approx = self.rng.random() < 0.2
        text = (f"Ukraine's air force said Russia launched {'about ' if approx else ''}{launched} Shahed-type attack drones "
                f"and decoys overnight from {', '.join(self.rng.sample(LAUNCH_SITES_EN, 2))}. "
                f"Air defences shot down {down} of them, and {lost} were lost to electronic warfare, it said. "
                f"Damage was reported in the {self.pick(UA_REGIONS)[0]} region.")
        return f"Ukraine says it downed {down} of {launched} drones", text

    def en_governor(self) -> tuple[str, str]:
        r = self.pick(RU_REGIONS)
        n = self.rng.randint(1, 20)
        text = (f"Air defences destroyed {self.en_num(n)} drones over the {r.en} region {self.en_window()}, "
                f"Governor {r.governor_en} said on Telegram. "
                f"Debris fell near {self.pick(r.towns_en)}, he said, adding that there were no casualties.")
        return f"{r.en} governor says {n} drones downed", text

    def en_mayor(self) -> tuple[str, str]:
        n = self.rng.randint(1, 12)
        text = (f"Moscow Mayor Sergei Sobyanin said air defences had repelled an attack by {self.en_num(n)} drones "
                f"flying at Moscow. Emergency services were working at the site where debris fell, he said.")
        return "Sobyanin says drones flying at Moscow downed", text

    def en_mixed(self) -> tuple[str, str]:
        r = self.pick(RU_REGIONS)
        n = self.rng.randint(5, 60)
        g = self.rng.randint(1, n)
        ua = self.pick(UA_REGIONS)
        text = (f"Russia's Defence Ministry said more than {n} Ukrainian drones were destroyed {self.en_window()}, "
                f"including {g} over the {r.en} region. {r.en} Governor {r.governor_en} put the figure for the region at "
                f"{g + self.rng.randint(0, 3)}.\n"
                f"In Ukraine, {ua[4]}, head of the {ua[0]} regional administration, said air defences downed "
                f"{self.rng.randint(1, 15)} drones over the region and that debris damaged houses in {self.pick(ua[6])}.")
        return "Drone attacks overnight on both sides", text

    def drone(self, lang: str) -> tuple[str, str]:
        makers = {
            "ru": (self.ru_mod, self.ru_mod, self.ru_governor, self.ru_governor, self.ru_mayor, self.ru_mixed),
            "uk": (self.uk_airforce, self.uk_airforce, self.uk_head),
            "en": (self.en_mod, self.en_airforce, self.en_governor, self.en_mayor, self.en_mixed),
        }[lang]
        return self.pick(makers)()


# --------------------------------------------------------------------------- records


BASE_DAY = datetime(2025, 6, 1, tzinfo=UTC)


def _published(w: Writer, no: int, total: int) -> str | None:
    ts = BASE_DAY + timedelta(seconds=int(no * 86400 * 90 / max(total, 1)) + w.rng.randint(0, 3600))
    shape = w.rng.random()
    if shape < 0.6:
        return ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    if shape < 0.85:
        return ts.astimezone(BASE_DAY.tzinfo).strftime("%Y-%m-%dT%H:%M:%S+00:00")
    if shape < 0.95:
        return ts.strftime("%Y-%m-%d")
    return None


def records(n: int, seed: int = 7, start: int = 0, prefix: str = "bench"):
    """The dump's lines (str, without newline), `n` records with ids from `start`."""
    w = Writer(seed * 1_000_003 + start)
    recent: list[str] = []
    langs = ("ru", "ru", "ru", "ru", "uk", "uk", "en", "en", "en", "en")
    for i in range(start, start + n):
        roll = w.rng.random()
        if roll < DUPLICATE_SHARE and recent:
            yield w.pick(recent)
            continue
        if roll < DUPLICATE_SHARE + BAD_SHARE:
            yield w.pick((
                f'{{"id": "{prefix}-{i:08d}", "text": "оборванная строка',
                f'{{"id": "{prefix}-{i:08d}", "published": "2025-07-01"}}',
                f'{{"id": "", "text": "no id here"}}',
                f'{{"id": "{prefix}-{i:08d}", "text": {i}}}',
                "not json at all",
            ))
            continue
        lang = langs[w.rng.randrange(10)]
        title, text = w.drone(lang) if w.rng.random() < DRONE_SHARE / (1 - DUPLICATE_SHARE - BAD_SHARE) else w.news(lang)
        rec = {"id": f"{prefix}-{i:08d}", "published": _published(w, i, start + n), "source": w.pick(SOURCES[lang]),
               "url": f"https://news.example/{lang}/{i}", "title": title, "text": text}
        if w.rng.random() < 0.7:
            rec["lang"] = lang
        line = json.dumps(rec, ensure_ascii=False)
        if len(recent) < 1000:
            recent.append(line)
        elif w.rng.random() < 0.01:
            recent[w.rng.randrange(1000)] = line
        yield line


def write_dump(path: Path, n: int, seed: int = 7, start: int = 0, prefix: str = "bench") -> Path:
    """Write `n` records to `path` (gzip when it ends in .gz), streaming; return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = gzip.open(path, "wb", compresslevel=3) if path.suffix == ".gz" else open(path, "wb")
    with raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n", write_through=False) as out:
        batch: list[str] = []
        for line in records(n, seed, start, prefix):
            batch.append(line)
            if len(batch) >= 10_000:
                out.write("\n".join(batch) + "\n")
                batch.clear()
        if batch:
            out.write("\n".join(batch) + "\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="output file (.jsonl or .jsonl.gz)")
    parser.add_argument("n", type=int, help="number of records")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--start", type=int, default=0, help="first id number (to append new documents)")
    parser.add_argument("--prefix", default="bench", help="id prefix")
    args = parser.parse_args(argv)
    write_dump(args.path, args.n, args.seed, args.start, args.prefix)
    print(f"wrote {args.n} records to {args.path} ({args.path.stat().st_size / 2**20:.1f} MiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
