"""The names of the states and keys mailbot stores, each spelt once.

The values are what the database holds and what README.md documents (statuses and
dispositions in exports, reply states in the digest and ``reply_state``): they never change.
Each enum is a :class:`~enum.StrEnum`, so a member is the very string stored and compares
equal to it.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal


class Disposition(StrEnum):
    """What a message is (``messages.disposition``, exported as ``messages[].disposition``)."""

    APPLICATION = "application"
    CORRESPONDENCE = "correspondence"
    UNRELATED = "unrelated"
    IGNORED = "ignored"
    DUPLICATE = "duplicate"
    ERROR = "error"


class NotRecorded(StrEnum):
    """What a pass reports for a message it recorded no outcome for (never stored)."""

    SKIPPED = "skipped"  # recorded on an earlier pass
    DEFERRED = "deferred"  # its processing failed: a later pass tries again


class ApplicationStatus(StrEnum):
    """An application's status (``applications.status``): the machine's, or a person's decision."""

    ACCEPTED = "accepted"
    INCOMPLETE = "incomplete"
    LATE = "late"
    EARLY = "early"
    NEEDS_REVIEW = "needs_review"
    NO_FORM = "no_form"
    REJECTED = "rejected"
    NOT_APPLICATION = "not_application"


#: the statuses validation gives (also kept as ``machine_status`` after a person's decision)
MACHINE_STATUSES: tuple[ApplicationStatus, ...] = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.INCOMPLETE,
    ApplicationStatus.LATE,
    ApplicationStatus.EARLY,
    ApplicationStatus.NEEDS_REVIEW,
    ApplicationStatus.NO_FORM,
)
#: the statuses a person may decide
DECISION_STATUSES: tuple[ApplicationStatus, ...] = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.INCOMPLETE,
    ApplicationStatus.REJECTED,
    ApplicationStatus.NOT_APPLICATION,
)


#: who may use the workspace: a coordinator decides, corrects and answers; a viewer only reads
ROLES: tuple[Literal["coordinator", "viewer"], ...] = ("coordinator", "viewer")


class SupersedeNote(StrEnum):
    """Why an application that is not the latest is kept apart (``applications.supersede_note``)."""

    LATE_CORRECTION = "late_correction"
    POSSIBLE_CORRECTION = "possible_correction"


class ReplyState(StrEnum):
    """Where a reply in the outbox stands (``replies.state``, exported as ``reply_state``).

    ``queued → sending → sent``, or ``failed``; a sent reply may come back ``bounced``."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    BOUNCED = "bounced"


#: replies still to send: queued, or caught while sending (the process died)
UNSENT: tuple[ReplyState, ...] = (ReplyState.QUEUED, ReplyState.SENDING)


class SentCopy(StrEnum):
    """Where a sent reply's copy in the Sent folder stands (``replies.sent_copy``; NULL: to
    save)."""

    SAVING = "saving"
    SAVED = "saved"
    NOT_SAVED = "not_saved"


class OcrState(StrEnum):
    """Where the OCR pre-fill of a scanned form stands (``prefills.state``).

    ``pending → reading → done``, or ``failed`` (the reason kept); a read stopped by the worker's
    shutdown goes back to ``pending``."""

    PENDING = "pending"
    READING = "reading"
    DONE = "done"
    FAILED = "failed"


# --- keys of the ``meta`` table ----------------------------------------------------------------

#: the last reference number given (numbers are never reused, even after a purge)
REFERENCE_COUNTER_KEY = "reference_counter"
#: when the last poll of the mailbox ended well (ISO time)
LAST_POLL_KEY = "last_poll_ok"


def last_uid_key(mailbox: str) -> str:
    """The IMAP high-water mark of one mailbox folder: the highest UID recorded."""
    return f"imap:{mailbox}:last_uid"


def uidvalidity_key(mailbox: str) -> str:
    """The UIDVALIDITY the folder's high-water mark belongs to."""
    return f"imap:{mailbox}:uidvalidity"
