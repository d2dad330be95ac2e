"""The list the Committee adopts: per position of the call's choice, the live accepted
applications.

A table per position of the choice (Lp. and the fields of ``[call.resolution] fields`` under
their export ``column``, or their label when the spec leaves the column at the key), then
everyone (with the positions each chose). Its words come from
``[call.resolution]`` (the line above, the heading, the heading of everyone) and the form spec
(the choice's label: "Grupa robocza nr 3", "Komisja tematyczna nr 3"). Written as XLSX
(XlsxWriter: a sheet per position and one with everyone, ready to print: title, frozen and
repeated header, autofilter, widths, row heights for wrapped text, print area, landscape A4
one page wide, page numbers), as DOCX (python-docx: the annex, a table per position whose
header row repeats on every page) and as CSV for Polish Excel. Corrected values are used.

Every value goes through :mod:`mailbot.sanitize`: control characters are dropped (a soft line
break becomes a line break, in DOCX a real one), and in the XLSX and CSV a value a spreadsheet
would read as a formula is prefixed with ``'``; the XLSX is written cell by cell with
``write_string`` / ``write_number`` and ``strings_to_formulas`` off, so no cell is a formula.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from copy import deepcopy
from dataclasses import dataclass
from typing import Any

import docx
import xlsxwriter
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from mailbot import form_roles
from mailbot.config import CallConfig
from mailbot.sanitize import clean_text, export_cell
from mailbot.storage import reports
from mailbot.storage.store import Store

_ALPHABET = "aąbcćdeęfghijklłmnńoóprsśtuvwxyzźż"
# each letter of the Polish alphabet to a private-use character in alphabet order, so that
# plain string comparison sorts ą after a, ł after l and ż last
_POLISH_ORDER = str.maketrans({c: chr(0xE000 + i) for i, c in enumerate(_ALPHABET)})
#: what Excel refuses in a sheet's name (and at most 31 characters)
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31
NUMBER_HEADER = "Lp."


def polish_key(text: str) -> str:
    """Sort key in Polish alphabetical order (ą after a, ł after l, ż last)."""
    return text.casefold().translate(_POLISH_ORDER)


@dataclass(frozen=True)
class Member:
    reference: str
    name: str  # the applicant's name (the form's name field)
    values: tuple[str, ...]  # the annex's fields, in its column order
    groups: tuple[int, ...]

    def sort_key(self) -> tuple[str, str, str]:
        parts = self.name.split()
        return polish_key(parts[-1] if parts else ""), polish_key(self.name), self.reference


@dataclass(frozen=True)
class GroupList:
    number: int | None  # None: everyone
    name: str
    title: str  # "Komisja tematyczna nr 3 – Ekologia …"; everyone: [call.resolution] everyone
    sheet: str  # the XLSX sheet's name
    members: tuple[Member, ...]


@dataclass(frozen=True)
class Annex:
    """The document's own words and columns (``[call.resolution]`` and the form spec)."""

    title: str
    heading: str
    call_name: str
    headers: tuple[str, ...]  # the annex fields' columns
    choice: str  # the choice's plural label: everyone's last column, the CSV's first

    @classmethod
    def of(cls, call: CallConfig) -> Annex:
        words = call.annex()
        spec = call.form
        headers = []
        for key in words.fields or ():
            f = spec.field(key)
            headers.append(form_roles.heading(f) if f is not None else key)
        return cls(
            title=words.title or "",
            heading=words.heading or "",
            call_name=call.name,
            headers=tuple(headers),
            choice=form_roles.choice_plural(spec),
        )

    def columns(self, everyone: bool) -> tuple[str, ...]:
        return (NUMBER_HEADER, *self.headers, *((self.choice,) if everyone else ()))


def members(store: Store, call: CallConfig, group: int | None = None) -> list[Member]:
    """Every live accepted application (of ``group`` when given), with the corrected values of
    the annex's fields, in Polish name order."""
    keys = tuple(call.annex().fields or ())
    name_key = form_roles.name_key(call.form)
    asked = keys if name_key is None or name_key in keys else (*keys, name_key)
    at = asked.index(name_key) if name_key is not None else None
    out = []
    for accepted in reports.accepted_values(store, asked, group):
        values = tuple(map(_text, accepted.values))
        out.append(
            Member(
                reference=accepted.reference or "",
                name=values[at] if at is not None else "",
                values=values[: len(keys)],
                groups=accepted.groups,
            )
        )
    out.sort(key=Member.sort_key)
    return out


def _text(value: object) -> str:
    """A stored value as the lists show it: XML-safe text (whatever an older version stored)."""
    if value is None:
        return ""
    return clean_text(str(value)).strip()


def sheet_names(call: CallConfig) -> dict[int | None, str]:
    """Each position's sheet ("Komisja tematyczna nr 3", cut to Excel's 31 characters, without
    the characters Excel refuses), and everyone's ("Wszyscy"); each name once."""
    spec = call.form
    out: dict[int | None, str] = {}
    taken: set[str] = set()
    wanted: list[tuple[int | None, str, str]] = [
        (g.number, form_roles.choice_label(spec), f" nr {g.number}") for g in call.groups
    ]
    wanted.append((None, "Wszyscy", ""))
    for number, stem, tail in wanted:
        stem = " ".join(_SHEET_FORBIDDEN.sub(" ", stem).split()).strip("'") or "Lista"
        name = stem[: SHEET_NAME_MAX - len(tail)].rstrip() + tail
        n = 2
        while name.casefold() in taken:
            suffix = f" ({n})"
            name = stem[: SHEET_NAME_MAX - len(tail) - len(suffix)].rstrip() + tail + suffix
            n += 1
        taken.add(name.casefold())
        out[number] = name
    return out


def resolution_lists(store: Store, call: CallConfig, group: int | None = None) -> list[GroupList]:
    """A list per position of the call's choice (only ``group`` when given), then everyone."""
    people = members(store, call, group)
    sheets = sheet_names(call)
    lists = [
        GroupList(
            g.number,
            g.name,
            form_roles.titled(call.form, g.number, g.name),
            sheets[g.number],
            tuple(m for m in people if g.number in m.groups),
        )
        for g in call.groups
        if group is None or g.number == group
    ]
    if group is None:
        everyone = call.annex().everyone or ""
        lists.append(GroupList(None, everyone, everyone, sheets[None], tuple(people)))
    return lists


def group_sizes(store: Store, numbers: Sequence[int]) -> dict[int, int]:
    """How many live accepted applications each of these groups has (one pass)."""
    return reports.accepted_group_sizes(store, numbers)


def _row(position: int, m: Member, everyone: bool) -> list[str | int]:
    row: list[str | int] = [position, *m.values]
    if everyone:
        row.append(", ".join(str(n) for n in m.groups))
    return row


def _write_row(sheet: Any, row: int, values: Sequence[str | int], fmt: Any) -> None:
    """Each cell as what it is: a number, or a string that stays a string (never a formula,
    a link or a number read from text)."""
    for col, value in enumerate(values):
        cell = export_cell(value)
        if isinstance(cell, str):
            sheet.write_string(row, col, cell, fmt)
        else:
            sheet.write_number(row, col, cell, fmt)


#: points of one line of the list's 10-point text, and of the 13-point title
LINE_HEIGHT = 13.5
TITLE_LINE_HEIGHT = 17.5
#: a column is as wide as its longest line, within these (in characters)
MIN_WIDTH, MAX_WIDTH = 8, 45


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` takes wrapped in a column ``width`` characters wide (a little
    narrower: a proportional font's letters are not all as wide as the "0" Excel measures)."""
    usable = max(width - 1.5, 1.0)
    return sum(max(1, math.ceil(len(line) / usable)) for line in str(text).split("\n"))


def _widths(columns: Sequence[str], rows: Sequence[Sequence[str | int]]) -> list[float]:
    widths = []
    for col, header in enumerate(columns):
        longest = max(
            [len(w) for w in header.split()]
            + [len(line) for r in rows for line in str(r[col]).split("\n")],
            default=0,
        )
        widths.append(float(min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)))
    if columns and columns[0] == NUMBER_HEADER:
        widths[0] = float(max(5, len(str(len(rows))) + 2))
    return widths


def _height(values: Sequence[str | int], widths: Sequence[float], line: float) -> float:
    return line * max(_lines(str(v), w) for v, w in zip(values, widths, strict=True))


def resolution_xlsx(lists: list[GroupList], call: CallConfig) -> bytes:
    annex = Annex.of(call)
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
    title_fmt = book.add_format({"bold": True, "font_size": 13, "text_wrap": True, "valign": "top"})
    head = book.add_format(
        {
            "bold": True,
            "font_size": 10,
            "bg_color": "#DDE4EE",
            "border": 1,
            "text_wrap": True,
            "valign": "top",
        }
    )
    cell = book.add_format({"font_size": 10, "text_wrap": True, "valign": "top", "border": 1})
    for gl in lists:
        everyone = gl.number is None
        columns = annex.columns(everyone)
        rows = [_row(i, m, everyone) for i, m in enumerate(gl.members, start=1)]
        widths = _widths(columns, rows)
        sheet = book.add_worksheet(gl.sheet)
        last_col = len(columns) - 1
        # the title over the table's whole width, wrapped: it prints with the table
        sheet.merge_range(0, 0, 0, last_col, "", title_fmt)
        sheet.write_string(0, 0, export_cell(clean_text(gl.title)), title_fmt)
        sheet.set_row(0, _height([gl.title], [sum(widths) * 0.8], TITLE_LINE_HEIGHT))
        _write_row(sheet, 1, columns, head)
        sheet.set_row(1, _height(columns, widths, LINE_HEIGHT))
        for i, values in enumerate(rows, start=1):
            _write_row(sheet, 1 + i, values, cell)
            sheet.set_row(1 + i, _height(values, widths, LINE_HEIGHT))
        for col, width in enumerate(widths):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(2, 0)
        sheet.autofilter(1, 0, 1 + len(rows), last_col)
        # printing: the table and its title, landscape A4 one page wide, the header row on
        # every page, page numbers below
        sheet.print_area(0, 0, 1 + len(rows), last_col)
        sheet.repeat_rows(1)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        sheet.set_footer("&CStrona &P z &N")
        sheet.center_horizontally()
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


#: the annex's page: A4, 2 cm margins, so 17 cm for a table
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0


#: centimetres of one character of the 10-point text (bold headers a little wider), and of a
#: cell's padding
CHAR_CM, BOLD_CHAR_CM, PADDING_CM = 0.19, 0.25, 0.4


def _column_widths(columns: Sequence[str], rows: Sequence[Sequence[str | int]]) -> list[Any]:
    """The table's column widths on the page: each at least as wide as its header's longest
    word (never broken inside a word), the rest of the page shared in proportion to how much
    wider each column's text would like to be (as in the XLSX)."""
    usable = PAGE_WIDTH_CM - 2 * MARGIN_CM
    least = [
        max(len(w) for w in (header.split() or [""])) * BOLD_CHAR_CM + PADDING_CM
        for header in columns
    ]
    wanted = [
        max(low, chars * CHAR_CM + PADDING_CM)
        for low, chars in zip(least, _widths(columns, rows), strict=True)
    ]
    if sum(least) >= usable:
        widths = [usable * low / sum(least) for low in least]
    elif sum(wanted) <= usable:
        widths = [usable * w / sum(wanted) for w in wanted]
    else:
        share = (usable - sum(least)) / (sum(wanted) - sum(least))
        widths = [low + (w - low) * share for low, w in zip(least, wanted, strict=True)]
    return [Cm(w) for w in widths]


def _set_widths(row: Any, widths: Sequence[Any]) -> None:
    for c, width in zip(row.cells, widths, strict=True):
        c.width = width


def _append_rows(table: Any, rows: list[list[str | int]], widths: Sequence[Any]) -> None:
    """Add rows by copying one row's XML (python-docx's add_row + cells is quadratic)."""
    if not rows:
        return
    template = table.add_row()
    _set_widths(template, widths)
    for c in template.cells:
        c.text = "-"
    tr = template._tr
    tbl = table._tbl
    tbl.remove(tr)
    for values in rows:
        new = deepcopy(tr)
        for text, value in zip(list(new.iter(qn("w:t"))), values, strict=True):
            _set_text(text, value)
        tbl.append(new)


def resolution_docx(lists: list[GroupList], call: CallConfig) -> bytes:
    annex = Annex.of(call)
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    style = document.styles["Normal"]
    style.font.name = "Calibri"  # type: ignore[attr-defined]
    style.font.size = Pt(10)  # type: ignore[attr-defined]
    if annex.title:
        line = document.add_paragraph(clean_text(annex.title))
        line.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_heading(clean_text(annex.heading), level=1)
    document.add_paragraph(clean_text(annex.call_name))
    for gl in lists:
        everyone = gl.number is None
        columns = annex.columns(everyone)
        document.add_heading(clean_text(gl.title), level=2)
        rows = [_row(i, m, everyone) for i, m in enumerate(gl.members, start=1)]
        widths = _column_widths(columns, rows)
        table = document.add_table(rows=1, cols=len(columns))
        table.style = "Table Grid"
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width
        _set_widths(table.rows[0], widths)
        for c, text in zip(table.rows[0].cells, columns, strict=True):
            c.text = clean_text(text)
            for run in c.paragraphs[0].runs:
                run.bold = True
        _repeat_header(table.rows[0])
        _append_rows(table, rows, widths)
        if not gl.members:
            document.add_paragraph("(brak przyjętych zgłoszeń)")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def resolution_csv(lists: list[GroupList], call: CallConfig) -> str:
    """The lists for Polish Excel: ``;``, UTF-8 with BOM, CRLF; the position first."""
    annex = Annex.of(call)
    label = form_roles.choice_label(call.form)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([export_cell(v) for v in (label, *annex.columns(everyone=False))])
    for gl in lists:
        if gl.number is None:
            continue
        for i, m in enumerate(gl.members, start=1):
            values = [f"{gl.number}. {gl.name}", *_row(i, m, everyone=False)]
            writer.writerow([export_cell(v) for v in values])
    return "\ufeff" + buffer.getvalue()
