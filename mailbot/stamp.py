"""The ``X-Mailbot-Reply`` header: what identifies a letter mailbot sent.

Every automatic letter carries the application's reference number, the Message-ID of the
message it answers and the kind of letter (the template)::

    X-Mailbot-Reply: ref=DKRES-2024-0007; in-reply-to=<CAK…@mail.gmail.com>; kind=accepted

ASCII only, nothing the letter does not carry already. The mailbox's Sent folder then holds
mailbot's memory of what it answered: a restored or new database reads it back
(:mod:`mailbot.ops.resync`). Letters written by people in the workspace (notices, answers) and
the digest carry the bare kind (``X-Mailbot-Reply: answer``), as every letter did before; for
those the reference and the message answered are read from the subject and ``In-Reply-To``.
Seeing the header on incoming mail means a loop (:mod:`mailbot.pipeline.classify`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER = "X-Mailbot-Reply"
#: the longest Message-ID written into the header (longer ones are left out: ``In-Reply-To``
#: carries them)
MAX_ID = 250
_TOKEN = re.compile(r"[A-Za-z0-9._-]{1,64}")
#: a Message-ID of printable ASCII without ';' (and so without spaces)
_MESSAGE_ID = re.compile("<[!-:<-~]{1," + str(MAX_ID - 2) + "}>")


@dataclass(frozen=True)
class Stamp:
    """What a letter's ``X-Mailbot-Reply`` says."""

    kind: str
    reference: str | None = None
    in_reply_to: str | None = None


def format_stamp(kind: str, reference: str | None = None, in_reply_to: str | None = None) -> str:
    """The header's value; a part that is not plain ASCII of the expected shape is left out."""
    parts = []
    if reference and _TOKEN.fullmatch(reference):
        parts.append(f"ref={reference}")
    if in_reply_to and _MESSAGE_ID.fullmatch(in_reply_to):
        parts.append(f"in-reply-to={in_reply_to}")
    if not _TOKEN.fullmatch(kind):
        raise ValueError(f"a letter's kind must be a plain word, not {kind!r}")
    if not parts:
        return kind
    return "; ".join([*parts, f"kind={kind}"])


def parse_stamp(value: str) -> Stamp | None:
    """The parts of a header value (folded or not); None when it is not mailbot's."""
    text = " ".join(value.split())
    if not text:
        return None
    if "=" not in text:
        return Stamp(kind=text) if _TOKEN.fullmatch(text) else None
    found: dict[str, str] = {}
    for part in text.split(";"):
        name, equals, item = part.strip().partition("=")
        if equals:
            found[name.strip().lower()] = item.strip()
    kind = found.get("kind", "")
    if not _TOKEN.fullmatch(kind):
        return None
    reference = found.get("ref")
    in_reply_to = found.get("in-reply-to")
    return Stamp(
        kind=kind,
        reference=reference if reference and _TOKEN.fullmatch(reference) else None,
        in_reply_to=in_reply_to if in_reply_to and _MESSAGE_ID.fullmatch(in_reply_to) else None,
    )


def kind_of(value: str | None) -> str | None:
    """The kind of letter a header value names (``accepted``, ``digest`` …), or None."""
    stamp = parse_stamp(value) if value else None
    return stamp.kind if stamp else None


def fold_stamp(name: str, value: str, linesep: str = "\r\n", width: int = 76) -> bytes:
    """``Name: value`` folded at ``; `` only: the value is ASCII and is never RFC 2047-encoded
    (the standard library encodes a long unstructured word, which no reader would parse)."""
    lines: list[str] = []
    line = f"{name}:"
    for i, part in enumerate(value.split("; ")):
        piece = part + (";" if i < len(value.split("; ")) - 1 else "")
        if len(line) + 1 + len(piece) > width and line.strip() != f"{name}:":
            lines.append(line)
            line = " " + piece
        else:
            line += " " + piece
    lines.append(line)
    return (linesep.join(lines) + linesep).encode("ascii")
