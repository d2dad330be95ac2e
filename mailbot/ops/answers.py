"""Answers like a helpdesk's: a person's answer to a message, with saved answers to start
from, the greeting of the recipient, the office's signature and the question quoted below.

**Saved answers** are templates ``answers/<name>.txt.j2``, in ``templates.dir`` first (an
office adds or rewords them), then the built-in ones. A template's first line may name it:
``{# Tytuł: Termin i sposób zgłoszenia #}`` (else its file name is its title). It is rendered
with ``call`` (as letters show the call), ``reference`` (the number of the application the
message belongs to, or "") and ``received_at_text`` (when the message came); the text goes
into the answer for the person to edit.

**The letter**: the recipient's greeting (:mod:`mailbot.ops.recipients`; none added when the
text begins with one), the text, "Z poważaniem" (unless the text closes so) and the office's
signature, then — to the message's own sender — the sender's words quoted. It is queued in
the outbox, threaded under the message when it goes to its sender, and the entry leaves the
attention queue in the same transaction.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
from dataclasses import dataclass, replace
from email.parser import BytesHeaderParser
from pathlib import Path
from typing import Any

import jinja2

from mailbot.config import Config
from mailbot.errors import MailbotError
from mailbot.ops.letters import Letter, compose_letter, queue_letter
from mailbot.ops.recipients import FORM, PLURAL, SENDER, Recipient, application_recipients
from mailbot.ops.review import (
    ReviewError,
    latest_message_pk,
    message_row,
    message_text,
    read_application,
)
from mailbot.pipeline.delivery import is_robot_address
from mailbot.pipeline.relevance import own_text
from mailbot.pipeline.render import render, templates_dir
from mailbot.pipeline.replies import call_context, signature_lines
from mailbot.pipeline.texts import polish_datetime, salutation
from mailbot.storage import applications
from mailbot.storage import review as review_store
from mailbot.storage.applications import Application
from mailbot.storage.store import Store, parse_iso

ANSWERS = "answers"
SUFFIX = ".txt.j2"
_TITLE = re.compile(r"^\s*\{#-?\s*(?:tytuł|tytul|title)\s*:\s*(.+?)\s*-?#\}", re.I)
#: at most this many lines of the sender's words are quoted under the answer
QUOTE_LINES = 40
#: a greeting she wrote herself (then none is added) and a closing (then no second one)
_GREETING = re.compile(r"(?i)^\s*(szanown|dzień dobry|dobry wieczór|witam|droga|drogi)")
_CLOSING = re.compile(r"(?i)^(z poważaniem|z wyrazami szacunku|pozdrawiam|serdecznie pozdrawiam)")


@dataclass(frozen=True)
class SavedAnswer:
    name: str  # the template's file name without .txt.j2
    title: str  # Polish, as the list shows it


def _answer_dirs(config: Config) -> list[Path]:
    extra = config.call.templates_dir
    return [*([extra / ANSWERS] if extra else []), templates_dir() / ANSWERS]


def _title(path: Path) -> str:
    try:
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
    except (OSError, UnicodeDecodeError):
        first = ""
    found = _TITLE.match(first)
    if found:
        return found.group(1)
    return path.name.removesuffix(SUFFIX).replace("-", " ").replace("_", " ").capitalize()


def saved_answers(config: Config) -> list[SavedAnswer]:
    """The saved answers, by title (one of ``templates.dir`` replaces a built-in one of the
    same name)."""
    found: dict[str, SavedAnswer] = {}
    for folder in _answer_dirs(config):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob(f"*{SUFFIX}")):
            name = path.name.removesuffix(SUFFIX)
            if re.fullmatch(r"[\w-]+", name) and name not in found:
                found[name] = SavedAnswer(name, _title(path))
    return sorted(found.values(), key=lambda a: a.title.casefold())


def _reference(store: Store, row: dict[str, Any]) -> str:
    pk = review_store.application_pk_of_message(store, row["id"]) or row.get(
        "related_application_pk"
    )
    if not pk:
        return ""
    found = review_store.find_application(store, str(pk))
    return str(found["reference"] or "") if found else ""


def saved_answer_text(config: Config, store: Store, name: str, message_pk: int) -> str:
    """A saved answer rendered for a message, for the person to edit before it is sent."""
    if name not in {a.name for a in saved_answers(config)}:
        raise ReviewError(f"no saved answer {name!r}", "unknown_answer", name=name)
    row = message_row(store, message_pk)
    context = {
        "call": call_context(config.call),
        "reference": _reference(store, row),
        "received_at_text": polish_datetime(parse_iso(row["received_at"]), config.call.timezone),
    }
    try:
        _subject, body = render(f"{ANSWERS}/{name}{SUFFIX}", context, config.call.templates_dir)
    except jinja2.TemplateError as exc:
        raise ReviewError(
            f"the saved answer {name!r} cannot be rendered: {exc}", "answer_broken", name=name
        ) from exc
    return body.strip()


# --- who the answer goes to --------------------------------------------------------------------


def _display_name(store: Store, raw_file: str | None) -> str | None:
    if not raw_file:
        return None
    try:
        headers = BytesHeaderParser(policy=email.policy.default).parsebytes(
            store.read_file(raw_file)
        )
        name, _address = email.utils.parseaddr(str(headers.get("From", "")))
    except (MailbotError, ValueError, TypeError):
        return None
    return name or None


def _application_of(store: Store, row: dict[str, Any]) -> Application | None:
    pk = review_store.application_pk_of_message(store, row["id"]) or row.get(
        "related_application_pk"
    )
    return applications.find(store, str(pk)) if pk else None


def message_recipients(config: Config, store: Store, message_pk: int) -> list[Recipient]:
    """Who an answer to this message may go to: its sender; and, for a message of an
    application, the e-mail in the form when it is another address (the candidate whose form
    someone else sent). ``sender`` marks the message's own sender."""
    row = message_row(store, message_pk)
    sender = str(row.get("sender") or "").strip()
    application = _application_of(store, row)
    out: list[Recipient] = []
    if application is not None:
        for r in application_recipients(config, application):
            if r.key == FORM:
                out.append(replace(r, sender=r.address.lower() == sender.lower()))
        if sender and not any(r.sender for r in out):
            applicant = not out and str(application.sender or "").lower() == sender.lower()
            person = [r for r in application_recipients(config, application) if r.applicant]
            greeting = person[0].salutation if applicant and person else PLURAL
            out.append(Recipient(SENDER, sender, greeting, applicant, True))
    elif sender:
        greeting = salutation(_display_name(store, row.get("raw_file"))) if row else PLURAL
        out.append(Recipient(SENDER, sender, greeting, False, True))
    return out


def choose_message_recipient(
    config: Config, store: Store, message_pk: int, key: str | None
) -> Recipient:
    """The recipient named by ``key`` (``form`` or ``sender``); by default the message's
    own sender."""
    choices = message_recipients(config, store, message_pk)
    if not choices:
        raise ReviewError(
            "the message has no sender address to write to", "no_recipient", message_pk=message_pk
        )
    for r in choices:
        if (key and r.key == key) or (not key and r.sender):
            return r
    if not key:
        return choices[0]
    raise ReviewError(
        f"recipient must be one of: {', '.join(r.key for r in choices)}",
        "unknown_recipient",
        recipient=key,
    )


# --- the letter --------------------------------------------------------------------------------


def _quote(config: Config, store: Store, row: dict[str, Any]) -> str:
    words = own_text(message_text(store, row.get("raw_file")))
    lines = [line.rstrip() for line in words.splitlines()][:QUOTE_LINES]
    while lines and not lines[-1]:
        lines.pop()
    if not lines:
        return ""
    when = polish_datetime(parse_iso(row["received_at"]), config.call.timezone)
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"\n-----\nWiadomość od {row['sender']} z {when}:\n{quoted}\n"


def answer_letter(
    config: Config, store: Store, message_pk: int, text: str, *, recipient: str | None = None
) -> Letter:
    """A person's answer to a message, as it will be sent (shown before it is queued)."""
    row = message_row(store, message_pk)
    if row["disposition"] == "ignored" or is_robot_address(row["sender"]):
        raise ReviewError(
            "the message was sent by a robot: robots are never answered",
            "robot",
            message_pk=row["id"],
        )
    if not text.strip():
        raise ReviewError("the answer is empty", "answer_empty")
    to = choose_message_recipient(config, store, message_pk, recipient)
    subject = row["subject"] or config.call.short_name
    if not re.match(r"(?i)^\s*(re|odp)\s*:", subject):
        subject = f"Re: {subject}"
    text = text.strip().replace("\r\n", "\n")
    lines = text.splitlines()
    greeting = "" if _GREETING.match(lines[0]) else f"{to.salutation}\n\n"
    closed = any(_CLOSING.match(line.strip()) for line in lines[-3:])
    signature = "\n".join([*([] if closed else ["Z poważaniem"]), *signature_lines(config.call)])
    body = f"{greeting}{text}\n\n{signature}\n"
    if to.sender:
        body += _quote(config, store, row)
    return compose_letter(
        config, store, message_pk, to.address, subject, body, "answer", thread=to.sender
    )


def answer(
    config: Config,
    store: Store,
    message_pk: int,
    text: str,
    *,
    actor: str,
    recipient: str | None = None,
) -> int:
    """Queue a person's answer to a message; the entry is then done (one transaction)."""
    letter = answer_letter(config, store, message_pk, text, recipient=recipient)
    application_pk = review_store.application_pk_of_message(store, message_pk)
    with store.transaction():
        reply_id = queue_letter(store, letter, message_pk, application_pk)
        review_store.record_handled(store, f"message:{message_pk}", actor, "answered")
        store.event("answer_queued", message_pk, f"reply {reply_id}", actor=actor)
    return reply_id


def answer_application(
    config: Config,
    store: Store,
    ref: str,
    text: str,
    *,
    actor: str,
    recipient: str | None = None,
) -> int:
    """Answer about an application: under the applicant's latest message, to the recipient
    chosen (by default that message's sender)."""
    app = read_application(store, ref)
    return answer(
        config, store, latest_message_pk(store, app), text, actor=actor, recipient=recipient
    )
