"""PDF (pypdf): AcroForm fields by name or by the nearest label, and printed forms by layout."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from parsers.flow import FormResult
from parsers.model import Extraction, ParseLimits
from parsers.pdflayout import (
    BOX_KINDS,
    Anchor,
    Frag,
    assign,
    drop_running,
    find_anchors,
    layout_result,
    page_frags,
    text_lines,
    values_inside_multiline,
)
from parsers.spec import FormSpec
from parsers.text import Matcher, norm
from parsers.zipsafe import Refused


@dataclass
class Widget:
    page: int
    name: str
    ftype: str
    value: Any
    state: str | None
    rect: tuple[float, float, float, float] | None
    tooltip: str | None
    flags: int
    on_states: tuple[str, ...] = ()  # the appearance states other than /Off (/Yes, /3 …)


# --- opening ---------------------------------------------------------------------------------


def open_pdf(data: bytes, limits: ParseLimits) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise Refused("corrupt", f"PDF cannot be opened ({type(exc).__name__})") from None
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except DependencyError:
            raise Refused(
                "encrypted",
                "AES-encrypted PDF: opening it needs the optional 'cryptography' package",
            ) from None
        except Exception as exc:  # noqa: BLE001 - any failure to decrypt
            raise Refused("encrypted", f"encrypted PDF ({type(exc).__name__})") from None
        if not ok:
            raise Refused("encrypted", "PDF needs a password to open")
    try:
        n = len(reader.pages)
    except FileNotDecryptedError:
        raise Refused("encrypted", "PDF needs a password to open") from None
    if n > limits.max_pdf_pages:
        raise Refused("limit_exceeded", f"PDF has {n} pages (limit {limits.max_pdf_pages})")
    return reader


# --- AcroForm widgets ------------------------------------------------------------------------


def _resolve(obj: Any) -> Any:
    for _ in range(8):
        if isinstance(obj, IndirectObject):
            obj = obj.get_object()
        else:
            break
    return obj


def _inherited(node: DictionaryObject, key: str) -> Any:
    seen = 0
    while isinstance(node, DictionaryObject) and seen < 32:
        if key in node:
            return _resolve(node[key])
        node = _resolve(node.get("/Parent"))
        seen += 1
    return None


def _full_name(node: DictionaryObject) -> str:
    parts: list[str] = []
    seen = 0
    while isinstance(node, DictionaryObject) and seen < 32:
        t = node.get("/T")
        if t is not None:
            parts.append(str(_resolve(t)))
        node = _resolve(node.get("/Parent"))
        seen += 1
    return ".".join(reversed(parts))


def page_widgets(page: Any, index: int) -> list[Widget]:
    out: list[Widget] = []
    annots = _resolve(page.get("/Annots"))
    if not isinstance(annots, ArrayObject):
        return out
    for ref in annots[:2000]:
        a = _resolve(ref)
        if not isinstance(a, DictionaryObject) or a.get("/Subtype") != "/Widget":
            continue
        ftype = _inherited(a, "/FT")
        if ftype is None:
            continue
        rect = None
        r = _resolve(a.get("/Rect"))
        if isinstance(r, ArrayObject) and len(r) == 4:
            try:
                x0, y0, x1, y1 = (float(_resolve(v)) for v in r)
                rect = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            except (TypeError, ValueError):
                rect = None
        state = a.get("/AS")
        tu = _inherited(a, "/TU")
        ff = _inherited(a, "/Ff")
        try:
            flags = int(ff) if ff is not None else 0
        except (TypeError, ValueError):
            flags = 0
        on_states: tuple[str, ...] = ()
        if ftype == "/Btn":
            ap = _resolve(a.get("/AP"))
            normal = _resolve(ap.get("/N")) if isinstance(ap, DictionaryObject) else None
            if isinstance(normal, DictionaryObject):
                on_states = tuple(str(k) for k in normal if str(k) not in ("/Off", "/off"))
        out.append(
            Widget(
                index,
                _full_name(a),
                str(ftype),
                _inherited(a, "/V"),
                str(state) if state is not None else None,
                rect,
                str(tu) if tu is not None else None,
                flags,
                on_states,
            )
        )
    return out


def _text_value(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, ArrayObject):
        return ", ".join(str(_resolve(x)) for x in v)
    if isinstance(v, bytes):
        return v.decode("latin-1", "replace")
    if isinstance(v, NameObject):
        return None
    return str(v)


def _is_on(w: Widget) -> bool:
    """The field's value /V decides when it names one of this widget's on-states (a check box
    whose appearance /AS was left /Off by the viewer; a radio button's kids share the parent's
    /V); else the appearance state, else /V."""
    if w.value is not None and w.on_states:
        v = str(w.value)
        v = v if v.startswith("/") else "/" + v
        if v in w.on_states:
            return True
        if v in ("/Off", "/off"):
            return False
    state = w.state if w.state is not None else (str(w.value) if w.value is not None else None)
    return state not in (None, "", "/Off", "Off", "/")


_CAMEL = re.compile(r"(?<=[a-ząćęłńóśźż])(?=[A-ZĄĆĘŁŃÓŚŹŻ])")
_INDEX = re.compile(r"\[\d+\]")


def _name_norm(name: str) -> str:
    last = _INDEX.sub("", name).split(".")[-1]
    return norm(_CAMEL.sub(" ", last).replace("_", " "))


class _Names:
    """Field names the spec knows: pdf_names (with {n} for the group number) and keys."""

    def __init__(self, spec: FormSpec) -> None:
        self.exact: dict[str, tuple[str, int | None]] = {}
        self.patterns: list[tuple[re.Pattern[str], str]] = []
        for f in spec.fields:
            self.exact.setdefault(norm(f.key.replace("_", " ")), (f.key, None))
            for p in f.pdf_names:
                if "{n}" in p:
                    rx = re.escape(norm(p.replace("{n}", " 987 "))).replace("987", r"(\d+)")
                    rx = rx.replace(r"\ ", r"\s*")
                    self.patterns.append((re.compile("^" + rx + "$"), f.key))
                else:
                    self.exact.setdefault(norm(p.replace("_", " ")), (f.key, None))
                    self.exact.setdefault(norm(p), (f.key, None))

    def lookup(self, name: str) -> tuple[str, int | None] | None:
        n = _name_norm(name)
        if n in self.exact:
            return self.exact[n]
        for rx, key in self.patterns:
            mm = rx.match(n)
            if mm:
                return key, int(mm.group(1))
        return None


def widgets_result(
    widgets: list[Widget], anchors: list[Anchor], spec: FormSpec, m: Matcher, result: FormResult
) -> int:
    """Put widget values into ``result``; returns how many widgets were mapped to the form."""
    names = _Names(spec)
    types = {f.key: f.type for f in spec.fields}
    mapped = 0
    done: set[tuple[str, int | None]] = set()
    for w in widgets:
        if w.ftype == "/Btn" and w.flags & (1 << 16):  # push button
            continue
        target = _by_name(w, names, types, m)
        if target is None:
            target = _by_position(w, anchors, types)
        if target is None:
            continue
        key, number = target
        mapped += 1
        src = f"page {w.page + 1} field {w.name}"
        t = types.get(key)
        if t == "text":
            if w.ftype == "/Btn":
                continue
            result.labels.add(key)
            value = _text_value(w.value)
            if value is not None and (key, None) not in done:
                result.add_value(key, [value], src)
                done.add((key, None))
        elif t == "groups":
            result.labels.add(key)
            if number is None and w.ftype == "/Btn" and _is_on(w):
                digits = re.findall(r"\d+", (w.state or str(w.value or "")))
                number = int(digits[0]) if digits else None
            if number is not None:
                result.add_option(
                    number,
                    _is_on(w) if w.ftype == "/Btn" else bool((_text_value(w.value) or "").strip()),
                    src,
                )
        elif t == "checkbox":
            result.add_box(
                key,
                _is_on(w) if w.ftype == "/Btn" else bool((_text_value(w.value) or "").strip()),
                src,
            )
    return mapped


def _by_name(
    w: Widget, names: _Names, types: dict[str, str], m: Matcher
) -> tuple[str, int | None] | None:
    hit = names.lookup(w.name)
    if hit is not None:
        return hit
    for text in (w.tooltip, _CAMEL.sub(" ", w.name.split(".")[-1]).replace("_", " ")):
        if not text:
            continue
        mm = m.classify(text)
        if mm is None:
            continue
        if mm.kind == "label" and w.ftype != "/Btn":
            return mm.key, None
        if mm.kind == "option":
            return (next(k for k, t in types.items() if t == "groups"), int(mm.key))
        if mm.kind == "checkbox":
            return mm.key, None
    return None


def _by_position(
    w: Widget, anchors: list[Anchor], types: dict[str, str]
) -> tuple[str, int | None] | None:
    if w.rect is None:
        return None
    x0, y0, x1, y1 = w.rect
    on_page = [a for a in anchors if a.page == w.page]
    if w.ftype == "/Btn":
        cy = (y0 + y1) / 2
        line = [
            a
            for a in on_page
            if a.match.kind in BOX_KINDS and abs(a.top - cy) <= max(y1 - y0, a.size) * 0.8
        ]
        right = [a for a in line if a.x >= x0 - 2]
        pick = min(right, key=lambda a: a.x - x0, default=None) or max(
            line, key=lambda a: a.x, default=None
        )
        if pick is None:
            return None
        if pick.match.kind == "option":
            gkey = next((k for k, t in types.items() if t == "groups"), None)
            return (gkey, int(pick.match.key)) if gkey else None
        return pick.match.key, None
    same = [
        a for a in on_page if a.match.kind == "label" and y0 - 2 <= a.top <= y1 + 2 and a.x < x0
    ]
    if same:
        a = max(same, key=lambda a: a.x)
        return a.match.key, None
    above = [a for a in on_page if a.bottom >= y1 - 2 and a.x < x1]
    if above:
        a = min(above, key=lambda a: a.bottom - y1)
        if a.match.kind == "label":
            return a.match.key, None
    return None


# --- the whole file --------------------------------------------------------------------------


def _has_images(page: Any) -> bool:
    try:
        res = _resolve(page.get("/Resources"))
        xobj = _resolve(res.get("/XObject")) if isinstance(res, DictionaryObject) else None
        if not isinstance(xobj, DictionaryObject):
            return False
        return any(
            isinstance(_resolve(v), DictionaryObject)
            and _resolve(v).get("/Subtype") in ("/Image", "/Form")
            for v in xobj.values()
        )
    except Exception:  # noqa: BLE001 - best effort only
        return False


def extract_pdf(data: bytes, m: Matcher, limits: ParseLimits, deadline: Any) -> Extraction:
    spec = m.spec
    reader = open_pdf(data, limits)
    widgets: list[Widget] = []
    for i, page in enumerate(reader.pages):
        deadline.check()
        try:
            widgets.extend(page_widgets(page, i))
        except (DependencyError, FileNotDecryptedError):
            raise Refused(
                "encrypted",
                "AES-encrypted PDF: opening it needs the optional 'cryptography' package",
            ) from None
        except Exception:  # noqa: BLE001 - one page's broken annotations
            pass
    identifier = spec.identifier()
    named = identifier.by_field_names(_name_norm(w.name) for w in widgets) if widgets else None
    if named is not None:
        # the form's own fillable PDF (its field names say so) whose every field maps by
        # name needs no page text at all
        by_name = FormResult()
        widgets_result(widgets, [], spec, m, by_name)
        if _every_field_found(by_name, spec):
            return by_name.extraction(m, "pdf", named)
    from parsers.ocr import detect

    inks = detect.page_inks(reader)
    scanned = detect.scan_pages(inks)
    if scanned:
        # text OCR wrote over a picture of the page is never read as the applicant's
        return Extraction(
            False,
            "scan",
            "pdf",
            spec.empty_fields(),
            {},
            f"page {scanned[0] + 1}: a picture of the page with an OCR text layer",
        )
    frags: list[Frag] = []
    heights: dict[int, float] = {}
    images = False
    for i, page in enumerate(reader.pages):
        deadline.check()
        try:
            heights[i] = float(page.mediabox.height)
        except Exception:  # noqa: BLE001
            heights[i] = 842.0
        try:
            frags.extend(page_frags(page, i))
        except (DependencyError, FileNotDecryptedError):
            raise Refused(
                "encrypted",
                "AES-encrypted PDF: opening it needs the optional 'cryptography' package",
            ) from None
        except Exception:  # noqa: BLE001 - one page's broken content stream
            pass
        images = images or _has_images(page)
    deadline.check()
    frags = drop_running(frags, len(heights), heights)
    has_values = any(w.value not in (None, "", "/Off") for w in widgets)
    if not frags and not has_values and (images or not widgets):
        return Extraction(
            False, "scan", "pdf", spec.empty_fields(), {}, "no text on any page (image-only pages)"
        )
    lines = text_lines(frags)
    identification = named or identifier.identify(
        [*(f.text for line in lines for f in line), *(w.tooltip for w in widgets if w.tooltip)]
    )
    anchors, rest = find_anchors(lines, m)
    anchors, rest = values_inside_multiline(anchors, rest, spec)
    assign(anchors, rest)
    result = FormResult()
    widgets_result(widgets, anchors, spec, m, result)
    layout_result(anchors, result, m)
    ext = result.extraction(m, "pdf", identification)
    if ext.reason == "not_the_form" and detect.picture_pages(inks) and not has_values:
        # a scanned page and too little text to be the form: a scan of it, for a person
        return Extraction(
            False,
            "scan",
            "pdf",
            spec.empty_fields(),
            {},
            "a scanned page and text that is not the form",
        )
    return ext


def _every_field_found(result: FormResult, spec: FormSpec) -> bool:
    """Did the fields (by name) cover every text field, every group and every statement?"""
    for f in spec.fields:
        if f.type == "text" and f.key not in result.labels:
            return False
        if f.type == "checkbox" and f.key not in result.boxes:
            return False
        if f.type == "groups" and not {o.number for o in f.options} <= set(result.options):
            return False
    return True
