"""Which pictures are pages of the form, and in which order the OCR stage reads them."""

from __future__ import annotations

import io

import pytest

from mailbot.mail.mime import AttachedFile
from mailbot.pipeline.ocr import looks_like_page, page_order
from mailbot.storage.prefills import PageFile

Image = pytest.importorskip("PIL.Image")


def picture(width: int, height: int, kind: str = "JPEG") -> AttachedFile:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 200).save(buffer, kind)
    data = buffer.getvalue()
    return AttachedFile("2", "x", "image/jpeg", "image", data, "0" * 64)


@pytest.mark.parametrize(
    ("size", "page"),
    [
        ((1240, 1754), True),  # A4 at 150 dpi
        ((1754, 1240), True),  # a page photographed sideways
        ((3024, 4032), True),  # a phone photo (4:3)
        ((1080, 1920), True),  # a phone photo (16:9)
        ((1200, 160), False),  # a banner in a signature
        ((300, 300), False),  # a logo
        ((640, 1600), False),  # a strip
    ],
)
def test_a_page_is_big_enough_and_shaped_like_a_page(size, page):
    assert looks_like_page(picture(*size)) is page


def test_a_picture_whose_size_cannot_be_told_is_taken_as_a_page():
    unknown = AttachedFile("2", "x.heic", "image/heic", "image", b"\0" * 20_000, "0" * 64)
    assert looks_like_page(unknown)


def test_pages_in_the_order_of_their_names_else_as_attached():
    named = [
        PageFile(1, "skan 10.jpg", "a"),
        PageFile(2, "skan 2.jpg", "b"),
        PageFile(3, "Skan 1.jpg", "c"),
    ]
    assert [p.file for p in page_order(named)] == ["c", "b", "a"]
    unnamed = [PageFile(1, None, "a"), PageFile(2, "skan 1.jpg", "b")]
    assert [p.file for p in page_order(unnamed)] == ["a", "b"]
