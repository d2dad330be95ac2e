"""ODT forms written by hand (zipfile): tables, ticks, form check-box controls."""

from __future__ import annotations

import formbuilder as fb
import pytest
from parsers_testlib import diff

import parsers


@pytest.mark.parametrize("style", ["plain", "line_break", "spans", "tracked"])
@pytest.mark.parametrize("ticks", ["☒", "control"])
def test_odt(style: str, ticks: str) -> None:
    data = fb.build_odt(style=style, ticks=ticks)
    assert parsers.sniff(data) == "odt"
    got = parsers.extract(data)
    assert got.kind == "odt"
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, fb.VALUES) == {}
    assert got.fields["address"] == fb.VALUES["address"]


def test_odt_nothing_ticked() -> None:
    values = dict(fb.VALUES, groups=[], accepts_rules=False, consents_gdpr=False, phone=None)
    got = parsers.extract(fb.build_odt(values, ticks="control"))
    assert got.readable
    assert diff(got.fields, values) == {}
