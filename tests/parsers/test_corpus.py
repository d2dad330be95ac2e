"""Real-world DOCX and PDF files from public test suites (in ../shared/corpus): extraction
never raises. The files are listed in corpus_files.txt, so the same tests are collected with
the corpus or without it (then each is skipped, or fails when CI is set)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from parsers_testlib import BLANK_DOCX, CORPUS, FILLABLE_PDF, PRINTED_PDF, SAMPLES, need_shared

import parsers
from parsers import FIELD_KEYS, REASON_TEXT_PL

LISTED = Path(__file__).with_name("corpus_files.txt").read_text(encoding="utf-8").split()


def test_corpus_is_the_listed_files() -> None:
    need_shared(CORPUS)
    there = sorted(
        p.relative_to(CORPUS).as_posix() for p in [*CORPUS.glob("docx/*"), *CORPUS.glob("pdf/*")]
    )
    assert there == sorted(LISTED)


def test_form_copies_are_the_published_forms() -> None:
    """The blank forms in mailbot/assets and the copies in tests/fixtures/forms are the same
    bytes as the published ones in ../shared/forms."""
    shared_forms = need_shared(CORPUS.parent / "forms")
    ours = [BLANK_DOCX, PRINTED_PDF, FILLABLE_PDF, *sorted(SAMPLES.iterdir())]
    theirs = [shared_forms / p.name for p in ours[:3]] + sorted(
        (shared_forms / "samples").iterdir()
    )
    assert [p.name for p in ours] == [p.name for p in theirs]
    for mine, published in zip(ours, theirs, strict=True):
        assert (
            hashlib.sha256(mine.read_bytes()).digest()
            == hashlib.sha256(published.read_bytes()).digest()
        ), mine.name


@pytest.mark.parametrize("rel", LISTED)
def test_corpus_file(rel: str) -> None:
    data = need_shared(CORPUS / rel).read_bytes()
    got = parsers.extract(data)
    assert isinstance(got.readable, bool)
    assert set(got.fields) >= set(FIELD_KEYS)
    assert got.kind == parsers.sniff(data)
    assert got.kind in ("docx", "pdf")
    if not got.readable:
        assert got.reason in REASON_TEXT_PL, got.reason
        assert dict(got.fields) == parsers.empty_fields()
    else:
        assert got.reason is None


EXPECTED_REASONS = {
    "pdf/pypdf_r2-user-password.pdf": {"encrypted"},
    "pdf/pypdf_r3-user-password.pdf": {"encrypted"},
    "pdf/pypdf_r4-aes-user-password.pdf": {"encrypted"},
    "pdf/pypdf_encrypted-file.pdf": {"encrypted"},
    "pdf/paperless_password-is-test.pdf": {"encrypted"},
    "pdf/pypdf_libreoffice-writer-password.pdf": {"encrypted"},
    "pdf/pypdf_r6-both-passwords.pdf": {"encrypted"},
    "pdf/pypdf_crazyones-encrypted-256.pdf": {"encrypted"},
    # opens with the empty user password (AES ones need the optional cryptography package)
    "pdf/pypdf_r4-owner-password.pdf": {"not_the_form"},
    "pdf/pypdf_r4-aes-v2-no-key-length.pdf": {"not_the_form", "scan", "encrypted"},
    "pdf/pypdf_imagemagick-CCITTFaxDecode.pdf": {"scan"},
    "pdf/paperless_multi-page-images.pdf": {"scan"},
    "pdf/paperless_barcode-fax-image.pdf": {"scan"},
    "pdf/pypdf_SF424_page2.pdf": {"not_the_form"},
    "pdf/pypdf_issue-297.pdf": {"not_the_form", "corrupt"},
    "docx/docx2python_strict.docx": {"not_the_form"},
    "docx/docx2python_renamed_document_xml.docx": {"not_the_form"},
    "docx/pandoc_alternate_document_path.docx": {"not_the_form"},
    "docx/docx2python_has_pict.docx": {"scan", "not_the_form"},
}


@pytest.mark.parametrize("rel", sorted(EXPECTED_REASONS))
def test_corpus_reason(rel: str) -> None:
    assert rel in LISTED
    got = parsers.extract(need_shared(CORPUS / rel).read_bytes())
    assert not got.readable
    assert got.reason in EXPECTED_REASONS[rel], (got.reason, got.detail)


def test_renamed_and_strict_docx_main_part_has_text() -> None:
    """A renamed main part and the Strict namespace are read (their text is found)."""
    from parsers import docx
    from parsers.zipsafe import open_zip

    for rel in (
        "docx/docx2python_strict.docx",
        "docx/docx2python_renamed_document_xml.docx",
        "docx/pandoc_alternate_document_path.docx",
        "docx/pandoc_ns0-reference.docx",
    ):
        path = need_shared(CORPUS / rel)
        _blocks, chars, _ = docx.read_blocks(
            open_zip(path.read_bytes(), parsers.ParseLimits()), parsers.ParseLimits()
        )
        assert chars > 0, rel
