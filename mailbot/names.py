"""Names shared by several layers, spelt once: the keys of mailbot's small state values
(table ``meta``)."""

from __future__ import annotations

from typing import Literal

#: the last reference number given: numbers are never reused, after purge too
REFERENCE_COUNTER_KEY = "reference_counter"
#: when the last pass over the mailbox ended without a mailbox error (ISO time, UTC)
LAST_POLL_KEY = "last_poll_ok"


def last_uid_key(mailbox: str) -> str:
    """The IMAP high-water mark of a folder: the highest UID processed (``mailbox`` is the
    folder's key, see :func:`mailbot.mail.imap.mailbox_key`)."""
    return f"imap:{mailbox}:last_uid"


def uidvalidity_key(mailbox: str) -> str:
    """The UIDVALIDITY of a folder the high-water mark belongs to."""
    return f"imap:{mailbox}:uidvalidity"


#: who may use the workspace: a coordinator decides and corrects, a viewer only reads
ROLES: tuple[Literal["coordinator", "viewer"], ...] = ("coordinator", "viewer")
#: what a person may decide an application is (``mailbot review decide``, the workspace)
DECISION_STATUSES: tuple[str, ...] = ("accepted", "incomplete", "rejected", "not_application")
