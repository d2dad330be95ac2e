"""The list the Committee adopts: per working group, the live accepted applications.

"Skład grup roboczych zostaje przyjęty w drodze uchwały Komitetu": a table per group (Lp., imię i
nazwisko, podmiot, rodzaj podmiotu, stanowisko), then everyone. Written as XLSX (XlsxWriter: a
sheet per group and one with everyone, frozen header, autofilter, widths), as DOCX (python-docx:
the annex "Skład grup roboczych", a table per group whose header row repeats on every page) and
as CSV for Polish Excel. Corrected values are used.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import docx
import xlsxwriter
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from .config import CallConfig
from .review import effective_fields
from .store import Store

COLUMNS = ("Lp.", "Imię i nazwisko", "Podmiot", "Rodzaj podmiotu", "Stanowisko")
ALL_COLUMNS = (*COLUMNS, "Grupy")
_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"


def polish_key(text: str) -> tuple[int, ...]:
    """Sort key in Polish alphabetical order (ą after a, ł after l, ż last)."""
    return tuple(_ALPHABET.index(c) if c in _ALPHABET else 100 + ord(c)
                 for c in text.casefold())


@dataclass(frozen=True)
class Member:
    reference: str
    full_name: str
    organisation: str
    organisation_type: str
    position: str
    groups: tuple[int, ...]

    def sort_key(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
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


def members(store: Store) -> list[Member]:
    """Every live accepted application, with its corrected values, in Polish name order."""
    out = []
    for row in store.db.query(
            "SELECT reference, fields, corrected FROM applications "
            "WHERE status = 'accepted' AND superseded = 0"):
        f = effective_fields(row)
        out.append(Member(
            reference=row["reference"] or "", full_name=str(f.get("full_name") or "").strip(),
            organisation=str(f.get("organisation") or "").strip(),
            organisation_type=str(f.get("organisation_type") or "").strip(),
            position=str(f.get("position") or "").strip(),
            groups=tuple(int(n) for n in f.get("groups") or [])))
    return sorted(out, key=Member.sort_key)


def resolution_lists(store: Store, call: CallConfig, group: int | None = None) -> list[GroupList]:
    """A list per group of the call (only ``group`` when given), then everyone."""
    people = members(store)
    lists = [GroupList(g.number, g.name, tuple(m for m in people if g.number in m.groups))
             for g in call.groups if group is None or g.number == group]
    if group is None:
        lists.append(GroupList(None, "Wszyscy", tuple(people)))
    return lists


def _row(position: int, m: Member) -> list[str | int]:
    return [position, m.full_name, m.organisation, m.organisation_type, m.position]


def resolution_xlsx(lists: list[GroupList]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    head = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1,
                            "text_wrap": True, "valign": "top"})
    cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
    widths = (5, 28, 40, 24, 30, 12)
    for gl in lists:
        name = f"Grupa {gl.number}" if gl.number is not None else "Wszyscy"
        sheet = book.add_worksheet(name)
        columns = ALL_COLUMNS if gl.number is None else COLUMNS
        sheet.write(0, 0, gl.title, title)
        sheet.write_row(1, 0, columns, head)
        for i, m in enumerate(gl.members, start=1):
            values = _row(i, m)
            if gl.number is None:
                values.append(", ".join(str(n) for n in m.groups))
            sheet.write_row(1 + i, 0, values, cell)
        for col, width in enumerate(widths[:len(columns)]):
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


def resolution_docx(lists: list[GroupList], call: CallConfig) -> bytes:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[attr-defined]
    style.font.size = Pt(10)  # type: ignore[attr-defined]
    annex = document.add_paragraph("Załącznik do uchwały Komitetu")
    annex.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_heading("Skład grup roboczych", level=1)
    document.add_paragraph(call.name)
    for gl in lists:
        columns = ALL_COLUMNS if gl.number is None else COLUMNS
        document.add_heading(gl.title if gl.number is not None
                             else "Wszyscy członkowie grup roboczych", level=2)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, columns, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        _repeat_header(table.rows[0])
        for i, m in enumerate(gl.members, start=1):
            cells = table.add_row().cells
            values = _row(i, m)
            if gl.number is None:
                values.append(", ".join(str(n) for n in m.groups))
            for cell, value in zip(cells, values, strict=True):
                cell.text = str(value)
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
            writer.writerow([f"{gl.number}. {gl.name}", *_row(i, m)])
    return "\ufeff" + buffer.getvalue()
