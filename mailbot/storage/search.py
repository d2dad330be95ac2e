"""Search that speaks Polish: case and diacritics folded on both sides.

SQLite's ``lower()`` folds ASCII only, so "lodz" never found "Łódź". Each application keeps a
folded text of what a person searches by (``applications.search``): its reference number, the
sender, and every value of the form as read and as corrected — lower case, without diacritics
(ą → a, ł → l, é → e), one space between words. Triggers keep it (migration 16) by calling
:func:`search_text`, which every :class:`~mailbot.storage.store.Store` connection registers as
the SQL function ``mailbot_search_text``; a search folds its text with the same :func:`fold`
and looks for it with ``instr`` (every character taken literally).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from typing import Any

#: the SQL function the triggers call (registered on every connection of a Store)
SQL_FUNCTION = "mailbot_search_text"
#: letters NFKD does not decompose, and their plain forms
_EXTRA_LETTERS = (
    ("ł", "l"),
    ("Ł", "L"),
    ("ø", "o"),
    ("Ø", "O"),
    ("đ", "d"),
    ("Đ", "D"),
    ("ß", "ss"),
)
#: at most this much of one application's values is searched (a long experience text is cut)
MAX_TEXT = 20_000


def fold(text: str) -> str:
    """Lower case, without diacritics, one space between words: "Łódź" → "lodz"."""
    if not text.isascii():
        for letter, plain in _EXTRA_LETTERS:
            if letter in text:
                text = text.replace(letter, plain)
        text = unicodedata.normalize("NFKD", text)
        # the combining marks among the text's distinct characters, each removed in one scan
        # (a search text is long: a test per character would be most of a form's storing)
        for mark in {c for c in set(text) if not c.isascii() and unicodedata.combining(c)}:
            text = text.replace(mark, "")
    # str.split() splits at what \s matches: one space between words, none at the ends
    return " ".join(text.casefold().split())


def _values(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [v for item in value.values() for v in _values(item)]
    if isinstance(value, list):
        return [v for item in value for v in _values(item)]
    if value is None or isinstance(value, bool):
        return []
    return [str(value)]


def _json_values(text: str | None) -> list[str]:
    if not text:
        return []
    try:
        return _values(json.loads(text))
    except ValueError:
        return [text]


def search_text(
    reference: str | None, sender: str | None, fields: str | None, corrected: str | None
) -> str:
    """The folded text an application is found by (never raises: a trigger calls it)."""
    try:
        parts = [reference or "", sender or "", *_json_values(fields), *_json_values(corrected)]
        return fold(" | ".join(p for p in parts if p))[:MAX_TEXT]
    except Exception:  # noqa: BLE001 - a trigger must not fail the write it follows
        return ""


#: the SQL function the triggers of ``messages.search`` call (migration 18)
MESSAGE_FUNCTION = "mailbot_message_search_text"


def message_search_text(sender: str | None, subject: str | None) -> str:
    """The folded text a message is found by in the workspace's Wiadomości: its sender and
    subject (never raises: a trigger calls it)."""
    try:
        return fold(" | ".join(p for p in (sender or "", subject or "") if p))[:MAX_TEXT]
    except Exception:  # noqa: BLE001 - a trigger must not fail the write it follows
        return ""


def register(conn: sqlite3.Connection) -> None:
    """Make :func:`search_text` and :func:`message_search_text` callable from SQL on this
    connection."""
    conn.create_function(SQL_FUNCTION, 4, search_text, deterministic=True)
    conn.create_function(MESSAGE_FUNCTION, 2, message_search_text, deterministic=True)
