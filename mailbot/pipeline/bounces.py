"""Bounces of mailbot's own replies: a reply the next hop refused is marked ``bounced``.

An SMTP server may take a reply (``250``) and a later hop refuse it; the refusal comes back to
the call's mailbox as a delivery report. Such a message stays ``ignored`` (nothing answers a
robot), but when it is a bounce and it refers to a reply mailbot sent, that reply becomes
``bounced`` with the remote reason, and the coordinator sees the applicant as unreachable.

What counts as a bounce (:func:`is_bounce`): a DSN (RFC 3464, ``multipart/report;
report-type=delivery-status``), or a non-standard bounce from a mailer daemon or postmaster
whose subject says the mail was not delivered. Delays (``Action: delayed``) are not bounces.

Which reply it refers to (:func:`find_bounced`), in this order:

1. the reply's Message-ID in the returned headers (or anywhere in a non-standard bounce's text);
2. the failed recipient (``Final-Recipient``/``Original-Recipient``, or an address named in a
   non-standard bounce) and the time: the latest reply sent to that address in the
   :data:`MATCH_WINDOW` before the bounce arrived.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message

from mailbot.mail.mime import clean_address, header_text, one_line, parse_message
from mailbot.storage import replies
from mailbot.storage.store import Store

log = logging.getLogger(__name__)

#: a bounce matched by recipient refers to a reply sent at most this long before it arrived
MATCH_WINDOW = timedelta(days=7)
#: how mailbot's reply Message-IDs look (mailbot.pipeline.replies.compose_reply)
REPLY_ID = re.compile(r"<mailbot\.[0-9a-f]{32}@[^<>\s]+>")
_DAEMONS = ("mailer-daemon", "mail-daemon", "mailerdaemon", "postmaster", "post_master")
_BOUNCE_SUBJECT = re.compile(
    r"undeliver|undelivered|not (be )?delivered|delivery (status notification \(failure\)|"
    r"failure|failed|has failed)|failure notice|returned mail|mail delivery (failed|system)|"
    r"niedostarcz|nie (można|mozna|udało się|udalo sie) dostarczy|nieudane dostarcz|"
    r"unzustellbar|non remis|no se pudo entregar",
    re.IGNORECASE,
)
_SMTP_REASON = re.compile(r"\b[45]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b.*|\b5\d\d\s+\S.*")
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"'@]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
MAX_TEXT = 200_000  # read at most this much of a bounce's text parts


@dataclass(frozen=True)
class FailedRecipient:
    address: str | None
    reason: str


@dataclass(frozen=True)
class BounceReport:
    """What a bounce says: the recipients that failed and the reply Message-IDs it quotes."""

    failed: tuple[FailedRecipient, ...]
    reply_ids: tuple[str, ...]
    reason: str  # the remote reason for the whole report (first failed recipient's)


@dataclass(frozen=True)
class BouncedReply:
    reply_id: int
    reason: str


def _report_type(msg: Message) -> str:
    if msg.get_content_type() != "multipart/report":
        return ""
    return str(msg.get_param("report-type") or "").lower()


def _sender_is_daemon(msg: Message) -> bool:
    address = clean_address(header_text(msg, "From", 500)) or ""
    local = address.split("@", 1)[0].lower()
    return local.startswith(_DAEMONS)


def is_bounce(msg: Message) -> bool:
    if _report_type(msg) == "delivery-status":
        return True
    subject = header_text(msg, "Subject", 300)
    return _sender_is_daemon(msg) and bool(_BOUNCE_SUBJECT.search(subject))


def _status_groups(part: Message) -> list[Message]:
    """The per-recipient field groups of a ``message/delivery-status`` part."""
    payload = part.get_payload()
    if isinstance(payload, list):  # the parser splits the groups into sub-messages
        return [p for p in payload if isinstance(p, Message)]
    if isinstance(payload, str):
        return [
            parse_message(block.encode("utf-8", "replace"), headers_only=True)
            for block in re.split(r"\r?\n\s*\r?\n", payload)
            if block.strip()
        ]
    return []


def _recipient(group: Message) -> str | None:
    for name in ("Original-Recipient", "Final-Recipient"):
        value = header_text(group, name, 500)
        if value:
            return clean_address(value.split(";", 1)[-1].strip())
    return None


def _words(text: str) -> str:
    return one_line(" ".join(text.split()), 300)


def _reason(group: Message) -> str:
    diagnostic = header_text(group, "Diagnostic-Code", 500)
    if diagnostic:
        kind, _, text = diagnostic.partition(";")
        return _words(text if text.strip() else kind)
    return _words(f"status {header_text(group, 'Status', 50)}")


def _text_parts(msg: Message) -> str:
    """The text of the bounce's human-readable and returned parts, decoded leniently."""
    chunks: list[str] = []
    size = 0
    for part in msg.walk():
        if part.is_multipart() or part.get_content_maintype() not in ("text", "message"):
            continue
        try:
            data = part.get_payload(decode=True)
        except Exception:  # noqa: BLE001 - an unreadable part adds nothing
            data = None
        if not isinstance(data, bytes):
            continue
        charset = part.get_content_charset()
        text = data[:MAX_TEXT].decode(
            charset if charset and _known_charset(charset) else "utf-8", "replace"
        )
        chunks.append(text)
        size += len(text)
        if size > MAX_TEXT:
            break
    return "\n".join(chunks)


def _known_charset(charset: str | None) -> bool:
    if not charset:
        return False
    try:
        "".encode(charset)
    except LookupError:
        return False
    return True


def _returned_ids(msg: Message, text: str, raw: bytes) -> tuple[str, ...]:
    found = REPLY_ID.findall(text)
    for part in msg.walk():
        if part.get_content_type() in (
            "message/rfc822",
            "message/global",
            "text/rfc822-headers",
            "message/rfc822-headers",
        ):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) and payload else None
            if isinstance(inner, Message):
                found += REPLY_ID.findall(header_text(inner, "Message-ID", 500))
    if not found:
        found = REPLY_ID.findall(raw[:MAX_TEXT].decode("ascii", "replace"))
    return tuple(dict.fromkeys(found))


def read_bounce(msg: Message, raw: bytes) -> BounceReport | None:
    """What a bounce reports, or None when the message is not a bounce (or only a delay)."""
    if not is_bounce(msg):
        return None
    failed: list[FailedRecipient] = []
    standard = False
    for part in msg.walk():
        if part.get_content_type() not in (
            "message/delivery-status",
            "message/global-delivery-status",
        ):
            continue
        standard = True
        for group in _status_groups(part):
            action = header_text(group, "Action", 50).lower()
            if action.startswith("failed"):
                failed.append(FailedRecipient(_recipient(group), _reason(group)))
    text = _text_parts(msg)
    if standard and not failed:
        return None  # delayed, relayed, delivered: nothing bounced
    if not standard:
        match = _SMTP_REASON.search(text)
        reason = _words(match.group(0)) if match else header_text(msg, "Subject", 300)
        addresses = dict.fromkeys(a.lower() for a in _ADDRESS.findall(text[:20_000]))
        failed = [FailedRecipient(a, reason) for a in addresses] or [FailedRecipient(None, reason)]
    return BounceReport(
        failed=tuple(failed), reply_ids=_returned_ids(msg, text, raw), reason=failed[0].reason
    )


def find_bounced(store: Store, report: BounceReport, received_at: datetime) -> list[BouncedReply]:
    """The sent replies a bounce refers to (by Message-ID, else by recipient and time)."""
    found: dict[int, BouncedReply] = {}
    reasons = {f.address.lower(): f.reason for f in report.failed if f.address}
    for message_id in report.reply_ids:
        sent = replies.sent_reply_with_message_id(store, message_id)
        if sent:
            found[sent.reply_pk] = BouncedReply(
                sent.reply_pk, reasons.get(sent.to_addr.lower(), report.reason)
            )
    if found:
        return list(found.values())
    for address, reason in reasons.items():
        reply_pk = replies.last_reply_sent_to(
            store,
            address,
            sent_from=received_at - MATCH_WINDOW,
            sent_until=received_at + timedelta(minutes=5),
        )
        if reply_pk is not None:
            found[reply_pk] = BouncedReply(reply_pk, reason)
    return list(found.values())


def note_bounce(
    store: Store, message_pk: int, msg: Message, raw: bytes, received_at: datetime
) -> list[BouncedReply]:
    """Mark the replies this message bounces (inside the caller's transaction); never raises."""
    try:
        report = read_bounce(msg, raw)
        if report is None:
            return []
        bounced = find_bounced(store, report, received_at)
    except Exception:  # a strange bounce must not stop recording the message
        log.exception("could not read a delivery report (message %s)", message_pk)
        return []
    for hit in bounced:
        replies.mark_bounced(
            store, hit.reply_id, hit.reason, bounced_at=received_at, bounce_message_pk=message_pk
        )
        log.warning("reply %s bounced: %s", hit.reply_id, hit.reason)
    return bounced
