"""What the picture says of a dot glued between two words and of a letter after a full stop.

Tesseract reads a speck in the space between two words as a dot that glues them ("usług.dla"
for "usług dla"), and now and then a capital as its small letter ("jestem" for "Jestem").
The text cannot tell either from writing ("kom.601234567", "poczta.fm", "dyr. szkoły"); the
picture can:

- a written dot is a mark about as thick as the letters' strokes, sitting on the baseline;
  a speck is thinner, or off the line, or too faint to be seen at all (then the gap between
  the words is empty: a space) — the gap's width says nothing: a dot and a space are as wide
  in the common fonts;
- a capital reaches above the small letters' height (the x-height), its small letter does
  not — looked at only for letters whose small and capital forms differ in height alone
  (never "b", "d", "f", "h", "k", "l", "ł", "t": their small letter is as tall).

Each answer is True, False or None: None when the picture is unclear (the caller then leaves
the text as read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median
from typing import Any

from parsers.ocr.blobs import components
from parsers.ocr.ticks import DARK
from parsers.ocr.words import OWord

#: a group of ink this share of the word's box height or taller is a letter (a dot, an
#: accent, a speck is smaller)
LETTER = 0.35
#: a written dot holds at least this share of the ink of a square as wide as the strokes
DOT_INK = 0.6
#: small letters as tall as a capital: their height says nothing of their case
_TALL_SMALL = frozenset("bdfhklłt")

#: a word of letters, a dot, then small letters or a number, with no space: a glued dot
GLUED_DOT = re.compile(r"^([^\W\d_]{2,})\.([a-ząćęłńóśźż]{2,}|\d+)([.,;:!?)]?)$")

Glyph = tuple[int, int, int, int, int]  # top, left, bottom, right, pixels (page pixels)


def _glyphs(w: OWord, page: Any) -> list[Glyph]:
    """The groups of ink in the word's box (a little above and below it), in page pixels."""
    pad = max(2, w.height // 6)
    top, left = max(0, w.top - pad), max(0, w.left - 1)
    crop = page[top : w.bottom + pad, left : w.right + 1]
    if crop.size == 0:
        return []
    return [
        (t + top, x0 + left, b + top, x1 + left, n) for t, x0, b, x1, n in components(crop < DARK)
    ]


def _levels(w: OWord, page: Any) -> tuple[float, float]:
    """(ink, paper): the grey of the word's darkest and of its lightest pixels."""
    import numpy as np

    crop = page[w.top : w.bottom, w.left : w.right]
    return float(np.percentile(crop, 2)), float(np.percentile(crop, 90))


def _darkness(a: Any, ink: float, paper: float) -> Any:
    """Each pixel's share of full ink (0 paper, 1 ink)."""
    import numpy as np

    return np.clip((paper - a.astype(np.float32)) / max(1.0, paper - ink), 0, 1)


def _stroke(w: OWord, page: Any, ink: float, paper: float) -> float | None:
    """The letters' stroke width: the middle amount of ink across a run of ink along a row
    (in pixels of full ink, a pixel beyond each end of the run counted: a blurred stroke is
    wider and lighter, but holds as much ink)."""
    import numpy as np

    crop = page[w.top : w.bottom, w.left : w.right]
    dark = _darkness(crop, ink, paper)
    runs: list[float] = []
    for mask, row in zip(crop < (ink + paper) / 2, dark, strict=True):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))
        sums = np.concatenate(([0.0], np.cumsum(row)))
        for start, end in zip(edges[::2], edges[1::2], strict=True):
            runs.append(float(sums[min(len(row), end + 1)] - sums[max(0, start - 1)]))
    return float(median(runs)) if runs else None


def _mass(g: Glyph, page: Any, ink: float, paper: float) -> float:
    """How much ink a mark holds, in pixels of full ink: a blurred dot spreads its ink over
    more, lighter pixels, but holds as much of it."""
    crop = page[max(0, g[0] - 1) : g[2] + 2, max(0, g[1] - 1) : g[3] + 2]
    return float(_darkness(crop, ink, paper).sum())


def dot_is_written(w: OWord, page: Any) -> bool | None:
    """For a word read with a glued dot ("usług.dla"): is the dot on the page (True), a
    speck or nothing (False), or can the picture not say (None)?"""
    m = GLUED_DOT.match(w.text)
    if m is None:
        return None
    glyphs = _glyphs(w, page)
    letters = [g for g in glyphs if g[2] - g[0] + 1 >= LETTER * w.height]
    if len(letters) < 2:
        return None
    ink, paper = _levels(w, page)
    stroke = _stroke(w, page, ink, paper)
    if stroke is None:
        return None
    baseline = median(g[2] for g in letters)
    x_top = median(g[0] for g in letters)
    middle = (x_top + baseline) / 2
    first, last = min(g[1] for g in letters), max(g[3] for g in letters)
    # marks below the letters' middle, between the first and the last letter
    low = [
        g
        for g in glyphs
        if g not in letters and (g[0] + g[2]) / 2 > middle and g[1] > first and g[3] < last
    ]
    if not low:
        return False  # nothing where the dot was read: the gap is a space
    where = w.left + (w.right - w.left) * (len(m.group(1)) + 0.5) / len(w.text)
    dot = min(low, key=lambda g: abs((g[1] + g[3]) / 2 - where))
    height, width = dot[2] - dot[0] + 1, dot[3] - dot[1] + 1
    # as much ink as a square of the strokes' width (a speck of scanner noise holds less), no
    # larger than a few strokes, and on the baseline (where in the gap says nothing: a dot
    # after "r" or "y" is set well left of its middle)
    sized = _mass(dot, page, ink, paper) >= DOT_INK * stroke**2 and max(height, width) <= (
        2.5 * stroke + 1
    )
    on_line = abs(dot[2] - baseline) <= max(2.0, 0.12 * (baseline - x_top))
    return sized and on_line


def _x_top(glyphs: Sequence[Glyph], height: int) -> tuple[float, float] | None:
    """(top of the small letters, baseline) from the letters of a line: the top of the
    lower three quarters of them (capitals, digits and letters such as "l" or "t" reach
    higher, and are fewer), the middle of their bottoms; None when there are too few
    letters to tell."""
    import numpy as np

    letters = [g for g in glyphs if g[2] - g[0] + 1 >= LETTER * height]
    if len(letters) < 3:
        return None
    tops = [g[0] for g in letters]
    return float(np.percentile(tops, 75)), float(median(g[2] for g in letters))


def capital_shown(w: OWord, beside: Sequence[OWord], page: Any) -> bool | None:
    """Does the picture show the first letter of ``w`` (read as a small letter) as a
    capital? ``beside``: words of its line whose small letters give the x-height. None when
    the letter's height cannot tell its case, or the picture is unclear."""
    first = w.text[:1]
    if not first.isalpha() or not first.islower() or first in _TALL_SMALL:
        return None
    own = _glyphs(w, page)
    letters = sorted((g for g in own if g[2] - g[0] + 1 >= LETTER * w.height), key=lambda g: g[1])
    if not letters:
        return None
    lead = letters[0]
    # the small letters' height from the word's own letters, else from the words nearest to
    # it: a sloping line's letters stand lower (or higher) the further they are
    rest = [g for g in own if g is not lead]
    line = _x_top(rest, w.height)
    for x in sorted(beside, key=lambda x: abs(x.left - w.left)):
        if line is not None:
            break
        rest.extend(_glyphs(x, page))
        line = _x_top(rest, w.height)
    if line is None:
        return None
    x_top, baseline = line
    x_height = baseline - x_top
    if x_height <= 2:
        return None
    if lead[0] <= x_top - 0.3 * x_height:  # a capital is about 1.4 small letters tall
        return True
    if lead[0] >= x_top - 0.1 * x_height:
        return False
    return None
