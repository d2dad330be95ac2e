"""ODT (OpenDocument text): content.xml read once with lxml, same rules as DOCX."""

from __future__ import annotations

from lxml import etree

from parsers.flow import Block, Para, Row
from parsers.marks import BOX_CHAR, TICK_CHAR
from parsers.model import ParseLimits
from parsers.xmltree import LOCAL_NAMES as _LOCAL
from parsers.xmltree import attr as _attr
from parsers.xmltree import local_name as _ln
from parsers.xmltree import parse_xml
from parsers.zipsafe import Refused, find_member, open_zip, read_member

_SKIP = frozenset(
    {
        "tracked-changes",
        "note-citation",
        "note-body",
        "soft-page-break",
        "frame",
        "custom-shape",
        "annotation",
        "annotation-end",
        "bookmark",
        "bookmark-start",
        "bookmark-end",
        "change",
        "change-start",
        "change-end",
        "reference-mark",
        "reference-mark-start",
        "reference-mark-end",
        "placeholder",
        "sequence-decls",
        "variable-decls",
        "user-field-decls",
        "forms",
        "table-columns",
        "table-column",
        "table-column-group",
        "rect",
        "g",
        "line",
        "image",
    }
)


def _checkboxes(root: etree._Element) -> dict[str, bool]:
    """form:checkbox controls by id -> ticked (current-state, else state)."""
    out: dict[str, bool] = {}
    for el in root.iter("{*}checkbox"):  # any namespace or none, filtered by lxml
        state = _attr(el, "current-state") or _attr(el, "state") or "unchecked"
        for idname in ("id", "control-id"):
            v = _attr(el, idname)
            if v:
                out[v] = state.strip().lower() == "checked"
    return out


class _Reader:
    def __init__(self, boxes: dict[str, bool]) -> None:
        self.boxes = boxes
        self.blocks: list[Block] = []
        self.n_para = 0
        self.n_table = 0
        self.chars = 0

    def text(self, el: etree._Element) -> str:
        if not len(el):  # a paragraph of plain text: nothing to walk
            return el.text or ""
        out: list[str] = []
        self._walk(el, out)
        return "".join(out)

    def _walk(self, el: etree._Element, out: list[str]) -> None:
        # el is a paragraph or an element inside one, never text:s / text:tab /
        # text:line-break (those are handled below and not walked), so its text is shown
        if el.text:
            out.append(el.text)
        get = _LOCAL.get
        for ch in el:
            ln = get(ch.tag)
            if ln is None:
                ln = _ln(ch)
            if ln and ln not in _SKIP:
                if ln == "s":
                    try:
                        out.append(" " * max(1, min(int(_attr(ch, "c") or 1), 100)))
                    except ValueError:
                        out.append(" ")
                elif ln == "tab":
                    out.append("\t")
                elif ln == "line-break":
                    out.append("\n")
                elif ln == "control":
                    ref = _attr(ch, "control")
                    if ref in self.boxes:
                        out.append(TICK_CHAR if self.boxes[ref] else BOX_CHAR)
                else:
                    self._walk(ch, out)
            if ch.tail:
                out.append(ch.tail)

    def body(self, el: etree._Element) -> None:
        get = _LOCAL.get
        for ch in el:
            ln = get(ch.tag)
            if ln is None:
                ln = _ln(ch)
            if ln in ("p", "h"):
                self.n_para += 1
                text = self.text(ch)
                self.chars += len(text.strip())
                self.blocks.append(Para(text, f"content.xml paragraph {self.n_para}"))
            elif ln == "table":
                self.table(ch)
            elif ln in (
                "list",
                "list-item",
                "list-header",
                "section",
                "index-body",
                "table-of-content",
                "alphabetical-index",
            ):
                self.body(ch)

    def table(self, tbl: etree._Element) -> None:
        self.n_table += 1
        t = self.n_table
        r = 0
        for tr in _rows(tbl):
            r += 1
            # covered cells (merged into the cell above or to the left) stay as empty cells, so
            # that a row under a label merged down keeps its value in the value column
            cells = [c for c in tr if _ln(c) in ("table-cell", "covered-table-cell")]
            if len(cells) == 1 and next(cells[0].iterchildren("{*}table"), None) is not None:
                self.body(cells[0])
                continue
            src = f"content.xml table {t} row {r}"
            row = []
            for tc in cells:
                texts = self.cell_texts(tc)
                self.chars += sum(len(x.strip()) for x in texts)
                row.append([Para(x, src) for x in texts])
            self.blocks.append(Row(row, src))

    def cell_texts(self, el: etree._Element) -> list[str]:
        out: list[str] = []
        get = _LOCAL.get
        for ch in el:
            ln = get(ch.tag)
            if ln is None:
                ln = _ln(ch)
            if ln in ("p", "h"):
                out.append(self.text(ch))
            elif ln == "table":
                for tr in _rows(ch):
                    parts = [
                        "\n".join(self.cell_texts(c)).strip()
                        for c in tr.iterchildren("{*}table-cell")
                    ]
                    out.append("\t".join(p for p in parts if p))
            elif ln in ("list", "list-item", "section"):
                out.extend(self.cell_texts(ch))
        return out


def _rows(tbl: etree._Element, out: list[etree._Element] | None = None) -> list[etree._Element]:
    out = [] if out is None else out
    get = _LOCAL.get
    for ch in tbl:
        ln = get(ch.tag)
        if ln is None:
            ln = _ln(ch)
        if ln == "table-row":
            out.append(ch)
        elif ln in ("table-header-rows", "table-rows", "table-row-group"):
            _rows(ch, out)
    return out


def read(data: bytes, limits: ParseLimits) -> tuple[list[Block], int, bool]:
    """(blocks, characters of text, has images) of an ODT (zip) or flat ODT (XML)."""
    if data.startswith(b"PK"):
        zf = open_zip(data, limits)
        name = find_member(zf, "content.xml")
        if name is None:
            raise Refused("corrupt", "no content.xml in the ODT")
        root = parse_xml(read_member(zf, name, limits))
        media = any(n.lower().startswith("pictures/") for n in zf.namelist())
    else:
        root = parse_xml(data)
        media = False
    reader = _Reader(_checkboxes(root))
    for body in root.iter("{*}body"):  # the first office:body, in document order
        for part in body:
            if _ln(part) == "text":
                reader.body(part)
        break
    return reader.blocks, reader.chars, media
