"""parsers/sniff.py: a file's kind from its bytes alone, whatever its name or declared type."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.sniff import OLE_MAGIC, sniff


def zipped(members: dict[str, bytes], stored_first: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for i, (name, data) in enumerate(members.items()):
            method = zipfile.ZIP_STORED if stored_first and i == 0 else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=method)
    return out.getvalue()


ODT = b"application/vnd.oasis.opendocument.text"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "pdf"),
        (b"\r\n  %PDF-1.7 after a few bytes of junk", "pdf"),
        (b"{\\rtf1\\ansi Formularz", "rtf"),
        (b"  {\\rtf1", "rtf"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00", "image"),
        (b"<!DOCTYPE html><html><body>Formularz</body></html>", "html"),
        (b'<?xml version="1.0"?><office:document office:mimetype="x">', "odt"),
        ("Imię i nazwisko: Anna\r\n".encode(), "text"),
        (b"\x00\x01\x02\x03binary", "unknown"),
        (b"", "unknown"),
    ],
)
def test_kinds_by_their_first_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_office_zips_by_their_parts() -> None:
    assert sniff(zipped({"[Content_Types].xml": b"<T/>", "word/document.xml": b"<w/>"})) == "docx"
    assert sniff(zipped({"[Content_Types].xml": b"<T/>", "xl/workbook.xml": b"<x/>"})) == "xlsx"
    assert sniff(zipped({"[Content_Types].xml": b"<T/>", "ppt/presentation.xml": b"<p/>"})) == (
        "pptx"
    )
    odt = zipped({"mimetype": ODT, "content.xml": b"<c/>"}, stored_first=True)
    assert sniff(odt) == "odt"
    # an ODF whose mimetype is not the first member, and one without a mimetype at all
    later = zipped({"content.xml": b"<c/>", "mimetype": ODT, "META-INF/manifest.xml": b"<m/>"})
    assert sniff(later) == "odt"
    assert sniff(zipped({"content.xml": b"<c/>", "META-INF/manifest.xml": b"<m/>"})) == "odt"
    assert sniff(zipped({"notatki.txt": b"zwykly zip"})) == "zip"


def test_a_broken_zip_is_still_a_zip() -> None:
    assert sniff(b"PK\x03\x04" + b"\x00" * 40) == "zip"


def test_ole_files_by_their_directory_names() -> None:
    def ole(name: str) -> bytes:
        return OLE_MAGIC + b"\x00" * 500 + name.encode("utf-16-le") + b"\x00" * 100

    assert sniff(ole("WordDocument")) == "doc"
    assert sniff(ole("Workbook")) == "xls"
    assert sniff(ole("PowerPoint Document")) == "ppt"
    assert sniff(ole("EncryptedPackage")) == "docx"  # a password-protected DOCX
    assert sniff(ole("Something")) == "ole"
