"""The list the Committee adopts: per working group, the live accepted applications.

"Skład grup roboczych zostaje przyjęty w drodze uchwały Komitetu": a table per group (Lp., imię i
nazwisko, podmiot, rodzaj podmiotu, stanowisko), then everyone. Written as XLSX (XlsxWriter: a
sheet per group and one with everyone, frozen header, autofilter, widths), as DOCX (python-docx:
the annex "Skład grup roboczych", a table per group whose header row repeats on every page) and
as CSV for Polish Excel. Corrected values are used.

Every value goes through :mod:`mailbot.sanitize`: control characters are dropped (a soft line
break becomes a line break, in DOCX a real one), and in the XLSX and CSV a value a spreadsheet
would read as a formula is prefixed with ``'``; the XLSX is written cell by cell with
``write_string`` / ``write_number`` and ``strings_to_formulas`` off, so no cell is a formula.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import docx
import xlsxwriter
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from mailbot.config import CallConfig
from mailbot.sanitize import clean_text, export_cell
from mailbot.storage import reports
from mailbot.storage.store import Store

COLUMNS = ("Lp.", "Imię i nazwisko", "Podmiot", "Rodzaj podmiotu", "Stanowisko")
ALL_COLUMNS = (*COLUMNS, "Grupy")
_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
# each letter of the Polish alphabet to a private-use character in alphabet order, so that
# plain string comparison sorts ą after a, ł after l and ż last
_POLISH_ORDER = str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(_ALPHABET)})


def polish_key(text: str) -> str:
    """Sort key in Polish alphabetical order (ą after a, ł after l, ż last)."""
    return text.casefold().translate(_POLISH_ORDER)


@dataclass(frozen=True)
class Member:
    reference: str
    full_name: str
    organisation: str
    organisation_type: str
    position: str
    groups: tuple[int, ...]

    def sort_key(self) -> tuple[str, str]:
        parts = self.full_name.split()
        return polish_key(parts[-1] if parts else ""), polish_key(self.full_name)


@dataclass(frozen=True)
class GroupList:
    number: int | None  # None: everyone
    name: str
    members: tuple[Member, ...]

    @property
    def title(self) -> str:
        if self.number is None:
            return self.name
        return f"Grupa robocza nr {self.number} – {self.name}"


def members(store: Store, group: int | None = None) -> list[Member]:
    """Every live accepted application (of ``group`` when given), with its corrected values,
    in Polish name order."""
    out = []
    # the small summary the triggers keep (corrected values), not the whole JSON of the form
    for accepted in reports.accepted_summaries(store, group):
        v = json.loads(accepted.summary or "{}")
        out.append(
            Member(
                reference=accepted.reference or "",
                full_name=_text(v.get("full_name")),
                organisation=_text(v.get("organisation")),
                organisation_type=_text(v.get("organisation_type")),
                position=_text(v.get("position")),
                groups=tuple(_groups(v.get("groups"))),
            )
        )
    return sorted(out, key=Member.sort_key)


def _text(value: object) -> str:
    """A stored value as the lists show it: XML-safe text (whatever an older version stored)."""
    return clean_text(str(value or "")).strip()


def _groups(value: object) -> list[int]:
    numbers = value if isinstance(value, list) else []
    return [int(n) for n in numbers if isinstance(n, int) or (isinstance(n, str) and n.isdigit())]


def resolution_lists(store: Store, call: CallConfig, group: int | None = None) -> list[GroupList]:
    """A list per group of the call (only ``group`` when given), then everyone."""
    people = members(store, group)
    lists = [
        GroupList(g.number, g.name, tuple(m for m in people if g.number in m.groups))
        for g in call.groups
        if group is None or g.number == group
    ]
    if group is None:
        lists.append(GroupList(None, "Wszyscy", tuple(people)))
    return lists


def group_sizes(store: Store, numbers: Sequence[int]) -> dict[int, int]:
    """How many live accepted applications each of these groups has (one pass)."""
    return reports.accepted_group_sizes(store, numbers)


def _row(position: int, m: Member) -> list[str | int]:
    return [position, m.full_name, m.organisation, m.organisation_type, m.position]


def _write_row(sheet: Any, row: int, values: Sequence[str | int], fmt: Any) -> None:
    """Each cell as what it is: a number, or a string that stays a string (never a formula,
    a link or a number read from text)."""
    for col, value in enumerate(values):
        cell = export_cell(value)
        if isinstance(cell, str):
            sheet.write_string(row, col, cell, fmt)
        else:
            sheet.write_number(row, col, cell, fmt)


def resolution_xlsx(lists: list[GroupList]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format(
        {"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True, "valign": "top"}
    )
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    widths = (5, 28, 40, 24, 30, 12)
    for gl in lists:
        name = f"Grupa {gl.number}" if gl.number is not None else "Wszyscy"
        sheet = book.add_worksheet(name)
        columns = ALL_COLUMNS if gl.number is None else COLUMNS
        sheet.write_string(0, 0, export_cell(gl.title), title)
        _write_row(sheet, 1, columns, head)
        for i, m in enumerate(gl.members, start=1):
            values = _row(i, m)
            if gl.number is None:
                values.append(", ".join(str(n) for n in m.groups))
            _write_row(sheet, 1 + i, values, cell)
        for col, width in enumerate(widths[: len(columns)]):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(2, 0)
        sheet.autofilter(1, 0, 1 + len(gl.members), len(columns) - 1)
        sheet.repeat_rows(1)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
    book.close()
    return buffer.getvalue()


def _repeat_header(row: object) -> None:
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _set_text(text_element: Any, value: str | int) -> None:
    """The text of a cell's ``w:t``: XML-safe, each line break a real one (``w:br``)."""
    lines = clean_text(str(value)).split("\n")
    text_element.text = lines[0]
    run = text_element.getparent()
    at = run.index(text_element)
    for line in lines[1:]:
        br = OxmlElement("w:br")
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        run.insert(at + 1, br)
        run.insert(at + 2, t)
        at += 2


def _append_rows(table: Any, rows: list[list[str | int]]) -> None:
    """Add rows by copying one row's XML (python-docx's add_row + cells is quadratic)."""
    if not rows:
        return
    template = table.add_row()
    for cell in template.cells:
        cell.text = "-"
    tr = template._tr
    tbl = table._tbl
    tbl.remove(tr)
    for values in rows:
        new = deepcopy(tr)
        for text, value in zip(list(new.iter(qn("w:t"))), values, strict=True):
            _set_text(text, value)
        tbl.append(new)


def resolution_docx(lists: list[GroupList], call: CallConfig) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[attr-defined]
    style.font.size = Pt(10)  # type: ignore[attr-defined]
    annex = document.add_paragraph("Załącznik do uchwały Komitetu")
    annex.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_heading("Skład grup roboczych", level=1)
    document.add_paragraph(clean_text(call.name))
    for gl in lists:
        columns = ALL_COLUMNS if gl.number is None else COLUMNS
        document.add_heading(
            clean_text(gl.title) if gl.number is not None else "Wszyscy członkowie grup roboczych",
            level=2,
        )
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header(table.rows[0])
        rows = []
        for i, m in enumerate(gl.members, start=1):
            values = _row(i, m)
            if gl.number is None:
                values.append(", ".join(str(n) for n in m.groups))
            rows.append(values)
        _append_rows(table, rows)
        if not gl.members:
            document.add_paragraph("(brak przyjętych zgłoszeń)")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resolution_csv(lists: list[GroupList]) -> str:
    """The lists for Polish Excel: ``;``, UTF-8 with BOM, CRLF; a group column first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Grupa", *COLUMNS])
    for gl in lists:
        if gl.number is None:
            continue
        for i, m in enumerate(gl.members, start=1):
            writer.writerow([export_cell(v) for v in [f"{gl.number}. {gl.name}", *_row(i, m)]])
    return "\ufeff" + buffer.getvalue()
