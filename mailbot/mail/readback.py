"""Reading the Sent folder and the archive folder back, by UID, without changing anything.

Folders are looked at with STATUS (UIDNEXT, UIDVALIDITY) first, so a pass with nothing new in
them costs one command each; new UIDs are opened read-only (EXAMINE) and fetched with
``BODY.PEEK`` (headers first; whole messages only where needed). A copy of one of mailbot's
letters is recognised by its ``X-Mailbot-Reply`` header (:mod:`mailbot.stamp`).
"""

from __future__ import annotations

import email.utils
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from mailbot.errors import MailboxError
from mailbot.mail.imap_session import NETWORK_ERRORS, describe, is_transient
from mailbot.stamp import HEADER, parse_stamp
from mailbot.storage.resync import SentLetter

BATCH = 500  # UIDs per FETCH of headers
BODY_BATCH = 25  # UIDs per FETCH of whole messages
LETTER_FIELDS = f"MESSAGE-ID {HEADER.upper()} IN-REPLY-TO SUBJECT DATE TO"
MESSAGE_FIELDS = "MESSAGE-ID"
_FIELDS_KEY = re.compile(rb"^BODY\[HEADER\.FIELDS", re.IGNORECASE)


@dataclass(frozen=True)
class FolderStatus:
    folder: str
    uidvalidity: int
    uidnext: int

    @property
    def last_uid(self) -> int:
        """The highest UID the folder may hold now."""
        return self.uidnext - 1


def status(client: IMAPClient, folder: str) -> FolderStatus | None:
    """UIDVALIDITY and UIDNEXT of a folder, or None when it does not exist."""
    try:
        data = client.folder_status(folder, [b"UIDVALIDITY", b"UIDNEXT"])
    except IMAPClientAbortError as exc:
        raise MailboxError(f"IMAP STATUS {folder!r}: {describe(exc)}", transient=True) from exc
    except IMAPClientError:
        return None  # NONEXISTENT, or a folder that cannot be selected
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP STATUS {folder!r}: {describe(exc)}", transient=is_transient(exc)
        ) from exc
    values = {(k.decode() if isinstance(k, bytes) else str(k)).upper(): v for k, v in data.items()}
    return FolderStatus(folder, int(values["UIDVALIDITY"]), int(values["UIDNEXT"]))


def new_uids(
    client: IMAPClient, folder: str, after: int, since: datetime | None = None
) -> list[int]:
    """The UIDs above ``after`` (received on or after ``since``), folder opened read-only."""
    try:
        client.select_folder(folder, readonly=True)
        criteria: list[object] = ["UID", f"{after + 1}:*"]
        found = sorted(int(u) for u in client.search(criteria) if int(u) > after)
        if since is None or not found:
            return found
        kept = []
        for start in range(0, len(found), BATCH):
            batch = found[start : start + BATCH]
            dates = client.fetch(batch, ["INTERNALDATE"])
            for uid in batch:
                when = dates.get(uid, {}).get(b"INTERNALDATE")
                if isinstance(when, datetime) and when.tzinfo is not None and when < since:
                    continue
                kept.append(uid)
        return kept
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP folder {folder!r}: {describe(exc)}", transient=is_transient(exc)
        ) from exc


def headers(
    client: IMAPClient, uids: Sequence[int], fields: str
) -> Iterator[tuple[int, bytes, datetime | None]]:
    """(UID, the header fields, INTERNALDATE) of each message still there, in UID order."""
    for start in range(0, len(uids), BATCH):
        batch = list(uids[start : start + BATCH])
        try:
            data = client.fetch(batch, [f"BODY.PEEK[HEADER.FIELDS ({fields})]", "INTERNALDATE"])
        except NETWORK_ERRORS as exc:
            raise MailboxError(
                f"IMAP fetch failed: {describe(exc)}", transient=is_transient(exc)
            ) from exc
        for uid in batch:
            item = data.get(uid)
            if not item:
                continue  # expunged meanwhile
            head = next((bytes(v) for k, v in item.items() if _FIELDS_KEY.match(k)), b"")
            when = item.get(b"INTERNALDATE")
            yield uid, head, when if isinstance(when, datetime) else None


def bodies(client: IMAPClient, uids: Sequence[int]) -> Iterator[tuple[int, bytes, datetime | None]]:
    """(UID, the whole message, INTERNALDATE) of each message still there, in UID order."""
    for start in range(0, len(uids), BODY_BATCH):
        batch = list(uids[start : start + BODY_BATCH])
        try:
            data = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
        except NETWORK_ERRORS as exc:
            raise MailboxError(
                f"IMAP fetch failed: {describe(exc)}", transient=is_transient(exc)
            ) from exc
        for uid in batch:
            item = data.get(uid)
            if not item or b"BODY[]" not in item:
                continue
            when = item.get(b"INTERNALDATE")
            yield uid, bytes(item[b"BODY[]"]), when if isinstance(when, datetime) else None


def letter_of(
    folder: str,
    uidvalidity: int,
    uid: int,
    head: bytes,
    internaldate: datetime | None,
    reference_pattern: re.Pattern[str],
) -> SentLetter | None:
    """One of mailbot's letters as its copy's headers say, or None for other mail (the
    employee's own, and the digest, which goes to the coordinator only)."""
    from mailbot.mail import mime  # loaded when a folder has something new

    msg = mime.parse_message(head, headers_only=True)
    stamp = parse_stamp(mime.header_text(msg, HEADER, 1000))
    if stamp is None or stamp.kind == "digest":
        return None
    ids = mime.message_ids(mime.header_text(msg, "Message-ID", 1000))
    subject = mime.header_text(msg, "Subject", 300)
    reference = stamp.reference
    if reference is None:
        found = reference_pattern.search(subject)
        reference = found.group(0).upper() if found else None
    in_reply_to = stamp.in_reply_to
    if in_reply_to is None:
        replied = mime.message_ids(mime.header_text(msg, "In-Reply-To", 1000))
        in_reply_to = replied[0] if replied else None
    # when it went out: the copy is saved with the time it was sent (INTERNALDATE)
    sent = internaldate.astimezone(UTC) if internaldate else _date(mime.header_text(msg, "Date"))
    return SentLetter(
        folder=folder,
        uidvalidity=uidvalidity,
        uid=uid,
        message_id=ids[0] if ids else None,
        in_reply_to=in_reply_to,
        reference=reference,
        kind=stamp.kind,
        sent_at=sent.isoformat(timespec="seconds") if sent else None,
        to_addr=mime.clean_address(mime.header_text(msg, "To", 1000)),
        subject=subject or None,
    )


def _date(text: str) -> datetime | None:
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.astimezone(UTC) if when and when.tzinfo else None


@dataclass(frozen=True)
class Headline:
    """What the archive scan needs of a message: which one it is."""

    uid: int
    message_id: str | None


def headline_of(uid: int, head: bytes) -> Headline:
    from mailbot.mail import mime

    msg = mime.parse_message(head, headers_only=True)
    ids = mime.message_ids(mime.header_text(msg, "Message-ID", 1000))
    return Headline(uid, ids[0] if ids else None)
