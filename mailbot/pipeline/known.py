"""What the store already knows of a message, read before the stages run: whether it was
recorded before (:func:`already_recorded`), which application it refers to
(:func:`thread_of`), and the IMAP high-water mark every recorded message moves
(:func:`advance_mark`). The record stage (:mod:`mailbot.pipeline.record`) only writes; these
reads sit apart so that a message enters that stage once, after compose."""

from __future__ import annotations

import re

from mailbot.models import Envelope, RawMessage
from mailbot.names import last_uid_key
from mailbot.storage import messages as sql
from mailbot.storage.store import Store


def advance_mark(store: Store, raw: RawMessage) -> None:
    """Move the mailbox's high-water mark past this message (inside the caller's transaction)."""
    if raw.origin == "imap" and raw.uid is not None:
        key = last_uid_key(raw.mailbox)
        current = store.get_state(key)
        if current is None or int(current) < raw.uid:
            store.set_state(key, str(raw.uid))


def reference_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + r"-\d{4,}", re.IGNORECASE)


def thread_of(env: Envelope, store: Store, prefix: str) -> tuple[str | None, int | None]:
    """(what shows this message answers mailbot's mail, the application it relates to).

    A stored reply's Message-ID in ``In-Reply-To``/``References``, or a reference number in
    the subject; failing both, the related application is the sender's latest one.
    """
    ours = sql.application_of_reply(store, env.references)
    if ours:
        reply_id, app_pk = ours
        live = app_pk if app_pk is not None and sql.application_exists(store, app_pk) else None
        return f"odpowiedź na list {reply_id}", live
    found = reference_pattern(prefix).search(env.subject)
    if found:
        return (
            f"numer {found.group(0).upper()} w temacie",
            sql.application_with_reference(store, found.group(0)),
        )
    if env.sender:
        latest = sql.latest_application_of_sender(store, env.sender.lower())
        if latest is not None:
            return None, latest
    return None, None


def already_recorded(raw: RawMessage, store: Store) -> str | None:
    """Why this message needs no processing (seen before), or None."""
    if raw.origin == "imap" and raw.uid is not None and raw.uidvalidity is not None:
        if store.seen_uid(raw.mailbox, raw.uidvalidity, raw.uid):
            return "already recorded"
        earlier = store.seen_hash(raw.sha256)
        if (
            earlier
            and earlier["mailbox"] == raw.mailbox
            and earlier["uidvalidity"] != raw.uidvalidity
        ):
            # the folder's UIDVALIDITY changed: the same bytes seen again under a new UID
            with store.transaction():
                sql.move_message_uid(store, earlier["id"], raw.uidvalidity, raw.uid)
                store.event("uid_remapped", earlier["id"], f"uid {raw.uid}")
                advance_mark(store, raw)
            return "seen before the UIDVALIDITY change"
        return None
    digest = raw.sha256
    if store.seen_hash(digest):
        return "already imported"
    if not raw.retry and sql.failed_before(store, digest):
        return "failed before; retried from the store"
    return None
