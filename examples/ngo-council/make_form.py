"""The application form of the example call, made with python-docx.

``python make_form.py`` writes the blank form applicants download (formularz-eksperta.docx)
and a filled-in example (przyklad-wypelniony.docx) beside this file. ``build_form(values)``
returns a filled form as bytes (the tests fill it with other answers).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx

HERE = Path(__file__).resolve().parent

#: the text fields in the table of part I: (key, printed label)
TEXT_ROWS = (
    ("imie_nazwisko", "Imię i nazwisko"),
    ("organizacja", "Organizacja zgłaszająca kandydata (jeśli dotyczy)"),
    ("krs", "Numer KRS organizacji (jeśli dotyczy)"),
    ("email", "Adres e-mail"),
    ("telefon", "Numer telefonu"),
)
AREAS = (
    "Kultura, sztuka i ochrona dóbr kultury",
    "Sport, turystyka i krajoznawstwo",
    "Pomoc społeczna i przeciwdziałanie wykluczeniu",
)
STATEMENTS = (
    (
        "bez_konfliktu",
        "Oświadczam, że nie reprezentuję organizacji biorącej udział w konkursie "
        "i nie pozostaję z nią w stosunku, który mógłby budzić wątpliwości co do "
        "mojej bezstronności.",
    ),
    (
        "zgoda_dane",
        "Wyrażam zgodę na przetwarzanie moich danych osobowych przez Urząd Gminy "
        "Przykładowo w celu przeprowadzenia naboru ekspertów.",
    ),
    (
        "zgoda_publikacja",
        "Wyrażam zgodę na opublikowanie mojego imienia i nazwiska na stronie "
        "internetowej Urzędu Gminy Przykładowo.",
    ),
)

#: a sample applicant (the filled-in example and the tests)
APPLICANT: dict[str, Any] = {
    "imie_nazwisko": "Jan Kowalski",
    "organizacja": "Stowarzyszenie Przyjaciół Przykładowa",
    "krs": "0000123456",
    "email": "jan.kowalski@example.pl",
    "telefon": "tel. 601 234 567",
    "obszary": [1, 3],
    "doswiadczenie": "Od 2012 r. prowadzę projekty kulturalne dla dzieci i młodzieży; w latach "
    "2019–2023 oceniałem oferty w konkursach Gminy Oleśnica.",
    "data_zgloszenia": "20.01.2025",
    "bez_konfliktu": True,
    "zgoda_dane": True,
    "zgoda_publikacja": False,
}


def build_form(values: dict[str, Any] | None = None, tick: str = "☒") -> bytes:
    """The form as a DOCX; with ``values`` filled in the neat way (value cells, ticked boxes)."""
    v = values or {}
    document = docx.Document()
    document.add_paragraph("Załącznik nr 1 do ogłoszenia o naborze")
    document.add_paragraph("FORMULARZ ZGŁOSZENIOWY EKSPERTA")
    document.add_paragraph("I. Dane kandydata")
    table = document.add_table(rows=len(TEXT_ROWS), cols=2)
    table.style = "Table Grid"
    for row, (key, label) in zip(table.rows, TEXT_ROWS, strict=True):
        row.cells[0].text = label
        row.cells[1].text = v.get(key) or ""
    document.add_paragraph(
        "II. Obszar, w którym kandydat chce oceniać oferty (proszę zaznaczyć właściwe pole)"
    )
    for number, area in enumerate(AREAS, start=1):
        box = tick if number in (v.get("obszary") or []) else "☐"
        document.add_paragraph(f"{box} {number}. {area}")
    document.add_paragraph("III. Doświadczenie w ocenie projektów (maks. 1000 znaków)")
    cell = document.add_table(rows=1, cols=1)
    cell.style = "Table Grid"
    cell.rows[0].cells[0].text = v.get("doswiadczenie") or ""
    document.add_paragraph("IV. Oświadczenia")
    for key, text in STATEMENTS:
        document.add_paragraph(f"{tick if v.get(key) else '☐'} {text}")
    signature = document.add_table(rows=2, cols=2)
    signature.style = "Table Grid"
    signature.rows[0].cells[0].text = "Data zgłoszenia"
    signature.rows[0].cells[1].text = v.get("data_zgloszenia") or ""
    signature.rows[1].cells[0].text = "Podpis kandydata"
    signature.rows[1].cells[1].text = v.get("imie_nazwisko") or ""
    document.add_paragraph(
        "Informacja o przetwarzaniu danych osobowych: administratorem danych "
        "jest Wójt Gminy Przykładowo."
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    (HERE / "formularz-eksperta.docx").write_bytes(build_form())
    (HERE / "przyklad-wypelniony.docx").write_bytes(build_form(APPLICANT))


if __name__ == "__main__":
    main()
