"""The third call's mail (examples/youth-council): eleven e-mails and what is expected of each.

The City of Kamienna Wola's Youth Council: filled DOCX cards and the same cards printed to PDF
by LibreOffice, as applicants send them. `CASES` is the data; `email_of` and
`build_attachments` make the messages; tests/integration/test_youth_council_call.py delivers
them and checks mailbot on them.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "youth-council"
CALL_ADDRESS = "mrm@kamiennawola.example.pl"
WARSAW = ZoneInfo("Europe/Warsaw")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

_spec = importlib.util.spec_from_file_location("youth_make_form", EXAMPLE / "make_form.py")
assert _spec is not None and _spec.loader is not None
make_form = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_form)
APPLICANT: dict[str, Any] = make_form.APPLICANT


def applicant(**changes: Any) -> dict[str, Any]:
    return dict(APPLICANT, **changes)


@dataclass(frozen=True)
class Case:
    """One e-mail and what a careful office expects of it."""

    name: str
    sender: str  # "Name <address>"
    subject: str
    body: str
    received: datetime
    values: dict[str, Any] | None = None  # the card as filled; None: nothing attached
    printed: bool = False  # attach the card printed to PDF instead of the DOCX
    inline: tuple[str, ...] = ()  # keys typed into the label's own cell
    tick: str = "☒"
    status: str = "accepted"
    problems: frozenset[str] | None = frozenset()  # None: judged by `problem_rule`
    problem_rule: Callable[[list[str]], bool] | None = None
    letter_has: tuple[str, ...] = ()  # phrases the letter's body must hold (spacing ignored)
    letter_lacks_before_data: tuple[str, ...] = ()  # not asked for in the letter's request

    @property
    def address(self) -> str:
        return self.sender.split("<")[1].rstrip(">")


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=WARSAW)


CASES = (
    Case(
        "complete, DOCX",
        "Zofia Wiśniewska <zosia.wisniewska@poczta.example.com>",
        "Zgłoszenie do Młodzieżowej Rady Miasta",
        "Dzień dobry,\nw załączniku przesyłam kartę zgłoszenia.\nZofia Wiśniewska\n",
        at(3, 17, 12),
        APPLICANT,
        letter_has=("Szanowna Pani,", "Ekologia i przestrzeń miejska"),
    ),
    Case(
        "complete, printed PDF",
        "Michał Zieliński <m.zielinski@onet.example.pl>",
        "Karta zgłoszenia - Michał Zieliński",
        "Dzień dobry, przesyłam swoją kartę zgłoszenia do MRM.\nPozdrawiam\n",
        at(4, 21, 40),
        applicant(
            imie_nazwisko="Michał Zieliński",
            rok_urodzenia="2007",
            szkola="Zespół Szkół Technicznych nr 1 w Kamiennej Woli",
            dzielnica="Zatorze – osiedle Kolejowe",
            telefon="512 340 981",
            email="m.zielinski@onet.example.pl",
            komisja=[1],
            uzasadnienie="Jestem przewodniczącym samorządu uczniowskiego. Chcę, żeby uczniowie "
            "szkół zawodowych mieli swój głos w sprawach miasta.",
            opiekun=None,
            miejscowosc_data="Kamienna Wola, 4 marca 2026 r.",
        ),
        printed=True,
        letter_has=("Szanowny Panie,", "Edukacja"),
    ),
    Case(
        "a required statement not ticked, DOCX",
        "Natalia Kowalczyk <natalia.kowalczyk@wp.example.pl>",
        "MRM - zgłoszenie",
        "Przesyłam zgłoszenie.\n",
        at(5, 8, 5),
        applicant(
            imie_nazwisko="Natalia Kowalczyk",
            rok_urodzenia="2010",
            email="natalia.kowalczyk@wp.example.pl",
            telefon="601 777 314",
            opiekun="Tomasz Kowalczyk",
            komisja=[2],
            oswiadczenie_statut=False,
        ),
        status="incomplete",
        problems=frozenset({"missing_oswiadczenie_statut"}),
        letter_has=(
            "Oświadczenie o zapoznaniu się ze Statutem Młodzieżowej Rady Miasta",
            "część V karty",
        ),
    ),
    Case(
        "year of birth written as a date, DOCX",
        "Kacper Lewandowski <kacper.lewandowski@interia.example.pl>",
        "Zgłoszenie kandydata",
        "W załączeniu karta zgłoszenia do Młodzieżowej Rady Miasta.\n",
        at(6, 15, 30),
        applicant(
            imie_nazwisko="Kacper Lewandowski",
            rok_urodzenia="14.05.2010",
            email="kacper.lewandowski@interia.example.pl",
            opiekun="Ewa Lewandowska",
            komisja=[2],
        ),
        status="incomplete",
        problems=frozenset({"invalid_rok_urodzenia"}),
        letter_has=("Rok urodzenia", "cztery cyfry roku, np. 2009"),
    ),
    Case(
        "two commissions ticked where one is allowed, DOCX",
        "Maja Kamińska <maja.kaminska@poczta.example.com>",
        "Zgłoszenie do MRM",
        "Dzień dobry, zgłaszam się do Młodzieżowej Rady Miasta. Karta w załączniku.\n",
        at(9, 19, 0),
        applicant(
            imie_nazwisko="Maja Kamińska",
            rok_urodzenia="2011",
            email="maja.kaminska@poczta.example.com",
            opiekun="Joanna Kamińska",
            komisja=[2, 5],
        ),
        status="incomplete",
        problems=None,
        problem_rule=lambda problems: any("komisja" in p for p in problems),
        letter_has=("część II karty",),
    ),
    Case(
        "after the deadline, DOCX",
        "Antoni Szymański <antek.szymanski@gmail.example.com>",
        "Zgłoszenie do Młodzieżowej Rady Miasta",
        "Przepraszam za spóźnienie, przesyłam kartę.\n",
        at(20, 16, 10),
        applicant(
            imie_nazwisko="Antoni Szymański",
            rok_urodzenia="2008",
            email="antek.szymanski@gmail.example.com",
            opiekun=None,
            komisja=[4],
        ),
        status="late",
        problems=frozenset({"late"}),
        letter_has=("20 marca 2026 r., godz. 15:00",),
    ),
    Case(
        "no card attached",
        "Julia Dąbrowska <julia.dabrowska@wp.example.pl>",
        "Zgłoszenie kandydatury - Młodzieżowa Rada Miasta",
        "Dzień dobry,\nzgłaszam swoją kandydaturę do Młodzieżowej Rady Miasta. "
        "Karta zgłoszenia w załączniku.\nJulia Dąbrowska\n",
        at(10, 12, 0),
        None,
        status="no_form",
        problems=None,
        problem_rule=lambda problems: bool(problems),
    ),
    Case(
        "the optional e-mail left empty, DOCX",
        "Filip Mazur <filip.mazur.2009@poczta.example.com>",
        "karta zgłoszenia",
        "W załączeniu przesyłam kartę zgłoszenia do Młodzieżowej Rady Miasta.\n",
        at(11, 7, 45),
        applicant(
            imie_nazwisko="Filip Mazur",
            email=None,
            telefon="693 020 417",
            opiekun="Krzysztof Mazur",
            komisja=[2],
            zgoda_publikacja=False,
        ),
        letter_has=("Kultura, sport i czas wolny",),
        letter_lacks_before_data=("e-mail", "publikacj"),
    ),
    Case(
        "e-mail typed right after the label's bracket, printed PDF",
        "Oliwia Krawczyk <oliwia.k@onet.example.pl>",
        "Zgłoszenie do Młodzieżowej Rady Miasta - Oliwia Krawczyk",
        "Dzień dobry, w załączniku karta zgłoszenia (PDF).\n",
        at(12, 20, 15),
        applicant(
            imie_nazwisko="Oliwia Krawczyk",
            rok_urodzenia="2010",
            email="oliwia.k@onet.example.pl",
            opiekun="Marta Krawczyk",
            komisja=[5],
        ),
        printed=True,
        inline=("email",),
        letter_has=("Media i promocja", "oliwia.k@onet.example.pl"),
    ),
    Case(
        "district and a statement missing, printed PDF",
        "Szymon Wójcik <szymon.wojcik@interia.example.pl>",
        "Karta zgłoszenia MRM",
        "Przesyłam kartę zgłoszenia.\nSzymon\n",
        at(16, 14, 20),
        applicant(
            imie_nazwisko="Szymon Wójcik",
            rok_urodzenia="2008",
            email="szymon.wojcik@interia.example.pl",
            dzielnica=None,
            opiekun=None,
            komisja=[1],
            oswiadczenie_mieszkaniec=False,
        ),
        printed=True,
        status="incomplete",
        problems=frozenset({"missing_dzielnica", "missing_oswiadczenie_mieszkaniec"}),
        letter_has=("Dzielnica – osiedle", "Oświadczenie o zamieszkaniu lub nauce"),
    ),
    Case(
        "ticked with X, year typed after the colon in the label's cell, DOCX",
        "Hanna Piotrowska <hania.piotrowska@gmail.example.com>",
        "Zgłoszenie",
        "Dzień dobry, zgłaszam się do Młodzieżowej Rady Miasta, karta w załączniku.\n",
        at(19, 9, 55),
        applicant(
            imie_nazwisko="Hanna Piotrowska",
            rok_urodzenia="2010",
            email="hania.piotrowska@gmail.example.com",
            opiekun="Paweł Piotrowski",
            komisja=[4],
        ),
        tick="X",
        inline=("rok_urodzenia",),
        letter_has=("Prawa ucznia i integracja",),
    ),
)


def email_of(case: Case, attachment: tuple[str, bytes, str] | None) -> bytes:
    message = EmailMessage()
    message["From"] = case.sender
    message["To"] = CALL_ADDRESS
    message["Subject"] = case.subject
    message["Date"] = format_datetime(case.received)
    message["Message-ID"] = make_msgid(domain=case.address.split("@")[1])
    message.set_content(case.body)
    if attachment is not None:
        filename, data, mime = attachment
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return message.as_bytes()


def build_attachments(tmp: Path) -> dict[str, tuple[str, bytes, str]]:
    """Each case's card: the DOCX as filled, or that DOCX printed to PDF by LibreOffice."""
    out: dict[str, tuple[str, bytes, str]] = {}
    to_print: dict[str, Path] = {}
    folder = tmp / "cards"
    folder.mkdir()
    for number, case in enumerate(CASES, start=1):
        if case.values is None:
            continue
        data = make_form.build_form(case.values, tick=case.tick, inline=case.inline)
        name = f"karta-zgloszenia-{number:02d}"
        if case.printed:
            path = folder / f"{name}.docx"
            path.write_bytes(data)
            to_print[case.name] = path
        else:
            out[case.name] = (f"{name}.docx", data, DOCX_TYPE)
    if to_print:
        printed = make_form.print_to_pdf(list(to_print.values()), folder / "pdf")
        for (case_name, _), pdf in zip(to_print.items(), printed, strict=True):
            out[case_name] = (pdf.name, pdf.read_bytes(), "application/pdf")
    return out
