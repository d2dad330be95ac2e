"""parsers/marks.py: a box ticked or empty before (or after) a text, in the ways forms print one;
the symbol fonts' private-use check glyphs."""

from __future__ import annotations

import pytest

from parsers.marks import BOX_CHAR, TICK_CHAR, is_mark_only, pua_to_mark, split_mark


@pytest.mark.parametrize(
    ("text", "state", "rest"),
    [
        ("☒ Grupa robocza nr 1", True, "Grupa robocza nr 1"),
        ("☑Grupa robocza nr 2", True, "Grupa robocza nr 2"),
        ("■ Grupa robocza nr 3", True, "Grupa robocza nr 3"),
        ("☐ Grupa robocza nr 4", False, "Grupa robocza nr 4"),
        ("□ Grupa robocza nr 5", False, "Grupa robocza nr 5"),
        ("[x] Oświadczam, że", True, "Oświadczam, że"),
        ("[ X ] Oświadczam, że", True, "Oświadczam, że"),
        ("( ) Oświadczam, że", False, "Oświadczam, że"),
        ("[ ] Oświadczam, że", False, "Oświadczam, że"),
        ("x Wyrażam zgodę", True, "Wyrażam zgodę"),
        ("TAK Oświadczam, że zapoznałem się", True, "Oświadczam, że zapoznałem się"),
        ("NIE Wyrażam zgody", False, "Wyrażam zgody"),
        ("☐ ☒ Grupa 1", True, "Grupa 1"),  # any tick wins
        ("Grupa robocza nr 1 ☒", True, "Grupa robocza nr 1"),  # a box cell right of the text
        ("Grupa robocza nr 1 [x]", True, "Grupa robocza nr 1"),
        ("Grupa robocza nr 1 X", True, "Grupa robocza nr 1"),
        ("Imię i nazwisko: Anna Kowalska", None, "Imię i nazwisko: Anna Kowalska"),
        ("Xenia Nowak", None, "Xenia Nowak"),  # a name starting with X is not a tick
        ("Taksówka", None, "Taksówka"),
        ("Niedziela", None, "Niedziela"),
        ("", None, ""),
    ],
)
def test_split_mark(text: str, state: bool | None, rest: str) -> None:
    assert split_mark(text) == (state, rest)


def test_a_mark_alone() -> None:
    assert is_mark_only(" ☒ ")
    assert is_mark_only("[ ]")
    assert not is_mark_only("☒ Grupa 1")
    assert not is_mark_only("Grupa 1")


def test_symbol_font_glyphs_become_boxes() -> None:
    assert pua_to_mark(chr(0xF0FE)) == TICK_CHAR  # Wingdings checked box
    assert pua_to_mark(chr(0xFE)) == TICK_CHAR  # the same glyph without the private-use offset
    assert pua_to_mark(chr(0xF0A8)) == BOX_CHAR  # Wingdings empty box
    assert pua_to_mark("a") == "a"
    assert pua_to_mark("ż") == "ż"
