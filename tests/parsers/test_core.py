"""parsers/core.py: `extract` reads one file of any kind and never raises — an unreadable file
is `readable=False` with a reason code and a detail free of the form's contents."""

from __future__ import annotations

import io
import zipfile

import pytest

from mailbot.ops import samples
from parsers import DEFAULT_FORM, ParseLimits, extract
from parsers.core import Deadline
from parsers.model import REASON_TEXT_PL
from parsers.zipsafe import Refused


def test_a_filled_docx_gives_every_field_of_the_applicant():
    applicant = samples.Applicant()
    got = extract(samples.filled_docx(applicant))
    assert got.readable and got.reason is None and got.kind == "docx"
    fields = {k: sorted(v) if isinstance(v, list) else v for k, v in got.fields.items()}
    assert fields == applicant.expected_fields()
    assert got.identification is not None


def test_a_file_over_the_size_limit_is_too_large_and_not_read():
    data = samples.filled_docx(samples.Applicant())
    got = extract(data, limits=ParseLimits(max_bytes=len(data) - 1))
    assert (got.readable, got.reason, got.kind) == (False, "too_large", "docx")
    assert got.fields == DEFAULT_FORM.empty_fields()
    assert str(len(data)) in got.detail and "Kowalska" not in got.detail


def test_what_is_not_bytes_or_not_a_form_format_has_its_reason():
    assert extract("tekst").reason == "corrupt"  # type: ignore[arg-type]
    assert extract(b"just some plain words").reason == "unsupported_format"
    jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
    got = extract(jpeg)
    assert (got.kind, got.reason) == ("image", "scan")


def test_a_broken_docx_is_corrupt_and_names_no_contents():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document>Anna Kowalska<")
    got = extract(out.getvalue())
    assert not got.readable and got.reason in REASON_TEXT_PL
    assert "Kowalska" not in (got.detail or "")


def test_an_empty_document_is_not_the_form():
    import docx

    document = docx.Document()
    out = io.BytesIO()
    document.save(out)
    got = extract(out.getvalue())
    assert (got.readable, got.reason) == (False, "not_the_form")


def test_a_deadline_used_up_refuses_with_limit_exceeded():
    Deadline(60).check()  # time left: nothing happens
    with pytest.raises(Refused) as refused:
        Deadline(-1).check()
    assert refused.value.reason == "limit_exceeded"
