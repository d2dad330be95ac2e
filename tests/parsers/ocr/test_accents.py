"""A capital's accent Tesseract left out comes back from a second look at the word — and only
an accent: a rule above the word, or a second reading with other letters, changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.accents import dot_or_acute, marks_above, restore, transfer
from parsers.ocr.tesseract import PSM_LINE, api
from parsers.ocr.words import OWord, word_key

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(autouse=True)
def _font() -> None:
    try:
        ImageFont.truetype(FONT, 10)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the words")


def _page(
    text: str, size: int = 34, rule: bool = False, grey: int = 60
) -> tuple[np.ndarray, tuple[int, int, int, int]]:
    """A grey page with ``text`` on it (and a table's rule close above it); the box of its
    letters without the accents above the capitals (as Tesseract gives a word it read without
    them)."""
    font = ImageFont.truetype(FONT, size)
    image = Image.new("L", (60 + int(size * 0.8 * len(text)), 3 * size), 235)
    draw = ImageDraw.Draw(image)
    at = (30, size)
    draw.text(at, text, font=font, fill=grey)
    left, _, right, bottom = draw.textbbox(at, text, font=font)
    plain = draw.textbbox(at, "SZCN", font=font)  # the capitals' height without an accent
    if rule:
        y = plain[1] - round(0.2 * size)
        draw.line((10, y, image.width - 10, y), fill=grey, width=2)
    return np.asarray(image), (left, plain[1], right, bottom)


def _word(text: str, box: tuple[int, int, int, int]) -> OWord:
    return OWord(text, 80.0, *box, page=0, line=0, key=word_key(text))


def _reader() -> Callable[[Any, int], str | None]:
    a = api()
    if a is None:
        pytest.skip("tesseract with Polish data is needed")

    def read(pixels: Any, page: int) -> str | None:
        h, w = pixels.shape
        return " ".join(x.text for x in a.words(pixels.tobytes(), w, h, 300, 5.0, line=True))

    return read


@pytest.mark.parametrize(
    ("printed", "read"),
    [("Środowiskowy", "Srodowiskowy"), ("Żmigród", "Zmigród"), ("ŚDS", "SDS")],
)
def test_an_accent_left_out_comes_back(printed: str, read: str) -> None:
    page, box = _page(printed)
    w = _word(read, box)
    assert marks_above(w, page, [w]), "the accent above the word is found"
    (got,) = restore([w], lambda i: page, lambda i: [w], _reader())
    assert got.text == printed
    assert got.key == word_key(printed)


def test_a_rule_above_a_word_is_no_accent() -> None:
    page, box = _page("Sosnowa", rule=True)
    w = _word("Sosnowa", box)
    assert marks_above(w, page, [w]) == []
    calls: list[Any] = []
    (got,) = restore([w], lambda i: page, lambda i: [w], lambda p, i: calls.append(p) or "Śosnowa")
    assert got == w and not calls  # nothing above it: not even read again


def test_a_word_with_nothing_above_it_is_not_read_again() -> None:
    page, (left, _, right, bottom) = _page("Wrocław")
    font = ImageFont.truetype(FONT, 34)
    top = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((30, 34), "Wrocław", font=font)[1]
    w = _word("Wrocław", (left, top, right, bottom))
    calls: list[Any] = []
    assert restore([w], lambda i: page, lambda i: [w], lambda p, i: calls.append(p) or "x") == [w]
    assert not calls


def test_a_second_reading_with_other_letters_changes_nothing() -> None:
    page, box = _page("Żmigród")
    w = _word("Zmigród", box)
    (got,) = restore([w], lambda i: page, lambda i: [w], lambda p, i: "Żmigrodzki")
    assert got == w


def test_only_the_letter_under_the_mark_takes_the_accent() -> None:
    w = _word("SOSNOWA", (0, 10, 140, 30))
    # "Ś" and "Ó" read again, but a mark was found only above the first letter
    assert transfer(w, "ŚOSNÓWA", [(4, 0, 14, 8)]) == "ŚOSNOWA"
    assert transfer(_word("$DS", (0, 10, 60, 30)), "ŚDS", []) == "ŚDS"  # "$" is an "Ś"


def test_the_line_mode_exists() -> None:
    assert PSM_LINE == 7


def test_only_an_accent_is_taken_never_a_letters_case() -> None:
    w = _word("Sląskiej", (0, 10, 160, 30))
    assert transfer(w, "śląskiej", [(0, 0, 12, 8)]) == "Śląskiej"
    w = _word("Integracji", (0, 10, 200, 30))
    assert transfer(w, "integracji", [(0, 0, 12, 8)]) == "Integracji"


def test_a_capital_read_as_its_small_form_at_a_words_start() -> None:
    w = _word("żeromskiego", (0, 10, 220, 30))
    assert transfer(w, "Żeromskiego", [(0, 0, 12, 8)]) == "Żeromskiego"
    w = _word("wieś", (0, 10, 80, 30))
    assert transfer(w, "Wieś", [(0, 0, 12, 8)]) == "wieś"  # a "w" is no accented letter


@pytest.mark.parametrize("font", ["DejaVuSans.ttf", "DejaVuSerif.ttf"])
@pytest.mark.parametrize("size", [25, 42])
@pytest.mark.parametrize("printed", ["Źrebiec", "Żurawski", "ŹRÓDŁO", "Żmigród"])
def test_a_dot_and_an_acute_are_told_apart(printed: str, size: int, font: str) -> None:
    """Ż read for Ź (or the other way round) is told from the accent's shape."""
    f = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/" + font, size)
    image = Image.new("L", (40 + size * len(printed), 3 * size), 240)
    draw = ImageDraw.Draw(image)
    draw.text((20, size), printed, font=f, fill=50)
    box = draw.textbbox((20, size), printed, font=f)
    page = np.asarray(image)
    swapped = printed.translate(str.maketrans("ŻŹ", "ŹŻ"))
    for read in (swapped, printed):
        (got,) = dot_or_acute([_word(read, box)], lambda i: page)
        assert got.text == printed
