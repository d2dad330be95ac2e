"""Who the applicant is, and which of one applicant's applications is live.

The applicant is the person in the form: the form's e-mail address, else the name and the
organisation (the fields :mod:`mailbot.form_roles` finds in the form spec); the sender's
address only when the form gives neither (a scan, no form). A secretariat sending two
candidates' forms therefore makes two applicants.

:func:`supersede` is the one superseding policy, over one applicant's applications:

- the latest *on-time* application that carries a form read by machine (``accepted``,
  ``incomplete``, or one of them a person marked ``withdrawn``) is live; failing that the
  latest ``needs_review`` one; failing that the latest ``late``/``early`` one; failing that
  the latest ``no_form`` one;
- a ``late`` or ``early`` application never supersedes an on-time one: it is kept, not live,
  marked ``late_correction`` (a person decides);
- a ``needs_review`` application never automatically supersedes a machine-read one: kept, not
  live, marked ``possible_correction``;
- an e-mail address shared by several named people is split by name
  (:func:`shared_address_groups`);
- messages that are not applications are never considered (they have no application row), and
  a ``no_form`` application never supersedes one with a form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mailbot import form_roles
from mailbot.form_roles import name_in, person_key
from parsers import FormSpec

MACHINE_READ = frozenset({"accepted", "incomplete"})
#: a live application a person withdrew keeps its place: an earlier one never comes back in its
#: stead (a later application of the same person does replace it: applying again)
KEEPS_ITS_PLACE = MACHINE_READ | {"withdrawn"}
OUT_OF_WINDOW = frozenset({"late", "early"})
LATE_CORRECTION = "late_correction"
POSSIBLE_CORRECTION = "possible_correction"


def applicant_key(
    fields: Mapping[str, Any], sender: str | None, fallback: str, spec: FormSpec
) -> str:
    """``email:…`` from the form (its e-mail field), else ``person:name|organisation``, else
    ``sender:…``; ``fallback`` (unique per message) when there is not even a sender."""
    email = fields.get(spec.email_key) if spec.email_key else None
    if isinstance(email, str) and "@" in email.strip():
        return "email:" + email.strip().lower()
    person = person_key(fields, spec)
    if person:
        return person
    if sender:
        return "sender:" + sender.lower()
    return "message:" + fallback


def person_joins(people: Mapping[str, str | None]) -> dict[str, str]:
    """Applicant key → person in the form, over applications → which ``person:`` keys are
    the same applicant as an ``email:`` key: a form naming a person without an e-mail address
    (the address forgotten, added in a correction) belongs with the forms giving that person's
    address — when they give exactly one address (two addresses for one name stay apart)."""
    addresses: dict[str, set[str]] = {}
    for key, person in people.items():
        if person and key.startswith("email:"):
            addresses.setdefault(person, set()).add(key)
    return {person: next(iter(keys)) for person, keys in addresses.items() if len(keys) == 1}


def name_of(fields: Mapping[str, Any], spec: FormSpec) -> str | None:
    """The applicant's name in the form, normalised (None when empty)."""
    return name_in(fields, form_roles.name_key(spec))


def shared_address_groups(entries: Sequence[tuple[str, str | None]]) -> list[str]:
    """(applicant key, full name in the form) per application → the applicant each belongs
    to. An ``email:`` address that forms of two or more differently named people give (a
    secretariat filling in its own address as every candidate's contact) is split by name, so
    no candidate supersedes another; a form naming nobody at such an address stays apart."""
    names: dict[str, set[str]] = {}
    for key, name in entries:
        if key.startswith("email:") and name:
            names.setdefault(key, set()).add(name)
    return [f"{key}|{name or ''}" if len(names.get(key, ())) > 1 else key for key, name in entries]


@dataclass(frozen=True)
class AppState:
    """What superseding needs to know of one application."""

    id: int
    received_at: str  # ISO 8601 UTC: sorts by time
    status: str


@dataclass(frozen=True)
class Mark:
    superseded: bool
    note: str | None = None  # late_correction | possible_correction


def supersede(apps: Sequence[AppState]) -> dict[int, Mark]:
    """One applicant's applications → which one is live, and why the others are not."""
    order = sorted(apps, key=lambda a: (a.received_at, a.id))
    if not order:
        return {}
    machine = [a for a in order if a.status in KEEPS_ITS_PLACE]
    review = [a for a in order if a.status == "needs_review"]
    out = [a for a in order if a.status in OUT_OF_WINDOW]
    no_form = [a for a in order if a.status == "no_form"]
    live = (machine or review or out or no_form or order)[-1]
    on_time = machine or review
    marks: dict[int, Mark] = {}
    for app in order:
        if app.id == live.id:
            marks[app.id] = Mark(False)
        elif app.status == "late" and on_time:
            marks[app.id] = Mark(True, LATE_CORRECTION)
        elif (
            app.status == "needs_review"
            and machine
            and (app.received_at, app.id) > (live.received_at, live.id)
        ):
            marks[app.id] = Mark(True, POSSIBLE_CORRECTION)
        else:
            marks[app.id] = Mark(True)
    return marks
