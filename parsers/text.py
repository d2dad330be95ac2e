"""Text normalisation, tick marks and label matching shared by every format."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from parsers.spec import FormSpec

# --- normalisation ---------------------------------------------------------------------------

_EXTRA_FOLD = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_PARENS = re.compile(r"\([^)]*\)?")
_ENUM = re.compile(r"^\s*(?:(?:[ivx]{1,4}|\d{1,2}|[a-h])[.)]\s*)+")




def _fold_char(c: str) -> str:
    """One character without diacritics (before lower-casing): its NFKD decomposition less the
    combining marks. NFKD decomposes each character on its own and only reorders combining
    marks, which are dropped, so folding a string character by character is exact."""
    s = unicodedata.normalize("NFKD", c.translate(_EXTRA_FOLD))
    return "".join(x for x in s if not unicodedata.combining(x))


class _FoldTable(dict):
    """str.translate table: code point -> ``_fold_char``; filled for Latin and punctuation at
    import, other characters on first sight (a per-process table of Unicode data)."""

    def __missing__(self, cp: int) -> str:
        out = _fold_char(chr(cp))
        if len(self) < 100_000:
            self[cp] = out
        return out


_FOLD = _FoldTable()
for _cp in (*range(0x250), *range(0x1E00, 0x1F00), *range(0x2000, 0x2070)):
    _FOLD[_cp] = _fold_char(chr(_cp))
del _cp


def fold(s: str) -> str:
    """Lower case without diacritics (ł -> l)."""
    if s.isascii():
        return s.lower()
    return s.translate(_FOLD).lower()


#: bytes: ASCII letters and digits kept, everything else a space (see ``norm``)
_ALNUM_OR_SPACE = bytes(b if 48 <= b <= 57 or 97 <= b <= 122 else 32 for b in range(256))


def _norm_char_classes() -> tuple[str, str]:
    """For ``norm``'s fast path, among U+0080..U+2FFF: "plain" characters, whose fold is their
    NFKD decomposition's ASCII part, the rest of it combining marks (ą -> a + ogonek); and
    "other" ones, whose fold lower-cased has no ASCII character, space or digit (quotes, dashes,
    ☒, Greek): ``norm`` treats each of those like any other punctuation. As regex classes."""
    plain: list[int] = []
    other: list[int] = []
    for cp in range(0x80, 0x3000):
        c = chr(cp)
        if c in "łŁøđß":
            continue
        d = unicodedata.normalize("NFKD", c)
        folded = _fold_char(c)
        if all(x.isascii() or unicodedata.combining(x) for x in d) and \
                d.encode("ascii", "ignore").decode("ascii") == folded:
            plain.append(cp)
        elif folded and all(not x.isascii() and not x.isspace() and not x.isdecimal()
                            and not x.isdigit() and not x.isnumeric() for x in folded.lower()):
            other.append(cp)

    def ranges(cps: list[int]) -> str:
        out: list[str] = []
        start = prev = cps[0]
        for cp in [*cps[1:], -1]:
            if cp != prev + 1:
                out.append(f"\\u{start:04x}" if start == prev else f"\\u{start:04x}-\\u{prev:04x}")
                start = cp
            prev = cp
        return "".join(out)
    return ranges(plain), ranges(other)


_PLAIN, _OTHER = _norm_char_classes()
#: a character outside ASCII, ł, Ł and the two classes: norm takes the exact (slower) way
_NOT_FAST = re.compile("[^\\x00-\\x7f\u0142\u0141" + _PLAIN + _OTHER + "]")
_OTHER_RE = re.compile("[" + _OTHER + "]")


def norm(s: str) -> str:
    """Folded, punctuation to single spaces, leading enumerators ("III.", "2.") dropped.

    The same as ``_NON_ALNUM.sub(" ", _ENUM.sub("", fold(s))).strip()``: _ENUM is anchored at
    the start, and every character left that is not an ASCII letter or digit (any non-ASCII one
    is encoded as "?") becomes a space, runs of spaces one, none at the ends. Text of "plain"
    and "other" characters only (see ``_norm_char_classes``) is folded by NFKD + dropping what
    is not ASCII, "other" characters first replaced by "\\x01" (punctuation for both regexes)."""
    if s.isascii():
        f = s.lower()
    elif _NOT_FAST.search(s) is None:
        if "ł" in s or "Ł" in s:
            s = s.replace("ł", "l").replace("Ł", "l")
        if _OTHER_RE.search(s) is not None:
            s = _OTHER_RE.sub("\x01", s)
        f = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    else:
        f = fold(s)
    m = _ENUM.match(f)
    if m:
        f = f[m.end():]
    return b" ".join(f.encode("ascii", "replace").translate(_ALNUM_OR_SPACE).split()) \
        .decode("ascii")


def core(s: str) -> str:
    """``norm`` without parenthesised hints ("(np. CIS, KIS …)")."""
    return norm(_PARENS.sub(" ", s)) if "(" in s else norm(s)


def similar(a: str, b: str, threshold: float) -> bool:
    if a == b:
        return True
    la, lb = len(a), len(b)
    if not la or not lb or min(la, lb) / max(la, lb) < 0.75:
        return False
    # SequenceMatcher.real_quick_ratio(), computed without building the matcher (same formula)
    if 2.0 * min(la, lb) / (la + lb) < threshold:
        return False
    sm = SequenceMatcher(None, a, b, autojunk=False)
    return sm.quick_ratio() >= threshold and sm.ratio() >= threshold


class _Chars:
    """A text's characters, as a set and counted, each worked out once when first needed."""

    __slots__ = ("_counts", "_set", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._set: frozenset[str] | None = None
        self._counts: Counter[str] | None = None

    @property
    def set(self) -> frozenset[str]:
        if self._set is None:
            self._set = frozenset(self.text)
        return self._set

    @property
    def counts(self) -> Counter[str]:
        if self._counts is None:
            self._counts = Counter(self.text)
        return self._counts


def _close(a: _Chars, b: _Chars, threshold: float) -> bool:
    """``similar(a.text, b.text, threshold)``, cheaper: difflib's real_quick_ratio() and
    quick_ratio() (the share of characters in common) are computed from the lengths and the
    character counts, and the SequenceMatcher is built only when both pass. Before counting, a
    bound: each kind of character only one of the texts has is a character without a match."""
    at, bt = a.text, b.text
    if at == bt:
        return True
    la, lb = len(at), len(bt)
    if not la or not lb or min(la, lb) / max(la, lb) < 0.75:
        return False
    if 2.0 * min(la, lb) / (la + lb) < threshold:   # real_quick_ratio()
        return False
    sa, sb = a.set, b.set
    if 2.0 * min(la - len(sa - sb), lb - len(sb - sa)) / (la + lb) < threshold:
        return False                                # an upper bound of quick_ratio()
    cb = b.counts
    matches = 0
    for ch, k in a.counts.items():
        kb = cb.get(ch)
        if kb:
            matches += k if k < kb else kb
    if 2.0 * matches / (la + lb) < threshold:      # quick_ratio()
        return False
    return SequenceMatcher(None, at, bt, autojunk=False).ratio() >= threshold


_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u3000]+")
#: _WS would change the line only where it has two spaces or one of these
_WS_ODD = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u3000]")
#: a line of dots / underscores (the blank form's writing line), or of dashes drawn as a line
#: (4 or more): not a value. A short dash ("—", "-", "--") is what the applicant typed: kept.
_FILLER = re.compile(r"^[\s._…·]*$|^[\s._…\-–—·]*[\-–—][\s._…\-–—·]*[\-–—][\s._…\-–—·]*"
                     r"[\-–—][\s._…\-–—·]*[\-–—][\s._…\-–—·]*$")
PLACEHOLDERS = frozenset(norm(p) for p in (
    "Kliknij lub naciśnij tutaj, aby wprowadzić tekst.",
    "Kliknij tutaj, aby wprowadzić tekst.",
    "Click or tap here to enter text.",
    "Click here to enter text.",
    "Wpisz tekst",
))


def clean_lines(lines: list[str], norm: Callable[[str], str] = norm) -> list[str]:
    """Value lines without blank, filler-only and placeholder lines ("Kliknij tutaj…");
    ``norm``: ``Matcher.norm`` reuses what the lines classified from the same file gave."""
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


def join_value(lines: list[str], multiline: bool,
               norm: Callable[[str], str] = norm) -> str | None:
    cleaned = clean_lines(lines, norm)
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
    r"|(?P<l>[xXvV])(?=[\s.,;:)\-–\]\d]|$)"
    # a box answered in words ("TAK Oświadczam…" / "NIE Wyrażam…"): upper case or capitalised
    r"|(?P<y>TAK|Tak)(?=[\s.,;:)\-–\]]|$)|(?P<n>NIE|Nie)(?=[\s.,;:)\-–\]]|$))\s*")
#: a mark after the text (a box cell right of the text in a table): a tick glyph, "[x]", or
#: a lone "X" / "TAK" after a space
_TRAIL = re.compile(r"\s*(?:(?P<t>[" + TICKED + r"])|(?P<bt>[\[(]\s*[xXvV✓✔]\s*[\])])"
                    r"|(?<=\s)(?P<l>X|x|TAK|Tak))\s*$")


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


#: what the first non-space character of a leading / the last of a trailing mark can be
_LEAD_FIRST = frozenset("[(" + TICKED + UNTICKED + "xXvVTN")
_TRAIL_LAST = frozenset("])" + TICKED + "xXKk")


def split_mark(text: str) -> tuple[bool | None, str]:
    """(True ticked / False empty box / None no box, the text after the mark)."""
    state: bool | None = None
    rest = text
    for _ in range(3):  # "☐ ☒ 1." or "☒☒": any tick wins
        head = rest.lstrip()  # cheap test first: no mark can start here
        if not head or head[0] not in _LEAD_FIRST:
            break
        m = _LEAD.match(rest)
        if not m or m.end() == 0:
            break
        ticked = bool(m.group("bt") or m.group("t") or m.group("l") or m.group("y"))
        state = bool(ticked or state)
        rest = rest[m.end():]
    if state is None:
        tail = rest.rstrip()
        if tail and tail[-1] in _TRAIL_LAST:
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
        return frozenset(self.full.split())


#: (entry, its words or None when the words are not compared, words needed in common,
#: characters of its full text, characters of its core text)
_Candidate = tuple[_Entry, frozenset[str] | None, float, _Chars, _Chars]


def _full_chars(text: str) -> _Chars:
    c = _Chars(text)
    _ = c.set, c.counts   # worked out now, with the spec
    return c


def _by_first_letter(entries: list[_Entry]) -> dict[str, list[_Candidate]]:
    """Entries (in their order) by the first letter of their normalised text: a text is only
    compared with the entries that start with its own first letter."""
    out: dict[str, list[_Candidate]] = {}
    for e in entries:
        lt = e.tokens
        out.setdefault(e.full[0], []).append(
            (e, lt if len(lt) > 2 else None, 0.4 * len(lt), _full_chars(e.full),
             _full_chars(e.core)))
    return out


def _may_match(n: str, e: _Entry) -> bool:
    """Cheap filter before difflib: enough of the label's words present (labels of one or two
    words only need the same first letter). ``Matcher`` applies it through its precomputed
    first-letter tables; this is the rule in one function."""
    if not n or n[0] != e.full[0]:
        return False
    lt = e.tokens
    if len(lt) <= 2:
        return True
    return len(frozenset(n.split()) & lt) >= 0.4 * len(lt)


LABEL_T, OPTION_T = 0.86, 0.82
#: a word as ``norm`` sees it (letters and digits; "e-mail" is two)
_WORD = re.compile(r"[^\W_]+")
#: a line naming the chosen group(s) by number, folded: "wybrana grupa: 3", "grupy nr 2 i 5",
#: "zglaszam sie do grupy roboczej nr 4"
_DECLARED = re.compile(
    r"^(?:[a-z]+\s+){0,3}?grup[a-z]*(?:\s+robocz[a-z]*)?\s*(?:\(?\s*(?:nr|numer|no)\b\.?\s*\)?)?"
    r"\s*[:\-–]?\s*(\d{1,2}(?:\s*(?:,|;|\+|/|&|\bi\b|\boraz\b)\s*\d{1,2})*)\s*\.?$")
_UNKNOWN = Match("", "")   # a sentinel: not among the texts classified in advance
_STOP = Match("stop", "")


class Matcher:
    """Classifies one line / cell text against the form's labels.

    Everything derived from the spec (normalised labels, first-letter tables, word sets) is
    built once here; ``matcher_for`` keeps one Matcher per FormSpec object."""

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
                self._own[f.key] = tuple(sorted((x for x in own if len(x) >= 3),
                                                key=len, reverse=True))
        self._own_first = frozenset(x[0] for labs in self._own.values() for x in labs)
        # text labels of 2+ words (8+ characters) by their first word, longest first: a label
        # followed by the value after a space (``_label_then_value``)
        self._by_first_word: dict[str, list[tuple[_Entry, int]]] = {}
        for e in sorted(self.labels, key=lambda e: -len(e.full)):
            k = len(e.full.split())
            if e.kind == "label" and k >= 2 and len(e.full) >= 8:
                self._by_first_word.setdefault(e.full.split()[0], []).append((e, k))
        self._cache: dict[tuple[str, bool], Match | None] = {}
        self._norms: dict[str, str] = {}
        self._matches: dict[tuple[str, str, bool | None, bool], Match] = {}
        # the form's own texts as the spec spells them (a filled-in form prints them so):
        # classified once here, from the spec alone; other texts are classified per file
        self._known: dict[tuple[str, bool], Match | None] = {}
        for x in self._spec_texts():
            for partial in (False, True):
                self._known[(x, partial)] = self._classify(x, partial)

    def _spec_texts(self) -> list[str]:
        spec = self.spec
        out = [*spec.headings, *spec.stop]
        for f in spec.fields:
            out += f.labels
            out += [o.name for o in f.options]
        return out

    def forget(self) -> None:
        """Drop what was worked out from files' texts (classified lines, normalised texts);
        keep what comes from the spec."""
        self._cache.clear()
        self._norms.clear()

    def norm(self, s: str) -> str:
        """``norm(s)``, remembered like the classified lines (the same text is classified, and
        its value lines cleaned, from one file)."""
        n = self._norms.get(s)
        if n is None:
            n = norm(s)
            if len(self._norms) < 20000:
                self._norms[s] = n
        return n

    def strip_own_label(self, key: str, value: str) -> str | None:
        """``value`` without its own field's label typed in front of it ("Tel. 600 100 200",
        "E-mail: a@b.pl"): the label must be followed by ":" (or end with "." itself) and
        something must remain. Anything else is left as the applicant wrote it."""
        if not value or (value[0].lower() not in self._own_first and \
                fold(value[0]) not in self._own_first):
            return value
        for lab in self._own.get(key, ()):
            if len(value) <= len(lab) or fold(value[:len(lab)]) != lab:
                continue
            rest = value[len(lab):]
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
        # longest on a tie, among the labels passing the cheap filter (_may_match)
        best: _Entry | None = None
        words: frozenset[str] | None = None
        n_chars = _Chars(n)
        c_chars = n_chars if c == n else _Chars(c)
        for e, lt, need, full_chars, core_chars in self._label_first.get(n[0], ()):
            if lt is not None:
                if words is None:
                    words = frozenset(n.split())
                if len(words & lt) < need:
                    continue
            if best is not None and len(e.full) <= len(best.full):
                continue  # would not replace the best one found
            if _close(n_chars, full_chars, LABEL_T) or (
                    c and e.core and (c != n or e.core != e.full)  # else: the same comparison
                    and _close(c_chars, core_chars, LABEL_T)):
                best = e
        return best

    def _box(self, n: str, partial: bool) -> tuple[_Entry, bool] | None:
        c = n
        hit = self.exact_box.get(n)
        if hit is not None:
            return hit, False
        bucket = self._box_first.get(n[0]) if n else None
        if bucket:
            words: frozenset[str] | None = None
            n_chars = _Chars(n)
            for e, lt, need, full_chars, _ in bucket:
                if lt is not None:
                    if words is None:
                        words = frozenset(n.split())
                    if len(words & lt) < need:
                        continue
                if _close(n_chars, full_chars, OPTION_T):
                    return e, False
        if partial and len(c) >= 12:
            for e in self.boxes:
                if e.full.startswith(c) and len(c) >= 0.3 * len(e.full):
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
        return any(e.key == key and e.full.startswith(n)
                   for e in (*self.labels, *self.boxes))

    def _label_then_value(self, body: str, n: str) -> Match | None:
        """A label of two or more words followed by the value after a space only ("Imię i
        nazwisko Jan Kowalski"): the longest such label that ``n`` begins with."""
        cands = self._by_first_word.get(n.split(" ", 1)[0])
        if not cands:
            return None
        for e, k in cands:   # longest first
            if n.startswith(e.full + " "):
                if any(x.full.startswith(n) for x in (*self.labels, *self.boxes)):
                    return None   # the beginning of a longer label (a wrapped PDF line)
                enum = _ENUM.match(fold(body))
                if enum:
                    body = body[enum.end():]
                words = list(_WORD.finditer(body))
                if len(words) <= k:
                    return None
                rest = body[words[k - 1].end():].lstrip(" \t:–-—")
                return Match("label", e.key, rest) if rest.strip() else None
        return None

    def begins_entry(self, text: str) -> bool:
        """Is ``text`` (8+ characters normalised) the beginning of a label or box text, too
        short to be taken as one on its own (a narrow table column wraps it)?"""
        n = self.norm(split_mark(text)[1])
        if len(n) < 8:
            return False
        return any(e.full.startswith(n) for e in (*self.labels, *self.boxes))

    def _match(self, kind: str, key: str, tick: bool | None, partial: bool) -> Match:
        """Match(kind, key, tick=tick, partial=partial): one shared object each (it is frozen)."""
        ck = (kind, key, tick, partial)
        m = self._matches.get(ck)
        if m is None:
            m = self._matches[ck] = Match(kind, key, tick=tick, partial=partial)
        return m

    def classify(self, text: str, partial: bool = False) -> Match | None:
        """What this text is on the form, or None for a value. ``partial`` also accepts the
        beginning of a label (a PDF line that wraps)."""
        ck = (text, partial)
        m = self._known.get(ck, _UNKNOWN)
        if m is not _UNKNOWN:
            return m
        if ck in self._cache:
            return self._cache[ck]
        m = self._classify(text, partial)
        if len(self._cache) < 20000:
            self._cache[ck] = m
        return m

    def _classify(self, text: str, partial: bool) -> Match | None:
        tick, body = split_mark(text)
        n = self.norm(body)
        if not n:
            return None
        if self._stop(n):
            return _STOP
        if tick is None or not body:
            # "Label: value" typed into the label cell
            for sep in (":", " – ", " - ", "\t"):
                idx = body.find(sep)
                if idx > 0:
                    head = body[:idx]
                    hn = self.norm(head)
                    e = self._label(hn, core(head) if "(" in head else hn)
                    if e is not None:
                        return Match(e.kind, e.key, body[idx + len(sep):].strip())
                    break
            e = self._label(n, core(body) if "(" in body else n)
            if e is not None:
                return self._match(e.kind, e.key, None, False)
            hit = self._label_then_value(body, n)
            if hit is not None:
                return hit
        b = self._box(n, partial)
        if b is not None:
            e, part = b
            return self._match(e.kind, e.key, tick, part)
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
