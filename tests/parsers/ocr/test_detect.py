"""A scan is a scan: every kind of picture, image-only PDFs, PDFs whose text OCR wrote (an
invisible layer, or text on a full-page picture) — readable: false, reason scan, nothing read.
A PDF printed from Word (with or without a logo) is not a scan."""

from __future__ import annotations

import io

import pytest
import variants as v
from parsers_testlib import PRINTED_PDF
from PIL import Image
from pypdf import PdfReader, PdfWriter

import parsers
from mailbot.ops import samples
from parsers import ocr


def _picture(fmt: str) -> bytes:
    image = Image.new("RGB", (120, 160), (250, 250, 245))
    out = io.BytesIO()
    if fmt == "HEIF":
        import pillow_heif

        pillow_heif.register_heif_opener()
    image.save(out, fmt)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "WEBP", "HEIF", "GIF", "BMP"])
def test_every_picture_is_a_scan(fmt: str) -> None:
    data = _picture(fmt)
    assert ocr.is_scan(data)
    got = parsers.extract(data)
    assert (got.readable, got.reason, got.kind) == (False, "scan", "image")
    assert dict(got.fields) == parsers.empty_fields()


def _pdf_of(*pages: bytes) -> bytes:
    writer = PdfWriter()
    for data in pages:
        for page in PdfReader(io.BytesIO(data)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _logo_page() -> bytes:
    """A text page (the printed form's lines, visible) with a small logo in its corner."""
    printed = v.image_pdf(v.printed_lines(), render_mode=0)
    # the same objects, the picture drawn at 60 x 40 pt instead of the whole page
    return printed.replace(b"q 612 0 0 792 0 0 cm /Im1 Do Q", b"q 60 0 0 40 40 740 cm /Im1 Do Q")


CASES = {
    "image-only": (samples.scanned_pdf(), True),
    "invisible-ocr-layer": (v.image_pdf(v.printed_lines(), render_mode=3), True),
    "text-on-page-picture": (v.image_pdf(v.printed_lines(), render_mode=0), True),
    "printed-from-word": (PRINTED_PDF.read_bytes(), False),
    "printed-with-a-logo": (_logo_page(), False),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pdfs(name: str) -> None:
    data, scan = CASES[name]
    assert ocr.is_scan(data) is scan
    got = parsers.extract(data)
    if scan:
        assert (got.readable, got.reason) == (False, "scan"), got.detail
        assert dict(got.fields) == parsers.empty_fields()
    else:
        assert got.reason != "scan"


def test_the_logo_page_is_read_as_printed() -> None:
    got = parsers.extract(_logo_page())
    assert got.readable, (got.reason, got.detail)
    assert got.fields["full_name"]


@pytest.mark.parametrize("order", ["text-first", "scan-first"])
def test_a_scanned_page_with_an_ocr_layer_makes_the_file_a_scan(order: str) -> None:
    """Page 1 printed from Word, page 2 a scan with an OCR layer (or the other way round):
    nothing is read from the file, not even the printed page's fields."""
    pages = [PRINTED_PDF.read_bytes(), v.image_pdf(v.printed_lines(), render_mode=3)]
    data = _pdf_of(*(pages if order == "text-first" else pages[::-1]))
    assert ocr.is_scan(data)
    got = parsers.extract(data)
    assert (got.readable, got.reason) == (False, "scan")
    assert dict(got.fields) == parsers.empty_fields()


def test_an_ocr_layer_in_a_form_xobject_is_found() -> None:
    """OCRmyPDF draws its text layer inside a form XObject: the walk follows it."""
    layer = v.image_pdf(v.printed_lines(), render_mode=3)
    reader = PdfReader(io.BytesIO(layer))
    page = reader.pages[0]
    from parsers.ocr import detect

    ink = detect.page_ink(page, reader)
    assert ink.invisible > 100 and ink.largest_image > 0.99
    assert ink.is_scan_page


def test_not_a_scan() -> None:
    assert not ocr.is_scan(samples.filled_docx(samples.Applicant()))
    assert not ocr.is_scan(b"%PDF-1.4 broken")
    assert not ocr.is_scan(b"")
