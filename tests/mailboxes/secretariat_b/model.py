"""The test-mailbox record: one message with what a careful employee expects of it.

``Msg`` is pure data; ``to_bytes()`` builds the message deterministically (a fixed
Message-ID from the slug, Date a few minutes before the server received it). ``deliver``
APPENDs messages to a Dovecot user with their INTERNALDATE over one imapclient connection.
A message with ``reply_to_letter`` answers the automatic letter sent for another message: it
is delivered after that letter exists, threaded under it (In-Reply-To, "RE: " + its subject).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from zoneinfo import ZoneInfo

WARSAW = ZoneInfo("Europe/Warsaw")
CALL_ADDRESS = "Dorota Butryn <d.butryn@dops.wroc.pl>"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
CSV = "text/csv"
JPEG = "image/jpeg"

Recipe = Callable[[], bytes]
Attachment = tuple[str, str, Recipe]  # file name, MIME type, recipe


def stable(data: bytes) -> bytes:
    """The file with what differs from run to run fixed: a zip's (DOCX) entry times, a PDF's
    /ID; the content is unchanged."""
    if data.startswith(b"PK"):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for info in src.infolist():
                fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 5, 1, 0, 0, 0))
                fixed.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(fixed, src.read(info))
        return out.getvalue()
    if data.startswith(b"%PDF"):
        return re.sub(
            rb"/ID \[ ?<[0-9a-fA-F]+> ?<[0-9a-fA-F]+> ?\]",
            lambda m: re.sub(
                rb"<[0-9a-fA-F]+>", lambda h: b"<" + b"0" * (len(h[0]) - 2) + b">", m[0]
            ),
            data,
        )
    return data


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """A moment of 2024 in Warsaw (the call's time zone)."""
    return datetime(2024, month, day, hour, minute, tzinfo=WARSAW)


@dataclass(frozen=True)
class Msg:
    slug: str
    sender: str
    subject: str
    body: str  # plain text; "" with ``html`` set gives an HTML-only message
    received: datetime  # the INTERNALDATE given at APPEND
    about_call: bool
    expect: str  # application | correspondence | unrelated | ignored
    why: str
    to: str = CALL_ADDRESS
    html: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    folder: str = "INBOX"
    letter: bool = False  # an automatic letter must go to the sender (one per application)
    status: str | None = None  # the status of its application(s)
    live: bool = True  # False: a later application of the same person supersedes it
    forms: int = 1  # applications this message yields when it is one (a secretariat sends two)
    reply_to_letter: str | None = None  # slug of the message whose automatic letter it answers

    @property
    def address(self) -> str:
        return parseaddr(self.sender)[1].lower()

    @property
    def message_id(self) -> str:
        tag = hashlib.sha1(self.slug.encode()).hexdigest()[:10]
        return f"<{tag}.{self.slug}@{self.address.rsplit('@', 1)[-1]}>"

    def to_bytes(self, letter: EmailMessage | None = None) -> bytes:
        """The message as the sender's client wrote it; ``letter``: the letter it answers."""
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = self.to
        subject = self.subject
        if self.reply_to_letter and not subject:
            subject = "RE: " + str(letter["Subject"] if letter else "Nabór do grup roboczych DKRES")
        if letter is not None:
            msg["In-Reply-To"] = letter["Message-ID"]
            msg["References"] = letter["Message-ID"]
        msg["Subject"] = subject
        msg["Date"] = format_datetime(self.received - timedelta(minutes=3))
        msg["Message-ID"] = self.message_id
        for name, value in self.headers:
            msg[name] = value
        if self.html is not None and not self.body:
            msg.set_content(self.html, subtype="html")
        else:
            msg.set_content(self.body)
            if self.html is not None:
                msg.add_alternative(self.html, subtype="html")
        for filename, mime_type, recipe in self.attachments:
            maintype, subtype = mime_type.split("/", 1)
            msg.add_attachment(
                stable(recipe()), maintype=maintype, subtype=subtype, filename=filename
            )
        for n, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_{self.slug}_{n}_=")  # the same bytes on every run
        return msg.as_bytes()


def deliver(
    dovecot: object,
    user: str,
    messages: Iterable[Msg],
    letters: Mapping[str, EmailMessage] | None = None,
) -> None:
    """APPEND each message to its folder with its INTERNALDATE, in order of receipt."""
    letters = letters or {}
    with dovecot.client(user) as client:  # type: ignore[attr-defined]
        for m in sorted(messages, key=lambda m: m.received):
            if m.folder.upper() != "INBOX" and not client.folder_exists(m.folder):
                client.create_folder(m.folder)
            raw = m.to_bytes(letters.get(m.reply_to_letter or ""))
            client.append(m.folder, raw, msg_time=m.received)
