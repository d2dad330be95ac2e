"""The typed values that flow through the pipeline (all frozen)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # annotations only: a pass with nothing new loads neither
    from email.message import Message

    from mailbot.mail.mime import AttachedFile
    from parsers import Extraction

Disposition = Literal["application", "correspondence", "unrelated", "ignored", "duplicate", "error"]
DISPOSITIONS: tuple[Disposition, ...] = (
    "application",
    "correspondence",
    "unrelated",
    "ignored",
    "duplicate",
    "error",
)
#: what the relevance stage decides for a message a person wrote
Relevant = Literal["application", "correspondence", "unrelated"]
Status = Literal["accepted", "incomplete", "late", "early", "needs_review", "no_form"]
STATUSES: tuple[Status, ...] = (
    "accepted",
    "incomplete",
    "late",
    "early",
    "needs_review",
    "no_form",
)


@dataclass(frozen=True)
class RawMessage:
    """A message as fetched: the bytes and where they came from."""

    raw: bytes
    origin: Literal["imap", "file"]
    mailbox: str  # IMAP folder, or the imported file's path
    uidvalidity: int | None = None
    uid: int | None = None
    internaldate: datetime | None = None  # tz-aware server receipt time (IMAP)
    retry: bool = False  # a message whose processing failed before, tried again

    @cached_property
    def sha256(self) -> str:
        """The message's identity by content (computed once, used by several stages)."""
        return hashlib.sha256(self.raw).hexdigest()


@dataclass(frozen=True)
class Envelope:
    """What mailbot needs from a message's headers, decoded and sanitised."""

    message_id: str
    sender: str | None  # addr-spec, or None when From has no usable address
    subject: str
    references: tuple[str, ...]
    received_at: datetime  # aware, UTC
    received_at_source: str  # internaldate | received_header | date_header | import_time
    sha256: str
    size: int
    sender_name: str | None = None  # From's display name, decoded: for words, never an address


@dataclass(frozen=True)
class Classified:
    """Result of the classify stage.

    ``disposition`` is ``ignored`` (a robot) or ``duplicate``, final; or ``None``: a person's
    message, read on by the later stages. ``no_reply`` holds the hits of rules that forbid an
    automatic reply without proving a robot (list mail, bulk mail): the message is read, only
    the reply is withheld (see :mod:`mailbot.pipeline.policy`).
    """

    raw: RawMessage
    message: Message
    envelope: Envelope
    disposition: Literal["ignored", "duplicate"] | None
    reason: str | None
    no_reply: tuple[str, ...] = ()


@dataclass(frozen=True)
class FoundFiles:
    """Result of the find-the-form stage: every attached file and why the walk stopped."""

    files: tuple[AttachedFile, ...]
    truncated: str | None

    @property
    def candidates(self) -> tuple[AttachedFile, ...]:
        return tuple(f for f in self.files if f.may_be_form)

    @property
    def documents(self) -> tuple[AttachedFile, ...]:
        """The candidates that are documents (read first; pictures only when none is the form)."""
        return tuple(f for f in self.candidates if f.kind != "image")


@dataclass(frozen=True)
class ReadAhead:
    """A message prepared while the one before it is judged and recorded: its parse and its
    files, its first document already handed to the reader (``stages.read_ahead``)."""

    raw: RawMessage
    message: Message
    found: FoundFiles


@dataclass(frozen=True)
class FormRead:
    """Result of the extract stage: the file taken as the form and what was read from it."""

    chosen: AttachedFile | None
    extraction: Extraction | None
    tried: tuple[tuple[AttachedFile, Extraction], ...]  # every candidate and its outcome
    refused: tuple[AttachedFile, ...]  # attachments not read (over a limit)


@dataclass(frozen=True)
class Finding:
    """One relevance signal that fired: its name, what made it fire (Polish, for a person) and
    its weight: positive for the call, negative against it, 0 when it only shapes the decision
    (a form read, a reply in mailbot's thread)."""

    signal: str
    detail: str
    weight: float = 0.0


@dataclass(frozen=True)
class Relevance:
    """Result of the relevance stage: does the message belong to the call, and how."""

    disposition: Relevant
    reason: str
    findings: tuple[Finding, ...]
    excerpt: str  # the first lines of the sender's own text (quotes cut), for a person
    related_application: int | None = None  # an application this message refers to
    # why an automatic letter may answer it (Polish): the call's form read, a reply in
    # mailbot's thread, a text plainly applying to this call; None: a person confirms it
    strong: str | None = None

    @property
    def signals(self) -> tuple[str, ...]:
        return tuple(f.signal for f in self.findings)


@dataclass(frozen=True)
class Problem:
    code: str
    message: str  # Polish: what is wrong
    fix: str  # Polish: how to fix it
    field: str | None = None


@dataclass(frozen=True)
class Verdict:
    status: Status
    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()  # for the coordinator only: unusual, not wrong

    @property
    def codes(self) -> list[str]:
        return [p.code for p in self.problems]


@dataclass(frozen=True)
class ApplicationDraft:
    """One application found in a message: its form, the verdict and who the applicant is."""

    form: FormRead
    verdict: Verdict
    applicant_key: str  # "email:…", "person:…" (name + organisation) or "sender:…"
    applicant_email: str | None


@dataclass(frozen=True)
class Judged:
    """A person's message after every reading stage, before it is stored."""

    seen: Classified
    found: FoundFiles
    relevance: Relevance
    applications: tuple[ApplicationDraft, ...]  # empty unless disposition is application


@dataclass(frozen=True)
class ComposedReply:
    """A reply ready for the outbox: the full message bytes and where it goes."""

    template: str
    to: str
    subject: str
    message_id: str
    raw: bytes


@dataclass(frozen=True)
class Letter:
    """One application of a message (the compose stage): its number, its letter or why none goes."""

    draft: ApplicationDraft
    reference: str
    reply: ComposedReply | None
    withheld: str | None  # why the policy withheld the letter (stored for the coordinator)
    sent_at: str | None = None  # the letter was found in Sent: sent then, not to be sent again


@dataclass(frozen=True)
class Composed:
    """Every application of a message, numbered and answered, ready to be written."""

    letters: tuple[Letter, ...]
    counter_read: int  # the last reference number given when this stage read it
    counter_after: int  # the last number once these applications have theirs

    @property
    def replies(self) -> int:
        """Letters to send (a letter found in Sent is not sent again)."""
        return sum(1 for letter in self.letters if letter.reply is not None and not letter.sent_at)


@dataclass(frozen=True)
class Outcome:
    """What happened to one message (returned by the pipeline, logged, counted)."""

    message_pk: int | None
    disposition: Disposition | Literal["skipped", "deferred"]
    status: Status | None = None
    reason: str | None = None
    reply_queued: bool = False
