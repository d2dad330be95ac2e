"""Real-world DOCX and PDF files from public test suites: extraction never raises."""

from __future__ import annotations

import pytest
from parsers_testlib import CORPUS

import parsers
from parsers import FIELD_KEYS, REASON_TEXT_PL

FILES = sorted([*CORPUS.glob("docx/*"), *CORPUS.glob("pdf/*")]) if CORPUS.exists() else []


@pytest.mark.skipif(not FILES, reason="shared/corpus not found beside the repo")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_corpus_file(path) -> None:
    data = path.read_bytes()
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


@pytest.mark.skipif(not FILES, reason="shared/corpus not found beside the repo")
@pytest.mark.parametrize("rel", sorted(EXPECTED_REASONS))
def test_corpus_reason(rel: str) -> None:
    path = CORPUS / rel
    if not path.exists():
        pytest.skip(f"{rel} not in the corpus")
    got = parsers.extract(path.read_bytes())
    assert not got.readable
    assert got.reason in EXPECTED_REASONS[rel], (got.reason, got.detail)


@pytest.mark.skipif(not FILES, reason="shared/corpus not found beside the repo")
def test_renamed_and_strict_docx_main_part_has_text() -> None:
    """A renamed main part and the Strict namespace are read (their text is found)."""
    from parsers import docx
    from parsers.zipsafe import open_zip

    for rel in ("docx/docx2python_strict.docx", "docx/docx2python_renamed_document_xml.docx",
                "docx/pandoc_alternate_document_path.docx", "docx/pandoc_ns0-reference.docx"):
        path = CORPUS / rel
        if not path.exists():
            continue
        _blocks, chars, _ = docx.read_blocks(open_zip(path.read_bytes(), parsers.ParseLimits()),
                                            parsers.ParseLimits())
        assert chars > 0, rel
