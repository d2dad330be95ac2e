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
TEXT_ROWS = ("full_name", "organisation", "organisation_type", "position", "address", "email",
             "phone")


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


def r(text: str | None = None, *extra: etree._Element, bold: bool = False,
      font: str | None = None) -> etree._Element:
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
    dele = el("del", el("r", t("Stara wartość", "delText")), id="2", author="A",
              date="2024-05-10T10:00:00Z")
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
    return [r(None, el("fldChar", fldCharType="begin")),
            r(None, t(" QUOTE \"x\" ", "instrText")),
            r(None, el("fldChar", fldCharType="separate")), r(text),
            r(None, el("fldChar", fldCharType="end"))]


def style_sdt(text: str, key: str) -> list[etree._Element]:
    return [el("sdt", el("sdtPr", el("alias", val=key)), el("sdtContent", r(text)))]


def style_formtext(text: str, key: str) -> list[etree._Element]:
    begin = el("fldChar", el("ffData", el("name", val=key), el("enabled"),
                             el("textInput")), fldCharType="begin")
    return [r(None, begin), r(None, t(" FORMTEXT ", "instrText")),
            r(None, el("fldChar", fldCharType="separate")), r(text),
            r(None, el("fldChar", fldCharType="end"))]


TEXT_STYLES: dict[str, Callable[[str, str], list[etree._Element]]] = {
    "plain": style_plain, "split_runs": style_split_runs, "tracked": style_tracked,
    "wrapped": style_wrapped, "sdt": style_sdt, "formtext": style_formtext,
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
    begin = el("fldChar", el("ffData", el("name", val="Wybor"), el("enabled"), cb),
               fldCharType="begin")
    return [r(None, begin), r(None, t(" FORMCHECKBOX ", "instrText")),
            r(None, el("fldChar", fldCharType="end")), r(" ")]


def tick_formcheckbox_default(on: bool) -> list[etree._Element]:
    cb = el("checkBox", el("sizeAuto"), el("default", val="1" if on else "0"))
    begin = el("fldChar", el("ffData", el("name", val="Wybor"), cb), fldCharType="begin")
    return [r(None, begin), r(None, t(" FORMCHECKBOX ", "instrText")),
            r(None, el("fldChar", fldCharType="end")), r(" ")]


def tick_tracked(on: bool) -> list[etree._Element]:
    if not on:
        return [r("☐ ")]
    return [el("del", el("r", t("☐", "delText")), id="7", author="A"),
            el("ins", r("☒"), id="8", author="A"), r(" ")]


TICK_STYLES: dict[str, Callable[[bool], list[etree._Element]] | str] = {
    "☒": _char("☒"), "☑": _char("☑"), "X": _char("X"), "x": _char("x"), "✔": _char("✔"),
    "✓": _char("✓"), "■": _char("■"), "V": _char("V"), "v": _char("v"),
    "sym_F0FE": _sym("F0FE"), "sym_F078": _sym("F078"), "sym_F0FC": _sym("F0FC"),
    "sym_F0FB": _sym("F0FB"), "wingdings_þ": tick_wingdings_text,
    "sdt_checkbox": tick_sdt_checkbox, "formcheckbox": tick_formcheckbox,
    "formcheckbox_default": tick_formcheckbox_default, "tracked": tick_tracked,
    "deleted": "deleted", "deleted_no_box": "deleted_no_box",
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


def _value_paras(key: str, value: str, style: Callable[[str, str], list[etree._Element]],
                 layout: str) -> list[etree._Element]:
    lines = value.split("\n")
    if layout == "br" and len(lines) > 1:
        kids: list[etree._Element] = []
        for i, line in enumerate(lines):
            if i:
                kids.append(r(None, el("br")))
            kids.extend(style(line, key))
        return [p(*kids)]
    return [p(*style(line, key)) for line in lines]


def build_docx(blank: bytes, values: dict[str, Any] = VALUES, layout: str = "cell",
               text_style: str = "plain", tick_style: str = "☒") -> bytes:
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
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                      standalone=True)
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
    marks = {"accepts_rules": values.get("accepts_rules"),
             "consents_gdpr": values.get("consents_gdpr")}
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
            on = bool(marks["accepts_rules" if rest.startswith("Oświadczam") else
                            "consents_gdpr"])
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
    "imie_nazwisko": "full_name", "nazwa_podmiotu": "organisation",
    "rodzaj_podmiotu": "organisation_type", "stanowisko": "position", "adres": "address",
    "email": "email", "telefon": "phone", "uzasadnienie": "experience",
    "miejscowosc_data": "place_and_date", "accepts_rules": "accepts_rules",
    "consents_gdpr": "consents_gdpr",
}


def fill_pdf(blank: bytes, values: dict[str, Any] = VALUES, *, generic: bool = False,
             on_state: str = "/Yes", drop_acroform: bool = False) -> bytes:
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
