"""Hand-written source table for the region gazetteer (read only by build_gazetteer.py).

One line per place a claim can be tied to:
``code | kind | name_en | name_ru | name_uk | en_bases | en_names | ru_extra | uk_extra``

* en_bases: English stems that take "Oblast", "region", "Krai"... ("Kaluga" -> "Kaluga region").
* en_names: English names used verbatim.
* ru_extra / uk_extra: further phrases, inflected in every case; a leading "=" keeps the
  phrase as written (acronyms, indeclinable names).
Lists are separated by ";".
"""
from __future__ import annotations

REGIONS_TABLE = """
RU-AD|republic|Republic of Adygea|Республика Адыгея|Республіка Адигея||Adygea;Adygeya;Adygea Republic|Адыгея|Адигея
RU-AL|republic|Altai Republic|Республика Алтай|Республіка Алтай||Altai Republic;Republic of Altai;Gorno-Altai||
RU-ALT|krai|Altai Krai|Алтайский край|Алтайський край|Altai;Altay||Алтайский регион|
RU-AMU|oblast|Amur Oblast|Амурская область|Амурська область|Amur||Приамурье|Приамур'я
RU-ARK|oblast|Arkhangelsk Oblast|Архангельская область|Архангельська область|Arkhangelsk;Archangelsk||Архангельщина|
RU-AST|oblast|Astrakhan Oblast|Астраханская область|Астраханська область|Astrakhan||Астраханщина|Астраханщина
RU-BA|republic|Republic of Bashkortostan|Республика Башкортостан|Республіка Башкортостан||Bashkortostan;Bashkiria;Bashkir Republic|Башкортостан;Башкирия|Башкортостан;Башкирія
RU-BEL|oblast|Belgorod Oblast|Белгородская область|Бєлгородська область|Belgorod||Белгородчина;Белгородщина;Белгородский регион|Бєлгородщина;Білгородщина;Білгородська область
RU-BRY|oblast|Bryansk Oblast|Брянская область|Брянська область|Bryansk||Брянщина;Брянский регион|Брянщина
RU-BU|republic|Republic of Buryatia|Республика Бурятия|Республіка Бурятія||Buryatia;Buryatiya|Бурятия|Бурятія
RU-CE|republic|Chechen Republic|Чеченская Республика|Чеченська Республіка||Chechnya;Chechen Republic;Chechnia|Чечня;Чеченская Республика Ичкерия|Чечня;Ічкерія
RU-CHE|oblast|Chelyabinsk Oblast|Челябинская область|Челябінська область|Chelyabinsk||Челябинский регион|
RU-CHU|autonomous_okrug|Chukotka Autonomous Okrug|Чукотский автономный округ|Чукотський автономний округ|Chukotka||Чукотка|Чукотка
RU-CU|republic|Chuvash Republic|Чувашская Республика|Чуваська Республіка||Chuvashia;Chuvash Republic;Chuvashiya|Чувашия|Чувашія
RU-DA|republic|Republic of Dagestan|Республика Дагестан|Республіка Дагестан||Dagestan;Daghestan|Дагестан|Дагестан
RU-IN|republic|Republic of Ingushetia|Республика Ингушетия|Республіка Інгушетія||Ingushetia|Ингушетия|Інгушетія
RU-IRK|oblast|Irkutsk Oblast|Иркутская область|Іркутська область|Irkutsk||Приангарье|
RU-IVA|oblast|Ivanovo Oblast|Ивановская область|Іванівська область|Ivanovo||Ивановский регион|
RU-KAM|krai|Kamchatka Krai|Камчатский край|Камчатський край|Kamchatka||Камчатка|Камчатка
RU-KB|republic|Kabardino-Balkarian Republic|Кабардино-Балкарская Республика|Кабардино-Балкарська Республіка||Kabardino-Balkaria;Kabardino-Balkarian Republic|Кабардино-Балкария;=КБР|Кабардино-Балкарія
RU-KC|republic|Karachay-Cherkess Republic|Карачаево-Черкесская Республика|Карачаєво-Черкеська Республіка||Karachay-Cherkessia;Karachay-Cherkess Republic|Карачаево-Черкесия;=КЧР|Карачаєво-Черкесія
RU-KDA|krai|Krasnodar Krai|Краснодарский край|Краснодарський край|Krasnodar||Кубань;Краснодарский регион;Краснодарье|Кубань
RU-KEM|oblast|Kemerovo Oblast|Кемеровская область|Кемеровська область|Kemerovo||Кузбасс|Кузбас
RU-KGD|oblast|Kaliningrad Oblast|Калининградская область|Калінінградська область|Kaliningrad||Калининградский регион|
RU-KGN|oblast|Kurgan Oblast|Курганская область|Курганська область|Kurgan||Зауралье|
RU-KHA|krai|Khabarovsk Krai|Хабаровский край|Хабаровський край|Khabarovsk||Хабаровский регион|
RU-KHM|autonomous_okrug|Khanty-Mansi Autonomous Okrug|Ханты-Мансийский автономный округ|Ханти-Мансійський автономний округ|Khanty-Mansi;Khanty-Mansiysk|Yugra;Ugra|Югра;=ХМАО|Югра
RU-KIR|oblast|Kirov Oblast|Кировская область|Кіровська область|Kirov||Вятка;Кировский регион|
RU-KK|republic|Republic of Khakassia|Республика Хакасия|Республіка Хакасія||Khakassia;Khakasia|Хакасия|Хакасія
RU-KL|republic|Republic of Kalmykia|Республика Калмыкия|Республіка Калмикія||Kalmykia|Калмыкия|Калмикія
RU-KLU|oblast|Kaluga Oblast|Калужская область|Калузька область|Kaluga||Калужчина;Калужский регион|Калужчина
RU-KO|republic|Komi Republic|Республика Коми|Республіка Комі||Komi Republic;Republic of Komi||
RU-KOS|oblast|Kostroma Oblast|Костромская область|Костромська область|Kostroma||Костромщина|
RU-KR|republic|Republic of Karelia|Республика Карелия|Республіка Карелія||Karelia|Карелия|Карелія
RU-KRS|oblast|Kursk Oblast|Курская область|Курська область|Kursk||Курщина;Курский регион|Курщина
RU-KYA|krai|Krasnoyarsk Krai|Красноярский край|Красноярський край|Krasnoyarsk||Красноярье|
RU-LEN|oblast|Leningrad Oblast|Ленинградская область|Ленінградська область|Leningrad||=Ленобласть;=Ленобласти;=Ленобластью;Ленинградский регион|
RU-LIP|oblast|Lipetsk Oblast|Липецкая область|Липецька область|Lipetsk||Липетчина;Липецкий регион|Липеччина
RU-MAG|oblast|Magadan Oblast|Магаданская область|Магаданська область|Magadan||Колыма|
RU-ME|republic|Mari El Republic|Республика Марий Эл|Республіка Марій Ел||Mari El;Mari El Republic|=Марий Эл|=Марій Ел
RU-MO|republic|Republic of Mordovia|Республика Мордовия|Республіка Мордовія||Mordovia|Мордовия|Мордовія
RU-MOS|oblast|Moscow Oblast|Московская область|Московська область|Moscow||Подмосковье;Московский регион;=Мособласть;=Мособласти;=Мособластью|Підмосков'я;Московський регіон;Московщина
RU-MOW|city|Moscow|Москва|Москва||Moscow;Moscow city;City of Moscow|Москва;город Москва|Москва;місто Москва
RU-MUR|oblast|Murmansk Oblast|Мурманская область|Мурманська область|Murmansk||Мурманский регион;Заполярье|
RU-NEN|autonomous_okrug|Nenets Autonomous Okrug|Ненецкий автономный округ|Ненецький автономний округ|Nenets||=НАО|
RU-NGR|oblast|Novgorod Oblast|Новгородская область|Новгородська область|Novgorod||Новгородчина;Новгородщина|
RU-NIZ|oblast|Nizhny Novgorod Oblast|Нижегородская область|Нижньогородська область|Nizhny Novgorod;Nizhniy Novgorod;Nizhegorod||Нижегородский регион;Нижегородчина|
RU-NVS|oblast|Novosibirsk Oblast|Новосибирская область|Новосибірська область|Novosibirsk||Новосибирский регион|
RU-OMS|oblast|Omsk Oblast|Омская область|Омська область|Omsk||Омский регион|
RU-ORE|oblast|Orenburg Oblast|Оренбургская область|Оренбурзька область|Orenburg||Оренбуржье|
RU-ORL|oblast|Oryol Oblast|Орловская область|Орловська область|Oryol;Orel;Orlov||Орловщина;Орловский регион|Орловщина
RU-PER|krai|Perm Krai|Пермский край|Пермський край|Perm||Прикамье|Прикам'я
RU-PNZ|oblast|Penza Oblast|Пензенская область|Пензенська область|Penza||Пензенский регион|
RU-PRI|krai|Primorsky Krai|Приморский край|Приморський край|Primorsky;Primorskiy|Primorye|Приморье|Примор'я
RU-PSK|oblast|Pskov Oblast|Псковская область|Псковська область|Pskov||Псковщина;Псковский регион|Псковщина
RU-ROS|oblast|Rostov Oblast|Ростовская область|Ростовська область|Rostov||Ростовщина;Ростовский регион;Донской край|Ростовщина
RU-RYA|oblast|Ryazan Oblast|Рязанская область|Рязанська область|Ryazan||Рязанщина;Рязанский регион|Рязанщина
RU-SA|republic|Sakha Republic|Республика Саха (Якутия)|Республіка Саха (Якутія)||Sakha Republic;Yakutia;Republic of Sakha|Якутия;Республика Саха|Якутія;Республіка Саха
RU-SAK|oblast|Sakhalin Oblast|Сахалинская область|Сахалінська область|Sakhalin||Сахалин|Сахалін
RU-SAM|oblast|Samara Oblast|Самарская область|Самарська область|Samara||Самарский регион|Самарщина
RU-SAR|oblast|Saratov Oblast|Саратовская область|Саратовська область|Saratov||Саратовщина;Саратовский регион|Саратовщина
RU-SE|republic|Republic of North Ossetia-Alania|Республика Северная Осетия — Алания|Республіка Північна Осетія — Аланія||North Ossetia;North Ossetia-Alania;Alania|Северная Осетия;Республика Северная Осетия|Північна Осетія
RU-SMO|oblast|Smolensk Oblast|Смоленская область|Смоленська область|Smolensk||Смоленщина;Смоленский регион|Смоленщина
RU-SPE|city|Saint Petersburg|Санкт-Петербург|Санкт-Петербург||Saint Petersburg;St Petersburg;St. Petersburg;Saint-Petersburg;St-Petersburg|Санкт-Петербург;Петербург;=Питер;=Питере;=Питера;=СПб;Санкт Петербург|Санкт-Петербург;Петербург
RU-STA|krai|Stavropol Krai|Ставропольский край|Ставропольський край|Stavropol||Ставрополье;Ставропольский регион|Ставропілля
RU-SVE|oblast|Sverdlovsk Oblast|Свердловская область|Свердловська область|Sverdlovsk||Свердловский регион;Средний Урал|
RU-TA|republic|Republic of Tatarstan|Республика Татарстан|Республіка Татарстан||Tatarstan;Republic of Tatarstan|Татарстан;Татария|Татарстан
RU-TAM|oblast|Tambov Oblast|Тамбовская область|Тамбовська область|Tambov||Тамбовщина;Тамбовский регион|Тамбовщина
RU-TOM|oblast|Tomsk Oblast|Томская область|Томська область|Tomsk||Томский регион|
RU-TUL|oblast|Tula Oblast|Тульская область|Тульська область|Tula||Тульщина;Тульский регион|Тульщина
RU-TVE|oblast|Tver Oblast|Тверская область|Тверська область|Tver||Тверской регион;Верхневолжье|Тверщина
RU-TY|republic|Tuva Republic|Республика Тыва|Республіка Тива||Tuva;Tyva|Тыва;Тува|Тива;Тува
RU-TYU|oblast|Tyumen Oblast|Тюменская область|Тюменська область|Tyumen||Тюменский регион|
RU-UD|republic|Udmurt Republic|Удмуртская Республика|Удмуртська Республіка||Udmurtia;Udmurt Republic|Удмуртия|Удмуртія
RU-ULY|oblast|Ulyanovsk Oblast|Ульяновская область|Ульяновська область|Ulyanovsk||Ульяновский регион|
RU-VGG|oblast|Volgograd Oblast|Волгоградская область|Волгоградська область|Volgograd||Волгоградский регион|Волгоградщина
RU-VLA|oblast|Vladimir Oblast|Владимирская область|Владимирська область|Vladimir||Владимирщина;Владимирский регион|
RU-VLG|oblast|Vologda Oblast|Вологодская область|Вологодська область|Vologda||Вологодчина;Вологодский регион|Вологодщина
RU-VOR|oblast|Voronezh Oblast|Воронежская область|Воронезька область|Voronezh||Воронежчина;Воронежский регион|Воронежчина
RU-YAN|autonomous_okrug|Yamalo-Nenets Autonomous Okrug|Ямало-Ненецкий автономный округ|Ямало-Ненецький автономний округ|Yamalo-Nenets;Yamal||Ямал;=ЯНАО|Ямал
RU-YAR|oblast|Yaroslavl Oblast|Ярославская область|Ярославська область|Yaroslavl||Ярославщина;Ярославский регион|Ярославщина
RU-YEV|autonomous_oblast|Jewish Autonomous Oblast|Еврейская автономная область|Єврейська автономна область|Jewish Autonomous||=ЕАО|
RU-ZAB|krai|Zabaykalsky Krai|Забайкальский край|Забайкальський край|Zabaykalsky;Zabaikalsky|Transbaikalia;Zabaykalye|Забайкалье|Забайкалля
UA-43|republic|Republic of Crimea|Республика Крым|Автономна Республіка Крим||Crimea;Republic of Crimea;Autonomous Republic of Crimea;Crimean Peninsula|Крым;Автономная Республика Крым;Крымский полуостров|Крим;Республіка Крим;Кримський півострів
UA-40|city|Sevastopol|Севастополь|Севастополь||Sevastopol;Sebastopol|Севастополь;город Севастополь|Севастополь;місто Севастополь
UA-30|city|Kyiv|Киев|Київ||Kyiv;Kiev;Kyiv city;City of Kyiv|Киев;город Киев|Київ;місто Київ
UA-05|oblast|Vinnytsia Oblast|Винницкая область|Вінницька область|Vinnytsia;Vinnytsya;Vinnitsa||Винничина;Винниччина|Вінниччина
UA-07|oblast|Volyn Oblast|Волынская область|Волинська область|Volyn;Volhynia||Волынь|Волинь
UA-09|oblast|Luhansk Oblast|Луганская область|Луганська область|Luhansk;Lugansk||Луганщина;=ЛНР;Луганская Народная Республика|Луганщина;=ЛНР
UA-12|oblast|Dnipropetrovsk Oblast|Днепропетровская область|Дніпропетровська область|Dnipropetrovsk;Dnepropetrovsk;Dnipro||Днепропетровщина;Днепровская область|Дніпропетровщина;Дніпровщина
UA-14|oblast|Donetsk Oblast|Донецкая область|Донецька область|Donetsk||Донетчина;Донеччина;=ДНР;Донецкая Народная Республика|Донеччина;=ДНР
UA-18|oblast|Zhytomyr Oblast|Житомирская область|Житомирська область|Zhytomyr;Zhitomir||Житомирщина|Житомирщина
UA-21|oblast|Zakarpattia Oblast|Закарпатская область|Закарпатська область|Zakarpattia;Transcarpathian;Zakarpatska|Transcarpathia|Закарпатье|Закарпаття
UA-23|oblast|Zaporizhzhia Oblast|Запорожская область|Запорізька область|Zaporizhzhia;Zaporizhia;Zaporozhye;Zaporizhzhya|||
UA-26|oblast|Ivano-Frankivsk Oblast|Ивано-Франковская область|Івано-Франківська область|Ivano-Frankivsk||Прикарпатье;Ивано-Франковщина|Прикарпаття;Івано-Франківщина;Франківщина
UA-32|oblast|Kyiv Oblast|Киевская область|Київська область|Kyiv;Kiev||Киевщина|Київщина
UA-35|oblast|Kirovohrad Oblast|Кировоградская область|Кіровоградська область|Kirovohrad;Kirovograd;Kropyvnytskyi||Кировоградщина|Кіровоградщина
UA-46|oblast|Lviv Oblast|Львовская область|Львівська область|Lviv;Lvov||Львовщина|Львівщина
UA-48|oblast|Mykolaiv Oblast|Николаевская область|Миколаївська область|Mykolaiv;Mykolayiv;Nikolaev;Nikolayev||Николаевщина|Миколаївщина
UA-51|oblast|Odesa Oblast|Одесская область|Одеська область|Odesa;Odessa||Одесщина;Одессщина|Одещина
UA-53|oblast|Poltava Oblast|Полтавская область|Полтавська область|Poltava||Полтавщина|Полтавщина
UA-56|oblast|Rivne Oblast|Ровенская область|Рівненська область|Rivne;Rovno||Ровенщина;Ровненская область|Рівненщина
UA-59|oblast|Sumy Oblast|Сумская область|Сумська область|Sumy||Сумщина|Сумщина
UA-61|oblast|Ternopil Oblast|Тернопольская область|Тернопільська область|Ternopil;Ternopol||Тернопольщина|Тернопільщина
UA-63|oblast|Kharkiv Oblast|Харьковская область|Харківська область|Kharkiv;Kharkov||Харьковщина|Харківщина;Слобожанщина
UA-65|oblast|Kherson Oblast|Херсонская область|Херсонська область|Kherson||Херсонщина|Херсонщина
UA-68|oblast|Khmelnytskyi Oblast|Хмельницкая область|Хмельницька область|Khmelnytskyi;Khmelnytsky;Khmelnitsky;Khmelnytskyy||Хмельнитчина;Хмельниччина|Хмельниччина
UA-71|oblast|Cherkasy Oblast|Черкасская область|Черкаська область|Cherkasy;Cherkassy||Черкасщина;Черкащина|Черкащина
UA-74|oblast|Chernihiv Oblast|Черниговская область|Чернігівська область|Chernihiv;Chernigov||Черниговщина|Чернігівщина
UA-77|oblast|Chernivtsi Oblast|Черновицкая область|Чернівецька область|Chernivtsi;Chernovtsy||Буковина|Буковина;Чернівеччина
SEA-BLACK|water|Black Sea|Черное море|Чорне море||Black Sea;Black sea|Черное море;Черноморская акватория|Чорне море;Чорноморська акваторія
SEA-AZOV|water|Sea of Azov|Азовское море|Азовське море||Sea of Azov;Azov Sea;Azov sea|Азовское море;Азовская акватория|Азовське море;Азовська акваторія
SEA-CASPIAN|water|Caspian Sea|Каспийское море|Каспійське море||Caspian Sea;Caspian sea|Каспийское море;Каспий|Каспійське море;Каспій
SEA-BALTIC|water|Baltic Sea|Балтийское море|Балтійське море||Baltic Sea;Baltic sea|Балтийское море;Балтика|Балтійське море;Балтика
"""
