"""Words on a page → the form's printed texts (anchors) and the values that belong to them.

Everything here is by position: Tesseract's word boxes are grouped into lines and the lines
into phrases (runs of words without a column gap). A phrase that begins one of the form spec's
texts — a label, the choice heading, a printed choice, a statement, a heading, a stop text —
is joined with the lines below it in the same column while the text goes on (a label wrapped
in a narrow cell), fuzzily, since OCR misreads letters. Every other word belongs to the nearest
printed text before it on the page: the one on its own line to its left, else the nearest one
above it. Only a text field's label takes values; a heading, a choice, a statement or a stop
text ends the value before it (and what follows a stop text — the signature, the information
clause, a footer — is never read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from statistics import median

from rapidfuzz import fuzz

from parsers.spec import FormSpec
from parsers.text import fold, norm

#: a column gap: words further apart than this many line heights are different phrases
COLUMN_GAP = 1.6
#: lines a printed text may wrap over
MAX_LINES = 6
#: words before a printed text that may be skipped: a box read as a letter, an enumerator
_JUNK_WORD = re.compile(r"^[\W_]*[\w]{0,3}[\W_]*$")
MAX_JUNK = 3


@dataclass(frozen=True)
class OWord:
    """A word Tesseract read on one page (pixels of the upright page)."""

    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int
    page: int
    key: str = ""  # the word normalised (folded, letters and digits)

    @property
    def height(self) -> int:
        return max(1, self.bottom - self.top)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass
class Phrase:
    words: list[OWord]

    @property
    def left(self) -> int:
        return self.words[0].left

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return float(median(w.height for w in self.words))


@dataclass(frozen=True)
class Target:
    """A text printed on the form, as the spec spells it."""

    kind: str  # label | groups | option | checkbox | heading | stop
    key: str  # field key; option: the choice's field key
    number: int | None
    text: str  # normalised
    first: str  # its first word, normalised

    @property
    def short(self) -> bool:
        return len(self.text) < 9


@dataclass
class Anchor:
    target: Target
    words: list[OWord]  # the printed text's words, all its lines
    lead: list[OWord]  # words skipped before it on its first line (a box read as "D", "1.")
    page: int
    score: float
    values: list[OWord] = field(default_factory=list)

    @property
    def first_line(self) -> list[OWord]:
        top = self.words[0]
        return [w for w in self.words if abs(w.cy - top.cy) <= 0.6 * top.height]

    @property
    def top(self) -> int:
        return min(w.top for w in self.words + self.lead)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def left(self) -> int:
        return min(w.left for w in self.words + self.lead)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def text_left(self) -> int:
        return self.words[0].left


def word_key(text: str) -> str:
    return norm(text)


# --- the form's texts ------------------------------------------------------------------------


@lru_cache(maxsize=8)
def targets_for(spec: FormSpec) -> tuple[Target, ...]:
    out: list[Target] = []

    def add(kind: str, key: str, number: int | None, text: str) -> None:
        n = norm(text)
        if n:
            out.append(Target(kind, key, number, n, n.split()[0]))

    for f in spec.fields:
        if f.type == "text":
            for label in f.labels:
                add("label", f.key, None, label)
        elif f.type == "groups":
            for label in f.labels:
                add("groups", f.key, None, label)
            for o in f.options:
                add("option", f.key, o.number, o.name)
        else:
            for label in f.labels:
                add("checkbox", f.key, None, label)
    for h in spec.headings:
        add("heading", "", None, h)
    for s in spec.stop:
        add("stop", "", None, s)
    # one target per (kind, key, text)
    seen: set[tuple[str, str, int | None, str]] = set()
    unique = []
    for t in out:
        k = (t.kind, t.key, t.number, t.text)
        if k not in seen:
            seen.add(k)
            unique.append(t)
    return tuple(unique)


# --- lines and phrases -----------------------------------------------------------------------


def lines_of(words: Sequence[OWord]) -> list[list[OWord]]:
    """Words grouped into lines (their vertical centres close), top to bottom, left to right."""
    rows: list[list[OWord]] = []
    for w in sorted(words, key=lambda w: (w.cy, w.left)):
        for row in rows[-4:]:
            ref = row[-1]
            h = min(ref.height, w.height)
            if abs(ref.cy - w.cy) <= 0.45 * max(h, 1) and not _overlaps(row, w):
                row.append(w)
                break
        else:
            rows.append([w])
    for row in rows:
        row.sort(key=lambda w: w.left)
    rows.sort(key=lambda r: (median(w.cy for w in r), r[0].left))
    return rows


def _overlaps(row: list[OWord], w: OWord) -> bool:
    return any(
        min(x.right, w.right) - max(x.left, w.left) > 0.5 * min(x.right - x.left, w.right - w.left)
        for x in row
    )


def phrases_of(line: list[OWord]) -> list[Phrase]:
    h = median(w.height for w in line)
    out = [Phrase([line[0]])]
    for w in line[1:]:
        prev = out[-1].words[-1]
        if w.left - prev.right > COLUMN_GAP * h:
            out.append(Phrase([w]))
        else:
            out[-1].words.append(w)
    return out


# --- finding the form's texts ----------------------------------------------------------------


def _threshold(t: Target) -> float:
    n = len(t.text)
    if n < 9:
        return 92.0
    if n < 20:
        return 84.0
    return 78.0


def _prefix_ok(first: str, t: Target) -> bool:
    if not first:
        return False
    if first == t.first:
        return True
    return fuzz.ratio(first, t.first) >= 60 or (len(first) >= 4 and t.first.startswith(first[:4]))


def _best_m(stream: list[str], t: Target, ends: set[int]) -> tuple[float, int]:
    """(ratio, words) of the best prefix of ``stream`` (normalised words) against ``t``."""
    best = (0.0, 0)
    length = 0
    for m, tok in enumerate(stream, start=1):
        length += len(tok) + (1 if m > 1 else 0)
        if length < 0.7 * len(t.text) - 2:
            continue
        if length > 1.3 * len(t.text) + 3:
            break
        if t.short and m not in ends:
            continue  # a short label is a whole phrase (or ends in ":")
        r = fuzz.ratio(" ".join(stream[:m]), t.text)
        if r > best[0]:
            best = (r, m)
    return best


class Finder:
    """Finds the form's printed texts among one scan's phrases."""

    def __init__(self, spec: FormSpec) -> None:
        self.targets = targets_for(spec)
        self.by_first: dict[str, list[Target]] = {}
        for t in self.targets:
            self.by_first.setdefault(t.first[:1], []).append(t)

    def candidates(self, first: str) -> list[Target]:
        return [t for t in self.targets if _prefix_ok(first, t)]

    def find(self, pages: Sequence[list[list[OWord]]]) -> list[Anchor]:
        anchors: list[Anchor] = []
        for lines in pages:
            anchors += self._page(lines)
        # a text field's label is printed once: a second one is a value ("Stanowisko: …"
        # written inside the experience text)
        seen: set[str] = set()
        out = []
        for a in anchors:
            if a.target.kind == "label":
                if a.target.key in seen:
                    continue
                seen.add(a.target.key)
            out.append(a)
        return out

    def _page(self, lines: list[list[OWord]]) -> list[Anchor]:
        phrases = [phrases_of(line) for line in lines]
        used: set[int] = set()  # id() of words taken by an anchor
        anchors: list[Anchor] = []
        for li, row in enumerate(phrases):
            for phrase in row:
                words = [w for w in phrase.words if id(w) not in used]
                if not words:
                    continue
                found = self._match_at(words, phrases, li, phrase)
                if found is None:
                    continue
                anchors.append(found)
                used.update(id(w) for w in found.words)
                used.update(id(w) for w in found.lead)
        return anchors

    def _continuations(self, phrases: list[list[Phrase]], li: int, first: Phrase) -> list[Phrase]:
        """The phrases below ``first`` in the same column, line after line."""
        out: list[Phrase] = []
        h = first.height
        prev = first
        for row in phrases[li + 1 : li + MAX_LINES]:
            nxt = None
            for p in row:
                if p.top - prev.bottom > 1.1 * h:
                    return out
                if abs(p.left - first.left) <= 3.0 * h and p.left < first.right:
                    nxt = p
                    break
            if nxt is None:
                if row and row[0].top - prev.bottom > 1.1 * h:
                    return out
                continue
            out.append(nxt)
            prev = nxt
        return out

    def _match_at(
        self, words: list[OWord], phrases: list[list[Phrase]], li: int, phrase: Phrase
    ) -> Anchor | None:
        conts = self._continuations(phrases, li, phrase)
        best: tuple[float, Target, int, int] | None = None
        for skip in range(min(MAX_JUNK, len(words) - 1) + 1):
            if skip and not _JUNK_WORD.match(words[skip - 1].text):
                break
            first_words = words[skip:]
            first_key = next((w.key for w in first_words if w.key), "")
            cands = self.candidates(first_key.split(" ")[0] if first_key else "")
            if not cands:
                continue
            stream_words: list[OWord] = []
            tokens: list[str] = []
            ends: set[int] = set()
            for part in [first_words, *[c.words for c in conts]]:
                for w in part:
                    if w.key:
                        for tok in w.key.split():
                            tokens.append(tok)
                            stream_words.append(w)
                        if w.text.rstrip().endswith(":"):
                            ends.add(len(tokens))
                ends.add(len(tokens))
                for t in cands:
                    r, m = _best_m(tokens, t, ends)
                    if r < _threshold(t):
                        continue
                    score = r * len(t.text) - 40 * skip
                    if best is None or score > best[0]:
                        best = (score, t, skip, m)
        if best is None:
            return None
        score, t, skip, m = best
        seq = [w for part in [words[skip:], *[c.words for c in conts]] for w in part]
        count = 0
        last = 0
        for i, w in enumerate(seq):
            if w.key:
                count += len(w.key.split())
                if count >= m:
                    last = i
                    break
        # punctuation between and right after the text's words ("/", ":") is part of it
        while (
            last + 1 < len(seq)
            and not seq[last + 1].key
            and seq[last + 1].page == seq[last].page
            and abs(seq[last + 1].cy - seq[last].cy) < seq[last].height
        ):
            last += 1
        taken = seq[: last + 1]
        return Anchor(t, taken, words[:skip], taken[0].page, score)


# --- values ----------------------------------------------------------------------------------


def assign(anchors: list[Anchor], words: Sequence[OWord]) -> None:
    """Each word not in a printed text goes to the printed text before it (see the module)."""
    taken = {id(w) for a in anchors for w in a.words + a.lead}
    by_page: dict[int, list[Anchor]] = {}
    for a in anchors:
        by_page.setdefault(a.page, []).append(a)
    for w in words:
        if id(w) in taken:
            continue
        owner = _owner(by_page.get(w.page, []), w)
        if owner is None:
            earlier = [a for a in anchors if a.page < w.page]
            owner = max(earlier, key=lambda a: (a.page, a.top)) if earlier else None
        if owner is not None:
            owner.values.append(w)


def _owner(anchors: list[Anchor], w: OWord) -> Anchor | None:
    above = [a for a in anchors if a.top <= w.cy + 0.25 * w.height]
    if not above:
        return None
    # on the word's own line, to its left: the nearest such text
    same = [
        a
        for a in above
        if any(abs(x.cy - w.cy) <= 0.6 * max(x.height, w.height) for x in a.words)
        and a.right <= w.left + 0.5 * w.height
    ]
    if same:
        return max(same, key=lambda a: a.right)
    # else the nearest above; texts on one line: the nearest to the left of the word
    top = max(a.bottom for a in above)
    row = [a for a in above if a.bottom >= top - 0.6 * w.height]
    left = [a for a in row if a.left <= w.left + w.height]
    return max(left, key=lambda a: a.left) if left else min(row, key=lambda a: a.left)


def fold_text(s: str) -> str:
    return fold(s)
