"""A person's decisions and corrections, the notice of a decision, and entries cleared off
the attention queue: each change commits in one transaction together with its event."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import parsers
from mailbot.config import CallConfig, Config
from mailbot.errors import ReviewError
from mailbot.ops.letters import Letter, compose_letter, queue_letter
from mailbot.ops.recipients import Recipient, application_recipients, choose_recipient
from mailbot.ops.review.fields import checked_values, message_row, read_application
from mailbot.ops.review.labels import (
    DECISION_STATUSES,
    NOTICE_TEMPLATES,
    OTHER_PROBLEM,
    problem_text,
)
from mailbot.pipeline.render import render
from mailbot.pipeline.replies import call_context, field_rows
from mailbot.pipeline.superseding import resupersede
from mailbot.pipeline.texts import polish_datetime
from mailbot.storage import applications
from mailbot.storage import review as review_store
from mailbot.storage.applications import Application
from mailbot.storage.review import Correction
from mailbot.storage.store import Store, iso, parse_iso, utcnow


def notice(
    config: Config,
    store: Store,
    ref: str,
    status: str,
    problems: Sequence[str] = (),
    note: str | None = None,
    *,
    recipient: str | None = None,
    application: Application | None = None,
) -> Letter:
    """The Polish notice to the applicant about a decision (shown before it is queued), to
    the recipient chosen (:mod:`mailbot.ops.recipients`: ``form`` or ``sender``; by default
    the form's e-mail), greeting as that recipient is greeted. ``application`` is its row when
    the caller has read it already (it is not read again)."""
    if status not in NOTICE_TEMPLATES:
        raise ReviewError(
            f"no notice for the decision {status!r} (notices: {', '.join(NOTICE_TEMPLATES)})",
            "no_notice",
            status=status,
        )
    app = application if application is not None else read_application(store, ref)
    to = choose_recipient(config, app, recipient)
    fields = app.fields(config.form)
    context = {
        "call": call_context(config.call),
        "reference": app.reference,
        "received_at_text": polish_datetime(parse_iso(app.received_at), config.call.timezone),
        "problems": [problem_text(c, config.form) for c in problems if c != OTHER_PROBLEM],
        "note": (note or "").strip(),
        "fields": field_rows(fields, config.call),
        "salutation": to.salutation,
    }
    subject, body = render(NOTICE_TEMPLATES[status], context, config.call.templates_dir)
    return compose_letter(
        config,
        store,
        app.message_pk,
        to.address,
        subject,
        body,
        f"review_{status}",
        thread=to.sender,
    )


def recipients(config: Config, app: Application) -> list[Recipient]:
    """Who a letter about this application may go to (the form's e-mail, the sender)."""
    return application_recipients(config, app)


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    reference: str
    old_status: str
    status: str
    notice_reply_id: int | None


def check_decision(
    status: str, problems: Sequence[str] = (), note: str | None = None
) -> tuple[list[str], str | None]:
    """The rules of a person's decision: (problem codes, note) as they are recorded. A
    decision must be chosen; incomplete needs problems or a note; rejected needs a reason."""
    if status not in DECISION_STATUSES:
        raise ReviewError(
            f"status must be one of: {', '.join(DECISION_STATUSES)}",
            "decision_missing",
            choices=", ".join(DECISION_STATUSES),
        )
    note = (note or "").strip() or None
    codes = [c.strip() for c in problems if c.strip()]
    if status == "incomplete" and not codes and not note:
        raise ReviewError(
            "incomplete: name the problems (--problem CODE) or write one (--note)",
            "problems_missing",
        )
    if status == "incomplete" and note and OTHER_PROBLEM not in codes:
        codes.append(OTHER_PROBLEM)
    if status == "rejected" and not note:
        raise ReviewError("rejected: give the reason (--note)", "reason_missing")
    if status != "incomplete":
        codes = [c for c in codes if c != OTHER_PROBLEM]
    return codes, note


def decide(
    config: Config,
    store: Store,
    ref: str,
    status: str,
    *,
    actor: str,
    problems: Sequence[str] = (),
    note: str | None = None,
    notify: bool = False,
    recipient: str | None = None,
    application: Application | None = None,
) -> DecisionResult:
    """Record a person's decision on an application (and queue the notice when asked, to the
    recipient chosen). The application is read once: ``application`` is its row when the
    caller has read it already."""
    codes, note = check_decision(status, problems, note)
    app = application if application is not None else read_application(store, ref)
    letter = (
        notice(config, store, ref, status, codes, note, recipient=recipient, application=app)
        if notify
        else None
    )
    now = iso(utcnow())
    reply_id = None
    with store.transaction():
        applications.decide(store, app, status, codes, by=actor, at=now, note=note)
        if "not_application" in (status, app.status):
            resupersede(
                store,
                {app.applicant_key} if app.applicant_key else set(),
                {app.sender.lower()} if app.sender else set(),
                config.form,
            )
        store.event(
            "decision",
            app.message_pk,
            f"{app.reference} {app.status} -> {status} {','.join(codes)}".strip(),
            actor=actor,
        )
        if letter:
            reply_id = queue_letter(store, letter, app.message_pk, app.id)
            store.event(
                "notice_queued",
                app.message_pk,
                f"{app.reference} {letter.template}",
                actor=actor,
            )
    return DecisionResult(app.reference, app.status, status, reply_id)


def correct(
    store: Store,
    ref: str,
    changes: Mapping[str, str],
    *,
    actor: str,
    call: CallConfig | None = None,
) -> list[Correction]:
    """Type in or fix fields; each change is kept with who, when, old and new. Every value is
    checked by the form spec first (:func:`checked_values`): one refused value saves none."""
    spec = call.form if call is not None else parsers.DEFAULT_FORM
    app = read_application(store, ref)
    current = app.fields(spec)
    made: list[Correction] = []
    now = iso(utcnow())
    for key, new in checked_values(changes, spec, call).items():
        old = current.get(key)
        if new == old:
            continue
        made.append(Correction(key, old, new, actor, now))
    if not made:
        return []
    with store.transaction():
        applications.correct(store, app, made)
        store.event(
            "correction",
            app.message_pk,
            f"{app.reference} {', '.join(c.field for c in made)}",
            actor=actor,
        )
    return made


#: how an entry may be named: message:N, application:N, reply:N
ENTRY_KINDS = ("message", "application", "reply")


def entry_number(item: str) -> tuple[str, int]:
    """(kind, number) of an entry of the attention queue; ReviewError for anything else."""
    kind, _, number = item.partition(":")
    if kind not in ENTRY_KINDS or not number.isdigit():
        raise ReviewError(f"unknown entry {item!r}", "unknown_entry", item=item)
    return kind, int(number)


def mark_handled(store: Store, item: str, *, actor: str, how: str = "done") -> None:
    """Take an entry off the attention queue (``message:N``, ``application:N``, ``reply:N``)."""
    kind, number = entry_number(item)
    with store.transaction():
        review_store.record_handled(store, item, actor, how)
        store.event("handled", number if kind == "message" else None, f"{item} {how}", actor=actor)


def mark_not_application(store: Store, message_pk: int, *, actor: str) -> None:
    message_row(store, message_pk)
    with store.transaction():
        store.event("decision", message_pk, "not_application", actor=actor)
        review_store.record_handled(store, f"message:{message_pk}", actor, "not_application")
