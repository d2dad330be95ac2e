"""The words Tesseract read, as phrases and rows: the units the form's texts are found in.

Tesseract's lines follow a line even when a photo bends it a little; they are cut into phrases
at column gaps (a label cell and its value cell) and at table rules read as "|".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from parsers.text import norm

#: a column gap: words further apart than this many line heights are different phrases
COLUMN_GAP = 1.6
#: a table's rule read as a word
RULE = re.compile(r"^[|\[\]¦!{}()_]+$")


@dataclass(frozen=True)
class OWord:
    """A word Tesseract read on one page (pixels of the upright page)."""

    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int
    page: int
    line: int = 0  # Tesseract's line on this page
    key: str = ""  # the word normalised (folded, letters and digits)

    @property
    def height(self) -> int:
        return max(1, self.bottom - self.top)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def is_rule(self) -> bool:
        return bool(RULE.match(self.text))


def word_key(text: str) -> str:
    return norm(text)


@dataclass
class Phrase:
    words: list[OWord]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return float(median(w.height for w in self.words))


# --- phrases ---------------------------------------------------------------------------------


def phrases_of(words: Sequence[OWord]) -> list[Phrase]:
    """One page's words as phrases: Tesseract's lines cut at column gaps and table rules,
    top to bottom."""
    lines: dict[int, list[OWord]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    out: list[Phrase] = []
    for line in lines.values():
        line.sort(key=lambda w: w.left)
        h = median(w.height for w in line)
        current: list[OWord] = []
        for w in line:
            if w.is_rule:
                if current:
                    out.append(Phrase(current))
                current = []
                continue
            if current and w.left - current[-1].right > COLUMN_GAP * h:
                out.append(Phrase(current))
                current = []
            current.append(w)
        if current:
            out.append(Phrase(current))
    out.sort(key=lambda p: (p.top, p.left))
    return out


def rows_of(words: Sequence[OWord]) -> list[list[OWord]]:
    """Words as rows of text: Tesseract's lines, those side by side (overlapping vertically by
    half the smaller height) joined, top to bottom, each left to right."""
    lines: dict[tuple[int, int], list[OWord]] = {}
    for w in words:
        lines.setdefault((w.page, w.line), []).append(w)
    rows: list[list[OWord]] = []
    for line in sorted(lines.values(), key=lambda ws: (ws[0].page, min(w.top for w in ws))):
        top, bottom = min(w.top for w in line), max(w.bottom for w in line)
        for row in rows[-3:]:
            if row[0].page != line[0].page:
                continue
            rt, rb = min(w.top for w in row), max(w.bottom for w in row)
            if min(bottom, rb) - max(top, rt) > 0.5 * min(bottom - top, rb - rt) and not (
                _stacked(line, row)
            ):
                row.extend(line)
                break
        else:
            rows.append(list(line))
    for row in rows:
        row.sort(key=lambda w: w.left)
    return rows


def _stacked(line: Sequence[OWord], row: Sequence[OWord]) -> bool:
    """Do two of Tesseract's lines lie one over the other rather than side by side: a word
    of one stands over a word of the other for half the narrower's width (the lines of a
    paragraph set close, or sloping, overlap in height but never share a place on the line)."""
    for a in line:
        for b in row:
            over = min(a.right, b.right) - max(a.left, b.left)
            if over > 0.5 * min(a.right - a.left, b.right - b.left):
                return True
    return False


def middle_x(w: OWord) -> float:
    return (w.left + w.right) / 2


def line_slopes(words: Sequence[OWord]) -> dict[tuple[int, int], float]:
    """How far each of Tesseract's lines falls per pixel to the right (its words' middles,
    a line of four words or more spanning ten heights); (page, -1): the page's middle one.
    A photo whose perspective was not undone keeps its lines sloping after deskewing."""
    import numpy as np

    lines: dict[tuple[int, int], list[OWord]] = {}
    for w in words:
        if not w.is_rule and w.text.strip():
            lines.setdefault((w.page, w.line), []).append(w)
    out: dict[tuple[int, int], float] = {}
    for key, ws in lines.items():
        xs = np.array([middle_x(w) for w in ws])
        h = float(np.median([w.height for w in ws]))
        if len(ws) >= 4 and xs.max() - xs.min() >= 10 * h:
            ys = np.array([w.cy for w in ws], dtype=float)
            out[key] = float(np.polyfit(xs, ys, 1)[0])
    for page in {k[0] for k in out}:
        out[(page, -1)] = float(np.median([v for k, v in out.items() if k[0] == page]))
    return out
