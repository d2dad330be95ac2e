"""A second look at a word whose accent Tesseract left out.

Tesseract's Polish model drops the accent of a capital now and then — most often right under a
table's rule, and on grey 300 dpi scans ("Środowiskowy" read "Srodowiskowy", "ŚDS" read "SDS",
"Żmigród" read "Zmigród") — or reads the accented capital as "$". The page says otherwise: a
small mark lies just above the word's box, where no other word's letters are. Such a word is
read again on its own (the mark kept, everything else above it made white), and the second
reading is taken only for its diacritics and the case of its letters: it must spell the same
letters once both are folded, so nothing is ever added or changed but an accent or a
capital.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from parsers.ocr.blobs import components
from parsers.ocr.words import OWord, word_key
from parsers.text import fold

#: capitals an accent stands above (Ś Ź Ż Ć Ń Ó) — a small letter's accent lies inside the
#: word's box and Tesseract keeps it; "$" is an "Ś" read with its accent as a stroke through it
CAPITALS = frozenset("SZCNO")
BASES = CAPITALS | {"$"}
#: accented small letters shaped as their capitals (only the size differs): at a word's start
#: they may be a capital read small ("ul. żeromskiego")
SMALL_ALIKE = frozenset("żźśćó")
#: the strip above a word's box where an accent left out of it lies, in the box's heights
BAND = 0.5
#: an accent's size, in the word's height: wider or taller than this it is something else
MAX_MARK = 0.5
MIN_MARK = 0.06
#: an accent ends this close over the word's box (in its heights)
NEAR = 0.25


def _level(page: Any, w: OWord) -> float:
    """The grey halfway between the word's ink and white paper."""
    import numpy as np

    crop = page[w.top : w.bottom, w.left : w.right]
    if crop.size == 0:
        return 128.0
    ink = float(np.percentile(crop, 3))
    return (ink + 255.0) / 2


def marks_above(w: OWord, page: Any, others: Sequence[OWord]) -> list[tuple[int, int, int, int]]:
    """The accents lying just above ``w``'s box (page pixels: left, top, right, bottom): small
    marks close over it, apart from any rule or longer stroke. Another word's box may hold
    such a mark (Tesseract gave the line above it): only words ending higher up hide ink."""

    h = w.height
    top = max(0, w.top - round(BAND * h))
    if top >= w.top or w.right <= w.left:
        return []
    band = page[top : w.top, w.left : w.right] < _level(page, w)
    if not band.any():
        return []
    band = band.copy()
    near = w.top - NEAR * h
    for o in others:
        if o is w or o.right <= w.left or o.left >= w.right or o.bottom <= top or o.top >= w.top:
            continue
        if o.bottom <= near:
            band[
                max(0, o.top - top) : max(0, o.bottom - top),
                max(0, o.left - w.left) : max(0, o.right - w.left),
            ] = False
    # a rule: a row dark over most of the word
    band[band.mean(axis=1) > 0.5] = False
    found = []
    for t, left, b, r, n in components(band):
        width, height = r - left + 1, b - t + 1
        if n < 3 or width > MAX_MARK * h or height > MAX_MARK * h:
            continue
        if max(width, height) < MIN_MARK * h or t == 0 or top + b < near:
            continue  # a speck, a stroke coming from above, or a mark far over the word
        found.append((w.left + left, top + t, w.left + r + 1, top + b + 1))
    return found


def _same_letters(a: str, b: str) -> bool:
    def letters(s: str) -> str:
        return fold("".join(c for c in s.replace("$", "S") if c.isalnum()))

    return letters(a) == letters(b) and bool(letters(a))


def transfer(w: OWord, again: str, marks: Sequence[tuple[int, int, int, int]]) -> str:
    """``w``'s text with the accents of ``again`` (the same letters but for accents) put on
    its capitals — only where a mark was found above that letter (its place estimated from
    its position in the word; "$" is always an "Ś"). Nothing else changes, not even a
    letter's case: the second reading, of one word alone, says nothing better about it."""
    letters = iter(c for c in again.replace("$", "Ś") if c.isalnum())
    text = w.text
    step = (w.right - w.left) / max(1, len(text))
    out = []
    for i, c in enumerate(text):
        if not (c.isalnum() or c == "$"):
            out.append(c)
            continue
        new = next(letters, c)
        if c == "$":
            out.append("Ś")
            continue
        x = w.left + (i + 0.5) * step
        under = any(left - 1.5 * step <= x <= right + 1.5 * step for left, _, right, _ in marks)
        accented = new.upper() != c and fold(new).upper() == c
        if c in CAPITALS and under and accented:
            out.append(new.upper())
        elif i == 0 and c in SMALL_ALIKE and under and new == c.upper():
            out.append(new)  # "żeromskiego": a capital Ż read as its small form
        else:
            out.append(c)
    return "".join(out)


def restore(
    words: Sequence[OWord],
    page: Callable[[int], Any],
    others: Callable[[int], Sequence[OWord]],
    read: Callable[[Any, int], str | None],
) -> list[OWord]:
    """``words`` with the accents a second look finds. ``page(i)``: page i's grey pixels;
    ``others(i)``: every word read on page i; ``read(pixels, dpi)`` → the text Tesseract reads
    in a small picture of one line (None: no time left)."""
    import numpy as np

    out = list(words)
    for i, w in enumerate(out):
        if not (BASES & set(w.text) or w.text[:1] in SMALL_ALIKE) or not any(
            c.isalpha() for c in w.text
        ):
            continue
        a = page(w.page)
        marks = marks_above(w, a, others(w.page))
        if not marks and "$" not in w.text:
            continue
        h = w.height
        m = max(2, round(0.3 * h))
        top = max(0, w.top - round(BAND * h))
        left, right = max(0, w.left - m), min(a.shape[1], w.right + m)
        bottom = min(a.shape[0], w.bottom + max(2, round(0.15 * h)))
        crop = np.full((bottom - top + 2 * m, right - left + 2 * m), 255, dtype=np.uint8)
        crop[m + w.top - top : m + bottom - top, m : m + right - left] = a[
            w.top : bottom, left:right
        ]
        for ml, mt, mr, mb in marks:  # only the marks found above the word
            crop[m + mt - top : m + mb - top, m + ml - left : m + mr - left] = a[mt:mb, ml:mr]
        text = read(crop, w.page)
        if text is None:
            break
        text = text.strip()
        if text != w.text and _same_letters(w.text, text):
            fixed = transfer(w, text, marks)
            if fixed != w.text:
                out[i] = replace(w, text=fixed, key=word_key(fixed))
    return out


#: the capitals told apart only by their accent: a dot (Ż) or an acute (Ź)
DOT_OR_ACUTE = {"Ż": "Ź", "Ź": "Ż"}


def accent_slant(w: OWord, i: int, page: Any) -> float | None:
    """How far the accent above the ``i``-th letter of ``w`` (a capital) leans right, in its
    widths: the middle of its top half less that of its bottom half (an acute ≈ 0.2–0.4, a
    dot ≈ 0); None when no accent stands apart above the letter's body."""
    import numpy as np

    h = w.height
    step = (w.right - w.left) / max(1, len(w.text))
    left = max(0, int(w.left + (i - 0.15) * step))
    right = int(w.left + (i + 1.15) * step)
    bottom = w.top + max(3, round(0.5 * h))
    crop = page[w.top : bottom, left:right]
    if crop.size == 0:
        return None
    dark = crop < _level(page, w)
    best = None
    for top, x0, b, x1, n in components(dark):
        if b >= dark.shape[0] - 1 or n < 4:
            continue  # the letter's body reaches the bottom of the strip
        if best is None or n > best[4]:
            best = (top, x0, b, x1, n)
    if best is None:
        return None
    top, x0, b, x1, _ = best
    mark = dark[top : b + 1, x0 : x1 + 1]
    if mark.shape[0] < 3:
        return None
    half = mark.shape[0] // 2
    cols = np.arange(mark.shape[1])

    def middle(rows: Any) -> float | None:
        weights = rows.sum(axis=0)
        return float((cols * weights).sum() / weights.sum()) if weights.sum() else None

    upper, lower = middle(mark[:half]), middle(mark[mark.shape[0] - half :])
    if upper is None or lower is None:
        return None
    return (upper - lower) / mark.shape[1]


#: an accent leaning right by this share of its width is an acute
ACUTE_SLANT = 0.12


def dot_or_acute(words: Sequence[OWord], page: Callable[[int], Any]) -> list[OWord]:
    """``words`` with each Ż or Ź (as Tesseract read it) told from the shape of its accent:
    a dot stands upright, an acute leans right."""
    out = list(words)
    for n, w in enumerate(out):
        if not DOT_OR_ACUTE.keys() & set(w.text):
            continue
        text = list(w.text)
        for i, c in enumerate(text):
            if c not in DOT_OR_ACUTE:
                continue
            slant = accent_slant(w, i, page(w.page))
            if slant is None:
                continue
            text[i] = "Ź" if slant >= ACUTE_SLANT else "Ż"
        fixed = "".join(text)
        if fixed != w.text:
            out[n] = replace(w, text=fixed, key=word_key(fixed))
    return out
