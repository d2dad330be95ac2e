"""PDF (pypdf): AcroForm fields by name or by the nearest label, and printed forms by layout."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from parsers.flow import FormResult
from parsers.model import Extraction, ParseLimits
from parsers.spec import FormSpec
from parsers.text import Match, Matcher, norm, split_mark
from parsers.zipsafe import Refused


@dataclass
class Frag:
    page: int
    x: float
    y: float
    size: float
    text: str
    #: where the fragments merged into this one began: (offset in ``text``, x)
    starts: tuple[tuple[int, float], ...] = ()

    @property
    def right(self) -> float:
        return self.x + 0.5 * self.size * len(self.text)


@dataclass
class Anchor:
    page: int
    x: float
    top: float
    bottom: float
    size: float
    match: Match
    text: str
    tick: bool | None = None
    values: list[Frag] = field(default_factory=list)


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


# --- text layout -----------------------------------------------------------------------------


def page_frags(page: Any, index: int) -> list[Frag]:
    out: list[Frag] = []

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if not text or not text.strip():
            return
        # position = tm x cm (pypdf's mult, inlined)
        a, b, _c, d, e, f = tm
        a2, _b2, c2, d2, e2, f2 = cm
        x = e * a2 + f * c2 + e2
        y = e * _b2 + f * d2 + f2
        fs = max(float(size) * abs(a * a2 + b * c2 or d * d2) if size else 10.0, 1.0)
        lines = text.replace("\r", "\n").split("\n")
        for i, line in enumerate(lines):
            if line.strip():
                out.append(Frag(index, float(x), float(y) - i * fs * 1.2, fs, line))

    page.extract_text(visitor_text=visit)
    return out


def _lines(frags: list[Frag]) -> list[list[Frag]]:
    """Fragments grouped into lines (same page, same baseline), top to bottom, left to right;
    neighbours on a line merged when close (words of one cell)."""
    frags = sorted(frags, key=lambda f: (f.page, -f.y, f.x))
    lines: list[list[Frag]] = []
    for f in frags:
        if (
            lines
            and lines[-1][0].page == f.page
            and abs(lines[-1][0].y - f.y) <= 0.35 * max(f.size, lines[-1][0].size)
        ):
            lines[-1].append(f)
        else:
            lines.append([f])
    merged: list[list[Frag]] = []
    for line in lines:
        line.sort(key=lambda f: f.x)
        out = [line[0]]
        for f in line[1:]:
            prev = out[-1]
            gap = f.x - prev.right
            if gap < 1.2 * max(prev.size, f.size) and f.x >= prev.x:
                sep = (
                    ""
                    if prev.text.endswith(" ") or f.text.startswith(" ") or gap < 0.1 * f.size
                    else " "
                )
                out[-1] = Frag(
                    prev.page,
                    prev.x,
                    prev.y,
                    max(prev.size, f.size),
                    prev.text + sep + f.text,
                    (*prev.starts, (len(prev.text) + len(sep), f.x)),
                )
            else:
                out.append(f)
        merged.append(out)
    return merged


def _drop_running(frags: list[Frag], n_pages: int, heights: dict[int, float]) -> list[Frag]:
    """Headers/footers: the same text at the same place on several pages."""
    if n_pages < 2:
        return frags
    if len({f.page for f in frags}) < 2:
        return frags
    seen: dict[tuple[int, str], set[int]] = {}
    for f in frags:
        seen.setdefault((round(f.y), f.text.strip()), set()).add(f.page)
    out = []
    for f in frags:
        h = heights.get(f.page, 842.0)
        edge = f.y < 0.12 * h or f.y > 0.88 * h
        if edge and len(seen[(round(f.y), f.text.strip())]) >= 2:
            continue
        out.append(f)
    return out if out else frags


_BOX_KINDS = ("option", "checkbox")


def _unmerge_wrapped_labels(lines: list[list[Frag]], m: Matcher) -> None:
    """A label wrapped inside its table cell whose first line was merged with the value in the
    cell beside it ("Telefon kontaktowy (kandydata lub rodzica / 604 118 227" over
    "opiekuna):"): the value is split off where its own text began, so that the label's lines
    join into one label and its second line is never taken for a value."""
    for li, line in enumerate(lines):
        for fi, f in enumerate(line):
            if not f.starts:
                continue
            nxt = _continuation(lines, li, f, f)
            if nxt is None:
                continue
            whole = m.classify(f.text, partial=True)
            if whole is not None and m.extends(whole.key, f.text.rstrip() + " " + nxt.text):
                continue  # the merged line goes on with the next one as it is
            for i in range(len(f.starts) - 1, -1, -1):
                offset, x = f.starts[i]
                head, tail = f.text[:offset].rstrip(), f.text[offset:].strip()
                match = m.classify(head, partial=True) if head and tail else None
                if (
                    match is None
                    or match.kind not in ("label", "groups", "heading")
                    or match.rest
                    or not m.extends(match.key, head + " " + nxt.text.strip())
                ):
                    continue
                rebased = tuple((o - offset, xx) for o, xx in f.starts[i + 1 :])
                line[fi : fi + 1] = [
                    Frag(f.page, f.x, f.y, f.size, head, f.starts[:i]),
                    Frag(f.page, x, f.y, f.size, f.text[offset:], rebased),
                ]
                break


def find_anchors(lines: list[list[Frag]], m: Matcher) -> tuple[list[Anchor], list[Frag]]:
    """The form's printed texts (labels wrapped over lines joined) and the other fragments."""
    _unmerge_wrapped_labels(lines, m)
    used: set[int] = set()
    flat = [f for line in lines for f in line]
    index = {id(f): i for i, f in enumerate(flat)}
    line_of = {id(f): li for li, line in enumerate(lines) for f in line}
    anchors: list[Anchor] = []
    for f in flat:
        if id(f) in used:
            continue
        match = m.classify(f.text, partial=True)
        text = f.text
        bottom = f.y
        li = line_of[id(f)]
        last = f
        if match is None:
            # the beginning of a label or box text wrapped in a narrow column: join its
            # lines while they still begin one, then classify what they make together
            if not m.begins_entry(text):
                continue
            taken: list[Frag] = []
            for _ in range(4):
                nxt = _continuation(lines, li, last, f)
                if nxt is None or id(nxt) in used:
                    break
                joined = text.rstrip() + " " + nxt.text.strip()
                if not m.begins_entry(joined) and m.classify(joined, partial=True) is None:
                    break
                taken.append(nxt)
                text, last, bottom, li = joined, nxt, nxt.y, line_of[id(nxt)]
                match = m.classify(text, partial=True)
                if match is not None:
                    break
            if match is None:
                continue
            used.update(id(x) for x in taken)
        used.add(id(f))
        if match.kind in ("label", "groups", "option", "checkbox", "stop") and not match.rest:
            for _ in range(6):
                nxt = _continuation(lines, li, last, f, loose=match.kind != "stop")
                if nxt is None:
                    break
                joined = text.rstrip() + " " + nxt.text.strip()
                if match.kind == "stop":
                    ok = nxt.size <= f.size * 1.05 and m.classify(nxt.text, True) is None
                else:
                    ok = m.extends(match.key, joined)
                    head, colon, after = nxt.text.partition(":")
                    if (
                        not ok
                        and colon
                        and match.kind == "label"
                        and m.extends(match.key, text.rstrip() + " " + head.strip())
                    ):
                        # the last line of a wrapped label with the value after a colon
                        used.add(id(nxt))
                        match = Match("label", match.key, after.strip())
                        bottom = nxt.y
                        break
                if not ok:
                    break
                used.add(id(nxt))
                text, last, bottom, li = joined, nxt, nxt.y, line_of[id(nxt)]
            if match.partial:
                full = m.classify(text)
                match = full if full is not None and full.kind == match.kind else match
        tick, _ = split_mark(text)
        anchors.append(
            Anchor(
                f.page,
                f.x,
                f.y,
                bottom,
                f.size,
                match,
                text,
                tick if match.kind in _BOX_KINDS else None,
            )
        )
    rest = [f for f in flat if id(f) not in used]
    del index
    return anchors, rest


def _continuation(
    lines: list[list[Frag]], li: int, last: Frag, first: Frag, loose: bool = False
) -> Frag | None:
    """The fragment of the next line that may continue ``first``'s text: it starts where
    ``first`` does (or a little to its right); with ``loose``, else one under ``first``'s own
    span (a label centred or right-aligned in its cell, whose lines start at different
    places) — the caller checks that the text it makes is still the label."""
    if li + 1 >= len(lines):
        return None
    under: Frag | None = None
    for g in lines[li + 1]:
        if g.page != last.page:
            return None
        if last.y - g.y > 1.8 * last.size:
            return None
        if abs(g.x - first.x) <= 3 or (first.x < g.x < first.x + 3 * first.size):
            return g
        if loose and under is None and g.x < first.right and g.right > first.x:
            under = g
    return under


def assign(anchors: list[Anchor], frags: list[Frag]) -> None:
    """Each remaining fragment belongs to the nearest form text above it (or on its line, to
    its left); tick marks on a box line tick that box."""
    order = sorted(anchors, key=lambda a: (a.page, -a.top, a.x))
    for f in frags:
        tick, rest = split_mark(f.text)
        if tick is not None and not rest:
            box = _box_on_line(order, f)
            if box is not None:
                box.tick = box.tick or tick
                continue
        for a in reversed(order):
            if a.page > f.page:
                continue
            if a.page == f.page:
                tol = 0.5 * max(a.size, f.size)
                if a.top < f.y - tol:
                    continue
                if abs(a.top - f.y) <= tol and a.x > f.x + 1:
                    continue
            a.values.append(f)
            break


def _box_on_line(anchors: list[Anchor], f: Frag) -> Anchor | None:
    best: Anchor | None = None
    for a in anchors:
        if a.page != f.page or a.match.kind not in _BOX_KINDS:
            continue
        if abs(a.top - f.y) > 0.6 * max(a.size, f.size):
            continue
        if best is None or abs(a.x - f.x) < abs(best.x - f.x):
            best = a
    return best


def _value_lines(frags: list[Frag]) -> list[str]:
    frags = sorted(frags, key=lambda f: (f.page, -f.y, f.x))
    lines: list[list[Frag]] = []
    for f in frags:
        if lines and lines[-1][0].page == f.page and abs(lines[-1][0].y - f.y) <= 0.35 * f.size:
            lines[-1].append(f)
        else:
            lines.append([f])
    return [" ".join(g.text.strip() for g in sorted(line, key=lambda g: g.x)) for line in lines]


def _values_inside_multiline(
    anchors: list[Anchor], rest: list[Frag], spec: FormSpec
) -> tuple[list[Anchor], list[Frag]]:
    """A "Label: value" line inside a multi-line value (the experience text says "Stanowisko:
    kierowniczka CIS") whose label was printed above it already is a line of that value."""
    multiline = {f.key for f in spec.fields if f.multiline}
    seen: set[str] = set()
    inside: str | None = None
    keep: list[Anchor] = []
    for a in anchors:
        k, key = a.match.kind, a.match.key
        if k == "label" and a.match.rest and inside is not None and key != inside and key in seen:
            rest.append(Frag(a.page, a.x, a.top, a.size, a.text))
            continue
        if k == "label":
            seen.add(key)
        inside = key if k == "label" and key in multiline and not a.match.rest else None
        keep.append(a)
    return keep, rest


def _declared(a: Anchor, m: Matcher, result: FormResult) -> None:
    """A line under the groups naming the chosen ones ("Wybrana grupa: 3")."""
    for line in _value_lines(a.values):
        numbers = m.declared_groups(line)
        if numbers:
            result.declare_groups(numbers)


def _beside(a: Anchor, f: Frag) -> bool:
    """Is the fragment on the anchor's (last) line, to its right?"""
    return f.page == a.page and f.x > a.x and abs(f.y - a.bottom) <= 0.5 * max(a.size, f.size)


def layout_result(anchors: list[Anchor], result: FormResult, m: Matcher) -> None:
    for a in anchors:
        k = a.match.kind
        src = f"page {a.page + 1} text"
        if k == "label":
            result.labels.add(a.match.key)
            rest = a.match.rest
            if a.match.spaced and any(_beside(a, v) for v in a.values):
                rest = ""  # a longer printed label, its value in the column to its right
            lines = ([rest] if rest else []) + _value_lines(a.values)
            result.add_value(a.match.key, lines, src)
        elif k == "groups":
            result.labels.add(a.match.key)
            _declared(a, m, result)
        elif k == "option":
            result.add_option(int(a.match.key), a.tick, src)
            _declared(a, m, result)
        elif k == "checkbox":
            result.add_box(a.match.key, a.tick, src)


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
            if a.match.kind in _BOX_KINDS and abs(a.top - cy) <= max(y1 - y0, a.size) * 0.8
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
    frags = _drop_running(frags, len(heights), heights)
    has_values = any(w.value not in (None, "", "/Off") for w in widgets)
    if not frags and not has_values and (images or not widgets):
        return Extraction(
            False, "scan", "pdf", spec.empty_fields(), {}, "no text on any page (image-only pages)"
        )
    lines = _lines(frags)
    identification = named or identifier.identify(
        [*(f.text for line in lines for f in line), *(w.tooltip for w in widgets if w.tooltip)]
    )
    anchors, rest = find_anchors(lines, m)
    anchors, rest = _values_inside_multiline(anchors, rest, spec)
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
