"""Tick marks: a box ticked or empty before (or after) a text, in every way forms print one.

A leaf module: ``split_mark`` and the glyph tables are shared by the label matcher
(``parsers.text``) and the readers.
"""

from __future__ import annotations

import re

TICKED = "☒☑✔✓✅✗✘⊠⊗■▣◼●⬛☓🗹🗷🗸🗵⮽✕✖"
UNTICKED = "☐□▢◻○❏❐❑❒⬜◯◽"
#: private-use code points of Wingdings / Wingdings 2 / Symbol check glyphs (w:sym w:char)
SYMBOL_TICKED = frozenset(
    {
        0xF0FE,
        0xF0FD,
        0xF078,
        0xF0FC,
        0xF0FB,
        0xF06E,
        0xF0D6,
        0xF0B4,
        0xF0A4,
        0xF0A7,
        0xF050,
        0xF052,
        0xF053,
        0xF054,
        0xF04F,
        0xF0CF,
    }
)
SYMBOL_UNTICKED = frozenset({0xF0A8, 0xF06F, 0xF071, 0xF072, 0xF0A3, 0xF0A1, 0xF0A2, 0xF030})
TICK_CHAR, BOX_CHAR = "☒", "☐"

_LEAD = re.compile(
    r"^\s*(?:(?P<bt>[\[(]\s*[xXvV✓✔✗✘*+]\s*[\])])|(?P<be>[\[(]\s*[\])])"
    r"|(?P<t>[" + TICKED + r"])|(?P<u>[" + UNTICKED + r"])"
    r"|(?P<l>[xXvV])(?=[\s.,;:)\-–\]\d]|$)"
    # a box answered in words ("TAK Oświadczam…" / "NIE Wyrażam…"): upper case or capitalised
    r"|(?P<y>TAK|Tak)(?=[\s.,;:)\-–\]]|$)|(?P<n>NIE|Nie)(?=[\s.,;:)\-–\]]|$))\s*"
)
#: a mark after the text (a box cell right of the text in a table): a tick glyph, "[x]", or
#: a lone "X" / "TAK" after a space
_TRAIL = re.compile(
    r"\s*(?:(?P<t>[" + TICKED + r"])|(?P<bt>[\[(]\s*[xXvV✓✔]\s*[\])])"
    r"|(?<=\s)(?P<l>X|x|TAK|Tak))\s*$"
)


def pua_to_mark(ch: str) -> str:
    """Map a private-use symbol-font character to ☒ / ☐ (unchanged when not a box glyph)."""
    cp = ord(ch)
    if 0x20 <= cp <= 0xFF:
        cp += 0xF000
    if cp in SYMBOL_TICKED:
        return TICK_CHAR
    if cp in SYMBOL_UNTICKED:
        return BOX_CHAR
    return ch


#: what the first non-space character of a leading / the last of a trailing mark can be
_LEAD_FIRST = frozenset("[(" + TICKED + UNTICKED + "xXvVTN")
_TRAIL_LAST = frozenset("])" + TICKED + "xXKk")


def split_mark(text: str) -> tuple[bool | None, str]:
    """(True ticked / False empty box / None no box, the text after the mark)."""
    state: bool | None = None
    rest = text
    for _ in range(3):  # "☐ ☒ 1." or "☒☒": any tick wins
        head = rest.lstrip()  # cheap test first: no mark can start here
        if not head or head[0] not in _LEAD_FIRST:
            break
        m = _LEAD.match(rest)
        if not m or m.end() == 0:
            break
        ticked = bool(m.group("bt") or m.group("t") or m.group("l") or m.group("y"))
        state = bool(ticked or state)
        rest = rest[m.end() :]
    if state is None:
        tail = rest.rstrip()
        if tail and tail[-1] in _TRAIL_LAST:
            m = _TRAIL.search(rest)
            if m and m.start() > 0:
                state, rest = True, rest[: m.start()]
    return state, rest.strip()


def is_mark_only(text: str) -> bool:
    state, rest = split_mark(text)
    return state is not None and not rest
