"""One sanitiser for every value mailbot stores or exports.

Two rules, used everywhere a value leaves or enters mailbot:

- :func:`clean_text` makes text XML-safe: a soft line break (``\\v``, Word's Shift+Enter), a
  form feed and the Unicode line and paragraph separators become a line break, CR LF and CR
  become LF, every other control character (C0 but the tab, DEL, C1), the non-characters
  U+FFFE/U+FFFF and lone surrogates are dropped. What a fillable PDF or a correction pasted
  from Word carries then fits in a DOCX or XLSX (whose XML refuses control characters), a CSV
  and a letter. The store applies it to the values it is given (``storage.store.clean_values``),
  the exports to every value they write.
- :func:`spreadsheet_text` keeps a cell of a spreadsheet or CSV data: a value that a spreadsheet
  would read as a formula — starting with ``=``, ``+``, ``-``, ``@`` (also their full-width
  forms and after leading spaces), a tab, CR or LF — gets a leading ``'``, except a phone number
  written with its country code ("+48 601 234 567", which no spreadsheet can run and which stays
  readable as it is).

:func:`export_cell` applies both to one value of a spreadsheet or CSV row. XLSX files are
written with ``write_string`` and ``strings_to_formulas`` off as well, so no cell of any XLSX
mailbot writes is a formula.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: line breaks of other kinds, made LF
_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
#: what XML 1.0 refuses or a reader cannot show: C0 controls but tab and LF, DEL, C1, the
#: non-characters U+FFFE/U+FFFF and lone surrogates
_DROPPED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
#: characters a spreadsheet starts a formula with (ASCII and full-width)
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
#: whitespace that may stand before a formula (a spreadsheet may trim it)
_LEADING = frozenset("\t\r\n")
#: a phone number with its country code, as people write it: "+48 601 234 567",
#: "+48 (71) 344-55-66" — digits, spaces, ( ) . / -, at least eight digits
_PHONE = re.compile(r"\+\d[\d ()./-]*\d")
_PHONE_DIGITS = 8
NEUTRAL_PREFIX = "'"


def clean_text(text: str) -> str:
    """The text without what breaks XML: other line breaks made LF, control characters dropped
    (the tab kept)."""
    if text.isprintable():  # the common case: nothing to do
        return text
    return _DROPPED.sub("", _BREAKS.sub("\n", text))


def clean_values(value: Any) -> Any:
    """:func:`clean_text` applied to every string in a value (lists, tuples and mappings walked;
    numbers, booleans and None kept)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_text(str(k)): clean_values(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_values(v) for v in value]
    return value


def is_phone_number(text: str) -> bool:
    """A phone number with its country code (which a spreadsheet shows as it is)."""
    return bool(_PHONE.fullmatch(text)) and sum(c.isdigit() for c in text) >= _PHONE_DIGITS


def would_be_formula(text: str) -> bool:
    """Would a spreadsheet (Excel, LibreOffice, on opening a CSV or editing the cell) read this
    text as a formula?"""
    if not text:
        return False
    if text[0] in _LEADING:
        return True
    stripped = text.lstrip()
    return stripped[:1] in FORMULA_STARTS and not is_phone_number(stripped.rstrip())


def spreadsheet_text(text: str) -> str:
    """The text as a spreadsheet cell that stays data: XML-safe, and a would-be formula
    prefixed with ``'``."""
    text = clean_text(text)
    return NEUTRAL_PREFIX + text if would_be_formula(text) else text


def export_cell(value: Any) -> str | int | float:
    """One value of a spreadsheet or CSV row: None empty, True/False "tak"/"nie", a list joined
    with ", ", numbers kept, text through :func:`spreadsheet_text`."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return spreadsheet_text(str(value))
