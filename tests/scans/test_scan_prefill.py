"""Scans of the filled form (issue 17): never read as values, and OCR pre-fill accuracy.

The scans are generated at test time by ``make_scans`` (into pytest's temporary folder): six
kinds, five applicants each, pen ticks drawn by hand over the printed empty boxes. For each:

- ``parsers.extract`` on every file of the scan is ``readable=False``, reason ``scan``, every
  field empty — never a value from an OCR layer;
- ``parsers.ocr.prefill(files, DEFAULT_FORM, OcrLimits())`` is compared with what the
  applicant wrote, field by field: right / wrong / empty. Right means equal after collapsing
  whitespace (and Unicode NFC); the e-mail compared case-insensitively; groups as sets;
  statements as booleans. Ticks are counted box by box (each group's box, each statement).

The table printed gives the share of right fields per kind of scan and per field, the ticks
and the overall figure; the thresholds are the issue's: at least 90 % of fields right overall,
95 % of ticks, and no field below 80 % (the last judged only on 25 scans or more: on the
suite's 12 one misread moves a field by 8 points, so there it is printed, not asserted).

Another set: ``MAILBOT_SCAN_SEED=N`` (default 17); only some kinds (quicker, while working on
one): ``MAILBOT_SCAN_KINDS=phone-photo-jpeg,rotated``. By default only the first two scans of
each kind are made and read (12 of 30, for the suite's time); ``MAILBOT_SCAN_PER_KIND=all``
(or a number) reads more. Needs LibreOffice, poppler-utils and
OCRmyPDF with Tesseract's Polish data (skipped without them, failing when ``CI`` is set).
"""

from __future__ import annotations

import difflib
import importlib
import os
import time
import unicodedata
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

import make_scans as ms
import pytest
from pypdf import PdfReader
from testdata import in_ci

import parsers

SEED = int(os.environ.get("MAILBOT_SCAN_SEED") or ms.SEED)
ALL_SPECS = ms.scan_specs(SEED)
ONLY = [k.strip() for k in os.environ.get("MAILBOT_SCAN_KINDS", "").split(",") if k.strip()]
#: scans per kind read (the first ones): a few by default, so that the suite stays quick;
#: ``MAILBOT_SCAN_PER_KIND=5`` (or ``all``) reads the whole set
_PER_KIND = os.environ.get("MAILBOT_SCAN_PER_KIND", "2").strip().lower()
PER_KIND = ms.PER_KIND if _PER_KIND in ("all", "") else int(_PER_KIND)
SPECS = [
    s
    for s in ALL_SPECS
    if (not ONLY or s.kind in ONLY)
    and sum(o.kind == s.kind for o in ALL_SPECS[: ALL_SPECS.index(s)]) < PER_KIND
]
SPEC = parsers.DEFAULT_FORM
MIN_OVERALL, MIN_TICKS, MIN_FIELD = 0.90, 0.95, 0.80
#: the fewest readings of one field the per-field threshold is judged on: with 12 scans one
#: misread is 8 points, so a field's share is only printed on the suite's sample and asserted
#: on the whole set (``MAILBOT_SCAN_PER_KIND=all``: 30 readings of each field)
MIN_READINGS_PER_FIELD = 25
TEXT_KINDS = ("text", "email", "phone", "free_text", "date")


def _unavailable(message: str) -> None:
    if in_ci():
        pytest.fail(f"{message}; CI is set, so this is an error, not a skip", pytrace=False)
    pytest.skip(message)


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ms.Scan]:
    missing = ms.missing_tools(SPECS)
    if "soffice" in missing:  # as for the other LibreOffice tests (CI may leave it out)
        pytest.skip("LibreOffice (soffice) is not installed: the printouts cannot be made")
    if missing:
        _unavailable(
            f"generating scans needs {', '.join(missing)} "
            "(apt-get install -y poppler-utils ocrmypdf tesseract-ocr-pol)"
        )
    folder = tmp_path_factory.mktemp("scans")
    return {scan.spec.name: scan for scan in ms.make_scans(folder, SPECS)}


# --- a scan is a scan -----------------------------------------------------------------------


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_every_file_of_a_scan_is_a_scan_with_nothing_read(
    scans: dict[str, ms.Scan], spec: ms.ScanSpec
) -> None:
    for path in scans[spec.name].files:
        got = parsers.extract(path.read_bytes())
        assert (got.readable, got.reason) == (False, "scan"), (
            f"{path.name}: readable={got.readable}, reason={got.reason}, fields read: "
            f"{ {k: v for k, v in got.fields.items() if v} }"
        )
        assert dict(got.fields) == parsers.empty_fields()


def test_searchable_pdfs_carry_an_invisible_text_layer(scans: dict[str, ms.Scan]) -> None:
    """What makes this kind hard: the file has text (ocrmypdf's, in render mode 3), and the
    text reads like the form, with OCR's mistakes."""
    layered = [s for s in scans.values() if s.spec.kind == "ocr-layer-pdf"]
    if not layered:
        pytest.skip("MAILBOT_SCAN_KINDS leaves out ocr-layer-pdf")
    for scan in layered:
        reader = PdfReader(scan.files[0])
        text = " ".join(page.extract_text() for page in reader.pages)
        assert "FORMULARZ" in text and "Grupa robocza" in text, scan.spec.name
        assert any(b"3 Tr" in stream for stream in _content_streams(reader)), scan.spec.name


def _content_streams(reader: PdfReader) -> Iterator[bytes]:
    """Every page's content and the content of the form XObjects it draws (ocrmypdf puts its
    text layer in one)."""
    for page in reader.pages:
        contents = page.get_contents()
        if contents is not None:
            yield contents.get_data()
        xobjects = page.get("/Resources", {}).get("/XObject", {})
        for ref in xobjects.values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield xobject.get_data()


# --- how a prefill is scored ----------------------------------------------------------------


def _norm(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split())


def outcome(kind: str, expected: Any, got: Any) -> str:
    """The outcome for one field of one scan: "right", "wrong" or "empty"."""
    if kind == "choice":
        chosen = set(got or ())
        if chosen == set(expected):
            return "right"
        return "empty" if not chosen else "wrong"
    if kind == "statement":
        if got is None:
            return "empty"
        return "right" if bool(got) == bool(expected) else "wrong"
    if got is None or not str(got).strip():
        return "empty"
    want, have = _norm(str(expected)), _norm(str(got))
    if kind == "email":
        want, have = want.casefold(), have.casefold()
    return "right" if want == have else "wrong"


def ticks(expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[bool]:
    """One entry per box on the form: was it read as ticked exactly when it was ticked?"""
    out = []
    for field in SPEC.fields:
        if field.kind == "choice":
            chosen = set(got.get(field.key) or ())
            out += [
                (o.number in chosen) == (o.number in expected[field.key]) for o in field.options
            ]
        elif field.kind == "statement":
            out.append(bool(got.get(field.key)) == bool(expected[field.key]))
    return out


def test_scoring_rules() -> None:
    """The scorer itself: what counts as right, wrong and empty."""
    assert outcome("text", "ul. Łąkowa 5\n55-200 Oława", " ul.  Łąkowa 5 55-200 Oława") == "right"
    assert outcome("text", "Łąkowa", "Lakowa") == "wrong"
    assert outcome("text", "Łąkowa", unicodedata.normalize("NFD", "Łąkowa")) == "right"
    assert outcome("text", "x", None) == outcome("text", "x", "  ") == "empty"
    assert outcome("email", "a.b-1@ops.pl", "A.B-1@OPS.PL") == "right"
    assert outcome("email", "a.b-1@ops.pl", "a.b-1©ops.pl") == "wrong"
    assert outcome("choice", [2, 5], [5, 2]) == "right"
    assert outcome("choice", [2, 5], [2]) == "wrong"
    assert outcome("choice", [2], []) == "empty"
    assert outcome("statement", False, False) == "right"
    assert outcome("statement", True, False) == "wrong"
    expected = dict.fromkeys(SPEC.keys) | {"groups": [2], "accepts_rules": True}
    got = {"groups": [2, 3], "accepts_rules": True, "consents_gdpr": True}
    assert ticks(expected, got) == [True, True, False, True, True, True, False]


# --- OCR pre-fill accuracy ------------------------------------------------------------------


def _ocr() -> ModuleType:
    try:
        return importlib.import_module("parsers.ocr")
    except ModuleNotFoundError as error:
        if error.name not in ("parsers.ocr", "parsers"):
            raise
        pytest.skip("parsers.ocr does not exist yet in the code under test (issue 17)")


def _percent(right: int, total: int) -> str:
    return f"{100 * right / total:.0f}" if total else "-"


def _table(rows: list[dict[str, Any]], kinds: Sequence[str]) -> str:
    """Share of right fields (%): a row per field, then ticks and overall; a column per kind
    of scan (``make_scans.KIND_LABELS``) and all together."""
    columns = [[r for r in rows if r["kind"] == kind] for kind in kinds] + [rows]
    head = [
        "",
        *(f"{ms.KIND_LABELS.get(k, k)} ({len(c)})" for k, c in zip(kinds, columns, strict=False)),
    ]
    head.append(f"all ({len(rows)})")
    lines = []
    for key in SPEC.keys:
        lines.append(
            [key, *(_percent(sum(r["fields"][key] == "right" for r in c), len(c)) for c in columns)]
        )
    boxes = [[t for r in c for t in r["ticks"]] for c in columns]
    lines.append(["ticks (boxes)", *(_percent(sum(b), len(b)) for b in boxes)])
    every = [[o for r in c for o in r["fields"].values()] for c in columns]
    lines.append(["overall", *(_percent(e.count("right"), len(e)) for e in every)])
    widths = [max(len(line[i]) for line in [head, *lines]) for i in range(len(head))]
    return "\n".join(
        "  ".join(
            cell.ljust(w) if n == 0 else cell.rjust(w)
            for n, (cell, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in [head, *lines]
    )


def _details(rows: list[dict[str, Any]]) -> Iterator[str]:
    for key in SPEC.keys:
        outcomes = [r["fields"][key] for r in rows]
        line = (
            f"{key}: right {outcomes.count('right')}, wrong {outcomes.count('wrong')}, "
            f"empty {outcomes.count('empty')}"
        )
        texts = [r["similarity"][key] for r in rows if key in r["similarity"]]
        if texts:
            line += f"; mean character similarity {sum(texts) / len(texts):.3f}"
        yield line
        misses = [r for r in rows if r["fields"][key] != "right"][:4]
        for r in misses:
            yield f"    {r['name']}: expected {r['expected'][key]!r}, read {r['got'].get(key)!r}"


def test_prefill_accuracy_per_kind_of_scan_and_field(
    scans: dict[str, ms.Scan], capsys: pytest.CaptureFixture[str]
) -> None:
    ocr = _ocr()
    if ocr.engine() is None:
        _unavailable("tesseract with Polish data not found (tesseract-ocr tesseract-ocr-pol)")
    kinds = list(dict.fromkeys(s.spec.kind for s in scans.values()))
    field_kind = {f.key: f.kind for f in SPEC.fields}
    rows: list[dict[str, Any]] = []
    broken: list[str] = []
    started = time.perf_counter()
    for scan in scans.values():
        files = [path.read_bytes() for path in scan.files]
        prefill = ocr.prefill(files, SPEC, ocr.OcrLimits())
        expected = scan.spec.applicant.expected_fields()
        got: Mapping[str, Any] = {} if prefill is None else prefill.fields
        if prefill is None:
            broken.append(f"{scan.spec.name}: prefill returned None")
        else:
            if list(prefill.fields) != list(SPEC.keys):
                broken.append(f"{scan.spec.name}: fields {list(prefill.fields)}")
            confidence = prefill.confidence
            if set(confidence) != set(SPEC.keys) or not all(
                0.0 <= float(c) <= 1.0 for c in confidence.values()
            ):
                broken.append(f"{scan.spec.name}: confidence {dict(confidence)}")
            if not str(prefill.engine).startswith("tesseract"):
                broken.append(f"{scan.spec.name}: engine {prefill.engine!r}")
        similarity = {
            key: difflib.SequenceMatcher(
                None, _norm(str(expected[key])), _norm(str(got.get(key) or ""))
            ).ratio()
            for key in SPEC.keys
            if field_kind[key] in TEXT_KINDS
        }
        rows.append(
            {
                "name": scan.spec.name,
                "kind": scan.spec.kind,
                "expected": expected,
                "got": dict(got),
                "fields": {k: outcome(field_kind[k], expected[k], got.get(k)) for k in SPEC.keys},
                "ticks": ticks(expected, got),
                "similarity": similarity,
            }
        )
    seconds = time.perf_counter() - started
    table = _table(rows, kinds)
    report = "\n".join(
        [
            f"OCR pre-fill on {len(rows)} generated scans (seed {SEED}), % of fields right:",
            table,
            *_details(rows),
            f"prefill time: {seconds:.0f} s in all, {seconds / len(rows):.1f} s per scan",
        ]
    )
    with capsys.disabled():
        print("\n" + report)
    assert not broken, "the Prefill contract:\n" + "\n".join(broken)
    every = [o for r in rows for o in r["fields"].values()]
    boxes = [t for r in rows for t in r["ticks"]]
    overall = every.count("right") / len(every)
    tick_share = sum(boxes) / len(boxes)
    per_field = {
        key: sum(r["fields"][key] == "right" for r in rows) / len(rows) for key in SPEC.keys
    }
    low = {k: round(v, 3) for k, v in per_field.items() if v < MIN_FIELD}
    assert overall >= MIN_OVERALL, f"{overall:.1%} of fields right (< 90 %)\n{report}"
    assert tick_share >= MIN_TICKS, f"{tick_share:.1%} of ticks right (< 95 %)\n{report}"
    if len(rows) >= MIN_READINGS_PER_FIELD:
        assert not low, f"fields below 80 % right: {low}\n{report}"


def test_the_set_is_what_the_issue_describes() -> None:
    """Every kind has 4-6 different applicants, one or two groups, unticked statements, and
    every tick style appears; no applicant is used twice."""
    by_kind: dict[str, list[ms.ScanSpec]] = defaultdict(list)
    for spec in ALL_SPECS:
        by_kind[spec.kind].append(spec)
    assert set(by_kind) == set(ms.KINDS)
    for kind, specs in by_kind.items():
        assert 4 <= len(specs) <= 6, kind
        assert any(not s.applicant.accepts_rules or not s.applicant.consents_gdpr for s in specs)
        assert {len(s.applicant.groups) for s in specs} <= {1, 2}
    names = [s.applicant.full_name for s in ALL_SPECS]
    assert len(names) == len(set(names))
    styles = {s.group_ticks for s in ALL_SPECS} | {s.statement_ticks for s in ALL_SPECS}
    assert styles == {"x", "check", "fill", "circle"}
    assert sum(len(s.applicant.groups) == 2 for s in ALL_SPECS) >= 3
