"""A sheet's outline found in a photo is used only when it holds all the printing: an outline
that cut off the sheet's shadowed end would cut off lines of the form."""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from parsers.ocr.pages import page_corners
from parsers.ocr.sheet import whole_sheet

SHEET = [(120, 80), (1080, 60), (1120, 1540), (90, 1560)]


def _photo(size: tuple[int, int] = (1200, 1650)) -> Image.Image:
    """A sheet with lines of print on a dark table, its lower third in a deepening shadow."""
    image = Image.new("L", size, 70)
    draw = ImageDraw.Draw(image)
    draw.polygon(SHEET, fill=235)
    for y in range(1000, 1556):  # the phone's shadow, darker towards the sheet's end
        draw.line((95, y, 1110, y), fill=round(235 - 95 * (y - 1000) / 555))
    draw.polygon([(70, 1555), (1130, 1555), (1130, 1650), (70, 1650)], fill=70)
    for y in range(150, 1500, 45):
        shade = 40 if y < 1000 else 20
        for x in range(200, 980, 110):
            draw.rectangle((x, y, x + 80, y + 14), fill=shade)  # a word
    return image


def _holds(image: Image.Image, corners: list[tuple[float, float]]) -> bool:
    """``whole_sheet`` on a copy about 500 pixels long, as ``page_corners`` makes it."""
    k = max(1, max(image.size) // 500)
    return whole_sheet(np.asarray(image.reduce(k)), k, corners)


def test_the_whole_sheet_holds_all_printing() -> None:
    assert _holds(_photo(), SHEET)


def test_an_outline_without_the_shadowed_end_is_not_the_sheet() -> None:
    cut = [(120, 80), (1080, 60), (1110, 1350), (95, 1360)]
    assert not _holds(_photo(), cut)


def test_an_outline_missing_a_corner_is_not_the_sheet() -> None:
    cut = [(120, 80), (1080, 60), (1120, 1540), (560, 1550)]
    assert not _holds(_photo(), cut)


def test_print_on_another_paper_away_from_the_sheet_is_not_the_sheets() -> None:
    """A printed slip lying on the desk well apart from the sheet: the outline is still the
    sheet's whole (only print just beyond the outline is the sheet's lines going on)."""
    image = _photo((1650, 1650))
    draw = ImageDraw.Draw(image)
    draw.rectangle((1300, 300, 1630, 1400), fill=235)
    for y in range(340, 1380, 40):
        draw.rectangle((1330, y, 1600, y + 14), fill=40)
    assert _holds(image, SHEET)
    cut = [(120, 80), (1080, 60), (1110, 1350), (95, 1360)]
    assert not _holds(image, cut)


def test_the_outline_is_found_with_the_copy_it_is_checked_on() -> None:
    found = page_corners(_photo())
    assert found is not None
    corners, copy, scale = found
    assert copy.shape == (1650 // scale, 1200 // scale)
    assert all(
        abs(x - sx) < 40 and abs(y - sy) < 40
        for (x, y), (sx, sy) in zip(corners, SHEET, strict=True)
    )
    assert whole_sheet(copy, scale, corners)
