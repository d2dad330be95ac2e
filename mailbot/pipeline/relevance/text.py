"""A message's own text, as the relevance rules read it.

:func:`body_text` takes the text part (plain preferred, else the HTML flattened), :func:`own_text`
cuts away quoted earlier mail (so quoting mailbot's own letter never makes a message relevant),
:func:`normalise` folds case, Polish diacritics and spacing.
"""

from __future__ import annotations

import html
import re
from email.message import Message

from mailbot.pipeline.texts import normalise as normalise

EXCERPT_LINES = 4
EXCERPT_CHARS = 400
MAX_TEXT_CHARS = 20_000

#: where quoted earlier mail begins in a reply
QUOTE_STARTS = tuple(
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"^-{2,}\s*(?:original message|oryginalna wiadomo|wiadomo\w+ oryginalna|forwarded message|"
        r"wiadomo\w+ przekazana|tre\w+ przekazanej)",
        r"^\s*(?:w dniu|dnia)\s.{0,200}(?:napisa\w*|pisze)\s*:?\s*$",
        r"^\s*on\s.{0,200}wrote:\s*$",
        r"^\s*(?:od|from):\s.+\n(?:.*\n){0,3}?\s*(?:wys\w*|sent|date|data):\s",
        r"^_{10,}\s*$",
    )
)


def _decode(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken part has no text to read
        return ""
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "windows-1250"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def html_text(markup: str) -> str:
    """HTML as text: scripts, styles and quoted mail (``blockquote``) dropped."""
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<blockquote\b.*", " ", markup, flags=re.S)  # quoted mail
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>|</li>|</h\d>|</tr>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def body_text(msg: Message) -> str:
    """The message's own text part (plain preferred, else HTML as text); '' if none."""
    plain, markup = None, None
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if disposition == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _decode(part)
        elif ctype == "text/html" and markup is None:
            markup = _decode(part)
        if part.get_content_type() == "message/rfc822":
            break
    text = plain if plain and plain.strip() else html_text(markup or "")
    return mime_text(text[:MAX_TEXT_CHARS])


def mime_text(text: str) -> str:
    """Text safe to keep and show: no NULs or other control characters but line ends."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def own_text(text: str) -> str:
    """The sender's own words: quoted lines and the quoted earlier message cut away."""
    cut = len(text)
    for pattern in QUOTE_STARTS:
        found = pattern.search(text)
        if found:
            cut = min(cut, found.start())
    lines = [line for line in text[:cut].splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def excerpt(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:EXCERPT_LINES])[:EXCERPT_CHARS]
