"""Other bodies' documents as the secretariat receives them, built at test time.

Forms of a training, the Rada Pożytku, a contest, the PES database, a patronage request, a
ministry report (python-docx), and small PDF files: printed text (Helvetica with the Polish
letters given by a /Differences encoding) and fillable forms (an AcroForm of text fields and
check boxes). None of them is the call's form; several share its common labels.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import docx

from mailbot.ops.samples import pdf_from_objects

#: Polish letters outside WinAnsi, placed at codes 128-143 by the font's /Differences
_POLISH = "ąćęłńśźżĄĆĘŁŃŚŹŻ"
_GLYPHS = (
    "/aogonek /cacute /eogonek /lslash /nacute /sacute /zacute /zdotaccent "
    "/Aogonek /Cacute /Eogonek /Lslash /Nacute /Sacute /Zacute /Zdotaccent"
)
_FONT = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
    b"/BaseEncoding /WinAnsiEncoding /Differences [128 " + _GLYPHS.encode() + b"] >> >>"
)


def docx_form(
    heading: str,
    title: str,
    rows: Sequence[tuple[str, str]],
    sections: Sequence[tuple[str, str]] = (),
    statements: Sequence[tuple[str, bool]] = (),
    footer: str = "",
) -> bytes:
    """A Word form: a heading, a title, a two-column table of labels and values, free-text
    sections (heading, text) and ticked or empty statements."""
    document = docx.Document()
    document.add_paragraph(heading)
    document.add_heading(title, level=1)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text = label
        cells[1].text = value
    for name, text in sections:
        document.add_heading(name, level=2)
        document.add_paragraph(text)
    for text, ticked in statements:
        document.add_paragraph(("☒ " if ticked else "☐ ") + text)
    if footer:
        document.add_paragraph(footer)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_text(*paragraphs: str) -> bytes:
    """A plain Word document: minutes, a report, a draft resolution."""
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf_string(text: str) -> bytes:
    out = bytearray()
    for ch in text:
        if ch in _POLISH:
            out.append(128 + _POLISH.index(ch))
        elif ch in "()\\":
            out += b"\\" + ch.encode()
        else:
            out += ch.encode("cp1252", "replace")
    return b"(" + bytes(out) + b")"


def pdf_text(lines: Sequence[str], size: int = 10) -> bytes:
    """A printed PDF: the lines top to bottom on A4 pages, 60 lines a page."""
    pages = [lines[i : i + 60] for i in range(0, max(len(lines), 1), 60)]
    objects: list[bytes] = [b"", b"", _FONT]  # catalogue, pages, font
    kids = []
    for page_lines in pages:
        stream = b"BT /F1 %d Tf 50 800 Td 13 TL " % size
        stream += b"".join(_pdf_string(line) + b" Tj T* " for line in page_lines) + b"ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    return pdf_from_objects(objects)


def _utf16(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_fillable(
    lines: Sequence[str],
    fields: Sequence[tuple[str, str, str]],
    boxes: Sequence[tuple[str, str, bool]] = (),
) -> bytes:
    """A fillable PDF: printed lines at the top, then per (name, label, value) a printed label
    with its text field, and per (name, label, ticked) a check box with its statement, as an
    office's form designer exports them."""
    objects: list[bytes] = [b"", b"", _FONT, b""]  # catalogue, pages, font, page
    stream = b"BT /F1 10 Tf 50 800 Td 13 TL "
    stream += b"".join(_pdf_string(line) + b" Tj T* " for line in lines) + b"ET "
    annots = []
    widgets = []
    y = 780 - 13 * len(lines)
    for name, label, value in fields:
        stream += b"BT /F1 9 Tf 50 %d Td " % (y + 4) + _pdf_string(label) + b" Tj ET "
        widgets.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Tx /F 4 /P 4 0 R /T "
            + _pdf_string(name)
            + b" /TU "
            + _utf16(label)
            + b" /V "
            + _utf16(value)
            + b" /DA (/Helv 10 Tf 0 g) /Rect [250 %d 545 %d] >>" % (y, y + 16)
        )
        y -= 22
    for name, label, ticked in boxes:
        state = b"/Yes" if ticked else b"/Off"
        stream += b"BT /F1 9 Tf 70 %d Td " % (y + 2) + _pdf_string(label) + b" Tj ET "
        widgets.append(
            b"<< /Type /Annot /Subtype /Widget /FT /Btn /F 4 /P 4 0 R /T "
            + _pdf_string(name)
            + b" /V "
            + state
            + b" /AS "
            + state
            + b" /Rect [50 %d 62 %d] >>" % (y, y + 12)
        )
        y -= 18
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    for widget in widgets:
        objects.append(widget)
        annots.append(b"%d 0 R" % len(objects))
    refs = b" ".join(annots)
    objects[0] = (
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [" + refs + b"] "
        b"/NeedAppearances true /DA (/Helv 10 Tf 0 g) /DR << /Font << /Helv 3 0 R >> >> >> >>"
    )
    objects[1] = b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>"
    objects[3] = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font "
        b"<< /F1 3 0 R >> >> /Contents 5 0 R /Annots [" + refs + b"] >>"
    )
    return pdf_from_objects(objects)


def xlsx_like(rows: Sequence[Sequence[str]]) -> bytes:
    """A report as a semicolon CSV (what offices attach as "zestawienie.csv")."""
    return "\r\n".join(";".join(r) for r in rows).encode("utf-8-sig")
