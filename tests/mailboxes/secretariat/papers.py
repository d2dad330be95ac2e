"""The secretariat's everyday papers: invoices, a quote, a draft resolution, the Forum's
programme, slides, working-group notes and remarks on minutes."""

from __future__ import annotations

from mailboxes.model import office_docx, text_pdf


def catering_invoice() -> bytes:
    return text_pdf(
        [
            "# FAKTURA VAT nr FV/2024/05/118",
            "Data wystawienia: 17.05.2024        Data sprzedaży: 16.05.2024",
            "Sprzedawca: Catering „Pod Lipami” Joanna Górska, ul. Ślężna 118, 53-111 Wrocław, "
            "NIP 8971234567",
            "Nabywca: Dolnośląski Ośrodek Polityki Społecznej we Wrocławiu, ul. Trzebnicka 42–44, "
            "50-230 Wrocław",
            "",
            "Lp. Nazwa usługi                                          Ilość   Cena netto   VAT",
            "1.  Serwis kawowy całodzienny – posiedzenie Komitetu 16.05.2024  32 os. 28,00 zł  8%",
            "2.  Lunch (zupa, danie główne)                                32 os. 42,00 zł  8%",
            "",
            "Razem do zapłaty: 2 419,20 zł (słownie: dwa tysiące czterysta dziewiętnaście 20/100)",
            "Termin płatności: 14 dni, przelew na rachunek 45 1140 2004 0000 3502 7654 3210",
        ]
    )


def venue_invoice() -> bytes:
    return text_pdf(
        [
            "# Faktura nr 0412/H/2024",
            "Hotel & Centrum Konferencyjne „Nadodrze”, ul. Wybrzeże Conrada 12, 51-612 Wrocław",
            "Nabywca: Dolnośląski Ośrodek Polityki Społecznej we Wrocławiu",
            "Usługa: wynajem sali konferencyjnej Odra A+B wraz z nagłośnieniem – 22.05.2024",
            "(VII Dolnośląskie Forum Ekonomii Społecznej), 1 dzień        4 200,00 zł netto",
            "Obsługa techniczna, transmisja online                        900,00 zł netto",
            "Razem brutto: 6 273,00 zł. Termin płatności: 21 dni.",
        ]
    )


def print_quote() -> bytes:
    return text_pdf(
        [
            "# Oferta cenowa nr 77/2024",
            "Drukarnia Dobry Druk s.c., ul. Krakowska 30, 50-424 Wrocław",
            "Dotyczy: materiały na VII Dolnośląskie Forum Ekonomii Społecznej",
            "Roll-up 85x200 cm z torbą – 2 szt. – 390,00 zł netto",
            "Ulotka A5, kreda 135 g, druk 4+4 – 1000 szt. – 260,00 zł netto",
            "Identyfikatory ze smyczą – 150 szt. – 450,00 zł netto",
            "Termin realizacji: 5 dni roboczych od akceptacji projektu.",
        ]
    )


def resolution_draft() -> bytes:
    return text_pdf(
        [
            "# Projekt",
            "# UCHWAŁA NR 7/2024",
            "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej z dnia 16 maja 2024 r.",
            "w sprawie przyjęcia sprawozdania z realizacji Regionalnego Programu Rozwoju Ekonomii "
            "Społecznej za rok 2023",
            "",
            "Na podstawie § 8 ust. 2 Regulaminu Dolnośląskiego Komitetu Rozwoju Ekonomii "
            "Społecznej uchwala się, co następuje:",
            "§ 1. Przyjmuje się sprawozdanie z realizacji RPRES za rok 2023, stanowiące załącznik "
            "do uchwały.",
            "§ 2. Uchwała wchodzi w życie z dniem podjęcia.",
        ]
    )


def agenda_pdf() -> bytes:
    return text_pdf(
        [
            "# VII Dolnośląskie Forum Ekonomii Społecznej – program",
            "Wrocław, 22 maja 2024 r., Centrum Konferencyjne „Nadodrze”",
            "9:30 Rejestracja uczestników, kawa",
            "10:00 Otwarcie – Dyrektor DOPS, Przewodnicząca Komitetu",
            "10:30 Panel: Przedsiębiorstwa społeczne na rynku usług społecznych",
            "12:00 Przerwa, targi PES w holu",
            "12:45 Warsztaty: zakupy społecznie odpowiedzialne; CUS a PES; marketing PES",
            "14:30 Wręczenie wyróżnień, zakończenie",
        ]
    )


def presentation_pdf() -> bytes:
    return text_pdf(
        [
            "# OWES Subregionu Jeleniogórskiego – wsparcie PES w 2024 r.",
            "Slajd 1: Liczba utworzonych miejsc pracy w PES: 46 (plan 60)",
            "Slajd 2: Nowe przedsiębiorstwa społeczne: 7",
            "Slajd 3: Dotacje i wsparcie pomostowe – harmonogram naborów II półrocza",
            "Slajd 4: Wnioski do dyskusji na posiedzeniu Komitetu",
        ]
    )


def working_group_notes() -> bytes:
    return office_docx(
        ("title", "Notatka ze spotkania"),
        "grupy roboczej ds. promocji i współpracy z biznesem (kadencja 2021–2024), "
        "14 maja 2024 r., online (Teams)",
        "Obecni: 7 osób (lista w załączeniu protokołu).",
        "1. Omówiono wyniki badania rozpoznawalności znaku „Zakup Prospołeczny”.",
        "2. Ustalono, że katalog ofert PES zostanie zaktualizowany do końca czerwca.",
        "3. Rekomendacja dla Komitetu: kampania w lokalnych mediach jesienią 2024 r.",
        "Następne spotkanie: wrzesień 2024 r. (termin zostanie uzgodniony mailowo).",
        "Sporządziła: Ewelina Sroka",
    )


def minutes_remarks_docx() -> bytes:
    return office_docx(
        "Uwagi do projektu protokołu z XI posiedzenia DKRES (7 marca 2024 r.)",
        (
            "table",
            [
                ("Strona / punkt", "Uwaga"),
                ("s. 3, pkt 4", "Mój głos w dyskusji dotyczył CUS w powiatach, nie gminach."),
                ("s. 5, pkt 7", "Brakuje informacji, że uchwała nr 3/2024 przyjęta jednogłośnie."),
            ],
        ),
    )


def office_docx_text(*paragraphs: str) -> bytes:
    """A plain Word document of paragraphs (minutes, notes, letters)."""
    return office_docx(*paragraphs)
