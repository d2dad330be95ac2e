"""Polish wording shared by replies, the digest and the export: dates, statuses, field values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

MONTHS_GENITIVE = ("stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca",
                   "sierpnia", "września", "października", "listopada", "grudnia")

STATUS_LABELS: Mapping[str, str] = {
    "accepted": "przyjęte (kompletne, w terminie)",
    "incomplete": "niekompletne (czekamy na poprawki)",
    "late": "po terminie",
    "early": "przed otwarciem naboru",
    "needs_review": "do sprawdzenia przez pracownika",
    "no_form": "bez formularza",
    "rejected": "odrzucone (decyzja pracownika)",
    "not_application": "nie jest zgłoszeniem (decyzja pracownika)",
}


def polish_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """e.g. "24 maja 2024 r., godz. 23:59" in the call's time zone."""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS_GENITIVE[local.month - 1]} {local.year} r., " \
           f"godz. {local:%H:%M}"


def format_value(key: str, value: Any, group_names: Mapping[int, str]) -> str:
    """A field value as a reply shows it to the applicant."""
    if key == "groups":
        numbers: Sequence[int] = value or []
        if not numbers:
            return "—"
        return "\n".join(f"{n}. {group_names.get(n, '(grupa spoza naboru)')}" for n in numbers)
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    return str(value).strip()
