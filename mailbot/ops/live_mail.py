"""A message's bytes and text for a person: from the file store, or — mail judged unrelated,
whose bytes mailbot never keeps — fetched live from the mailbox by its UID (the folder opened
read-only, ``BODY.PEEK``), shown, and forgotten.

What cannot be had is said plainly (:class:`MessageText.source`): the message is no longer in
the mailbox (deleted, moved, the folder renumbered), the mail server cannot be reached, no
mailbox is configured, or the message was imported from a file and its bytes were not kept.
"""

from __future__ import annotations

import email.policy
import logging
from dataclasses import dataclass
from email.parser import BytesParser
from typing import Any

from mailbot.config import Config
from mailbot.errors import MailboxError, MessageGone, NotStoredError
from mailbot.models import RawMessage
from mailbot.ops.reprocess import imap_fetcher, stored_raw
from mailbot.ops.review import message_text, text_of
from mailbot.storage.store import Store

log = logging.getLogger(__name__)

STORED = "stored"  # the bytes are in the file store
LIVE = "live"  # fetched from the mailbox just now, not kept
GONE = "gone"  # no longer in the mailbox folder
UNREACHABLE = "unreachable"  # the mail server could not be reached or refused
NOT_KEPT = "not_kept"  # imported from a file (no UID) and not kept
NO_MAILBOX = "no_mailbox"  # no [imap] configured to fetch it from


@dataclass(frozen=True)
class MessageText:
    source: str  # one of the names above
    text: str = ""
    attachments: tuple[str, ...] = ()  # the names of its attached files (fetched live)


def raw_message(config: Config, store: Store, row: dict[str, Any]) -> RawMessage:
    """The message's bytes: stored, else fetched again by UID. :class:`NotStoredError` when it
    can be had from nowhere (imported and not kept, no mailbox configured),
    :class:`MessageGone` when the mailbox no longer holds it, :class:`MailboxError` when the
    server cannot be reached."""
    if not row.get("raw_file") and config.imap is None:
        raise NotStoredError(
            f"message {row['id']} was not kept and no mailbox ([imap]) is configured"
        )
    fetch = imap_fetcher(config.imap) if config.imap else None
    return stored_raw(store, row, fetch)


def _attachment_names(raw: bytes) -> tuple[str, ...]:
    msg = BytesParser(policy=email.policy.default).parsebytes(raw)
    names = []
    for part in msg.walk():
        name = part.get_filename()
        if name:
            names.append(str(name))
    return tuple(names)


def read_message(config: Config, store: Store, row: dict[str, Any]) -> MessageText:
    """The text of a message for its page (never stored when fetched live)."""
    if row.get("raw_file"):
        return MessageText(STORED, message_text(store, row["raw_file"]))
    if row.get("uid") is None:
        return MessageText(NOT_KEPT)
    if config.imap is None:
        return MessageText(NO_MAILBOX)
    try:
        raw = raw_message(config, store, row)
    except MessageGone:
        return MessageText(GONE)
    except NotStoredError:
        return MessageText(NOT_KEPT)
    except MailboxError as exc:
        log.warning("message %s: the mailbox cannot be read now: %s", row.get("id"), exc)
        return MessageText(UNREACHABLE)
    try:
        return MessageText(LIVE, text_of(raw.raw), _attachment_names(raw.raw))
    except (LookupError, ValueError):
        return MessageText(LIVE)
