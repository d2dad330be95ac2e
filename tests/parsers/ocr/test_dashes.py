"""A dash between words is told from its length on the page: an en dash read as a hyphen or
an em dash comes back, and a hyphen stays a hyphen."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.dashes import dash_of, join_dashes
from parsers.ocr.tesseract import api
from parsers.ocr.words import OWord, word_key

FONTS = "/usr/share/fonts/truetype/dejavu/"


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        ImageFont.truetype(FONTS + "DejaVuSans.ttf", 10)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the lines")


def _read(text: str, font: str, size: int) -> tuple[list[OWord], np.ndarray]:
    a = api()
    if a is None:
        pytest.skip("tesseract with Polish data is needed")
    f = ImageFont.truetype(FONTS + font, size)
    image = Image.new("L", (40 + int(size * 0.7 * len(text)), 3 * size), 255)
    ImageDraw.Draw(image).text((20, size), text, font=f, fill=0)
    words = [
        OWord(w.text, w.conf, w.left, w.top, w.right, w.bottom, 0, 0, word_key(w.text))
        for w in a.words(image.tobytes(), image.width, image.height, 300, 5.0)
    ]
    return words, np.asarray(image)


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSerif.ttf"])
@pytest.mark.parametrize("size", [17, 42])
@pytest.mark.parametrize(
    "text",
    [
        "Gmina Oleśnica – Urząd Miejski",  # read "-" by Tesseract
        "Anna Kowal - Nowak ma",
        "Stowarzyszenie — Fundacja Brzeg",
        "od 2015 r. – obecnie",
    ],
)
def test_each_dash_is_told_from_its_length(text: str, font: str, size: int) -> None:
    words, page = _read(text, font, size)
    assert " ".join(join_dashes(words, page)) == text


def test_a_dash_at_a_lines_end_or_inside_a_word_is_left() -> None:
    words, page = _read("Kowalska-Nowak", "DejaVuSans.ttf", 30)
    assert " ".join(join_dashes(words, page)) == "Kowalska-Nowak"
    end = OWord("–", 90.0, 100, 10, 120, 14, 0)
    assert dash_of(end, [OWord("Anna", 90.0, 0, 0, 80, 30, 0), end], page) == "–"


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSerif.ttf"])
@pytest.mark.parametrize("size", [17, 25, 42])
@pytest.mark.parametrize(
    "text", ["W latach 2014–2023 byłam", "W latach 2014-2023 byłam", "w dniach 24–25 maja"]
)
def test_the_dash_of_a_range_of_numbers_is_told_from_its_length(
    text: str, font: str, size: int
) -> None:
    words, page = _read(text, font, size)
    assert " ".join(join_dashes(words, page)) == text
