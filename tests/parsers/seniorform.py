"""A form of another call, made for the reader's typography tests: a town's council of seniors.

Its card prints what ordinary office typography prints: labels with dashes, brackets and
colons ("Osiedle – dzielnica:", "Rok urodzenia (rrrr):", "Adres e-mail (o ile posiada)"), a
label long enough to wrap inside its table cell ("Telefon kontaktowy (własny, członka rodziny
lub opiekuna prawnego):"; printed, its first line fills the cell), a free-text heading with a
dash, sections numbered "V." and "X.".
``SPEC`` is its ``[form]`` table; ``build_docx`` makes the card (blank or filled) with
python-docx; ``print_pdf`` prints DOCX files to PDF with LibreOffice.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import docx
from docx.shared import Pt

from parsers import FormSpec

SPEC_TOML = """
[form]
title = "Karta zgłoszenia kandydata do Gminnej Rady Seniorów w Zielonym Grodzie"
salutation_from = "imie"
headings = [
    "KARTA ZGŁOSZENIA KANDYDATA DO GMINNEJ RADY SENIORÓW W ZIELONYM GRODZIE",
    "I. Dane kandydata – osoby starszej",
    "IV. Organizacja rekomendująca [jeśli dotyczy]",
    "V. Oświadczenia",
    "X. Załączniki",
]
stop = ["Klauzula informacyjna", "Podpis kandydata"]

[[form.fields]]
key = "imie"
type = "text"
labels = ["Imię i nazwisko:"]

[[form.fields]]
key = "rok"
type = "text"
labels = ["Rok urodzenia (rrrr):", "Rok urodzenia"]
pattern = '19\\d\\d'

[[form.fields]]
key = "osiedle"
type = "text"
label = "Osiedle – dzielnica"
labels = ["Osiedle – dzielnica:", "Osiedle"]

[[form.fields]]
key = "telefon"
type = "phone"
labels = ["Telefon kontaktowy (własny, członka rodziny lub opiekuna prawnego):", "Telefon"]

[[form.fields]]
key = "email"
type = "email"
required = false
labels = ["Adres e-mail (o ile posiada)", "Adres e-mail"]

[[form.fields]]
key = "obszar"
type = "choice"
label = "Obszar działania"
label_plural = "Obszary działania"
section = "część II karty"
labels = ["II. Obszar działania Rady [proszę zaznaczyć jedno pole]:"]
options = [
    { number = 1, name = "Zdrowie i opieka senioralna" },
    { number = 2, name = "Kultura – edukacja – Uniwersytet Trzeciego Wieku" },
    { number = 3, name = "Transport i dostępność przestrzeni publicznej" },
    { number = 4, name = "Bezpieczeństwo seniorów" },
]

[[form.fields]]
key = "uzasadnienie"
type = "free_text"
labels = [
    "III. Uzasadnienie – doświadczenie w pracy społecznej (maks. 1000 znaków)",
    "Uzasadnienie",
]

[[form.fields]]
key = "rekomendacja"
type = "text"
required = false
labels = ["Nazwa organizacji rekomendującej:"]

[[form.fields]]
key = "zamieszkanie"
type = "statement"
labels = ["Oświadczam, że mieszkam na terenie Gminy Zielony Gród."]

[[form.fields]]
key = "zgoda"
type = "statement"
labels = [
    "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu naboru do Gminnej Rady Seniorów.",
]

[[form.fields]]
key = "data"
type = "date"
labels = ["Miejscowość i data:"]
"""
SPEC = FormSpec.from_toml(SPEC_TOML)

PERSON = (
    ("imie", "Imię i nazwisko:"),
    ("rok", "Rok urodzenia (rrrr):"),
    ("osiedle", "Osiedle – dzielnica:"),
    ("telefon", "Telefon kontaktowy (własny, członka rodziny lub opiekuna prawnego):"),
    ("email", "Adres e-mail (o ile posiada)"),
)
CHOICE_HEADING = "II. Obszar działania Rady [proszę zaznaczyć jedno pole]:"
OPTIONS = (
    "Zdrowie i opieka senioralna",
    "Kultura – edukacja – Uniwersytet Trzeciego Wieku",
    "Transport i dostępność przestrzeni publicznej",
    "Bezpieczeństwo seniorów",
)
STATEMENTS = (
    ("zamieszkanie", "Oświadczam, że mieszkam na terenie Gminy Zielony Gród."),
    (
        "zgoda",
        "Wyrażam zgodę na przetwarzanie moich danych osobowych w celu naboru do Gminnej Rady "
        "Seniorów.",
    ),
)

FILLED: dict[str, Any] = {
    "imie": "Jerzy Malinowski",
    "rok": "1951",
    "osiedle": "Stare Miasto – Podzamcze",
    "telefon": "604 118 227",
    "email": "jerzy@onet.pl",
    "obszar": [3],
    "uzasadnienie": "Od 2010 r. działam w klubie seniora – prowadzę zajęcia z historii miasta.",
    "rekomendacja": "Stowarzyszenie „Złota Jesień”",
    "zamieszkanie": True,
    "zgoda": True,
    "data": "Zielony Gród, 12.03.2026",
}


def build_docx(
    values: dict[str, Any] | None = None,
    *,
    tick: str = "☒",
    inline: Iterable[str] = (),
    broken_labels: bool = False,
) -> bytes:
    """The card as a DOCX, blank or filled (two-column tables, boxes as ``tick`` / ☐);
    ``inline`` keys are typed after the label in the label's own cell; ``broken_labels``: a
    label with a bracket is printed in two paragraphs of its cell, the bracket in the second
    (as an office breaks a long label with Enter)."""
    v, inline = values or {}, set(inline)
    document = docx.Document()
    document.styles["Normal"].font.name = "Liberation Sans"
    document.styles["Normal"].font.size = Pt(10)

    def para(text: str, bold: bool = False) -> None:
        document.add_paragraph().add_run(text).bold = bold

    def table(rows: Sequence[tuple[str, str]]) -> None:
        grid = document.add_table(rows=0, cols=2)
        grid.style = "Table Grid"
        for key, label in rows:
            value = v.get(key) or ""
            if key in inline and value:
                label, value = f"{label} {value}", ""
            row = grid.add_row()
            head, bracket, tail = label.partition(" (")
            if broken_labels and bracket:
                row.cells[0].text = head
                row.cells[0].add_paragraph("(" + tail)
            else:
                row.cells[0].text = label
            row.cells[1].text = value

    para("KARTA ZGŁOSZENIA KANDYDATA DO GMINNEJ RADY SENIORÓW W ZIELONYM GRODZIE", bold=True)
    para("I. Dane kandydata – osoby starszej", bold=True)
    table(PERSON)
    para(CHOICE_HEADING, bold=True)
    for number, name in enumerate(OPTIONS, start=1):
        para(f"{tick if number in (v.get('obszar') or []) else '☐'} {number}. {name}")
    para("III. Uzasadnienie – doświadczenie w pracy społecznej (maks. 1000 znaków)", bold=True)
    box = document.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    box.rows[0].cells[0].text = v.get("uzasadnienie") or ""
    para("IV. Organizacja rekomendująca [jeśli dotyczy]", bold=True)
    table([("rekomendacja", "Nazwa organizacji rekomendującej:")])
    para("V. Oświadczenia", bold=True)
    for key, text in STATEMENTS:
        para(f"{tick if v.get(key) else '☐'} {text}")
    table([("data", "Miejscowość i data:")])
    para("X. Załączniki", bold=True)
    para("1. zaświadczenie o zameldowaniu (do wglądu)")
    para("Podpis kandydata")
    para("Klauzula informacyjna", bold=True)
    para(
        "Administratorem danych jest Wójt Gminy Zielony Gród. Dane są przetwarzane w celu "
        "przeprowadzenia naboru do Gminnej Rady Seniorów."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def print_pdf(paths: Sequence[Path], folder: Path) -> list[Path]:
    """DOCX files printed to PDF by LibreOffice (a private profile, one run)."""
    soffice = shutil.which("soffice")
    assert soffice is not None, "soffice not found"
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{folder}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    return [folder / (p.stem + ".pdf") for p in paths]
