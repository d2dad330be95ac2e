"""Reading an application as a person sees it: its row, its fields (read by machine, then
corrected), the values a person types checked as the form's own, its messages and history."""

from __future__ import annotations

import email.policy
import re
from collections.abc import Mapping
from email.parser import BytesParser
from typing import Any

import parsers
from mailbot.config import CallConfig
from mailbot.errors import FieldErrors, ReviewError
from mailbot.pipeline.validate import answer_problem
from mailbot.storage import applications
from mailbot.storage import review as review_store
from mailbot.storage.applications import Application, effective_values, machine_values
from mailbot.storage.review import Correction
from mailbot.storage.store import Store


def read_application(store: Store, ref: str) -> Application:
    """The application with this reference number (or id), as a typed row; ReviewError when
    there is none."""
    ref = ref.strip()
    app = applications.find(store, ref)
    if app is None:
        raise ReviewError(f"no application {ref}")
    return app


def application_row(store: Store, ref: str) -> dict[str, Any]:
    """The application with this reference number (or id); ReviewError when there is none."""
    ref = ref.strip()
    row = review_store.find_application(store, ref)
    if row is None:
        raise ReviewError(f"no application {ref}")
    return row


def machine_fields(
    row: Mapping[str, Any], spec: parsers.FormSpec = parsers.DEFAULT_FORM
) -> dict[str, Any]:
    """Every field of the form with the value read by machine."""
    return machine_values(row["fields"], spec)


def effective_fields(
    row: Mapping[str, Any], spec: parsers.FormSpec = parsers.DEFAULT_FORM
) -> dict[str, Any]:
    """The values read by machine with the corrections laid over them."""
    return effective_values(row["fields"], row.get("corrected"), spec)


_CHOICE_WORDS = re.compile(r"(?i)\b(i|oraz|a|and|nr|numer|grupa|grupy|gr)\b\.?")
_YES = ("tak", "t", "yes", "y", "true", "1", "x", "zaznaczone", "zaznaczono")
_NO = ("nie", "n", "no", "false", "0", "", "niezaznaczone")


def parse_field_value(key: str, text: str, spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> Any:
    """A typed value from what a person typed, by the field's kind in the form spec: a choice
    "4, 5" / "4 i 5" / "4 oraz 5" -> [4, 5]; a statement tak/nie -> True/False; text -> the
    text (None when empty). ReviewError (in Polish) when it cannot be read as its kind."""
    f = spec.field(key)
    if f is None:
        raise ReviewError(f"unknown field {key!r}; fields: {', '.join(spec.keys)}")
    text = text.strip()
    if f.type == "groups":
        rest = _CHOICE_WORDS.sub(" ", text)
        if re.sub(r"[\d,;.+&/\s]", "", rest):
            raise ReviewError("Wpisz numery pozycji, np. 4, 5 albo 4 i 5.")
        return sorted({int(n) for n in re.findall(r"\d+", rest)})
    if f.type == "checkbox":
        lowered = text.lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ReviewError("Wybierz „tak” albo „nie”.")
    return text or None


def _allowed_choices(spec: parsers.FormSpec, call: CallConfig | None) -> set[int]:
    if call is not None:
        return set(call.group_numbers())
    f = spec.groups_field
    return {o.number for o in f.options} if f is not None else set()


def checked_values(
    changes: Mapping[str, str], spec: parsers.FormSpec, call: CallConfig | None = None
) -> dict[str, Any]:
    """The typed values of ``changes``, each read by its kind and checked by the form spec as
    a form read by machine is (:func:`~mailbot.pipeline.validate.answer_problem`): an e-mail
    address with "@@", a phone number without digits, a group the call does not have are
    refused. :class:`FieldErrors` names every refused field (nothing is saved then)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    allowed = _allowed_choices(spec, call)
    for key, text in changes.items():
        f = spec.field(key)
        if f is None:
            raise ReviewError(f"unknown field {key!r}; fields: {', '.join(spec.keys)}")
        try:
            value = parse_field_value(key, text, spec)
        except ReviewError as exc:
            errors[key] = exc.message
            continue
        problem = answer_problem(f, value, allowed)
        if problem is not None:
            errors[key] = problem.message + (
                f" Pozycje naboru: {', '.join(str(n) for n in sorted(allowed))}."
                if problem.code == "unknown_group"
                else ""
            )
            continue
        values[key] = value
    if errors:
        raise FieldErrors(errors)
    return values


def corrections(store: Store, application_pk: int) -> list[Correction]:
    return review_store.corrections(store, application_pk)


def message_row(store: Store, message_pk: int) -> dict[str, Any]:
    row = review_store.find_message(store, message_pk)
    if row is None:
        raise ReviewError(f"no message {message_pk}", "no_message", message_pk=message_pk)
    return row


def latest_message_pk(store: Store, app: Application) -> int:
    """The applicant's latest message since the application (the application's own at least)."""
    latest = review_store.latest_message_from(store, (app.sender or "").lower(), app.received_at)
    return latest if latest is not None else app.message_pk


def applicant_keys(app: Application) -> list[str]:
    return sorted({k.lower() for k in (app.sender, app.applicant_email) if k})


def history(store: Store, app: Application) -> dict[str, list[dict[str, Any]]]:
    """The applicant's messages, applications and replies (with their text), and events."""
    keys = applicant_keys(app) or [""]
    messages = review_store.messages_from(store, keys)
    their_applications = review_store.applications_of(store, keys)
    replies = []
    for r in review_store.replies_to(store, keys):
        text = ""
        try:
            msg = BytesParser(policy=email.policy.default).parsebytes(r["raw"] or b"")
            part = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
            text = part.get_content() if part is not None else ""
        except (LookupError, ValueError, AttributeError):
            text = ""
        replies.append({**{k: r[k] for k in r if k != "raw"}, "text": text})
    message_ids = [m["id"] for m in messages] or [app.message_pk]
    events = review_store.events_of_messages(store, message_ids)
    return {
        "messages": messages,
        "applications": their_applications,
        "replies": replies,
        "events": events,
    }
