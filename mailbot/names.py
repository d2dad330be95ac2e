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
    WITHDRAWN = "withdrawn"


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

#: a person marks an application withdrawn, linked to the message that withdrew it (never the
#: machine: a clear withdrawal is only proposed)
WITHDRAWAL_STATUS = ApplicationStatus.WITHDRAWN


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


class Side(StrEnum):
    """Which side learned statistics and a person's teaching belong to (``taught.side``): the
    call's mail, or the mailbox's everyday mail."""

    CALL = "call"
    EVERYDAY = "everyday"


class TaughtKind(StrEnum):
    """What a person's "Dotyczy naboru" / "Nie dotyczy naboru" is remembered by
    (``taught.kind``): the sender (as a hash of the address) or the thread (Message-IDs)."""

    SENDER = "sender"
    THREAD = "thread"


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
#: how many messages the learned word statistics come from: the history ``mailbot learn``
#: read, everyday mail since (judged unrelated or taught), mail a person said is the call's
LEARNED_HISTORY_KEY = "learning:history_documents"
LEARNED_EVERYDAY_KEY = "learning:everyday_documents"
LEARNED_CALL_KEY = "learning:call_documents"
#: what the last ``mailbot learn`` read (JSON: when, since, until, messages)
LEARNED_RUN_KEY = "learning:last_run"
#: changes when a history is learned or a person teaches (a pass reads the statistics again)
LEARNED_GENERATION_KEY = "learning:generation"


def last_uid_key(mailbox: str) -> str:
    """The IMAP high-water mark of one mailbox folder: the highest UID recorded."""
    return f"imap:{mailbox}:last_uid"


def uidvalidity_key(mailbox: str) -> str:
    """The UIDVALIDITY the folder's high-water mark belongs to."""
    return f"imap:{mailbox}:uidvalidity"


# --- the mailbox as the second memory (mailbot.ops.resync, mailbot.ops.backup) -------------------

#: the templates of the pipeline's own letters (one per application): a copy of one of these in
#: Sent that the database does not know stands for the letter a re-read message would get
AUTOMATIC_LETTERS: tuple[str, ...] = (*MACHINE_STATUSES, "limit_reached")
#: the name of the mailbox's Sent folder as last found (SPECIAL-USE \Sent or imap.sent_folder)
SENT_FOLDER_KEY = "sent_folder"
#: when the snapshot this database was restored from was taken (ISO time; set in the snapshot)
BACKUP_TAKEN_KEY = "backup_taken_at"
#: when this database was last restored from a snapshot (ISO time)
RESTORED_AT_KEY = "restored_at"
#: "1" from a restore until a pass has read Sent and the archive folder back
RESYNC_PENDING_KEY = "resync_pending"
#: when a database was restored while the mailbox keeps no copies of the letters
#: (imap.save_sent = false): mail received before then that it does not know may have been
#: answered, and nothing can tell (ISO time)
RESTORE_DOUBT_KEY = "restore_doubt_until"


#: the latest ``mailbot purge --before`` day (ISO time): mail received before it is never read
#: back from the mailbox into the database again
PURGED_BEFORE_KEY = "purged_before"


def read_back_key(mailbox: str) -> str:
    """Set for a folder whose messages were moved there after they were answered (the archive
    folder): mail read back from it gets no new automatic letter."""
    return f"imap:{mailbox}:read_back"
