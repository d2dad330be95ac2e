"""A form prints its boxes one under another: a box is looked for in the column of the
page's other boxes when its text does not say where it is, and only on its text's line."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.layout import Anchor, Target
from parsers.ocr.reading import _read_ticks
from parsers.ocr.ticks import _find_box, box_column, read_tick
from parsers.ocr.words import OWord, word_key

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 30
GAP = 90  # a choice's text runs over two lines
TEXTS = ["Ekonomia społeczna", "Rynek pracy", "Usługi społeczne", "Wyrażam zgodę"]


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        ImageFont.truetype(FONT, 10)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the form")


def _form(ticked: int) -> tuple[np.ndarray, list[Anchor], list[OWord]]:
    """Four boxes, each before a text whose second line ("Pracy Ekonomii …") begins under
    the box; the ``ticked`` one (1..4) with a ✓ whose stroke crosses the box's right side
    into the first word, and that word's box (as Tesseract reads it) taking in the box."""
    font = ImageFont.truetype(FONT, SIZE)
    image = Image.new("L", (760, 420), 255)
    draw = ImageDraw.Draw(image)
    anchors, words = [], []
    for n, text in enumerate(TEXTS, 1):
        y = 20 + (n - 1) * GAP
        draw.rectangle((60, y + 6, 84, y + 30), outline=0, width=2)
        line = []
        x = 100
        for part in text.split():
            left, top, right, bottom = draw.textbbox((x, y), part, font=font)
            draw.text((x, y), part, font=font, fill=0)
            line.append([part, left, top, right, bottom])
            x = right + 12
        second = []
        x = 60
        for part in ["Pracy", "Ekonomii", "Społecznej"]:
            left, top, right, bottom = draw.textbbox((x, y + 42), part, font=font)
            draw.text((x, y + 42), part, font=font, fill=0)
            second.append(OWord(part, 95.0, left, top, right, bottom, 0, 10 * n + 1))
            x = right + 12
        if n == ticked:
            draw.line((52, y + 16, 70, y + 36), fill=40, width=4)
            draw.line((70, y + 36, 112, y - 14), fill=40, width=4)
            line[0][1], line[0][2], line[0][4] = 48, y - 16, y + 40  # the glued word
        first = [OWord(p, 90.0, le, t, r, b, 0, 10 * n, word_key(p)) for p, le, t, r, b in line]
        target = Target("option", "groups", n, text, text.split()[0], text)
        anchors.append(Anchor(target, first + second, [], 0, 100.0, first[0].left))
        words += first + second
    return np.asarray(image), anchors, words


@pytest.mark.parametrize("ticked", [1, 2, 3, 4])
def test_a_tick_hiding_its_box_in_the_first_word_is_read_in_the_boxes_column(ticked: int) -> None:
    page, anchors, words = _form(ticked)
    marks = _read_ticks(anchors, lambda i: page, [words])
    assert [marks[id(a)].ticked for a in anchors] == [n == ticked for n in (1, 2, 3, 4)]
    assert all(abs(marks[id(a)].box[0] - 60) <= 3 for a in anchors)


def test_a_square_below_the_text_line_is_not_its_box() -> None:
    """The box is a square whose middle lies in the text line's band: a letter of the next
    line ("P", its bowl a square with dark sides) scores better than a box blurred by JPEG
    but is not taken."""
    zone = np.zeros((90, 60), dtype=bool)
    zone[10:34, 10:13] = zone[10:34, 32:34] = True  # the box, its right side broken
    zone[10:13, 10:34] = zone[31:34, 10:34] = True
    zone[12:32:3, 32:34] = False
    zone[55:75, 10:14] = zone[55:75, 26:30] = True  # a bold "P"'s bowl under it
    zone[55:59, 10:30] = zone[71:75, 10:30] = True
    zone[75:85, 10:14] = True
    assert _find_box(zone, 24.0)[:2] == (10, 55)  # without the band: the bowl
    assert _find_box(zone, 24.0, (12.0, 34.0))[:2] == (11, 10)


def test_the_column_is_where_most_boxes_agree() -> None:
    page, anchors, words = _form(ticked=0)
    ticks = [read_tick(page, a, words) for a in anchors]
    left, side = box_column(ticks) or (0, 0)
    assert abs(left - 60) <= 2 and 22 <= side <= 28
    assert box_column(ticks[:2]) is None  # two boxes say nothing about a column


def test_boxes_in_another_column_keep_their_own_reading() -> None:
    """Options in a left column (the first ticked) and statements in a right column on the
    same rows: a statement's box is found beside its own text, not taken from the options'
    column (where it would read the option's tick as its own)."""
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 30)
    image = Image.new("L", (1000, 420), 255)
    draw = ImageDraw.Draw(image)
    anchors, words = [], []
    items = [
        (60, 20, "Ekonomia społeczna", 1),
        (60, 110, "Rynek pracy", 2),
        (60, 200, "Usługi społeczne", 3),
        (60, 290, "Turystyka lokalna", 4),
        (560, 20, "Wyrażam zgodę", 5),
        (560, 110, "Oświadczam prawdę", 6),
    ]
    for bx, y, text, n in items:
        draw.rectangle((bx, y + 6, bx + 24, y + 30), outline=0, width=2)
        if n == 1:
            draw.line((bx + 4, y + 16, bx + 10, y + 26), fill=0, width=3)
            draw.line((bx + 10, y + 26, bx + 22, y + 8), fill=0, width=3)
        x, line = bx + 40, []
        for part in text.split():
            left, top, right, bottom = draw.textbbox((x, y), part, font=font)
            draw.text((x, y), part, font=font, fill=0)
            line.append(OWord(part, 90.0, left, top, right, bottom, 0, n, word_key(part)))
            x = right + 12
        target = Target("option", "g", n, text, text.split()[0], text)
        anchors.append(Anchor(target, line, [], 0, 100.0, line[0].left))
        words += line
    page = np.asarray(image)
    marks = _read_ticks(anchors, lambda i: page, [words])
    read = {a.target.number: marks[id(a)] for a in anchors}
    assert [n for n, t in read.items() if t.ticked] == [1]
    assert read[5].box[0] > 500 and read[6].box[0] > 500  # their own boxes, in their column
