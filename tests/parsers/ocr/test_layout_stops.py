"""A stop text ends the value above it even when OCR garbled its first word."""

from __future__ import annotations

from parsers.ocr.layout import Finder, assign
from parsers.ocr.words import OWord, word_key
from parsers.spec import DEFAULT_FORM


def _line(texts: list[str], left: int, top: int, line: int) -> list[OWord]:
    out = []
    for text in texts:
        right = left + 18 * len(text)
        out.append(OWord(text, 90.0, left, top, right, top + 30, 0, line, word_key(text)))
        left = right + 12
    return out


def _values(caption: list[str]) -> list[str]:
    words = [
        *_line(["Miejscowość", "i", "data"], 100, 100, 1),
        *_line(["Oleśnica,", "14.05.2024"], 100, 160, 2),
        *_line(caption, 900, 215, 3),  # under the signature line, right
    ]
    anchors = Finder(DEFAULT_FORM).find([words])
    assign(anchors, words)
    (label,) = [a for a in anchors if a.target.key == "place_and_date"]
    return [w.text for w in label.values]


def test_the_signature_caption_ends_the_place_and_date() -> None:
    assert _values(["Podpis", "kandydatki", "/", "kandydata"]) == ["Oleśnica,", "14.05.2024"]


def test_a_garbled_first_word_of_the_caption_still_ends_it() -> None:
    assert _values(["ŁOAB", "kandydatki", "/", "kandydata"]) == ["Oleśnica,", "14.05.2024"]


def test_a_form_text_written_again_inside_a_value_is_the_value() -> None:
    """A choice's printed text comes once, above; the same words in the experience text
    below are the applicant's, and her text goes on after them."""
    option = ["Grupa", "robocza", "ds.", "przedsiębiorstw", "społecznych"]
    words = [
        *_line(option, 160, 100, 1),
        *_line(["Doświadczenie", "i", "uzasadnienie", "kandydatury"], 100, 200, 2),
        *_line(["Prowadzę", "spółdzielnię", "socjalną."], 100, 260, 3),
        *_line(option, 100, 300, 4),
        *_line(["to", "obszar,", "w", "którym", "pracuję."], 100, 340, 5),
    ]
    anchors = Finder(DEFAULT_FORM).find([words])
    assign(anchors, words)
    (label,) = [a for a in anchors if a.target.key == "experience"]
    assert " ".join(w.text for w in label.values) == (
        "Prowadzę spółdzielnię socjalną. " + " ".join(option) + " to obszar, w którym pracuję."
    )
    assert [a.target.number for a in anchors if a.target.kind == "option"] == [5]


def test_a_heading_in_the_middle_of_a_line_of_text_is_text() -> None:
    """ "Mam doświadczenie we współpracy" is no heading "Oświadczenia": the experience goes
    on, and the heading printed below it is still found."""
    words = [
        *_line(["Doświadczenie", "i", "uzasadnienie", "kandydatury"], 100, 200, 2),
        *_line(["Pracuję", "w", "Świdnicy."], 100, 260, 3),
        *_line(["Mam", "doświadczenie", "we", "współpracy", "z", "PES."], 100, 300, 4),
        *_line(["IV.", "Oświadczenia"], 100, 400, 5),
    ]
    anchors = Finder(DEFAULT_FORM).find([words])
    assign(anchors, words)
    (label,) = [a for a in anchors if a.target.key == "experience"]
    assert " ".join(w.text for w in label.values) == (
        "Pracuję w Świdnicy. Mam doświadczenie we współpracy z PES."
    )
    (heading,) = [a for a in anchors if a.target.kind == "heading"]
    assert [w.text for w in heading.words] == ["Oświadczenia"]


def _place_and_date(label: list[str], value: list[str]) -> list[str] | None:
    """The place-and-date label on one line with its value in the cell to its right."""
    words = [*_line(label, 100, 100, 1), *_line(value, 900, 100, 1)]
    anchors = Finder(DEFAULT_FORM).find([words])
    assign(anchors, words)
    found = [a for a in anchors if a.target.key == "place_and_date"]
    return [w.text for w in found[0].values] if found else None


def test_a_label_whose_last_word_is_garbled_is_still_the_label() -> None:
    """ "Miejscowość i GE": a pen stroke across "data"; the value in the cell beside it is
    still the place and date, and the garbled word is no part of it."""
    assert _place_and_date(["Miejscowość", "i", "GE"], ["Oława,", "16", "maja"]) == [
        "Oława,",
        "16",
        "maja",
    ]
    # a word much longer than the one printed is no garbled "data"
    assert _place_and_date(["Miejscowość", "i", "Wrocławiu"], ["Oława,", "16", "maja"]) is None


def _sloping(texts: list[str], left: int, top: int, line: int, slope: float) -> list[OWord]:
    """A line of words falling ``slope`` pixels per pixel to the right (a photo whose
    perspective was not undone)."""
    out = []
    for w in _line(texts, left, top, line):
        drop = round(slope * (w.left - left))
        out.append(
            OWord(w.text, w.conf, w.left, w.top + drop, w.right, w.bottom + drop, 0, line, w.key)
        )
    return out


def test_a_value_on_a_sloping_line_belongs_to_the_label_of_its_line() -> None:
    """The lines of the photo fall to the right: the place and date, far right of its label,
    lies as low as the signature's caption below the label begins — it is still the label's,
    and Tesseract took it for a line of its own."""
    slope = 0.04
    words = [
        *_sloping(["Mam", "doświadczenie", "we", "współpracy", "z", "PES."], 100, 20, 1, slope),
        *_sloping(["Miejscowość", "i", "data"], 100, 100, 2, slope),
        *_sloping(["Oława,", "7.05.2024"], 700, 124, 3, slope),
        *_sloping(["Podpis", "kandydatki", "/", "kandydata"], 100, 140, 4, slope),
    ]
    anchors = Finder(DEFAULT_FORM).find([words])
    assign(anchors, words)
    (label,) = [a for a in anchors if a.target.key == "place_and_date"]
    assert [w.text for w in label.values] == ["Oława,", "7.05.2024"]
