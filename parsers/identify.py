"""Is this file the call's form? Found by what only that form prints, not by its labels.

Every office form prints "Imię i nazwisko", "Adres e-mail", "Telefon": labels found say a
file is *a* form. The call's form is known by its own texts (its **elements**): its title,
its choice texts as printed (the five groups), its statements, the headings only it has, and
any phrase the ``[form.identify]`` table adds. A file is the form when ``needed`` of its
elements are found (``Identifier.identify``), or, for a fillable PDF, when it has every field
name of ``identify.pdf_names`` (``Identifier.by_field_names``).

How a text is found survives what applicants do to the form: its words are looked for in the
file's text as a stream of normalised words, so a text wrapped over lines or table cells, a
tick or an "X" in front of it, a word retyped differently or missing still count. A text is
found where one stretch of the stream (its length and a quarter) holds 80 % of its words and
75 % of its *key words*, those that are neither office words (``words.OFFICE_WORDS``), nor
words of the form's own personal-data labels, nor shared by the other choices ("Grupa robocza
ds."): another body's consent clause shares most of the wording but not the key words.

Imports nothing of ``parsers`` but ``parsers.words``: the form spec builds its identifier
on first use (``FormSpec.identifier``), and when a written ``[form.identify]`` is loaded, to
check ``needed`` against what the form has.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parsers.words import distinctive, norm

#: share of a text's words, and of its key words, that one stretch of the file must hold
WORDS_SHARE, KEY_SHARE = 0.8, 0.75
#: at most this many elements must be found unless ``needed`` says otherwise
DEFAULT_NEEDED = 3
#: a heading identifies the form only with this many key words ("IV. Oświadczenia" has none)
HEADING_KEY_WORDS = 2
#: at most this many places of a text's rarest key words are looked at
MAX_ANCHORS = 256


@dataclass(frozen=True)
class Identification:
    """Which of the form's own elements a file carries: ``found`` and ``missing`` (each as
    printed on the form; alternatives joined by " | "), ``score`` (elements found) against
    ``needed``. ``by``: "text" (the file's text) or "field_names" (a fillable PDF whose field
    names are those of ``identify.pdf_names``: ``found`` lists them)."""

    found: tuple[str, ...]
    missing: tuple[str, ...]
    score: int
    needed: int
    by: str = "text"

    @property
    def identified(self) -> bool:
        return self.score >= self.needed

    def to_json(self) -> dict[str, Any]:
        return {
            "found": list(self.found),
            "missing": list(self.missing),
            "score": self.score,
            "needed": self.needed,
            "by": self.by,
        }

    def summary(self) -> str:
        """One line for a person (the CLI, the detail of ``not_the_form``)."""
        if self.by == "field_names":
            return f"the form's own fillable fields: {', '.join(self.found)}"
        return f"{self.score} of the form's own texts found (need {self.needed})"


@dataclass(frozen=True)
class Phrase:
    """One text of the form, ready to look for."""

    text: str  # as printed
    exact: str  # its normalised words, " " before and after (found as they are: no search)
    words: frozenset[str]  # its normalised words
    key: frozenset[str]  # the words that tell this form from others
    spaced_key: tuple[str, ...]  # the key words with " " before and after
    need_words: int
    need_key: int
    span: int  # the stretch of the file's words it may take

    def may_be_in(self, joined: str) -> bool:
        """Are enough of its key words anywhere in the file's words (joined by spaces)?"""
        need, left = self.need_key, len(self.spaced_key)
        for w in self.spaced_key:
            if need > left:
                return False
            left -= 1
            if w in joined:
                need -= 1
                if not need:
                    return True
        return need <= 0

    @classmethod
    def of(cls, text: str, also_common: frozenset[str], strict: bool) -> Phrase | None:
        """The phrase, or None when it has no key word (it could be on any form); an
        office's own phrase (``strict`` False) then counts all its words as key words."""
        seq = norm(text).split()
        words = frozenset(seq)
        if not words:
            return None
        key = distinctive(words, also_common)
        if not key:
            if strict:
                return None
            key = words
        return cls(
            text,
            f" {' '.join(seq)} ",
            words,
            key,
            tuple(f" {w} " for w in sorted(key)),
            math.ceil(WORDS_SHARE * len(words)),
            math.ceil(KEY_SHARE * len(key)),
            len(seq) + max(3, len(seq) // 4),
        )


@dataclass(frozen=True)
class Element:
    """One identifying element: found when any of its phrases is."""

    what: str  # "phrase", "title", "heading", "choice", "statement"
    phrases: tuple[Phrase, ...]

    def shown(self) -> str:
        return " | ".join(p.text for p in self.phrases)


def _element(
    what: str,
    texts: Sequence[str],
    also_common: frozenset[str],
    strict: bool = True,
    min_key: int = 1,
) -> Element | None:
    phrases = []
    for text in texts:
        phrase = Phrase.of(text, also_common, strict)
        if phrase is not None and len(phrase.key) >= (min_key if strict else 1):
            phrases.append(phrase)
    return Element(what, tuple(phrases)) if phrases else None


def _shared(texts: Sequence[str]) -> frozenset[str]:
    """Words every choice has ("grupa", "robocza"): they tell the form from another form no
    better than one choice from another."""
    if len(texts) < 2:
        return frozenset()
    sets = [frozenset(norm(text).split()) for text in texts]
    return frozenset.intersection(*sets)


@dataclass(frozen=True)
class FormTexts:
    """What the identifier is derived from, as the form spec has it (plain values, so that
    this module needs nothing of ``parsers.spec``)."""

    title: str
    headings: Sequence[str]
    #: (kind, labels, option names) of every field, in form order
    fields: Sequence[tuple[str, Sequence[str], Sequence[str]]]
    phrases: Sequence[Sequence[str]]  # identify.phrases
    derive: bool
    needed: int | None
    pdf_names: Sequence[str]


#: kinds of field whose labels every office form prints: their words are no key words
_PERSONAL_KINDS = ("text", "email", "phone", "date")


def elements_of(form: FormTexts) -> tuple[Element, ...]:
    """The form's identifying elements: the office's phrases, then (``derive``) the title,
    the specific headings, and in form order the choice heading, the choice texts (one
    element: deleting the other lines leaves one), each free-text heading and each
    statement."""
    common = frozenset(
        w
        for kind, labels, _ in form.fields
        if kind in _PERSONAL_KINDS
        for x in labels
        for w in norm(x).split()
    )
    out: list[Element | None] = [
        _element("phrase", texts, common, strict=False) for texts in form.phrases
    ]
    if form.derive:
        if form.title:
            out.append(_element("title", [form.title], common))
        out += [_element("heading", [h], common, min_key=HEADING_KEY_WORDS) for h in form.headings]
        for kind, labels, options in form.fields:
            if kind == "choice":
                out.append(_element("heading", labels[:1], common, min_key=HEADING_KEY_WORDS))
                out.append(_element("choice", options, common | _shared(options)))
            elif kind == "free_text":
                out.append(_element("heading", labels[:1], common, min_key=HEADING_KEY_WORDS))
            elif kind == "statement":
                out.append(_element("statement", labels, common))
    unique: list[Element] = []
    seen: set[frozenset[str]] = set()
    for element in out:
        if element is None:
            continue
        marks = {p.words for p in element.phrases}
        if marks & seen:
            continue  # an office's phrase that the form derives as well
        seen |= marks
        unique.append(element)
    return tuple(unique)


def _name(name: str) -> str:
    return norm(name.replace("_", " "))


class Identifier:
    """The identifying elements of one form, built once per form spec."""

    def __init__(self, form: FormTexts) -> None:
        self.elements = elements_of(form)
        self.needed = (
            form.needed if form.needed is not None else min(DEFAULT_NEEDED, len(self.elements))
        )
        self.pdf_names = tuple(form.pdf_names)
        self._names = frozenset(_name(x) for x in form.pdf_names)
        self._words = frozenset(w for e in self.elements for p in e.phrases for w in p.words)

    def identify(self, texts: Iterable[str]) -> Identification:
        """Which elements the file's texts (in reading order) carry."""
        # text by text: ``norm`` remembers them, and the label matcher normalises most of the
        # same texts: cheaper than one pass over the whole text of the document
        joined = " " + " ".join(n for n in map(norm, texts) if n) + " "
        index: _Index | None = None  # the words' places, made when a text is not there as is
        found: list[str] = []
        missing: list[str] = []
        for element in self.elements:
            hit = next((p for p in element.phrases if p.exact in joined), None)
            if hit is None:
                for p in element.phrases:
                    if p.may_be_in(joined):
                        index = index or _Index(joined, self._words)
                        if index.holds(p):
                            hit = p
                            break
            if hit is None:
                missing.append(element.shown())
            else:
                found.append(hit.text)
        return Identification(tuple(found), tuple(missing), len(found), self.needed)

    def by_field_names(self, names: Iterable[str]) -> Identification | None:
        """Identified by a fillable PDF's field names (normalised as ``norm`` of the name
        with "_" as a space), when ``identify.pdf_names`` are given and all are there."""
        if not self._names or not self._names <= set(names):
            return None
        n = len(self.pdf_names)
        return Identification(self.pdf_names, (), n, n, by="field_names")


class _Index:
    """The file's words in order, and where each word of the form's texts occurs."""

    def __init__(self, joined: str, wanted: frozenset[str]) -> None:
        self.stream = joined.split()
        self.places: dict[str, list[int]] = {}
        for i, w in enumerate(self.stream):
            if w in wanted:
                self.places.setdefault(w, []).append(i)

    def holds(self, p: Phrase) -> bool:
        return _found(p, self.stream, self.places)


def _found(p: Phrase, stream: list[str], places: Mapping[str, list[int]]) -> bool:
    """Does one stretch of ``p.span`` words of the stream hold enough of its words and of its
    key words?"""
    there = sorted((w for w in p.key if w in places), key=lambda w: len(places[w]))
    if len(there) < p.need_key or sum(w in places for w in p.words) < p.need_words:
        return False
    # a stretch with ``need_key`` of the key words has one of these, the rarest ones
    rare = there[: len(there) - p.need_key + 1]
    anchors = sorted({i for w in rare for i in places[w]})[:MAX_ANCHORS]
    span, n = p.span, len(stream)
    # the stretches that hold an anchor lie within span - 1 words of it: merged, in order
    intervals: list[list[int]] = []
    for a in anchors:
        lo, hi = max(0, a - span + 1), min(n, a + span)
        if intervals and lo <= intervals[-1][1]:
            intervals[-1][1] = max(intervals[-1][1], hi)
        else:
            intervals.append([lo, hi])
    return any(_in_stretch(p, stream, lo, hi) for lo, hi in intervals)


def _in_stretch(p: Phrase, stream: list[str], lo: int, hi: int) -> bool:
    """Each stretch of ``p.span`` words between ``lo`` and ``hi``, left to right."""
    words, key = p.words, p.key
    start, end = lo, min(hi, lo + p.span)
    counts: dict[str, int] = {}
    for w in stream[start:end]:
        if w in words:
            counts[w] = counts.get(w, 0) + 1
    while True:
        if len(counts) >= p.need_words and sum(w in counts for w in key) >= p.need_key:
            return True
        if end >= hi:
            return False
        out = stream[start]
        if out in counts:
            counts[out] -= 1
            if not counts[out]:
                del counts[out]
        start += 1
        w = stream[end]
        if w in words:
            counts[w] = counts.get(w, 0) + 1
        end += 1
