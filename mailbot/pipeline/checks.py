"""Format checks of single answers: usable, unusable, or usable but worth a note.

Phone numbers are read with ``phonenumbers`` (region PL: "kom. 601 234 567", "71 344 55 66
wew. 12", several numbers in one field), e-mail addresses with ``email-validator`` (IDN domains,
no DNS look-up). What is clearly unusable is a problem for the applicant; what is only unusual
is a note for the coordinator. Each check is pure and remembered per distinct answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import email_validator
import phonenumbers

from mailbot.pipeline.texts import MONTHS_GENITIVE


@dataclass(frozen=True)
class Checked:
    usable: bool
    note: str | None = None  # Polish, for the coordinator


#: distinct answers whose check is remembered: each check is a pure function of the text, and
#: a backlog holds the same people's numbers and addresses many times over
CHECK_CACHE_SIZE = 4096


@lru_cache(maxsize=CHECK_CACHE_SIZE)
def check_phone(text: str, region: str = "PL") -> Checked:
    found = [
        m.number
        for m in phonenumbers.PhoneNumberMatcher(
            text, region, leniency=phonenumbers.Leniency.POSSIBLE
        )
    ]
    valid = [n for n in found if phonenumbers.is_valid_number(n)]
    if not valid:
        return Checked(False)
    notes = []
    foreign = sorted({phonenumbers.region_code_for_number(n) or "?" for n in valid} - {region})
    if foreign:
        notes.append("numer zagraniczny (" + ", ".join(foreign) + ")")
    if len(valid) < len(found):
        notes.append("nie każdy z podanych numerów jest poprawny")
    return Checked(True, "; ".join(notes) or None)


_SEPARATORS = re.compile(r"[\s,;]+")


@lru_cache(maxsize=CHECK_CACHE_SIZE)
def check_email(text: str) -> Checked:
    value = text.strip()
    if value.lower().startswith("mailto:"):
        value = value[7:]
    value = value.strip().strip("<>").strip()
    parts = [p for p in _SEPARATORS.split(value) if p]
    if not parts:
        return Checked(False)
    try:
        # syntax only, no DNS look-up; the reserved .test domain (RFC 2606) is allowed
        email_validator.validate_email(parts[0], check_deliverability=False, test_environment=True)
    except email_validator.EmailNotValidError:
        return Checked(False)
    if len(parts) > 1:
        return Checked(True, "podano więcej niż jeden adres e-mail; odpowiadamy na pierwszy")
    return Checked(True)


_NUMERIC_DATE = re.compile(r"\b(\d{1,2})[.\-/](\d{1,2})[.\-/](\d{4})\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_WORD_DATE = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(MONTHS_GENITIVE) + r")\s+(\d{4})\b", re.IGNORECASE
)


def find_date(text: str) -> date | None:
    """The first date written in a common Polish way (20.05.2024, 2024-05-20, 20 maja 2024)."""
    try:
        if m := _ISO_DATE.search(text):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _NUMERIC_DATE.search(text):
            return date(int(m[3]), int(m[2]), int(m[1]))
        if m := _WORD_DATE.search(text):
            return date(int(m[3]), MONTHS_GENITIVE.index(m[2].lower()) + 1, int(m[1]))
    except ValueError:
        return None
    return None


def check_date(text: str) -> Checked:
    if find_date(text) is None:
        return Checked(True, "nie rozpoznano daty")
    return Checked(True)
