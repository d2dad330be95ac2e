"""Other bodies' forms that reach the DKRES secretariat: training, council, contest and
database forms (blank and filled), a ministry's reporting form, a consultation's remarks form,
a travel-refund claim and a patronage request.

None of them is the call's form: each has its own title, sections and statements, though
most share the labels every office form has (Imię i nazwisko, Adres e-mail, Telefon, Nazwa
organizacji) and some word their statements much as the call's form does.
"""

from __future__ import annotations

from mailboxes.model import FillablePdf, PdfField, fillable_pdf, office_docx, text_pdf

TICK, BOX = True, False


def dops_training_form(values: dict[str, str] | None = None, term: int = 0) -> bytes:
    """DOPS's own training for municipal staff: blank, or filled by a gmina official."""
    v = values or {}
    return office_docx(
        ("title", "FORMULARZ ZGŁOSZENIOWY"),
        "na szkolenie „Centrum usług społecznych a podmioty ekonomii społecznej – "
        "współpraca w praktyce” dla pracowników jednostek samorządu terytorialnego",
        "Organizator: Dolnośląski Ośrodek Polityki Społecznej we Wrocławiu",
        ("h", "1. Dane uczestnika"),
        (
            "table",
            [
                ("Imię i nazwisko uczestnika", v.get("name", "")),
                ("Nazwa instytucji (gmina / powiat / jednostka)", v.get("org", "")),
                ("Stanowisko", v.get("position", "")),
                ("Adres e-mail", v.get("email", "")),
                ("Telefon", v.get("phone", "")),
            ],
        ),
        ("h", "2. Termin szkolenia (proszę wybrać jeden)"),
        (
            "boxes",
            [
                (term == 1, "11 czerwca 2024 r. – Wrocław, ul. Trzebnicka 42–44"),
                (term == 2, "13 czerwca 2024 r. – Legnica, Starostwo Powiatowe"),
                (term == 3, "18 czerwca 2024 r. – Wałbrzych, Urząd Miejski"),
            ],
        ),
        ("h", "3. Potrzeby uczestnika"),
        "Szczególne potrzeby (dostępność, dieta):",
        ("cell", v.get("needs", "")),
        ("h", "4. Oświadczenia uczestnika"),
        (
            "boxes",
            [
                (
                    bool(v),
                    "Oświadczam, że jestem pracownikiem jednostki samorządu terytorialnego "
                    "lub jej jednostki organizacyjnej.",
                ),
                (
                    bool(v),
                    "Wyrażam zgodę na przetwarzanie moich danych osobowych przez DOPS we "
                    "Wrocławiu w celu rekrutacji, organizacji i rozliczenia szkolenia.",
                ),
                (
                    False,
                    "Wyrażam zgodę na nieodpłatne wykorzystanie mojego wizerunku w "
                    "materiałach promocyjnych DOPS.",
                ),
            ],
        ),
        (
            "table",
            [("Data", v.get("date", "")), ("Podpis uczestnika", v.get("name", ""))],
        ),
        "Wypełniony formularz prosimy przesłać do 31 maja 2024 r. Liczba miejsc ograniczona – "
        "decyduje kolejność zgłoszeń.",
    )


def owes_training_form() -> bytes:
    """OWES's blank registration form for a two-day training (a different layout)."""
    return office_docx(
        "Ośrodek Wsparcia Ekonomii Społecznej Subregionu Wałbrzyskiego",
        "Projekt „OWES Wałbrzych 2024–2027” współfinansowany ze środków Unii Europejskiej",
        ("title", "Formularz zgłoszeniowy na szkolenie"),
        "„Klauzule społeczne w zamówieniach publicznych – jak startować w przetargach”, "
        "4–5 czerwca 2024 r.",
        ("h", "Dane uczestnika / uczestniczki"),
        (
            "table",
            [
                ("Imię i nazwisko uczestnika", ""),
                ("PESEL", ""),
                ("Nazwa organizacji", ""),
                ("Adres e-mail", ""),
                ("Telefon", ""),
                ("Gmina zamieszkania", ""),
            ],
        ),
        ("h", "Status uczestnika (zaznacz właściwe)"),
        (
            "boxes",
            [
                (BOX, "osoba reprezentująca podmiot ekonomii społecznej"),
                (BOX, "osoba planująca założenie przedsiębiorstwa społecznego"),
                (BOX, "pracownik instytucji rynku pracy lub pomocy społecznej"),
            ],
        ),
        ("h", "Oświadczenia"),
        (
            "boxes",
            [
                (
                    BOX,
                    "Oświadczam, że zapoznałam/em się z Regulaminem rekrutacji i uczestnictwa "
                    "w projekcie i akceptuję jego warunki.",
                ),
                (
                    BOX,
                    "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu rekrutacji "
                    "i monitorowania projektu.",
                ),
                (BOX, "Oświadczam, że podane dane są zgodne z prawdą."),
            ],
        ),
        ("table", [("Miejscowość, data", ""), ("Czytelny podpis", "")]),
    )


RADA_FIELDS = (
    ("Imię i nazwisko kandydata", "imie_nazwisko"),
    ("Nazwa organizacji zgłaszającej kandydata", "nazwa_organizacji"),
    ("Numer KRS lub innego rejestru", "krs"),
    ("Adres e-mail", "email"),
    ("Telefon", "telefon"),
    ("Obszar działalności pożytku publicznego", "obszar"),
    ("Krótka informacja o kandydacie (doświadczenie w pracy w sektorze pozarządowym)", "opis"),
)
RADA_STATEMENTS = (
    (
        "Oświadczam, że wyrażam zgodę na kandydowanie na członka Dolnośląskiej Rady Działalności "
        "Pożytku Publicznego.",
        "zgoda_kandydowanie",
    ),
    (
        "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu przeprowadzenia wyborów "
        "członków Rady.",
        "zgoda_rodo",
    ),
)
RADA_TITLE = (
    "Załącznik nr 2 do ogłoszenia Marszałka Województwa Dolnośląskiego",
    "FORMULARZ ZGŁOSZENIOWY KANDYDATA NA CZŁONKA",
    "DOLNOŚLĄSKIEJ RADY DZIAŁALNOŚCI POŻYTKU PUBLICZNEGO V KADENCJI",
)


def rada_pozytku_pdf() -> bytes:
    """The Marshal's office's blank fillable form for the Public Benefit Council."""
    fields = [
        PdfField(label, name, "", 30 if name == "opis" else 18) for label, name in RADA_FIELDS
    ]
    fields += [PdfField(label, name, False) for label, name in RADA_STATEMENTS]
    return fillable_pdf(
        FillablePdf(
            RADA_TITLE,
            fields,
            (
                "Formularz należy podpisać przez osoby upoważnione do reprezentacji organizacji "
                "zgłaszającej. Administratorem danych jest Marszałek Województwa Dolnośląskiego.",
            ),
        )
    )


def rada_pozytku_docx_filled() -> bytes:
    """The same council's form as the office's Word version, filled by an association."""
    values = {
        "imie_nazwisko": "Grażyna Szewczyk",
        "nazwa_organizacji": "Stowarzyszenie Przyjaciół Ziemi Kłodzkiej",
        "krs": "0000123456",
        "email": "g.szewczyk@ziemia-klodzka.example.org",
        "telefon": "74 867 12 30",
        "obszar": "działalność na rzecz osób z niepełnosprawnościami, ekonomia społeczna",
        "opis": "Od 12 lat prezeska stowarzyszenia prowadzącego Warsztat Terapii Zajęciowej "
        "i Zakład Aktywności Zawodowej; członkini Powiatowej Rady Działalności Pożytku "
        "Publicznego w Kłodzku.",
    }
    return office_docx(
        *RADA_TITLE,
        ("table", [(label, values[name]) for label, name in RADA_FIELDS]),
        ("h", "Oświadczenia kandydata"),
        ("boxes", [(TICK, label) for label, _ in RADA_STATEMENTS]),
        (
            "table",
            [
                ("Data i podpis kandydata", "Kłodzko, 20.05.2024, Grażyna Szewczyk"),
                ("Podpisy osób reprezentujących organizację", "Jan Szewczyk – Prezes"),
            ],
        ),
    )


def contest_docx_blank() -> bytes:
    """The contest "Dolnośląski Lider Ekonomii Społecznej 2024": blank entry form."""
    return office_docx(*_contest_blocks({}))


def contest_pdf_filled() -> bytes:
    """A social cooperative's entry to the contest, printed to PDF from Word."""
    lines = [f"# {b}" if i < 2 else b for i, b in enumerate(_contest_lines())]
    return text_pdf(lines)


def _contest_lines() -> list[str]:
    return [
        "KONKURS „DOLNOŚLĄSKI LIDER EKONOMII SPOŁECZNEJ 2024”",
        "FORMULARZ ZGŁOSZENIOWY",
        "",
        "Kategoria konkursowa:",
        "☒ Przedsiębiorstwo społeczne roku    ☐ Inicjatywa lokalna    ☐ Samorząd przyjazny ES",
        "",
        "I. Dane zgłaszającego",
        "Nazwa podmiotu: Spółdzielnia Socjalna „Smaki Doliny Baryczy”",
        "Forma prawna: spółdzielnia socjalna",
        "Imię i nazwisko osoby do kontaktu: Aleksandra Kubiak",
        "Adres e-mail: kontakt@smakibaryczy.example.pl",
        "Telefon: 71 384 22 10",
        "",
        "II. Opis działalności i osiągnięć w 2023 r. (do 3000 znaków)",
        "Spółdzielnia prowadzi catering i stołówkę szkolną w Miliczu, zatrudnia 14 osób, "
        "w tym 9 osób zagrożonych wykluczeniem społecznym. W 2023 r. otworzyliśmy drugi punkt "
        "gastronomiczny i podpisaliśmy umowę z gminą na dowóz posiłków dla seniorów.",
        "",
        "III. Oświadczenia",
        "☒ Oświadczam, że zapoznałam/em się z Regulaminem Konkursu i akceptuję jego postanowienia.",
        "☒ Wyrażam zgodę na przetwarzanie danych osobowych na potrzeby konkursu.",
        "☒ Wyrażam zgodę na publikację nazwy podmiotu i opisu w materiałach konkursowych.",
        "",
        "Milicz, 16.05.2024                                   Aleksandra Kubiak, Prezeska Zarządu",
    ]


def _contest_blocks(v: dict[str, str]) -> list[object]:
    return [
        ("title", "Konkurs „Dolnośląski Lider Ekonomii Społecznej 2024”"),
        "FORMULARZ ZGŁOSZENIOWY",
        ("h", "Kategoria konkursowa"),
        (
            "boxes",
            [
                (BOX, "Przedsiębiorstwo społeczne roku"),
                (BOX, "Inicjatywa lokalna"),
                (BOX, "Samorząd przyjazny ekonomii społecznej"),
            ],
        ),
        ("h", "I. Dane zgłaszającego"),
        (
            "table",
            [
                ("Nazwa podmiotu", ""),
                ("Forma prawna", ""),
                ("Imię i nazwisko osoby do kontaktu", ""),
                ("Adres e-mail", ""),
                ("Telefon", ""),
            ],
        ),
        ("h", "II. Opis działalności i osiągnięć w 2023 r. (do 3000 znaków)"),
        ("cell", ""),
        ("h", "III. Oświadczenia"),
        (
            "boxes",
            [
                (
                    BOX,
                    "Oświadczam, że zapoznałam/em się z Regulaminem Konkursu i akceptuję "
                    "jego postanowienia.",
                ),
                (BOX, "Wyrażam zgodę na przetwarzanie danych osobowych na potrzeby konkursu."),
                (
                    BOX,
                    "Wyrażam zgodę na publikację nazwy podmiotu i opisu w materiałach "
                    "konkursowych.",
                ),
            ],
        ),
        ("table", [("Miejscowość i data", ""), ("Podpis osoby reprezentującej podmiot", "")]),
    ]


def pes_update_docx(org: str, person: str, email: str, phone: str, form: str) -> bytes:
    """The regional database of social-economy entities: an entity updates its entry."""
    forms = [
        "spółdzielnia socjalna",
        "fundacja",
        "stowarzyszenie",
        "CIS",
        "KIS",
        "ZAZ",
        "spółka non-profit",
    ]
    return office_docx(
        "Regionalny Ośrodek Polityki Społecznej – Baza PES",
        ("title", "Formularz aktualizacji danych podmiotu ekonomii społecznej"),
        ("h", "A. Dane podmiotu"),
        (
            "table",
            [
                ("Nazwa podmiotu", org),
                ("NIP", "8992876543"),
                ("KRS", "0000654321"),
                ("Adres siedziby", "ul. Kolejowa 3, 58-100 Świdnica"),
            ],
        ),
        ("h", "B. Forma prawna"),
        ("boxes", [(f == form, f) for f in forms]),
        ("h", "C. Osoba do kontaktu"),
        ("table", [("Imię i nazwisko", person), ("Adres e-mail", email), ("Telefon", phone)]),
        ("h", "D. Status przedsiębiorstwa społecznego (ustawa z 5 sierpnia 2022 r.)"),
        ("boxes", [(TICK, "posiada status PS"), (BOX, "nie posiada statusu PS")]),
        ("h", "E. Oświadczenia"),
        (
            "boxes",
            [
                (TICK, "Oświadczam, że powyższe dane są zgodne ze stanem faktycznym."),
                (
                    TICK,
                    "Wyrażam zgodę na publikację danych podmiotu w Bazie PES na stronie "
                    "internetowej ROPS.",
                ),
            ],
        ),
    )


def pes_update_pdf() -> bytes:
    """Another entity's update, scanned by nobody: printed to PDF with its answers typed in."""
    return text_pdf(
        [
            "# Formularz aktualizacji danych podmiotu ekonomii społecznej",
            "Regionalny Ośrodek Polityki Społecznej – Baza PES województwa dolnośląskiego",
            "",
            "A. Dane podmiotu",
            "Nazwa podmiotu: Fundacja Aktywizacji Zawodowej „Krok Dalej”",
            "NIP: 6912345678        KRS: 0000456789",
            "Adres siedziby: ul. Chojnowska 15, 59-220 Legnica",
            "B. Forma prawna: ☒ fundacja  ☐ stowarzyszenie  ☐ spółdzielnia socjalna  ☐ CIS  ☐ KIS",
            "C. Osoba do kontaktu",
            "Imię i nazwisko: Mirosław Kaczmarczyk",
            "Adres e-mail: m.kaczmarczyk@krokdalej.example.org",
            "Telefon: 76 722 40 11",
            "D. Status przedsiębiorstwa społecznego: ☐ posiada  ☒ nie posiada",
            "E. Oświadczenia",
            "☒ Oświadczam, że powyższe dane są zgodne ze stanem faktycznym.",
            "☒ Wyrażam zgodę na publikację danych podmiotu w Bazie PES.",
            "Legnica, 22.05.2024",
        ]
    )


def ministry_report_form() -> bytes:
    """The ministry's reporting form for the regional social policy centres."""
    return office_docx(
        "MINISTERSTWO RODZINY, PRACY I POLITYKI SPOŁECZNEJ",
        "Departament Ekonomii Społecznej i Solidarnej",
        ("title", "Formularz sprawozdawczy ROPS – realizacja KPRES w 2023 r."),
        ("h", "Część A. Dane ośrodka"),
        (
            "table",
            [
                ("Nazwa ROPS", ""),
                ("Imię i nazwisko osoby sporządzającej", ""),
                ("Adres e-mail", ""),
                ("Telefon", ""),
            ],
        ),
        ("h", "Część B. Działania regionalnego komitetu rozwoju ekonomii społecznej"),
        (
            "table",
            [
                ("Liczba posiedzeń komitetu w 2023 r.", ""),
                ("Liczba podjętych uchwał", ""),
                ("Liczba grup roboczych i ich tematyka", ""),
                ("Najważniejsze rekomendacje komitetu", ""),
            ],
        ),
        ("h", "Część C. Wsparcie PES"),
        (
            "table",
            [
                ("Liczba PES w bazie regionalnej", ""),
                ("Liczba przedsiębiorstw społecznych", ""),
                ("Kwota środków na wsparcie PES (zł)", ""),
            ],
        ),
        ("h", "Oświadczenie"),
        ("boxes", [(BOX, "Potwierdzam zgodność danych ze stanem faktycznym.")]),
    )


def consultation_form() -> bytes:
    """A table for remarks in a public consultation."""
    return office_docx(
        ("title", "Formularz zgłaszania uwag"),
        "do projektu aktualizacji Krajowego Programu Rozwoju Ekonomii Społecznej do 2030 r.",
        (
            "table",
            [
                ("Nazwa podmiotu zgłaszającego uwagi", ""),
                ("Imię i nazwisko osoby do kontaktu", ""),
                ("Adres e-mail", ""),
                ("Telefon", ""),
            ],
        ),
        ("h", "Uwagi"),
        (
            "table",
            [
                ("Rozdział / strona projektu", "Treść uwagi i uzasadnienie"),
                ("", ""),
                ("", ""),
                ("", ""),
            ],
        ),
    )


def travel_refund_docx() -> bytes:
    """A Committee member's claim for travel costs to a meeting (filled)."""
    return office_docx(
        ("title", "Wniosek o zwrot kosztów przejazdu"),
        "członka Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej",
        (
            "table",
            [
                ("Imię i nazwisko", "Ryszard Olszewski"),
                ("Adres zamieszkania", "ul. Lipowa 7, 57-300 Kłodzko"),
                ("Adres e-mail", "r.olszewski@kis-klodzko.example.pl"),
                ("Telefon", "604 118 229"),
                ("Data posiedzenia", "16.05.2024"),
                ("Trasa przejazdu", "Kłodzko – Wrocław – Kłodzko"),
                ("Środek transportu", "pociąg (bilety w załączeniu)"),
                ("Kwota do zwrotu", "64,60 zł"),
                ("Numer rachunku bankowego", "12 1020 5226 0000 6102 0417 7895"),
            ],
        ),
        ("boxes", [(TICK, "Oświadczam, że nie otrzymałem zwrotu kosztów z innego źródła.")]),
        ("table", [("Data i podpis", "17.05.2024, R. Olszewski")]),
    )


def patronage_docx() -> bytes:
    """A request for the Committee's honorary patronage, the requester's own form (filled)."""
    return office_docx(
        ("title", "Wniosek o objęcie patronatem honorowym"),
        (
            "table",
            [
                ("Nazwa wnioskodawcy", "Fundacja Ekonomii Wspólnej"),
                ("Imię i nazwisko osoby do kontaktu", "Patrycja Wawrzyniak"),
                ("Adres e-mail", "p.wawrzyniak@ekonomiawspolna.example.org"),
                ("Telefon", "71 305 44 90"),
                (
                    "Nazwa przedsięwzięcia",
                    "Targi Przedsiębiorczości Społecznej „Kupuj Społecznie” "
                    "– Wrocław, Rynek, 14 września 2024 r.",
                ),
                (
                    "Cel i opis przedsięwzięcia",
                    "Prezentacja oferty kilkudziesięciu podmiotów "
                    "ekonomii społecznej z Dolnego Śląska, debata o zakupach "
                    "społecznie odpowiedzialnych.",
                ),
                ("Przewidywana liczba uczestników", "ok. 2000"),
                ("Inni patroni", "Prezydent Wrocławia (wniosek złożony)"),
            ],
        ),
        (
            "boxes",
            [
                (TICK, "Oświadczam, że przedsięwzięcie nie ma charakteru komercyjnego."),
                (TICK, "Zobowiązuję się do umieszczenia informacji o patronacie w materiałach."),
            ],
        ),
    )
