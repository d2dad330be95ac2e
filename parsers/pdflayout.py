"""A printed PDF read by its text layout: the page's text fragments in lines, the form's printed
texts found among them (labels wrapped over lines joined), and every other fragment given to
the nearest printed text above it or on its line to its left."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsers.flow import FormResult
from parsers.marks import split_mark
from parsers.spec import FormSpec
from parsers.text import Match, Matcher


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


def text_lines(frags: list[Frag]) -> list[list[Frag]]:
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


def drop_running(frags: list[Frag], n_pages: int, heights: dict[int, float]) -> list[Frag]:
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


BOX_KINDS = ("option", "checkbox")


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
                tick if match.kind in BOX_KINDS else None,
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
        if a.page != f.page or a.match.kind not in BOX_KINDS:
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


def values_inside_multiline(
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
