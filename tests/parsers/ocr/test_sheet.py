"""A sheet's outline found in a photo is used only when it holds all the printing: an outline
that cut off the sheet's shadowed end would cut off lines of the form."""

from __future__ import annotations

from PIL import Image, ImageDraw

from parsers.ocr.sheet import whole_sheet

SHEET = [(120, 80), (1080, 60), (1120, 1540), (90, 1560)]


def _photo() -> Image.Image:
    """A sheet with lines of print on a dark table, its lower third in a deepening shadow."""
    image = Image.new("L", (1200, 1650), 70)
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


def test_the_whole_sheet_holds_all_printing() -> None:
    assert whole_sheet(_photo(), SHEET)


def test_an_outline_without_the_shadowed_end_is_not_the_sheet() -> None:
    cut = [(120, 80), (1080, 60), (1110, 1350), (95, 1360)]
    assert not whole_sheet(_photo(), cut)


def test_an_outline_missing_a_corner_is_not_the_sheet() -> None:
    cut = [(120, 80), (1080, 60), (1120, 1540), (560, 1550)]
    assert not whole_sheet(_photo(), cut)
