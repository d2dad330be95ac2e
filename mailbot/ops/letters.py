"""The letters a person sends from the workspace or ``mailbot review``: notices of a decision,
answers. Each is composed here From the call's address (with the one From name of every
letter), stamped with its kind (``X-Mailbot-Reply``), threaded under the message it answers
when it goes to that message's sender, and queued in the outbox (table ``replies``, state
``queued``) inside the caller's transaction — the next pass sends it once.
"""

from __future__ import annotations

import email.policy
import re
from dataclasses import dataclass
from email.parser import BytesHeaderParser

from mailbot.config import Config
from mailbot.errors import ActionRefused, MailbotError
from mailbot.mail.mime import one_line
from mailbot.pipeline.replies import build_letter, deliverable_address
from mailbot.storage import applications
from mailbot.storage import review as review_store
from mailbot.storage.store import Store, iso, utcnow


@dataclass(frozen=True)
class Letter:
    """A message to an applicant, composed and ready to be shown or queued."""

    to: str
    subject: str
    body: str
    raw: bytes
    message_id: str
    template: str


def thread_headers(store: Store, message_pk: int) -> tuple[str | None, list[str], str]:
    """(Message-ID, References, subject) of a stored message, to thread a letter under it."""
    source = review_store.thread_source(store, message_pk)
    if source is None:
        raise ActionRefused("no_message", f"no message {message_pk}", message_pk=message_pk)
    message_id, raw_file, subject = source
    references: list[str] = []
    if raw_file:
        try:
            headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(
                store.read_file(raw_file)
            )
            references = re.findall(r"<[^<>\s]+>", str(headers.get("References", "")))[-10:]
        except MailbotError:
            references = []
    if message_id and message_id.endswith("@mailbot.invalid>"):
        message_id = None
    return message_id, references, subject or ""


def compose_letter(
    config: Config,
    store: Store,
    message_pk: int,
    to: str,
    subject: str,
    body: str,
    template: str,
    *,
    thread: bool = True,
) -> Letter:
    """A letter From the call's address; threaded under the message ``message_pk`` when
    ``thread`` (a letter to its sender), else a letter of its own (to someone who never saw
    that message: the candidate whose form a colleague passed on)."""
    to = deliverable_address(to)  # a Unicode domain in its IDNA form, as automatic replies have it
    thread_under: tuple[str | None, list[str]] | None = None
    if thread:
        original, references, _subject = thread_headers(store, message_pk)
        thread_under = (original, references)
    msg, message_id = build_letter(
        config.call, to, one_line(subject, 200), body, kind=template, thread=thread_under
    )
    return Letter(
        to=to,
        subject=one_line(subject, 200),
        body=body,
        raw=msg.as_bytes(),
        message_id=message_id,
        template=template,
    )


def queue_letter(store: Store, letter: Letter, message_pk: int, application_pk: int | None) -> int:
    """Put a letter in the outbox (inside the caller's transaction); the next pass sends it."""
    return applications.queue_letter(
        store,
        message_pk=message_pk,
        application_pk=application_pk,
        template=letter.template,
        to_addr=letter.to,
        subject=letter.subject,
        message_id=letter.message_id,
        raw=letter.raw,
        queued_at=iso(utcnow()),
    )
