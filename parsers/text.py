"""Text normalisation and label matching shared by every format (tick marks: ``parsers.marks``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from rapidfuzz.distance import LCSseq

from parsers.marks import BOX_CHAR, TICK_CHAR, is_mark_only, pua_to_mark, split_mark
from parsers.spec import FormSpec
from parsers.words import ENUMERATOR, core, fold, norm

__all__ = [
    "BOX_CHAR",
    "TICK_CHAR",
    "Match",
    "Matcher",
    "core",
    "fold",
    "is_mark_only",
    "matcher_for",
    "norm",
    "pua_to_mark",
    "similar",
    "split_mark",
]

# --- normalisation (parsers.words) -----------------------------------------------------------

_ENUM = ENUMERATOR


def similar(a: str, b: str, threshold: float) -> bool:
    """The same, or of lengths within 3:4 and difflib's ratio at least ``threshold``.

    difflib's ratio is 2·M / (len(a) + len(b)), M the characters of its matching blocks, which
    form a common subsequence: M is at most the longest common subsequence, which rapidfuzz
    computes in C. Most pairs fail that bound, and difflib runs only for the few that pass."""
    if a == b:
        return True
    la, lb = len(a), len(b)
    if not la or not lb or min(la, lb) / max(la, lb) < 0.75:
        return False
    if 2.0 * LCSseq.similarity(a, b) / (la + lb) < threshold:
        return False
    return SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
#: _WS would change the line only where it has two spaces or one of these
_WS_ODD = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]")
#: a line of dots / underscores (the blank form's writing line), or of dashes drawn as a line
#: (4 or more): not a value. A short dash ("—", "-", "--") is what the applicant typed: kept.
_FILLER = re.compile(
    r"^[\s._…·]*$|^[\s._…\-–—·]*[\-–—][\s._…\-–—·]*[\-–—][\s._…\-–—·]*"
    r"[\-–—][\s._…\-–—·]*[\-–—][\s._…\-–—·]*$"
)
PLACEHOLDERS = frozenset(
    norm(p)
    for p in (
        "Kliknij lub naciśnij tutaj, aby wprowadzić tekst.",
        "Kliknij tutaj, aby wprowadzić tekst.",
        "Click or tap here to enter text.",
        "Click here to enter text.",
        "Wpisz tekst",
    )
)


def clean_lines(lines: list[str]) -> list[str]:
    """Value lines without blank, filler-only and placeholder lines ("Kliknij tutaj…")."""
    out = []
    for raw in lines:
        for line in raw.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").split("\n"):
            if "  " in line or _WS_ODD.search(line):
                line = _WS.sub(" ", line)
            line = line.strip()
            if not line or _FILLER.match(line) or norm(line) in PLACEHOLDERS:
                continue
            out.append(line)
    return out


def join_value(lines: list[str], multiline: bool) -> str | None:
    cleaned = clean_lines(lines)
    if not cleaned:
        return None
    return ("\n" if multiline else " ").join(cleaned)


# --- label matching --------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    kind: str  # "label" | "groups" | "option" | "checkbox" | "heading" | "stop"
    key: str  # field key ("groups" option: the group number as str)
    rest: str = ""  # the text after "label:" (a value typed into the label cell)
    tick: bool | None = None
    partial: bool = False  # the text is only the beginning of the label (PDF line wraps)
    spaced: bool = False  # ``rest`` followed the label after a space only ("Imię i nazwisko Jan")


@dataclass(frozen=True)
class _Entry:
    """A text printed on the form, normalised: ``full``, its ``core`` and ``words``."""

    kind: str
    key: str
    full: str
    core: str
    words: frozenset[str]

    @classmethod
    def of(cls, kind: str, key: str, text: str) -> _Entry:
        full = norm(text)
        return cls(kind, key, full, core(text), frozenset(full.split()))


def _by_first_letter(entries: list[_Entry]) -> dict[str, list[_Entry]]:
    """Entries (in their order) by the first letter of their normalised text: the index of
    ``_may_match``'s first rule."""
    out: dict[str, list[_Entry]] = {}
    for e in entries:
        out.setdefault(e.full[0], []).append(e)
    return out


def _may_match(n: str, words: frozenset[str], e: _Entry) -> bool:
    """Is the text ``n`` (its ``words``) compared with the entry at all? Only when both begin
    with the same letter and, for an entry of three or more words, the text has 40 % of them."""
    return n[:1] == e.full[:1] and (len(e.words) <= 2 or len(words & e.words) >= 0.4 * len(e.words))


LABEL_T, OPTION_T = 0.86, 0.82
#: a word as ``norm`` sees it (letters and digits; "e-mail" is two)
_WORD = re.compile(r"[^\W_]+")
#: a line naming the chosen group(s) by number, folded: "wybrana grupa: 3", "grupy nr 2 i 5",
#: "zglaszam sie do grupy roboczej nr 4"
_DECLARED = re.compile(
    r"^(?:[a-z]+\s+){0,3}?grup[a-z]*(?:\s+robocz[a-z]*)?\s*(?:\(?\s*(?:nr|numer|no)\b\.?\s*\)?)?"
    r"\s*[:\-–]?\s*(\d{1,2}(?:\s*(?:,|;|\+|/|&|\bi\b|\boraz\b)\s*\d{1,2})*)\s*\.?$"
)
_STOP = Match("stop", "")
#: what may separate a label from a value typed after it in the label's own cell, in the order
#: they are tried when no label is printed before one of them
_SEPARATORS = (":", " – ", " — ", " - ", "\t")
_SEPARATOR = re.compile(r":|\t| [–—-] ")
#: what ends a printed label before its value ("Imię i nazwisko uczestnika: Jan")
_LABEL_END = re.compile(r":|\t| [–—-] ")


def _continues_label(text: str) -> bool:
    """Do these words, right after a label, go on with the label rather than give a value?
    Nothing, a hint after "/" ("/ Name and surname"), or words of small letters only, also
    joined by a "/" ("uczestnika", "osoby zgłaszającej", "rodzica / opiekuna prawnego"); a
    value typed after the label with only a space begins with a capital, or holds a digit,
    "@" or punctuation (a name, an address, an e-mail address, a phone number)."""
    t = text.strip()
    return not t or t[0] == "/" or all(w == "/" or (w.isalpha() and w.islower()) for w in t.split())


def _label_tail(rest: str) -> tuple[str, bool]:
    """The value in ``rest``, the text after one of our labels, and whether it followed
    after a space only. Words that go on with a longer printed label are no value:
    "uczestnika" -> ("", …), "uczestnika: Jan" -> ("Jan", False), "(drukiem) Jan" -> ("Jan",
    True); "Jan Kowalski" -> ("Jan Kowalski", True)."""
    t = rest.strip()
    while t.startswith("(") and ")" in t:  # "(drukowanymi literami)"
        t = t[t.index(")") + 1 :].strip()
    m = _LABEL_END.search(t)
    if m and _continues_label(t[: m.start()]):
        return t[m.end() :].strip(), False
    if _continues_label(t):
        return "", False
    return t, True


class Matcher:
    """Classifies one line / cell text against the form's labels.

    Everything derived from the spec (normalised labels, first-letter tables) is built once
    here; ``matcher_for`` keeps one Matcher per form."""

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        labels: list[_Entry] = []
        boxes: list[_Entry] = []
        for f in spec.fields:
            if f.type == "text":
                labels += [_Entry.of("label", f.key, x) for x in f.labels]
            elif f.type == "groups":
                labels += [_Entry.of("groups", f.key, x) for x in f.labels]
                boxes += [_Entry.of("option", str(o.number), o.name) for o in f.options]
            else:
                boxes += [_Entry.of("checkbox", f.key, x) for x in f.labels]
        labels += [_Entry.of("heading", "", x) for x in spec.headings]
        self.labels = [e for e in labels if e.full]
        self.boxes = [e for e in boxes if e.full]
        self.stops = [n for n in (norm(x) for x in spec.stop) if n]
        self.exact: dict[str, _Entry] = {}
        for e in sorted(self.labels, key=lambda e: len(e.full)):
            self.exact[e.full] = e
        for e in sorted(self.labels, key=lambda e: len(e.full)):
            if e.core:
                self.exact.setdefault(e.core, e)
        self.exact_box = {e.full: e for e in self.boxes}
        self._stop_set = frozenset(self.stops)
        self._stop_prefixes = tuple(s + " " for s in self.stops)
        self._label_first = _by_first_letter(self.labels)
        self._box_first = _by_first_letter(self.boxes)
        self._box_long = [e for e in self.boxes if len(e.full) >= 20]
        self._box_long_texts = tuple(e.full for e in self._box_long)
        # per text field: its labels folded ("tel.", "telefon kontaktowy"), longest first, to
        # take a label the applicant typed again in front of the value ("tel. 600 …")
        self._own: dict[str, tuple[str, ...]] = {}
        for f in spec.fields:
            if f.type == "text":
                own = {fold(x).strip() for x in f.labels}
                own |= {x.rstrip(".").strip() for x in own}
                self._own[f.key] = tuple(
                    sorted((x for x in own if len(x) >= 3), key=len, reverse=True)
                )
        self._own_first = frozenset(x[0] for labs in self._own.values() for x in labs)
        # text labels of 2+ words (8+ characters) by their first word, longest first: a label
        # followed by the value after a space (``_label_then_value``)
        self._by_first_word: dict[str, list[tuple[_Entry, int]]] = {}
        for e in sorted(self.labels, key=lambda e: -len(e.full)):
            k = len(e.full.split())
            if e.kind == "label" and k >= 2 and len(e.full) >= 8:
                self._by_first_word.setdefault(e.full.split()[0], []).append((e, k))
        self._remembered = lru_cache(maxsize=4096)(self._classify)
        self._learn_own_texts()

    def _learn_own_texts(self) -> None:
        """Classify the form's own texts as the spec spells them, once: a filled-in form prints
        them so, and each is then only looked up."""
        spec = self.spec
        texts = [*spec.headings, *spec.stop]
        for f in spec.fields:
            texts += [*f.labels, *(o.name for o in f.options)]
        for text in texts:
            self.classify(text)
            self.classify(text, partial=True)

    def strip_own_label(self, key: str, value: str) -> str | None:
        """``value`` without its own field's label typed in front of it ("Tel. 600 100 200",
        "E-mail: a@b.pl"): the label must be followed by ":" (or end with "." itself) and
        something must remain. Anything else is left as the applicant wrote it."""
        if not value or (
            value[0].lower() not in self._own_first and fold(value[0]) not in self._own_first
        ):
            return value
        for lab in self._own.get(key, ()):
            if len(value) <= len(lab) or fold(value[: len(lab)]) != lab:
                continue
            rest = value[len(lab) :]
            after = rest.lstrip()
            if after.startswith(":"):
                after = after[1:].strip()
            elif not (lab.endswith(".") and rest[:1].isspace()):
                continue
            return after or value
        return value

    def declared_groups(self, text: str) -> list[int] | None:
        """Group numbers written out in section II ("Wybrana grupa: 3", "Grupy nr 2 i 5")."""
        if len(text) > 80 or not any(c.isdigit() for c in text):
            return None
        m = _DECLARED.match(fold(text).strip())
        if m is None:
            return None
        return [int(x) for x in re.findall(r"\d+", m.group(1))]

    def _stop(self, n: str) -> bool:
        return n in self._stop_set or n.startswith(self._stop_prefixes)

    def _label(self, n: str, c: str) -> _Entry | None:
        if not n:
            return None
        hit = self.exact.get(n) or (self.exact.get(c) if c else None)
        if hit is not None:
            return hit
        # no label equals n or c (those are all in self.exact): the closest similar one, the
        # longest on a tie
        best: _Entry | None = None
        words = frozenset(n.split())
        for e in self._label_first.get(n[0], ()):
            if best is not None and len(e.full) <= len(best.full):
                continue  # would not replace the best one found
            if _may_match(n, words, e) and (
                similar(n, e.full, LABEL_T) or (c and e.core and similar(c, e.core, LABEL_T))
            ):
                best = e
        return best

    def _box(self, n: str, partial: bool) -> tuple[_Entry, bool] | None:
        hit = self.exact_box.get(n)
        if hit is not None:
            return hit, False
        if n:
            words = frozenset(n.split())
            for e in self._box_first.get(n[0], ()):
                if _may_match(n, words, e) and similar(n, e.full, OPTION_T):
                    return e, False
        if partial and len(n) >= 12:
            for e in self.boxes:
                if e.full.startswith(n) and len(n) >= 0.3 * len(e.full):
                    return e, True
        # a box line followed by extra words ("… społecznych (jako członek)")
        if n.startswith(self._box_long_texts):
            for e in self._box_long:
                if n.startswith(e.full):
                    return e, False
        return None

    def extends(self, key: str, text: str) -> bool:
        """Is ``text`` (a label joined with its next line) still a label of ``key`` or its
        beginning? Used to swallow the wrapped lines of a long label in a PDF."""
        n = norm(split_mark(text)[1])
        return any(e.key == key and e.full.startswith(n) for e in (*self.labels, *self.boxes))

    def _label_then_value(self, body: str, n: str) -> Match | None:
        """A label of two or more words followed by the value after a space only ("Imię i
        nazwisko Jan Kowalski"): the longest such label that ``n`` begins with."""
        cands = self._by_first_word.get(n.split(" ", 1)[0])
        if not cands:
            return None
        for e, k in cands:  # longest first
            if n.startswith(e.full + " "):
                if any(x.full.startswith(n) for x in (*self.labels, *self.boxes)):
                    return None  # the beginning of a longer label (a wrapped PDF line)
                enum = _ENUM.match(fold(body))
                if enum:
                    body = body[enum.end() :]
                words = list(_WORD.finditer(body))
                if len(words) <= k:
                    return None
                # the value starts after the label's own closing bracket and colon
                # ("Adres e-mail (jeśli posiadasz) jan@x.pl")
                rest = body[words[k - 1].end() :].lstrip(" \t:–-—)]")
                if not rest.strip():
                    return None
                # a printed label longer than ours ("Imię i nazwisko uczestnika", "… (drukiem):
                # Jan") is no label followed by a value: the value is what follows it, if any
                value, spaced = _label_tail(rest)
                return Match("label", e.key, value, spaced=spaced)
        return None

    def begins_entry(self, text: str) -> bool:
        """Is ``text`` (8+ characters normalised) the beginning of a label or box text, too
        short to be taken as one on its own (a narrow table column wraps it)?"""
        n = norm(split_mark(text)[1])
        if len(n) < 8:
            return False
        return any(e.full.startswith(n) for e in (*self.labels, *self.boxes))

    def classify(self, text: str, partial: bool = False) -> Match | None:
        """What this text is on the form, or None for a value. ``partial`` also accepts the
        beginning of a label (a PDF line that wraps). Remembered, like ``norm``: a form is read
        cell by cell and then row by row, and every form prints the same labels."""
        return self._remembered(text, partial)

    def forget(self) -> None:
        """Drop the texts classified and normalised from files (the benchmark's new file)."""
        self._remembered.cache_clear()
        norm.cache_clear()
        self._learn_own_texts()

    def _classify(self, text: str, partial: bool) -> Match | None:
        printed = self._as_printed(text, partial)
        if printed is not None:
            # the line is a label or heading as printed (or, in a PDF, its beginning): it wins
            # over every split, so "V. Oświadczenia" is no ticked box and "Dzielnica –
            # osiedle" no label "Dzielnica" with the value "osiedle"
            return printed
        tick, body = split_mark(text)
        n = norm(body)
        if not n:
            return None
        if self._stop(n):
            return _STOP
        if tick is None or not body:
            hit = self._split(body, n)
            if hit is not None:
                return hit
            e = self._label(n, core(body) if "(" in body else n)
            hit = self._label_then_value(body, n)
            if e is not None:
                # resembling the label as a whole, the line may still be that label with a
                # short value after it ("Rok urodzenia (rrrr) 1951")
                if hit is not None and hit.key == e.key and hit.rest:
                    return hit
                return Match(e.kind, e.key)
            if hit is not None:
                return hit
        b = self._box(n, partial)
        if b is not None:
            e, part = b
            return Match(e.kind, e.key, tick=tick, partial=part)
        if partial and len(n) >= 8:
            for e in self.labels:
                if len(e.full) > len(n) + 3 and e.full.startswith(n):
                    return Match(e.kind, e.key, partial=True)
        return None

    def _as_printed(self, text: str, partial: bool) -> Match | None:
        """The whole line as the form prints one of its labels or headings (case, diacritics,
        punctuation and a section's number aside: "V. Oświadczenia"), before any tick or
        separator is looked for; with ``partial``, also the beginning of one at a word's end
        (a PDF line that wraps: "III. Uzasadnienie kandydatury – moje")."""
        n = norm(text)
        if not n:
            return None
        e = self.exact.get(n)
        if e is not None and e.full == n:
            return Match(e.kind, e.key)
        if partial and len(n) >= 8 and " " in n:
            for e in self._label_first.get(n[0], ()):
                if e.full.startswith(n + " "):
                    return Match(e.kind, e.key, partial=True)
        return None

    def _split(self, body: str, n: str) -> Match | None:
        """ "Label: value" typed into the label's cell (also after " – " or a tab). Labels may
        hold dashes and colons themselves ("Szkoła – pełna nazwa: II LO"): the longest head
        printed as a label wins; else, as typed, the head before the first separator when it
        resembles a label — unless the separator is a dash and the whole line resembles a
        label or heading (a dash inside a printed title, not before a value)."""
        cuts = [m.span() for m in _SEPARATOR.finditer(body) if m.start() > 0]
        if not cuts:
            return None
        for start, end in reversed(cuts):
            head = body[:start]
            hn = norm(head)
            e = self.exact.get(hn) or (self.exact.get(core(head)) if "(" in head else None)
            if e is not None:
                return Match(e.kind, e.key, body[end:].strip())
        for sep in _SEPARATORS:
            idx = body.find(sep)
            if idx <= 0:
                continue
            if sep.strip() and self._label(n, core(body) if "(" in body else n) is not None:
                return None  # the whole line is a label or heading with a dash in it
            head = body[:idx]
            hn = norm(head)
            e = self._label(hn, core(head) if "(" in head else hn)
            if e is not None:
                return Match(e.kind, e.key, body[idx + len(sep) :].strip())
            return None
        return None


@lru_cache(maxsize=8)
def matcher_for(spec: FormSpec) -> Matcher:
    """The Matcher of this form (built once per form: the spec is a frozen value)."""
    return Matcher(spec)
