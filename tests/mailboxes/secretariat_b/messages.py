"""The DKRES secretariat's mailbox (d.butryn@dops.wroc.pl), late April to June 2024.

About 46 everyday messages of the secretariat that speak the call's language — the Committee's
sittings, minutes, resolutions and circular votes, the current term's working groups, social
economy newsletters, other bodies' calls with their own application forms (blank and filled,
Word and PDF), invoices, a journalist, a university naming its representative in the
Committee, a patronage request, robots — and 30 messages about the call: applications in every
shape, questions that name a group by its title or number, a withdrawal, replies in the thread
of mailbot's letters. Each record says what a careful employee of the secretariat would do.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from typing import Any

from mailbot.ops import samples
from mailbot.ops.samples import Applicant

from . import documents as d
from .model import CSV, DOCX, JPEG, PDF, Attachment, Msg, at

# --- the call's applicants -------------------------------------------------------------------

JADWIGA = Applicant(
    full_name="Jadwiga Malinowska",
    organisation="Fundacja „Dobry Start” w Świdnicy",
    organisation_type="organizacja pozarządowa",
    position="Prezes Zarządu",
    address="ul. Długa 7\n58-100 Świdnica",
    email="j.malinowska@dobrystart-swidnica.example.pl",
    phone="74 852 11 40",
    groups=(1,),
    experience="Fundacja prowadzi mieszkania wspomagane i usługi opiekuńcze od 2012 r.",
    place_and_date="Świdnica, 7.05.2024",
)
TOMASZ = Applicant(
    full_name="Tomasz Grabowski",
    organisation="Spółdzielnia Socjalna „Pod Lipami”",
    organisation_type="spółdzielnia socjalna",
    position="Prezes",
    address="Lipowa 3, 59-300 Lubin",
    email="tomasz.grabowski@podlipami.example.pl",
    phone="605 118 229",
    groups=(2,),
    experience="Realizujemy zlecenia gminy Lubin w zakresie utrzymania zieleni.",
    place_and_date="Lubin, 08.05.2024",
)
MAREK = Applicant(
    full_name="Marek Zieliński",
    organisation="Zakład Aktywności Zawodowej w Kamiennej Górze",
    organisation_type="ZAZ",
    position="Kierownik ZAZ",
    address="ul. Papieska 2, 58-400 Kamienna Góra",
    email="m.zielinski@zaz-kg.example.pl",
    phone="+48 75 744 20 10",
    groups=(4,),
    consents_gdpr=False,
    place_and_date="Kamienna Góra, 9 maja 2024",
)
BEATA = Applicant(
    full_name="Beata Kaczmarczyk",
    organisation="Stowarzyszenie Aktywni Razem",
    organisation_type="stowarzyszenie",
    position="członkini zarządu",
    address="Bystrzyca Kłodzka, ul. Rynek 4",
    email="b.kaczmarczyk(at)op.pl",
    phone="698 441 002",
    groups=(3,),
    place_and_date="Bystrzyca Kł., 10.05.2024",
)
GRZEGORZ = Applicant(
    full_name="Grzegorz Pawłowski",
    organisation="Stowarzyszenie „Razem dla Kłodzka”",
    organisation_type="NGO",
    position="wiceprezes",
    address="Kłodzko, ul. Wojska Polskiego 1",
    email="g.pawlowski@razemdlaklodzka.example.org",
    phone="501 300 700",
    groups=(5,),
    place_and_date="Kłodzko, 24.05.2024",
)
ANETA = Applicant(
    full_name="Aneta Dąbrowska",
    organisation="Klub Integracji Społecznej w Głogowie",
    organisation_type="KIS",
    position="koordynatorka KIS",
    address="ul. Kościuszki 15, 67-200 Głogów",
    email="aneta.dabrowska@kis-glogow.example.pl",
    phone="76 833 90 12",
    groups=(4,),
    place_and_date="Głogów, 5.05.2024",
)
KRZYSZTOF = Applicant(
    full_name="Krzysztof Wiśniewski",
    organisation="Warsztat Terapii Zajęciowej przy Stowarzyszeniu „Promyk”",
    organisation_type="WTZ",
    position="kierownik warsztatu",
    address="Legnica, ul. Chojnowska 80",
    email="k.wisniewski@promyk-legnica.example.pl",
    phone="607 020 030",
    groups=(4,),
    place_and_date="Legnica, 9.05.2024",
)
EWA = Applicant(
    full_name="Ewa Nowicka",
    organisation="Caritas Diecezji Świdnickiej",
    organisation_type="organizacja kościelna",
    position="koordynatorka usług opiekuńczych",
    address="pl. Jana Pawła II 1, 58-100 Świdnica",
    email="e.nowicka@caritas-swidnica.example.pl",
    phone="74 640 22 11",
    groups=(1,),
    place_and_date="Świdnica, 14.05.2024",
)
PAWEL = Applicant(
    full_name="ks. Paweł Krawczyk",
    organisation="Caritas Diecezji Świdnickiej",
    organisation_type="organizacja kościelna",
    position="dyrektor",
    address="pl. Jana Pawła II 1, 58-100 Świdnica",
    email="p.krawczyk@caritas-swidnica.example.pl",
    phone="74 640 22 10",
    groups=(4,),
    place_and_date="Świdnica, 14.05.2024",
)
ROBERT = Applicant(
    full_name="Robert Sadowski",
    organisation="Fundacja Ekonomii Społecznej „Horyzont”",
    organisation_type="fundacja",
    position="prezes",
    address="ul. Ruska 46, 50-079 Wrocław",
    email="robert.sadowski@horyzont-fes.example.org",
    phone="512 900 431",
    groups=(5,),
    place_and_date="Wrocław, 15.05.2024",
)
AGNIESZKA = Applicant(
    full_name="Agnieszka Lewandowska",
    organisation="Fundacja Krzyżowa dla Porozumienia Europejskiego",
    organisation_type="fundacja",
    position="Prezeska",
    address="Krzyżowa 7, 58-112 Grodziszcze",
    email="a.lewandowska@fundacja-krzyzowa.example.org",
    phone="74 850 03 00",
    groups=(3,),
    place_and_date="Krzyżowa, 16.05.2024",
)
LUKASZ = Applicant(
    full_name="Łukasz Kamiński",
    organisation="Spółdzielnia Socjalna „Smaki Sudetów”",
    organisation_type="spółdzielnia socjalna",
    position="członek zarządu",
    address="Jelenia Góra, ul. Sudecka 19",
    email="lukasz@smakisudetow.example.pl",
    phone="790 555 101",
    groups=(5, 3),
    place_and_date="Jelenia Góra 17.05.2024",
)
OLENA = Applicant(
    full_name="Olena Kovalenko",
    organisation="Fundacja „Nowy Dom”",
    organisation_type="NGO",
    position="koordynatorka projektów",
    address="Wrocław, ul. Pomorska 55",
    email="olena.kovalenko@nowydom.example.org",
    phone="+48 733 210 654",
    groups=(1, 3),
    experience="I coordinate integration programmes for refugees; prowadzę szkolenia zawodowe.",
    place_and_date="Wrocław, 20.05.2024",
)
IWONA = Applicant(
    full_name="Iwona Jankowska",
    organisation="Urząd Gminy Oleśnica",
    organisation_type="JST",
    position="inspektor ds. społecznych",
    address="ul. 11 Listopada 24, 56-400 Oleśnica",
    email="i.jankowska@ug-olesnica.example.pl",
    phone="71 314 01 22",
    groups=(2,),
    place_and_date="Oleśnica, 13.05.2024",
)
JANUSZ = Applicant(
    full_name="Janusz Kowalczyk",
    organisation="ZAZ w Wałbrzychu",
    organisation_type="ZAZ",
    position="specjalista ds. rehabilitacji",
    address="Wałbrzych",
    email="j.kowalczyk@zaz-walbrzych.example.pl",
    phone="604 321 987",
    groups=(4,),
    place_and_date="Wałbrzych, 21.05.2024",
)
MONIKA = Applicant(
    full_name="Monika Wójcik",
    organisation="Ośrodek Wsparcia Ekonomii Społecznej Subregionu Legnickiego",
    organisation_type="OWES",
    position="animatorka",
    address="Legnica, ul. Złotoryjska 10",
    email="m.wojcik@owes-legnica.example.pl",
    phone="76 111 22 33",
    groups=(),
    place_and_date="Legnica, 22.05.2024",
)


def docx_app(applicant: Applicant, name: str = "formularz_zgloszeniowy.docx") -> Attachment:
    return (name, DOCX, partial(samples.filled_docx, applicant))


def pdf_app(applicant: Applicant, name: str = "formularz-zgloszeniowy.pdf") -> Attachment:
    return (name, PDF, partial(samples.filled_pdf, applicant))


def scan(name: str) -> Attachment:
    return (name, PDF, samples.scanned_pdf)


def photo() -> bytes:
    """A small JPEG as a phone sends it (markers around a fixed payload)."""
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes((i * 37) % 251 for i in range(40_000))
        + b"\xff\xd9"
    )


# --- other bodies' forms and documents -------------------------------------------------------

_TRAINING_ROWS = (
    "Imię i nazwisko uczestnika",
    "Nazwa organizacji",
    "Stanowisko",
    "Adres e-mail",
    "Telefon",
    "Gmina / powiat",
)
_TRAINING_STATEMENTS = (
    "Oświadczam, że reprezentuję podmiot ekonomii społecznej lub jednostkę samorządu "
    "terytorialnego z terenu województwa dolnośląskiego.",
    "Wyrażam zgodę na przetwarzanie moich danych osobowych przez Ośrodek Wsparcia Ekonomii "
    "Społecznej Subregionu Wrocławskiego w celu rekrutacji i realizacji szkolenia.",
    "Wyrażam zgodę na nieodpłatne wykorzystanie mojego wizerunku w materiałach projektu.",
)


def training_form(values: tuple[str, ...] = ("",) * 6, ticked: bool = False) -> bytes:
    return d.docx_form(
        "OWES Subregionu Wrocławskiego – projekt współfinansowany z FEDS 2021-2027",
        "FORMULARZ ZGŁOSZENIOWY NA SZKOLENIE „Klauzule społeczne w zamówieniach publicznych”",
        list(zip(_TRAINING_ROWS, values, strict=True)),
        [
            ("Specjalne potrzeby uczestnika (dieta, dostępność)", "brak" if ticked else ""),
            ("Oczekiwania wobec szkolenia", "Praktyczne przykłady SIWZ" if ticked else ""),
        ],
        [(text, ticked) for text in _TRAINING_STATEMENTS],
        "Termin szkolenia: 28-29 maja 2024 r., Hotel Mercure, Wrocław. Liczba miejsc: 25.",
    )


def rada_pozytku_blank() -> bytes:
    return d.pdf_text(
        [
            "Załącznik nr 1 do ogłoszenia Marszałka Województwa Dolnośląskiego",
            "FORMULARZ ZGŁOSZENIOWY KANDYDATA NA CZŁONKA",
            "DOLNOŚLĄSKIEJ RADY DZIAŁALNOŚCI POŻYTKU PUBLICZNEGO V KADENCJI",
            "",
            "1. Imię i nazwisko kandydata: ........................................",
            "2. Nazwa organizacji zgłaszającej: ....................................",
            "3. Numer KRS lub innego rejestru: .....................................",
            "4. Adres e-mail: .......................................................",
            "5. Telefon: ...........................................................",
            "6. Uzasadnienie kandydatury (doświadczenie w działalności pożytku publicznego):",
            "......................................................................",
            "Oświadczenia kandydata:",
            "[ ] Wyrażam zgodę na kandydowanie do Dolnośląskiej Rady Działalności Pożytku",
            "    Publicznego.",
            "[ ] Oświadczam, że korzystam z pełni praw publicznych.",
            "[ ] Wyrażam zgodę na przetwarzanie danych osobowych przez Urząd Marszałkowski",
            "    Województwa Dolnośląskiego w celu przeprowadzenia wyboru członków Rady.",
            "Podpisy osób uprawnionych do reprezentacji organizacji: ....................",
        ]
    )


def rada_pozytku_filled() -> bytes:
    return d.pdf_fillable(
        [
            "FORMULARZ ZGŁOSZENIOWY KANDYDATA NA CZŁONKA DOLNOŚLĄSKIEJ RADY",
            "DZIAŁALNOŚCI POŻYTKU PUBLICZNEGO V KADENCJI",
        ],
        [
            ("imie_nazwisko", "Imię i nazwisko kandydata", "Zbigniew Olszewski"),
            ("organizacja", "Nazwa organizacji zgłaszającej", "Federacja Organizacji Sudeckich"),
            ("krs", "Numer KRS", "0000123456"),
            ("email", "Adres e-mail", "z.olszewski@fos.example.org"),
            ("telefon", "Telefon", "606 707 808"),
            ("uzasadnienie", "Uzasadnienie kandydatury", "20 lat w radach seniorów i NGO."),
        ],
        [
            ("zgoda_kandydowanie", "Wyrażam zgodę na kandydowanie do Rady", True),
            ("prawa_publiczne", "Oświadczam, że korzystam z pełni praw publicznych", True),
            ("rodo", "Wyrażam zgodę na przetwarzanie danych osobowych", True),
        ],
    )


def contest_blank() -> bytes:
    return d.pdf_text(
        [
            "KARTA ZGŁOSZENIOWA",
            "Konkurs „Dolnośląski Lider Ekonomii Społecznej 2024”",
            "Kategoria (proszę zaznaczyć jedną):",
            "[ ] 1. Przedsiębiorstwo społeczne roku",
            "[ ] 2. Samorząd przyjazny ekonomii społecznej",
            "[ ] 3. Biznes wspierający ekonomię społeczną",
            "Nazwa podmiotu: ..................................",
            "Imię i nazwisko osoby do kontaktu: ...............",
            "Adres e-mail: ....................................",
            "Telefon: .........................................",
            "Opis działań (maks. 3000 znaków): ................",
            "[ ] Akceptuję Regulamin Konkursu.",
            "[ ] Wyrażam zgodę na przetwarzanie danych osobowych w celach konkursowych.",
        ]
    )


def contest_filled() -> bytes:
    return d.docx_form(
        "Konkurs „Dolnośląski Lider Ekonomii Społecznej 2024”",
        "KARTA ZGŁOSZENIOWA",
        [
            ("Nazwa podmiotu", "Spółdzielnia Socjalna „Zielony Zakątek”"),
            ("Imię i nazwisko osoby do kontaktu", "Magdalena Kurek"),
            ("Adres e-mail", "biuro@zielonyzakatek.example.pl"),
            ("Telefon", "665 404 303"),
            ("Adres siedziby", "Milicz, ul. Stawowa 2"),
        ],
        [("Opis działań", "Prowadzimy catering dietetyczny i zatrudniamy 11 osób.")],
        [
            ("Kategoria 1. Przedsiębiorstwo społeczne roku", True),
            ("Kategoria 2. Samorząd przyjazny ekonomii społecznej", False),
            ("Kategoria 3. Biznes wspierający ekonomię społeczną", False),
            ("Akceptuję Regulamin Konkursu.", True),
            ("Wyrażam zgodę na przetwarzanie danych osobowych w celach konkursowych.", True),
        ],
    )


def pes_update_docx() -> bytes:
    return d.docx_form(
        "Dolnośląski Ośrodek Polityki Społecznej – Baza podmiotów ekonomii społecznej",
        "Formularz aktualizacji danych podmiotu w Bazie PES",
        [
            ("Nazwa podmiotu", "Spółdzielnia Socjalna „Most”"),
            ("Forma prawna", "spółdzielnia socjalna"),
            ("NIP", "8992871234"),
            ("Imię i nazwisko osoby do kontaktu", "Henryka Bielecka"),
            ("Adres e-mail", "kontakt@ss-most.example.pl"),
            ("Telefon", "71 799 10 10"),
            ("Liczba osób zatrudnionych", "9"),
        ],
        [("Zakres działalności", "usługi porządkowe, pralnia")],
        [("Wyrażam zgodę na publikację danych podmiotu w Bazie PES.", True)],
    )


def pes_update_pdf() -> bytes:
    return d.pdf_fillable(
        ["ANKIETA AKTUALIZACYJNA – BAZA PES WOJEWÓDZTWA DOLNOŚLĄSKIEGO 2024"],
        [
            ("nazwa_podmiotu", "Nazwa podmiotu", "Klub Integracji Społecznej w Strzelinie"),
            ("forma_prawna", "Forma prawna", "KIS"),
            ("osoba_kontaktowa", "Osoba do kontaktu", "Dariusz Michalak"),
            ("email", "Adres e-mail", "kis@mops-strzelin.example.pl"),
            ("telefon", "Telefon", "71 392 00 15"),
            ("liczba_uczestnikow", "Liczba uczestników w 2023 r.", "34"),
        ],
        [("zgoda_publikacja", "Wyrażam zgodę na publikację danych w Bazie PES", True)],
    )


def forum_registration() -> bytes:
    return d.docx_form(
        "VIII Dolnośląskie Forum Ekonomii Społecznej, Wałbrzych, 20 czerwca 2024",
        "FORMULARZ ZGŁOSZENIOWY UCZESTNIKA",
        [
            ("Imię i nazwisko", ""),
            ("Nazwa organizacji / instytucji", ""),
            ("Adres e-mail", ""),
            ("Telefon", ""),
        ],
        [],
        [
            ("Panel 1. Usługi społeczne w gminie", False),
            ("Panel 2. Zlecanie zadań PES", False),
            ("Panel 3. Współpraca z biznesem", False),
            ("Panel 4. Reintegracja społeczna i zawodowa", False),
            ("Panel 5. Przedsiębiorstwa społeczne na rynku", False),
            ("Posiłek wegetariański", False),
            ("Wyrażam zgodę na przetwarzanie danych osobowych w celu organizacji Forum.", False),
        ],
    )


def patronage_request() -> bytes:
    return d.docx_form(
        "Wniosek o objęcie patronatem honorowym",
        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej",
        [
            ("Nazwa wnioskodawcy", "Fundacja Inicjatyw Lokalnych „Kwadrat”"),
            ("Imię i nazwisko osoby do kontaktu", "Paulina Sikorska"),
            ("Adres e-mail", "p.sikorska@kwadrat.example.org"),
            ("Telefon", "508 212 313"),
            ("Nazwa wydarzenia", "Konferencja „Ekonomia społeczna w małej gminie”"),
            ("Termin i miejsce", "12 września 2024, Oleśnica"),
        ],
        [("Cel i program wydarzenia", "Wymiana doświadczeń gmin i spółdzielni socjalnych.")],
        [("Oświadczam, że wydarzenie nie ma charakteru komercyjnego.", True)],
    )


def ministry_report_form() -> bytes:
    return d.docx_form(
        "Ministerstwo Rodziny, Pracy i Polityki Społecznej – Departament Ekonomii Społecznej",
        "Formularz sprawozdawczy z realizacji Krajowego Programu Rozwoju Ekonomii Społecznej "
        "za 2023 r. (dla ROPS)",
        [
            ("Nazwa jednostki", ""),
            ("Imię i nazwisko osoby sporządzającej", ""),
            ("Adres e-mail", ""),
            ("Telefon", ""),
        ],
        [
            ("Część A. Regionalny komitet rozwoju ekonomii społecznej", ""),
            ("Część B. Działania na rzecz PES", ""),
        ],
        [],
    )


def rector_letter() -> bytes:
    return d.pdf_text(
        [
            "UNIWERSYTET PRZYRODNICZY WE WROCŁAWIU",
            "Rektor",
            "Wrocław, 27 maja 2024 r.",
            "Pani Dyrektor Dolnośląskiego Ośrodka Polityki Społecznej",
            "",
            "W związku z upływem kadencji dotychczasowego przedstawiciela Uczelni w Dolnośląskim",
            "Komitecie Rozwoju Ekonomii Społecznej uprzejmie zgłaszam Pana dr. hab. inż.",
            "Piotra Nowaka, prof. UPWr, jako przedstawiciela Uniwersytetu w Komitecie.",
            "Dane kontaktowe: piotr.nowak@upwr.example.edu.pl, tel. 71 320 00 00.",
            "",
            "Z wyrazami szacunku",
            "prof. dr hab. Jarosław Bosy, Rektor (podpisano elektronicznie)",
        ]
    )


def invoice(number: str, seller: str, item: str, gross: str) -> bytes:
    return d.pdf_text(
        [
            f"FAKTURA VAT nr {number}",
            f"Sprzedawca: {seller}",
            "Nabywca: Dolnośląski Ośrodek Polityki Społecznej, ul. Trzebnicka 42-44, Wrocław",
            "NIP nabywcy: 8960000000",
            f"1. {item}   1 usł.   {gross} zł brutto",
            f"Razem do zapłaty: {gross} zł. Termin płatności: 14 dni, przelew.",
        ]
    )


def minutes_docx() -> bytes:
    return d.docx_text(
        "PROTOKÓŁ nr 11/2024 z posiedzenia Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej",
        "które odbyło się 18 kwietnia 2024 r. w siedzibie DOPS we Wrocławiu.",
        "Ad 1. Otwarcie posiedzenia i stwierdzenie quorum (14 z 19 członków).",
        "Ad 2. Komitet przyjął uchwałą nr 4/2024 sprawozdanie z realizacji Regionalnego "
        "Programu Rozwoju Ekonomii Społecznej za 2023 r.",
        "Ad 3. Informacja o pracach grup roboczych kadencji 2021-2024: grupa ds. przedsiębiorstw "
        "społecznych przedstawiła rekomendacje dot. zakupów społecznie odpowiedzialnych.",
        "Ad 4. Sprawy różne: termin kolejnego posiedzenia – 29 maja 2024 r.",
    )


def circular_vote_results() -> bytes:
    return d.docx_text(
        "Zestawienie wyników głosowania obiegowego nad projektem uchwały nr 6/2024 DKRES",
        "Głosy za: 13, przeciw: 0, wstrzymujące się: 2, nie oddano głosu: 4.",
        "Uchwała została podjęta.",
    )


def quarterly_report() -> bytes:
    return d.xlsx_like(
        [
            ["Wskaźnik", "I kw. 2024", "Plan roczny"],
            ["Nowe miejsca pracy w PES", "14", "60"],
            ["Utworzone przedsiębiorstwa społeczne", "3", "12"],
            ["Doradztwo (godz.)", "412", "1500"],
        ]
    )


# --- builders of the records -----------------------------------------------------------------


def everyday(
    slug: str, sender: str, subject: str, body: str, received: datetime, why: str, **kw: Any
) -> Msg:
    """The secretariat's own mail: no letter, not the call's."""
    expect = kw.pop("expect", "unrelated")
    return Msg(slug, sender, subject, body, received, False, expect, why, **kw)


def applies(
    slug: str,
    sender: str,
    subject: str,
    body: str,
    received: datetime,
    why: str,
    status: str,
    **kw: Any,
) -> Msg:
    """An application a careful employee answers automatically (one letter per form)."""
    return Msg(
        slug,
        sender,
        subject,
        body,
        received,
        True,
        "application",
        why,
        letter=True,
        status=status,
        **kw,
    )


def asks(
    slug: str, sender: str, subject: str, body: str, received: datetime, why: str, **kw: Any
) -> Msg:
    """About the call but not an application: a person answers it, no automatic letter."""
    return Msg(slug, sender, subject, body, received, True, "correspondence", why, **kw)


DOPS_SIGNATURE = (
    "\n\n--\n{name}\n{role}\nDolnośląski Ośrodek Polityki Społecznej\n"
    "ul. Trzebnicka 42-44, 50-230 Wrocław\ntel. 71 770 00 00"
)
OUTLOOK_HTML = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv='
    '"Content-Type" content="text/html; charset=utf-8"><style>p.MsoNormal{{margin:0cm;'
    'font-size:11.0pt;font-family:"Calibri",sans-serif}}</style></head><body lang=PL '
    'link="#0563C1"><div class=WordSection1>{paragraphs}</div></body></html>'
)


def outlook_html(*paragraphs: str) -> str:
    return OUTLOOK_HTML.format(
        paragraphs="".join(f"<p class=MsoNormal>{p}<o:p></o:p></p>" for p in paragraphs)
    )


def newsletter_html(title: str, *items: str, unsubscribe: str) -> str:
    rows = "".join(
        f"<tr><td style='padding:12px;border-bottom:1px solid #ddd'>{i}</td></tr>" for i in items
    )
    return (
        "<!DOCTYPE html><html><body style='background:#f3f3f3'><table width='600' "
        f"align='center' style='background:#fff'><tr><td><h1 style='color:#2a6'>{title}</h1>"
        f"</td></tr>{rows}<tr><td style='font-size:10px;color:#888'>Otrzymujesz ten newsletter, "
        f"bo zapisałeś/aś się na naszej stronie. <a href='{unsubscribe}'>Wypisz się</a>."
        "</td></tr></table></body></html>"
    )


INVITATION_QUOTE = (
    "> Szanowni Państwo,\n> uprzejmie zapraszam na XII posiedzenie Dolnośląskiego Komitetu "
    "Rozwoju Ekonomii Społecznej,\n> które odbędzie się 29 maja 2024 r. o godz. 11:00 w sali 214 "
    "DOPS.\n> Porządek obrad w załączeniu.\n> Dorota Butryn, Sekretariat DKRES"
)
CALL_ANNOUNCEMENT = (
    "Ośrodek Wsparcia Ekonomii Społecznej Subregionu Wałbrzyskiego informuje, że Dolnośląski "
    "Ośrodek Polityki Społecznej ogłosił nabór członków grup roboczych przy Dolnośląskim "
    "Komitecie Rozwoju Ekonomii Społecznej. Formularze należy przesyłać do 24 maja 2024 r. "
    "na adres d.butryn@dops.wroc.pl."
)

KASIA = "Katarzyna Lis <k.lis@dops.wroc.pl>"
DYREKTOR = "Agata Kurowska <a.kurowska@dops.wroc.pl>"
IZA_GAJ = "Izabela Gaj <i.gaj@owes-jeleniagora.example.pl>"
ANJA = "Anja Richter <a.richter@sachsen-sozial.example.de>"
AUTO = (("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All"))
IPHONE = (("X-Mailer", "iPhone Mail (21E236)"),)

EVERYDAY: list[Msg] = [
    everyday(
        "agenda_draft",
        KASIA,
        "Projekt zaproszenia na XII posiedzenie DKRES – do akceptacji",
        "Dorotko,\n\nw załączeniu projekt zaproszenia na XII posiedzenie Komitetu (29 maja, "
        "godz. 11:00, sala 214). Porządek obrad:\n1) przyjęcie protokołu z XI posiedzenia,\n"
        "2) projekt uchwały w sprawie zmian w Regulaminie Komitetu,\n3) informacja o przebiegu "
        "naboru do grup roboczych,\n4) sprawy różne.\n\nDaj znać, czy mogę wysyłać do członków."
        + DOPS_SIGNATURE.format(name="Katarzyna Lis", role="Zespół ds. ekonomii społecznej"),
        at(4, 23, 9, 12),
        "a colleague's draft agenda of the Committee's sitting; names the call as an agenda item",
        attachments=(
            (
                "zaproszenie_XII_posiedzenie_DKRES.docx",
                DOCX,
                partial(
                    d.docx_text,
                    "Zaproszenie na XII posiedzenie Dolnośląskiego Komitetu Rozwoju Ekonomii "
                    "Społecznej",
                    "29 maja 2024 r., godz. 11:00, DOPS, ul. Trzebnicka 42-44, sala 214",
                ),
            ),
        ),
    ),
    everyday(
        "minutes_comments",
        "Prof. Elżbieta Gajda <e.gajda@uwr.example.edu.pl>",
        "Re: Projekt protokołu z XI posiedzenia DKRES",
        "Pani Doroto,\n\nodsyłam projekt protokołu z naniesionymi uwagami (tryb rejestrowania "
        "zmian). Głównie Ad 3 – rekomendacje grupy roboczej ds. przedsiębiorstw społecznych "
        "zostały przyjęte przez Komitet bez głosowania, a nie jednogłośnie.\n\nŁączę "
        "pozdrowienia\nElżbieta Gajda\n\nDnia 22.04.2024 o 15:31, Dorota Butryn pisze:\n"
        "> Szanowni Państwo,\n> w załączeniu projekt protokołu nr 11/2024 z posiedzenia Komitetu"
        ".\n> Uwagi proszę zgłaszać do 26 kwietnia.\n> Dorota Butryn",
        at(4, 24, 8, 5),
        "a Committee member's comments on the minutes, DOCX attached, quoting the secretariat",
        attachments=(("protokol_11_2024_uwagi_EG.docx", DOCX, minutes_docx),),
    ),
    everyday(
        "resolution_draft",
        "Wydział Polityki Społecznej UMWD <wps@umwd.example.pl>",
        "Projekt uchwały nr 5/2024 DKRES w sprawie zmiany Regulaminu Komitetu – konsultacja",
        "Szanowni Państwo,\n\nuprzejmie przekazujemy projekt uchwały nr 5/2024 Dolnośląskiego "
        "Komitetu Rozwoju Ekonomii Społecznej w sprawie zmiany Regulaminu Komitetu (zmiany "
        "dotyczą § 7 – trybu powoływania grup roboczych oraz § 9 – głosowania obiegowego). "
        "Prosimy o ewentualne uwagi do 10 maja.\n\nZ wyrazami szacunku\nWydział Polityki "
        "Społecznej\nUrząd Marszałkowski Województwa Dolnośląskiego",
        at(4, 26, 13, 40),
        "the Marshal's office sends a draft resolution of the Committee as a printed PDF",
        attachments=(
            (
                "projekt_uchwaly_5_2024_DKRES.pdf",
                PDF,
                partial(
                    d.pdf_text,
                    [
                        "UCHWAŁA NR 5/2024",
                        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej",
                        "w sprawie zmiany Regulaminu Komitetu",
                        "§ 1. W Regulaminie wprowadza się następujące zmiany:",
                        "1) § 7 ust. 2 otrzymuje brzmienie: „Członków grup roboczych powołuje",
                        "   Komitet w drodze uchwały, po przeprowadzeniu naboru.”",
                        "§ 2. Uchwała wchodzi w życie z dniem podjęcia.",
                    ],
                ),
            ),
        ),
    ),
    everyday(
        "bounce_invitation",
        "Mail Delivery System <MAILER-DAEMON@mx.dops.wroc.pl>",
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.dops.wroc.pl.\n\nI'm sorry to have to inform you "
        "that your message could not be delivered to one or more recipients.\n\n"
        "<m.kowal@stary-adres.example.pl>: host stary-adres.example.pl[192.0.2.7] said: 550 "
        "5.1.1 User unknown\n\n--- original message ---\nSubject: Zaproszenie na XII "
        "posiedzenie DKRES\nFrom: Dorota Butryn <d.butryn@dops.wroc.pl>",
        at(4, 29, 10, 14),
        "a bounce of the secretariat's invitation to a sitting",
        expect="ignored",
        headers=(("Auto-Submitted", "auto-replied"),),
    ),
    everyday(
        "ooo_member",
        "Jerzy Mazur <j.mazur@um-walbrzych.example.pl>",
        "Automatyczna odpowiedź: Zaproszenie na XII posiedzenie DKRES",
        "Dziękuję za wiadomość. Przebywam na urlopie do 10 maja 2024 r. W sprawach pilnych "
        "proszę o kontakt z Biurem Rady Miejskiej, tel. 74 665 50 00.\n\nJerzy Mazur",
        at(4, 29, 10, 16),
        "a Committee member's out-of-office answer to the invitation",
        expect="ignored",
        headers=AUTO,
    ),
    everyday(
        "rsvp_iphone",
        "Stanisław Bieniek <s.bieniek@izba-gospodarcza.example.pl>",
        "Re: Zaproszenie na XII posiedzenie DKRES",
        "Potwierdzam obecność.\n\nWysłane z iPhone'a\n\n> Wiadomość napisana przez Dorota "
        "Butryn <d.butryn@dops.wroc.pl> w dniu 29.04.2024, o godz. 10:12:\n> \n" + INVITATION_QUOTE,
        at(4, 30, 7, 2),
        "a member confirms attendance from a phone, quoting the invitation",
        headers=IPHONE,
    ),
    everyday(
        "owes_newsletter",
        "OWES Subregionu Wrocławskiego <newsletter@owes-wroclaw.example.pl>",
        "Newsletter OWES – maj 2024: dotacje, inkubator, szkolenia",
        "NEWSLETTER OWES SUBREGIONU WROCŁAWSKIEGO – MAJ 2024\n\n1. Nabór do Inkubatora "
        "Przedsiębiorczości Społecznej – formularz zgłoszeniowy na stronie, termin 31 maja.\n"
        "2. Dotacje na nowe miejsca pracy w przedsiębiorstwach społecznych.\n3. Szkolenie: "
        "klauzule społeczne w zamówieniach publicznych.\n4. Relacja z posiedzenia Dolnośląskiego "
        "Komitetu Rozwoju Ekonomii Społecznej.\n\nWypisz się: https://owes-wroclaw.example.pl/"
        "wypisz",
        at(5, 2, 6, 30),
        "an OWES newsletter with List-Id and List-Unsubscribe, text and HTML",
        html=newsletter_html(
            "Newsletter OWES – maj 2024",
            "<b>Nabór do Inkubatora Przedsiębiorczości Społecznej</b> – formularz "
            "zgłoszeniowy na stronie, termin 31 maja.",
            "Dotacje na nowe miejsca pracy w przedsiębiorstwach społecznych.",
            "Szkolenie: klauzule społeczne w zamówieniach publicznych.",
            "Relacja z posiedzenia Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej.",
            unsubscribe="https://owes-wroclaw.example.pl/wypisz",
        ),
        headers=(
            ("List-Id", "Newsletter OWES <newsletter.owes-wroclaw.example.pl>"),
            ("List-Unsubscribe", "<https://owes-wroclaw.example.pl/wypisz>"),
        ),
    ),
    everyday(
        "grupa5_meeting",
        "Wojciech Baran <w.baran@ssp-wroclaw.example.pl>",
        "Spotkanie grupy roboczej ds. przedsiębiorstw społecznych – 16 maja",
        "Szanowni Państwo,\n\njako przewodniczący grupy roboczej ds. przedsiębiorstw "
        "społecznych zapraszam na ostatnie w tej kadencji spotkanie grupy: 16 maja 2024 r., "
        "godz. 10:00, Hotel Mercure, ul. Powstańców Śląskich 7.\n\nPorządek:\n- podsumowanie "
        "kadencji 2021-2024,\n- rekomendacje dla nowego składu grupy,\n- sprawy różne.\n\n"
        "Pani Doroto – bardzo proszę o rezerwację sali i przerwę kawową dla 12 osób.\n\n"
        "Wojciech Baran\nprzewodniczący grupy roboczej ds. przedsiębiorstw społecznych DKRES",
        at(5, 6, 8, 20),
        "the chair of the current term's working group (same title as group 5) calls a meeting",
    ),
    everyday(
        "network_meeting",
        "Sieć koordynatorów ROPS <siec.rops@cris.example.gov.pl>",
        "Spotkanie koordynatorów ekonomii społecznej ROPS – Warszawa, 12 czerwca",
        "Szanowni Państwo,\n\nzapraszamy na spotkanie koordynatorów ds. ekonomii społecznej "
        "regionalnych ośrodków polityki społecznej, 12 czerwca 2024 r. w Warszawie. Tematy: "
        "funkcjonowanie regionalnych komitetów rozwoju ekonomii społecznej, grupy robocze, "
        "monitoring KPRES.\n\nRejestracja przez formularz: https://cris.example.gov.pl/"
        "rejestracja (do 31 maja).\n\nZespół Sieci ROPS",
        at(5, 6, 11, 5),
        "an invitation to a national meeting of regional coordinators, registration form link",
    ),
    everyday(
        "contest_call",
        "Fundacja Rozwoju Ekonomii Społecznej <konkurs@fres.example.pl>",
        "Konkurs „Dolnośląski Lider Ekonomii Społecznej 2024” – zgłoszenia do 14 czerwca",
        "Szanowni Państwo,\n\nogłaszamy V edycję konkursu „Dolnośląski Lider Ekonomii "
        "Społecznej”. Zgłoszenia w trzech kategoriach przyjmujemy do 14 czerwca na adres "
        "konkurs@fres.example.pl. Karta zgłoszeniowa i regulamin w załączeniu. Będziemy "
        "wdzięczni za przekazanie informacji członkom Komitetu.\n\nZespół FRES",
        at(5, 6, 14, 0),
        "another body's contest with its own blank entry form (printed PDF)",
        attachments=(("Karta_zgloszeniowa_Lider_ES_2024.pdf", PDF, contest_blank),),
    ),
    everyday(
        "hr_vacancy",
        "Dział Kadr DOPS <kadry@dops.wroc.pl>",
        "Nabór na stanowisko: specjalista ds. ekonomii społecznej (zastępstwo)",
        "Uprzejmie informujemy, że Dyrektor DOPS ogłosił nabór na wolne stanowisko specjalisty "
        "ds. ekonomii społecznej w Zespole obsługi Komitetu (umowa na zastępstwo). Wymagane "
        "dokumenty: CV, list motywacyjny, kwestionariusz osobowy (formularz w załączeniu). "
        "Termin składania: 20 maja 2024 r.\n\nDział Kadr",
        at(5, 7, 9, 0),
        "an internal job vacancy ('nabór', a questionnaire form attached)",
        attachments=(
            (
                "kwestionariusz_osobowy_kandydata.docx",
                DOCX,
                partial(
                    d.docx_form,
                    "Dolnośląski Ośrodek Polityki Społecznej",
                    "KWESTIONARIUSZ OSOBOWY DLA OSOBY UBIEGAJĄCEJ SIĘ O ZATRUDNIENIE",
                    [
                        ("Imię (imiona) i nazwisko", ""),
                        ("Data urodzenia", ""),
                        ("Dane kontaktowe (adres e-mail, telefon)", ""),
                        ("Wykształcenie", ""),
                        ("Przebieg dotychczasowego zatrudnienia", ""),
                    ],
                ),
            ),
        ),
    ),
    everyday(
        "training_blank",
        "Alicja Kwiatkowska <a.kwiatkowska@owes-wroclaw.example.pl>",
        "Prośba o rozesłanie: szkolenie z klauzul społecznych – formularz zgłoszeniowy",
        "Pani Doroto,\n\nbardzo proszę o rozesłanie zaproszenia na szkolenie „Klauzule "
        "społeczne w zamówieniach publicznych” (28-29 maja) do członków Komitetu i gmin. "
        "Formularz zgłoszeniowy w załączeniu – wypełnione formularze przyjmujemy do 20 maja "
        "na adres szkolenia@owes-wroclaw.example.pl.\n\nDziękuję i pozdrawiam\nAlicja "
        "Kwiatkowska\nOWES Subregionu Wrocławskiego",
        at(5, 7, 12, 10),
        "OWES asks to pass on a training's blank application form (DOCX, common labels)",
        attachments=(("Formularz_zgloszeniowy_szkolenie_klauzule.docx", DOCX, training_form),),
    ),
    everyday(
        "rada_pozytku_call",
        "Biuro Współpracy z Organizacjami Pozarządowymi <ngo@umwd.example.pl>",
        "Nabór kandydatów do Dolnośląskiej Rady Działalności Pożytku Publicznego V kadencji",
        "Szanowni Państwo,\n\nuprzejmie informujemy o naborze kandydatów na członków "
        "Dolnośląskiej Rady Działalności Pożytku Publicznego V kadencji. Kandydatów mogą "
        "zgłaszać organizacje pozarządowe z terenu województwa. Formularz zgłoszeniowy "
        "kandydata w załączeniu; zgłoszenia do 31 maja 2024 r.\n\nProsimy o rozpowszechnienie "
        "informacji wśród członków Komitetu.\n\nBiuro Współpracy z Organizacjami "
        "Pozarządowymi UMWD",
        at(5, 8, 10, 30),
        "the Marshal's office announces the Rada Pożytku call with its blank form (printed PDF)",
        attachments=(("Formularz_zgloszeniowy_kandydata_DRDPP.pdf", PDF, rada_pozytku_blank),),
    ),
    everyday(
        "grupa3_teams",
        IZA_GAJ,
        "Spotkanie online grupy roboczej ds. promocji i współpracy z biznesem",
        "Spotkanie w aplikacji Microsoft Teams\nDołącz na komputerze lub w aplikacji mobilnej: "
        "https://teams.example.com/l/meetup-join/19%3ameeting\n\nTemat: rekomendacje grupy "
        "roboczej ds. promocji i współpracy z biznesem do Regionalnego Programu.\n"
        "Termin: 14 maja 2024, 13:00-14:30",
        at(5, 8, 15, 45),
        "a Teams invitation of the current working group (group 3's title) with a calendar part",
        attachments=(
            (
                "invite.ics",
                "text/calendar",
                lambda: (
                    b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Spotkanie "
                    b"grupy roboczej\r\nDTSTART:20240514T110000Z\r\nDTEND:20240514T123000Z\r\n"
                    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
                ),
            ),
        ),
    ),
    everyday(
        "training_filled_gmina",
        "Renata Wilk <r.wilk@gmina-katy.example.pl>",
        "zgłoszenie na szkolenie 28-29.05",
        "Dzień dobry,\n\nw załączeniu przesyłam wypełniony formularz zgłoszeniowy na szkolenie "
        "dot. klauzul społecznych. Proszę o potwierdzenie przyjęcia zgłoszenia.\n\nPozdrawiam\n"
        "Renata Wilk\nReferat Spraw Społecznych\nUrząd Miasta i Gminy Kąty Wrocławskie",
        at(5, 9, 11, 20),
        "a gmina official sends the training's form filled in, to the wrong address",
        attachments=(
            (
                "formularz zgłoszeniowy - R.Wilk.docx",
                DOCX,
                partial(
                    training_form,
                    (
                        "Renata Wilk",
                        "Urząd Miasta i Gminy Kąty Wrocławskie",
                        "inspektor",
                        "r.wilk@gmina-katy.example.pl",
                        "71 390 72 00",
                        "Kąty Wrocławskie / wrocławski",
                    ),
                    True,
                ),
            ),
        ),
    ),
    everyday(
        "webinar_invite",
        "Pracownia Ekonomii Społecznej <webinary@pracownia-es.example.org>",
        "Zapraszamy na webinar o ekonomii społecznej: zakupy prospołeczne w samorządzie",
        "",
        at(5, 9, 16, 0),
        "a webinar invitation about the social economy, HTML only, List-Unsubscribe",
        html=newsletter_html(
            "Webinar: zakupy prospołeczne w samorządzie",
            "23 maja 2024, 10:00-12:00, online. Dla pracowników JST, OPS i podmiotów ekonomii "
            "społecznej.",
            "<a href='https://pracownia-es.example.org/rejestracja'>Formularz rejestracyjny</a>"
            " – liczba miejsc ograniczona.",
            unsubscribe="https://pracownia-es.example.org/unsub",
        ),
        headers=(("List-Unsubscribe", "<mailto:unsub@pracownia-es.example.org>"),),
    ),
    everyday(
        "ministry_circular",
        "Departament Ekonomii Społecznej MRPiPS <sekretariat.des@mrpips.example.gov.pl>",
        "Pismo okólne – sprawozdanie z realizacji KPRES za 2023 r.",
        "Szanowni Państwo Dyrektorzy,\n\nw nawiązaniu do pisma z dnia 12 marca 2024 r. "
        "przesyłam formularz sprawozdawczy z realizacji Krajowego Programu Rozwoju Ekonomii "
        "Społecznej za 2023 r. z prośbą o wypełnienie i odesłanie do 7 czerwca 2024 r. Część A "
        "dotyczy działalności regionalnych komitetów rozwoju ekonomii społecznej (posiedzenia, "
        "grupy robocze, podjęte uchwały).\n\nZ poważaniem\nz up. Dyrektora Departamentu\n"
        "Marta Zalewska",
        at(5, 10, 9, 5),
        "a ministry circular: 'przesyłam formularz' of a report, DOCX with common labels",
        to="Regionalne Ośrodki Polityki Społecznej <rops@mrpips.example.gov.pl>",
        attachments=(("Formularz_sprawozdawczy_KPRES_2023_ROPS.docx", DOCX, ministry_report_form),),
    ),
    everyday(
        "room_booking",
        "Piotr Szewc <p.szewc@dops.wroc.pl>",
        "RE: rezerwacja sali 214",
        "Sala zarezerwowana na 16.05, 9-13, dla grupy roboczej. Rzutnik jest, kawę zamówiłem.\n"
        "P.\n\nOd: Dorota Butryn\nWysłano: czwartek, 9 maja 2024 15:02\nDo: Piotr Szewc\n"
        "Temat: rezerwacja sali 214\n\nPiotrze, zarezerwujesz salę na spotkanie grupy roboczej "
        "ds. przedsiębiorstw społecznych?",
        at(5, 10, 8, 12),
        "a colleague's short Outlook reply about a room for the working group",
    ),
    everyday(
        "owes_report_short",
        "OWES Subregionu Legnickiego <biuro@owes-legnica.example.pl>",
        "sprawozdanie",
        "w załączeniu",
        at(5, 13, 7, 50),
        "a very short mail from an OWES with a quarterly report (CSV)",
        attachments=(("sprawozdanie_I_kw_2024.csv", CSV, quarterly_report),),
    ),
    everyday(
        "forum_registration",
        "Wałbrzyska Fundacja Gospodarcza <forum@wfg.example.pl>",
        "VIII Dolnośląskie Forum Ekonomii Społecznej – zaproszenie i formularz zgłoszeniowy",
        "Szanowni Państwo,\n\nzapraszamy na VIII Dolnośląskie Forum Ekonomii Społecznej, "
        "20 czerwca 2024 r., Wałbrzych, Stara Kopalnia. W programie pięć paneli tematycznych. "
        "Prosimy o odesłanie formularza zgłoszeniowego do 10 czerwca.\n\nOrganizatorzy",
        at(5, 13, 10, 0),
        "the Social Economy Forum's invitation with a blank registration form of five panels",
        html=outlook_html(
            "Szanowni Państwo,",
            "zapraszamy na <b>VIII Dolnośląskie Forum Ekonomii Społecznej</b>, 20 czerwca 2024 "
            "r., Wałbrzych, Stara Kopalnia.",
            "Prosimy o odesłanie formularza zgłoszeniowego do 10 czerwca.",
        ),
        attachments=(("Formularz_zgloszeniowy_Forum_ES_2024.docx", DOCX, forum_registration),),
    ),
    everyday(
        "monitoring_committee",
        "Sekretariat KM FEDS <km.feds@umwd.example.pl>",
        "Zaproszenie na posiedzenie Komitetu Monitorującego FEDS 2021-2027 – 5 czerwca",
        "Szanowni Państwo,\n\nuprzejmie zapraszam na VIII posiedzenie Komitetu Monitorującego "
        "program Fundusze Europejskie dla Dolnego Śląska 2021-2027, które odbędzie się "
        "5 czerwca 2024 r. Projekty uchwał zostaną przesłane do 29 maja.\n\nSekretariat KM",
        at(5, 13, 12, 30),
        "another committee's sitting (the FEDS Monitoring Committee)",
    ),
    everyday(
        "pes_update_docx",
        "Henryka Bielecka <kontakt@ss-most.example.pl>",
        "Aktualizacja danych – Baza PES",
        "W załączeniu formularz aktualizacyjny.\nH. Bielecka",
        at(5, 14, 9, 40),
        "a cooperative's PES-database update, filled DOCX with common labels",
        attachments=(("aktualizacja_baza_PES_SS_Most.docx", DOCX, pes_update_docx),),
    ),
    everyday(
        "journalist",
        "Karolina Wrona <k.wrona@gazeta-wroclawska.example.pl>",
        "Pytanie prasowe – skład Komitetu ekonomii społecznej",
        "Dzień dobry,\n\nprzygotowuję tekst o spółdzielniach socjalnych na Dolnym Śląsku. "
        "Czy mogłaby Pani przesłać aktualny skład Dolnośląskiego Komitetu Rozwoju Ekonomii "
        "Społecznej oraz informację, kto przewodniczy poszczególnym grupom roboczym? Interesuje "
        "mnie też, jakie uchwały Komitet podjął w tym roku. Tekst zamykam w piątek.\n\n"
        "Z pozdrowieniami\nKarolina Wrona\nGazeta Wrocławska, dział Region",
        at(5, 14, 13, 25),
        "a journalist asks for the Committee's composition and its groups' chairs",
    ),
    everyday(
        "eu_study_visit",
        ANJA,
        "Study visit Wrocław – social economy / wizyta studyjna",
        "Dear Ms Butryn, dzień dobry!\n\nOur delegation from the Saxon network of social "
        "enterprises would like to visit Wrocław on 17-18 September and meet members of the "
        "Committee (DKRES) and its working groups, especially the one on social enterprises. "
        "Would that be possible? We would bring 8 people; tłumacz będzie z nami.\n\n"
        "Kind regards / Serdeczne pozdrowienia\nAnja Richter\nNetzwerk Sozialwirtschaft "
        "Sachsen",
        at(5, 15, 9, 10),
        "an English-Polish request for a study visit meeting the Committee's working groups",
    ),
    everyday(
        "ministry_newsletter",
        "Newsletter Ekonomii Społecznej <newsletter@ekonomiaspoleczna.example.gov.pl>",
        "Ekonomia Społeczna – newsletter nr 9/2024",
        "",
        at(5, 15, 10, 0),
        "the ministry's newsletter, HTML only, List-Id, Precedence: bulk",
        html=newsletter_html(
            "Ekonomia Społeczna – newsletter nr 9/2024",
            "Zapraszamy na webinar o nowelizacji ustawy o ekonomii społecznej.",
            "Nabór wniosków w programie „Przedsiębiorstwo społeczne +” – formularz w systemie.",
            "Posiedzenie Krajowego Komitetu Rozwoju Ekonomii Społecznej – komunikat.",
            unsubscribe="https://ekonomiaspoleczna.example.gov.pl/newsletter/wypisz",
        ),
        headers=(
            ("List-Id", "<newsletter.ekonomiaspoleczna.example.gov.pl>"),
            ("List-Unsubscribe", "<https://ekonomiaspoleczna.example.gov.pl/newsletter/wypisz>"),
            ("Precedence", "bulk"),
        ),
        to="undisclosed-recipients:;",
    ),
    everyday(
        "lista_obecnosci_scan",
        "Sekretariat WPS UMWD <sekretariat.wps@umwd.example.pl>",
        "DKRES – lista obecności 15.05",
        "Dzień dobry,\nw załączeniu skan listy obecności ze spotkania 15.05.\nPozdrawiam\n"
        "Sekretariat WPS",
        at(5, 16, 8, 45),
        "a scanned attendance list with 'DKRES' in the subject and the file name",
        attachments=(scan("DKRES_lista_obecnosci_15_05_2024.pdf"),),
    ),
    everyday(
        "ooo_english",
        ANJA,
        "Automatic reply: Re: Study visit Wrocław – social economy / wizyta studyjna",
        "I am out of the office until 27 May with limited access to e-mail. For urgent "
        "matters please contact info@sachsen-sozial.example.de.\n\nAnja Richter",
        at(5, 16, 14, 2),
        "an English out-of-office answer to the secretariat's reply",
        expect="ignored",
        headers=(("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes")),
    ),
    everyday(
        "rada_pozytku_filled",
        "Zbigniew Olszewski <z.olszewski@fos.example.org>",
        "Zgłoszenie kandydata do Rady Pożytku – Federacja Organizacji Sudeckich",
        "Szanowni Państwo,\n\nw załączeniu przesyłamy formularz zgłoszeniowy kandydata na "
        "członka Dolnośląskiej Rady Działalności Pożytku Publicznego. Do wiadomości DOPS – "
        "prosimy o wsparcie kandydatury na forum Komitetu.\n\nZ poważaniem\nZbigniew Olszewski"
        "\nPrezes Federacji",
        at(5, 16, 15, 30),
        "another body's call: a filled fillable PDF of the Rada Pożytku form, DOPS in Cc",
        to="Biuro Współpracy z NGO <ngo@umwd.example.pl>",
        headers=(("Cc", "Dorota Butryn <d.butryn@dops.wroc.pl>"),),
        attachments=(("formularz_DRDPP_Olszewski.pdf", PDF, rada_pozytku_filled),),
    ),
    everyday(
        "gmina_question",
        "Sławomir Kubiak <s.kubiak@gmina-zmigrod.example.pl>",
        "pytanie – dotacja na spółdzielnię socjalną",
        "Dzień dobry,\n\ngmina rozważa utworzenie spółdzielni socjalnej osób prawnych razem z "
        "sąsiednią gminą. Czy DOPS albo Komitet mogą wskazać, gdzie uzyskać wsparcie doradcze i "
        "czy w tym roku będzie nabór na dotacje? Czy ktoś z Państwa mógłby przyjechać na sesję "
        "Rady Gminy?\n\nZ poważaniem\nSławomir Kubiak\nZastępca Burmistrza Żmigrodu",
        at(5, 17, 10, 15),
        "a gmina's question about founding a social cooperative (not about this call)",
    ),
    everyday(
        "rops_bulletin",
        "ROPS w Poznaniu – ekonomia społeczna <es@rops-poznan.example.pl>",
        "Biuletyn Wielkopolskiej Ekonomii Społecznej nr 5/2024",
        "BIULETYN WIELKOPOLSKIEJ EKONOMII SPOŁECZNEJ nr 5/2024\n\n"
        "* Wielkopolski Komitet Rozwoju Ekonomii Społecznej powołał nowe grupy robocze na "
        "kadencję 2024-2027 (uchwała nr 3/2024).\n* Relacja z posiedzenia Komitetu 25 kwietnia."
        "\n* Targi ekonomii społecznej w Kaliszu – formularz zgłoszeniowy wystawcy do 31 maja."
        "\n* Nowe przedsiębiorstwa społeczne w rejestrze.\n\nRedakcja: Regionalny Ośrodek "
        "Polityki Społecznej w Poznaniu. Biuletyn rozsyłany do partnerów – jeśli nie chcą "
        "Państwo go otrzymywać, prosimy o odpowiedź z tematem „rezygnacja”.",
        at(5, 17, 11, 50),
        "another region's bulletin sent in Bcc, no list headers, full of Committee words",
        to="undisclosed-recipients:;",
    ),
    everyday(
        "pes_update_pdf",
        "Dariusz Michalak <kis@mops-strzelin.example.pl>",
        "ankieta Baza PES – KIS Strzelin",
        "Dzień dobry,\nzgodnie z prośbą przesyłam wypełnioną ankietę aktualizacyjną. Proszę o "
        "potwierdzenie otrzymania.\nDariusz Michalak",
        at(5, 20, 8, 25),
        "a PES-database survey as a filled fillable PDF (field names like the call's)",
        attachments=(("ankieta_BazaPES_KIS_Strzelin.pdf", PDF, pes_update_pdf),),
    ),
    everyday(
        "grupa3_notes_html",
        IZA_GAJ,
        "Notatka ze spotkania grupy ds. promocji i współpracy z biznesem (14.05)",
        "",
        at(5, 20, 12, 40),
        "HTML-only notes of the current working group's meeting",
        html=outlook_html(
            "Szanowni Państwo,",
            "w załączeniu przesyłam notatkę ze spotkania grupy roboczej ds. promocji i "
            "współpracy z biznesem z 14 maja. Najważniejsze ustalenia:",
            "1. Rekomendacja dla Komitetu: katalog dobrych praktyk współpracy PES z biznesem.",
            "2. Przekazanie dorobku grupy nowemu składowi po uchwale Komitetu.",
            "Pozdrawiam serdecznie<br>Izabela Gaj<br>OWES Subregionu Jeleniogórskiego",
        ),
    ),
    everyday(
        "zzp_list",
        "Znak Zakupu Prospołecznego <certyfikacja@zzp.example.org>",
        "Znak Zakupu Prospołecznego – nabór wniosków 2024",
        "Rusza nabór wniosków o przyznanie Znaku Zakupu Prospołecznego 2024. Wniosek i "
        "formularz zgłoszeniowy na stronie. Termin: 30 czerwca.\n\nAby zrezygnować z "
        "otrzymywania wiadomości, kliknij: https://zzp.example.org/rezygnacja",
        at(5, 20, 13, 0),
        "another national call by mailing list (List-Id)",
        headers=(
            ("List-Id", "Komunikaty ZZP <komunikaty.zzp.example.org>"),
            ("List-Unsubscribe", "<https://zzp.example.org/rezygnacja>"),
        ),
    ),
    everyday(
        "contest_filled",
        "Magdalena Kurek <biuro@zielonyzakatek.example.pl>",
        "Karta zgloszeniowa – konkurs Lider ES",
        "Dzien dobry,\nprzesylamy karte zgloszeniowa do konkursu w kategorii Przedsiebiorstwo "
        "spoleczne roku. Czy to dobry adres, czy wyslac na konkurs@fres?\nPozdrawiam\n"
        "M. Kurek",
        at(5, 21, 9, 5),
        "a cooperative sends the contest's entry form filled in (DOCX), no diacritics",
        attachments=(("karta_zgloszeniowa_Zielony_Zakatek.docx", DOCX, contest_filled),),
    ),
    everyday(
        "circular_vote_card",
        "Teresa Mazurek <t.mazurek@fundacja-ekon.example.org>",
        "Karta głosowania obiegowego – uchwała 7/2024 DKRES",
        "Pani Doroto,\nodsyłam podpisaną kartę. Głosuję za.\nT. Mazurek",
        at(5, 21, 17, 20),
        "a member's scanned circular-vote card with 'DKRES' in the subject and file name",
        attachments=(scan("karta_glosowania_DKRES_7_2024_TMazurek.pdf"),),
    ),
    everyday(
        "national_committee_fw",
        DYREKTOR,
        "PD: Krajowy Komitet Rozwoju Ekonomii Społecznej – grupa robocza ds. komitetów "
        "regionalnych",
        "Pani Doroto,\nproszę o przygotowanie informacji do 31.05 (składy grup roboczych "
        "DKRES, liczba posiedzeń w 2023 r.).\nA. Kurowska\n\n"
        "Od: Sekretariat KKRES <kkres@mrpips.example.gov.pl>\nWysłano: poniedziałek, 20 maja "
        "2024 16:10\nDo: Dyrektorzy ROPS\nTemat: Krajowy Komitet Rozwoju Ekonomii Społecznej – "
        "grupa robocza ds. komitetów regionalnych\n\nSzanowni Państwo,\ngrupa robocza ds. "
        "regionalnych komitetów rozwoju ekonomii społecznej przy Krajowym Komitecie prosi o "
        "informację o składzie i pracach grup roboczych komitetów regionalnych, w tym o "
        "planowanych naborach, do 3 czerwca.\nSekretariat KKRES",
        at(5, 21, 8, 0),
        "the director forwards the national committee's request (Outlook PD:, quoted chain)",
    ),
    everyday(
        "webinar_reminder",
        "ClickMeeting <noreply@clickmeeting.example.com>",
        "Przypomnienie: webinar „Zakupy prospołeczne w samorządzie” jutro o 10:00",
        "Przypominamy o jutrzejszym webinarze. Link do pokoju: https://clickmeeting.example.com"
        "/r/abc123\n\nTa wiadomość została wygenerowana automatycznie.",
        at(5, 22, 10, 0),
        "a webinar platform's automatic reminder",
        expect="ignored",
        headers=(("Auto-Submitted", "auto-generated"),),
    ),
    everyday(
        "catering_offer",
        "Catering Smakosz <oferty@smakosz.example.pl>",
        "Oferta – catering Forum ES 20.06",
        "Dzień dobry,\n\nw odpowiedzi na zapytanie przesyłam ofertę: przerwa kawowa ciągła "
        "dla 150 osób – 28 zł/os., lunch – 55 zł/os. (opcja wegetariańska bez dopłaty).\n\n"
        "Pozdrawiam\nEwelina Smak",
        at(5, 22, 14, 30),
        "a catering offer for the Forum",
    ),
    everyday(
        "vote_results",
        KASIA,
        "Wyniki głosowania obiegowego – uchwała 6/2024",
        "Dorota, zestawienie wyników w załączniku, uchwała podjęta. Wrzucę do BIP po podpisie "
        "Przewodniczącego.\nK.",
        at(5, 23, 9, 30),
        "a colleague's results of a circular vote of the Committee",
        attachments=(("wyniki_glosowania_6_2024.docx", DOCX, circular_vote_results),),
    ),
    everyday(
        "ngo_newsletter",
        "Serwis ngo.pl <newsletter@ngo.example.pl>",
        "Tydzień w III sektorze: nabory, konkursy, formularze",
        "",
        at(5, 24, 6, 0),
        "a weekly NGO newsletter (List-Id) listing calls and forms",
        html=newsletter_html(
            "Tydzień w III sektorze",
            "Nabory do rad i komitetów – sprawdź terminy.",
            "Konkursy grantowe – formularze zgłoszeniowe do pobrania.",
            unsubscribe="https://ngo.example.pl/wypisz",
        ),
        headers=(("List-Id", "Tydzien w III sektorze <tydzien.ngo.example.pl>"),),
    ),
    everyday(
        "leave_cover",
        KASIA,
        "Zastępstwo 27-31 maja",
        "Dorota, w przyszłym tygodniu jestem na urlopie, sprawy Komitetu (posiedzenie 29.05) "
        "przejmuje Piotr. Materiały są na dysku w folderze DKRES/2024.\nKasia",
        at(5, 24, 15, 40),
        "a colleague's note about her leave",
    ),
    everyday(
        "patronage",
        "Paulina Sikorska <p.sikorska@kwadrat.example.org>",
        "Prośba o patronat honorowy DKRES – konferencja 12.09",
        "Szanowni Państwo,\n\nzwracamy się z uprzejmą prośbą o objęcie patronatem honorowym "
        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej konferencji „Ekonomia społeczna "
        "w małej gminie” (12 września 2024 r., Oleśnica). W załączeniu wypełniony wniosek.\n\n"
        "Z poważaniem\nPaulina Sikorska\nFundacja Inicjatyw Lokalnych „Kwadrat”",
        at(5, 27, 11, 0),
        "a patronage request after the deadline, its own filled request form (DOCX)",
        attachments=(("Wniosek_patronat_DKRES_Kwadrat.docx", DOCX, patronage_request),),
    ),
    everyday(
        "university_nomination",
        "Kancelaria Rektora UPWr <kancelaria@upwr.example.edu.pl>",
        "Przedstawiciel UPWr w Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej",
        "Szanowna Pani,\n\nw załączeniu przesyłam pismo JM Rektora zgłaszające nowego "
        "przedstawiciela Uczelni w Komitecie. Oryginał został przekazany przez ePUAP.\n\n"
        "Z wyrazami szacunku\nKancelaria Rektora\nUniwersytet Przyrodniczy we Wrocławiu",
        at(5, 28, 10, 20),
        "a university names its representative in the Committee itself, after the deadline",
        attachments=(("Pismo_Rektora_przedstawiciel_UPWr_DKRES.pdf", PDF, rector_letter),),
    ),
    everyday(
        "invoice_catering",
        "Restauracja Pod Arkadami <faktury@podarkadami.example.pl>",
        "Faktura FV/05/117/2024",
        "W załączeniu faktura za catering – posiedzenie Komitetu 29.05.2024.\n\nBiuro "
        "Restauracji Pod Arkadami",
        at(5, 30, 12, 0),
        "an invoice for the sitting's catering (printed PDF)",
        attachments=(
            (
                "FV_05_117_2024.pdf",
                PDF,
                partial(
                    invoice,
                    "FV/05/117/2024",
                    "Restauracja Pod Arkadami s.c., Wrocław",
                    "Catering – posiedzenie Komitetu DKRES 29.05.2024, 25 os.",
                    "1 845,00",
                ),
            ),
        ),
    ),
    everyday(
        "sitting_photos",
        "Stanisław Bieniek <s.bieniek@izba-gospodarcza.example.pl>",
        "zdjęcia z posiedzenia",
        "Przesyłam kilka zdjęć z wczorajszego posiedzenia Komitetu, można użyć na stronę.\n\n"
        "Wysłane z mojego Galaxy",
        at(5, 30, 19, 45),
        "a member sends photos of the sitting from a phone",
        attachments=(
            ("IMG_20240529_112233.jpg", JPEG, photo),
            ("IMG_20240529_113010.jpg", JPEG, photo),
        ),
    ),
    everyday(
        "invoice_venue",
        "Hotel Mercure Wrocław – Accounts <invoices@hotel-wroclaw.example.com>",
        "Invoice / Faktura 2024/05/8812 – wynajem sali konferencyjnej",
        "Dear Sir or Madam, Szanowni Państwo,\n\nplease find attached the invoice for the "
        "conference room rental (16.05.2024, working group meeting DKRES). W załączeniu "
        "faktura.\n\nAccounts Department",
        at(5, 31, 9, 15),
        "an English-Polish venue invoice naming the working group meeting",
        attachments=(
            (
                "Invoice_2024_05_8812.pdf",
                PDF,
                partial(
                    invoice,
                    "2024/05/8812",
                    "Hotel Mercure Wrocław Centrum",
                    "Wynajem sali konferencyjnej 16.05.2024 – spotkanie grupy roboczej",
                    "1 230,00",
                ),
            ),
        ),
    ),
    everyday(
        "invoice_description",
        "Andrzej Wolny <a.wolny@dops.wroc.pl>",
        "RE: Faktura FV/05/117/2024 – opis merytoryczny",
        "Pani Doroto,\nproszę o opis merytoryczny faktury za catering (posiedzenie DKRES) i "
        "podpis kierownika do piątku.\nA. Wolny, Dział Księgowości\n\n-----Original Message-----"
        "\nFrom: Dorota Butryn\nSent: Friday, May 31, 2024 9:40 AM\nTo: Andrzej Wolny\n"
        "Subject: Faktura FV/05/117/2024\n\nPrzekazuję fakturę do księgowania.",
        at(6, 3, 8, 30),
        "the accounts department asks for the invoice's description",
    ),
    everyday(
        "work_plan",
        DYREKTOR,
        "Plan pracy DKRES na II półrocze 2024 – uwagi",
        "Pani Doroto, do planu pracy proszę dopisać posiedzenie inaugurujące nowe grupy "
        "robocze we wrześniu oraz Forum w Wałbrzychu. Reszta bez uwag.\nA.K.",
        at(6, 6, 13, 10),
        "the director's comments on the Committee's work plan",
    ),
]

ANETA_FROM = "Aneta Dąbrowska <aneta.dabrowska@kis-glogow.example.pl>"
TOMASZ_FROM = "Tomasz Grabowski <tomasz.grabowski@podlipami.example.pl>"
MAREK_FROM = "Marek Zieliński <m.zielinski@zaz-kg.example.pl>"
KRZYSZTOF_FROM = "Krzysztof Wiśniewski <k.wisniewski@promyk-legnica.example.pl>"
ROBERT_FROM = "Robert Sadowski <robert.sadowski@horyzont-fes.example.org>"
IWONA_FROM = "Iwona Jankowska <i.jankowska@ug-olesnica.example.pl>"
ROBERT_TEXT = (
    "Szanowna Pani,\n\nw załączeniu przesyłam formularz zgłoszeniowy do grupy roboczej ds. "
    "przedsiębiorstw społecznych.\n\nZ poważaniem\nRobert Sadowski\nPrezes Fundacji Ekonomii "
    "Społecznej „Horyzont”"
)
FORWARD_CHAIN = (
    "Dzień dobry,\n\nprzesyłam w imieniu Pani Prezes Agnieszki Lewandowskiej, która jest w "
    "delegacji i nie może wysłać poczty z hotelu. Formularz podpisany w załączniku.\n\n"
    "Pozdrawiam\nMichał Kos\nasystent Zarządu\nFundacja Krzyżowa dla Porozumienia "
    "Europejskiego\n\n-----Original Message-----\nFrom: Agnieszka Lewandowska "
    "<a.lewandowska@fundacja-krzyzowa.example.org>\nSent: Thursday, May 16, 2024 1:58 PM\n"
    "To: Michał Kos <m.kos@fundacja-krzyzowa.example.org>\nSubject: RE: Zgłoszenie – grupa "
    "robocza ds. promocji i współpracy z biznesem\n\nMichale, wyślij to proszę do DOPS, mnie "
    "poczta z hotelu nie przechodzi. Podpisałam.\nA.\n\n-----Original Message-----\nFrom: "
    "Michał Kos\nSent: Thursday, May 16, 2024 9:12 AM\nTo: Agnieszka Lewandowska\nSubject: "
    "Zgłoszenie – grupa robocza ds. promocji i współpracy z biznesem\n\nPani Prezes, w "
    "załączeniu formularz do podpisu, termin mija 24 maja.\nMichał\n\n-----Original "
    "Message-----\nFrom: OWES Subregionu Wałbrzyskiego <biuro@owes-walbrzych.example.pl>\n"
    "Sent: Monday, May 6, 2024 10:00 AM\nSubject: Nabór członków grup roboczych DKRES\n\n"
    + CALL_ANNOUNCEMENT
)

ABOUT_CALL: list[Msg] = [
    applies(
        "aneta_early",
        ANETA_FROM,
        "Zgłoszenie do grupy roboczej nr 4 – KIS Głogów",
        "Dzień dobry,\n\nprzesyłam formularz zgłoszeniowy do grupy roboczej ds. podmiotów "
        "zatrudnienia socjalnego oraz podmiotów reintegracyjnych.\n\nZ poważaniem\nAneta "
        "Dąbrowska\nKoordynatorka KIS w Głogowie",
        at(5, 5, 18, 10),
        "an application sent the day before the call opens, superseded by her later one",
        "early",
        live=False,
        attachments=(docx_app(ANETA, "KIS_Glogow_formularz.docx"),),
    ),
    asks(
        "aneta_asks",
        ANETA_FROM,
        "",
        "Dzień dobry,\nczy w takim razie mam wysłać formularz jeszcze raz, teraz gdy jest już "
        "otwarty?\nAneta Dąbrowska",
        at(5, 6, 7, 55),
        "a question in the thread of mailbot's 'too early' letter",
        reply_to_letter="aneta_early",
    ),
    applies(
        "aneta_resend",
        ANETA_FROM,
        "Zgłoszenie – ponownie (KIS Głogów)",
        "Dzień dobry,\nzgodnie z informacją przesyłam formularz ponownie, już w terminie.\n"
        "Aneta Dąbrowska",
        at(5, 6, 12, 30),
        "the early applicant sends the form again once the call is open",
        "accepted",
        attachments=(docx_app(ANETA, "KIS_Glogow_formularz.docx"),),
    ),
    applies(
        "jadwiga",
        "Jadwiga Malinowska <j.malinowska@dobrystart-swidnica.example.pl>",
        "Zgłoszenie do grupy roboczej – Fundacja Dobry Start",
        "Szanowna Pani,\n\nw odpowiedzi na ogłoszenie o naborze członków grup roboczych przy "
        "Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej przesyłam wypełniony formularz "
        "zgłoszeniowy do grupy ds. rozwoju usług społecznych i deinstytucjonalizacji.\n\n"
        "Z wyrazami szacunku\nJadwiga Malinowska\nPrezes Zarządu\nFundacja „Dobry Start” w "
        "Świdnicy\ntel. 74 852 11 40",
        at(5, 7, 8, 47),
        "a formal application with the Word form",
        "accepted",
        attachments=(docx_app(JADWIGA, "Formularz zgłoszeniowy - J. Malinowska.docx"),),
    ),
    asks(
        "ask_for_form",
        "Anna Michalska <a.michalska@ops-trzebnica.example.pl>",
        "Prośba o formularz w wersji Word",
        "Dzień dobry,\n\nproszę o przesłanie formularza zgłoszeniowego do grup roboczych w "
        "wersji Word – na stronie jest tylko PDF, którego nie mogę edytować na komputerze w "
        "pracy.\n\nPozdrawiam\nAnna Michalska\nOPS w Trzebnicy",
        at(5, 7, 13, 2),
        "someone asks to be sent the form",
    ),
    asks(
        "scan_question",
        "Leszek Grabiec <l.grabiec@zaz-nowaruda.example.pl>",
        "skan czy oryginał?",
        "Dzien dobry. Czy formularz moze byc skanem z podpisem odrecznym, czy trzeba przeslac "
        "oryginal poczta tradycyjna? Leszek Grabiec, ZAZ Nowa Ruda",
        at(5, 8, 10, 30),
        "a question how to send the form, no diacritics, no call keyword in the subject",
    ),
    applies(
        "tomasz_pdf",
        TOMASZ_FROM,
        "zgloszenie",
        "Dzien dobry,\nw zalaczeniu przesylam formularz zgloszeniowy do grupy roboczej nr 2.\n"
        "Pozdrawiam\nTomasz Grabowski\nSpoldzielnia Socjalna Pod Lipami",
        at(5, 8, 21, 15),
        "an application with the fillable PDF, written without Polish letters",
        "accepted",
        attachments=(pdf_app(TOMASZ, "formularz_DKRES_Grabowski.pdf"),),
    ),
    asks(
        "tomasz_thanks",
        TOMASZ_FROM,
        "",
        "Dziękuję za potwierdzenie, pozdrawiam serdecznie.\nT. Grabowski\n\n"
        "> Szanowny Panie,\n> dziękujemy za przesłanie zgłoszenia.",
        at(5, 9, 7, 30),
        "a thank-you in the thread of mailbot's confirmation",
        reply_to_letter="tomasz_pdf",
    ),
    applies(
        "krzysztof_first",
        KRZYSZTOF_FROM,
        "Zgłoszenie – WTZ Promyk Legnica",
        "Dzień dobry, w załączeniu zgłoszenie do grupy nr 4. Krzysztof Wiśniewski",
        at(5, 9, 10, 0),
        "a first application, superseded four days later",
        "accepted",
        live=False,
        attachments=(docx_app(KRZYSZTOF, "zgloszenie_KW.docx"),),
    ),
    applies(
        "marek_no_consent",
        MAREK_FROM,
        "Zgłoszenie ZAZ Kamienna Góra – grupa ds. podmiotów zatrudnienia socjalnego",
        "Dzień dobry,\n\nw załączeniu formularz zgłoszeniowy.\n\nMarek Zieliński\nKierownik ZAZ",
        at(5, 9, 14, 20),
        "an application without the data-protection consent, corrected later in the thread",
        "incomplete",
        live=False,
        attachments=(docx_app(MAREK, "Formularz_ZAZ_KG.docx"),),
    ),
    applies(
        "halina_scan",
        "Halina Wróblewska <h.wroblewska@cis-boleslawiec.example.pl>",
        "Formularz zgłoszeniowy – grupy robocze DKRES",
        "Dzień dobry,\n\nprzesyłam podpisany formularz zgłoszeniowy (skan). Proszę o "
        "informację, czy jest czytelny.\n\nHalina Wróblewska\nCIS Bolesławiec",
        at(5, 10, 12, 3),
        "a scan of the printed form, named as the form",
        "needs_review",
        attachments=(scan("Formularz_zgloszeniowy_grupy_robocze_HWroblewska.pdf"),),
    ),
    applies(
        "beata_bad_email",
        "Beata K. <beata.kaczmarczyk@op.example.pl>",
        "Formularz – grupa 3",
        "Witam, przesyłam formularz. Pozdrawiam",
        at(5, 10, 19, 40),
        "an application whose e-mail field is not an address",
        "incomplete",
        attachments=(docx_app(BEATA, "formularz.docx"),),
    ),
    asks(
        "question_title",
        "Joanna Pietrzak <joanna.pietrzak@wtz-sobotka.example.pl>",
        "Podmioty reintegracyjne – kto może kandydować?",
        "Dzień dobry,\n\nczy do grupy ds. podmiotów zatrudnienia socjalnego oraz podmiotów "
        "reintegracyjnych może kandydować terapeutka z warsztatu terapii zajęciowej, czy tylko "
        "kierownicy jednostek? Nie znalazłam tego w regulaminie.\n\nPozdrawiam\nJoanna Pietrzak",
        at(5, 11, 20, 14),
        "a question naming group 4 by its title and asking who may 'kandydować'",
    ),
    asks(
        "question_groups_2_5",
        "Mariusz Lis <mariusz.lis@gmail.example.com>",
        "pytanie",
        "Dzien dobry, czy mozna kandydowac do grupy 2 i 5 jednoczesnie? Prowadze "
        "przedsiebiorstwo spoleczne, ktore realizuje tez zlecenia gminy.\nMariusz Lis",
        at(5, 12, 9, 30),
        "a question naming groups 2 and 5, private address, no diacritics",
    ),
    applies(
        "iwona_html",
        IWONA_FROM,
        "Zgłoszenie przedstawiciela Gminy Oleśnica do grupy roboczej",
        "",
        at(5, 13, 13, 13),
        "an HTML-only Outlook application with the Word form",
        "accepted",
        html=outlook_html(
            "Szanowni Państwo,",
            "w załączeniu przesyłam formularz zgłoszeniowy do grupy roboczej ds. zamówień/"
            "zleceń zadań publicznych realizowanych przez PES.",
            "&nbsp;",
            "Z poważaniem<br>Iwona Jankowska<br>Inspektor ds. społecznych<br>Urząd Gminy Oleśnica",
        ),
        attachments=(docx_app(IWONA, "Formularz_zgloszeniowy_UG_Olesnica.docx"),),
    ),
    applies(
        "marek_fix",
        MAREK_FROM,
        "",
        "Dzień dobry,\n\nw załączeniu poprawiony formularz z zaznaczoną zgodą.\n\nMarek Zieliński",
        at(5, 13, 10, 5),
        "the corrected form in the thread of mailbot's 'incomplete' letter",
        "accepted",
        reply_to_letter="marek_no_consent",
        attachments=(docx_app(replace(MAREK, consents_gdpr=True), "Formularz_ZAZ_KG_v2.docx"),),
    ),
    applies(
        "krzysztof_second",
        KRZYSZTOF_FROM,
        "Korekta zgłoszenia – WTZ Promyk",
        "Dzień dobry,\nprzesyłam poprawiony formularz – dopisałem grupę nr 5. Proszę o "
        "uwzględnienie tej wersji.\nKrzysztof Wiśniewski",
        at(5, 13, 16, 45),
        "the same person's second application, which supersedes the first",
        "accepted",
        attachments=(docx_app(replace(KRZYSZTOF, groups=(4, 5)), "zgloszenie_KW_v2.docx"),),
    ),
    applies(
        "caritas_two",
        "Sekretariat Caritas Diecezji Świdnickiej <sekretariat@caritas-swidnica.example.pl>",
        "Zgłoszenia do grup roboczych DKRES – Caritas Diecezji Świdnickiej",
        "Szanowni Państwo,\n\nw imieniu Dyrektora przesyłam dwa formularze zgłoszeniowe: "
        "Pani Ewy Nowickiej (grupa 1) oraz ks. Pawła Krawczyka (grupa 4).\n\nZ poważaniem\n"
        "Sekretariat Caritas Diecezji Świdnickiej",
        at(5, 14, 11, 11),
        "a secretariat sends the forms of two candidates in one message",
        "accepted",
        forms=2,
        attachments=(
            docx_app(EWA, "Formularz - E. Nowicka.docx"),
            docx_app(PAWEL, "Formularz - ks. P. Krawczyk.docx"),
        ),
    ),
    asks(
        "question_group_nr_4",
        "Tadeusz Marciniak <t.marciniak@cis-zgorzelec.example.pl>",
        "Grupa nr 4",
        "Dzień dobry,\n\npracuję w CIS w Zgorzelcu. Czy do grupy nr 4 zgłaszają się osoby "
        "indywidualnie, czy musi nas zgłosić dyrektor? I czy potrzebna jest pieczątka "
        "instytucji?\n\nTadeusz Marciniak",
        at(5, 14, 15, 30),
        "a question naming 'grupa nr 4'",
    ),
    applies(
        "robert_no_form",
        ROBERT_FROM,
        "Zgłoszenie do naboru – grupa ds. przedsiębiorstw społecznych",
        ROBERT_TEXT,
        at(5, 15, 9, 2),
        "'w załączeniu przesyłam formularz' with nothing attached",
        "no_form",
        live=False,
    ),
    applies(
        "robert_form",
        ROBERT_FROM,
        "Re: Zgłoszenie do naboru – grupa ds. przedsiębiorstw społecznych",
        "Przepraszam, zapomniałem załącznika – teraz w załączeniu.\nR. Sadowski\n\nW dniu "
        "15.05.2024 o 09:02, Robert Sadowski pisze:\n> " + ROBERT_TEXT.replace("\n", "\n> "),
        at(5, 15, 9, 41),
        "the forgotten form, sent in reply to his own message",
        "accepted",
        attachments=(docx_app(ROBERT, "Formularz_zgloszeniowy_Horyzont.docx"),),
    ),
    applies(
        "agnieszka_forwarded",
        "Michał Kos <m.kos@fundacja-krzyzowa.example.org>",
        "FW: Zgłoszenie – grupa robocza ds. promocji i współpracy z biznesem",
        FORWARD_CHAIN,
        at(5, 16, 14, 30),
        "the applicant's own colleague forwards her signed form in a long Outlook chain",
        "accepted",
        attachments=(docx_app(AGNIESZKA, "Formularz_AL_podpisany.docx"),),
    ),
    applies(
        "lukasz_iphone",
        "Łukasz <lukasz@smakisudetow.example.pl>",
        "Zgłoszenie",
        "W załączniku zgłoszenie do grup 3 i 5.\n\nWysłane z iPhone'a",
        at(5, 17, 22, 3),
        "a short application from a phone with the fillable PDF",
        "accepted",
        headers=IPHONE,
        attachments=(pdf_app(LUKASZ, "Formularz zgłoszeniowy.pdf"),),
    ),
    asks(
        "question_english",
        "Mehmet Yilmaz <m.yilmaz@socialbiz.example.com>",
        "Question about the working groups",
        "Hello,\n\nI run a social enterprise in Wrocław (Turkish-Polish catering, 6 employees). "
        "Can a foreign citizen be a member of the working group on social enterprises? Do I "
        "need to fill in the form in Polish?\n\nThank you / Dziękuję,\nMehmet Yilmaz",
        at(5, 18, 11, 0),
        "a question in English",
    ),
    applies(
        "olena_english",
        "Olena Kovalenko <olena.kovalenko@nowydom.example.org>",
        "Application – working groups / zgłoszenie do grup roboczych",
        "Dear Madam,\nDzień dobry,\n\nplease find attached my application form (formularz "
        "zgłoszeniowy) for working groups no. 1 and 3 of the Lower Silesian Committee for the "
        "Development of Social Economy. Przepraszam za mój polski.\n\nBest regards / "
        "Z poważaniem\nOlena Kovalenko\nFundacja „Nowy Dom”",
        at(5, 20, 10, 10),
        "an English-Polish application with the Word form",
        "accepted",
        attachments=(docx_app(OLENA, "Application_form_Kovalenko.docx"),),
    ),
    applies(
        "janusz_short",
        "Janusz Kowalczyk <janusz.k1968@gmail.example.com>",
        "",
        "w załączeniu",
        at(5, 21, 7, 2),
        "no subject, two words, the form from a private address",
        "accepted",
        attachments=(docx_app(JANUSZ, "DKRES_formularz_JK.docx"),),
    ),
    asks(
        "iwona_withdraws",
        IWONA_FROM,
        "Wycofanie zgłoszenia",
        "Szanowni Państwo,\n\nz powodu zmiany miejsca pracy wycofuję swoje zgłoszenie do grupy "
        "roboczej nr 2 przesłane 13 maja.\n\nIwona Jankowska",
        at(5, 22, 8, 20),
        "a withdrawal",
    ),
    applies(
        "monika_no_group",
        "Monika Wójcik <m.wojcik@owes-legnica.example.pl>",
        "Zgłoszenie – OWES Legnica",
        "Dzień dobry, przesyłam zgłoszenie.\nPozdrawiam\nMonika Wójcik\nanimatorka OWES",
        at(5, 22, 16, 0),
        "an application with no group ticked, from an OWES address",
        "incomplete",
        attachments=(docx_app(MONIKA, "zgloszenie_MW.docx"),),
    ),
    applies(
        "grzegorz_late",
        "Grzegorz Pawłowski <g.pawlowski@razemdlaklodzka.example.org>",
        "Zgłoszenie – Razem dla Kłodzka (grupa 5)",
        "Dzień dobry,\n\nprzepraszam za późną porę – przesyłam zgłoszenie do grupy ds. "
        "przedsiębiorstw społecznych. Mam nadzieję, że jeszcze zdążyłem.\n\nGrzegorz Pawłowski",
        at(5, 25, 0, 20),
        "an application twenty minutes after the deadline (still 24 May in UTC)",
        "late",
        attachments=(pdf_app(GRZEGORZ, "zgloszenie_Pawlowski.pdf"),),
    ),
    asks(
        "question_after_deadline",
        "Barbara Sowińska <b.sowinska@spoldzielnia-len.example.pl>",
        "Czy można jeszcze dosłać zgłoszenie?",
        "Dzień dobry,\n\nbyłam na zwolnieniu i nie zdążyłam do 24 maja. Czy jest możliwość "
        "dosłania formularza do grupy ds. promocji i współpracy z biznesem?\n\nBarbara "
        "Sowińska\nSpółdzielnia Socjalna „Len”",
        at(5, 27, 9, 15),
        "a question after the deadline",
    ),
]

MESSAGES: list[Msg] = EVERYDAY + ABOUT_CALL
