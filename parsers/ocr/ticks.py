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

from parsers.ocr.layout import Anchor, OWord

DARK = 165  # grey level below which a pixel of the evened page is ink
#: the share of the box's inside that an X, a ✓ or a fill darkens (an empty box: ~0)
INSIDE_TICK = 0.05
#: ink around the box, in box areas, that no printed text explains
AROUND_TICK = 0.22


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


def _find_box(dark: Any, h: float) -> tuple[int, int, int, float] | None:
    """(x, y, side, how dark its weakest side is) of the most box-like square in ``dark``."""
    import numpy as np

    H, W = dark.shape
    sat = np.zeros((H + 1, W + 1), dtype=np.int32)
    sat[1:, 1:] = np.cumsum(np.cumsum(dark.astype(np.int32), axis=0), axis=1)

    def rect(y0: Any, x0: Any, y1: Any, x1: Any) -> Any:
        return sat[y1, x1] - sat[y0, x1] - sat[y1, x0] + sat[y0, x0]

    best: tuple[int, int, int, float] | None = None
    lo, hi = max(5, int(0.45 * h)), max(6, int(1.7 * h))
    for s in range(lo, min(hi, H, W) + 1):
        t = max(1, s // 8)
        n = H - s + 1
        m = W - s + 1
        if n <= 0 or m <= 0:
            break
        ys = np.arange(n)[:, None]
        xs = np.arange(m)[None, :]
        top = rect(ys, xs, ys + t, xs + s) / (t * s)
        bottom = rect(ys + s - t, xs, ys + s, xs + s) / (t * s)
        left = rect(ys, xs, ys + s, xs + t) / (t * s)
        right = rect(ys, xs + s - t, ys + s, xs + s) / (t * s)
        weakest = np.minimum(np.minimum(top, bottom), np.minimum(left, right))
        i = int(np.argmax(weakest))
        y, x = divmod(i, m)
        score = float(weakest[y, x])
        # a larger square of the same darkness is the box (its inside may be filled)
        better = best is None or score > best[3] + 0.02 or (score >= best[3] - 0.02 and s > best[2])
        if better and score >= 0.55:
            best = (x, y, s, score)
    return best


def read_tick(page: Any, anchor: Anchor, others: Sequence[OWord]) -> Tick:
    """``page``: the evened grey page as a numpy array; ``others``: words of other lines."""
    import numpy as np

    line = anchor.first_line
    h = float(np.median([w.height for w in line]))
    top = min(w.top for w in line)
    bottom = max(w.bottom for w in line)
    text_left = anchor.text_left
    H = page.shape[0]
    x0 = max(0, int(text_left - 5.0 * h))
    x1 = max(x0 + 1, int(text_left - 0.1 * h))
    y0 = max(0, int(top - 0.9 * h))
    y1 = min(H, int(bottom + 0.9 * h))
    zone = page[y0:y1, x0:x1] < DARK
    if zone.size == 0:
        return Tick(False, 0.0, (x0, y0, x1, y1), False, 0.0, 0.0)
    mask = np.ones_like(zone, dtype=bool)
    mine = {id(w) for w in line} | {id(w) for w in anchor.lead}
    for w in others:
        if id(w) in mine:
            continue
        if w.right < x0 or w.left > x1 or w.bottom < y0 or w.top > y1:
            continue
        mask[
            max(0, w.top - y0 - 1) : max(0, w.bottom - y0 + 1),
            max(0, w.left - x0 - 1) : max(0, w.right - x0 + 1),
        ] = False
    dark = zone & mask
    ink = _ink(dark)
    found = _find_box(dark, h)
    band_top, band_bottom = int(top - y0 - 0.12 * h), int(bottom - y0 + 0.12 * h)
    if found is not None:
        bx, by, s, _ = found
        m = max(2, round(0.24 * s))
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
    score = max(inside / INSIDE_TICK, around_share / AROUND_TICK)
    ticked = score >= 1.0
    margin = score if ticked else (1.0 / score if score > 0 else 10.0)
    confidence = min(1.0, 0.5 + 0.5 * min(1.0, (margin - 1.0) / 1.5))
    if found is None:
        confidence *= 0.8
    return Tick(ticked, confidence, box, found is not None, inside, around_share)
