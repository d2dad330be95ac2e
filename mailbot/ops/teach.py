"""The coordinator teaches mailbot: "Dotyczy naboru" / "Nie dotyczy naboru".

A person's judgement of a message is remembered three ways (:mod:`mailbot.storage.learning`):
its sender (a hash of the address), its thread (its Message-ID and those it refers to) and its
words (counted for the call's side or the everyday side). The next message from that sender
or in that thread weighs accordingly (:func:`mailbot.pipeline.relevance.signals.taught`), and
its words count for less (everyday) or more (the call) in every later message.

- "Nie dotyczy naboru" takes the entry out of the queue (handled ``not_about_call``); a
  message's applications are decided ``not_application``; correspondence is read again as
  unrelated (its text is then no longer kept).
- "Dotyczy naboru" on mail judged unrelated reads it again as correspondence (fetched again
  from the mailbox by UID), so it joins the queue.

Each choice goes to the event log (``taught``) with who made it.
"""

from __future__ import annotations

import email.policy
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser
from typing import Any

from mailbot.config import Config
from mailbot.errors import ActionRefused, LockedError, MailbotError
from mailbot.names import Side, TaughtKind
from mailbot.ops import review
from mailbot.ops.lock import pipeline_lock
from mailbot.ops.reprocess import reprocess
from mailbot.pipeline.context import Context
from mailbot.pipeline.relevance import own_text, terms
from mailbot.storage import learning, reprocessing
from mailbot.storage import review as review_store
from mailbot.storage.store import Store, iso, utcnow

LOCK_WAIT = 10  # seconds a workspace request waits for a running pass


@dataclass(frozen=True)
class Taught:
    message_pk: int
    side: Side
    reread: bool  # the message was read again with the new judgement
    note: str  # Polish: what happened, for the person who taught


def find_message(store: Store, key: str) -> int:
    """A message by its number (as the workspace shows it), Message-ID or reference number."""
    key = key.strip()
    pk = learning.message_pk(store, key)
    if pk is None:
        raise ActionRefused("no_message", message_pk=key)
    return pk


def _thread_ids(store: Store, row: dict[str, Any]) -> list[str]:
    """The message's own Message-ID and the ones it refers to (when its bytes are kept)."""
    ids = [str(row["message_id"])] if row.get("message_id") else []
    if row.get("raw_file"):
        try:
            headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(
                store.read_file(row["raw_file"])
            )
        except MailbotError:
            return ids
        refs = " ".join(str(headers.get(h, "")) for h in ("References", "In-Reply-To"))
        ids += re.findall(r"<[^<>\s]+>", refs)[-10:]
    return [i for i in dict.fromkeys(ids) if not i.endswith("@mailbot.invalid>")]


def _words(store: Store, row: dict[str, Any]) -> set[str]:
    text = review.message_text(store, row.get("raw_file"))
    return terms(str(row.get("subject") or "") + "\n" + own_text(text))


def _reread(config: Config, store: Store, message_pk: int, decided: str) -> bool:
    ctx = Context(call=config.call, form=config.form, limits=config.limits, store=store)
    try:
        with pipeline_lock(config.storage.lock, wait_seconds=LOCK_WAIT):
            reprocess(config, ctx, [message_pk], reply=False, decided=decided)  # type: ignore[arg-type]
    except (LockedError, MailbotError):
        return False
    return True


def teach(
    config: Config,
    store: Store,
    message_pk: int,
    *,
    about_call: bool,
    actor: str,
    was: str | None = None,
) -> Taught:
    """Remember a person's judgement of a message and act on it (see the module's text);
    ``was``: its disposition before a person's action just read it again."""
    row = review.message_row(store, message_pk)
    side = Side.CALL if about_call else Side.EVERYDAY
    now = iso(utcnow())
    with store.transaction():
        if row.get("sender"):
            learning.teach(
                store, TaughtKind.SENDER, learning.sender_key(row["sender"]), side, actor, now
            )
        for mid in _thread_ids(store, row):
            learning.teach(store, TaughtKind.THREAD, learning.thread_key(mid), side, actor, now)
        learning.add_document(store, side, _words(store, row))
        store.event(
            "taught",
            message_pk,
            ("dotyczy naboru" if about_call else "nie dotyczy naboru")
            + f" (było: {was or row['disposition']}); zapamiętano nadawcę, wątek i słowa",
            actor=actor,
        )
        if not about_call:
            review_store.record_handled(store, f"message:{message_pk}", actor, "not_about_call")
    if about_call:
        return _about_call(config, store, row, actor)
    return _not_about_call(config, store, row, actor)


def _about_call(config: Config, store: Store, row: dict[str, Any], actor: str) -> Taught:
    pk = int(row["id"])
    if row["disposition"] != "unrelated":
        return Taught(pk, Side.CALL, False, "Zapamiętano: dotyczy naboru.")
    if _reread(config, store, pk, "correspondence"):
        return Taught(
            pk, Side.CALL, True, "Zapamiętano: dotyczy naboru. Wiadomość jest teraz w kolejce."
        )
    return Taught(
        pk,
        Side.CALL,
        False,
        "Zapamiętano: dotyczy naboru. Wiadomości nie udało się teraz pobrać ponownie ze "
        "skrzynki; kolejne podobne wiadomości trafią do kolejki.",
    )


def _not_about_call(config: Config, store: Store, row: dict[str, Any], actor: str) -> Taught:
    pk = int(row["id"])
    for outcome in reprocessing.application_outcomes(store, pk):
        if outcome.status != "not_application":
            review.decide(config, store, outcome.reference, "not_application", actor=actor)
    reread = False
    if row["disposition"] == "correspondence":
        reread = _reread(config, store, pk, "unrelated")
    return Taught(
        pk,
        Side.EVERYDAY,
        reread,
        "Zapamiętano: nie dotyczy naboru. Podobne wiadomości od tego nadawcy i w tym wątku "
        "nie trafią do kolejki.",
    )


def unrelated_in_window(config: Config, store: Store) -> list[review_store.OpenMessage]:
    """Mail judged unrelated that came during the call (nobody cleared it): not a queue item,
    listed apart so the coordinator can find it and say it is about the call."""
    return review_store.unrelated_messages_open(
        store, iso(config.call.opens_at), iso(config.call.closes_at)
    )
