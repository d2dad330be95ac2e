"""Reading the form from a flow document (DOCX, ODT): paragraphs and table rows in order.

Format readers turn their XML into ``Para`` and ``Row`` blocks; ``assemble`` finds the labels
and takes each value from the cells beside the label, after a colon in the label cell, or from
the paragraphs below the label up to the next thing printed on the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from parsers.spec import FormSpec
from parsers.text import Match, Matcher, join_value, matcher_for


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
    labels: set[str] = field(default_factory=set)      # text/groups keys whose label was seen
    options: dict[int, bool | None] = field(default_factory=dict)   # group -> tick state
    option_src: dict[int, str] = field(default_factory=dict)
    boxes: dict[str, bool | None] = field(default_factory=dict)     # checkbox key -> tick
    box_src: dict[str, str] = field(default_factory=dict)

    def add_value(self, key: str, lines: list[str], source: str) -> None:
        if any(x.strip() for x in lines) and not any(x.strip() for x in self.values.get(key, [])):
            self.values[key] = lines
            self.sources[key] = source

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

    def finish(self, spec: FormSpec) -> tuple[dict[str, Any], dict[str, str]]:
        fields = spec.empty_fields()
        sources: dict[str, str] = {}
        norm = matcher_for(spec).norm
        for f in spec.fields:
            if f.type == "text":
                value = join_value(self.values.get(f.key, []), f.multiline, norm)
                if value is not None:
                    if f.key == "email" and value.lower().startswith("mailto:"):
                        value = value[7:].strip()
                    fields[f.key] = value
                    sources[f.key] = self.sources.get(f.key, "")
            elif f.type == "groups":
                chosen = choose_groups(self.options, [o.number for o in f.options])
                fields[f.key] = chosen
                if chosen:
                    sources[f.key] = "; ".join(self.option_src[n] for n in chosen
                                               if n in self.option_src)
            else:
                ticked = bool(self.boxes.get(f.key))
                fields[f.key] = ticked
                if f.key in self.box_src:
                    sources[f.key] = self.box_src[f.key]
        return fields, sources


def choose_groups(seen: dict[int, bool | None], numbers: list[int]) -> list[int]:
    """Ticked groups; when the applicant deleted some group lines and ticked none of the rest,
    the remaining lines are the choice."""
    ticked = sorted(n for n, t in seen.items() if t)
    if ticked:
        return ticked
    if seen and len(seen) < len(set(numbers)):
        return sorted(seen)
    return []


def _texts(paras: list[Para]) -> list[str]:
    return [p.text for p in paras]


def _first(paras: list[Para]) -> int | None:
    for i, p in enumerate(paras):
        if p.text.strip():
            return i
    return None


class _Assembler:
    def __init__(self, spec: FormSpec, matcher: Matcher) -> None:
        self.spec = spec
        self.m = matcher
        self.r = FormResult()
        self.pending: tuple[str, list[str], list[str]] | None = None

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

    def anchor(self, match: Match, source: str, rest_lines: list[str] | None = None,
               below: bool = True) -> None:
        """A recognised line: start a new field or end the current one."""
        self.close()
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

    def para(self, p: Para) -> None:
        if not p.text.strip():
            return
        match = self.m.classify(p.text)
        if match is None:
            if self.pending:
                self.take([p.text], p.source)
            return
        self.anchor(match, p.source)

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
        first = cells[0]
        match = self.m.classify(first[firsts[0]].text)
        if match is None or match.kind in ("option", "checkbox") or (
                len(cells) > 1 and match.kind == "heading"):
            joined = " ".join([s for c in cells for p in c if (s := p.text.strip())])
            jm = self.m.classify(joined)
            if jm is not None and jm.kind in ("option", "checkbox"):
                self.anchor(jm, row.source)
                return
        if match is None:
            if self.pending:
                self.take([t for c in cells for t in _texts(c)], row.source)
            return
        if match.kind != "label":
            self.anchor(match, row.source)
            return
        # label cell(s) and value cells, left to right
        self.close()
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
                lines = ([cm.rest] if cm.rest else []) + _texts(cell[j + 1:])
            else:
                only_label = False
                lines.extend(_texts(cell))
        if key is not None:
            if len(cells) == 1 and only_label and not any(x.strip() for x in lines):
                # the label alone in its row: the value is in the rows / paragraphs below
                self.pending = (key, [], [row.source])
            else:
                self.r.add_value(key, lines, row.source)


def assemble(blocks: list[Block], spec: FormSpec, matcher: Matcher) -> FormResult:
    a = _Assembler(spec, matcher)
    for b in blocks:
        if isinstance(b, Row):
            a.row(b)
        else:
            a.para(b)
    a.close()
    return a.r
