"""DOCX: the main document part read once with lxml (no python-docx object model)."""

from __future__ import annotations

import contextlib
import posixpath
import re
import zipfile
from collections.abc import Callable

from lxml import etree

from parsers.flow import Block, Para, Row
from parsers.marks import BOX_CHAR, TICK_CHAR, pua_to_mark
from parsers.model import ParseLimits
from parsers.xmltree import LOCAL_NAMES as _LOCAL
from parsers.xmltree import attr as _attr
from parsers.xmltree import local_name as _ln
from parsers.xmltree import parse_xml
from parsers.zipsafe import Refused, find_member, read_member

MAIN_TYPES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
OFFICE_DOC_REL = ("/officeDocument",)

# elements whose content is never shown as the document's text
_SKIP = frozenset(
    {
        "del",
        "moveFrom",
        "rPr",
        "pPr",
        "instrText",
        "delText",
        "delInstrText",
        "drawing",
        "pict",
        "object",
        "AlternateContent",
        "footnoteReference",
        "endnoteReference",
        "commentReference",
        "sdtPr",
        "sdtEndPr",
        "fldData",
        "customXmlPr",
        "smartTagPr",
        "annotationRef",
        "commentRangeStart",
        "commentRangeEnd",
        "bookmarkStart",
        "bookmarkEnd",
        "proofErr",
        "permStart",
        "permEnd",
        "lastRenderedPageBreak",
        "tblPr",
        "trPr",
        "tcPr",
        "tblGrid",
        "sectPr",
        "oMathParaPr",
        "rubyPr",
        "rt",
    }
)
_SYMBOL_FONTS = ("wingdings", "symbol", "webdings")


_PUA = re.compile("[\uf000-\uf0ff]")


def _on(el: etree._Element | None, default: bool = True) -> bool:
    if el is None:
        return False
    v = _attr(el, "val")
    if v is None:
        return default
    return v.strip().lower() in ("1", "true", "on", "checked")


def _child(el: etree._Element, name: str) -> etree._Element | None:
    for ch in el:
        if _ln(ch) == name:
            return ch
    return None


def _desc(el: etree._Element, name: str) -> etree._Element | None:
    for ch in el.iter():
        if _ln(ch) == name:
            return ch
    return None


class _Text:
    """Collects a paragraph's visible text (tracked insertions in, deletions out).

    ``symbols``: whether any run of the document may be in a symbol font (an ``rFonts`` with
    Wingdings / Symbol / Webdings somewhere); when none is, no run's properties are looked at.
    """

    def __init__(self, symbols: bool = True, links: _Links | None = None) -> None:
        self.out: list[str] = []
        self.symbols = symbols
        self.links = links

    def walk(self, el: etree._Element, symbol: bool = False) -> None:
        out = self.out
        get = _LOCAL.get
        for ch in el:
            ln = get(ch.tag)
            if ln is None:
                ln = _ln(ch)
            # "r" and "t" first: most elements are runs and their text ("r", "t" not in _SKIP)
            if ln == "r":
                self.walk(ch, symbol or (self.symbols and _symbol_run(ch)))
            elif ln == "t":
                t = ch.text or ""
                if symbol or (not t.isascii() and _PUA.search(t)):
                    t = "".join(pua_to_mark(c) for c in t)
                out.append(t)
            elif not ln or ln in _SKIP:
                continue
            elif ln == "tab" or ln == "ptab":
                out.append("\t")
            elif ln in ("br", "cr"):
                out.append("\n")
            elif ln == "noBreakHyphen":
                out.append("-")
            elif ln == "sym":
                code = _attr(ch, "char") or ""
                with contextlib.suppress(ValueError):
                    out.append(pua_to_mark(chr(int(code, 16))))
            elif ln == "fldChar":
                if _attr(ch, "fldCharType") == "begin":
                    box = _desc(ch, "checkBox")
                    if box is not None:
                        checked = _child(box, "checked")
                        state = (
                            _on(checked)
                            if checked is not None
                            else _on(_child(box, "default"), default=False)
                        )
                        out.append(TICK_CHAR if state else BOX_CHAR)
            elif ln == "sdt":
                self.sdt(ch)
            elif ln == "hyperlink" and self.links is not None:
                self.hyperlink(ch, symbol)
            else:
                self.walk(ch, symbol)

    def hyperlink(self, link: etree._Element, symbol: bool) -> None:
        """A mailto: link shown with other text than the address ("napisz do mnie"): the
        address it points to; any other link: its text."""
        start = len(self.out)
        self.walk(link, symbol)
        shown = "".join(self.out[start:])
        if "@" in shown or self.links is None:
            return
        rid = _attr(link, "id")
        target = self.links.target(rid) if rid else None
        if target and target.lower().startswith("mailto:") and "@" in target:
            address = target[7:].split("?")[0].strip()
            if address:
                del self.out[start:]
                self.out.append(address)

    def sdt(self, sdt: etree._Element) -> None:
        pr = _child(sdt, "sdtPr")
        content = _child(sdt, "sdtContent")
        if pr is not None:
            box = _child(pr, "checkbox")
            if box is not None:
                self.out.append(
                    TICK_CHAR if _on(_child(box, "checked"), default=False) else BOX_CHAR
                )
                return
            if _child(pr, "showingPlcHdr") is not None:
                return
        if content is not None:
            self.walk(content)


def _symbol_run(r: etree._Element) -> bool:
    rpr = _child(r, "rPr")
    if rpr is None:
        return False
    fonts = _child(rpr, "rFonts")
    if fonts is None:
        return False
    return _symbol_fonts(fonts)


def _symbol_fonts(fonts: etree._Element) -> bool:
    return any(any(s in v.lower() for s in _SYMBOL_FONTS) for v in fonts.attrib.values())


def _any_symbol_fonts(root: etree._Element) -> bool:
    """Does any rFonts of the document name a symbol font? (lxml filters the elements.)"""
    return any(_symbol_fonts(f) for f in root.iter("{*}rFonts"))


class _Links:
    """The main part's relationships (hyperlink targets), read only when a link needs one."""

    def __init__(self, zf: zipfile.ZipFile, part: str, limits: ParseLimits) -> None:
        self.zf, self.part, self.limits = zf, part, limits
        self._targets: dict[str, str] | None = None

    def target(self, rid: str) -> str | None:
        if self._targets is None:
            self._targets = {}
            head, tail = posixpath.split(self.part)
            name = find_member(self.zf, posixpath.join(head, "_rels", tail + ".rels"))
            if name is not None:
                root = parse_xml(read_member(self.zf, name, self.limits))
                for el in root:
                    if _ln(el) == "Relationship" and el.get("Id"):
                        self._targets[el.get("Id") or ""] = el.get("Target") or ""
        return self._targets.get(rid)


def para_text(p: etree._Element, symbols: bool = True, links: _Links | None = None) -> str:
    t = _Text(symbols, links)
    t.walk(p)
    return "".join(t.out)


def _first_child(el: etree._Element, name: str) -> etree._Element | None:
    """``_child`` with the filtering done by lxml: the first child element called ``name``
    in any namespace or none."""
    return next(el.iterchildren("{*}" + name), None)


class _Blocks:
    def __init__(self, part: str, symbols: bool = True, links: _Links | None = None) -> None:
        self.part = part
        self.symbols = symbols
        self.links = links
        self.n_para = 0
        self.n_table = 0
        self.blocks: list[Block] = []
        self.text_chars = 0

    def body(self, el: etree._Element) -> None:
        get = _LOCAL.get
        for ch in el:
            ln = get(ch.tag)
            if ln is None:
                ln = _ln(ch)
            if ln == "p":
                self.n_para += 1
                text = para_text(ch, self.symbols, self.links)
                self.text_chars += len(text.strip())
                self.blocks.append(Para(text, f"{self.part} paragraph {self.n_para}"))
            elif ln == "tbl":
                self.table(ch)
            elif ln == "sdt":
                pr = _child(ch, "sdtPr")
                if pr is not None and _child(pr, "showingPlcHdr") is not None:
                    continue
                content = _child(ch, "sdtContent")
                if content is not None:
                    self.body(content)
            elif ln in ("customXml", "ins", "moveTo", "smartTag"):
                self.body(ch)

    def table(self, tbl: etree._Element) -> None:
        self.n_table += 1
        t = self.n_table
        r = 0
        for tr in _rows(tbl):
            r += 1
            cells = _cells(tr)
            if len(cells) == 1 and _first_child(cells[0], "tbl") is not None:
                self.body(cells[0])  # a layout table around the form: read what is inside
                continue
            src = f"{self.part} table {t} row {r}"
            row_cells = []
            for tc in cells:
                texts = _cell_texts(tc, self.symbols, self.links)
                self.text_chars += sum(len(x.strip()) for x in texts)
                row_cells.append([Para(x, src) for x in texts])
            self.blocks.append(Row(row_cells, src))


_WRAPPERS = ("sdt", "customXml", "ins", "moveTo")


def _through_wrappers(
    el: etree._Element,
    want: str,
    out: list[etree._Element],
    keep: Callable[[etree._Element], bool] | None = None,
) -> list[etree._Element]:
    """The children of ``el`` named ``want``, also those inside sdt/customXml/ins wrappers."""
    get = _LOCAL.get
    for ch in el:
        ln = get(ch.tag)
        if ln is None:
            ln = _ln(ch)
        if ln == want:
            if keep is None or keep(ch):
                out.append(ch)
        elif ln in _WRAPPERS:
            inner = _child(ch, "sdtContent") if ln == "sdt" else ch
            if inner is not None:
                _through_wrappers(inner, want, out, keep)
    return out


def _not_deleted(tr: etree._Element) -> bool:
    trpr = _first_child(tr, "trPr")
    return trpr is None or _first_child(trpr, "del") is None


def _rows(tbl: etree._Element) -> list[etree._Element]:
    """The table's rows (deleted ones left out), also those inside wrappers."""
    return _through_wrappers(tbl, "tr", [], _not_deleted)


def _cells(tr: etree._Element) -> list[etree._Element]:
    return _through_wrappers(tr, "tc", [])


def _cell_texts(el: etree._Element, symbols: bool = True, links: _Links | None = None) -> list[str]:
    out: list[str] = []
    get = _LOCAL.get
    for ch in el:
        ln = get(ch.tag)
        if ln is None:
            ln = _ln(ch)
        if ln == "p":
            out.append(para_text(ch, symbols, links))
        elif ln == "tbl":
            for tr in _rows(ch):
                parts = ["\n".join(_cell_texts(tc, symbols, links)).strip() for tc in _cells(tr)]
                out.append("\t".join(p for p in parts if p))
        elif ln == "sdt":
            pr = _child(ch, "sdtPr")
            if pr is not None and _child(pr, "showingPlcHdr") is not None:
                continue
            content = _child(ch, "sdtContent")
            if content is not None:
                out.extend(_cell_texts(content, symbols, links))
        elif ln in ("customXml", "ins", "moveTo", "smartTag"):
            out.extend(_cell_texts(ch, symbols, links))
    return out


def main_part(zf: zipfile.ZipFile, limits: ParseLimits) -> str:
    """The main document part: [Content_Types].xml, else _rels/.rels, else word/document.xml."""
    ct = find_member(zf, "[Content_Types].xml")
    if ct is not None:
        root = parse_xml(read_member(zf, ct, limits))
        for el in root.iterchildren("{*}Override"):  # lxml filters by local name
            if (el.get("ContentType") or "").strip() in MAIN_TYPES:
                found = find_member(zf, el.get("PartName") or "")
                if found:
                    return found
    rels = find_member(zf, "_rels/.rels")
    if rels is not None:
        root = parse_xml(read_member(zf, rels, limits))
        for el in root:
            if _ln(el) == "Relationship" and (el.get("Type") or "").endswith(OFFICE_DOC_REL):
                target = posixpath.normpath(el.get("Target") or "").lstrip("/")
                found = find_member(zf, target)
                if found:
                    return found
    found = find_member(zf, "word/document.xml")
    if found is None:
        raise Refused("corrupt", "no main document part in the DOCX")
    return found


def read_blocks(zf: zipfile.ZipFile, limits: ParseLimits) -> tuple[list[Block], int, bool]:
    """(blocks, characters of text, has images) of the main document part."""
    part = main_part(zf, limits)
    root = parse_xml(read_member(zf, part, limits))
    body = _child(root, "body")
    b = _Blocks(posixpath.basename(part), _any_symbol_fonts(root), _Links(zf, part, limits))
    if body is not None:
        b.body(body)
    has_media = any(n.lower().startswith(("word/media/", "media/")) for n in zf.namelist())
    return b.blocks, b.text_chars, has_media
