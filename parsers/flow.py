"""Reading the form from a flow document (DOCX, ODT): paragraphs and table rows in order.

Format readers turn their XML into ``Para`` and ``Row`` blocks; ``assemble`` finds the labels
and takes each value from the cells beside the label, after a colon in the label cell, or from
the paragraphs below the label up to the next thing printed on the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsers.identify import Identification
from parsers.model import Extraction, Printed
from parsers.text import Match, Matcher, join_value


@dataclass
class Para:
    text: str
    source: str


@dataclass
class Row:
    cells: list[list[Para]]
    source: str


Block = Para | Row


@dataclass
class FormResult:
    """What was found: values per key, where, and how much of the form was recognised."""

    values: dict[str, list[str]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    labels: set[str] = field(default_factory=set)  # text/groups keys whose label was seen
    options: dict[int, bool | None] = field(default_factory=dict)  # group -> tick state
    option_src: dict[int, str] = field(default_factory=dict)
    boxes: dict[str, bool | None] = field(default_factory=dict)  # checkbox key -> tick
    box_src: dict[str, str] = field(default_factory=dict)

    declared: list[int] | None = None  # "Wybrana grupa: 3" written in section II

    def add_value(self, key: str, lines: list[str], source: str) -> bool:
        if any(x.strip() for x in lines) and not any(x.strip() for x in self.values.get(key, [])):
            self.values[key] = lines
            self.sources[key] = source
            return True
        return False

    def declare_groups(self, numbers: list[int]) -> None:
        if self.declared is None:
            self.declared = numbers

    def add_option(self, number: int, tick: bool | None, source: str) -> None:
        if number not in self.options or (tick and not self.options[number]):
            self.options[number] = tick
            self.option_src[number] = source

    def add_box(self, key: str, tick: bool | None, source: str) -> None:
        if key not in self.boxes or (tick and not self.boxes[key]):
            self.boxes[key] = tick
            self.box_src[key] = source

    def score(self) -> int:
        return len(self.labels) + (1 if self.options else 0) + len(self.boxes)

    def extraction(self, matcher: Matcher, kind: str, identification: Identification) -> Extraction:
        """The Extraction: the fields when the file is identified as the form (its own
        texts found: ``parsers.identify``) and enough of its labels were recognised, else
        ``not_the_form``."""
        spec = matcher.spec
        found = self.score()
        printed = Printed(frozenset(self.labels), frozenset(self.options), frozenset(self.boxes))
        problems = []
        if not identification.identified:
            problems.append(identification.summary())
        if found < spec.min_labels:
            problems.append(f"only {found} of the form's labels found (need {spec.min_labels})")
        if problems:
            return Extraction(
                readable=False,
                reason="not_the_form",
                kind=kind,
                fields=spec.empty_fields(),
                sources={},
                detail="; ".join(problems),
                identification=identification,
                printed=printed,
            )
        fields, sources = self.finish(matcher)
        return Extraction(
            readable=True,
            reason=None,
            kind=kind,
            fields=fields,
            sources=sources,
            identification=identification,
            printed=printed,
        )

    def finish(self, matcher: Matcher) -> tuple[dict[str, Any], dict[str, str]]:
        spec = matcher.spec
        fields = spec.empty_fields()
        sources: dict[str, str] = {}
        for f in spec.fields:
            if f.type == "text":
                value = join_value(self.values.get(f.key, []), f.multiline)
                if value is not None:
                    value = matcher.strip_own_label(f.key, value)
                if value is not None:
                    if f.kind == "email" and value.lower().startswith("mailto:"):
                        value = value[7:].strip()
                    fields[f.key] = value
                    sources[f.key] = self.sources.get(f.key, "")
            elif f.type == "groups":
                chosen = choose_groups(self.options, [o.number for o in f.options], self.declared)
                fields[f.key] = chosen
                if chosen:
                    sources[f.key] = "; ".join(
                        self.option_src[n] for n in chosen if n in self.option_src
                    )
            else:
                ticked = bool(self.boxes.get(f.key))
                fields[f.key] = ticked
                if f.key in self.box_src:
                    sources[f.key] = self.box_src[f.key]
        return fields, sources


def choose_groups(
    seen: dict[int, bool | None], numbers: list[int], declared: list[int] | None = None
) -> list[int]:
    """Ticked groups; when none is ticked, the numbers the applicant wrote in section II
    ("Wybrana grupa: 3"); when the applicant deleted some group lines and ticked none of the
    rest, the remaining lines are the choice."""
    ticked = sorted(n for n, t in seen.items() if t)
    if ticked:
        return ticked
    if (
        declared
        and set(declared) <= set(numbers)
        and (not seen or len(seen) == len(set(numbers)) or set(declared) <= set(seen))
    ):
        return sorted(set(declared))
    if seen and len(seen) < len(set(numbers)):
        return sorted(seen)
    return []


def block_texts(blocks: list[Block]) -> list[str]:
    """Every text of the document in reading order (paragraphs, and cell by cell each row)."""
    out: list[str] = []
    for b in blocks:
        if isinstance(b, Row):
            out.extend(p.text for cell in b.cells for p in cell)
        else:
            out.append(b.text)
    return out


def _texts(paras: list[Para]) -> list[str]:
    return [p.text for p in paras]


def _first(paras: list[Para]) -> int | None:
    for i, p in enumerate(paras):
        if p.text.strip():
            return i
    return None


class _Assembler:
    def __init__(self, matcher: Matcher) -> None:
        self.m = matcher
        self.r = FormResult()
        self.pending: tuple[str, list[str], list[str]] | None = None
        self.last_value: str | None = None  # the key whose value the previous row gave
        self.multiline = frozenset(f.key for f in matcher.spec.fields if f.multiline)
        self.in_groups = False  # after section II's heading or a group line
        self.label_text: str | None = None  # a label paragraph whose value has not begun

    def close(self) -> None:
        if self.pending:
            key, lines, src = self.pending
            self.r.add_value(key, lines, src[0])
        self.pending = None

    def take(self, lines: list[str], source: str) -> None:
        """Value lines below a label (the label's own source is replaced by the value's)."""
        assert self.pending is not None
        if any(x.strip() for x in lines):
            if not any(x.strip() for x in self.pending[1]):
                self.pending[2][0] = source
            self.pending[1].extend(lines)

    def anchor(
        self, match: Match, source: str, rest_lines: list[str] | None = None, below: bool = True
    ) -> None:
        """A recognised line: start a new field or end the current one."""
        self.close()
        self.in_groups = match.kind in ("groups", "option")
        if match.kind == "label":
            self.r.labels.add(match.key)
            lines = ([match.rest] if match.rest else []) + (rest_lines or [])
            if below:
                self.pending = (match.key, lines, [source])
            else:
                self.r.add_value(match.key, lines, source)
        elif match.kind == "groups":
            self.r.labels.add(match.key)
        elif match.kind == "option":
            self.r.add_option(int(match.key), match.tick, source)
        elif match.kind == "checkbox":
            self.r.add_box(match.key, match.tick, source)

    def in_value(self, match: Match | None) -> bool:
        """Is this "Label: value" line part of the multi-line value being read? (A line of the
        experience text such as "Stanowisko: kierowniczka CIS", whose label was seen before.)"""
        return (
            match is not None
            and match.kind == "label"
            and bool(match.rest)
            and self.pending is not None
            and self.pending[0] in self.multiline
            and match.key != self.pending[0]
            and match.key in self.r.labels
        )

    def label_goes_on(self, key: str, label: str, text: str) -> tuple[str, str] | None:
        """Does ``text`` (the next paragraph of a label's cell, or the one below a label) go on
        with the printed label? (the label so far, the value after its colon, if any); None
        when it is no part of it: a label printed over two paragraphs ("Telefon kontaktowy" /
        "(kandydata lub rodzica / opiekuna):") is one label, its second line no value."""
        joined = label.rstrip() + " " + text.strip()
        if self.m.extends(key, joined):
            return joined, ""
        hit = self.m.classify(joined)  # the label's end, then the value ("(rrrr): 1951")
        if (
            hit is not None
            and hit.kind == "label"
            and hit.key == key
            and hit.rest
            and len(hit.rest) < len(text.strip())
            and text.strip().endswith(hit.rest)
        ):
            return joined, hit.rest
        return None

    def para(self, p: Para) -> None:
        if not p.text.strip():
            return
        self.last_value = None
        match = self.m.classify(p.text)
        if self.in_value(match):
            self.take([p.text], p.source)
            return
        label, self.label_text = self.label_text, None
        if match is None:
            if self.pending and label is not None and not any(self.pending[1]):
                more = self.label_goes_on(self.pending[0], label, p.text)
                if more is not None:
                    self.label_text = None if more[1] else more[0]
                    self.take([more[1]] if more[1] else [], p.source)
                    return
            if self.pending:
                self.take([p.text], p.source)
            elif self.in_groups:
                self.declared(p.text)
            return
        self.anchor(match, p.source)
        if match.kind == "label" and not match.rest:
            self.label_text = p.text

    def declared(self, text: str) -> None:
        numbers = self.m.declared_groups(text)
        if numbers:
            self.r.declare_groups(numbers)

    def row(self, row: Row) -> None:
        # the cells with text, each with its first paragraph with text
        cells: list[list[Para]] = []
        firsts: list[int] = []
        for c in row.cells:
            for i, p in enumerate(c):
                if p.text.strip():
                    cells.append(c)
                    firsts.append(i)
                    break
        if not cells:
            return
        last_value, self.last_value = self.last_value, None
        first = cells[0]
        match = self.m.classify(first[firsts[0]].text)
        if len(cells) == 1 and self.in_value(match):
            self.take(_texts(first), row.source)
            return
        if (
            match is None
            or match.kind in ("option", "checkbox")
            or (len(cells) > 1 and match.kind == "heading")
        ):
            joined = " ".join([s for c in cells for p in c if (s := p.text.strip())])
            jm = self.m.classify(joined)
            if jm is not None and jm.kind in ("option", "checkbox"):
                self.anchor(jm, row.source)
                return
        if match is None:
            texts = [t for c in cells for t in _texts(c)]
            if self.pending:
                self.take(texts, row.source)
            elif (
                last_value is not None
                and len(row.cells) > 1
                and cells[0] is not row.cells[0]
                and all(
                    self.m.classify(c[j].text) is None for c, j in zip(cells, firsts, strict=True)
                )
            ):
                # the label cell merged down (vMerge) or left empty: the row continues the
                # value of the row above ("58-500 Jelenia Góra" under the street)
                self.r.values[last_value].extend(texts)
                self.last_value = last_value
            elif self.in_groups:
                self.declared(" ".join(texts))
            return
        if match.kind != "label":
            self.anchor(match, row.source)
            return
        # label cell(s) and value cells, left to right
        self.close()
        self.in_groups = False
        key: str | None = None
        lines: list[str] = []
        only_label = True
        for ci, cell in enumerate(cells):
            j = firsts[ci]
            cm = match if ci == 0 else self.m.classify(cell[j].text)
            if cm is not None and cm.kind in ("label", "stop", "heading") and j is not None:
                if key is not None:
                    self.r.add_value(key, lines, row.source)
                key = cm.key if cm.kind == "label" else None
                if key is not None:
                    self.r.labels.add(key)
                # words after the label with only a space, and the value in a cell to its
                # right: they were a longer printed label ("Imię i nazwisko Uczestnika")
                rest = cm.rest if not (cm.spaced and ci + 1 < len(cells)) else ""
                following = cell[j + 1 :]
                label = cell[j].text
                while key is not None and not cm.rest and not rest and following:
                    more = self.label_goes_on(key, label, following[0].text)
                    if more is None:
                        break
                    (label, rest), following = more, following[1:]
                lines = ([rest] if rest else []) + _texts(following)
            else:
                only_label = False
                lines.extend(_texts(cell))
        if key is not None:
            if len(cells) == 1 and only_label and not any(x.strip() for x in lines):
                # the label alone in its row: the value is in the rows / paragraphs below
                self.pending = (key, [], [row.source])
            elif self.r.add_value(key, lines, row.source):
                self.last_value = key


def assemble(blocks: list[Block], matcher: Matcher) -> FormResult:
    a = _Assembler(matcher)
    for b in blocks:
        if isinstance(b, Row):
            a.row(b)
        else:
            a.para(b)
    a.close()
    return a.r
