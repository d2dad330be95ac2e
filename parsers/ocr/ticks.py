"""Is a printed box ticked? Decided from the pixels in and around it, never from OCR letters.

The box is looked for where the form puts it: left of its printed choice or statement text,
on the text's first line. It is found as the square whose four sides are darkest (a printed
☐, a PDF check box). A pen mark is:

- ink inside the box (an X, a ✓, a filled square, a typed ☒), or
- ink around it that no printed text explains: above or below the text line (the long stroke of
  a ✓, an X larger than the box, a circle around the number) or left of the box.

Single specks (scanner noise) are not ink: a dark pixel counts only with at least two dark
neighbours. Printed lines of other text are masked by their word boxes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from parsers.ocr.blobs import reached
from parsers.ocr.layout import Anchor
from parsers.ocr.words import OWord

DARK = 165  # grey level below which a pixel of the evened page is ink
#: the share of the box's inside that an X, a ✓ or a fill darkens (an empty box: ~0)
INSIDE_TICK = 0.03
#: ink around the box, in box areas, that no printed text explains
AROUND_TICK = 0.07
#: ink both inside and around a box counts at this weight of the two shares' sum
BOTH = 0.75


@dataclass(frozen=True)
class Tick:
    ticked: bool
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom (pixels): the box, or the zone
    found_box: bool
    inside: float
    around: float


def _ink(a: Any) -> Any:
    """Dark pixels with at least two dark neighbours (3×3)."""
    import numpy as np

    d = a.astype(np.uint8)
    p = np.pad(d, 1)
    n = sum(
        p[1 + dy : 1 + dy + d.shape[0], 1 + dx : 1 + dx + d.shape[1]]
        for dy in (-1, 0, 1)
        for dx in (-1, 0, 1)
    )
    return (d > 0) & (n >= 3)


def _find_box(
    dark: Any, h: float, rows: tuple[float, float] | None = None
) -> tuple[int, int, int, float] | None:
    """(x, y, side, score) of the most box-like square in ``dark``: its four sides dark and
    the strips just outside them light (a printed box stands alone; the inside of a "4" or
    an "8" does not). ``rows``: where the square's middle may lie (the text line's band: a
    letter of the next line, a "P", is no box)."""
    import numpy as np

    H, W = dark.shape
    lo, hi = max(5, int(0.45 * h)), min(max(6, int(2.6 * h)), H, W)
    if hi < lo:
        return None
    pad = 2 * (hi // 8) + 4  # the outside strips reach past the zone: light there
    d = np.pad(dark.astype(np.int32), pad)
    sat = np.zeros((d.shape[0] + 1, d.shape[1] + 1), dtype=np.int32)
    sat[1:, 1:] = d.cumsum(axis=0).cumsum(axis=1)

    def strip(dy: int, dx: int, hh: int, ww: int, n: int, m: int) -> Any:
        """Sums of the hh × ww rectangles at (y + dy, x + dx) for every corner (y, x) of an
        n × m grid of squares (zone coordinates)."""
        y0, x0 = pad + dy, pad + dx
        a = sat[y0 + hh : y0 + hh + n, x0 + ww : x0 + ww + m]
        b = sat[y0 : y0 + n, x0 + ww : x0 + ww + m]
        c = sat[y0 + hh : y0 + hh + n, x0 : x0 + m]
        e = sat[y0 : y0 + n, x0 : x0 + m]
        return (a - b - c + e) / float(hh * ww)

    best: tuple[int, int, int, float] | None = None
    for s in range(lo, hi + 1):
        t = max(1, s // 8)
        g = t + 1  # the outside strips begin this far out
        n, m = H - s + 1, W - s + 1
        weakest = np.minimum(
            np.minimum(strip(0, 0, t, s, n, m), strip(s - t, 0, t, s, n, m)),
            np.minimum(strip(0, 0, s, t, n, m), strip(0, s - t, s, t, n, m)),
        )
        outside = (
            strip(-g - t, 0, t, s, n, m)
            + strip(s + g, 0, t, s, n, m)
            + strip(0, -g - t, s, t, n, m)
            + strip(0, s + g, s, t, n, m)
        ) / 4
        score = np.where(weakest >= 0.55, weakest - outside, -1.0)
        if rows is not None:
            middle = np.arange(n) + s / 2
            score[(middle < rows[0]) | (middle > rows[1])] = -1.0
        i = int(np.argmax(score))
        y, x = divmod(i, m)
        value = float(score[y, x])
        if value < 0:
            continue
        # a larger square as good is the box (its inside may be filled)
        if best is None or value > best[3] + 0.03 or (value >= best[3] - 0.03 and s > best[2]):
            best = (int(x), int(y), s, value)
    return best


_DESCENDING = set("gjpqyąęQ,;()/[]{}|_")
_ASCENDING = set("ABCDEFGHIJKLMNOPQRSTUVWXYZĄĆĘŁŃÓŚŹŻ0123456789bdfhklłtćńóśźż")


def _letter_band(line: Sequence[OWord], h: float) -> tuple[int, int]:
    """(top of capitals and digits, baseline) of a printed line: where a printed number
    before it lies. Words with descending letters do not say where the baseline is."""
    import numpy as np

    base = [w.bottom for w in line if not (_DESCENDING & set(w.text))]
    tops = [w.top for w in line if _ASCENDING & set(w.text)]
    baseline = float(np.median(base)) if base else max(w.bottom for w in line) - 0.2 * h
    cap = float(np.median(tops)) if tops else min(w.top for w in line)
    return int(cap), int(baseline)


def junk(w: OWord) -> bool:
    """Not a word of text: fewer than four letters or digits, or barely recognised."""
    return sum(c.isalnum() for c in w.text) < 4 or w.conf < 50


def read_tick(
    page: Any,
    anchor: Anchor,
    others: Sequence[OWord],
    rivals: Sequence[tuple[float, float]] = (),
    before: Tick | None = None,
    column: tuple[int, int] | None = None,
) -> Tick:
    """``page``: the evened grey page as a numpy array; ``others``: words of other lines;
    ``rivals``: the centres (x, y) of the other boxes on the page — ink around this box that
    lies nearer to one of them is that box's mark (an X larger than the box above);
    ``before``: this box's first reading (the box is not looked for again); ``column``:
    (left, side) of the boxes the page's other choices and statements have — the box is
    looked for there, on this text's first line, and taken to be there when its outline is
    hidden (a ✓ across it and the first word read as one)."""
    import numpy as np

    line = anchor.first_line
    h = float(np.median([w.height for w in line]))
    top, bottom = _letter_band(line, h)
    text_left = anchor.text_left
    H = page.shape[0]
    x0 = max(0, int(text_left - 6.0 * h))
    # a box read as part of the first word ("(Oświadczam"): its left is only estimated
    glued = anchor.glued or not anchor.words[0].text[:1].isalnum()
    x1 = max(x0 + 1, int(text_left + (0.3 if glued else -0.1) * h))
    if column is not None:
        x0, x1 = max(0, column[0] - column[1]), column[0] + 2 * column[1]
    elif before is not None and before.found_box:
        bl, _, br, _ = before.box  # the zone holds the box and a side's width around it
        x0, x1 = max(0, min(x0, 2 * bl - br)), max(x1, 2 * br - bl)
    y0 = max(0, int(top - 1.0 * h))
    y1 = min(H, int(bottom + 1.0 * h))
    zone = page[y0:y1, x0:x1] < DARK
    if zone.size == 0:
        return Tick(False, 0.0, (x0, y0, x1, y1), False, 0.0, 0.0)
    mask = np.ones_like(zone, dtype=bool)
    mine = {id(w) for w in line} | {id(w) for w in anchor.lead}
    # the line's own band by its middle word: a word that took in a mark or a letter of the
    # next line ("śeslożiod" over two lines) does not stretch it over the next line's words
    line_top = float(np.median([w.top for w in line])) - 0.15 * h
    line_bottom = float(np.median([w.bottom for w in line])) + 0.15 * h
    for w in others:
        if id(w) in mine or line_top <= w.cy <= line_bottom or (w.height > 1.6 * h and junk(w)):
            # this line's own words (a box or a pen mark read as one, too); a "word" taller
            # than a line is boxes and marks read as letters, not text — unless it reads as
            # a word (a line of text whose box took in a pen mark beside it)
            continue
        if w.right < x0 or w.left > x1 or w.bottom < y0 or w.top > y1:
            continue
        mask[
            max(0, w.top - y0 - 1) : max(0, w.bottom - y0 + 1),
            max(0, w.left - x0 - 1) : max(0, w.right - x0 + 1),
        ] = False
    dark = zone & mask
    ink = _ink(dark)
    rows = (top - y0 - 0.3 * h, bottom - y0 + 0.3 * h)
    if column is not None:
        found = _find_box(dark, h, rows)
        if found is not None and abs(found[0] + x0 - column[0]) > column[1] / 2:
            found = None  # a square in the letters beside the column
        if found is None:  # the outline hidden by the mark: the box is where the others are
            side = column[1]
            found = (column[0] - x0, round((top + bottom - side) / 2) - y0, side, 0.0)
    elif before is None:
        found = _find_box(dark, h, rows)
    elif before.found_box:  # read a second time: the box is where it was found
        bl, bt, br, _ = before.box
        found = (bl - x0, bt - y0, br - bl, 1.0)
    else:
        found = None
    band_top, band_bottom = int(top - y0 - 0.08 * h), int(bottom - y0 + 0.08 * h)
    if found is not None:
        bx, by, s, _ = found
        m = max(2, s // 8 + 2)  # the outline (and its blur) left out
        inside_px = ink[by + m : by + s - m, bx + m : bx + s - m]
        inside = float(inside_px.mean()) if inside_px.size else 0.0
        around = ink.copy()
        g = max(2, round(0.18 * s))
        around[max(0, by - g) : by + s + g, max(0, bx - g) : bx + s + g] = False
        # printed text right of the box (the number "1.") lies in the line's band
        around[max(0, band_top) : max(0, band_bottom), bx + s :] = False
        around_share = float(around.sum()) / float(s * s)
        box = (x0 + bx, y0 + by, x0 + bx + s, y0 + by + s)
    else:
        # no printed box: only a mark off the text line counts (a circle, a tick beside it)
        inside = 0.0
        around = ink.copy()
        around[max(0, band_top) : max(0, band_bottom), :] = False
        around_share = float(around.sum()) / float(max(1.0, h * h))
        box = (x0, y0, x1, y1)
    if rivals:
        # whole strokes, also beyond the zone: a ✓ drawn on the box below reaches into it
        reach = round(2.0 * h)
        Y0, Y1, X1 = max(0, y0 - reach), min(H, y1 + reach), min(page.shape[1], x1 + reach)
        wide = _ink(page[Y0:Y1, x0:X1] < DARK)
        seeds = np.zeros_like(wide)
        seeds[y0 - Y0 : y1 - Y0, : x1 - x0] = around
        share = _own_share(wide, seeds, box, (x0, Y0), rivals)
        around_share *= share
    # a ✓ drawn across the box's edge is split between the inside and around it: the two
    # together count too
    inside_score, around_score = inside / INSIDE_TICK, around_share / AROUND_TICK
    score = max(inside_score, around_score, BOTH * (inside_score + around_score))
    ticked = score >= 1.0
    margin = score if ticked else (1.0 / score if score > 0 else 10.0)
    confidence = min(1.0, 0.5 + 0.5 * min(1.0, (margin - 1.0) / 1.5))
    if found is None:
        confidence *= 0.8
    return Tick(ticked, confidence, box, found is not None, inside, around_share)


def _own_share(
    ink: Any,
    around: Any,
    box: tuple[int, int, int, int],
    origin: tuple[int, int],
    rivals: Sequence[tuple[float, float]],
) -> float:
    """The share of the ink ``around`` the box (pixels of ``ink``, a picture from ``origin``)
    in strokes whose middle lies nearer to the box than to every rival box's centre: a
    circle round the number, an X or a ✓ larger than its box is one stroke, counted for the
    box it is drawn on."""
    total = int(around.sum())
    if not total:
        return 1.0
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    mine = 0
    for group, (top, left, bottom, right) in reached(ink, around):
        x = origin[0] + (left + right) / 2
        y = origin[1] + (top + bottom) / 2
        own = (x - cx) ** 2 + (y - cy) ** 2
        if all(own <= (x - rx) ** 2 + (y - ry) ** 2 for rx, ry in rivals):
            mine += int((group & around).sum())
    return mine / total


def box_column(ticks: Sequence[Tick]) -> tuple[int, int] | None:
    """(left, side) of the column the page's boxes stand in: the middle left edge and side of
    the boxes found, when most of them (three at least) agree on it — a form prints its
    boxes one under another."""
    import numpy as np

    found = [t.box for t in ticks if t.found_box]
    if len(found) < 3:
        return None
    side = int(np.median([b[2] - b[0] for b in found]))
    left = int(np.median([b[0] for b in found]))
    agree = [
        b for b in found if abs(b[0] - left) <= side / 2 and abs(b[2] - b[0] - side) <= side / 3
    ]
    if len(agree) < max(3, (len(found) + 1) // 2):
        return None
    return left, side


def in_column(tick: Tick, column: tuple[int, int]) -> bool:
    left, side = column
    return tick.found_box and abs(tick.box[0] - left) <= side / 2
