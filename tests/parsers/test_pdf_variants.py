"""Fillable PDF filled with pypdf: meaningful and generic field names, other on-states,
widgets without an /AcroForm entry."""

from __future__ import annotations

import formbuilder as fb
import pytest
from parsers_testlib import FILLABLE_PDF, diff

import parsers


@pytest.fixture(scope="module")
def blank() -> bytes:
    return FILLABLE_PDF.read_bytes()


@pytest.mark.parametrize("generic", [False, True], ids=["named", "generic"])
@pytest.mark.parametrize("on_state", ["/Yes", "/Tak", "/1", "/On"])
@pytest.mark.parametrize("drop_acroform", [False, True], ids=["acroform", "widgets-only"])
def test_fillable(blank: bytes, generic: bool, on_state: str, drop_acroform: bool) -> None:
    data = fb.fill_pdf(blank, generic=generic, on_state=on_state, drop_acroform=drop_acroform)
    got = parsers.extract(data)
    assert got.kind == "pdf"
    assert got.readable, (got.reason, got.detail)
    assert diff(got.fields, fb.VALUES) == {}
    assert got.fields["address"] == fb.VALUES["address"]
    assert got.sources["full_name"].startswith("page 1 field ")


@pytest.mark.parametrize("groups", [[], [1], [3, 4], [1, 2, 3, 4, 5]])
def test_fillable_groups(blank: bytes, groups: list[int]) -> None:
    values = dict(fb.VALUES, groups=groups, accepts_rules=False, consents_gdpr=True)
    got = parsers.extract(fb.fill_pdf(blank, values, generic=True))
    assert got.fields["groups"] == groups
    assert got.fields["accepts_rules"] is False
    assert got.fields["consents_gdpr"] is True


def test_fillable_partly_filled(blank: bytes) -> None:
    values = dict(fb.VALUES, phone=None, position=None)
    got = parsers.extract(fb.fill_pdf(blank, values))
    assert got.readable
    assert got.fields["phone"] is None and got.fields["position"] is None
    assert diff(got.fields, values) == {}
