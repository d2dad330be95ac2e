"""A person turns a message into an application ("To jest zgłoszenie") or into the call's
correspondence ("To jest korespondencja" / "Dotyczy naboru").

The message is read again through the pipeline with the person's judgement (an application
gets its reference number, its status and its letter, queued in the outbox; correspondence
joins the queue). Nothing is recorded until that has succeeded: its bytes are had first —
from the file store, or for mail judged unrelated (never kept) fetched live from the mailbox
by UID, read-only — and only then, under the pipeline lock, the new record, the handled mark
and the event are written in one transaction. When the bytes cannot be had (the message is
gone from the mailbox, the server cannot be reached, an imported message was not kept) or a
pass holds the pipeline, the error says so and nothing changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mailbot.config import Config
from mailbot.errors import ActionRefused
from mailbot.models import Relevant
from mailbot.names import Disposition
from mailbot.ops.live_mail import raw_message
from mailbot.ops.lock import pipeline_lock
from mailbot.ops.reprocess import reprocess_one
from mailbot.ops.review import message_row
from mailbot.pipeline.context import Context
from mailbot.pipeline.delivery import is_robot_address
from mailbot.storage import reprocessing
from mailbot.storage import review as review_store
from mailbot.storage.store import Store

#: seconds a person's request waits for a pass that holds the pipeline
LOCK_WAIT = 10


@dataclass(frozen=True)
class Reclassified:
    message_pk: int
    disposition: str
    references: tuple[str, ...]  # the numbers of the applications it now has
    reply_queued: bool


def _not_a_robot(row: dict[str, Any]) -> None:
    if row["disposition"] == Disposition.IGNORED or is_robot_address(row["sender"]):
        raise ActionRefused("robot", message_pk=row["id"])


def as_application(config: Config, store: Store, message_pk: int, *, actor: str) -> Reclassified:
    """A person says this message is an application: read again as one, its letter queued;
    its entry is then handled (``is_application``)."""
    row = message_row(store, message_pk)
    _not_a_robot(row)
    reference = review_store.reference_of_message(store, message_pk)
    if reference:
        raise ActionRefused("already_application", reference=reference)
    return _read_again(config, store, row, Disposition.APPLICATION, actor, "is_application")


def as_correspondence(config: Config, store: Store, message_pk: int, *, actor: str) -> Reclassified:
    """A person says this message judged unrelated is the call's correspondence: read again
    as such, it joins the queue."""
    row = message_row(store, message_pk)
    _not_a_robot(row)
    if row["disposition"] != Disposition.UNRELATED:
        raise ActionRefused("not_unrelated", disposition=row["disposition"])
    return _read_again(config, store, row, Disposition.CORRESPONDENCE, actor, None)


def _read_again(
    config: Config,
    store: Store,
    row: dict[str, Any],
    decided: Disposition,
    actor: str,
    handled: str | None,
) -> Reclassified:
    pk = int(row["id"])
    raw = raw_message(config, store, row)  # before anything is written: it may be gone
    ctx = Context(call=config.call, form=config.form, limits=config.limits, store=store)
    reply = decided == Disposition.APPLICATION
    relevant: Relevant = "application" if reply else "correspondence"
    lock = pipeline_lock(config.storage.lock, wait_seconds=LOCK_WAIT)
    with lock, store.transaction():
        change = reprocess_one(ctx, pk, lambda _row: raw, reply=reply, decided=relevant)
        if handled:
            review_store.record_handled(store, f"message:{pk}", actor, handled)
        kind = "is_application" if reply else "is_correspondence"
        store.event("decision", pk, f"{kind} ({row['disposition']})", actor=actor)
    outcomes = reprocessing.application_outcomes(store, pk)
    return Reclassified(
        pk,
        reprocessing.message_disposition(store, pk) or decided.value,
        tuple(o.reference for o in outcomes if o.reference),
        change.reply_queued,
    )
