"""Words on a page → the form's printed texts (anchors) and the values that belong to them.

Everything here is by position, on the phrases of ``words.py``. A phrase that begins one of
the form spec's texts — a label, the choice heading, a printed choice, a statement, a heading,
a stop text — is joined with the phrases below it in the same column while the text goes on
(a label wrapped in a narrow cell), compared fuzzily, since OCR misreads letters. A box or an
enumerator read as letters before the text ("D 1.", "£(4)") is skipped, and so are the text's
first words when OCR garbled them. Every other word belongs to the nearest printed text before
it on the page: the one on its own line to its left, else the nearest one above it. Only a
text field's label takes values; a heading, a choice, a statement or a stop text ends the
value before it (and what follows a stop text — the signature, the information clause, a
footer — is never read).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz

from parsers.ocr.words import OWord, Phrase, line_slopes, middle_x, phrases_of
from parsers.spec import FormSpec
from parsers.text import fold, norm

#: lines a printed text may wrap over
MAX_LINES = 6
#: words before a printed text that may be skipped (see ``_junk``)
_JUNK_WORD = re.compile(r"^[\W_]*[\w]{0,3}[\W_]*$")
MAX_JUNK = 3
MAX_JUNK_LENGTH = 6
#: the text's first three words must be this like the printed ones (a heading above a
#: statement is not the statement's beginning)
HEAD_RATIO = 70.0


@dataclass(frozen=True)
class Target:
    """A text printed on the form, as the spec spells it."""

    kind: str  # label | groups | option | checkbox | heading | stop
    key: str  # field key; option: the choice's field key
    number: int | None
    text: str  # normalised
    first: str  # its first word, normalised
    head: str  # its first three words, normalised

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
    text_left: int  # where the printed text begins (a mark glued to its first word is left)
    glued: bool = False  # text_left is estimated inside the first word (a mark glued to it)
    values: list[OWord] = field(default_factory=list)

    @property
    def first_line(self) -> list[OWord]:
        top = self.words[0]
        return [
            w for w in self.words if w.line == top.line or abs(w.cy - top.cy) < 0.3 * top.height
        ]

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


# --- the form's texts ------------------------------------------------------------------------


@lru_cache(maxsize=8)
def targets_for(spec: FormSpec) -> tuple[Target, ...]:
    out: list[Target] = []

    def add(kind: str, key: str, number: int | None, text: str) -> None:
        n = norm(text)
        if n:
            out.append(Target(kind, key, number, n, n.split()[0], " ".join(n.split()[:3])))

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
    seen: set[tuple[str, str, int | None, str]] = set()
    unique = []
    for t in out:
        k = (t.kind, t.key, t.number, t.text)
        if k not in seen:
            seen.add(k)
            unique.append(t)
    return tuple(unique)


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
    if best[0] < _threshold(t):
        return max(best, _garbled_last(stream, t, ends))
    return best


#: a printed text may be found with its last word garbled ("Miejscowość i GE" for
#: "Miejscowość i data": a pen stroke across it) when the words before it are this long
HEAD_LENGTH = 12


def _garbled_last(stream: list[str], t: Target, ends: set[int]) -> tuple[float, int]:
    """(ratio, words) of ``t`` found as its words but the last read as they are printed and
    one word about as long as the last ending the phrase (a garbled word, not a value that
    begins right after the text), or (0, 0)."""
    head, _, last = t.text.rpartition(" ")
    if len(head) < HEAD_LENGTH or head.count(" ") < 1:
        return 0.0, 0
    m = head.count(" ") + 1
    if len(stream) <= m or m + 1 not in ends or abs(len(stream[m]) - len(last)) > 2:
        return 0.0, 0
    if fuzz.ratio(" ".join(stream[:m]), head) < 95:
        return 0.0, 0
    return _threshold(t), m + 1


def _junk(text: str) -> bool:
    """A word that may stand before a printed text without being part of it: up to three
    letters or digits ("D", "LI", "1.", "II."), or a short run mixing letters with other
    signs ("EIĆQ)", "£(4)": a box and a circled number read as letters). Never a word."""
    if _JUNK_WORD.match(text):
        return True
    return len(text) <= MAX_JUNK_LENGTH and not text.isalpha()


def _glued_left(w: OWord, first: str) -> int:
    """Where in the word the printed text's first word ``first`` (normalised) begins, in
    pixels: a tick or a box read as letters glued to the text ("g/Oświadczam", "ZGJGrupa")."""
    folded = fold(w.text)
    if len(folded) <= len(first):
        return w.left
    found = fuzz.partial_ratio_alignment(first, folded)
    at = found.dest_start if found is not None else 0
    if at <= 0:
        return w.left
    return w.left + round((w.right - w.left) * at / len(folded))


#: a printed text this long may be found without its first word (OCR garbled it: "=!" for
#: "Rodzaj")
TAIL_WORDS, TAIL_LENGTH = 4, 25


#: a stop text (the signature's caption) may be found without its first word when this much
#: of it is left: it must end the value above it even when its first word is misread
#: ("ŁOAB kandydatki / kandydata" for "Podpis kandydatki / kandydata")
STOP_TAIL_WORDS, STOP_TAIL_LENGTH = 2, 15


def _stop_tail(t: Target, n: int) -> bool:
    rest = t.text.split()[n:]
    return len(rest) >= STOP_TAIL_WORDS and len(" ".join(rest)) >= STOP_TAIL_LENGTH


def _tail(t: Target, n: int) -> Target:
    words = t.text.split()[n:]
    return Target(t.kind, t.key, t.number, " ".join(words), words[0], " ".join(words[:3]))


class Finder:
    """Finds the form's printed texts among one scan's phrases."""

    def __init__(self, spec: FormSpec) -> None:
        self.targets = targets_for(spec)
        self.tails = [
            (_tail(t, n), t)
            for t in self.targets
            for n in (1, 2)
            if (t.text.count(" ") + 1 >= TAIL_WORDS + n and len(t.text) >= TAIL_LENGTH)
            or (t.kind == "stop" and _stop_tail(t, n))
        ]

    def candidates(
        self, first: str, garbled: bool = False, tails: bool = False
    ) -> list[tuple[Target, Target]]:
        """(what to compare with, the printed text) for a phrase beginning with ``first``.
        ``tails``: words were skipped before it, which may be the text's first words misread
        (``garbled``: they are words, not marks, so only that)."""
        out = [] if garbled else [(t, t) for t in self.targets if _prefix_ok(first, t)]
        if tails or garbled:
            out += [(tail, t) for tail, t in self.tails if _prefix_ok(first, tail)]
        return out

    def find(self, pages: Sequence[Sequence[OWord]]) -> list[Anchor]:
        anchors: list[Anchor] = []
        for words in pages:
            anchors += self._page(phrases_of(words))
        # a form's text is printed once: a second one is a value ("Stanowisko: …" or "…
        # ekonomia społeczna …" written inside the experience text); a stop text only may
        # come again (a second signature)
        seen: set[tuple[str, str, int | None]] = set()
        out = []
        for a in anchors:
            t = a.target
            if t.kind != "stop":
                once = (t.kind, t.key, t.number) if t.kind != "heading" else (t.kind, t.text, None)
                if once in seen:
                    continue
                seen.add(once)
            out.append(a)
        return out

    def _page(self, phrases: list[Phrase]) -> list[Anchor]:
        used: set[int] = set()  # id() of words taken by an anchor
        anchors: list[Anchor] = []
        junk_before: dict[int, Phrase] = {}  # phrase -> marks alone just left of it
        for p in phrases:
            if all(_junk(w.text) for w in p.words):
                for q in phrases:
                    if q.words[0].line == p.words[0].line and 0 < q.left - p.right <= 6 * p.height:
                        junk_before[id(q)] = p
        for i, phrase in enumerate(phrases):
            words = [w for w in phrase.words if id(w) not in used]
            if not words:
                continue
            # a garbled first word cut off as a phrase of its own: the column is where it is
            origin = junk_before.get(id(phrase), phrase)
            conts = [
                [w for w in c.words if id(w) not in used]
                for c in self._continuations(phrases, i, phrase, origin.left)
            ]
            found = self._match_at(words, [c for c in conts if c])
            if found is None or (found.target.kind == "heading" and _inside_text(found, words)):
                continue
            anchors.append(found)
            used.update(id(w) for w in found.words)
            used.update(id(w) for w in found.lead)
        return anchors

    @staticmethod
    def _continuations(phrases: list[Phrase], i: int, first: Phrase, column: int) -> list[Phrase]:
        """The phrases below ``first`` in its column (which begins at ``column``), line after
        line."""
        out: list[Phrase] = []
        h = first.height
        prev = first
        for _ in range(MAX_LINES - 1):
            nxt = None
            for q in phrases[i + 1 :]:
                if q.top - prev.bottom > 1.2 * h:
                    break
                if q.top <= prev.top + 0.5 * h or q in out:
                    continue
                if abs(q.left - column) <= 3.0 * h and q.left < first.right:
                    nxt = q
                    break
            if nxt is None:
                break
            out.append(nxt)
            prev = nxt
        return out

    def _match_at(self, words: list[OWord], conts: list[list[OWord]]) -> Anchor | None:
        best: tuple[tuple[int, float], Target, int, int, int] | None = None
        for skip in range(min(MAX_JUNK, len(words) - 1) + 1):
            # a word that is not a mark is skipped only as the text's own first word misread
            # words that are not marks are skipped only as the text's own first words misread
            garbled = 1 <= skip <= 2 and not all(_junk(w.text) for w in words[:skip])
            if skip and not garbled and not all(_junk(w.text) for w in words[:skip]):
                continue
            tokens: list[str] = []
            owners: list[int] = []  # the index in ``seq`` of each token's word
            ends: set[int] = set()
            seq = [w for part in [words[skip:], *conts] for w in part]
            part_ends: set[int] = set()
            n = 0
            for part in [words[skip:], *conts]:
                n += len(part)
                part_ends.add(n - 1)
            for wi, w in enumerate(seq):
                for tok in w.key.split():
                    tokens.append(tok)
                    owners.append(wi)
                if w.key and w.text.rstrip().endswith(":"):
                    ends.add(len(tokens))
                if wi in part_ends:
                    ends.add(len(tokens))
            if not tokens:
                continue
            # a mark glued to the first word ("g/Oświadczam"): its first token may be skipped
            starts = [0]
            if len(tokens) > 1 and len(tokens[0]) <= 2 and owners[0] == owners[1]:
                starts.append(1)
            for start in starts:
                stream = tokens[start:]
                stream_ends = {e - start for e in ends if e > start}
                for compared, t in self.candidates(stream[0], garbled, tails=skip > 0):
                    k = compared.head.count(" ") + 1
                    if fuzz.ratio(" ".join(stream[:k]), compared.head) < HEAD_RATIO:
                        continue
                    r, m = _best_m(stream, compared, stream_ends)
                    if r < _threshold(compared):
                        continue
                    score = r * len(t.text) - 40 * (skip + start)
                    if compared is not t:
                        # the first words are not there (misread)
                        score -= 100 * (len(t.text) - len(compared.text))
                    # what begins nearest the phrase's start wins: words are skipped only
                    # when nothing is found without skipping them
                    rank = (-(skip + start), score)
                    if best is None or rank > best[0]:
                        best = (rank, t, skip, start, m)
        if best is None:
            return None
        (_, score), t, skip, start, m = best
        seq = [w for part in [words[skip:], *conts] for w in part]
        count = 0
        last = 0
        first_word = None
        for i, w in enumerate(seq):
            if w.key:
                n = len(w.key.split())
                if first_word is None and count + n > start:
                    first_word = i
                count += n
                if count >= m + start:
                    last = i
                    break
        assert first_word is not None
        # punctuation between and right after the text's words ("/", ":") is part of it
        while (
            last + 1 < len(seq)
            and not seq[last + 1].key
            and not seq[last + 1].is_rule
            and seq[last + 1].line == seq[last].line
        ):
            last += 1
        taken = seq[first_word : last + 1]
        lead = words[:skip] + seq[:first_word]
        # a mark glued to the first word ("(Oświadczam", "ZGJGrupa"): the text begins where
        # the printed text's first word does
        text_left = _glued_left(taken[0], t.first)
        return Anchor(t, taken, lead, taken[0].page, score, text_left, text_left > taken[0].left)


def _inside_text(a: Anchor, phrase: list[OWord]) -> bool:
    """A heading stands alone on its line: words of text after it on its last line ("Mam
    doświadczenie we współpracy …" is no heading "Oświadczenia") say it is a value's."""
    last = a.words[-1]
    return any(
        w.line == last.line and w.left > last.right and w.key and not w.is_rule for w in phrase
    )


# --- values ----------------------------------------------------------------------------------


def assign(anchors: list[Anchor], words: Sequence[OWord]) -> None:
    """Each word not in a printed text goes to the printed text before it (see the module)."""
    taken = {id(w) for a in anchors for w in a.words + a.lead}
    by_page: dict[int, list[Anchor]] = {}
    for a in anchors:
        by_page.setdefault(a.page, []).append(a)
    slopes = line_slopes(words)
    for w in words:
        if id(w) in taken or w.is_rule:
            continue
        owner = _owner(by_page.get(w.page, []), w, slopes)
        if owner is None:
            earlier = [a for a in anchors if a.page < w.page]
            owner = max(earlier, key=lambda a: (a.page, a.top)) if earlier else None
        if owner is not None:
            owner.values.append(w)


def _line_gap(a: Anchor, w: OWord, slopes: dict[tuple[int, int], float] | None) -> float:
    """How far ``w`` lies from the lines of ``a``'s words, in line heights: 0 on Tesseract's
    line, else from where that line, sloping as it does (or as the page's lines do), passes
    ``w``."""
    gap = float("inf")
    for x in a.words:
        if x.line == w.line:
            return 0.0
        slope = 0.0
        if slopes:
            slope = slopes.get((x.page, x.line), slopes.get((x.page, -1), 0.0))
        off = abs(x.cy + slope * (middle_x(w) - middle_x(x)) - w.cy) / max(x.height, w.height)
        gap = min(gap, off)
    return gap


def _owner(
    anchors: list[Anchor], w: OWord, slopes: dict[tuple[int, int], float] | None = None
) -> Anchor | None:
    # on the word's own line, to its left: the text whose line passes nearest to it (a line
    # sloping down to the next one's text does not take it), of those as near the nearest
    # to the word
    left = [a for a in anchors if a.right <= w.left + 0.5 * w.height]
    gaps = {id(a): round(4 * _line_gap(a, w, slopes)) / 4 for a in left}
    same = [a for a in left if gaps[id(a)] <= 0.5]
    if same:
        return min(same, key=lambda a: (gaps[id(a)], -a.right))
    above = [a for a in anchors if a.top <= w.cy + 0.25 * w.height]
    if not above:
        return None
    # else the nearest above; texts on one line: the nearest to the left of the word
    top = max(a.bottom for a in above)
    row = [a for a in above if a.bottom >= top - 0.6 * w.height]
    left = [a for a in row if a.left <= w.left + w.height]
    return max(left, key=lambda a: a.left) if left else min(row, key=lambda a: a.left)
