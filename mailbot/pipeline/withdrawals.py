"""What a withdrawal message asks: to withdraw the whole application, or to leave some groups.

A rule over the sender's own text (quoted earlier mail cut away, compared without case or
Polish diacritics): :func:`read_withdrawal` says whether the text plainly withdraws — "rezygnuję
z udziału w naborze", "wycofuję swoje zgłoszenie", "proszę o wycofanie mojej kandydatury" —
and, when it names groups ("rezygnuję z grupy 3", "wycofuję się z grup nr 2 i 5", "z grupy
ds. promocji"), which ones. A question, a condition or a negation ("czy mogę zrezygnować?",
"jeśli nie zostanę przyjęta, rezygnuję", "nie rezygnuję") is not plain: nothing is proposed
and a person reads it as any other message. Nothing here changes an application: mailbot only
*proposes* a withdrawal; a person sets it (:mod:`mailbot.ops.withdrawals`).
"""

from __future__ import annotations

import email.policy
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.parser import BytesParser

from mailbot.config import Group
from mailbot.storage.search import fold

#: the words that withdraw
_WITHDRAWS = re.compile(
    r"\b(?:rezygnuj\w*|rezygnacj\w*|zrezygnowa\w*|wycofuj\w*|wycofa\w*|wycofani\w*)\b"
)
#: what is withdrawn: the application, the candidature, the participation, the call, a group
_OBJECT = re.compile(
    r"\b(?:zgloszen\w*|kandydatur\w*|formularz\w*|udzial\w*|uczestnict\w*|nabor\w*|"
    r"aplikacj\w*|grup\w*|czlonkostw\w*)"
)
#: "rezygnuję." / "Rezygnacja" alone: short enough to be nothing but a withdrawal
_ALONE = re.compile(r"^\W*(?:\w+\W+){0,3}(?:rezygnuj\w*|rezygnacj\w*)\W*(?:\w+\W*){0,1}$")
#: words that make it a question, a condition, a negation or a thought, not a withdrawal
_UNSURE = re.compile(
    r"\?|\b(?:czy|jesli|jezeli|gdyby|gdy|ewentualn\w*|moze|mozliw\w*|zastanawiam|rozwazam|"
    r"chyba|nie\s+(?:rezygnuj|wycof|chce\s+(?:rezygnowac|wycofac))\w*)\b"
)
#: "z grupy 3", "z grup nr 2 i 5", "z udziału w pracach grupy roboczej numer 4"
_GROUP_NUMBERS = re.compile(
    r"\bgrup\w*(?:\s+robocz\w*)?\s+(?:(?:nr|numer|o\s+numerze|o\s+numerach)\.?\s*)?"
    r"(\d{1,2}(?:\s*(?:,|i|oraz|a\s+takze)\s*\d{1,2})*)\b"
)
#: where quoted earlier mail begins in a reply
_QUOTE_STARTS = re.compile(
    r"^(?:>|-{2,}\s*(?:original message|oryginalna wiadomo|wiadomo\w* oryginalna|"
    r"forwarded message)|\s*(?:w dniu|dnia)\s.{0,200}(?:napisa\w*|pisze)\s*:?\s*$|"
    r"\s*on\s.{0,200}wrote:\s*$|\s*(?:od|from):\s)",
    re.IGNORECASE,
)
#: the sender's own text read: a withdrawal says it at the start, not on the third page
MAX_CHARS = 4000


@dataclass(frozen=True)
class Withdrawal:
    """A plain withdrawal: of the whole application (``groups`` empty) or of these groups."""

    groups: tuple[int, ...] = ()
    phrase: str = ""  # the words that withdraw, folded (shown to the person deciding)


def plain_text(raw: bytes) -> str:
    """The first plain-text part of a message (else its HTML part without tags), decoded
    leniently: what the sender wrote, read without the full header machinery (the queue reads
    it for every correspondence it shows)."""
    msg = BytesParser(policy=email.policy.compat32).parsebytes(raw)
    html = ""
    for part in msg.walk():
        kind = part.get_content_type()
        if part.is_multipart() or kind not in ("text/plain", "text/html") or part.get_filename():
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes):
            continue
        text = _decoded(data, part.get_content_charset())
        if kind == "text/plain":
            return text
        html = html or re.sub(r"<[^>]+>", " ", text)
    return html


def _decoded(data: bytes, charset: str | None) -> str:
    for candidate in (charset, "utf-8", "windows-1250"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def own_text(text: str) -> str:
    """The sender's own words: up to the first quoted line or quoted message header."""
    lines: list[str] = []
    for line in text.splitlines():
        if _QUOTE_STARTS.match(line):
            break
        lines.append(line)
    return "\n".join(lines)[:MAX_CHARS]


def _withdrawn_part(sentence: str) -> str:
    """From the words that withdraw to the end of their clause ("rezygnuję z grupy 3, zostaję
    w grupie 1" → "rezygnuje z grupy 3"; a list of numbers "1, 3" stays whole)."""
    match = _WITHDRAWS.search(sentence)
    rest = sentence[match.start() :] if match else sentence
    return re.split(r",(?!\s*\d)|\s(?:ale|lecz|natomiast|a)\s", rest, maxsplit=1)[0]


def _groups_named(sentence: str, groups: Sequence[Group]) -> list[int]:
    sentence = _withdrawn_part(sentence)
    found: list[int] = []
    for match in _GROUP_NUMBERS.finditer(sentence):
        found += [int(n) for n in re.findall(r"\d{1,2}", match.group(1))]
    for g in groups:
        # a group named by its title: the first word after "ds." ("z grupy ds. promocji")
        title = fold(g.name)
        after = title.split(" ds. ", 1)[1] if " ds. " in title else ""
        word = after.split(" ", 1)[0].strip(".,;:/")
        if len(word) >= 5 and re.search(rf"\bgrup\w*(?:\s+\w+){{0,2}}\s+ds\.?\s+{word}", sentence):
            found.append(g.number)
    return sorted(set(found))


def read_withdrawal(text: str, groups: Sequence[Group] = ()) -> Withdrawal | None:
    """The withdrawal the sender's text plainly asks for, or None (not one, or not plain)."""
    words = fold(own_text(text))
    # sentences end at ! ? ; a line break, or a full stop after a word (not "ds." or "nr.")
    sentences = [
        s for s in re.split(r"(?<=[!?;])\s+|\n+|(?<=\w{4}\.)\s+|(?<=\d\.)\s+", words) if s.strip()
    ]
    hits = [s for s in sentences if _WITHDRAWS.search(s) and (_OBJECT.search(s) or _ALONE.match(s))]
    if not hits or any(_UNSURE.search(s) for s in hits):
        return None
    named = sorted({n for s in hits for n in _groups_named(s, groups)})
    return Withdrawal(groups=tuple(named), phrase=hits[0].strip()[:160])
