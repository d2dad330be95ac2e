"""Every filled sample form gives exactly its .json; the blank forms give nothing filled."""

from __future__ import annotations

import json

import pytest
from parsers_testlib import BLANK_DOCX, FILLABLE_PDF, PRINTED_PDF, SAMPLES, diff

import parsers
from parsers import FIELD_KEYS

SAMPLE_FILES = sorted(p for p in SAMPLES.glob("*") if p.suffix != ".json")
BLANK_FORMS = {p.name: p for p in (BLANK_DOCX, PRINTED_PDF, FILLABLE_PDF)}


def test_samples_present() -> None:
    assert len(SAMPLE_FILES) == 6, SAMPLE_FILES
    for path in SAMPLE_FILES:
        assert path.with_suffix(".json").exists(), path.name


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_sample(path) -> None:
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    got = parsers.extract(path.read_bytes())
    assert set(got.fields) == set(FIELD_KEYS)
    if want.get("expect") == "needs_review":
        assert not got.readable
        assert got.reason == "scan"
        assert dict(got.fields) == parsers.empty_fields()
        return
    assert got.readable, (got.reason, got.detail)
    assert got.reason is None
    assert diff(got.fields, want) == {}
    assert got.fields["groups"] == sorted(got.fields["groups"])
    for key in FIELD_KEYS:
        if got.fields[key] not in (None, [], False):
            assert got.sources.get(key), key
    json.dumps(got.to_json(), ensure_ascii=False)


def test_address_keeps_line_breaks() -> None:
    path = SAMPLES / "s01-docx-ticked.docx"
    got = parsers.extract(path.read_bytes())
    assert got.fields["address"] == "ul. Wrocławska 12\n55-200 Oława"


@pytest.mark.parametrize(
    "name",
    [
        "formularz-zgloszeniowy.docx",
        "formularz-zgloszeniowy.pdf",
        "formularz-zgloszeniowy-wypelnialny.pdf",
    ],
)
def test_blank_form_is_the_form_with_nothing_filled(name: str) -> None:
    path = BLANK_FORMS[name]
    got = parsers.extract(path.read_bytes())
    assert got.readable, (got.reason, got.detail)
    assert dict(got.fields) == parsers.empty_fields()
