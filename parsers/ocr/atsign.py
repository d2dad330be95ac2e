"""Where an "@" stands in an e-mail address Tesseract read without one, from the picture.

The Polish model reads "@" as "e", "a", "©", "q" or "Q". Which "e" of
"kbrzeczyszczykiewiczezaz-sroda.pl" was the "@" the text cannot say; the picture can: an
"@" is the one sign of an address that is both taller than the small letters above them
and below the line (it reaches from the capitals' height under the baseline) and about as
wide as it is tall.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from parsers.ocr.blobs import components
from parsers.ocr.ticks import DARK
from parsers.ocr.words import OWord, rows_of


def _at_blob(pixels: Any) -> int | None:
    """How many signs stand before the one "@"-shaped group of ink in a word's picture, or
    None when there is none or more than one."""
    import numpy as np

    parts = [c for c in components(pixels < DARK) if c[4] >= 4]
    if len(parts) < 4:
        return None
    heights = [c[2] - c[0] + 1 for c in parts]
    widths = [c[3] - c[1] + 1 for c in parts]
    # the small letters: the most common height among the signs (not dots, not rules)
    letters = [i for i, (h, w) in enumerate(zip(heights, widths, strict=True)) if w < 4 * h]
    if len(letters) < 3:
        return None
    x_height = float(np.median([heights[i] for i in letters]))
    x_top = float(np.median([parts[i][0] for i in letters]))
    x_bottom = float(np.median([parts[i][2] for i in letters]))
    width = float(np.median([widths[i] for i in letters]))
    found = [
        i
        for i in letters
        if heights[i] >= 1.3 * x_height
        and parts[i][0] < x_top - 0.15 * x_height
        and parts[i][2] > x_bottom + 0.1 * x_height
        and widths[i] >= 0.8 * heights[i]
        and widths[i] >= 1.25 * width
    ]
    if len(found) != 1:
        return None
    at = parts[found[0]]
    middle = (at[1] + at[3]) / 2
    # the signs before it, each group of ink one sign: its middle among the small letters
    # (accents and the dots of "i" and "j" above them, a table's rule, specks below the line
    # are not signs)
    low, high = x_top - 0.1 * x_height, x_bottom + 0.25 * x_height
    return sum(
        1
        for c in parts
        if c is not at and (c[1] + c[3]) / 2 < middle and low <= (c[0] + c[2]) / 2 <= high
    )


def at_index(words: Sequence[OWord], page: Callable[[int], Any]) -> int | None:
    """The index in the address's text (its words joined without spaces, in reading order)
    where the picture shows an "@", or None."""
    text_so_far = 0
    hits = []
    for row in rows_of(list(words)):
        for w in row:
            a = page(w.page)
            pad = max(2, w.height // 4)
            crop = a[max(0, w.top - pad) : w.bottom + pad, max(0, w.left - 1) : w.right + 1]
            before = _at_blob(crop) if crop.size else None
            if before is not None and w.text:
                hits.append(text_so_far + min(before, len(w.text) - 1))
            text_so_far += len(w.text)
    return hits[0] if len(hits) == 1 else None
