"""A dash between words is told from its length on the page: an en dash read as a hyphen or
an em dash comes back, and a hyphen stays a hyphen."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.dashes import dash_of, join_dashes
from parsers.ocr.spacing import respace
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


def _drawn(parts: list[str], size: int = 25, speck: bool = False) -> tuple[list[OWord], np.ndarray]:
    """``parts`` drawn as words of one line, boxed as Tesseract boxes them; ``speck``: a dot
    above the first, taken into its box (the box taller than the digits)."""
    f = ImageFont.truetype(FONTS + "DejaVuSans.ttf", size)
    image = Image.new("L", (60 + size * 12, 4 * size), 255)
    draw = ImageDraw.Draw(image)
    words, x = [], 20
    for part in parts:
        left, top, right, bottom = draw.textbbox((x, 2 * size), part, font=f)
        draw.text((x, 2 * size), part, font=f, fill=0)
        if speck and not words:
            draw.rectangle((left + 3, top - 12, left + 5, top - 10), fill=0)
            top -= 12
        words.append(OWord(part.replace("–", "-"), 90.0, left, top, right, bottom, 0, 0))
        x = right + (4 if part.endswith("–") else size // 3)
    return words, np.asarray(image)


def test_a_range_is_measured_against_its_digits_not_its_box() -> None:
    """A speck taken into the word's box makes it taller than the digits: the dash is still
    measured against them."""
    words, page = _drawn(["2014–2023", "byłam"], speck=True)
    assert words[0].height > 25
    assert join_dashes(words, page) == ["2014–2023", "byłam"]
    words, page = _drawn(["2014-2023", "byłam"], speck=True)
    assert join_dashes(words, page) == ["2014-2023", "byłam"]


def test_a_range_read_as_two_words_is_one() -> None:
    words, page = _drawn(["latach", "2015–", "2023"])
    assert [w.text for w in words] == ["latach", "2015-", "2023"]
    assert join_dashes(words, page) == ["latach", "2015–2023"]


@pytest.mark.parametrize("gap", [0.1, 0.2, 0.45])
def test_a_range_and_a_number_are_joined_by_the_same_gap(gap: float) -> None:
    """Two words closer than a space are one word read as two — a range ("2015–" "2023") as
    a phone number ("601" "234567"): one measure for both; a space apart they stay two."""
    words, page = _drawn(["2015–", "2023"])
    first, second = words
    left = first.right + round(gap * min(first.height, second.height))
    moved = OWord(
        second.text, 90.0, left, second.top, left + second.right - second.left, second.bottom, 0, 0
    )
    ranged = len(join_dashes([first, moved], page)) == 1
    digits = OWord("601", 90.0, first.left, first.top, first.right, first.bottom, 0, 0)
    numbered = len(respace([digits, moved], page)) == 1
    assert ranged == numbered == (gap < 0.3)
