"""Applications and their letters as typed rows: the one dialect in which the pipeline, the
workspace, the exports and the digest read an application; and the verbs that change one —
:func:`record` a new application, :func:`decide` a person's decision, :func:`correct` a
person's corrections, :func:`queue_letter` a letter about it — the one entry point of each for
the pipeline and the workspace (each inside the caller's transaction).

An application's values are kept in two layers: ``fields`` as the form was read by machine
(never overwritten) and ``corrected``, the values a person typed over them (their history is in
``corrections``). :class:`Application` carries both and gives the form's values with the
corrections laid over them (:meth:`Application.fields`); :func:`machine_values` and
:func:`effective_values` do the same for the two JSON columns wherever a query read them
alone. A :class:`Letter` is a row of the outbox (table ``replies``); it enters the outbox by
one path only, :func:`mailbot.storage.replies.queue_reply`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import parsers
from mailbot import form_roles
from mailbot.names import ApplicationStatus
from mailbot.storage import replies as replies_store
from mailbot.storage import review as review_store
from mailbot.storage.review import Correction
from mailbot.storage.store import Store, dumps, dumps_clean, iso, loads


def machine_values(fields: str | None, spec: parsers.FormSpec) -> dict[str, Any]:
    """Every field of the form's spec, with the values read by machine (JSON ``fields``)."""
    values = spec.empty_fields()
    values.update(loads(fields, {}) or {})
    return values


def effective_values(
    fields: str | None, corrected: str | None, spec: parsers.FormSpec
) -> dict[str, Any]:
    """The values read by machine with a person's corrections (JSON ``corrected``) over them."""
    values = machine_values(fields, spec)
    values.update(loads(corrected, {}) or {})
    return values


@dataclass(frozen=True)
class Application:
    """One application as stored: who, when, the values in both layers, its status and whether
    a person set it, and whether it is the person's live application."""

    id: int
    reference: str
    message_pk: int
    status: str
    received_at: str
    problems: tuple[str, ...] = ()
    machine: Mapping[str, Any] = field(default_factory=dict)  # as read by machine
    corrected: Mapping[str, Any] = field(default_factory=dict)  # a person's layer
    sources: Mapping[str, Any] = field(default_factory=dict)
    attachment_pk: int | None = None
    sender: str | None = None
    applicant_email: str | None = None
    applicant_key: str | None = None
    person_key: str | None = None
    superseded: bool = False
    supersede_note: str | None = None
    reply_withheld: str | None = None
    machine_status: str | None = None  # the status read by machine, once a person decided
    decided_by: str | None = None
    decided_at: str | None = None
    decision_note: str | None = None
    withdrawal_message_pk: int | None = None
    notes: tuple[str, ...] = ()  # the pipeline's notes on it (not the coordinator's notes)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Application:
        """An application from a row of table ``applications`` (``SELECT *``)."""
        return cls(
            id=int(row["id"]),
            reference=str(row["reference"]),
            message_pk=int(row["message_pk"]),
            status=str(row["status"]),
            received_at=str(row["received_at"]),
            problems=tuple(loads(row.get("problems"), []) or []),
            machine=loads(row.get("fields"), {}) or {},
            corrected=loads(row.get("corrected"), {}) or {},
            sources=loads(row.get("sources"), {}) or {},
            attachment_pk=row.get("attachment_pk"),
            sender=row.get("sender"),
            applicant_email=row.get("applicant_email"),
            applicant_key=row.get("applicant_key"),
            person_key=row.get("person_key"),
            superseded=bool(row.get("superseded")),
            supersede_note=row.get("supersede_note"),
            reply_withheld=row.get("reply_withheld"),
            machine_status=row.get("machine_status"),
            decided_by=row.get("decided_by"),
            decided_at=row.get("decided_at"),
            decision_note=row.get("decision_note"),
            withdrawal_message_pk=row.get("withdrawal_message_pk"),
            notes=tuple(loads(row.get("notes"), []) or []),
        )

    @property
    def live(self) -> bool:
        """The person's application in force (not superseded by a later one)."""
        return not self.superseded

    @property
    def decided(self) -> bool:
        """A person set its status."""
        return self.decided_at is not None

    def machine_fields(self, spec: parsers.FormSpec) -> dict[str, Any]:
        """Every field of ``spec`` with the value read by machine."""
        values = spec.empty_fields()
        values.update(self.machine)
        return values

    def fields(self, spec: parsers.FormSpec) -> dict[str, Any]:
        """Every field of ``spec``: the value read by machine, or a person's correction."""
        values = self.machine_fields(spec)
        values.update(self.corrected)
        return values


@dataclass(frozen=True)
class Letter:
    """A letter in the outbox (a row of table ``replies``) without its bytes."""

    id: int
    message_pk: int
    application_pk: int | None
    template: str
    to_addr: str
    subject: str
    message_id: str | None
    state: str
    attempts: int
    queued_at: str
    sent_at: str | None = None
    last_error: str | None = None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Letter:
        return cls(
            id=int(row["id"]),
            message_pk=int(row["message_pk"]),
            application_pk=row.get("application_pk"),
            template=str(row["template"]),
            to_addr=str(row["to_addr"] or ""),
            subject=str(row["subject"] or ""),
            message_id=row.get("reply_message_id"),
            state=str(row["state"]),
            attempts=int(row.get("attempts") or 0),
            queued_at=str(row["queued_at"]),
            sent_at=row.get("sent_at"),
            last_error=row.get("last_error"),
        )


_LETTER_COLUMNS = (
    "id, message_pk, application_pk, template, to_addr, subject, reply_message_id, state, "
    "attempts, queued_at, sent_at, last_error"
)


def find(store: Store, ref: str) -> Application | None:
    """The application with this reference number, else with this id (``ref`` all digits)."""
    row = review_store.find_application(store, ref.strip())
    return Application.from_row(row) if row else None


#: the statuses of a live application still waiting for the Committee or a person
WAITING: tuple[str, ...] = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.INCOMPLETE,
    ApplicationStatus.NEEDS_REVIEW,
)


def live_waiting(store: Store) -> list[Application]:
    """The live accepted, incomplete and to-review applications, in order of receipt."""
    marks = ", ".join("?" * len(WAITING))
    return [
        Application.from_row(r)
        for r in store.db.query(
            f"SELECT * FROM applications WHERE superseded = 0 AND status IN ({marks}) "
            "ORDER BY received_at, id",
            WAITING,
        )
    ]


def arrived_since(store: Store, since: datetime | None) -> list[Application]:
    """The applications of the messages stored after ``since`` (all when None), in order of
    receipt."""
    return [
        Application.from_row(r)
        for r in store.db.query(
            "SELECT a.* FROM applications a JOIN messages m ON m.id = a.message_pk "
            "WHERE m.stored_at > ? ORDER BY a.received_at, a.id",
            [iso(since) if since else ""],
        )
    ]


def letters_of(store: Store, application_pk: int) -> list[Letter]:
    """The application's letters in the outbox, oldest first."""
    return [
        Letter.from_row(r)
        for r in store.db.query(
            f"SELECT {_LETTER_COLUMNS} FROM replies WHERE application_pk = ? ORDER BY id",
            [application_pk],
        )
    ]


# --- the verbs ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewApplication:
    """An application as the record stage stores it: the form's values as read by machine, the
    verdict, who sent it and who the applicant is."""

    message_pk: int
    reference: str
    status: str
    received_at: str
    created_at: str
    applicant_key: str
    problems: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, Any] = field(default_factory=dict)
    attachment_pk: int | None = None
    sender: str | None = None
    applicant_email: str | None = None
    reply_withheld: str | None = None


def record(store: Store, new: NewApplication, form: parsers.FormSpec) -> int:
    """Store a new application, live until superseding weighs it, with the person its form
    names (:func:`mailbot.form_roles.person_of`, as migration 11 computed it for the
    applications stored before); its id."""
    fields = dict(new.fields)
    return store.insert(
        "applications",
        {
            "message_pk": new.message_pk,
            "reference": new.reference,
            "status": new.status,
            "problems": dumps(list(new.problems)),
            "fields": dumps_clean(fields),
            "notes": dumps(list(new.notes)),
            "sources": dumps(dict(new.sources)),
            "attachment_pk": new.attachment_pk,
            "sender": new.sender,
            "sender_key": new.sender.lower() if new.sender else None,
            "applicant_email": new.applicant_email,
            "applicant_key": new.applicant_key,
            "received_at": new.received_at,
            "superseded": 0,
            "created_at": new.created_at,
            "reply_withheld": new.reply_withheld,
            "person_key": form_roles.person_of(new.applicant_key, fields, form) or "",
        },
    )


def decide(
    store: Store,
    app: Application,
    status: str,
    problems: Sequence[str],
    *,
    by: str,
    at: str,
    note: str | None,
) -> None:
    """A person's decision on ``app`` as it was read (the machine's status is kept the first
    time one decides)."""
    review_store.decide_application(
        store, app.id, status, problems, by=by, at=at, note=note, machine_status=app.status
    )


def correct(store: Store, app: Application, made: Sequence[Correction]) -> None:
    """A person's corrections of ``app`` as it was read: each kept in its history, and laid
    over the earlier ones in the layer of corrected values (what the machine read stays)."""
    layer = {**app.corrected, **{c.field: c.new for c in made}}
    review_store.record_corrections(store, app.id, made, layer)


#: Put a letter about an application (or a message) in the outbox; the next pass sends it
#: (``sent_at``: a letter already sent, found in the Sent folder, never sent again). The
#: application's verb is the outbox's one insert itself, not a second way in.
queue_letter = replies_store.queue_reply
