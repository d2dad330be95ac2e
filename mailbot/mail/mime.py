"""Reading e-mail as it really arrives: lenient parsing, decoded headers, every attached file.

Messages are parsed with the forgiving ``compat32`` policy (it records defects instead of
raising), and every header value mailbot uses goes through :func:`header_text`, which decodes
RFC 2047 words, survives unknown charsets and raw 8-bit bytes, and removes CR/LF and other
control characters so nothing taken from a message can become a header of a reply.

Raw 8-bit header bytes (``Subject: Pytanie o nabór`` sent as UTF-8 by swaks or a webmail, a
file name in windows-1250) are decoded when a header is read — UTF-8 first, then the
message's own charset, then windows-1250 and ISO-8859-2 — before the standard library could
replace them with U+FFFD (:class:`EightBitHeaders`).
"""

from __future__ import annotations

import email
import email.header
import email.parser
import email.policy
import email.utils
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email._policybase import Compat32
from email.message import Message
from functools import lru_cache
from typing import Any

from tnefparse.tnef import TNEF

import parsers

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_ADDR = re.compile(r"^[^\s@<>()\[\],;:\"]+@[A-Za-z0-9.\-\[\]:]+$")
_MSGID = re.compile(r"<[^<>\s\"]{1,250}>")

_UNSTRUCTURED = email.policy.default.header_factory

#: attachment kinds that may hold the application form (decided by the bytes)
FORM_KINDS = frozenset({"docx", "odt", "pdf", "doc", "rtf", "image"})
#: how an Outlook winmail.dat (TNEF) begins; the form may be inside it
TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"
#: smaller pictures are logos and icons of a signature, not a photographed form
MIN_PICTURE_BYTES = 10 * 1024


#: how raw 8-bit header bytes are tried when the message does not name a better charset
EIGHT_BIT_CHARSETS = ("utf-8", "windows-1250", "iso-8859-2")


#: what Dovecot makes of a NUL byte in a header (RFC 3501 forbids NUL; it sends 0x80 instead)
_DOVECOT_NUL = b"\x80"


def _utf8_but_stray_nuls(data: bytes) -> str | None:
    """The bytes as UTF-8 when the only bytes that are not UTF-8 are stray 0x80 — a NUL the
    IMAP server replaced — which are dropped; else None. (A lone 0x80 is never UTF-8; decoding
    the whole header as windows-1250 for it would garble every Polish letter.)"""
    if _DOVECOT_NUL not in data:
        return None
    text = data.decode("utf-8", "surrogateescape")
    if not _has_surrogates(text) or set(_SURROGATE.findall(text)) != {"\udc80"}:
        return None
    return text.replace("\udc80", "")


def decode_8bit(data: bytes, charsets: tuple[str, ...] = EIGHT_BIT_CHARSETS) -> str:
    """Bytes of a header sent unencoded: the first charset that decodes them all (a stray 0x80
    in otherwise UTF-8 or ASCII text is a NUL the server replaced, and is dropped)."""
    utf8 = _utf8_but_stray_nuls(data)
    if utf8 is not None:
        return utf8
    for cs in charsets:
        try:
            return data.decode(cs)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("iso-8859-2")  # every byte is a character: never fails


#: a raw 8-bit byte kept by the parser as a surrogate escape (U+DC80-U+DCFF)
_SURROGATE = re.compile("[\udc80-\udcff]")


def _has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


class EightBitHeaders(Compat32):
    """``compat32``, except that a header holding raw 8-bit bytes is decoded, not mangled.

    The parser keeps such bytes as surrogate escapes; ``compat32`` would then hand out a
    ``Header`` whose text has U+FFFD in their place, and file names and subjects would be lost.
    """

    eight_bit_charsets: tuple[str, ...] = EIGHT_BIT_CHARSETS

    def header_fetch_parse(self, name: str, value: str) -> str:  # type: ignore[override]
        if type(value) is str and value.isascii():  # no raw 8-bit: compat32 returns it as is
            return value
        if isinstance(value, str) and _has_surrogates(value):
            return decode_8bit(value.encode("ascii", "surrogateescape"), self.eight_bit_charsets)
        return super().header_fetch_parse(name, value)  # type: ignore[return-value]


EIGHT_BIT_HEADERS = EightBitHeaders()


def _own_charset(msg: Message) -> str | None:
    """The charset the message declares for its text (top level, else its first text part)."""
    for part in [msg, *(msg.get_payload() if msg.is_multipart() else [])][:20]:
        if not isinstance(part, Message):
            continue
        try:
            charset = part.get_content_charset()
        except Exception:  # noqa: BLE001
            charset = None
        if charset and charset.lower() not in ("us-ascii", "ascii", "utf-8", "utf8"):
            return charset
    return None


def _prefer_own_charset(msg: Message) -> None:
    charset = _own_charset(msg)
    if not charset:
        return
    try:
        "".encode(charset)
    except LookupError:
        return
    policy = EIGHT_BIT_HEADERS.clone(  # type: ignore[call-arg] # a field of EightBitHeaders
        eight_bit_charsets=("utf-8", charset, *EIGHT_BIT_CHARSETS[1:])
    )
    try:
        for part in msg.walk():
            part.policy = policy
    except Exception:  # noqa: BLE001 - a broken tree keeps the default order
        return


def parse_message(raw: bytes, *, headers_only: bool = False) -> Message:
    """Parse bytes into a message; never raises on malformed input."""
    if headers_only:
        msg = email.parser.BytesHeaderParser(policy=EIGHT_BIT_HEADERS).parsebytes(raw)
    else:
        msg = email.message_from_bytes(raw, policy=EIGHT_BIT_HEADERS)
    _prefer_own_charset(msg)
    return msg


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


_FOLD = re.compile(r"\r?\n(?=[ \t])")
#: how much of a header with encoded words is decoded
MAX_ENCODED_HEADER = 4000


def decode_words(value: object) -> str:
    """Decode RFC 2047 encoded words (and raw 8-bit) in a header value, leniently.

    The value is unfolded first (RFC 5322: a line break before white space is removed, the
    white space kept), then read as an unstructured header: white space between an encoded
    word and plain text stays ("DKRES – potwierdzenie"), white space between two encoded words
    goes (a word split over two encoded words comes back whole).
    """
    if value is None:
        return ""
    if isinstance(value, email.header.Header):
        value = str(value)
    return _decoded_text(str(value))


#: distinct header values whose decoding is remembered (a pure function of the text; a
#: backlog repeats its senders' names and subjects)
DECODE_CACHE_SIZE = 4096


@lru_cache(maxsize=DECODE_CACHE_SIZE)
def _decoded_text(text: str) -> str:
    if _has_surrogates(text):
        # raw 8-bit bytes smuggled in as surrogates by the parser
        text = decode_8bit(text.encode("ascii", "surrogateescape"))
    if "=?" not in text:
        return text
    text = _FOLD.sub("", text)
    if len(text) > MAX_ENCODED_HEADER:
        # nobody reads further (callers keep at most 2,000 characters), and the standard
        # library's header parser needs about 2 KB of memory per character
        text = text[:MAX_ENCODED_HEADER].rsplit(" ", 1)[0]
    try:
        return str(_UNSTRUCTURED("subject", text))
    except Exception:  # noqa: BLE001 - fall back to the older, cruder decoder
        pass
    try:
        parts = email.header.decode_header(text)
    except Exception:  # noqa: BLE001
        return text
    return "".join(_decode_chunk(chunk, cs) for chunk, cs in parts)


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


@lru_cache(maxsize=DECODE_CACHE_SIZE)
def clean_address(text: str) -> str | None:
    """The addr-spec of a mailbox header, or None when there is no usable address (remembered
    per distinct text: a pure function of it)."""
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


def sender_display_name(msg: Message) -> str | None:
    """The From header's display name, decoded ("Sekretariat Caritas"), or None. For words
    only (a greeting), never for an address: see :func:`sender_address`."""
    try:
        pairs = email.utils.getaddresses([header_text(msg, "From", 1000)])
    except Exception:  # noqa: BLE001
        return None
    name = pairs[0][0].strip() if pairs else ""
    return name or None


def message_ids(text: str) -> list[str]:
    """Message-IDs found in a header value (``<...>`` tokens only; nothing else survives)."""
    return _MSGID.findall(text)


#: a message-id a header mailbot writes may carry: printable ASCII only (RFC 5322 msg-id)
_ASCII_MSGID = re.compile(r"<[!-;=?-~]{1,250}>")


def ascii_message_ids(ids: Iterable[str]) -> list[str]:
    """The message-ids that can be copied into a header as they are (printable ASCII, no
    space, no raw 8-bit, no NUL), each once, in order."""
    out: list[str] = []
    for i in ids:
        if _ASCII_MSGID.fullmatch(i) and i not in out:
            out.append(i)
    return out


class MessageIdHeader(str):
    """In-Reply-To or References as mailbot writes them: ASCII message-ids, folded only between
    ids and never RFC 2047-encoded (the standard folder encodes an id longer than a line —
    Outlook's are — and threading then breaks). Assign it as a header value:
    ``msg["References"] = MessageIdHeader("References", ids)``."""

    name: str
    ids: tuple[str, ...]

    def __new__(cls, name: str, ids: Iterable[str]) -> MessageIdHeader:
        kept = tuple(ascii_message_ids(ids))
        header = super().__new__(cls, " ".join(kept))
        header.name = name
        header.ids = kept
        return header

    def fold(self, *, policy: Any) -> str:
        limit = policy.max_line_length or 78
        lines = [f"{self.name}:"]
        for i in self.ids:
            if len(lines[-1]) + 1 + len(i) > limit and lines[-1] != f"{self.name}:":
                lines.append("")
            lines[-1] += " " + i
        return str(policy.linesep).join(lines) + str(policy.linesep)


def set_thread_headers(msg: Message, original: str | None, references: Iterable[str]) -> None:
    """Thread a letter under ``original``: In-Reply-To and References (the last ten earlier
    references, then the original), ASCII message-ids only; nothing when the original cannot
    be written as it is."""
    if not original or not ascii_message_ids([original]):
        return
    chain = [i for i in ascii_message_ids(references) if i != original][-10:]
    msg["In-Reply-To"] = MessageIdHeader("In-Reply-To", [original])
    msg["References"] = MessageIdHeader("References", [*chain, original])


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
    truncated: str | None  # why the walk stopped early (too many parts, too deep), in Polish


def tnef_files(data: bytes) -> list[tuple[str | None, bytes]]:
    """The files inside an Outlook ``winmail.dat`` (TNEF), as (name, bytes); [] if unreadable."""
    try:
        tnef = TNEF(data)
        return [
            (one_line(a.long_filename() or "", 200) or None, bytes(a.data))
            for a in tnef.attachments
            if a.data
        ]
    except Exception:  # noqa: BLE001 - a broken winmail.dat is just an unreadable attachment
        return []


def _filename(part: Message) -> str | None:
    try:
        name: object = part.get_filename()
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


def _too_many_parts(max_parts: int) -> str:
    return f"ma więcej niż {max_parts} części (załączników i fragmentów treści)"


def walk_files(msg: Message, *, max_parts: int, max_depth: int, max_bytes: int) -> TreeWalk:
    """Every attached file in the whole MIME tree, forwarded messages included.

    Files marked inline or sent as ``application/octet-stream`` count; the kind is decided by
    the bytes. Limits stop the walk with a reason instead of exhausting memory; the reason
    (``truncated``, in Polish) becomes a problem a person sees — the message itself is kept
    whole, so nothing beyond the limit is lost.
    """
    files: list[AttachedFile] = []
    count = 0
    truncated: str | None = None

    def visit(part: Message, path: str, depth: int) -> None:
        nonlocal count, truncated
        count += 1
        if count > max_parts:
            truncated = truncated or _too_many_parts(max_parts)
            return
        if depth > max_depth:
            truncated = truncated or (
                f"ma załączniki zagnieżdżone głębiej niż {max_depth} poziomów"
            )
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
        if not data or not isinstance(data, bytes):
            return
        add(path or "1", filename, part.get_content_type(), data)
        if data.startswith(TNEF_SIGNATURE) and len(data) <= max_bytes:
            for i, (inner_name, inner) in enumerate(tnef_files(data), 1):
                count += 1  # files packed in a winmail.dat count as parts
                if count > max_parts:
                    truncated = truncated or _too_many_parts(max_parts)
                    return
                add(f"{path or '1'}.tnef{i}", inner_name, "application/octet-stream", inner)

    def add(path: str, filename: str | None, declared: str, data: bytes) -> None:
        refused = "too_large" if len(data) > max_bytes else None
        files.append(
            AttachedFile(
                part=path,
                filename=filename,
                declared_type=declared,
                kind="unknown" if refused else parsers.sniff(data),
                data=b"" if refused else data,
                sha256=sha256(data),
                refused=refused,
            )
        )

    visit(msg, "", 0)
    return TreeWalk(files=tuple(files), truncated=truncated)
