"""Is a sheet's outline found in a photo the whole sheet? Printing left outside it says no.

The outline is found from the light region around the picture's middle; when the far end of
the sheet lies in shadow (or the table beside it is as light as paper) that region is not
the sheet, and cutting it out would cut off lines of the form. Printing is dark strokes on
light paper; a table is neither: print found just beyond the outline — lines going on past
its edge or corner — means it is wrong, and the photo is better read as it is (deskewed) than
cut. Print further away (another paper on the desk, a label) is not the sheet's and does not
count. The check looks at the copy of the photo ``pages.page_corners`` found the outline on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

#: printing outside the outline, as a share of the print inside it, that makes it wrong
LEFT_OUT = 0.005
#: how far beyond the outline (a share of its size) print is the sheet's lines going on
BEYOND = 0.25


def _print_mask(a: Any) -> Any:
    """Pixels of print: much darker than the lightest pixel near them, which is paper (also
    in the sheet's shadow)."""
    import numpy as np

    p = np.pad(a.astype(np.int16), 3, mode="edge")
    h, w = a.shape
    light = np.zeros((h, w), dtype=np.int16)
    for dy in range(0, 7, 2):
        for dx in range(0, 7, 2):
            np.maximum(light, p[dy : dy + h, dx : dx + w], out=light)
    paper = float(np.percentile(a, 90))
    # paper in shadow is still lighter than half the lit paper, and print on it as dark
    # against it as on the rest of the sheet
    return (light >= 0.45 * paper) & (light - a.astype(np.int16) >= 0.3 * light)


def _inside(h: int, w: int, quad: Sequence[tuple[float, float]], grow: float) -> Any:
    """A mask of the quadrilateral (corners in order), grown by ``grow`` of its size."""
    import numpy as np

    cx = sum(x for x, _ in quad) / 4
    cy = sum(y for _, y in quad) / 4
    pts = [(cx + (x - cx) * (1 + grow), cy + (y - cy) * (1 + grow)) for x, y in quad]
    ys, xs = np.mgrid[0:h, 0:w]
    inside = np.ones((h, w), dtype=bool)
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        inside &= (x1 - x0) * (ys - y0) - (y1 - y0) * (xs - x0) >= 0
    return inside


def whole_sheet(copy: Any, scale: float, corners: Sequence[tuple[float, float]]) -> bool:
    """Does the outline ``corners`` (top left, top right, bottom right, bottom left, pixels of
    the photo) hold all the printing of the sheet? ``copy``: the photo in grey, reduced
    ``scale`` times (an array)."""
    h, w = copy.shape
    quad = [(x / scale, y / scale) for x, y in corners]
    ink = _print_mask(copy)
    inside = _inside(h, w, quad, 0.03)
    near = _inside(h, w, quad, BEYOND)
    within = int((ink & inside).sum())
    outside = int((ink & near & ~inside).sum())
    return within > 0 and outside <= LEFT_OUT * within
