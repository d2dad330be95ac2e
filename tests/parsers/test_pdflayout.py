"""Printed-to-PDF forms (text, no fields): values recovered from the text layout."""

from __future__ import annotations

import formbuilder as fb
import pytest
from parsers_testlib import diff

import parsers


@pytest.mark.parametrize("layout", fb.PRINTED_LAYOUTS)
@pytest.mark.parametrize("ticks", fb.PRINTED_TICKS)
def test_printed(layout: str, ticks: str) -> None:
    got = parsers.extract(fb.printed_pdf(layout=layout, ticks=ticks))
    assert got.kind == "pdf"
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, fb.VALUES) == {}
    assert got.fields["address"] == fb.VALUES["address"]


def test_printed_blank_is_empty() -> None:
    values = {
        k: ([] if k == "groups" else False if k in ("accepts_rules", "consents_gdpr") else None)
        for k in fb.VALUES
    }
    got = parsers.extract(fb.printed_pdf(values))
    assert got.readable
    assert dict(got.fields) == parsers.empty_fields()
