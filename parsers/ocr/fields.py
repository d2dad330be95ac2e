"""Values of text fields from their words: joined, cleaned, corrected where the kind allows.

Corrections undo the Polish model's typical misreadings and never add a character that is not
on the page in some form:

- e-mail: "©", "®", "Q", "q" (or "(a)"), or a lone upper-case letter in a lower-case address,
  read for "@" when there is no "@" — the one whose result is an address; "Q@" (one sign read
  as two) made "@"; Polish letters folded to ASCII ("ł" read for "l" in a domain); spaces (a
  wrapped or split address) and punctuation around it dropped;
- phone: letters that look like digits inside a group of digits ("O" → 0, "l"/"I"/"|" → 1,
  "S" → 5, "B" → 8, "Z" → 2); words such as "kom." or "wew." are left as written;
- every text: table rules read as "|", "[" or "]", a lone "(" of a box's edge, and one or two
  letters at a line's end standing apart from it (a cell's border) dropped.

Confidence is the mean of the words' Tesseract confidences, lowered when a correction was
needed or the value fails its kind's pattern.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from statistics import mean
from typing import Any

from parsers.ocr.prose import (
    capitals_after_full_stops,
    digits_as_letters,
    dollar_for_s,
    drop_specks,
    letters_for_digits,
    with_picture,
)
from parsers.ocr.words import OWord, rows_of
from parsers.spec import FieldSpec

_RULE_CHARS = "|[]{}¦"
_EDGE_JUNK = re.compile(r"^[|\[\]{}¦_‚„,;:·•]+|[|\[\]{}¦_‚„,;:·•]+$")
#: what Tesseract reads for "@": signs taken for it wherever one gives an address ...
_AT_LOOKALIKES = ("©", "®", "(a)", "(@)", "Q", "q", "&")
#: ... and signs taken for it only where one alone gives an address
_AT_UNSURE = ("6", "G", "0", "O")
#: the signs an "@" is read as where the picture shows one: the look-alikes of one sign and
#: the small letters its round body passes for
_AT_READ_AS = frozenset(c for c in _AT_LOOKALIKES + _AT_UNSURE if len(c) == 1) | set("eaogE")
#: the half of an "@" read as two signs: a sign before it, or after it ("Q@", "@©")
_AT_HALVES = "".join(c for c in _AT_LOOKALIKES if len(c) == 1 and not c.isalnum() and c != "&")
_EMAIL = re.compile(
    r"^[A-Za-z0-9._%+'\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$"
)
_PHONE_DIGITLIKE = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "l": "1",
        "I": "1",
        "|": "1",
        "i": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "g": "9",
    }
)
_PHONE_GROUP = re.compile(r"^(\+?)([0-9OoDlI|iSsBZzg]{2,})([.,;:)]?)$")


def _border(w: OWord, row: list[OWord]) -> bool:
    """A table's rule read as "I", "J" or "l": a sign or two, thin, taller than the line."""
    others = [x.height for x in row if x is not w]
    if len(w.text) > 2 or not others:
        return False
    width = w.right - w.left
    return width <= 0.25 * w.height and w.height >= 1.15 * sorted(others)[len(others) // 2]


def _speck(w: OWord) -> bool:
    """A speck read as punctuation, barely recognised."""
    return w.conf < 20 and not any(c.isalnum() for c in w.text)


def _stray(row: list[OWord], i: int) -> bool:
    """A mark at the end of a row that is not writing: a cell's border or a speck read as one
    or two letters, apart from the text (or barely recognised)."""
    w = row[i]
    if len(row) < 2:
        return False
    if i == len(row) - 1 and w.conf < 60 and w.left - row[i - 1].right > 2.5 * w.height:
        return True  # far right of the text and barely recognised: a cell's edge
    if len(w.text) > 2:
        return False
    if i == len(row) - 1:
        gap = w.left - row[i - 1].right
        return gap > 1.2 * w.height or w.conf < 35
    # at a line's start only when it stands apart: "W", "I", "Z", "O" begin Polish lines
    return row[i + 1].left - w.right > 1.2 * w.height


_QUOTE_OPENS, _QUOTE_CLOSES = "„‚", '”’"'


def _edges(text: str) -> str:
    """``text`` without junk at its ends (rules, specks read as commas) — but an opening
    quote a closing one in the line needs is writing ("„Ścieżka”. Współpracuję")."""
    bare = _EDGE_JUNK.sub("", text).strip()
    lead = text[: len(text) - len(text.lstrip("|[]{}¦_‚„,;:·• "))]
    opener = next((c for c in reversed(lead) if c in _QUOTE_OPENS), None)
    opened = sum(bare.count(c) for c in _QUOTE_OPENS)
    if opener is not None and sum(bare.count(c) for c in _QUOTE_CLOSES) > opened:
        return opener + bare
    return bare


def kept_rows(words: Sequence[OWord]) -> list[list[OWord]]:
    """The rows of words a value is read from: rules read as "|", and stray marks at the
    ends of a line, left out."""
    rows = []
    for row in rows_of([w for w in words if not w.is_rule and w.text.strip(_RULE_CHARS)]):
        row = [w for w in row if not _border(w, row) and not _speck(w)]
        while len(row) > 1 and _stray(row, len(row) - 1):
            row = row[:-1]
        while len(row) > 1 and _stray(row, 0):
            row = row[1:]
        if row:  # not only specks and rules
            rows.append(row)
    return rows


def lines_text(
    words: Sequence[OWord], join: Callable[[list[OWord]], list[str]] | None = None
) -> list[str]:
    """The words as lines of text, top to bottom, left to right (rules read as "|", and
    stray marks at the ends of a line, left out: ``kept_rows``). ``join``: the texts of a
    line's words (spaces in numbers put back from the picture)."""
    out = []
    for row in kept_rows(words):
        text = " ".join(join(row) if join is not None else [w.text for w in row])
        text = _edges(text.strip())
        if text.startswith("(") and ")" not in text:
            text = text[1:].lstrip()
        if text.endswith(")") and "(" not in text:
            text = text[:-1].rstrip()
        if text:
            out.append(text)
    return out


def _ascii(s: str) -> str:
    s = s.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def fix_email(raw: str, at: int | None = None) -> tuple[str, bool]:
    """(the address, whether it had to be corrected). ``at``: where the picture shows an "@"
    (an index in ``raw`` without its spaces): a sign read there for it ("e", "a") is one when
    the result is an address and no other reading gave one."""
    bare = re.sub(r"\s+", "", raw)
    s = bare.strip(".,;:'\"()<>|[]")
    if at is not None:
        at -= len(bare) - len(bare.lstrip(".,;:'\"()<>|[]"))
    s = s.replace("mailto:", "").replace("—", "-").replace("–", "-")
    # a hyphen read twice ("cis--klodzko"): no address doubles it but a punycode "xn--"
    s = re.sub(r"(?<!xn)-{2,}", "-", s)
    # a dot read as ":" or "," (no address has them)
    s = re.sub(r"(?<=\w)[:,;](?=\w)", ".", s)
    if not s.isascii():
        s = _ascii(s)
    if "@" not in s:
        for look in _AT_LOOKALIKES + _AT_UNSURE:
            pos = [i for i in range(len(s)) if s.startswith(look, i)]
            hits = [s[:i] + "@" + s[i + len(look) :] for i in reversed(pos)]
            hits = [h for h in hits if _EMAIL.match(h)]
            if hits and (look in _AT_LOOKALIKES or len(hits) == 1):
                s = hits[0]
                break
    if "@" not in s:
        # an upper-case letter in a lower-case address, standing for "@" ("E", "G", "O")
        ups = [i for i, c in enumerate(s) if c.isupper()]
        if len(ups) == 1 and s[: ups[0]].lower() == s[: ups[0]]:
            hit = s[: ups[0]] + "@" + s[ups[0] + 1 :]
            if _EMAIL.match(hit):
                s = hit
    if "@" not in s and at is not None and s.isascii():
        # the sign nearest to where the picture has an "@" (two signs either side; touching
        # letters make the count uncertain), one that looks like it first
        shown = at
        near = sorted(
            range(max(0, shown - 2), min(len(s), shown + 3)),
            key=lambda i: (s[i] not in _AT_READ_AS, abs(i - shown)),
        )
        # a sign that looks like "@" read in its place, else an "@" the reading left out (a
        # letter of the address is never taken for it: "jankowalskiwp.pl" is not "…@p.pl")
        hits = [s[:i] + "@" + s[i + 1 :] for i in near if s[i] in _AT_READ_AS]
        if 0 < shown < len(s):
            hits.append(s[:shown] + "@" + s[shown:])
        hits = [h for h in hits if _EMAIL.match(h)]
        if hits:
            s = hits[0]
    if s.count("@") == 1:
        # "@" read as two signs: "Q@", "G©" (then "G@"), "@©", "@q" (its tail: no Polish word
        # begins with "q"; a domain's "qu", "qq" are kept: quest.pl, qq.com); a capital next
        # to "@" in an address otherwise in lower case is part of the "@"
        s2 = re.sub(rf"[Q{_AT_HALVES}](?=@)|(?<=@)[{_AT_HALVES}]|(?<=@)[qQ](?=[a-pr-tv-z])", "", s)
        at = s2.index("@")
        rest = s2[: at - 1] + s2[at + 1 :]
        if at > 1 and s2[at - 1] in "QGCOE" and rest == rest.lower():
            s2 = s2[: at - 1] + s2[at:]
        s = s2
    if s.count("@") == 1:
        local, domain = s.split("@")
        # an initial "l" read as "1" ("1.grabowski"), "g" as "9" ("9.gasiorowski83"): a lone
        # digit among words (of letters, a number at the end of the last one)
        parts = re.split(r"([._-])", local)
        words = [x for x in parts if x and x not in "._-"]
        lone = {"1": "l", "0": "o", "9": "g"}
        if len(words) > 1 and all(
            x.isalpha() or (x is words[-1] and re.fullmatch(r"[^\W\d_]+\d*", x))
            for x in words
            if x not in lone
        ):
            local = "".join(lone.get(x, x) for x in parts)
        s = f"{local}@{_domain_letters(domain.rstrip('.-').lower())}"
    # every repair counts: a hyphen read twice, a dot read as ":", spaces, signs around it
    return s, s != re.sub(r"\s+", " ", raw).strip()


def _domain_letters(domain: str) -> str:
    """A domain with "0" read for "o": by the rule for words (``digits_as_letters``: one
    digit in the part, between letters or starting small letters — "c0m", "cis-0lawa"), and
    a part's leading "0" before digits ("02.pl": no number is written with a leading zero).
    A "1" between letters is left: digits mix into names of domains ("sp1olawa.pl")."""
    labels = domain.split(".")
    for n, label in enumerate(labels):
        if label.startswith("xn--"):
            continue
        pieces = [re.sub(r"^0(?=\d)", "o", p) for p in label.split("-")]
        labels[n] = "-".join(digits_as_letters(p, "0") for p in pieces)
    return ".".join(labels).lower()


def fix_phone(raw: str) -> tuple[str, bool]:
    out = []
    changed = False
    for tok in raw.split():
        m = _PHONE_GROUP.match(tok)
        if m and sum(c.isdigit() for c in m.group(2)) >= max(1, len(m.group(2)) // 2):
            digits = m.group(2).translate(_PHONE_DIGITLIKE)
            if digits != m.group(2):
                changed = True
            tok = m.group(1) + digits + m.group(3)
        out.append(tok)
    s = re.sub(r"\+{2,}", "+", " ".join(out)).strip(" .,;:|")
    return s, changed or s != " ".join(out)


def passes(f: FieldSpec, value: str | None) -> bool:
    """Does a value read by OCR look like its kind: an e-mail address, a phone number (nine
    digits at least), a date (digits), its ``pattern``?"""
    if not value:
        return False
    if f.kind == "email" and not _EMAIL.match(value):
        return False
    if f.kind == "phone" and sum(c.isdigit() for c in value) < 9:
        return False
    if f.kind == "date" and not re.search(r"\d", value):
        return False
    return not (f.pattern and not re.fullmatch(f.pattern, value, flags=re.S))


_HYPHEN_END = re.compile(r"[^\W\d_]-$")


def join_lines(lines: Sequence[str], sep: str) -> str:
    """The lines of a value joined by ``sep`` — but a line ending in a hyphen right after a
    letter goes on in the next one without a break: a compound word wrapped in its cell
    ("Lądku-" "Zdroju", "Kowalska-" "Nowak")."""
    out = ""
    for n, line in enumerate(lines):
        if n and not _HYPHEN_END.search(out):
            out += sep
        out += line
    return out


def value_of(
    f: FieldSpec, words: Sequence[OWord], page: Callable[[int], Any] | None = None
) -> tuple[str | None, float]:
    """(value, confidence 0..1) of a text field from its words; ``page(i)``: the picture of
    page i (a number's spaces are checked on it)."""
    join = None
    if f.kind == "phone" and page is not None:
        from parsers.ocr.spacing import respace

        def join(row: list[OWord]) -> list[str]:
            return respace(row, page(row[0].page))

    elif f.kind in ("text", "free_text") and page is not None:
        from parsers.ocr.dashes import join_dashes

        def join(row: list[OWord]) -> list[str]:
            return join_dashes(row, page(row[0].page))

        words = with_picture(words, page, capitals=f.kind == "free_text")
    lines = lines_text(words, join)
    if not lines:
        return None, 0.0
    text = join_lines(lines, "\n" if f.multiline else " ")
    confs = [w.conf / 100.0 for w in words if w.text.strip(_RULE_CHARS)]
    conf = mean(confs) if confs else 0.0
    if f.kind == "email":
        at = None
        if "@" not in text and page is not None:
            from parsers.ocr.atsign import at_index

            at = at_index([w for row in kept_rows(words) for w in row], page)
        text, changed = fix_email(text, at)
        if changed:
            conf *= 0.85
        if not _EMAIL.match(text):
            conf *= 0.5
    elif f.kind == "phone":
        text, changed = fix_phone(text)
        if changed:
            conf *= 0.85
        if sum(c.isdigit() for c in text) < 9:
            conf *= 0.6
    elif f.kind == "date" and not re.search(r"\d", text):
        conf *= 0.7
    if f.kind in ("text", "free_text"):
        # with the picture, a dot glued between words and a capital after a full stop were
        # decided from it (``with_picture``); the text rules are for a value without one
        text = letters_for_digits(dollar_for_s(drop_specks(text, unglue=page is None)))
    if f.kind == "free_text" and page is None:
        text = capitals_after_full_stops(text)
    if f.pattern and not re.fullmatch(f.pattern, text, flags=re.S):
        # specks read as punctuation or spaces inside a value with a format ("2907.146598"
        # for ten digits): dropped when the value then has the format
        bare = re.sub(r"[\s.,:;'`´-]", "", text)
        if bare != text and re.fullmatch(f.pattern, bare, flags=re.S):
            text, conf = bare, conf * 0.85
        else:
            conf *= 0.6
    if not text:
        return None, 0.0
    return text, max(0.0, min(1.0, conf))
