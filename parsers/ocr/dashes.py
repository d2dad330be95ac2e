"""A dash standing between words, told from the picture: hyphen, en dash or em dash.

Tesseract's Polish model reads an en dash between spaces ("Gmina Oleśnica – Urząd") as a
hyphen, and now and then as an em dash. The three differ on paper only in length, measured
in the height of the line's capitals (its words without a descender): a hyphen's ink is about
0.35 of it, an en dash's 0.55, an em dash's 1.2, in the common text fonts alike. Only a dash
that is a word of its own is looked at; a hyphen inside a word ("Kowalska-Nowak") never.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from statistics import median
from typing import Any

from parsers.ocr.spacing import glued
from parsers.ocr.words import OWord

DASHES = frozenset("-–—‐‑−")
#: the dash's ink length in capital heights: shorter is a hyphen, longer than EM an em dash
EN = 0.44
EM = 0.85
#: letters reaching below the baseline (their words are taller than a capital)
_DESCENDERS = frozenset("gjpqyąęQ,;()[]{}|/")


def _capital_height(row: Sequence[OWord]) -> float | None:
    """The height of the row's capitals and tall letters, from its words without a
    descender that have one (else from its words of letters, a little less)."""
    tall = [
        w.height
        for w in row
        if sum(c.isalpha() for c in w.text) >= 2
        and not _DESCENDERS & set(w.text)
        and any(c.isupper() or c.isdigit() or c in "bdfhklłtŁ" for c in w.text)
    ]
    if tall:
        return float(median(tall))
    words = [w.height for w in row if sum(c.isalpha() for c in w.text) >= 2]
    return 0.8 * float(median(words)) if words else None


def _ink_length(w: OWord, page: Any) -> int | None:
    """The width of the dash's ink in its box (a few pixels around it), or None when the box
    holds no clear mark."""
    import numpy as np

    pad = max(2, round(0.3 * w.height))
    crop = page[max(0, w.top - pad) : w.bottom + pad, max(0, w.left - pad) : w.right + pad]
    if crop.size == 0:
        return None
    ink = float(np.percentile(crop, 2))
    if ink > 200:
        return None
    dark = crop < (ink + 255.0) / 2
    cols = np.nonzero(dark.any(axis=0))[0]
    return int(cols[-1] - cols[0] + 1) if cols.size else None


def dash_of(w: OWord, row: Sequence[OWord], page: Any) -> str:
    """``w``'s text, with the dash it is told from its length when it is a dash between
    words; else ``w.text`` unchanged."""
    if not w.text or any(c not in DASHES for c in w.text) or len(w.text) > 2:
        return w.text
    i = next((n for n, x in enumerate(row) if x is w), None)
    if i is None or i == 0 or i == len(row) - 1:
        return w.text
    cap = _capital_height([x for x in row if x is not w])
    length = _ink_length(w, page)
    if cap is None or length is None:
        return w.text
    share = length / cap
    if share >= EM:
        return "—"
    return "–" if share >= EN else "-"


#: a range of numbers written as one word ("2014–2023", "4-5.")
_RANGE = re.compile(r"^(\(?\d+)([-–—])(\d+[.,;:)]?)$")
#: its first number and the dash, the second number read as the next word ("2015-" "2023")
_OPEN_RANGE = re.compile(r"^(\(?\d+)([-–—])()$")
#: between digits the dash is measured against the digits' own ink: a hyphen is 0.33–0.39
#: of their height, an en dash 0.52–0.58 printed and down to 0.44 scanned at 150 dpi (its ends
#: lost to the blur)
EN_RANGE = 0.415


def _middle_run(w: OWord, page: Any) -> tuple[int, int] | None:
    """The length (pixels) of the longest run of the word's columns whose ink lies only in
    the middle of its height — a dash between digits (a digit's columns reach higher or
    lower) — and the digits' height: the rows most columns of ink reach (a speck the word's
    box took in above or below them does not count)."""
    import numpy as np

    crop = page[w.top : w.bottom, w.left : w.right]
    if crop.size == 0 or crop.shape[0] < 6:
        return None
    ink = float(np.percentile(crop, 2))
    if ink > 200:
        return None
    dark = crop < (ink + 255.0) / 2
    h = dark.shape[0]
    rows = np.arange(h)[:, None]
    has = dark.any(axis=0)
    top = np.where(dark, rows, h).min(axis=0)
    bottom = np.where(dark, rows, -1).max(axis=0)
    middle = has & (top >= 0.3 * h) & (bottom <= 0.8 * h) & (bottom - top <= 0.25 * h)
    best = run = 0
    for m in middle:
        run = run + 1 if m else 0
        best = max(best, run)
    per_row = dark.sum(axis=1)
    digits = int((per_row >= 0.15 * per_row.max()).sum()) if per_row.max() else 0
    return (best, digits) if best and digits else None


def range_dash(w: OWord, page: Any) -> str:
    """A range of numbers with its dash told from its length ("2014-2023" read for
    "2014–2023"); any other word unchanged."""
    m = _RANGE.match(w.text) or _OPEN_RANGE.match(w.text)
    if m is None:
        return w.text
    measured = _middle_run(w, page)
    if measured is None:
        return w.text
    length, height = measured
    share = length / height
    dash = "—" if share >= EM else "–" if share >= EN_RANGE else "-"
    return m.group(1) + dash + m.group(3)


def join_dashes(row: list[OWord], page: Any) -> list[str]:
    """The texts of a row's words, each dash between words or between the numbers of a range
    told from its length; a range read as two words ("2015-" "2023") is one."""
    out: list[str] = []
    for i, w in enumerate(row):
        if _RANGE.match(w.text):
            out.append(range_dash(w, page))
        elif (
            _OPEN_RANGE.match(w.text)
            and i + 1 < len(row)
            and row[i + 1].text[:1].isdigit()
            and glued(w, row[i + 1])
        ):
            out.append(range_dash(w, page) + "\0")  # joined to the next word below
        else:
            out.append(dash_of(w, row, page))
    joined: list[str] = []
    for text in out:
        if joined and joined[-1].endswith("\0"):
            joined[-1] = joined[-1][:-1] + text
        else:
            joined.append(text)
    return joined
