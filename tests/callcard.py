"""A call with a form unlike the DKRES one, for the tests of the outputs: a council's card with
its own keys, a year of birth, a choice of commissions under the key ``komisja``, statements,
no organisation field — and a store holding its applications as the pipeline writes them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mailbot.config import Config, parse_config
from mailbot.storage.store import Store, dumps

CARD_TOML = """
[call]
name = "Nabór kandydatów do Rady Seniorów Miasta Przykładowo"
short_name = "Nabór do Rady Seniorów"
opens_at = 2026-03-02T08:00:00
closes_at = 2026-03-20T15:00:00
address = "rada@przykladowo.example.pl"
reference_prefix = "RS"

[[call.groups]]
number = 1
name = "Zdrowie"

[[call.groups]]
number = 2
name = "Kultura i czas wolny"

[[call.groups]]
number = 3
name = "Obszar: transport [miejski]"

[form]
title = "Karta zgłoszenia do Rady Seniorów"
salutation_from = "imie_nazwisko"

[[form.fields]]
key = "imie_nazwisko"
type = "text"
label = "Imię i nazwisko"
labels = ["Imię i nazwisko:"]
column = "Imię i nazwisko"

[[form.fields]]
key = "rok_urodzenia"
type = "text"
label = "Rok urodzenia"
labels = ["Rok urodzenia (rrrr):"]
pattern = '(19|20)\\d\\d'
column = "Rok urodzenia"

[[form.fields]]
key = "osiedle"
type = "text"
label = "Osiedle – dzielnica"
labels = ["Osiedle – dzielnica:"]

[[form.fields]]
key = "adres_email"
type = "email"
label = "Adres e-mail"
labels = ["Adres e-mail (jeśli posiadasz)"]
required = false

[[form.fields]]
key = "komisja"
type = "choice"
label = "Obszar: działanie [rady]"
label_plural = "Obszary działania rady"
labels = ["II. Obszar działania (proszę zaznaczyć jedno pole)"]
options = [
    { number = 1, name = "Zdrowie i opieka" },
    { number = 2, name = "Kultura, sport, czas wolny" },
    { number = 3, name = "Transport i przestrzeń miejska" },
]

[[form.fields]]
key = "uzasadnienie"
type = "free_text"
label = "Uzasadnienie"
labels = ["III. Uzasadnienie"]

[[form.fields]]
key = "oswiadczenie_mieszkaniec"
type = "statement"
label = "Oświadczenie o zamieszkaniu w mieście"
labels = ["Oświadczam, że mieszkam w Przykładowie."]
"""


def card_config(tmp_path: Path, extra: str = "") -> Config:
    """The card's call, its database in ``tmp_path``; ``extra`` is TOML added to [call]."""
    text = CARD_TOML.replace('reference_prefix = "RS"\n', 'reference_prefix = "RS"\n' + extra)
    text += f'\n[storage]\ndatabase = "{tmp_path}/db/mailbot.db"\nfiles = "{tmp_path}/db/files"\n'
    import tomllib

    return parse_config(tomllib.loads(text), base=tmp_path)


def add_application(
    store: Store,
    n: int,
    fields: dict[str, Any],
    *,
    status: str = "accepted",
    corrected: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    superseded: int = 0,
) -> None:
    """An application as the record stage writes it (its message with it)."""
    received = f"2026-03-{3 + n:02d}T09:00:00+00:00"
    with store.transaction():
        message = store.insert(
            "messages",
            {
                "message_id": f"<{n}@example.pl>",
                "sha256": f"{n:064x}",
                "disposition": "application",
                "received_at": received,
                "stored_at": received,
                "sender": f"osoba{n}@example.pl",
            },
        )
        store.insert(
            "applications",
            {
                "message_pk": message,
                "reference": f"RS-{n:04d}",
                "status": status,
                "superseded": superseded,
                "fields": dumps(fields),
                "corrected": dumps(corrected) if corrected else None,
                "problems": dumps(problems or []),
                "notes": dumps([]),
                "received_at": received,
                "sender": f"osoba{n}@example.pl",
            },
        )


def person(name: str, year: str, area: list[int], **more: Any) -> dict[str, Any]:
    return {
        "imie_nazwisko": name,
        "rok_urodzenia": year,
        "osiedle": more.pop("osiedle", "Centrum"),
        "adres_email": None,
        "komisja": area,
        "uzasadnienie": more.pop("uzasadnienie", "Chcę działać."),
        "oswiadczenie_mieszkaniec": True,
        **more,
    }
