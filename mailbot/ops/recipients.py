"""Who a person's letter about an application goes to, and how it greets them.

An application has up to two addresses: the e-mail written in the form (the applicant — the
person in the form) and the sender of the message (the applicant, or a colleague or a
secretariat that passed the form on). The coordinator chooses; the greeting follows the choice:
the form's person ("Szanowna Pani," / "Szanowny Panie," when the first name shows it) for the
form's address, "Szanowni Państwo," for a sender who is not the applicant. A letter to the
form's address when someone else sent the form is a letter of its own (not threaded under a
message its recipient never saw).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mailbot.config import Config
from mailbot.errors import ActionRefused
from mailbot.pipeline.checks import check_email
from mailbot.pipeline.policy import is_colleague
from mailbot.pipeline.replies import applicant_name
from mailbot.pipeline.texts import salutation
from mailbot.storage.applications import Application

FORM = "form"
SENDER = "sender"
PLURAL = "Szanowni Państwo,"


@dataclass(frozen=True)
class Recipient:
    key: str  # FORM | SENDER
    address: str
    salutation: str
    applicant: bool  # the person in the form
    sender: bool  # the sender of the application's message (a letter threads under it)


def _first_address(value: Any) -> str | None:
    """The first usable address of what the form says (``mailto:``, brackets and a second
    address dropped), or None when it is not an address one can write to."""
    if not isinstance(value, str) or not check_email(value).usable:
        return None
    text = value.strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    parts = [p.strip("<>") for p in re.split(r"[\s,;]+", text.strip()) if p.strip("<>")]
    return parts[0] if parts else None


def application_recipients(config: Config, app: Application) -> list[Recipient]:
    """The addresses a letter about this application may go to: the form's e-mail first
    (when the form gives a usable one), then the sender when it is another address."""
    fields = app.fields(config.form)
    key = config.form.email_key
    form_address = _first_address(fields.get(key)) if key else None
    sender = str(app.sender or "").strip()
    person = salutation(applicant_name(fields, config.call))
    out: list[Recipient] = []
    if form_address:
        same = sender.lower() == form_address.lower()
        out.append(Recipient(FORM, form_address, person, True, same))
        if sender and not same:
            out.append(Recipient(SENDER, sender, PLURAL, False, True))
    elif sender:
        # no address in the form: the sender is the applicant, unless a colleague passed it on
        passed_on = is_colleague(sender, config.call.address)
        out.append(Recipient(SENDER, sender, PLURAL if passed_on else person, not passed_on, True))
    return out


def choose_recipient(config: Config, app: Application, key: str | None) -> Recipient:
    """The recipient named by ``key`` (``form`` or ``sender``); without one, the first (the
    form's address when there is one)."""
    choices = application_recipients(config, app)
    if not choices:
        raise ActionRefused(
            "no_recipient",
            "the application has neither an e-mail address in the form nor a sender",
            reference=app.reference,
        )
    if not key:
        return choices[0]
    for r in choices:
        if r.key == key:
            return r
    raise ActionRefused(
        "unknown_recipient",
        f"recipient must be one of: {', '.join(r.key for r in choices)}",
        recipient=key,
    )
