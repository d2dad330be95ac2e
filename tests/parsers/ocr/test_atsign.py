"""An "@" read as "e" (or another letter) is put back where the picture shows one: which of
the address's letters it was only the picture can say."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.atsign import at_index
from parsers.ocr.fields import fix_email, value_of
from parsers.ocr.words import OWord
from parsers.spec import DEFAULT_FORM

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the address")


def _address(
    parts: list[tuple[str, str]], font: ImageFont.FreeTypeFont
) -> tuple[np.ndarray, list[OWord]]:
    """Each (printed, read) part drawn on its own line: the picture and the words as
    Tesseract read them."""
    image = Image.new("L", (1400, 60 + 60 * len(parts)), 255)
    draw = ImageDraw.Draw(image)
    words = []
    for n, (printed, read) in enumerate(parts):
        y = 30 + 60 * n
        left, top, right, bottom = draw.textbbox((20, y), printed, font=font)
        draw.text((20, y), printed, font=font, fill=0)
        words.append(OWord(read, 60.0, left, top, right, bottom, 0, n))
    return np.asarray(image), words


EMAIL = next(f for f in DEFAULT_FORM.fields if f.kind == "email")


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize(
    ("printed", "read"),
    [
        ("kbrzeczyszczykiewicz@zaz-", "kbrzeczyszczykiewiczezaz-"),
        ("cwiklinski-pawel@fundacja-", "cwiklinski-pawelefundacja-"),
        ("ewa.nowak@ops.example.pl", "ewa.nowakaops.example.pl"),
    ],
)
def test_the_at_sign_is_where_the_picture_has_it(font: str, printed: str, read: str) -> None:
    tail = "sciezka.org.pl" if printed.endswith("-") else ""
    parts = [(printed, read)] + ([(tail, tail)] if tail else [])
    page, words = _address(parts, _font(font, 28))
    want = printed + tail
    at = at_index(words, lambda i: page)
    assert at is not None and abs(at - want.index("@")) <= 2  # touching serifs: about there
    assert value_of(EMAIL, words, lambda i: page)[0] == want
    # without the picture the text alone cannot say which "e" (or "a") it was
    assert fix_email(read + tail)[0] != want


def test_no_at_sign_in_the_picture_changes_nothing() -> None:
    page, words = _address(
        [("ewa.nowak.ops.example.pl", "ewa.nowak.ops.example.pl")], _font(FONTS[0], 28)
    )
    assert at_index(words, lambda i: page) is None
    assert value_of(EMAIL, words, lambda i: page)[0] == "ewa.nowak.ops.example.pl"


@pytest.mark.parametrize(
    ("read", "at", "address"),
    [
        ("jankowalskiewp.pl", 11, "jankowalski@wp.pl"),  # "@" read as "e": put back
        ("jankowalskiwp.pl", 11, "jankowalski@wp.pl"),  # "@" left out: put in, no letter lost
        ("biuro@quest.pl", None, "biuro@quest.pl"),  # a domain's "qu" is no tail of the "@"
        ("x@qq.com", None, "x@qq.com"),
        ("biuro@qwp.pl", None, "biuro@wp.pl"),  # the "@"'s tail read as "q"
    ],
)
def test_an_at_sign_is_mended_without_taking_a_letter_of_the_address(
    read: str, at: int | None, address: str
) -> None:
    assert fix_email(read, at)[0] == address


def test_the_at_sign_is_counted_over_the_words_the_value_is_read_from() -> None:
    """A table's rule read as a word on a line of its own above the address is left out of
    the value: the "@"'s place is counted without it too."""
    page, words = _address(
        [("|||||", "|||||"), ("ewa.nowak@ops.example.pl", "ewa.nowakaops.example.pl")],
        _font(FONTS[0], 28),
    )
    assert value_of(EMAIL, words, lambda i: page)[0] == "ewa.nowak@ops.example.pl"
