"""A pen mark larger than its box counts for the box it is nearest to, not for the next
box whose zone it reaches into."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.layout import Anchor, Target
from parsers.ocr.ticks import junk, read_tick
from parsers.ocr.words import OWord, word_key

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
SIZE = 30  # the text's size (pixels); the boxes are as tall as a capital
GAP = 50  # from one line's top to the next one's


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        ImageFont.truetype(FONT, 10)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the form")


def _form(ticked: int, scale: float, mark: str = "x") -> tuple[np.ndarray, list[Anchor]]:
    """Three choices, each a box and a text, one under the other; the ``ticked`` one (1..3)
    crossed with an X ``scale`` times the box's size (``mark`` "circle": its number circled,
    the circle ``scale`` times the box's size, not quite closed)."""
    font = ImageFont.truetype(FONT, SIZE)
    image = Image.new("L", (700, 260), 255)
    draw = ImageDraw.Draw(image)
    anchors = []
    for n, text in enumerate(["Ekonomia społeczna", "Rynek pracy", "Usługi społeczne"], 1):
        y = 40 + (n - 1) * GAP
        draw.rectangle((60, y + 4, 82, y + 26), outline=0, width=2)
        words = []
        x = 100
        for part in f"{n}. {text}".split():
            left, top, right, bottom = draw.textbbox((x, y), part, font=font)
            draw.text((x, y), part, font=font, fill=0)
            words.append(OWord(part, 90.0, left, top, right, bottom, 0, n, word_key(part)))
            x = right + 10
        target = Target("option", "groups", n, text, text.split()[0], text)
        anchors.append(Anchor(target, words[1:], words[:1], 0, 100.0, words[0].left))
    cx, cy, half = 71, 40 + (ticked - 1) * GAP + 15, round(11 * scale)
    if mark == "circle":
        cx = anchors[ticked - 1].lead[0].left + 8
        draw.arc((cx - half, cy - half, cx + half, cy + half), 20, 340, fill=40, width=3)
    else:
        draw.line((cx - half, cy - half, cx + half, cy + half), fill=40, width=3)
        draw.line((cx - half, cy + half, cx + half, cy - half), fill=40, width=3)
    return np.asarray(image), anchors


@pytest.mark.parametrize(
    ("mark", "scale"),
    [("x", 1.0), ("x", 2.0), ("x", 2.6), ("circle", 2.3), ("circle", 2.6), ("circle", 3.0)],
)
@pytest.mark.parametrize("ticked", [1, 2, 3])
def test_a_large_mark_ticks_only_its_own_box(ticked: int, scale: float, mark: str) -> None:
    page, anchors = _form(ticked, scale, mark)
    words = [w for a in anchors for w in a.words + a.lead]
    first = [read_tick(page, a, words) for a in anchors]
    centres = [((t.box[0] + t.box[2]) / 2, (t.box[1] + t.box[3]) / 2) for t in first]
    assert all(t.found_box for t in first)
    again = [
        read_tick(page, a, words, [c for j, c in enumerate(centres) if j != i])
        for i, a in enumerate(anchors)
    ]
    assert [t.ticked for t in again] == [n == ticked for n in (1, 2, 3)]
    # read a second time with the box found the first time: the same decision, quicker
    for i, a in enumerate(anchors):
        rivals = [c for j, c in enumerate(centres) if j != i]
        known = read_tick(page, a, words, rivals, first[i])
        assert (known.ticked, known.box) == (again[i].ticked, again[i].box)


def test_a_word_whose_box_took_in_a_pen_mark_is_still_text() -> None:
    assert not junk(OWord("reintegracyjnych", 72.0, 208, 1002, 389, 1045, 0))
    assert junk(OWord("EI", 80.0, 0, 0, 30, 60, 0))  # a box read as letters
    assert junk(OWord("Wyrażam", 20.0, 0, 0, 90, 60, 0))  # barely recognised
