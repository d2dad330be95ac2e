"""Spaces inside a number come back from the picture; nothing changes when the glyphs cannot
be counted one to one with the characters."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.fields import passes
from parsers.ocr.spacing import respace, respace_word
from parsers.ocr.words import OWord
from parsers.spec import DEFAULT_FORM

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _word(text: str, size: int = 30) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    font = ImageFont.truetype(FONT, size)
    image = Image.new("L", (40 + int(size * 0.8 * len(text)), 2 * size), 255)
    draw = ImageDraw.Draw(image)
    draw.text((20, size // 2), text, font=font, fill=0)
    left, top, right, bottom = draw.textbbox((20, size // 2), text, font=font)
    return np.asarray(image), (left, top, right, bottom)


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        ImageFont.truetype(FONT, 10)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the numbers")


@pytest.mark.parametrize("printed", ["74 811", "601 234 567", "+48 601", "75 974 91 71"])
@pytest.mark.parametrize("size", [18, 30])
def test_spaces_come_back(printed: str, size: int) -> None:
    page, box = _word(printed, size)
    assert respace_word(printed.replace(" ", ""), box, page) == printed


@pytest.mark.parametrize("printed", ["748110", "601-234-567"])
def test_no_space_is_invented(printed: str) -> None:
    page, box = _word(printed)
    assert respace_word(printed, box, page) == printed


def test_glyphs_not_counted_one_to_one_leave_the_word() -> None:
    page, box = _word("74 811")
    assert respace_word("7481", box, page) == "7481"  # a digit missing: nothing guessed
    assert respace_word("Tel.", box, page) == "Tel."  # not a number


def test_words_of_one_number_closer_than_a_space_are_joined() -> None:
    page, (left, top, right, bottom) = _word("813 822")
    mid = left + (right - left) * 2 // 7  # Tesseract cut "813" after its second digit
    words = [
        OWord("81", 90, left, top, mid - 1, bottom, 0, 1),
        OWord("3", 90, mid, top, left + (right - left) * 3 // 7, bottom, 0, 1),
    ]
    assert respace(words, page)[0].startswith("813")


def test_passes() -> None:
    f = {x.key: x for x in DEFAULT_FORM.fields}
    assert passes(f["email"], "a@b.pl") and not passes(f["email"], "a.b.pl")
    assert passes(f["phone"], "601 234 567") and not passes(f["phone"], "601 234")
    assert not passes(f["full_name"], None)
