"""A dot glued between two words and a small letter after a full stop are decided from the
picture: a speck in a space opens the words, a written dot stays; a capital comes back only
where the picture shows one, never on a word written small after an abbreviation."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from parsers.ocr.dots import capital_shown, dot_is_written
from parsers.ocr.fields import value_of
from parsers.ocr.words import OWord
from parsers.spec import DEFAULT_FORM

FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
)
TEXT = next(f for f in DEFAULT_FORM.fields if f.key == "organisation")
FREE_TEXT = next(f for f in DEFAULT_FORM.fields if f.kind == "free_text")


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(path, size)
    except OSError:
        pytest.skip("fonts-dejavu-core is needed to draw the words")


def _line(
    printed: list[str],
    read: list[str],
    font: ImageFont.FreeTypeFont,
    speck: tuple[int, float, float] = (0, 0.5, 0.0),
    slope: float = 0.0,
) -> tuple[np.ndarray, list[OWord]]:
    """The words ``printed`` on one line, and the words as Tesseract read them: ``read[i]``
    covers two printed words when it is their texts joined by a dot ("usług.dla"), with a
    speck in the space between them: (its side in pixels, where across the space 0..1, how
    high over the baseline in x-heights); ``slope``: each word set that much lower than the
    one before it, in pixels per pixel to the right (a photo's sloping line)."""
    image = Image.new("L", (1600, 120), 255)
    draw = ImageDraw.Draw(image)
    x, y = 20, 40
    boxes = []
    for word in printed:
        at = (x, y + round(slope * (x - 20)))
        box = draw.textbbox(at, word, font=font)
        draw.text(at, word, font=font, fill=0)
        boxes.append(box)
        x = box[2] + round(draw.textlength(" ", font=font))
    x_box = draw.textbbox((20, y), "x", font=font)
    side, across, up = speck
    words, n = [], 0
    for text in read:
        count = 2 if text == ".".join(printed[n : n + 2]) and n + 1 < len(printed) else 1
        if count == 2 and side:
            sx = round(boxes[n][2] + across * (boxes[n + 1][0] - boxes[n][2]))
            sy = round(x_box[3] - 1 - up * (x_box[3] - x_box[1]))
            draw.rectangle((sx, sy - side + 1, sx + side - 1, sy), 0)
        left, top = boxes[n][0], min(b[1] for b in boxes[n : n + count])
        right, bottom = boxes[n + count - 1][2], max(b[3] for b in boxes[n : n + count])
        words.append(OWord(text, 85.0, left, top, right, bottom, 0, 0))
        n += count
    return np.asarray(image), words


SPECKS = {
    "thinner than a stroke": (1, 0.5, 0.0),
    "above the line": (3, 0.5, 0.5),
    "too faint to see": (0, 0.5, 0.0),
}


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("speck", SPECKS)
@pytest.mark.parametrize(
    ("printed", "read", "want"),
    [
        # the cases the text rule was made for
        (["usług", "dla", "osób"], ["usług.dla", "osób"], "usług dla osób"),
        (["Od", "2006", "r."], ["Od.2006", "r."], "Od 2006 r."),
        (["CIS", "dla", "bezrobotnych"], ["CIS.dla", "bezrobotnych"], "CIS dla bezrobotnych"),
    ],
)
def test_a_speck_in_a_space_read_as_a_dot_is_a_space(
    font: str, speck: str, printed: list[str], read: list[str], want: str
) -> None:
    page, words = _line(printed, read, _font(font, 30), SPECKS[speck])
    assert dot_is_written(words[0], page) is False
    assert value_of(TEXT, words, lambda i: page)[0] == want


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("size", [18, 30])
@pytest.mark.parametrize(
    "printed",
    ["kom.601234567", "poczta.fm", "dyr.szkoły", "tzw.ekonomii", "usług.dla", "Od.2006"],
)
def test_a_written_dot_stays(font: str, size: int, printed: str) -> None:
    page, words = _line([printed], [printed], _font(font, size))
    assert dot_is_written(words[0], page) is True
    assert value_of(TEXT, words, lambda i: page)[0] == printed


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize(
    ("printed", "want"),
    [
        # a capital read as its small letter comes back where the picture shows it
        ("w Lądku-Zdroju. Jestem członkinią", "w Lądku-Zdroju. Jestem członkinią"),
        ("Fundacja „Most”. W latach 2015", "Fundacja „Most”. W latach 2015"),
        ("Śląskich. Ośrodek pomaga", "Śląskich. Ośrodek pomaga"),
        # written small: an abbreviation's dot, whatever the word
        ("Jestem dyr. szkoły i pracuję", "Jestem dyr. szkoły i pracuję"),
        ("uczę 30 min. dziennie", "uczę 30 min. dziennie"),
        ("Od 2010 r. pracuję w", "Od 2010 r. pracuję w"),
        ("Od 2017 r. pracuję w instytucji: CIS", "Od 2017 r. pracuję w instytucji: CIS"),
        ("we wsi. pracuję w swoim", "we wsi. pracuję w swoim"),
    ],
)
def test_a_capital_after_a_full_stop_is_told_from_its_height(
    font: str, printed: str, want: str
) -> None:
    # Tesseract read every word's first letter after a full stop small
    read = printed.split(" ")
    for i in range(1, len(read)):
        if read[i - 1].endswith("."):
            read[i] = read[i][:1].lower() + read[i][1:]
    page, words = _line(printed.split(" "), read, _font(font, 30))
    assert value_of(FREE_TEXT, words, lambda i: page)[0] == want


@pytest.mark.parametrize("font", FONTS)
@pytest.mark.parametrize("slope", [0.03, 0.05])
def test_a_small_letter_on_a_sloping_line_stays_small(font: str, slope: float) -> None:
    printed = ["Od", "2017", "r.", "pracuję", "w", "instytucji:", "Centrum", "Integracji"]
    page, words = _line(printed, printed, _font(font, 30), slope=slope)
    assert value_of(FREE_TEXT, words, lambda i: page)[0] == " ".join(printed)


def test_a_letter_as_tall_as_its_capital_says_nothing() -> None:
    printed = ["szkoły.", "Dziennie", "ćwiczę"]
    page, words = _line(printed, ["szkoły.", "dziennie", "ćwiczę"], _font(FONTS[0], 30))
    assert capital_shown(words[1], words[2:], page) is None
