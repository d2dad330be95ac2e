"""Written text read by OCR: specks read as punctuation, digits read for letters, capitals
read as small letters.

Where the page's picture is at hand (``with_picture``) it decides: a dot glued between two
words is a speck only when the picture shows no written dot there, a small letter after a
full stop is a capital only when the picture shows it at a capital's height (``dots.py``).
Without the picture the text rules act only where the text's shape leaves no doubt, and do
nothing when unsure: never inside something shaped like an abbreviation ("kom.601234567",
"dyr. szkoły", "30 min. dziennie"), a domain ("poczta.fm") or a number.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import Any

from parsers.ocr.words import OWord, rows_of

_DIGIT_IN_WORD = re.compile(r"(?<=[^\W\d_])[01](?=[^\W\d_])|^0(?=[^\W\d_]*[a-ząćęłńóśźż])")


def digits_as_letters(word: str, digits: str = "01") -> str:
    """One word with "0" read for "O"/"o" and "1" for "l" (only the ``digits`` given): a
    digit between letters, or a "0" starting a word of small letters — and only in a word
    with no other digit ("3a", "m2", "sp10lawa" are left as written)."""
    if sum(c.isdigit() for c in word) != 1:
        return word
    upper = word[:1] == "0" and (len(word) < 2 or not word[1:2].isupper())

    def letter(m: re.Match[str]) -> str:
        if m.group() not in digits:
            return m.group()
        if m.group() == "1":
            return "l"
        return "O" if m.start() == 0 and upper else "o"

    return _DIGIT_IN_WORD.sub(letter, word)


def letters_for_digits(text: str) -> str:
    """In a word of letters, "0" read for "O"/"o" and "1" for "l" ("0d 2015 r." → "Od",
    "Ko1ejowa" → "Kolejowa"); a digit at a word's end ("CIS1") and words with other digits
    ("3a", "m2") are left as written."""
    return " ".join(digits_as_letters(w) for w in text.split(" "))


_DOLLAR = re.compile(r"Ś\$|\$Ś|\$(?=[A-ZĄĆĘŁŃÓŚŹŻa-ząćęłńóśźż])")


def dollar_for_s(text: str) -> str:
    """ "$" in a word is an "Ś" Tesseract read with its accent as a stroke through it ("$DS",
    "Ś$DS" — one sign read as two)."""
    return _DOLLAR.sub("Ś", text)


#: a word written short is this long at most ("ul", "kom", "dyr", "min", "godz"): a dot
#: after it is the abbreviation's, and a small letter may follow it
SHORT = 4
#: a dot glueing two words with no space: both sides words of letters, the second in small
#: letters and longer than a domain's last part ("poczta.fm", "cis.org")
_GLUED_WORDS = re.compile(rf"^([^\W\d_]{{{SHORT + 1},}})\.([a-ząćęłńóśźż]{{4,}})([.,;:!?)]?)$")


def unglue_dots(text: str) -> str:
    """Without the picture: a dot between two words with no space after it is a speck only
    between a word longer than an abbreviation and a word of four small letters or more
    ("sektorze.osób"); a number after it ("kom.601234567", "Od.2006"), a short word before
    it ("dyr.szkoły") or a domain's shape ("poczta.fm") leave it as read."""

    def fix(token: str) -> str:
        m = _GLUED_WORDS.match(token)
        return token if m is None else f"{m.group(1)} {m.group(2)}{m.group(3)}"

    return " ".join(fix(t) for t in text.split(" "))


_SPECK_WORD = re.compile(r"(?<=\S) [.,'`´·•]{1,2}(?= \S)")
_SPECK_AFTER_NUMBER = re.compile(r"(?<=\d)[.,'`´·•](?=[a-ząćęłńóśźż]+\b)")
_DOUBLED = re.compile(r"(?<![.,])([.,])\1(?![.,])")


def drop_specks(text: str, unglue: bool = True) -> str:
    """A speck read as punctuation inside a text: a sign standing alone between words
    ("Mam . doświadczenie"), one glued between a number and the small letters after it
    ("nr 2.w Świdnicy" for "nr 2 w Świdnicy"), a dot or comma doubled ("r.." — an ellipsis
    "..." is left), and (``unglue``: when the picture did not decide) a dot glueing two
    words (``unglue_dots``)."""
    text = _SPECK_WORD.sub("", text)
    text = _SPECK_AFTER_NUMBER.sub(" ", text)
    if unglue:
        text = "\n".join(unglue_dots(line) for line in text.split("\n"))
    return _DOUBLED.sub(r"\1", text)


_SENTENCE_END = re.compile(r"(?<!\S)(\S+?)\.([”\"’)]?)(\s+)([a-ząćęłńóśźż])")
_CLOSES = '”"’)'


def capitals_after_full_stops(text: str) -> str:
    """Without the picture: a small letter after a full stop is a capital only after a word
    that cannot be an abbreviation — longer than one ("w Lądku-Zdroju. jestem") or closed by
    a quote or bracket ("„Most”. w") — never after a short word ("dyr. szkoły", "30 min.
    dziennie", "r. w", "ds."), one with a dot ("m.in.") or a number."""

    def fix(m: re.Match[str]) -> str:
        if not _sentence_ends(m.group(1)):
            return m.group()
        return m.group(1) + "." + m.group(2) + m.group(3) + m.group(4).upper()

    return _SENTENCE_END.sub(fix, text)


def _sentence_ends(raw: str) -> bool:
    """Is ``raw`` (a word before a full stop, without it) surely no abbreviation?"""
    word = raw.strip("„”\"'’(")
    closed = raw[-1:] in _CLOSES and len(word) >= 2
    return not (
        "." in word
        or not any(c.isalpha() for c in word)
        or any(c.isdigit() for c in word)
        or not (closed or len(word) > SHORT)
    )


_ENDS_SENTENCE = re.compile(r"[^\W\d_][”\"’)]?\.[”\"’)]?$")


def with_picture(words: Sequence[OWord], page: Callable[[int], Any], capitals: bool) -> list[OWord]:
    """The words with what the picture decides: a dot glued between two words that the
    picture shows as a speck (or nothing) opened into a space; with ``capitals``, a small
    letter after a full stop that the picture shows as a capital made one. Where the
    picture cannot tell, the text rules (``unglue_dots``, ``capitals_after_full_stops``)."""
    from parsers.ocr.dots import GLUED_DOT, capital_shown, dot_is_written

    out: list[OWord] = []
    previous: OWord | None = None
    for row in rows_of(list(words)):
        for i, w in enumerate(row):
            text = w.text
            m = GLUED_DOT.match(text)
            if m is not None:
                written = dot_is_written(w, page(w.page))
                if written is False or (written is None and unglue_dots(text) != text):
                    text = f"{m.group(1)} {m.group(2)}{m.group(3)}"
            if capitals and previous is not None and _ENDS_SENTENCE.search(previous.text):
                shown = capital_shown(w, row[max(0, i - 1) : i] + row[i + 1 : i + 3], page(w.page))
                if shown is None:  # the picture cannot tell: the text rule
                    end = previous.text.rstrip(_CLOSES).removesuffix(".")
                    shown = text[:1].islower() and _sentence_ends(end)
                if shown:
                    text = text[:1].upper() + text[1:]
            out.append(w if text == w.text else dataclasses.replace(w, text=text))
            if w.text.strip():
                previous = w
    return out
