"""Spaces inside a number, from the picture: Tesseract often reads "74 811 22 33" as "74811
22 33" (a space in a number is narrow). A word of digits is cut into its glyphs by the columns
without ink; where a gap between two glyphs is as wide as a space (well over the gaps inside a
group of digits), a space is put back. Two words closer than a space are joined. Only a word
whose glyphs can be counted one to one with its characters is changed: nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from parsers.ocr.ticks import DARK
from parsers.ocr.words import OWord

#: a gap wider than this share of the digits' height is a space (DejaVu/Arial/Calibri: the
#: gap between two digits is 0.1–0.2 of their height, across a space 0.5–0.7)
SPACE = 0.36
_NUMBERISH = set("0123456789+-()/.")
#: two words of a line closer than this share of the smaller one's height are one word read
#: as two (a space between words is 0.4 of their height or more; the gap between two signs of
#: one word, a digit and a dash of a range, 0.2 or less)
JOIN = 0.3


def glued(a: OWord, b: OWord) -> bool:
    """Do the words ``a`` and ``b`` (``b`` right of ``a`` in one line) stand closer than a
    space?"""
    return b.left - a.right < JOIN * min(a.height, b.height)


def _glyphs(column_ink: Any) -> list[tuple[int, int]]:
    """(first, last) columns of each run of columns with ink."""
    runs: list[tuple[int, int]] = []
    start = None
    for x, ink in enumerate(column_ink):
        if ink and start is None:
            start = x
        elif not ink and start is not None:
            runs.append((start, x - 1))
            start = None
    if start is not None:
        runs.append((start, len(column_ink) - 1))
    return runs


def respace_word(text: str, box: tuple[int, int, int, int], page: Any) -> str:
    """``text`` (the word Tesseract read in ``box``) with the spaces the picture shows."""
    if sum(c.isdigit() for c in text) < 4 or not set(text) <= _NUMBERISH:
        return text
    left, top, right, bottom = box
    crop = page[top:bottom, left:right] < DARK
    if crop.size == 0:
        return text
    # a column is ink when at least two of its pixels are (a speck is not)
    runs = _glyphs((crop.sum(axis=0) >= 2).tolist())
    if len(runs) != len(text):
        return text
    height = bottom - top
    gaps = [b[0] - a[1] - 1 for a, b in pairwise(runs)]
    # the gaps inside a group: the narrower ones (a number may have as many spaces as digits)
    inner = sorted(gaps)[len(gaps) // 4] if gaps else 0
    out = [text[0]]
    for ch, gap in zip(text[1:], gaps, strict=True):
        if gap > max(SPACE * height, 1.8 * inner) and out[-1].isdigit() and ch.isdigit():
            out.append(" ")
        out.append(ch)
    return "".join(out)


def respace(words: Sequence[OWord], page: Any) -> list[str]:
    """The words' texts with spaces put back inside numbers, and words of one number that
    stand closer than a space joined (a number's words in one line, left to right)."""
    out: list[str] = []
    prev: OWord | None = None
    for w in words:
        text = respace_word(w.text, (w.left, w.top, w.right, w.bottom), page)
        if (
            prev is not None
            and out
            and prev.line == w.line
            and out[-1][-1:].isdigit()
            and text[:1].isdigit()
            and glued(prev, w)
        ):
            out[-1] += text
        else:
            out.append(text)
        prev = w
    return out
