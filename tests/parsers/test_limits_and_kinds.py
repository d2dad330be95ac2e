"""Limits (zip bomb, sizes, pages, time), kinds from bytes, and never raising."""

from __future__ import annotations

import io
import random
import zipfile

import formbuilder as fb
import pytest
from parsers_testlib import BLANK_DOCX, FILLABLE_PDF, SAMPLES

import parsers
from parsers import ParseLimits


def _bomb(size: int = 60 * 1024 * 1024) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.'
            'openxmlformats.org/package/2006/content-types"/>',
        )
        z.writestr("_rels/.rels", "<Relationships/>")
        z.writestr("word/document.xml", b"<" + b" " * size + b">")
    return out.getvalue()


def test_zip_bomb_posing_as_docx_is_refused_without_inflating(monkeypatch) -> None:
    data = _bomb()
    assert len(data) < 200 * 1024
    assert parsers.sniff(data) == "docx"
    opened: list[str] = []
    real_open = zipfile.ZipFile.open

    def spy(self, name, *a, **k):
        opened.append(name if isinstance(name, str) else name.filename)
        return real_open(self, name, *a, **k)

    monkeypatch.setattr(zipfile.ZipFile, "open", spy)
    got = parsers.extract(data)
    assert not got.readable
    assert got.reason == "limit_exceeded"
    assert "word/document.xml" not in opened
    assert opened == []


def test_total_uncompressed_limit() -> None:
    blank = BLANK_DOCX.read_bytes()
    got = parsers.extract(blank, limits=ParseLimits(max_uncompressed=10_000))
    assert (got.readable, got.reason) == (False, "limit_exceeded")


def test_member_count_limit() -> None:
    blank = BLANK_DOCX.read_bytes()
    got = parsers.extract(blank, limits=ParseLimits(max_zip_members=3))
    assert (got.readable, got.reason) == (False, "limit_exceeded")


def test_input_size_limit() -> None:
    blank = BLANK_DOCX.read_bytes()
    got = parsers.extract(blank, limits=ParseLimits(max_bytes=1000))
    assert (got.readable, got.reason, got.kind) == (False, "too_large", "docx")


def test_pdf_page_limit() -> None:
    pdf = (SAMPLES / "s03-pdf-from-word.pdf").read_bytes()
    got = parsers.extract(pdf, limits=ParseLimits(max_pdf_pages=1))
    assert (got.readable, got.reason) == (False, "limit_exceeded")


def test_time_budget() -> None:
    pdf = (SAMPLES / "s03-pdf-from-word.pdf").read_bytes()
    got = parsers.extract(pdf, limits=ParseLimits(max_seconds=0.0))
    assert (got.readable, got.reason) == (False, "limit_exceeded")


@pytest.mark.parametrize(
    "data, kind",
    [
        (b"%PDF-1.4\n%%EOF", "pdf"),
        (b"\xef\xbb\xbf%PDF-1.7\n", "pdf"),
        (b"{\\rtf1\\ansi hello}", "rtf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"II*\x00\x08\x00", "image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le"), "doc"),
        (b"", "unknown"),
        (b"\x00\x01\x02\x03", "unknown"),
        (b"PK\x03\x04garbage", "zip"),
    ],
)
def test_sniff(data: bytes, kind: str) -> None:
    assert parsers.sniff(data) == kind


def test_sniff_ignores_names_and_types() -> None:
    assert parsers.sniff(BLANK_DOCX.read_bytes()) == "docx"
    assert parsers.sniff(FILLABLE_PDF.read_bytes()) == "pdf"


@pytest.mark.parametrize(
    "data, kind, reason",
    [
        (
            b"{\\rtf1\\ansi Imi\\'ea i nazwisko}",
            "rtf",
            {"converter_missing", "not_the_form", "conversion_failed"},
        ),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "image", {"scan"}),
        (b"hello", "text", {"unsupported_format"}),
        (b"", "unknown", {"unsupported_format"}),
        (b"%PDF-1.4\nnot really", "pdf", {"corrupt", "not_the_form", "scan"}),
        (b"PK\x03\x04broken zip", "zip", {"unsupported_format"}),
    ],
)
def test_unreadable_kinds(data: bytes, kind: str, reason: set[str]) -> None:
    got = parsers.extract(data)
    assert (got.readable, got.kind) == (False, kind)
    assert got.reason in reason
    assert got.reason in parsers.REASON_TEXT_PL


def test_encrypted_ooxml_is_reported_encrypted() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500 + "EncryptedPackage".encode("utf-16-le")
    )
    got = parsers.extract(data)
    assert (got.readable, got.kind, got.reason) == (False, "docx", "encrypted")


def test_never_raises_on_mangled_bytes() -> None:
    rng = random.Random(7)
    sources = [
        BLANK_DOCX.read_bytes(),
        (SAMPLES / "s03-pdf-from-word.pdf").read_bytes(),
        (SAMPLES / "s04-pdf-fillable.pdf").read_bytes(),
    ]
    for base in sources:
        for _ in range(25):
            data = bytearray(base)
            for _ in range(rng.randint(1, 40)):
                data[rng.randrange(len(data))] = rng.randrange(256)
            cut = rng.choice([len(data), rng.randrange(len(data))])
            got = parsers.extract(bytes(data[:cut]))
            assert isinstance(got.readable, bool)
            if not got.readable:
                assert got.reason in parsers.REASON_TEXT_PL
            assert set(got.fields) >= set(parsers.FIELD_KEYS)


def test_not_bytes_is_not_an_exception() -> None:
    got = parsers.extract("not bytes")  # type: ignore[arg-type]
    assert (got.readable, got.reason) == (False, "corrupt")


def test_to_json_shape() -> None:
    got = parsers.extract(fb.build_docx(BLANK_DOCX.read_bytes()))
    j = got.to_json()
    assert set(j) == {"readable", "reason", "fields", "kind", "sources", "identification"}
    assert list(j["fields"]) == list(parsers.FIELD_KEYS)
    assert set(j["identification"]) == {"found", "missing", "score", "needed", "by"}


def test_reason_texts_cover_every_reason() -> None:
    for code in (
        "scan",
        "encrypted",
        "not_the_form",
        "corrupt",
        "unsupported_format",
        "too_large",
        "limit_exceeded",
        "converter_missing",
    ):
        assert parsers.REASON_TEXT_PL[code]
