"""Connected groups of ink pixels (no scipy: the pictures looked at are small)."""

from __future__ import annotations

from typing import Any


def components(mask: Any) -> list[tuple[int, int, int, int, int]]:
    """(top, left, bottom, right, pixels) of each 8-connected group of True pixels."""
    import numpy as np

    seen = np.zeros_like(mask)
    h, w = mask.shape
    out = []
    for y0, x0 in zip(*np.nonzero(mask), strict=True):
        if seen[y0, x0]:
            continue
        stack = [(int(y0), int(x0))]
        seen[y0, x0] = True
        top, left, bottom, right, n = int(y0), int(x0), int(y0), int(x0), 0
        while stack:
            y, x = stack.pop()
            n += 1
            top, bottom = min(top, y), max(bottom, y)
            left, right = min(left, x), max(right, x)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w and mask[yy, xx] and not seen[yy, xx]:
                        seen[yy, xx] = True
                        stack.append((yy, xx))
        out.append((top, left, bottom, right, n))
    return out


def reached(mask: Any, seeds: Any) -> list[tuple[Any, tuple[int, int, int, int]]]:
    """The 8-connected groups of True pixels of ``mask`` that hold a True pixel of ``seeds``
    (same shape): for each, its pixels (a boolean array) and its extent (top, left, bottom,
    right). Only those groups are walked."""
    import numpy as np

    h, w = mask.shape
    seen = np.zeros((h, w), dtype=bool)
    out = []
    for y0, x0 in zip(*np.nonzero(seeds & mask), strict=True):
        if seen[y0, x0]:
            continue
        group = np.zeros((h, w), dtype=bool)
        stack = [(int(y0), int(x0))]
        seen[y0, x0] = True
        top, left, bottom, right = int(y0), int(x0), int(y0), int(x0)
        while stack:
            y, x = stack.pop()
            group[y, x] = True
            top, bottom = min(top, y), max(bottom, y)
            left, right = min(left, x), max(right, x)
            for dy in (-1, 0, 1):
                for dx in (-1, 0, 1):
                    yy, xx = y + dy, x + dx
                    if 0 <= yy < h and 0 <= xx < w and mask[yy, xx] and not seen[yy, xx]:
                        seen[yy, xx] = True
                        stack.append((yy, xx))
        out.append((group, (top, left, bottom, right)))
    return out
