"""Prefill accuracy on generated scans: what "right" means, and the table per field × kind.

A text value is right when it equals the expected one after whitespace is normalised (runs of
spaces and line breaks are one space; an e-mail address also without regard to case); a choice
when the same numbers are ticked; a statement when its box reads as it was ticked. Ticks are
also counted box by box (every printed choice and statement).
"""

from __future__ import annotations

import re
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import parsers
from parsers import ocr
from parsers.spec import FormSpec


def norm_ws(v: Any) -> Any:
    return re.sub(r"\s+", " ", v).strip() if isinstance(v, str) else v


def right(spec: FormSpec, key: str, got: Any, want: Any) -> bool:
    f = spec.field(key)
    assert f is not None
    if f.type == "groups":
        return sorted(got or []) == sorted(want or [])
    if f.type == "checkbox":
        return bool(got) == bool(want)
    g, w = norm_ws(got), norm_ws(want)
    if f.kind == "email" and isinstance(g, str) and isinstance(w, str):
        return g.lower() == w.lower()
    return bool(g == w)


@dataclass
class Read:
    scan: Any  # scangen.Scan
    prefill: ocr.Prefill | None
    extractions: list[parsers.Extraction]
    seconds: float
    cpu: float

    def field_right(self, key: str) -> bool:
        got = self.prefill.fields.get(key) if self.prefill is not None else None
        return right(self.scan.spec, key, got, self.scan.expected.get(key))

    def ticks(self) -> list[bool]:
        """Per printed box (each choice, each statement): read as it was ticked?"""
        spec = self.scan.spec
        out = []
        got = self.prefill.fields if self.prefill is not None else {}
        for f in spec.fields:
            if f.type == "groups":
                want = set(self.scan.expected.get(f.key) or [])
                have = set(got.get(f.key) or [])
                out += [(o.number in want) == (o.number in have) for o in f.options]
            elif f.type == "checkbox":
                out.append(bool(got.get(f.key)) == bool(self.scan.expected.get(f.key)))
        return out


def read_all(scans: Sequence[Any], limits: ocr.OcrLimits | None = None) -> list[Read]:
    out = []
    for s in scans:
        extractions = [parsers.extract(data, s.spec) for data in s.files]
        t0, c0 = time.perf_counter(), time.process_time()
        pf = ocr.prefill(s.files, s.spec, limits or ocr.OcrLimits())
        out.append(Read(s, pf, extractions, time.perf_counter() - t0, time.process_time() - c0))
    return out


def field_class(spec: FormSpec, key: str) -> str:
    f = spec.field(key)
    assert f is not None
    return {"groups": "choice", "checkbox": "statement"}.get(f.type, f.kind)


def table(reads: Sequence[Read]) -> tuple[str, dict[str, float]]:
    """The accuracy table (field × kind of scan) and the summary figures."""
    kinds = sorted({r.scan.kind for r in reads})
    cells: dict[tuple[str, str], list[bool]] = defaultdict(list)
    by_class: dict[str, list[bool]] = defaultdict(list)
    ticks: list[bool] = []
    tick_kind: dict[str, list[bool]] = defaultdict(list)
    for r in reads:
        for f in r.scan.spec.fields:
            ok = r.field_right(f.key)
            name = f.key if r.scan.form != "ngo-docx" else f"ngo:{f.key}"
            cells[(name, r.scan.kind)].append(ok)
            cells[(name, "all")].append(ok)
            cells[("ALL FIELDS", r.scan.kind)].append(ok)
            cells[("ALL FIELDS", "all")].append(ok)
            by_class[field_class(r.scan.spec, f.key)].append(ok)
        t = r.ticks()
        ticks += t
        tick_kind[r.scan.kind] += t
    for k, t in tick_kind.items():
        cells[("TICKS (per box)", k)] = t
    cells[("TICKS (per box)", "all")] = ticks
    rows = sorted({k for k, _ in cells}, key=lambda n: (n.isupper(), n.startswith("ngo:"), n))
    cols = [*kinds, "all"]
    width = max(len(r) for r in rows) + 2

    def fmt(v: list[bool]) -> str:
        return f"{100 * sum(v) / len(v):5.1f}% ({sum(v)}/{len(v)})" if v else "-"

    lines = [" " * width + "".join(f"{c[:20]:>22}" for c in cols)]
    for row in rows:
        shown = "".join(f"{fmt(cells.get((row, c), [])):>22}" for c in cols)
        lines.append(f"{row:<{width}}" + shown)
    allf = cells[("ALL FIELDS", "all")]
    summary = {
        "fields": sum(allf) / len(allf) if allf else 0.0,
        "ticks": sum(ticks) / len(ticks) if ticks else 0.0,
        **{f"class:{k}": sum(v) / len(v) for k, v in by_class.items()},
    }
    lines.append("")
    lines.append(
        "per kind of field: "
        + ", ".join(f"{k} {100 * v:.1f}%" for k, v in summary.items() if k.startswith("class:"))
    )
    return "\n".join(lines), summary
