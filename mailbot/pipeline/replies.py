"""Reply stage: compose the Polish auto-reply for one message (sent later from the outbox).

The reply goes to the sender's address only, From the call's address, threaded with
``In-Reply-To``/``References``, marked ``Auto-Submitted: auto-replied`` (RFC 3834) and stamped
with :data:`~mailbot.pipeline.classify.STAMP_HEADER` (``X-Mailbot-Reply: ref=…; in-reply-to=<…>;
kind=…``, :mod:`mailbot.stamp`): mailbot recognises its own mail coming back, and a restored or
new database finds in the Sent folder which message got which letter and number.
Every header value taken from the incoming message has been reduced to a Message-ID token or an
addr-spec first; the applicant's attachment is never included.

What a letter shows comes from the call's config and its form spec: the fields in form order
with their letter labels, the call's names of the chosen groups, the office's signature, the
limits of the installation.

The From display name is ``call.sender_name`` (``smtp.from_name``), ``Date:`` is in the call's
time zone, quoted-printable lines stay within RFC 2045's 76 characters, and an
internationalised address (``jøran@example.com``) is written as it is, in a message that needs
SMTPUTF8 (:func:`needs_smtputf8`); a domain alone in Unicode goes out in its ASCII (IDNA) form.
"""

from __future__ import annotations

import email.policy
import email.utils
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from typing import Any

import parsers
from mailbot.config import CallConfig, LimitsConfig
from mailbot.mail.mime import set_thread_headers
from mailbot.models import ComposedReply, Envelope, FormRead, Verdict
from mailbot.pipeline.classify import STAMP_HEADER
from mailbot.pipeline.render import render, wrap_line
from mailbot.pipeline.texts import (
    PLURAL_SALUTATION,
    format_value,
    polish_datetime,
    salutation,
    size_text,
)
from mailbot.stamp import fold_stamp, format_stamp

#: problems a letter explains in its own words (not listed again as things to correct): the
#: unread form, and the receipt date of an early or late message (not a thing in the form)
EXPLAINED_IN_LETTER: Mapping[str, frozenset[str]] = {
    "needs_review": frozenset({"form_unreadable", "attachment_refused", "parts_not_read"}),
    "early": frozenset({"early"}),
    "late": frozenset({"late"}),
}
_DEFAULT_LIMITS = LimitsConfig()


@dataclass(frozen=True)
class ReplyInputs:
    envelope: Envelope
    verdict: Verdict
    form: FormRead
    call: CallConfig
    reference: str
    template: str  # a status, or "limit_reached"
    daily_limit: int
    max_attachment_bytes: int = _DEFAULT_LIMITS.max_attachment_bytes
    written_at: datetime | None = None  # when the letter is composed (None: on receipt)
    #: the letter goes to someone who passed the form on, not to the person in it: it greets
    #: "Szanowni Państwo," instead of the applicant by name
    to_someone_else: bool = False


def signature_lines(call: CallConfig) -> list[str]:
    """The signature under "Z poważaniem": the employee, the office, how to reach it."""
    office = call.office
    lines: list[str] = []
    if office is None:
        return [f"Zespół obsługi naboru – {call.short_name}", f"e-mail: {call.address}"]
    if office.person:
        lines.append(office.person)
    if office.position:
        lines.append(office.position)
    if office.unit:
        lines.append(office.unit)
    lines.append(office.name)
    if office.address:
        lines += [x.strip() for x in office.address.split("\n") if x.strip()]
    if office.phone:
        lines.append(f"tel. {office.phone}")
    lines.append(f"e-mail: {call.address}")
    return lines


def corrections_text(call: CallConfig, written_at: datetime) -> str:
    """By when a corrected form is asked for, as a letter written at ``written_at`` says it:
    ``call.corrections_days`` after the letter ("w terminie 7 dni od otrzymania tej
    wiadomości"), else the call's closing time while it is ahead ("najpóźniej 24 maja 2024 r.,
    godz. 23:59"); "" once it has passed (a letter never names a passed deadline)."""
    days = call.corrections_days
    if days:
        return f"w terminie {days} {'dnia' if days == 1 else 'dni'} od otrzymania tej wiadomości"
    if written_at <= call.closes_at:
        return f"najpóźniej {polish_datetime(call.closes_at, call.timezone)}"
    return ""


def call_context(call: CallConfig, written_at: datetime | None = None) -> dict[str, Any]:
    """The call as letters show it; ``written_at`` (default: now) decides whether its closing
    time is still ahead."""
    written_at = written_at or datetime.now(call.timezone)
    return {
        "name": call.name,
        "short_name": call.short_name,
        "address": call.address,
        "opens_at_text": polish_datetime(call.opens_at, call.timezone),
        "closes_at_text": polish_datetime(call.closes_at, call.timezone),
        "groups": [{"number": g.number, "name": g.name} for g in call.groups],
        "signature": signature_lines(call),
        "next_steps": call.next_steps,
        "office_name": call.office.name if call.office else None,
        "form_title": call.form.title,
        "form_url": call.form_url,
        "open": written_at <= call.closes_at,  # applications still accepted when written
        "corrections_text": corrections_text(call, written_at),
    }


def field_rows(fields: Mapping[str, Any], call: CallConfig) -> list[dict[str, str]]:
    """The form's fields in form order, with their letter labels and the call's group names."""
    names = {g.number: g.name for g in call.groups}
    rows = []
    for f in call.form.fields:
        value = fields.get(f.key)
        count = len(value) if isinstance(value, list) else 1
        rows.append(
            {
                "key": f.key,
                "label": f.letter_label(count),
                "value": _wrapped(format_value(f.kind, value, names), f.kind == "choice"),
            }
        )
    return rows


def _wrapped(text: str, hanging: bool, width: int = 66) -> str:
    """Each line wrapped at spaces (never inside a word or an address); a numbered choice
    continues under its text."""
    out: list[str] = []
    for line in text.splitlines() or [""]:
        out += wrap_line(line, width, "   " if hanging else "")
    return "\n".join(out)


def applicant_name(fields: Mapping[str, Any], call: CallConfig) -> Any:
    key = call.form.salutation_from
    return fields.get(key) if key else None


def reply_context(inputs: ReplyInputs) -> dict[str, Any]:
    extraction = inputs.form.extraction
    form_read = extraction is not None and extraction.readable
    fields: Mapping[str, Any] = extraction.fields if form_read and extraction else {}
    unreadable = reason = None
    if not form_read and inputs.form.tried:
        reason = inputs.form.tried[0][1].reason or "corrupt"
        unreadable = parsers.REASON_TEXT_PL.get(reason, parsers.REASON_TEXT_PL.get("corrupt"))
    elif inputs.form.refused:
        reason = "too_large"
        unreadable = "załącznik przekracza dopuszczalny rozmiar"
    attachment = inputs.form.chosen or (inputs.form.tried[0][0] if inputs.form.tried else None)
    explained = EXPLAINED_IN_LETTER.get(inputs.template, frozenset())
    problems = [
        {"code": p.code, "message": p.message, "fix": p.fix}
        for p in inputs.verdict.problems
        if p.code not in explained
    ]
    return {
        "call": call_context(inputs.call, inputs.written_at or inputs.envelope.received_at),
        "status": inputs.template,
        "salutation": (
            PLURAL_SALUTATION
            if inputs.to_someone_else
            else salutation(applicant_name(fields, inputs.call))
        ),
        "received_at_text": polish_datetime(inputs.envelope.received_at, inputs.call.timezone),
        "original_subject": inputs.envelope.subject,
        "attachment_name": attachment.filename if attachment else None,
        "form_read": form_read,
        "fields": field_rows(fields, inputs.call) if form_read else [],
        "problems": problems,
        "unreadable_reason": reason,
        "unreadable_reason_text": unreadable,
        "reference": inputs.reference,
        "daily_limit": inputs.daily_limit,
        "max_attachment_text": size_text(inputs.max_attachment_bytes),
    }


#: headers whose value is the same in every letter of a pass (the call's From, the marks of an
#: automatic reply, the MIME headers of a plain-text body)
REPEATED_HEADERS = frozenset(
    {
        "from",
        "auto-submitted",
        "x-auto-response-suppress",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)
#: distinct repeated header values remembered per policy (a handful in practice)
MAX_REPEATED = 256

#: header values of each letter that the standard library would parse and write back exactly
#: as they are, on one line, when the line fits: each name with the shape of value that is
#: written unchanged — an unstructured text of printable ASCII words with single spaces and no
#: RFC 2047 look-alike ("=?"), a plain addr-spec, mailbot's own Message-ID, an RFC 5322 date
_WORDS = r"[!-~]+(?: [!-~]+)*"
_DOT_ATOM = r"[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
_DOMAIN = r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*"
PLAIN_SHAPES: Mapping[str, re.Pattern[str]] = {
    "subject": re.compile(_WORDS),
    "to": re.compile(f"{_DOT_ATOM}@{_DOMAIN}"),
    "message-id": re.compile(f"<{_DOT_ATOM}@{_DOMAIN}>"),
    "date": re.compile(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}"),
}


class _WrittenHeader(str):
    """A header value mailbot writes itself, with the header's name (the standard policy's
    ``header_factory`` gives the same pair), folded by the subclass's own ``fold``."""

    name: str

    def __new__(cls, name: str, value: str) -> _WrittenHeader:
        header = super().__new__(cls, value)
        header.name = name
        return header


class PlainHeader(_WrittenHeader):
    """A header value of one of :data:`PLAIN_SHAPES`: written ``Name: value`` when the line
    fits the policy's length — what the standard parser and folder give for such a value —,
    else handed to them (a long line is folded as they fold it)."""

    def fold(self, *, policy: Any) -> str:
        line = f"{self.name}: {self}"
        if len(line) <= (policy.max_line_length or len(line)):
            return line + str(policy.linesep)
        return str(policy.header_factory(self.name, str(self)).fold(policy=policy))


class StampValue(_WrittenHeader):
    """The ``X-Mailbot-Reply`` value as :func:`~mailbot.stamp.format_stamp` writes it (ASCII
    tokens): kept as it is, folded at "; " by :func:`~mailbot.stamp.fold_stamp`."""

    def fold(self, *, policy: Any) -> str:
        width = policy.max_line_length or 78
        return fold_stamp(self.name, str(self), str(policy.linesep), width).decode("ascii")


def plain_header(name: str, value: object) -> PlainHeader | StampValue | None:
    """``value`` as a :class:`PlainHeader` (a :class:`StampValue` for the stamp) when it has its
    header's plain shape and no RFC 2047 look-alike, else None."""
    if not isinstance(value, str) or "=?" in value:
        return None
    key = name.lower()
    if key == STAMP_HEADER.lower():
        return StampValue(name, value) if PLAIN_SHAPES["subject"].fullmatch(value) else None
    shape = PLAIN_SHAPES.get(key)
    return PlainHeader(name, value) if shape is not None and shape.fullmatch(value) else None


class HeaderClasses(HeaderRegistry):
    """The standard header registry, except that it makes the class of each header name once
    (the standard one makes a new class for every header it parses)."""

    def __init__(self) -> None:
        super().__init__()
        self._made: dict[str, type[BaseHeader]] = {}

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = super().__getitem__(name)
        return made


class LetterPolicy(EmailPolicy):
    """An ``EmailPolicy`` that parses and folds each of :data:`REPEATED_HEADERS` once per value,
    not once per letter: the standard library's header parser and folder are most of the cost
    of composing a letter, and these headers come out byte for byte the same every time."""

    def header_store_parse(self, name: str, value: Any) -> tuple[str, Any]:
        plain = plain_header(name, value) if type(value) is str else None
        if plain is not None:
            return name, plain
        if not isinstance(value, str) or name.lower() not in REPEATED_HEADERS:
            return super().header_store_parse(name, value)  # type: ignore[no-any-return]
        parsed, folds = _REPEATED.setdefault(self._folding(), ({}, {}))
        header = parsed.get((name, value))
        if header is None:
            if len(parsed) >= MAX_REPEATED:
                parsed.clear()
                folds.clear()
            header = super().header_store_parse(name, value)[1]
            parsed[(name, value)] = header
            folds[id(header)] = (header, super().fold_binary(name, header))
        return name, header

    def fold_binary(self, name: str, value: Any) -> bytes:
        if name.lower() == STAMP_HEADER.lower():  # ASCII, folded at "; ", never RFC 2047
            return fold_stamp(name, str(value), self.linesep, self.max_line_length or 78)
        memo = _REPEATED.get(self._folding())
        known = memo[1].get(id(value)) if memo is not None else None
        if known is not None and known[0] is value:  # one of the headers parsed above
            return known[1]
        return super().fold_binary(name, value)  # type: ignore[no-any-return]

    def _folding(self) -> tuple[object, ...]:
        """The settings a folded header depends on (a clone with other settings folds anew)."""
        return (self.max_line_length, self.linesep, self.utf8, self.cte_type, self.refold_source)


#: per folding settings: (name, value) -> its header object, and
#: id(header object) -> (that object, its folded bytes)
_REPEATED: dict[
    tuple[object, ...], tuple[dict[tuple[str, str], BaseHeader], dict[int, tuple[Any, bytes]]]
] = {}

#: RFC 2045: encoded lines of at most 76 characters (the standard library's default is 78)
REPLY_POLICY = LetterPolicy(header_factory=HeaderClasses(), linesep="\r\n", max_line_length=76)
#: the same for a message to an internationalised address: headers in raw UTF-8 (RFC 6532)
REPLY_POLICY_UTF8 = LetterPolicy(
    header_factory=HeaderClasses(), linesep="\r\n", utf8=True, max_line_length=76
)


def _domain(address: str) -> str:
    return address.rsplit("@", 1)[-1] or "mailbot.invalid"


def needs_smtputf8(address: str) -> bool:
    return not address.isascii()


def deliverable_address(address: str) -> str:
    """The address as it goes on the wire: a Unicode domain in its IDNA form, a Unicode local
    part untouched (it needs SMTPUTF8); never altered in any other way."""
    local, _, domain = address.rpartition("@")
    if domain.isascii():
        return address
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        return address  # left for SMTPUTF8
    return f"{local}@{ascii_domain}"


def reply_date(call: CallConfig) -> str:
    return email.utils.format_datetime(datetime.now(call.timezone))


def build_letter(
    call: CallConfig,
    to: str,
    subject: str,
    body: str,
    *,
    kind: str,
    reference: str | None = None,
    in_reply_to: str | None = None,
    thread: tuple[str | None, Sequence[str]] | None = None,
    automatic: str | None = None,
    html: str | None = None,
    id_prefix: str = "mailbot",
) -> tuple[EmailMessage, str]:
    """Every letter mailbot writes (replies, notices, answers, the digest): (the message, its
    Message-ID). From the call's address with its From name, ``Date:`` in the call's time
    zone, threaded under ``thread`` (the Message-ID answered, the References before it) when
    given, ``Auto-Submitted: automatic`` when the letter is automatic (``auto-replied``: a
    reply, which also asks Exchange not to answer it), stamped ``X-Mailbot-Reply`` with its
    kind (:func:`mailbot.stamp.format_stamp`: with the reference and the Message-ID answered
    when given), the text quoted-printable (and the HTML beside it, when given)."""
    msg = EmailMessage(policy=REPLY_POLICY_UTF8 if needs_smtputf8(to) else REPLY_POLICY)
    message_id = f"<{id_prefix}.{uuid.uuid4().hex}@{_domain(call.address)}>"
    msg["From"] = email.utils.formataddr((call.sender_name, call.address))
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = reply_date(call)
    msg["Message-ID"] = message_id
    if thread is not None:
        set_thread_headers(msg, thread[0], list(thread[1]))
    if automatic:
        msg["Auto-Submitted"] = automatic
    if automatic == "auto-replied":
        msg["X-Auto-Response-Suppress"] = "All"
    msg[STAMP_HEADER] = format_stamp(kind, reference, in_reply_to)
    msg.set_content(body, charset="utf-8", cte="quoted-printable")
    if html is not None:
        msg.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg, message_id


_NEWLINE = re.compile(r"\r\n|\r|\n")


def letter_bytes(msg: EmailMessage) -> bytes:
    """``msg.as_bytes()``, written directly for a one-part letter with an ASCII body (a
    quoted-printable text: every reply): each header as the policy folds it, an empty line,
    the body with the policy's line ends — what the standard generator writes, without its
    line-by-line writing. Anything else goes through the standard generator."""
    payload = getattr(msg, "_payload", None)  # as the standard generator reads it
    if (
        msg.is_multipart()
        or type(payload) is not str
        or not payload.isascii()
        or msg.get_content_maintype() != "text"
    ):
        return msg.as_bytes()
    policy = msg.policy
    linesep = str(policy.linesep)
    head = b"".join(policy.fold_binary(name, value) for name, value in msg.raw_items())
    return head + linesep.encode("ascii") + linesep.join(_NEWLINE.split(payload)).encode("ascii")


def compose_reply(inputs: ReplyInputs) -> ComposedReply | None:
    """Build the reply, or None when there is nobody to answer (no usable sender address)."""
    sender = inputs.envelope.sender
    if not sender:
        return None
    to = deliverable_address(sender)
    subject, body = render(
        f"reply/{inputs.template}.txt.j2", reply_context(inputs), inputs.call.templates_dir
    )
    original = inputs.envelope.message_id
    msg, message_id = build_letter(
        inputs.call,
        to,
        subject,
        body,
        kind=inputs.template,
        reference=inputs.reference,
        in_reply_to=original,
        thread=None
        if original.endswith("@mailbot.invalid>")
        else (original, inputs.envelope.references),
        automatic="auto-replied",
    )
    return ComposedReply(
        template=inputs.template,
        to=to,
        subject=subject,
        message_id=message_id,
        raw=letter_bytes(msg),
    )
