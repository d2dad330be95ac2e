"""Variants of the filled form the way real applicants produce them (examiner's set): edits of
a DOCX built by ``formbuilder``, hand-written PDFs (flattened fillable, OCR layer over an image,
radio groups) and images. Each builder returns the file's bytes; the tests know what must be read.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import formbuilder as fb
from formbuilder import el, p, r, w
from lxml import etree

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
LABELS = {
    "full_name": "Imię i nazwisko",
    "organisation": "Nazwa reprezentowanego podmiotu / instytucji",
    "organisation_type": "Rodzaj podmiotu (np. CIS, KIS, ZAZ, WTZ, ŚDS, spółdzielnia socjalna, "
    "organizacja pozarządowa, JST, inny)",
    "position": "Stanowisko / pełniona funkcja",
    "address": "Adres do korespondencji",
    "email": "Adres e-mail",
    "phone": "Telefon kontaktowy",
    "place_and_date": "Miejscowość i data",
}


def edit_docx(
    data: bytes,
    edit: Callable[[etree._Element], None],
    parts: dict[str, Callable[[bytes], bytes]] | None = None,
) -> bytes:
    """``data`` with ``edit`` applied to word/document.xml (and ``parts`` to other members)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    parts = parts or {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "word/document.xml":
                root = etree.fromstring(body)
                edit(root)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            elif item.filename in parts:
                body = parts[item.filename](body)
            zout.writestr(item, body)
    return out.getvalue()


def body_of(root: etree._Element) -> etree._Element:
    body = root.find(w("body"))
    assert body is not None
    return body


def tables(root: etree._Element) -> list[etree._Element]:
    return body_of(root).findall(w("tbl"))


def text_of(e: etree._Element) -> str:
    return "".join(x.text or "" for x in e.iter(w("t")))


def rows(tbl: etree._Element) -> list[etree._Element]:
    return tbl.findall(w("tr"))


def cells(tr: etree._Element) -> list[etree._Element]:
    return tr.findall(w("tc"))


def set_cell(tc: etree._Element, *paras: etree._Element) -> None:
    for old in tc.findall(w("p")):
        tc.remove(old)
    for para in paras or (p(),):
        tc.append(para)


def row_of(root: etree._Element, key: str) -> etree._Element:
    label = LABELS[key]
    for tbl in tables(root):
        for tr in rows(tbl):
            tcs = cells(tr)
            if tcs and text_of(tcs[0]).strip().rstrip(":").strip() == label:
                return tr
    raise KeyError(key)


def box_paras(root: etree._Element) -> list[etree._Element]:
    """The group and statement paragraphs (in form order)."""
    out = []
    for para in body_of(root).findall(w("p")):
        text = text_of(para)
        if any(
            text.lstrip("☒☐ ").startswith(x)
            for x in ("1.", "2.", "3.", "4.", "5.", "Oświadczam", "Wyrażam")
        ):
            out.append(para)
    return out


def replace_runs(para: etree._Element, *runs: etree._Element) -> None:
    for child in list(para):
        if child.tag != w("pPr"):
            para.remove(child)
    for run in runs:
        para.append(run)


def box_text(para: etree._Element) -> tuple[bool, str]:
    text = text_of(para)
    return text.startswith("☒"), text.lstrip("☒☐ ")


# --- table edits ----------------------------------------------------------------------------


def label_colon_next_cell(root: etree._Element) -> None:
    """Every label cell ends with ":" (value still in the next cell)."""
    for key in LABELS:
        tc = cells(row_of(root, key))[0]
        tc.findall(w("p"))[-1].append(r(":"))


def label_tab_value(root: etree._Element) -> None:
    """The value typed into the label cell after a tab (the value cell left empty)."""
    for key in ("full_name", "position", "email", "phone", "place_and_date"):
        label_tc, value_tc = cells(row_of(root, key))
        value = text_of(value_tc)
        set_cell(label_tc, p(r(LABELS[key]), r(None, el("tab")), r(value)))
        set_cell(value_tc)


def inline_paragraphs(root: etree._Element) -> None:
    """The personal-data table retyped as paragraphs "Label: value" (one line each; the
    address's second line a paragraph of its own)."""
    body = body_of(root)
    tbl = tables(root)[0]
    idx = list(body).index(tbl)
    new = []
    for tr in rows(tbl):
        label_tc, value_tc = cells(tr)
        lines = [text_of(x) for x in value_tc.findall(w("p"))]
        new.append(p(r(text_of(label_tc) + ": " + (lines[0] if lines else ""))))
        new += [p(r(x)) for x in lines[1:]]
    body.remove(tbl)
    for k, para in enumerate(new):
        body.insert(idx + k, para)


def table_to_text(root: etree._Element) -> None:
    """Word's "Convert table to text" (tabs) for the personal data and the place/date table."""
    body = body_of(root)
    for n in (0, 2):
        tbl = tables(root)[0 if n == 0 else 1]
        idx = list(body).index(tbl)
        new = []
        for tr in rows(tbl):
            label_tc, value_tc = cells(tr)
            lines = [text_of(x) for x in value_tc.findall(w("p"))] or [""]
            new.append(p(r(text_of(label_tc)), r(None, el("tab")), r(lines[0])))
            new += [p(r(x)) for x in lines[1:]]
        body.remove(tbl)
        for k, para in enumerate(new):
            body.insert(idx + k, para)


def extra_empty_rows(root: etree._Element) -> None:
    """An empty row after every row of the personal data (the applicant pressed Tab)."""
    tbl = tables(root)[0]
    for tr in rows(tbl):
        blank = copy.deepcopy(tr)
        for tc in cells(blank):
            set_cell(tc)
        tr.addnext(blank)


def rows_reordered(root: etree._Element) -> None:
    tbl = tables(root)[0]
    trs = rows(tbl)
    for tr in trs:
        tbl.remove(tr)
    for tr in reversed(trs):
        tbl.append(tr)


def phone_row_deleted(root: etree._Element) -> None:
    tr = row_of(root, "phone")
    tr.getparent().remove(tr)


def merged_value_cell(root: etree._Element) -> None:
    """The value cell spans two grid columns (gridSpan) and the label cell is merged down
    over two rows holding the address's two lines (vMerge)."""
    tr = row_of(root, "address")
    label_tc, value_tc = cells(tr)
    paras = value_tc.findall(w("p"))
    tcpr = el("tcPr", el("vMerge", val="restart"))
    label_tc.insert(0, tcpr)
    set_cell(value_tc, paras[0])
    second = el("tr", el("tc", el("tcPr", el("vMerge")), p()), el("tc", paras[1]))
    tr.addnext(second)
    name_value = cells(row_of(root, "full_name"))[1]
    name_value.insert(0, el("tcPr", el("gridSpan", val="2")))


def address_three_rows(root: etree._Element) -> None:
    """The address over three lines in the value cell."""
    value_tc = cells(row_of(root, "address"))[1]
    set_cell(
        value_tc,
        p(r("Ośrodek Pomocy Społecznej")),
        p(r("ul. Żółkiewskiego 7/3")),
        p(r("58-500 Jelenia Góra")),
    )


def label_inside_value(root: etree._Element) -> None:
    """The applicant repeated the label inside the value cells ("Telefon: …", "E-mail: …")."""
    set_cell(cells(row_of(root, "phone"))[1], p(r("Telefon: +48 600 700 800")))
    set_cell(cells(row_of(root, "email"))[1], p(r("e-mail: zazolc.jazn@example.pl")))
    set_cell(cells(row_of(root, "full_name"))[1], p(r("Imię i nazwisko: Zażółć Gęślą-Jaźń")))


def phone_tel_prefix(root: etree._Element) -> None:
    set_cell(cells(row_of(root, "phone"))[1], p(r("tel. +48 600 700 800")))


def not_applicable(root: etree._Element) -> None:
    """ "Nie dotyczy" typed as the position, "—" as the phone, "-" as the organisation type."""
    set_cell(cells(row_of(root, "position"))[1], p(r("Nie dotyczy")))
    set_cell(cells(row_of(root, "phone"))[1], p(r("—")))
    set_cell(cells(row_of(root, "organisation_type"))[1], p(r("-")))


def mailto_display_text(root: etree._Element) -> None:
    """The e-mail as a hyperlink (mailto:) whose shown text is not the address."""
    tc = cells(row_of(root, "email"))[1]
    link = el("hyperlink", r("napisz do mnie"))
    link.set(f"{{{R_NS}}}id", "rIdMail77")
    set_cell(tc, p(link))


def mailto_display_address(root: etree._Element) -> None:
    """Word's automatic hyperlink: the shown text is the address itself."""
    tc = cells(row_of(root, "email"))[1]
    link = el("hyperlink", r("zazolc.jazn@example.pl"))
    link.set(f"{{{R_NS}}}id", "rIdMail77")
    set_cell(tc, p(link))


def add_mail_rel(rels: bytes) -> bytes:
    rel = (
        b'<Relationship Id="rIdMail77" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/hyperlink" Target="mailto:zazolc.jazn@example.pl"'
        b' TargetMode="External"/>'
    )
    return rels.replace(b"</Relationships>", rel + b"</Relationships>")


# --- ticks ----------------------------------------------------------------------------------


def ticks_as(
    mark_on: str, mark_off: str = "☐", font: str | None = None, separate_bold: bool = False
) -> Callable[[etree._Element], None]:
    def edit(root: etree._Element) -> None:
        for para in box_paras(root):
            on, rest = box_text(para)
            mark = mark_on if on else mark_off
            if separate_bold and on:
                replace_runs(para, r(mark, bold=True), r(" " + rest))
            elif mark:
                replace_runs(para, r(mark, font=font), r(" " + rest))
            else:
                replace_runs(para, r(rest))

    return edit


def highlighted_only(root: etree._Element) -> None:
    """No group ticked: the chosen groups only highlighted and underlined (not a tick)."""
    for para in box_paras(root):
        on, rest = box_text(para)
        if not rest[:1].isdigit():
            continue
        run = r("☐ " + rest)
        if on:
            rpr = el("rPr", el("u", val="single"), el("highlight", val="yellow"))
            run.insert(0, rpr)
        replace_runs(para, run)


def chosen_group_line(root: etree._Element) -> None:
    """No box ticked; below the groups the applicant wrote "Wybrana grupa: 2 i 5"."""
    paras = box_paras(root)
    for para in paras:
        rest = box_text(para)[1]
        if rest[:1].isdigit():
            replace_runs(para, r("☐ " + rest))
    last_group = [x for x in paras if box_text(x)[1][:1].isdigit()][-1]
    last_group.addnext(p(r("Wybrana grupa: 2 i 5")))


def box_font_changed(root: etree._Element) -> None:
    """The empty boxes retyped in another font (MS Gothic), ticks as ☒ in Segoe UI Symbol."""
    ticks_as("☒", "☐", font="MS Gothic")(root)


def groups_in_table(root: etree._Element, box_right: bool = False) -> None:
    """The groups and statements as a two-column table: box cell + text cell."""
    body = body_of(root)
    paras = box_paras(root)
    groups = [x for x in paras if box_text(x)[1][:1].isdigit()]
    for block in (groups, [x for x in paras if x not in groups]):
        tbl = el("tbl")
        block[0].addprevious(tbl)
        for para in block:
            on, rest = box_text(para)
            mark = "X" if on else ""
            box_tc = el("tc", p(r(mark)) if mark else p())
            text_tc = el("tc", p(r(rest)))
            tbl.append(el("tr", text_tc, box_tc) if box_right else el("tr", box_tc, text_tc))
            body.remove(para)


def statements_yes_no(root: etree._Element) -> None:
    """The statements answered by replacing ☐ with "TAK" / "NIE"."""
    for para in box_paras(root):
        on, rest = box_text(para)
        if not rest[:1].isdigit():
            replace_runs(para, r(("TAK" if on else "NIE") + " " + rest))


def gdpr_deleted(root: etree._Element) -> None:
    for para in box_paras(root):
        if box_text(para)[1].startswith("Wyrażam"):
            para.getparent().remove(para)


def checkbox_controls_everywhere(root: etree._Element) -> None:
    """Every box a check-box content control (w14:checkbox), the shown glyph a Wingdings-less
    MS Gothic ☐ / ☒ as Word writes it."""
    for para in box_paras(root):
        on, rest = box_text(para)
        replace_runs(para, *fb.tick_sdt_checkbox(on), r(rest))


# --- whole-document edits -------------------------------------------------------------------


def form_twice(second_filled: bool) -> Callable[[bytes, bytes], bytes]:
    """The applicant pasted the form twice: the filled one first (or second), the other blank."""

    def build(filled: bytes, blank: bytes) -> bytes:
        broot = etree.fromstring(zipfile.ZipFile(io.BytesIO(blank)).read("word/document.xml"))
        blank_children = [c for c in body_of(broot) if c.tag != w("sectPr")]

        def edit(root: etree._Element) -> None:
            body = body_of(root)
            children = [c for c in body if c.tag != w("sectPr")]
            if second_filled:
                for c in reversed(blank_children):
                    children[0].addprevious(copy.deepcopy(c))
            else:
                for c in blank_children:
                    body.find(w("sectPr")).addprevious(copy.deepcopy(c))

        return edit_docx(filled, edit)

    return build


COVER_LETTER = (
    "Szanowni Państwo,",
    "w odpowiedzi na ogłoszenie o naborze do grup roboczych działających przy Dolnośląskim "
    "Komitecie Rozwoju Ekonomii Społecznej przesyłam w załączeniu wypełniony formularz.",
    "Jestem zainteresowana pracą w grupie ds. przedsiębiorstw społecznych; w razie pytań "
    "proszę o kontakt telefoniczny lub mailowy.",
    "Z poważaniem",
    "Zażółć Gęślą-Jaźń",
)


def cover_letter(root: etree._Element) -> None:
    body = body_of(root)
    first = body[0]
    for text in COVER_LETTER:
        first.addprevious(p(r(text)))
    first.addprevious(p(r(None, el("br", type="page"))))


def image_only(root: etree._Element) -> None:
    """A photo of the printed form pasted into Word: one paragraph with a drawing, no text."""
    body = body_of(root)
    for c in list(body):
        if c.tag != w("sectPr"):
            body.remove(c)
    body.insert(0, p(r(None, el("drawing"))))


def add_media(data: bytes) -> bytes:
    out = io.BytesIO()
    zin = zipfile.ZipFile(io.BytesIO(data))
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        zout.writestr("word/media/image1.png", png(40, 40))
    return out.getvalue()


# --- images and PDFs ------------------------------------------------------------------------


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    raw = b"".join(
        b"\x00" + bytes((x * 7 + y * 3) % 256 for x in range(width)) for y in range(height)
    )
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _pdf(objs: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def image_pdf(
    text_lines: list[tuple[float, float, float, str]] | None = None, render_mode: int = 3
) -> bytes:
    """One page: a grey image over the whole page and, optionally, a text layer in the given
    render mode (3: invisible, as a scanner's OCR writes it)."""
    side = 64
    img = zlib.compress(bytes((x * 5 + y * 11) % 256 for y in range(side) for x in range(side)))
    diffs = " ".join(f"{code} /{fb._GLYPHS[c]}" for c, code in fb._CODES.items())
    text = b""
    if text_lines:
        text = (
            b"BT %d Tr\n" % render_mode
            + b"".join(
                b"/F1 %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj\n" % (size, x, y, fb._pdf_str(t))
                for x, y, size, t in text_lines
            )
            + b"ET\n"
        )
    stream = b"q 612 0 0 792 0 0 cm /Im1 Do Q\n" + text
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        f"/BaseEncoding /WinAnsiEncoding /Differences [{diffs}] >> >>".encode(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font "
        b"<< /F1 3 0 R >> /XObject << /Im1 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (side, side, len(img))
        + img
        + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return _pdf(objs)


def printed_lines(values: dict[str, Any] = fb.VALUES) -> list[tuple[float, float, float, str]]:
    """The lines of formbuilder's printed form (page 1), for an OCR layer."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(fb.printed_pdf(values)))
    out: list[tuple[float, float, float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if text.strip():
            out.append((tm[4], tm[5], float(size), text))

    reader.pages[0].extract_text(visitor_text=visit)
    return out


def flattened_fillable(
    blank_pdf: bytes, values: dict[str, Any] = fb.VALUES, mark: str = "X"
) -> bytes:
    """The fillable PDF "flattened" (macOS Preview, print to PDF): the fields are gone and
    their values drawn as page text where the fields were; boxes drawn as ``mark``."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf)))
    page = writer.pages[0]
    chunks: list[bytes] = []
    for annot in page.get("/Annots", []):
        a = annot.get_object()
        name = str(a.get("/T"))
        x0, y0, _x1, y1 = (float(v) for v in a["/Rect"])
        if a.get("/FT") == "/Btn":
            key = "groups" if name.startswith("grupa_") else fb.PDF_NAMES.get(name)
            on = int(name[6:]) in values["groups"] if key == "groups" else bool(values.get(key))
            if on:
                chunks.append(
                    b"BT /FX 10 Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n"
                    % (x0 + 2, y0 + 2, fb._pdf_str(mark))
                )
            continue
        value = values.get(fb.PDF_NAMES.get(name, ""))
        if not value:
            continue
        lines = value.split("\n")
        size = 9.0
        top = y1 - size - 2 if len(lines) > 1 or y1 - y0 > 30 else y0 + 4
        for i, line in enumerate(lines):
            chunks.append(
                b"BT /FX %.1f Tf 1 0 0 1 %.2f %.2f Tm %s Tj ET\n"
                % (size, x0 + 2, top - i * size * 1.2, fb._pdf_str(line))
            )
    diffs = " ".join(f"{code} /{fb._GLYPHS[c]}" for c, code in fb._CODES.items())
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    enc = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Encoding"),
            NameObject("/BaseEncoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    arr = ArrayObject()
    for item in diffs.split(" "):
        arr.append(NameObject(item) if item.startswith("/") else NumberObject(int(item)))
    enc[NameObject("/Differences")] = arr
    font[NameObject("/Encoding")] = enc
    res = page["/Resources"].get_object()
    fonts = res.setdefault(NameObject("/Font"), DictionaryObject()).get_object()
    fonts[NameObject("/FX")] = writer._add_object(font)
    stream = DecodedStreamObject()
    stream.set_data(b"".join(chunks))
    contents = page["/Contents"]
    arr_c = ArrayObject(
        [contents] if not isinstance(contents.get_object(), list) else list(contents.get_object())
    )
    arr_c.append(writer._add_object(stream))
    page[NameObject("/Contents")] = arr_c
    del page["/Annots"]
    if "/AcroForm" in writer._root_object:
        del writer._root_object["/AcroForm"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def fillable_radio_groups(
    blank_pdf: bytes, values: dict[str, Any] = fb.VALUES, chosen: int = 3
) -> bytes:
    """The five group boxes made one radio-button field "grupa" (kids with on-states /1../5);
    the statements check boxes whose on-state is /On; text fields filled; no /AS on the kids
    of the unchosen buttons, /V only on the parent (as pdf.js writes it)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import (
        ArrayObject,
        DictionaryObject,
        NameObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank_pdf)))
    page = writer.pages[0]
    parent = DictionaryObject(
        {
            NameObject("/FT"): NameObject("/Btn"),
            NameObject("/T"): TextStringObject("grupa"),
            NameObject("/Ff"): NumberObject((1 << 15) | (1 << 14)),
            NameObject("/V"): NameObject(f"/{chosen}"),
            NameObject("/Kids"): ArrayObject(),
        }
    )
    parent_ref = writer._add_object(parent)
    fields = writer._root_object["/AcroForm"]["/Fields"]
    for annot in page.get("/Annots", []):
        a = annot.get_object()
        name = str(a.get("/T"))
        if name.startswith("grupa_"):
            n = int(name[6:])
            normal = a["/AP"]["/N"]
            normal[NameObject(f"/{n}")] = normal["/Yes"]
            del normal["/Yes"]
            for k in ("/T", "/FT", "/V", "/Ff"):
                if k in a:
                    del a[k]
            a[NameObject("/Parent")] = parent_ref
            a[NameObject("/AS")] = NameObject(f"/{n}" if n == chosen else "/Off")
            parent["/Kids"].append(annot)
            for i, f in enumerate(list(fields)):
                if f.get_object() is a:
                    del fields[i]
                    break
        elif a.get("/FT") == "/Btn":
            key = fb.PDF_NAMES.get(name)
            on = bool(values.get(key))
            normal = a["/AP"]["/N"]
            normal[NameObject("/On")] = normal["/Yes"]
            del normal["/Yes"]
            a[NameObject("/V")] = NameObject("/On" if on else "/Off")
            if on:
                a[NameObject("/AS")] = NameObject("/On")
        else:
            value = values.get(fb.PDF_NAMES.get(name, ""))
            if value:
                a[NameObject("/V")] = TextStringObject(value)
    fields.append(parent_ref)
    writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def label_space_value(root: etree._Element) -> None:
    """The value typed into the label cell after a space only ("Imię i nazwisko Jan …")."""
    for key in ("full_name", "email", "phone"):
        label_tc, value_tc = cells(row_of(root, key))
        value = text_of(value_tc)
        set_cell(label_tc, p(r(LABELS[key] + " " + value)))
        set_cell(value_tc)


def value_starts_with_label_word(root: etree._Element) -> None:
    """Values that begin with a word that is also a (one-word) label elsewhere."""
    set_cell(cells(row_of(root, "position"))[1], p(r("Stanowisko ds. kadr i płac")))
    set_cell(
        cells(row_of(root, "address"))[1],
        p(r("Adres: ul. Żółkiewskiego 7/3")),
        p(r("58-500 Jelenia Góra")),
    )


EXPERIENCE_WITH_LABELS = (
    "Stanowisko: kierowniczka CIS w latach 2015–2020.\n"
    "Funkcja: członkini zarządu OWES.\n"
    "Telefon zaufania – wolontariat od 2018 r."
)


def experience_with_label_lines(root: etree._Element) -> None:
    tc = tables(root)[1].find(f"{w('tr')}/{w('tc')}")
    set_cell(tc, *(p(r(x)) for x in EXPERIENCE_WITH_LABELS.split("\n")))


def fillable_boxes_value_only(blank_pdf: bytes, values: dict[str, Any] = fb.VALUES) -> bytes:
    """A viewer that sets the check boxes' /V but leaves their /AS (appearance) at /Off."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    filled = fb.fill_pdf(blank_pdf, values)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(filled)))
    for annot in writer.pages[0].get("/Annots", []):
        a = annot.get_object()
        if a.get("/FT") == "/Btn":
            a[NameObject("/AS")] = NameObject("/Off")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
