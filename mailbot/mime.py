"""Reading e-mail as it really arrives: lenient parsing, decoded headers, every attached file.

Messages are parsed with the forgiving ``compat32`` policy (it records defects instead of
raising), and every header value mailbot uses goes through :func:`header_text`, which decodes
RFC 2047 words, survives unknown charsets and raw 8-bit bytes, and removes CR/LF and other
control characters so nothing taken from a message can become a header of a reply.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.header
import email.parser
import email.utils
import hashlib
import quopri
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message

from tnefparse.tnef import TNEF

import parsers

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")
_ADDR = re.compile(r"^[^\s@<>()\[\],;:\"]+@[A-Za-z0-9.\-\[\]:]+$")
_MSGID = re.compile(r"<[^<>\s\"]{1,250}>")

#: attachment kinds that may hold the application form (decided by the bytes)
FORM_KINDS = frozenset({"docx", "odt", "pdf", "doc", "rtf", "image"})
#: how an Outlook winmail.dat (TNEF) begins; the form may be inside it
TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
#: smaller pictures are logos and icons of a signature, not a photographed form
MIN_PICTURE_BYTES = 10 * 1024


def parse_message(raw: bytes, *, headers_only: bool = False) -> Message:
    """Parse bytes into a message; never raises on malformed input."""
    if headers_only:
        return email.parser.BytesHeaderParser().parsebytes(raw)
    return email.message_from_bytes(raw)


def one_line(text: str, limit: int = 300) -> str:
    """Fold whitespace and strip control characters: safe for a header or a log line."""
    return _CONTROL.sub(" ", text).strip()[:limit]


def _decode_chunk(chunk: bytes | str, charset: str | None) -> str:
    if isinstance(chunk, str):
        return chunk
    for cs in (charset, "utf-8", "windows-1250", "latin-1"):
        if not cs:
            continue
        try:
            return chunk.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return chunk.decode("latin-1")


def decode_words(value: object) -> str:
    """Decode RFC 2047 encoded words (and raw 8-bit) in a header value, leniently."""
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    text = str(value)
    if any("\udc80" <= c <= "\udcff" for c in text):
        # raw 8-bit bytes smuggled in as surrogates by the parser
        raw = text.encode("utf-8", "surrogateescape")
        text = _decode_chunk(raw, None)
    if "=?" not in text:
        return text
    return _decode_encoded_words(text)


_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")


def _decode_encoded_words(text: str) -> str:
    """RFC 2047: whitespace between two encoded words is dropped; any other text, including
    the (unfolded) whitespace between an encoded word and a plain one, is kept as written
    (``email.header.decode_header`` loses that space: "DKRES –potwierdzenie")."""
    text = re.sub(r"\r?\n(?=[ \t])", "", text)
    out: list[str] = []
    pos = 0
    previous_encoded = False
    for match in _ENCODED_WORD.finditer(text):
        between = text[pos:match.start()]
        if between and not (previous_encoded and between.isspace()):
            out.append(between)
        charset, encoding, payload = match.groups()
        try:
            if encoding in "Qq":
                raw = quopri.decodestring(payload.replace("_", " ").encode("ascii"),
                                          header=False)
            else:
                raw = base64.b64decode(payload + "=" * (-len(payload) % 4))
        except (ValueError, binascii.Error, UnicodeEncodeError):
            out.append(match.group(0))
        else:
            out.append(_decode_chunk(raw, charset.split("*", 1)[0]))
        pos = match.end()
        previous_encoded = True
    out.append(text[pos:])
    return "".join(out)


def header_text(msg: Message, name: str, limit: int = 300) -> str:
    """The first value of a header, decoded and made single-line ("" when absent)."""
    try:
        value = msg.get(name)
    except Exception:  # noqa: BLE001
        return ""
    return one_line(decode_words(value), limit)


def header_values(msg: Message, name: str) -> list[str]:
    try:
        values = msg.get_all(name) or []
    except Exception:  # noqa: BLE001
        return []
    return [one_line(decode_words(v), 2000) for v in values]


def clean_address(text: str) -> str | None:
    """The addr-spec of a mailbox header, or None when there is no usable address."""
    try:
        pairs = email.utils.getaddresses([text])
    except Exception:  # noqa: BLE001
        return None
    for _name, addr in pairs:
        addr = one_line(addr, 254)
        if _ADDR.match(addr):
            return addr
    return None


def sender_address(msg: Message) -> str | None:
    """The From address, parsed from the raw header before any decoding.

    Decoding RFC 2047 words first would let a display name such as
    ``=?utf-8?q?victim=40example.org?= <sender@x>`` pose as the address.
    """
    try:
        value = msg.get("From")
    except Exception:  # noqa: BLE001
        return None
    if value is None:
        return None
    return clean_address(one_line(str(value), 1000))


def message_ids(text: str) -> list[str]:
    """Message-IDs found in a header value (``<...>`` tokens only; nothing else survives)."""
    return _MSGID.findall(text)


def _date(text: str) -> datetime | None:
    try:
        dt = email.utils.parsedate_to_datetime(text.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if dt is None or dt.tzinfo is None:
        return None
    if not 1990 <= dt.year <= 2200:
        return None
    return dt.astimezone(UTC)


def receipt_time_from_headers(msg: Message) -> tuple[datetime | None, str]:
    """When a stored message was received: the newest ``Received:`` date, else ``Date:``."""
    stamps = []
    for value in header_values(msg, "Received"):
        if ";" in value:
            dt = _date(value.rsplit(";", 1)[1])
            if dt:
                stamps.append(dt)
    if stamps:
        return max(stamps), "received_header"
    dt = _date(header_text(msg, "Date"))
    if dt:
        return dt, "date_header"
    return None, "none"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class AttachedFile:
    """One file found in a message's MIME tree."""

    part: str  # position in the tree, e.g. "2" or "3.1.2" (inside a forwarded message)
    filename: str | None
    declared_type: str
    kind: str  # decided by the bytes (parsers.sniff)
    data: bytes
    sha256: str
    refused: str | None = None  # why it was not read (too large), or None

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def may_be_form(self) -> bool:
        if self.kind == "image" and self.size < MIN_PICTURE_BYTES:
            return False
        return self.refused is None and self.kind in FORM_KINDS


@dataclass(frozen=True)
class TreeWalk:
    files: tuple[AttachedFile, ...]
    truncated: str | None  # why the walk stopped early (too many parts, too deep), or None


def tnef_files(data: bytes) -> list[tuple[str | None, bytes]]:
    """The files inside an Outlook ``winmail.dat`` (TNEF), as (name, bytes); [] if unreadable."""
    try:
        tnef = TNEF(data)
        return [(one_line(a.long_filename() or "", 200) or None, bytes(a.data))
                for a in tnef.attachments if a.data]
    except Exception:  # noqa: BLE001 - a broken winmail.dat is just an unreadable attachment
        return []


def _filename(part: Message) -> str | None:
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001
        name = None
    if not name:
        try:
            name = part.get_param("name")
        except Exception:  # noqa: BLE001
            name = None
        if isinstance(name, tuple):  # RFC 2231 triple
            name = email.utils.collapse_rfc2231_value(name)
    if not name:
        return None
    return one_line(decode_words(name), 200) or None


def _is_body_text(part: Message, filename: str | None) -> bool:
    if filename:
        return False
    ctype = part.get_content_type()
    disposition = (part.get("Content-Disposition") or "").split(";")[0].strip().lower()
    return ctype.startswith("text/") and disposition != "attachment"


def walk_files(msg: Message, *, max_parts: int, max_depth: int,
               max_bytes: int) -> TreeWalk:
    """Every attached file in the whole MIME tree, forwarded messages included.

    Files marked inline or sent as ``application/octet-stream`` count; the kind is decided by
    the bytes. Limits stop the walk with a reason instead of exhausting memory.
    """
    files: list[AttachedFile] = []
    count = 0
    truncated: str | None = None

    def visit(part: Message, path: str, depth: int) -> None:
        nonlocal count, truncated
        count += 1
        if count > max_parts:
            truncated = truncated or f"more than {max_parts} MIME parts"
            return
        if depth > max_depth:
            truncated = truncated or f"MIME nesting deeper than {max_depth}"
            return
        payload = part.get_payload()
        if isinstance(payload, list):
            for i, sub in enumerate(payload, 1):
                if isinstance(sub, Message):
                    visit(sub, f"{path}.{i}" if path else str(i), depth + 1)
            return
        filename = _filename(part)
        if _is_body_text(part, filename):
            return
        try:
            data = part.get_payload(decode=True) or b""
        except Exception:  # noqa: BLE001
            data = b""
        if not data:
            return
        add(path or "1", filename, part.get_content_type(), data)
        if data.startswith(TNEF_SIGNATURE) and len(data) <= max_bytes:
            for i, (inner_name, inner) in enumerate(tnef_files(data), 1):
                count += 1  # files packed in a winmail.dat count as parts
                if count > max_parts:
                    truncated = truncated or f"more than {max_parts} MIME parts"
                    return
                add(f"{path or '1'}.tnef{i}", inner_name, "application/octet-stream", inner)

    def add(path: str, filename: str | None, declared: str, data: bytes) -> None:
        refused = "too_large" if len(data) > max_bytes else None
        files.append(AttachedFile(
            part=path,
            filename=filename,
            declared_type=declared,
            kind="unknown" if refused else parsers.sniff(data),
            data=b"" if refused else data,
            sha256=sha256(data),
            refused=refused,
        ))

    visit(msg, "", 0)
    return TreeWalk(files=tuple(files), truncated=truncated)
