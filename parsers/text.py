"""Text normalisation, tick marks and label matching shared by every format."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from parsers.spec import FormSpec

# --- normalisation ---------------------------------------------------------------------------

_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\([^)]*\)?")
_ENUM = re.compile(r"^\s*(?:(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)]\s*)+")


@lru_cache(maxsize=4096)
def fold(s: str) -> str:
    """Lower case without diacritics (ł -> l)."""
    s = unicodedata.normalize("NFKD", s.translate(_EXTRA_FOLD))
    return "".join(c for c in s if not unicodedata.combining(c)).lower()


def norm(s: str) -> str:
    """Folded, punctuation to single spaces, leading enumerators ("III.", "2.") dropped."""
    return _NON_ALNUM.sub(" ", _ENUM.sub("", fold(s))).strip()


def core(s: str) -> str:
    """``norm`` without parenthesised hints ("(np. CIS, KIS …)")."""
    return norm(_PARENS.sub(" ", s))


def similar(a: str, b: str, threshold: float) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if not la or not lb or min(la, lb) / max(la, lb) < 0.75:
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.real_quick_ratio() >= threshold and sm.quick_ratio() >= threshold \
        and sm.ratio() >= threshold


_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
_FILLER = re.compile(r"^[\s._…\-–—·]*$")
PLACEHOLDERS = frozenset(norm(p) for p in (
    "Kliknij lub naciśnij tutaj, aby wprowadzić tekst.",
    "Kliknij tutaj, aby wprowadzić tekst.",
    "Click or tap here to enter text.",
    "Click here to enter text.",
    "Wpisz tekst",
))


def clean_lines(lines: list[str]) -> list[str]:
    out = []
    for raw in lines:
        for line in raw.replace("\r\n", "\n").replace("\r", "\n").replace("\v", "\n").split("\n"):
            line = _WS.sub(" ", line).strip()
            if not line or _FILLER.match(line) or norm(line) in PLACEHOLDERS:
                continue
            out.append(line)
    return out


def join_value(lines: list[str], multiline: bool) -> str | None:
    cleaned = clean_lines(lines)
    if not cleaned:
        return None
    return ("\n" if multiline else " ").join(cleaned)


# --- tick marks ------------------------------------------------------------------------------

TICKED = "☒☑✔✓✅✗✘⊠⊗■▣◼●⬛☓🗹🗷🗸🗵⮽✕✖"
UNTICKED = "☐□▢◻○❏❐❑❒⬜◯◽"
#: private-use code points of Wingdings / Wingdings 2 / Symbol check glyphs (w:sym w:char)
SYMBOL_TICKED = frozenset({0xF0FE, 0xF0FD, 0xF078, 0xF0FC, 0xF0FB, 0xF06E, 0xF0D6, 0xF0B4,
                           0xF0A4, 0xF0A7, 0xF050, 0xF052, 0xF053, 0xF054, 0xF04F, 0xF0CF})
SYMBOL_UNTICKED = frozenset({0xF0A8, 0xF06F, 0xF071, 0xF072, 0xF0A3, 0xF0A1, 0xF0A2, 0xF030})
TICK_CHAR, BOX_CHAR = "☒", "☐"

_LEAD = re.compile(
    r"^\s*(?:(?P<bt>[\[(]\s*[xXvV✓✔✗✘*+]\s*[\])])|(?P<be>[\[(]\s*[\])])"
    r"|(?P<t>[" + TICKED + r"])|(?P<u>[" + UNTICKED + r"])"
    r"|(?P<l>[xXvV])(?=[\s.,;:)\-–\]\d]|$))\s*")
_TRAIL = re.compile(r"\s*(?:(?P<t>[" + TICKED + r"])|(?P<bt>[\[(]\s*[xXvV✓✔]\s*[\])]))\s*$")


def pua_to_mark(ch: str) -> str:
    """Map a private-use symbol-font character to ☒ / ☐ (unchanged when not a box glyph)."""
    cp = ord(ch)
    if 0x20 <= cp <= 0xFF:
        cp += 0xF000
    if cp in SYMBOL_TICKED:
        return TICK_CHAR
    if cp in SYMBOL_UNTICKED:
        return BOX_CHAR
    return ch


def split_mark(text: str) -> tuple[bool | None, str]:
    """(True ticked / False empty box / None no box, the text after the mark)."""
    state: bool | None = None
    rest = text
    for _ in range(3):  # "☐ ☒ 1." or "☒☒": any tick wins
        m = _LEAD.match(rest)
        if not m or m.end() == 0:
            break
        ticked = bool(m.group("bt") or m.group("t") or m.group("l"))
        state = bool(ticked or state)
        rest = rest[m.end():]
    if state is None:
        m = _TRAIL.search(rest)
        if m and m.start() > 0:
            state, rest = True, rest[:m.start()]
    return state, rest.strip()


def is_mark_only(text: str) -> bool:
    state, rest = split_mark(text)
    return state is not None and not rest


# --- label matching --------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    kind: str          # "label" | "groups" | "option" | "checkbox" | "heading" | "stop"
    key: str           # field key ("groups" option: the group number as str)
    rest: str = ""     # the text after "label:" (a value typed into the label cell)
    tick: bool | None = None
    partial: bool = False   # the text is only the beginning of the label (PDF line wraps)


@dataclass(frozen=True)
class _Entry:
    kind: str
    key: str
    full: str
    core: str

    @property
    def tokens(self) -> frozenset[str]:
        return _tokens(self.full)


@lru_cache(maxsize=8192)
def _tokens(n: str) -> frozenset[str]:
    return frozenset(n.split())


def _may_match(n: str, e: _Entry) -> bool:
    """Cheap filter before difflib: enough of the label's words present (labels of one or two
    words only need the same first letter)."""
    if not n or n[0] != e.full[0]:
        return False
    lt = e.tokens
    if len(lt) <= 2:
        return True
    return len(_tokens(n) & lt) >= 0.4 * len(lt)


LABEL_T, OPTION_T = 0.86, 0.82


class Matcher:
    """Classifies one line / cell text against the form's labels."""

    def __init__(self, spec: FormSpec) -> None:
        self.spec = spec
        labels: list[_Entry] = []
        boxes: list[_Entry] = []
        for f in spec.fields:
            if f.type == "text":
                labels += [_Entry("label", f.key, norm(x), core(x)) for x in f.labels]
            elif f.type == "groups":
                labels += [_Entry("groups", f.key, norm(x), core(x)) for x in f.labels]
                boxes += [_Entry("option", str(o.number), norm(o.name), core(o.name))
                          for o in f.options]
            else:
                boxes += [_Entry("checkbox", f.key, norm(x), core(x)) for x in f.labels]
        labels += [_Entry("heading", "", norm(x), core(x)) for x in spec.headings]
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
        self._cache: dict[tuple[str, bool], Match | None] = {}

    def _stop(self, n: str) -> bool:
        return any(n == s or n.startswith(s + " ") for s in self.stops)

    def _label(self, n: str, c: str) -> _Entry | None:
        if not n:
            return None
        hit = self.exact.get(n) or (self.exact.get(c) if c else None)
        if hit is not None:
            return hit
        best: tuple[int, _Entry] | None = None
        for e in self.labels:
            if n == e.full or (c and c == e.core):
                score = 3
            elif _may_match(n, e) and (similar(n, e.full, LABEL_T) or
                                       (c and e.core and similar(c, e.core, LABEL_T))):
                score = 1
            else:
                continue
            if best is None or score > best[0] or \
                    (score == best[0] and len(e.full) > len(best[1].full)):
                best = (score, e)
        return best[1] if best else None

    def _box(self, n: str, partial: bool) -> tuple[_Entry, bool] | None:
        c = n
        hit = self.exact_box.get(n)
        if hit is not None:
            return hit, False
        for e in self.boxes:
            if _may_match(n, e) and similar(n, e.full, OPTION_T):
                return e, False
        if partial and len(c) >= 12:
            for e in self.boxes:
                if e.full.startswith(c) and len(c) >= 0.3 * len(e.full):
                    return e, True
        # a box line followed by extra words ("… społecznych (jako członek)")
        for e in self.boxes:
            if len(e.full) >= 20 and n.startswith(e.full):
                return e, False
        return None

    def extends(self, key: str, text: str) -> bool:
        """Is ``text`` (a label joined with its next line) still a label of ``key`` or its
        beginning? Used to swallow the wrapped lines of a long label in a PDF."""
        n = norm(split_mark(text)[1])
        return any(e.key == key and e.full.startswith(n)
                   for e in (*self.labels, *self.boxes))

    def classify(self, text: str, partial: bool = False) -> Match | None:
        """What this text is on the form, or None for a value. ``partial`` also accepts the
        beginning of a label (a PDF line that wraps)."""
        ck = (text, partial)
        if ck in self._cache:
            return self._cache[ck]
        m = self._classify(text, partial)
        if len(self._cache) < 20000:
            self._cache[ck] = m
        return m

    def _classify(self, text: str, partial: bool) -> Match | None:
        tick, body = split_mark(text)
        n = norm(body)
        if not n:
            return None
        if self._stop(n):
            return Match("stop", "")
        if tick is None or not body:
            # "Label: value" typed into the label cell
            for sep in (":", " – ", " - ", "\t"):
                idx = body.find(sep)
                if idx > 0:
                    head = body[:idx]
                    e = self._label(norm(head), core(head))
                    if e is not None:
                        return Match(e.kind, e.key, body[idx + len(sep):].strip())
                    break
            e = self._label(n, core(body))
            if e is not None:
                return Match(e.kind, e.key)
        b = self._box(n, partial)
        if b is not None:
            e, part = b
            return Match(e.kind, e.key, tick=tick, partial=part)
        if partial and len(n) >= 8:
            for e in self.labels:
                if len(e.full) > len(n) + 3 and e.full.startswith(n):
                    return Match(e.kind, e.key, partial=True)
        return None


_MATCHERS: dict[int, tuple[FormSpec, Matcher]] = {}


def matcher_for(spec: FormSpec) -> Matcher:
    hit = _MATCHERS.get(id(spec))
    if hit is not None and hit[0] is spec:
        return hit[1]
    m = Matcher(spec)
    if len(_MATCHERS) > 32:
        _MATCHERS.clear()
    _MATCHERS[id(spec)] = (spec, m)
    return m
