"""The secretariat's everyday mail from March 2023 to mid-April 2024, before the call.

About 150 messages built from templates by a seeded random generator (the same messages on
every run): the Committee's meetings, minutes and resolutions, the working groups of the
current term, newsletters, other bodies' calls and trainings, invoices, colleagues,
conferences, reports, enquiries and a few auto-replies. None of them is about the 2024 call
for the working groups. They are what `mailbot learn` reads as the mailbox's ordinary mail.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from mailboxes.model import Msg

WARSAW = ZoneInfo("Europe/Warsaw")
COUNT = 150
FIRST, LAST = date(2023, 3, 1), date(2024, 4, 15)

PEOPLE = [
    ("Barbara Zielińska", "b.zielinska@cis-jelenia.example.pl", "CIS w Jeleniej Górze"),
    ("Ryszard Olszewski", "r.olszewski@kis-klodzko.example.pl", "KIS w Kłodzku"),
    ("Katarzyna Bielecka", "k.bielecka@pup-legnica.example.pl", "PUP w Legnicy"),
    ("Piotr Zając", "p.zajac@powiat-olesnica.example.pl", "Starostwo Powiatowe w Oleśnicy"),
    ("Elżbieta Nowicka", "e.nowicka@cis-boleslawiec.example.pl", "CIS w Bolesławcu"),
    ("Dariusz Kowal", "d.kowal@owes-jelenia.example.pl", "OWES Subregionu Jeleniogórskiego"),
    ("Irena Malinowska", "i.malinowska@rops-dolnyslask.example.pl", "ROPS"),
    ("Henryk Sowa", "h.sowa@cus-swidnica.example.pl", "CUS w Świdnicy"),
    (
        "Łukasz Brzeziński",
        "l.brzezinski@spoldzielnie-dolnoslaskie.example.pl",
        "Związek Lustracyjny Spółdzielni Socjalnych",
    ),
    ("Ewelina Sroka", "e.sroka@lgd-kaczawskie.example.pl", "LGD Kaczawskie"),
    ("Henryk Mróz", "h.mroz@kobierzyce.example.pl", "Gmina Kobierzyce"),
    ("Anna Rybak", "a.rybak@umwd.example.pl", "Departament Polityki Społecznej UMWD"),
]
COLLEAGUES = [
    ("Monika Zawada", "m.zawada@dops.wroc.pl"),
    ("Tomasz Gil", "t.gil@dops.wroc.pl"),
    ("Wojciech Marczak", "w.marczak@dops.wroc.pl"),
    ("Sylwia Kurek", "s.kurek@dops.wroc.pl"),
    ("Jacek Urban", "j.urban@dops.wroc.pl"),
]
GROUPS = [
    "rozwoju usług społecznych i deinstytucjonalizacji",
    "przedsiębiorstw społecznych",
    "promocji i współpracy z biznesem",
    "monitoringu RPRES",
    "edukacji dla ekonomii społecznej",
]
ROMAN = ["VI", "VII", "VIII", "IX", "X", "XI"]
CITIES = ["Wałbrzych", "Legnica", "Jelenia Góra", "Świdnica", "Oleśnica", "Kłodzko", "Głogów"]
MONTHS = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
]

Made = tuple[str, str, str, str, dict[str, object]]  # kind, sender, subject, body, extra
Template = Callable[[random.Random, datetime], Made]


def _day(when: datetime, days: int) -> str:
    d = when + timedelta(days=days)
    return f"{d.day} {MONTHS[d.month - 1]}"


def _person(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(PEOPLE)


def meeting(rng: random.Random, when: datetime) -> Made:
    name, addr, org = _person(rng)
    n = rng.choice(ROMAN)
    text = rng.choice(
        [
            f"Dzień dobry,\nniestety nie dojadę na {n} posiedzenie Komitetu {_day(when, 6)}, mam "
            f"tego dnia kontrolę. Proszę o przesłanie materiałów po spotkaniu.\n{name}",
            f"Pani Doroto,\nbędę obecny(a) na posiedzeniu {_day(when, 9)}. Proszę o miejsce "
            f"parkingowe, przyjadę samochodem z {rng.choice(CITIES)}.\nPozdrawiam, {name}",
            f"Szanowna Pani,\nczy {n} posiedzenie DKRES odbędzie się stacjonarnie, czy hybrydowo? "
            f"Chcielibyśmy dołączyć zdalnie.\n{name}\n{org}",
            "Dzień dobry, w nawiązaniu do zaproszenia na posiedzenie Komitetu – proszę o "
            "dopisanie do porządku obrad punktu o finansowaniu OWES w nowej perspektywie.\n"
            f"{name}, {org}",
        ]
    )
    subject = rng.choice(
        [
            f"{n} posiedzenie Komitetu",
            f"Re: Zaproszenie na {n} posiedzenie DKRES",
            "posiedzenie – obecność",
            f"Posiedzenie {_day(when, 7)}",
        ]
    )
    return "meeting", f"{name} <{addr}>", subject, text, {}


def minutes(rng: random.Random, when: datetime) -> Made:
    name, addr, _ = _person(rng)
    n = rng.choice(ROMAN)
    text = rng.choice(
        [
            f"Do protokołu z {n} posiedzenia nie wnoszę uwag.\n{name}",
            f"Pani Doroto, w protokole z {n} posiedzenia jest błąd w nazwisku – powinno być "
            f"„{name.split()[1]}”. Poza tym akceptuję.\nPozdrawiam",
            f"Dzień dobry,\nprzesyłam podpisany protokół – oryginał wysłałem pocztą.\n{name}",
            "Proszę o uzupełnienie protokołu o informację, że głosowałem przeciw uchwale w sprawie "
            f"harmonogramu prac Komitetu.\n{name}",
        ]
    )
    subject = rng.choice(
        [
            f"protokół {n}",
            f"Re: Projekt protokołu z {n} posiedzenia",
            "Uwagi do protokołu",
            "protokół – podpis",
        ]
    )
    return "minutes", f"{name} <{addr}>", subject, text, {}


def resolution(rng: random.Random, when: datetime) -> Made:
    number = rng.randint(1, 14)
    year = when.year
    text = rng.choice(
        [
            f"Pani Doroto,\nw załączeniu tekst jednolity uchwały nr {number}/{year} po poprawkach "
            "radców prawnych. Proszę o podmianę w materiałach.\nAnna Rybak",
            f"Dzień dobry,\nZarząd Województwa przyjął stanowisko Komitetu wyrażone w uchwale "
            f"nr {number}/{year}. Pismo przekażemy w przyszłym tygodniu.\nAnna Rybak",
            f"Uchwała nr {number}/{year} została podpisana przez Przewodniczącą – skan do "
            "rejestru uchwał.\nA. Rybak",
        ]
    )
    subject = rng.choice(
        [
            f"uchwała {number}/{year}",
            f"Uchwała nr {number}/{year} – tekst",
            "Rejestr uchwał Komitetu",
        ]
    )
    return "resolution", "Anna Rybak <a.rybak@umwd.example.pl>", subject, text, {}


def working_group(rng: random.Random, when: datetime) -> Made:
    name, addr, _ = _person(rng)
    group = rng.choice(GROUPS)
    text = rng.choice(
        [
            f"Drodzy,\nkolejne spotkanie naszej grupy roboczej ds. {group} proponuję "
            f"{_day(when, 12)} o 10:00 w DOPS. Proszę o informację, kto będzie.\n{name}",
            f"W załączeniu notatka ze spotkania grupy roboczej ds. {group}. Uwagi do "
            f"piątku.\n{name}",
            f"Pani Doroto, czy mogłaby Pani zarezerwować salę na spotkanie grupy ds. {group}? "
            f"Około 8 osób, {_day(when, 14)}.\n{name}",
            f"Grupa robocza ds. {group} przyjęła rekomendacje – przekażę je Przewodniczącej "
            f"przed posiedzeniem Komitetu.\n{name}",
        ]
    )
    subject = rng.choice(
        [
            f"GR ds. {group}",
            f"Spotkanie grupy roboczej – {_day(when, 12)}",
            "notatka ze spotkania grupy",
            "sala na spotkanie grupy",
        ]
    )
    return "working_group", f"{name} <{addr}>", subject, text, {}


def newsletter(rng: random.Random, when: datetime) -> Made:
    month = MONTHS[when.month - 1]
    kind = rng.randrange(3)
    if kind == 0:
        body = (
            f"OWES informuje – wydanie z {_day(when, 0)}\n\n• dotacje na nowe miejsca pracy "
            "w PES – ruszył kolejny nabór wniosków\n• bezpłatne doradztwo prawne\n• kalendarz "
            "szkoleń\n\nZrezygnuj z subskrypcji: https://owes-walbrzych.example.pl/wypisz"
        )
        headers: tuple[tuple[str, str], ...] = (
            ("List-Id", "<newsletter.owes-walbrzych.example.pl>"),
            ("List-Unsubscribe", "<https://owes-walbrzych.example.pl/wypisz>"),
        )
        return (
            "newsletter",
            "OWES Wałbrzych <newsletter@owes-walbrzych.example.pl>",
            f"OWES informuje – {month}",
            body,
            {"headers": headers},
        )
    if kind == 1:
        body = (
            f"Biuletyn ROPS – {month} {when.year}\n1. Dane o PES w regionie.\n2. Spółdzielnie "
            "socjalne – nowe przepisy.\n3. Z prac regionalnego komitetu ekonomii społecznej.\n"
            "Pytania: rops.info@rops-dolnyslask.example.pl"
        )
        return (
            "newsletter",
            "ROPS <rops.info@rops-dolnyslask.example.pl>",
            f"Biuletyn ROPS – {month}",
            body,
            {"to": "undisclosed-recipients:;"},
        )
    html = (
        f"<html><body><h2>Ekonomia społeczna – przegląd {month}</h2><p>Przedsiębiorstwa "
        "społeczne w liczbach, zmiany w ustawie o ekonomii społecznej, dobre praktyki "
        "regionalnych komitetów.</p><p><a href='https://mrips.example.gov.pl/wypisz'>"
        "wypisz</a></p></body></html>"
    )
    return (
        "newsletter",
        "MRiPS – ekonomia społeczna <biuletyn-es@mrips.example.gov.pl>",
        f"Przegląd ekonomii społecznej – {month} {when.year}",
        "",
        {"html": html, "headers": (("List-Id", "<biuletyn-es.mrips.example.gov.pl>"),)},
    )


def other_call(rng: random.Random, when: datetime) -> Made:
    city = rng.choice(CITIES)
    options = [
        (
            "Ośrodek Wsparcia ES <szkolenia@owes-legnica.example.pl>",
            "Rekrutacja na szkolenie z księgowości PES",
            f"Zapraszamy księgowych spółdzielni socjalnych i fundacji na szkolenie w {city}, "
            f"{_day(when, 20)}. Karty uczestnictwa prosimy odsyłać do {_day(when, 12)}. "
            "Prosimy o przekazanie informacji.",
        ),
        (
            "Urząd Marszałkowski – NGO <ngo@umwd.example.pl>",
            "Otwarty konkurs ofert – pomoc społeczna",
            "Zarząd Województwa ogłasza otwarty konkurs ofert na realizację zadań publicznych "
            "w zakresie pomocy społecznej. Oferty w generatorze Witkac do "
            f"{_day(when, 30)}. Prosimy o rozpowszechnienie.",
        ),
        (
            "Fundacja Rozwoju Przedsiębiorczości <fundacja@frp.example.org>",
            "Nagroda „Społecznik Roku” – zgłoszenia",
            "Trwa zbieranie kandydatur do nagrody „Społecznik Roku”. Karta kandydata dostępna na "
            f"stronie fundacji. Termin: {_day(when, 25)}.",
        ),
        (
            "ROPS – baza PES <baza.pes@rops-dolnyslask.example.pl>",
            "Aktualizacja Bazy PES – przypomnienie",
            "Przypominamy o corocznej aktualizacji danych w regionalnej bazie podmiotów ekonomii "
            f"społecznej. Ankietę aktualizacyjną prosimy odesłać do {_day(when, 21)}.",
        ),
        (
            "PFRON Oddział Dolnośląski <wroclaw@pfron.example.org.pl>",
            "Program „Aktywny samorząd” – informacja",
            "Uprzejmie informujemy o przyjmowaniu wniosków w programie „Aktywny samorząd”. "
            "Prosimy o przekazanie informacji zainteresowanym.",
        ),
    ]
    sender, subject, body = rng.choice(options)
    return "other_call", sender, subject, body + "\n\nZ poważaniem", {}


def invoice(rng: random.Random, when: datetime) -> Made:
    number = rng.randint(10, 999)
    options = [
        (
            "Catering Pod Lipami <faktury@podlipami.example.pl>",
            f"FV {number}/{when.year}",
            f"W załączeniu faktura nr {number} za serwis kawowy. Termin płatności 14 dni.",
        ),
        (
            "Hotel Nadodrze – księgowość <ksiegowosc@nadodrze-hotel.example.pl>",
            f"Faktura VAT {number}/H/{when.year}",
            "Przesyłamy fakturę za wynajem sali konferencyjnej. Prosimy o terminową płatność.",
        ),
        (
            "Dobry Druk <bok@dobrydruk.example.pl>",
            f"Faktura {number} – druk",
            "Faktura za wydruk materiałów w załączeniu. Dziękujemy za zamówienie.",
        ),
        (
            "PKP Intercity e-faktury <efaktura@intercity.example.pl>",
            f"Faktura do biletu nr {number}",
            "Dokument wygenerowany automatycznie.",
        ),
    ]
    sender, subject, body = rng.choice(options)
    return "invoice", sender, subject, body, {}


def colleague(rng: random.Random, when: datetime) -> Made:
    name, addr = rng.choice(COLLEAGUES)
    options = [
        (
            "urlop",
            f"Od {_day(when, 10)} przez tydzień mnie nie ma, zastępuje mnie "
            f"{rng.choice(COLLEAGUES)[0].split()[0]}.",
        ),
        ("tort w kuchni", "Zapraszam na tort do kuchni na 2 piętrze o 13, mam imieniny :)"),
        ("do podpisu", "Zostawiłem Ci na biurku pisma do podpisu dla dyrektora, pilne."),
        ("drukarka", "Drukarka na korytarzu znowu się zacina, zgłosiłam do IT."),
        ("delegacja", f"Rozliczyłaś delegację z {rng.choice(CITIES)}? Księgowość pyta."),
        ("obiegówka", "Przypominam o obiegówce dla praktykantki – trzeba podpisać w kadrach."),
        ("samochód służbowy", f"Samochód na {_day(when, 3)} zarezerwowany, kluczyki u portiera."),
        ("spotkanie zespołu", "Odprawa zespołu przeniesiona na czwartek 9:00."),
    ]
    subject, body = rng.choice(options)
    return "colleague", f"{name} <{addr}>", subject, body + f"\n{name.split()[0]}", {}


def conference(rng: random.Random, when: datetime) -> Made:
    city = rng.choice(CITIES)
    options = [
        (
            "Instytut Rozwoju Ekonomii Społecznej <kontakt@ires.example.org>",
            "Webinar: jak założyć spółdzielnię socjalną osób prawnych",
            f"Zapraszamy {_day(when, 9)} na webinar. Link po rejestracji.",
        ),
        (
            "Fundacja FISE <konferencje@fundacja-fise.example.org>",
            "Ogólnopolski Zjazd Ekonomii Społecznej",
            f"Zjazd odbędzie się {_day(when, 40)} w Warszawie. Zapraszamy przedstawicieli "
            "regionalnych komitetów.",
        ),
        (
            "Starostwo Powiatowe <promocja@starostwo-powiatowe.example.pl>",
            "Zaproszenie na Powiatowe Targi Pracy",
            f"Serdecznie zapraszamy na targi pracy w {city} – stoiska dla CIS, KIS i ZAZ.",
        ),
        (
            "VI Dolnośląskie Forum Ekonomii Społecznej <forum@dops.wroc.pl>",
            "Forum 2023 – zgłoszenia wystawców",
            "Podmioty ekonomii społecznej mogą zgłaszać stoiska na targach podczas Forum.",
        ),
    ]
    sender, subject, body = rng.choice(options)
    return "conference", sender, subject, body, {}


def report(rng: random.Random, when: datetime) -> Made:
    options = [
        (
            "Sprawozdanie z realizacji RPRES – dane do 15.",
            "Proszę o przygotowanie danych z posiedzeń i uchwał Komitetu do sprawozdania z RPRES.",
        ),
        (
            "Plan pracy Komitetu na kolejny rok",
            "Przewodnicząca prosi o projekt planu pracy Komitetu z harmonogramem posiedzeń.",
        ),
        ("Budżet Forum", "Potrzebuję zestawienia kosztów Forum i posiedzeń do planu finansowego."),
    ]
    subject, body = rng.choice(options)
    return "report", "Wojciech Marczak <w.marczak@dops.wroc.pl>", subject, body + "\nW.", {}


def enquiry(rng: random.Random, when: datetime) -> Made:
    options = [
        (
            "Tomasz Żak <t.zak@radio-wroclaw.example.pl>",
            "Audycja o spółdzielniach",
            "Przygotowujemy audycję o spółdzielniach socjalnych. Czy ktoś z DOPS udzieli wywiadu?",
        ),
        (
            "Jan Kowalczyk <jan.kowalczyk@wp.example.pl>",
            "pytanie o CIS",
            "Dzień dobry, gdzie w okolicach Głogowa jest Centrum Integracji Społecznej? Szukam "
            "pracy dla syna.",
        ),
        (
            "Marta Lis <marta.lis@student.pwr.example.edu.pl>",
            "ankieta do pracy dyplomowej",
            "Czy mogę prosić o rozesłanie ankiety wśród członków Komitetu?",
        ),
    ]
    sender, subject, body = rng.choice(options)
    return "enquiry", sender, subject, body, {}


def auto_reply(rng: random.Random, when: datetime) -> Made:
    name, addr, _ = _person(rng)
    body = f"Jestem nieobecny(a) do {_day(when, 5)}. Wiadomości nie są przekazywane.\n{name}"
    headers = (("Auto-Submitted", "auto-replied"),)
    return (
        "auto_reply",
        f"{name} <{addr}>",
        "Odpowiedź automatyczna: nieobecność",
        body,
        {"headers": headers, "expect": "ignored"},
    )


TEMPLATES: list[tuple[Template, int]] = [
    (meeting, 16),
    (minutes, 9),
    (resolution, 7),
    (working_group, 14),
    (newsletter, 22),
    (other_call, 16),
    (invoice, 14),
    (colleague, 24),
    (conference, 12),
    (report, 6),
    (enquiry, 6),
    (auto_reply, 4),
]


def history() -> list[Msg]:
    rng = random.Random(16)
    kinds = [t for t, weight in TEMPLATES for _ in range(weight)]
    rng.shuffle(kinds)
    span = (LAST - FIRST).days
    out = []
    for number, template in enumerate(kinds[:COUNT]):
        day = FIRST + timedelta(days=rng.randrange(span + 1))
        when = datetime(
            day.year, day.month, day.day, rng.randint(7, 17), rng.randrange(60), tzinfo=WARSAW
        )
        kind, sender, subject, body, extra = template(rng, when)
        out.append(
            Msg(
                f"history-{number:03d}-{kind}",
                sender,
                subject,
                body,
                when,
                why=f"before the call: {kind}",
                **extra,
            )
        )  # type: ignore[arg-type]
    return sorted(out, key=lambda m: m.received)
