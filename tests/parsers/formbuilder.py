"""Builds filled copies of the blank DKRES form the many ways applicants fill it (lxml edits of
the blank DOCX; fillable PDF filled with pypdf; ODT written by hand)."""

from __future__ import annotations

import copy
import io
import zipfile
from collections.abc import Callable
from typing import Any

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

VALUES: dict[str, Any] = {
    "full_name": "Zażółć Gęślą-Jaźń",
    "organisation": "Stowarzyszenie „Źródło” w Łodzi",
    "organisation_type": "organizacja pozarządowa",
    "position": "Prezeska Zarządu",
    "address": "ul. Żółkiewskiego 7/3\n58-500 Jelenia Góra",
    "email": "zazolc.jazn@example.pl",
    "phone": "+48 600 700 800",
    "groups": [2, 5],
    "experience": "Pierwszy akapit: 10 lat w ŚDS.\nDrugi akapit – współpraca z ZAZ i CIS.",
    "accepts_rules": True,
    "consents_gdpr": False,
    "place_and_date": "Wałbrzych, 15.05.2024",
}
TEXT_ROWS = (
    "full_name",
    "organisation",
    "organisation_type",
    "position",
    "address",
    "email",
    "phone",
)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, *children: etree._Element, **attrs: str) -> etree._Element:
    e = etree.Element(w(tag) if ":" not in tag and not tag.startswith("{") else tag)
    for k, v in attrs.items():
        e.set(w(k), v)
    for c in children:
        e.append(c)
    return e


def t(text: str, tag: str = "t") -> etree._Element:
    e = el(tag)
    e.text = text
    e.set(XML_SPACE, "preserve")
    return e


def r(
    text: str | None = None, *extra: etree._Element, bold: bool = False, font: str | None = None
) -> etree._Element:
    run = el("r")
    if bold or font:
        rpr = el("rPr")
        if font:
            rpr.append(el("rFonts", ascii=font, hAnsi=font))
        if bold:
            rpr.append(el("b"))
        run.append(rpr)
    for x in extra:
        run.append(x)
    if text is not None:
        run.append(t(text))
    return run


def p(*children: etree._Element) -> etree._Element:
    return el("p", *children)


# --- how a text value is typed ----------------------------------------------------------------


def style_plain(text: str, key: str) -> list[etree._Element]:
    return [r(text)]


def style_split_runs(text: str, key: str) -> list[etree._Element]:
    return [r(c, bold=i % 2 == 0) for i, c in enumerate(text)]


def style_tracked(text: str, key: str) -> list[etree._Element]:
    ins = el("ins", r(text), id="1", author="A", date="2024-05-10T10:00:00Z")
    dele = el(
        "del",
        el("r", t("Stara wartość", "delText")),
        id="2",
        author="A",
        date="2024-05-10T10:00:00Z",
    )
    mv = el("moveFrom", el("r", t("Przeniesione", "delText")), id="3", author="A")
    return [dele, ins, mv]


def style_wrapped(text: str, key: str) -> list[etree._Element]:
    if key == "email":
        return [el("hyperlink", r(text), anchor="x")]
    if key == "full_name":
        st = etree.Element(w("smartTag"))
        st.set(w("element"), "PersonName")
        st.append(r(text))
        return [st]
    if key == "organisation":
        return [el("bookmarkStart", id="0", name="org"), r(text), el("bookmarkEnd", id="0")]
    if key == "phone":
        return [el("fldSimple", r(text), instr=" MERGEFIELD telefon ")]
    return [
        r(None, el("fldChar", fldCharType="begin")),
        r(None, t(' QUOTE "x" ', "instrText")),
        r(None, el("fldChar", fldCharType="separate")),
        r(text),
        r(None, el("fldChar", fldCharType="end")),
    ]


def style_sdt(text: str, key: str) -> list[etree._Element]:
    return [el("sdt", el("sdtPr", el("alias", val=key)), el("sdtContent", r(text)))]


def style_formtext(text: str, key: str) -> list[etree._Element]:
    begin = el(
        "fldChar",
        el("ffData", el("name", val=key), el("enabled"), el("textInput")),
        fldCharType="begin",
    )
    return [
        r(None, begin),
        r(None, t(" FORMTEXT ", "instrText")),
        r(None, el("fldChar", fldCharType="separate")),
        r(text),
        r(None, el("fldChar", fldCharType="end")),
    ]


TEXT_STYLES: dict[str, Callable[[str, str], list[etree._Element]]] = {
    "plain": style_plain,
    "split_runs": style_split_runs,
    "tracked": style_tracked,
    "wrapped": style_wrapped,
    "sdt": style_sdt,
    "formtext": style_formtext,
}


# --- how a box is ticked ----------------------------------------------------------------------


def _char(c: str) -> Callable[[bool], list[etree._Element]]:
    return lambda on: [r((c if on else "☐") + " ")]


def _sym(code: str) -> Callable[[bool], list[etree._Element]]:
    def make(on: bool) -> list[etree._Element]:
        s = el("sym", font="Wingdings", char=code if on else "F0A8")
        return [r(None, s), r(" ")]

    return make


def tick_wingdings_text(on: bool) -> list[etree._Element]:
    return [r("þ" if on else "¨", font="Wingdings"), r(" ")]


def tick_sdt_checkbox(on: bool) -> list[etree._Element]:
    box = etree.Element(f"{{{W14}}}checkbox", nsmap={"w14": W14})
    checked = etree.SubElement(box, f"{{{W14}}}checked")
    checked.set(f"{{{W14}}}val", "1" if on else "0")
    return [el("sdt", el("sdtPr", box), el("sdtContent", r("☒" if on else "☐"))), r(" ")]


def tick_formcheckbox(on: bool) -> list[etree._Element]:
    cb = el("checkBox", el("sizeAuto"), el("default", val="0"))
    if on:
        cb.append(el("checked"))
    begin = el(
        "fldChar", el("ffData", el("name", val="Wybor"), el("enabled"), cb), fldCharType="begin"
    )
    return [
        r(None, begin),
        r(None, t(" FORMCHECKBOX ", "instrText")),
        r(None, el("fldChar", fldCharType="end")),
        r(" "),
    ]


def tick_formcheckbox_default(on: bool) -> list[etree._Element]:
    cb = el("checkBox", el("sizeAuto"), el("default", val="1" if on else "0"))
    begin = el("fldChar", el("ffData", el("name", val="Wybor"), cb), fldCharType="begin")
    return [
        r(None, begin),
        r(None, t(" FORMCHECKBOX ", "instrText")),
        r(None, el("fldChar", fldCharType="end")),
        r(" "),
    ]


def tick_tracked(on: bool) -> list[etree._Element]:
    if not on:
        return [r("☐ ")]
    return [
        el("del", el("r", t("☐", "delText")), id="7", author="A"),
        el("ins", r("☒"), id="8", author="A"),
        r(" "),
    ]


TICK_STYLES: dict[str, Callable[[bool], list[etree._Element]] | str] = {
    "☒": _char("☒"),
    "☑": _char("☑"),
    "X": _char("X"),
    "x": _char("x"),
    "✔": _char("✔"),
    "✓": _char("✓"),
    "■": _char("■"),
    "V": _char("V"),
    "v": _char("v"),
    "sym_F0FE": _sym("F0FE"),
    "sym_F078": _sym("F078"),
    "sym_F0FC": _sym("F0FC"),
    "sym_F0FB": _sym("F0FB"),
    "wingdings_þ": tick_wingdings_text,
    "sdt_checkbox": tick_sdt_checkbox,
    "formcheckbox": tick_formcheckbox,
    "formcheckbox_default": tick_formcheckbox_default,
    "tracked": tick_tracked,
    "deleted": "deleted",
    "deleted_no_box": "deleted_no_box",
}

LAYOUTS = ("cell", "colon", "br", "paragraphs", "label_row")


# --- building ---------------------------------------------------------------------------------


def _text(e: etree._Element) -> str:
    return "".join(x.text or "" for x in e.iter(w("t")))


def _set_cell(tc: etree._Element, paras: list[etree._Element]) -> None:
    for old in tc.findall(w("p")):
        tc.remove(old)
    for para in paras or [p()]:
        tc.append(para)


def _value_paras(
    key: str, value: str, style: Callable[[str, str], list[etree._Element]], layout: str
) -> list[etree._Element]:
    lines = value.split("\n")
    if layout == "br" and len(lines) > 1:
        kids: list[etree._Element] = []
        for i, line in enumerate(lines):
            if i:
                kids.append(r(None, el("br")))
            kids.extend(style(line, key))
        return [p(*kids)]
    return [p(*style(line, key)) for line in lines]


def build_docx(
    blank: bytes,
    values: dict[str, Any] = VALUES,
    layout: str = "cell",
    text_style: str = "plain",
    tick_style: str = "☒",
) -> bytes:
    zin = zipfile.ZipFile(io.BytesIO(blank))
    root = etree.fromstring(zin.read("word/document.xml"))
    body = root.find(w("body"))
    assert body is not None
    style = TEXT_STYLES[text_style]
    tables = body.findall(w("tbl"))
    t1, t2, t3 = tables
    rows = t1.findall(w("tr")) + t3.findall(w("tr"))[:1]
    keys = (*TEXT_ROWS, "place_and_date")
    for key, tr in zip(keys, rows, strict=True):
        label_tc, value_tc = tr.findall(w("tc"))
        value = values.get(key)
        if not value:
            continue
        paras = _value_paras(key, value, style, layout)
        if layout == "colon":
            label = _text(label_tc)
            first, *more = paras
            first.insert(0, r(label + ": "))
            _set_cell(label_tc, [first, *more])
            _set_cell(value_tc, [])
        else:
            _set_cell(value_tc, paras)
    exp_tc = t2.find(f"{w('tr')}/{w('tc')}")
    if values.get("experience"):
        _set_cell(exp_tc, _value_paras("experience", values["experience"], style, "cell"))
    _tick(body, values, tick_style)
    if layout in ("paragraphs", "label_row"):
        _untable(body, t1, layout)
        _untable(body, t3, layout)
        _untable(body, t2, layout)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "word/document.xml":
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(item, data)
    return out.getvalue()


def _untable(body: etree._Element, tbl: etree._Element, layout: str) -> None:
    """The form retyped without tables: "Label:" then the value paragraphs below it
    ("paragraphs"), or the table kept but each label and value in rows of their own
    ("label_row")."""
    idx = list(body).index(tbl)
    new: list[etree._Element] = []
    for tr in tbl.findall(w("tr")):
        tcs = tr.findall(w("tc"))
        if layout == "label_row":
            for tc in tcs:
                row = el("tr", copy.deepcopy(tc))
                new.append(row)
            continue
        for i, tc in enumerate(tcs):
            for para in tc.findall(w("p")):
                if i == 0 and len(tcs) > 1:
                    para.append(r(":"))
                new.append(para)
    body.remove(tbl)
    if layout == "label_row":
        nt = el("tbl")
        for row in new:
            nt.append(row)
        body.insert(idx, nt)
    else:
        for k, para in enumerate(new):
            body.insert(idx + k, para)


def _tick(body: etree._Element, values: dict[str, Any], tick_style: str) -> None:
    groups = values.get("groups", [])
    marks = {
        "accepts_rules": values.get("accepts_rules"),
        "consents_gdpr": values.get("consents_gdpr"),
    }
    maker = TICK_STYLES[tick_style]
    for para in body.findall(w("p")):
        text = _text(para)
        if not text.startswith("☐ "):
            continue
        rest = text[2:]
        if rest[:1].isdigit():
            on = int(rest[0]) in groups
            if maker in ("deleted", "deleted_no_box"):
                if not on:
                    body.remove(para)
                    continue
                if maker == "deleted_no_box":
                    _replace(para, [r(rest)])
                continue
        else:
            on = bool(marks["accepts_rules" if rest.startswith("Oświadczam") else "consents_gdpr"])
            if maker in ("deleted", "deleted_no_box"):
                _replace(para, [r(("☒ " if on else "☐ ") + rest)])
                continue
        assert callable(maker)
        _replace(para, [*maker(on), r(rest)])


def _replace(para: etree._Element, runs: list[etree._Element]) -> None:
    for child in list(para):
        if child.tag != w("pPr"):
            para.remove(child)
    for run in runs:
        para.append(run)


def expected(values: dict[str, Any] = VALUES) -> dict[str, Any]:
    return dict(values)


# --- fillable PDF -----------------------------------------------------------------------------

PDF_NAMES = {
    "imie_nazwisko": "full_name",
    "nazwa_podmiotu": "organisation",
    "rodzaj_podmiotu": "organisation_type",
    "stanowisko": "position",
    "adres": "address",
    "email": "email",
    "telefon": "phone",
    "uzasadnienie": "experience",
    "miejscowosc_data": "place_and_date",
    "accepts_rules": "accepts_rules",
    "consents_gdpr": "consents_gdpr",
}


def fill_pdf(
    blank: bytes,
    values: dict[str, Any] = VALUES,
    *,
    generic: bool = False,
    on_state: str = "/Yes",
    drop_acroform: bool = False,
) -> bytes:
    """Fill the fillable PDF like a PDF viewer does (/V, and /AS for boxes); optionally rename
    the fields to generic names (Tekst1, Pole wyboru3), use another on-state than /Yes, or
    drop the /AcroForm entry so that only the pages' widgets remain."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank)))
    n_text = n_box = 0
    for annot in writer.pages[0].get("/Annots", []):
        a = annot.get_object()
        name = str(a.get("/T"))
        if name.startswith("grupa_"):
            on = int(name[6:]) in values.get("groups", [])
        elif PDF_NAMES.get(name) in ("accepts_rules", "consents_gdpr"):
            on = bool(values.get(PDF_NAMES[name]))
        else:
            on = None
        if a.get("/FT") == "/Btn":
            n_box += 1
            if on_state != "/Yes":
                normal = a["/AP"]["/N"]
                if "/Yes" in normal:
                    normal[NameObject(on_state)] = normal["/Yes"]
                    del normal["/Yes"]
                down = a["/AP"].get("/D")
                if isinstance(down, DictionaryObject) and "/Yes" in down:
                    down[NameObject(on_state)] = down["/Yes"]
                    del down["/Yes"]
            state = NameObject(on_state if on else "/Off")
            a[NameObject("/V")] = state
            a[NameObject("/AS")] = state
            if generic:
                a[NameObject("/T")] = TextStringObject(f"Pole wyboru{n_box}")
        else:
            n_text += 1
            value = values.get(PDF_NAMES.get(name, ""))
            if value:
                a[NameObject("/V")] = TextStringObject(value)
            if generic:
                a[NameObject("/T")] = TextStringObject(f"Tekst{n_text}")
    if drop_acroform:
        del writer._root_object["/AcroForm"]
    else:
        writer.set_need_appearances_writer(True)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- ODT, written by hand ---------------------------------------------------------------------

ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" '
    'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
    'xmlns:xlink="http://www.w3.org/1999/xlink"'
)
ODT_LABELS = {
    "full_name": "Imię i nazwisko",
    "organisation": "Nazwa reprezentowanego podmiotu / instytucji",
    "organisation_type": "Rodzaj podmiotu (np. CIS, KIS, ZAZ, WTZ, ŚDS, spółdzielnia socjalna, "
    "organizacja pozarządowa, JST, inny)",
    "position": "Stanowisko / pełniona funkcja",
    "address": "Adres do korespondencji",
    "email": "Adres e-mail",
    "phone": "Telefon kontaktowy",
}
GROUP_NAMES = [
    "Grupa robocza ds. rozwoju usług społecznych i deinstytucjonalizacji",
    "Grupa robocza ds. zamówień/zleceń zadań publicznych realizowanych przez PES, w tym "
    "zlecania usług społecznych",
    "Grupa robocza ds. promocji i współpracy z biznesem",
    "Grupa robocza ds. podmiotów zatrudnienia socjalnego oraz podmiotów reintegracyjnych",
    "Grupa robocza ds. przedsiębiorstw społecznych",
]
STATEMENTS = {
    "accepts_rules": "Oświadczam, że zapoznałam/zapoznałem się z Regulaminem Dolnośląskiego "
    "Komitetu Rozwoju Ekonomii Społecznej i akceptuję jego postanowienia.",
    "consents_gdpr": "Wyrażam zgodę na przetwarzanie moich danych osobowych zawartych w "
    "niniejszym formularzu przez Dolnośląski Ośrodek Polityki Społecznej w celu "
    "przeprowadzenia naboru do grup roboczych działających przy Komitecie.",
}


def _x(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _odt_value(value: str | None, style: str) -> str:
    if not value:
        return "<text:p/>"
    lines = value.split("\n")
    if style == "line_break":
        return "<text:p>" + "<text:line-break/>".join(_x(x) for x in lines) + "</text:p>"
    if style == "spans":
        return "".join(
            "<text:p>"
            + "".join(
                f'<text:span text:style-name="T{i % 2}">{_x(c)}</text:span>'
                for i, c in enumerate(line)
            )
            + "</text:p>"
            for line in lines
        )
    if style == "tracked":
        return "".join(
            f'<text:p><text:change-start text:change-id="c1"/>{_x(line)}'
            '<text:change-end text:change-id="c1"/><text:change '
            'text:change-id="c2"/></text:p>'
            for line in lines
        )
    return "".join(f"<text:p>{_x(line)}</text:p>" for line in lines)


def build_odt(values: dict[str, Any] = VALUES, style: str = "plain", ticks: str = "☒") -> bytes:
    rows = "".join(
        f"<table:table-row><table:table-cell><text:p>{_x(label)}</text:p></table:table-cell>"
        f"<table:table-cell>{_odt_value(values.get(key), style)}</table:table-cell>"
        "</table:table-row>"
        for key, label in ODT_LABELS.items()
    )
    controls: list[str] = []

    def box(on: bool) -> str:
        if ticks == "control":
            cid = f"control{len(controls) + 1}"
            state = "checked" if on else "unchecked"
            controls.append(
                f'<form:checkbox form:name="cb" form:id="{cid}" '
                f'xml:id="{cid}" form:current-state="{state}"/>'
            )
            return f'<draw:control draw:control="{cid}"/> '
        return ("☒" if on else "☐") + " "

    groups = "".join(
        f"<text:p>{box(n in values.get('groups', []))}{n}. {_x(name)}</text:p>"
        for n, name in enumerate(GROUP_NAMES, start=1)
    )
    statements = "".join(
        f"<text:p>{box(bool(values.get(k)))}{_x(txt)}</text:p>" for k, txt in STATEMENTS.items()
    )
    deleted = (
        '<text:tracked-changes><text:changed-region text:id="c2"><text:deletion>'
        "<text:p>Skreślony tekst</text:p></text:deletion></text:changed-region>"
        "</text:tracked-changes>"
    )
    body = (
        f"{deleted}<text:p>Załącznik nr 3</text:p><text:h>FORMULARZ ZGŁOSZENIOWY</text:h>"
        "<text:p>I. Dane kandydatki / kandydata</text:p>"
        f"<table:table>{rows}</table:table>"
        "<text:p>II. Grupa robocza, do której zgłasza się kandydatka / kandydat (proszę "
        f"zaznaczyć właściwe pole)</text:p>{groups}"
        "<text:p>III. Doświadczenie kandydatki / kandydata w obszarze działania grupy oraz "
        "uzasadnienie kandydatury (maks. 2000 znaków)</text:p>"
        "<table:table><table:table-row><table:table-cell>"
        f"{_odt_value(values.get('experience'), style)}</table:table-cell></table:table-row>"
        f"</table:table><text:p>IV. Oświadczenia</text:p>{statements}"
        "<table:table><table:table-row><table:table-cell><text:p>Miejscowość i data</text:p>"
        f"</table:table-cell><table:table-cell>{_odt_value(values.get('place_and_date'), style)}"
        "</table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>"
        "Podpis kandydatki / kandydata</text:p></table:table-cell><table:table-cell><text:p>"
        "Z. Jaźń</text:p></table:table-cell></table:table-row></table:table>"
        "<text:p>Klauzula informacyjna: Dane osobowe (imię i nazwisko, adres e-mail, telefon) "
        "będą przetwarzane wyłącznie w celu naboru.</text:p>"
    )
    forms = f"<office:forms><form:form>{''.join(controls)}</form:form></office:forms>"
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ODT_NS} '
        f'office:version="1.3"><office:body><office:text>{forms}{body}</office:text>'
        "</office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
        'manifest:full-path="/" manifest:media-type="application/vnd.oasis.'
        'opendocument.text"/><manifest:file-entry manifest:full-path="content.xml" '
        'manifest:media-type="text/xml"/></manifest:manifest>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        z.writestr("content.xml", content.encode("utf-8"), zipfile.ZIP_DEFLATED)
    return out.getvalue()


# --- printed PDF (text, no fields), written by hand -------------------------------------------

_GLYPHS = {
    "ą": "aogonek",
    "ć": "cacute",
    "ę": "eogonek",
    "ł": "lslash",
    "ń": "nacute",
    "ó": "oacute",
    "ś": "sacute",
    "ź": "zacute",
    "ż": "zdotaccent",
    "Ą": "Aogonek",
    "Ć": "Cacute",
    "Ę": "Eogonek",
    "Ł": "Lslash",
    "Ń": "Nacute",
    "Ó": "Oacute",
    "Ś": "Sacute",
    "Ź": "Zacute",
    "Ż": "Zdotaccent",
    "„": "quotedblbase",
    "”": "quotedblright",
    "–": "endash",
    "☒": "uni2612",
    "☐": "uni2610",
}
_CODES = {c: 128 + i for i, c in enumerate(_GLYPHS)}


def _pdf_str(s: str) -> bytes:
    out = bytearray()
    for c in s:
        if c in _CODES:
            out.append(_CODES[c])
        elif c in "()\\":
            out += b"\\" + c.encode()
        else:
            out += c.encode("latin-1")
    return b"(" + bytes(out) + b")"


def write_pdf(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    """A minimal PDF: Helvetica with a /Differences encoding for Polish letters and boxes;
    each page a list of (x, y, size, text) lines."""
    diffs = " ".join(f"{code} /{_GLYPHS[c]}" for c, code in _CODES.items())
    objs: list[bytes] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"",  # pages, filled below
        f"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        f"/BaseEncoding /WinAnsiEncoding /Differences [{diffs}] >> >>".encode(),
    ]
    kids = []
    for lines in pages:
        stream = b"".join(
            b"BT /F1 %.1f Tf %.2f %.2f Td %s Tj ET\n" % (size, x, y, _pdf_str(text))
            for x, y, size, text in lines
        )
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objs)
        objs.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
            b"<< /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content_id
        )
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
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


PRINTED_LABEL_LINES = {
    "full_name": ["Imię i nazwisko"],
    "organisation": ["Nazwa reprezentowanego podmiotu / ", "instytucji"],
    "organisation_type": [
        "Rodzaj podmiotu (np. CIS, KIS, ZAZ, ",
        "WTZ, ŚDS, spółdzielnia socjalna, ",
        "organizacja pozarządowa, JST, inny)",
    ],
    "position": ["Stanowisko / pełniona funkcja"],
    "address": ["Adres do korespondencji"],
    "email": ["Adres e-mail"],
    "phone": ["Telefon kontaktowy"],
}
PRINTED_LAYOUTS = ("two_column", "below", "colon")
PRINTED_TICKS = ("inline", "separate", "x_separate")


def printed_pdf(
    values: dict[str, Any] = VALUES, layout: str = "two_column", ticks: str = "inline"
) -> bytes:
    """The form as Word/LibreOffice prints it: labels left and values right ("two_column"),
    values under their labels ("below") or after a colon ("colon"); boxes as ☒ in the line,
    as a separate glyph, or an X typed over the box."""
    page1: list[tuple[float, float, float, str]] = []
    page2: list[tuple[float, float, float, str]] = []
    y = 720.0

    def line(x: float, text: str, size: float = 10, page=page1) -> None:
        page.append((x, y, size, text))

    line(451, "Załącznik nr 3")
    y -= 26
    line(191, "FORMULARZ ZGŁOSZENIOWY", 14)
    y -= 24
    line(90, "I. Dane kandydatki / kandydata")
    y -= 24
    keys = (*PRINTED_LABEL_LINES, "place_and_date")
    for key in TEXT_ROWS:
        labels = PRINTED_LABEL_LINES[key]
        vals = (values.get(key) or "").split("\n") if values.get(key) else []
        top = y
        if layout == "colon" and vals:
            labels = [*labels[:-1], labels[-1].rstrip() + ": " + vals[0]]
            vals = vals[1:]
        for lab in labels:
            line(90, lab)
            y -= 12
        if layout == "two_column":
            yy = y
            y = top
            for v in vals:
                line(306, v)
                y -= 12
            y = min(y, yy)
        else:
            for v in vals:
                line(90, v)
                y -= 12
        y -= 2
    del keys
    y -= 20
    line(90, "II. Grupa robocza, do której zgłasza się kandydatka / kandydat (proszę ")
    y -= 13
    line(90, "zaznaczyć właściwe pole)")
    y -= 23

    def box_line(on: bool, text: str, wrap: str | None = None) -> None:
        nonlocal y
        if ticks == "inline":
            line(90, ("☒ " if on else "☐ ") + text)
        else:
            line(90, ("☒" if on else "☐") if ticks == "separate" else ("X" if on else "☐"))
            line(102, text)
        if wrap:
            y -= 13
            line(90, wrap)
        y -= 23

    wraps = {
        2: (
            "Grupa robocza ds. zamówień/zleceń zadań publicznych realizowanych przez PES,",
            "w tym zlecania usług społecznych",
        ),
        4: (
            "Grupa robocza ds. podmiotów zatrudnienia socjalnego oraz podmiotów ",
            "reintegracyjnych",
        ),
    }
    for n, name in enumerate(GROUP_NAMES, start=1):
        first, wrap = wraps.get(n, (name, None))
        box_line(n in values.get("groups", []), f"{n}. {first}", wrap)
    line(90, "III. Doświadczenie kandydatki / kandydata w obszarze działania grupy oraz ")
    y -= 13
    line(90, "uzasadnienie kandydatury (maks. 2000 znaków)")
    y -= 24
    for v in (values.get("experience") or "").split("\n"):
        if v:
            line(90, v)
            y -= 12
    y -= 24
    line(90, "IV. Oświadczenia")
    y -= 23
    box_line(
        bool(values.get("accepts_rules")),
        "Oświadczam, że zapoznałam/zapoznałem się z Regulaminem Dolnośląskiego ",
        "Komitetu Rozwoju Ekonomii Społecznej i akceptuję jego postanowienia.",
    )
    box_line(
        bool(values.get("consents_gdpr")),
        "Wyrażam zgodę na przetwarzanie moich danych osobowych zawartych w ",
        "niniejszym formularzu przez Dolnośląski Ośrodek Polityki Społecznej w celu "
        "przeprowadzenia naboru do grup roboczych działających przy Komitecie.",
    )
    place = values.get("place_and_date")
    if layout == "colon" and place:
        line(90, "Miejscowość i data: " + place)
    else:
        line(90, "Miejscowość i data")
        if place:
            if layout == "below":
                y -= 12
            line(90 if layout == "below" else 306, place)
    y -= 14
    line(90, "Podpis kandydatki / kandydata")
    line(306, "Z. Jaźń")
    for page in (page1, page2):
        for i, text in enumerate(
            (
                "Projekt „Koordynacja działań w zakresie polityki społecznej w województwie ",
                "dolnośląskim” współfinansowany ze środków Europejskiego Funduszu Społecznego ",
                "Plus.",
            )
        ):
            page.append((90, 61.6 - 11.6 * i, 10, text))
    page2.append(
        (
            90,
            720,
            10,
            "Klauzula informacyjna: Administratorem danych osobowych jest "
            "Dolnośląski Ośrodek Polityki Społecznej. Dane osobowe (imię i ",
        )
    )
    page2.append(
        (
            90,
            708,
            10,
            "nazwisko, adres e-mail, telefon) będą przetwarzane wyłącznie w "
            "celu przeprowadzenia naboru.",
        )
    )
    return write_pdf([page1, page2])
