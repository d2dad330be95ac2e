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
