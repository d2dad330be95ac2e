"""The application card of the youth council call, made with python-docx.

``python make_form.py`` writes the blank card applicants download (karta-zgloszenia.docx) and a
filled-in example (przyklad-wypelniony.docx) beside this file; ``python make_form.py --pdf``
also prints both to PDF with LibreOffice, as an applicant who "saves as PDF" does.

``build_form(values)`` returns a filled card as bytes (the tests fill it with other answers);
``print_to_pdf(paths, folder)`` prints DOCX files to PDF with ``soffice --headless``.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import docx
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent

#: part I, a two-column table: (key, label as printed)
PERSON_ROWS = (
    ("imie_nazwisko", "Imię (imiona) i nazwisko:"),
    ("rok_urodzenia", "Rok urodzenia (rrrr):"),
    ("szkola", "Szkoła – pełna nazwa:"),
    ("dzielnica", "Dzielnica – osiedle:"),
    ("telefon", "Telefon kontaktowy (kandydata lub rodzica / opiekuna):"),
    ("email", "Adres e-mail (jeśli posiadasz)"),
)
COMMITTEES_HEADING = "II. Komisja tematyczna, w której chcę pracować (proszę zaznaczyć jedno pole):"
#: the commissions as printed on the card (the call shows them shorter)
COMMITTEES = (
    "Komisja Edukacji i Spraw Szkolnych",
    "Komisja Kultury, Sportu i Czasu Wolnego",
    "Komisja Ekologii i Przestrzeni Miejskiej",
    "Komisja Praw Ucznia, Integracji i Równego Traktowania",
    "Komisja Komunikacji – Media i Promocja",
)
REASONS_HEADING = "III. Uzasadnienie kandydatury – moje pomysły dla miasta (maks. 1500 znaków)"
GUARDIAN_HEADING = "IV. Dane rodzica / opiekuna prawnego [wypełnia kandydat niepełnoletni]"
GUARDIAN_LABEL = "Imię i nazwisko rodzica / opiekuna prawnego:"
STATEMENTS = (
    (
        "oswiadczenie_mieszkaniec",
        "Oświadczam, że mieszkam lub uczę się na terenie Miasta Kamienna Wola.",
    ),
    (
        "oswiadczenie_statut",
        "Oświadczam, że zapoznałam/zapoznałem się ze Statutem Młodzieżowej Rady Miasta "
        "Kamienna Wola i akceptuję jego postanowienia.",
    ),
    (
        "zgoda_publikacja",
        "Wyrażam zgodę na publikację mojego imienia, nazwiska i nazwy szkoły na stronie "
        "internetowej Urzędu Miasta – w wykazie kandydatów.",
    ),
)
PLACE_DATE_LABEL = "Miejscowość i data:"
CLAUSE = (
    "Administratorem danych osobowych kandydatów jest Prezydent Miasta Kamienna Wola, "
    "ul. Zamkowa 2, 26-000 Kamienna Wola. Dane są przetwarzane w celu przeprowadzenia wyborów "
    "do Młodzieżowej Rady Miasta (art. 6 ust. 1 lit. c RODO w związku z art. 5b ustawy "
    "o samorządzie gminnym) przez okres kadencji Rady, a następnie archiwizowane. Kontakt "
    "z inspektorem ochrony danych: iod@kamiennawola.example.pl."
)

#: a sample applicant (the filled-in example and the tests)
APPLICANT: dict[str, Any] = {
    "imie_nazwisko": "Zofia Wiśniewska",
    "rok_urodzenia": "2009",
    "szkola": "II Liceum Ogólnokształcące im. Marii Skłodowskiej-Curie w Kamiennej Woli",
    "dzielnica": "Śródmieście – osiedle Słoneczne",
    "telefon": "604 118 227",
    "email": "zosia.wisniewska@poczta.example.com",
    "komisja": [3],
    "uzasadnienie": "Od dwóch lat działam w szkolnym kole ekologicznym: zorganizowałam zbiórkę "
    "elektrośmieci i akcję sadzenia drzew na osiedlu. W Radzie chcę zabiegać o stojaki "
    "rowerowe przy szkołach i o zielone podwórka.",
    "opiekun": "Agnieszka Wiśniewska",
    "oswiadczenie_mieszkaniec": True,
    "oswiadczenie_statut": True,
    "zgoda_publikacja": True,
    "miejscowosc_data": "Kamienna Wola, 4.03.2026",
}


def _heading(document: Any, text: str, *, size: int = 11, center: bool = False) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_before = Pt(8)


def _two_columns(document: Any, rows: Sequence[tuple[str, str]]) -> None:
    table = document.add_table(rows=len(rows), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, value) in zip(table.rows, rows, strict=True):
        row.cells[0].width = Cm(7)
        row.cells[1].width = Cm(9.5)
        row.cells[0].text = label
        row.cells[1].text = value


def _typed(values: dict[str, Any], inline: Iterable[str], key: str, label: str) -> tuple[str, str]:
    """(label cell, value cell): ``inline`` keys are typed after the label in its own cell."""
    value = values.get(key) or ""
    if key in inline and value:
        return f"{label} {value}", ""
    return label, value


def build_form(
    values: dict[str, Any] | None = None, *, tick: str = "☒", inline: Iterable[str] = ()
) -> bytes:
    """The card as a DOCX; with ``values`` filled in (value cells, ticked boxes).

    ``inline``: keys whose value the applicant typed into the label's own cell, right after the
    printed label (as people do when they miss the empty cell)."""
    v = values or {}
    inline = set(inline)
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Liberation Sans"
    style.font.size = Pt(10)

    note = document.add_paragraph("Załącznik nr 1 do Regulaminu naboru")
    note.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _heading(
        document,
        "KARTA ZGŁOSZENIA KANDYDATA DO MŁODZIEŻOWEJ RADY MIASTA KAMIENNA WOLA",
        size=13,
        center=True,
    )
    document.add_paragraph("kadencja 2026–2028").alignment = WD_ALIGN_PARAGRAPH.CENTER

    _heading(document, "I. Dane kandydata")
    _two_columns(document, [_typed(v, inline, key, label) for key, label in PERSON_ROWS])

    _heading(document, COMMITTEES_HEADING)
    chosen = v.get("komisja") or []
    for number, name in enumerate(COMMITTEES, start=1):
        box = tick if number in chosen else "☐"
        document.add_paragraph(f"{box} {number}. {name}")

    _heading(document, REASONS_HEADING)
    cell = document.add_table(rows=1, cols=1)
    cell.style = "Table Grid"
    cell.rows[0].cells[0].text = v.get("uzasadnienie") or ""

    _heading(document, GUARDIAN_HEADING)
    _two_columns(document, [_typed(v, inline, "opiekun", GUARDIAN_LABEL)])

    _heading(document, "V. Oświadczenia")
    for key, text in STATEMENTS:
        document.add_paragraph(f"{tick if v.get(key) else '☐'} {text}")

    signature = document.add_table(rows=3, cols=2)
    signature.style = "Table Grid"
    place = _typed(v, inline, "miejscowosc_data", PLACE_DATE_LABEL)
    signature.rows[0].cells[0].text, signature.rows[0].cells[1].text = place
    signature.rows[1].cells[0].text = "Czytelny podpis kandydata"
    signature.rows[1].cells[1].text = v.get("imie_nazwisko") or ""
    signature.rows[2].cells[
        0
    ].text = "Podpis rodzica / opiekuna prawnego (w przypadku kandydata niepełnoletniego)"
    signature.rows[2].cells[1].text = v.get("opiekun") or ""

    _heading(document, "Klauzula informacyjna")
    document.add_paragraph(CLAUSE)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def print_to_pdf(paths: Sequence[Path], folder: Path, *, timeout: float = 240) -> list[Path]:
    """Print DOCX files to PDF in ``folder`` with LibreOffice (a private profile, one run)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise FileNotFoundError("soffice not found: apt-get install libreoffice-writer-nogui")
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                str(folder),
                *map(str, paths),
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    printed = [folder / (Path(p).stem + ".pdf") for p in paths]
    missing = [p.name for p in printed if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not print {', '.join(missing)}")
    return printed


def main(argv: Sequence[str]) -> None:
    blank, filled = HERE / "karta-zgloszenia.docx", HERE / "przyklad-wypelniony.docx"
    blank.write_bytes(build_form())
    filled.write_bytes(build_form(APPLICANT))
    if "--pdf" in argv:
        for path in print_to_pdf([blank, filled], HERE):
            print(path)


if __name__ == "__main__":
    main(sys.argv[1:])
