"""Polish wording shared by replies, the digest and the export: dates, statuses, field values."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from parsers.text import fold

MONTHS_GENITIVE = (
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
)

STATUS_LABELS: Mapping[str, str] = {
    "accepted": "przyjęte (kompletne, w terminie)",
    "incomplete": "niekompletne (czekamy na poprawki)",
    "late": "po terminie",
    "early": "przed otwarciem naboru",
    "needs_review": "do sprawdzenia przez pracownika",
    "no_form": "bez formularza",
    "rejected": "odrzucone (decyzja pracownika)",
    "not_application": "nie jest zgłoszeniem (decyzja pracownika)",
    "withdrawn": "wycofane (na prośbę osoby zgłaszającej)",
}


def polish_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """e.g. "24 maja 2024 r., godz. 23:59" in the call's time zone."""
    local = moment.astimezone(tz)
    return f"{local.day} {MONTHS_GENITIVE[local.month - 1]} {local.year} r., godz. {local:%H:%M}"


def format_value(kind: str, value: Any, choice_names: Mapping[int, str]) -> str:
    """A field value as a letter shows it to the applicant (``kind`` from the form spec)."""
    if kind == "choice":
        numbers: Sequence[int] = value or []
        if not numbers:
            return "—"
        return "\n".join(f"{n}. {choice_names.get(n, '(pozycja spoza naboru)')}" for n in numbers)
    if isinstance(value, bool):
        return "tak" if value else "nie"
    if value is None or (isinstance(value, str) and not value.strip()):
        return "—"
    return str(value).strip()


def size_text(size: int) -> str:
    """A byte count as Polish letters say it: "20 MB" (MiB, as mail programs count)."""
    mib = size / (1024 * 1024)
    if mib >= 1:
        return f"{mib:.0f} MB" if mib == int(mib) else f"{mib:.1f} MB".replace(".", ",")
    return f"{max(1, round(size / 1024))} KB"


#: first names ending in -a that are men's
MALE_IN_A = frozenset(
    {
        "kuba",
        "barnaba",
        "bonawentura",
        "kosma",
        "jarema",
        "zawisza",
        "sasza",
        "nikita",
        "ilja",
        "luca",
        "andrea",
        "dyzma",
        "mustafa",
        "bogusza",
        "sława",
        "jona",
        "ezra",
        "joshua",
        "akiba",
        "juda",
        "garcia",
    }
)
#: first names not ending in -a that are women's
FEMALE_NOT_IN_A = frozenset(
    {
        "beatrycze",
        "nel",
        "noemi",
        "naomi",
        "miriam",
        "ruth",
        "rut",
        "abigail",
        "ingrid",
        "karmen",
        "carmen",
        "dagmar",
        "marlen",
        "doris",
        "nicole",
        "michelle",
        "inez",
        "ines",
        "iris",
        "lili",
        "mercedes",
        "agnes",
        "astrid",
        "sigrid",
        "gertrud",
        "edith",
        "judith",
        "esther",
        "ester",
        "rachel",
        "margit",
        "ann",
        "kim",
        "dolores",
        "rosemarie",
        "irmgard",
    }
)
#: the -e / -i endings are too mixed to tell (René, Noemi, Antoni, Jerzy are handled by lists)
_UNSURE_ENDINGS = ("e",)
_TITLES = frozenset(
    {
        "dr",
        "mgr",
        "inż",
        "inz",
        "prof",
        "hab",
        "lic",
        "pan",
        "pani",
        "ks",
        "mec",
        "dr.",
        "mgr.",
        "inż.",
        "prof.",
    }
)
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _sex_of_first_name(name: str) -> str | None:
    n = name.lower()
    if n in MALE_IN_A:
        return "m"
    if n in FEMALE_NOT_IN_A:
        return "f"
    if n.endswith("a"):
        return "f"
    if n.endswith(_UNSURE_ENDINGS) or len(n) < 2:
        return None
    return "m"


def _surname_sex(word: str) -> str | None:
    w = word.lower()
    if w.endswith(("ska", "cka", "dzka")):
        return "f"
    if w.endswith(("ski", "cki", "dzki")):
        return "m"
    if w.endswith("a"):
        return "f?"  # a woman's first name, or a man's surname like Zagłoba: unsure
    return None


PLURAL_SALUTATION = "Szanowni Państwo,"


def salutation(full_name: Any) -> str:
    """ "Szanowna Pani," / "Szanowny Panie," when the first name shows it reliably, else
    "Szanowni Państwo,". The first word is taken as the first name; a second name ("Jan Maria
    Rokita") does not count; a surname that disagrees ("Nowak Anna") makes it unsure."""
    if not isinstance(full_name, str) or any(c in full_name for c in ",;/&+\n"):
        return "Szanowni Państwo,"
    words = [w for w in _WORD.findall(full_name) if w.lower().rstrip(".") not in _TITLES]
    if not 2 <= len(words) <= 4 or re.search(r"\b(i|oraz)\b", full_name.lower()):
        return "Szanowni Państwo,"
    sex = _sex_of_first_name(words[0])
    last = _surname_sex(words[-1])
    if sex == "m" and last in ("f", "f?"):
        sex = None
    if sex == "f" and last == "m":
        sex = None
    if sex == "f":
        return "Szanowna Pani,"
    if sex == "m":
        return "Szanowny Panie,"
    return "Szanowni Państwo,"


def someone_else_writes(
    applications: int,
    sender: str | None,
    sender_name: str | None,
    applicant_email: str | None,
    applicant_name: Any,
) -> bool:
    """Whether the sender of a message is plainly not the person in its form, so that a letter
    to the sender must not greet that person by name: the message carries several
    applications (a secretariat passing candidates on), or it comes from another address than
    the form's under a display name sharing no word with the applicant's name ("Sekretariat
    Caritas", "Jan Nowak" for Anna Nowak's form). Without a display name nothing shows it."""
    if applications > 1:
        return True
    if not sender or not sender_name or not isinstance(applicant_name, str):
        return False
    if applicant_email and applicant_email.strip().lower() == sender.strip().lower():
        return False
    shown = {w for w in _WORD.findall(fold(sender_name)) if len(w) > 1}
    named = {w for w in _WORD.findall(fold(applicant_name)) if len(w) > 1}
    return bool(shown and named) and not shown & named


def normalise(text: str) -> str:
    """Lower case, no diacritics (ł too; the parsers' own fold), one space between words."""
    return " ".join(fold(text).split())
