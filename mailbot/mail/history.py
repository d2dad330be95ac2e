"""The mailbox's history, read for learning: the text of each message, nothing else.

``mailbot learn`` reads the mail ``imap.since`` otherwise leaves alone (received before it). The
folder is opened read-only; each message's ``BODYSTRUCTURE`` is fetched first, then only its
text part (plain text, else HTML; at most :data:`MAX_TEXT_BYTES`) and its subject, with
``BODY.PEEK`` — attachments are never downloaded and nothing in the mailbox changes. The texts
are handed to the caller one by one and kept nowhere.
"""

from __future__ import annotations

import base64
import binascii
import logging
import quopri
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from imapclient import IMAPClient

from mailbot.config import ImapConfig
from mailbot.errors import FolderError, MailboxError
from mailbot.mail import imap
from mailbot.mail.mime import header_text, parse_message

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 20_000  # the relevance stage reads no more of a message's text either
BATCH = 200  # messages per FETCH
SUBJECT = b"BODY[HEADER.FIELDS (SUBJECT)]"


@dataclass(frozen=True)
class HistoryText:
    """One message of the history as learning needs it (never stored)."""

    subject: str
    text: str
    html: bool  # the text is HTML (no plain part)


@dataclass(frozen=True)
class TextPart:
    section: str  # "1", "1.2" …
    html: bool
    charset: str
    encoding: str


def _param(params: Any, name: bytes) -> str | None:
    if not isinstance(params, tuple | list):
        return None
    for key, value in zip(params[::2], params[1::2], strict=False):
        if isinstance(key, bytes) and key.upper() == name and isinstance(value, bytes):
            return value.decode("ascii", "replace")
    return None


def _is_attachment(part: Any) -> bool:
    try:
        disposition = part[9] if len(part) > 9 else None
    except (TypeError, IndexError):
        return False
    if isinstance(disposition, tuple | list) and disposition:
        first = disposition[0]
        return isinstance(first, bytes) and first.lower() == b"attachment"
    return False


def _leaves(body: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(section, part) of every leaf part, forwarded messages (message/rfc822) left out."""
    if getattr(body, "is_multipart", False):
        for i, part in enumerate(body[0], 1):
            yield from _leaves(part, f"{prefix}.{i}" if prefix else str(i))
        return
    yield (prefix or "1"), body


def text_part(body: Any) -> TextPart | None:
    """The part learning reads: the first plain text part, else the first HTML one."""
    found: dict[bool, TextPart] = {}
    for section, part in _leaves(body):
        try:
            kind, subtype = bytes(part[0]).lower(), bytes(part[1]).lower()
        except (TypeError, IndexError):
            continue
        if kind != b"text" or subtype not in (b"plain", b"html") or _is_attachment(part):
            continue
        html = subtype == b"html"
        if html in found:
            continue
        encoding = part[5] if isinstance(part[5], bytes) else b"7bit"
        found[html] = TextPart(
            section,
            html,
            _param(part[2], b"CHARSET") or "utf-8",
            encoding.decode("ascii", "replace").lower(),
        )
    return found.get(False) or found.get(True)


def decode(data: bytes, part: TextPart) -> str:
    """The part's bytes (possibly cut at :data:`MAX_TEXT_BYTES`) as text."""
    if part.encoding == "base64":
        data = b"".join(data.split())
        data = data[: len(data) - len(data) % 4]
        try:
            data = base64.b64decode(data)
        except (binascii.Error, ValueError):
            return ""
    elif part.encoding == "quoted-printable":
        data = quopri.decodestring(data)
    for charset in (part.charset, "utf-8", "windows-1250"):
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


class History:
    """The messages of ``imap.folder`` received in ``[since, until)``: :attr:`count` of them,
    iterated as :class:`HistoryText`. Use as a context manager (logs out at the end)."""

    def __init__(self, config: ImapConfig, since: datetime | None, until: datetime):
        self.config = config
        self.client: IMAPClient = imap.connect(config)
        try:
            folder = imap.place_folder(imap.server_info(self.client), config.folder)
            try:
                self.client.select_folder(folder, readonly=True)
            except Exception as exc:
                raise FolderError(
                    f"IMAP folder {folder!r} (imap.folder) cannot be opened: {exc}"
                ) from exc
            self.uids = self._search(since, until)
        except BaseException:
            imap.logout(self.client)
            raise

    def _search(self, since: datetime | None, until: datetime) -> list[int]:
        # SEARCH compares dates in the server's zone: ask a day wider, then cut exactly
        criteria: list[object] = ["BEFORE", (until + timedelta(days=1)).date()]
        if since is not None:
            criteria += ["SINCE", (since - timedelta(days=1)).date()]
        try:
            found = sorted(int(u) for u in self.client.search(criteria))
            kept = []
            for start in range(0, len(found), 500):
                batch = found[start : start + 500]
                dates = self.client.fetch(batch, ["INTERNALDATE"])
                for uid in batch:
                    when = dates.get(uid, {}).get(b"INTERNALDATE")
                    known = isinstance(when, datetime) and when.tzinfo is not None
                    if known and (when >= until or (since is not None and when < since)):
                        continue
                    kept.append(uid)
            return kept
        except MailboxError:
            raise
        except Exception as exc:
            raise MailboxError(f"IMAP search of the history failed: {exc}") from exc

    @property
    def count(self) -> int:
        return len(self.uids)

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        imap.logout(self.client)

    def __iter__(self) -> Iterator[HistoryText]:
        for start in range(0, len(self.uids), BATCH):
            yield from self._batch(self.uids[start : start + BATCH])

    def _batch(self, uids: list[int]) -> Iterator[HistoryText]:
        try:
            shapes = self.client.fetch(
                uids, ["BODYSTRUCTURE", "BODY.PEEK[HEADER.FIELDS (SUBJECT)]"]
            )
            parts: dict[int, TextPart | None] = {}
            by_section: dict[str, list[int]] = defaultdict(list)
            for uid in uids:
                body = shapes.get(uid, {}).get(b"BODYSTRUCTURE")
                part = text_part(body) if body is not None else None
                parts[uid] = part
                if part is not None:
                    by_section[part.section].append(uid)
            texts: dict[int, bytes] = {}
            for section, group in by_section.items():
                item = f"BODY.PEEK[{section}]<0.{MAX_TEXT_BYTES}>"
                key = f"BODY[{section}]<0>".encode()
                for uid, data in self.client.fetch(group, [item]).items():
                    value = data.get(key)
                    if value is None:  # a server answering without the origin octet
                        value = data.get(f"BODY[{section}]".encode())
                    if isinstance(value, bytes):
                        texts[uid] = value
        except MailboxError:
            raise
        except Exception as exc:
            raise MailboxError(f"IMAP fetch of the history failed: {exc}") from exc
        for uid in uids:
            raw_subject = shapes.get(uid, {}).get(SUBJECT) or b""
            subject = header_text(parse_message(bytes(raw_subject), headers_only=True), "Subject")
            part = parts.get(uid)
            text = decode(texts[uid], part) if part is not None and uid in texts else ""
            yield HistoryText(subject, text, bool(part and part.html))
