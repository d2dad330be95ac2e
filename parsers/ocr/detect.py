"""Is a file a scan? An image of any kind, or a PDF whose pages are pictures of paper.

A PDF page is a scan page when its text is an invisible layer over an image (render mode 3 or
7: what a scanner's, a phone app's or OCRmyPDF's OCR writes), or when its text lies on an image
covering most of the page (a "sandwich" with visible text). A PDF with no text on any page but
images is a scan too. Such text is never read as the applicant's: OCR wrote it.

Only pypdf is needed here (no Pillow): the PDF reader calls :func:`scan_pages` on every PDF.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from typing import Any

#: an image placed over at least this share of the page's area is a picture of the page
FULL_PAGE = 0.6
_SHOW_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})
_INVISIBLE_MODES = frozenset({3, 7})
_MAX_DEPTH = 4  # nested form XObjects followed


@dataclass
class PageInk:
    """What a page's content stream draws: text (visible / invisible characters) and images
    (the largest share of the page one covers)."""

    visible: int = 0
    invisible: int = 0
    images: int = 0
    largest_image: float = 0.0
    image_dpi: float = 0.0  # the resolution the largest image is drawn at

    @property
    def is_scan_page(self) -> bool:
        """Text OCR wrote over a picture of the page."""
        if not self.images:
            return False
        if self.invisible:
            return True
        return self.visible > 0 and self.largest_image >= FULL_PAGE

    @property
    def picture_page(self) -> bool:
        """A picture of a page and no text: a scanned page."""
        return self.largest_image >= FULL_PAGE and not self.visible and not self.invisible


def _mult(m: list[float], n: list[float]) -> list[float]:
    """m × n for PDF matrices [a b c d e f]."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return [
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    ]


def _num(x: Any) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return 0.0


def _text_length(op: bytes, args: list[Any]) -> int:
    if not args:
        return 0
    last = args[-1]
    if op == b"TJ":
        return (
            sum(len(x) for x in last if isinstance(x, str | bytes)) if isinstance(last, list) else 0
        )
    return len(last) if isinstance(last, str | bytes) else 0


def page_ink(page: Any, reader: Any) -> PageInk:
    """Walk the page's content stream (and the form XObjects it draws) once."""
    from pypdf.generic import ContentStream

    ink = PageInk()
    try:
        box = page.mediabox
        area = abs(float(box.width) * float(box.height)) or 1.0
    except Exception:  # noqa: BLE001 - a broken media box: A4
        area = 595.0 * 842.0

    def walk(content: Any, resources: Any, ctm: list[float], depth: int) -> None:
        try:
            xobjects = resources.get("/XObject") if resources is not None else None
            xobjects = xobjects.get_object() if xobjects is not None else {}
        except Exception:  # noqa: BLE001
            xobjects = {}
        stack: list[tuple[list[float], int]] = []
        mode = 0
        for args, op in ContentStream(content, reader).operations:
            if op == b"q":
                stack.append((ctm, mode))
            elif op == b"Q":
                if stack:
                    ctm, mode = stack.pop()
            elif op == b"cm" and len(args) == 6:
                ctm = _mult([_num(a) for a in args], ctm)
            elif op == b"Tr" and args:
                mode = int(_num(args[0]))
            elif op in _SHOW_TEXT:
                n = _text_length(op, args)
                if mode in _INVISIBLE_MODES:
                    ink.invisible += n
                else:
                    ink.visible += n
            elif op == b"Do" and args:
                try:
                    xobj = xobjects.get(args[0])
                    xobj = xobj.get_object() if xobj is not None else None
                except Exception:  # noqa: BLE001
                    xobj = None
                if xobj is None:
                    continue
                subtype = xobj.get("/Subtype")
                if subtype == "/Image":
                    ink.images += 1
                    share = abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]) / area
                    if share > ink.largest_image:
                        ink.largest_image = share
                        placed = max(math.hypot(ctm[0], ctm[1]), math.hypot(ctm[2], ctm[3]))
                        pixels = max(_num(xobj.get("/Width")), _num(xobj.get("/Height")))
                        ink.image_dpi = 72.0 * pixels / placed if placed > 0 else 0.0
                elif subtype == "/Form" and depth < _MAX_DEPTH:
                    matrix = xobj.get("/Matrix")
                    inner = ctm
                    if matrix is not None and len(matrix) == 6:
                        inner = _mult([_num(a) for a in matrix], ctm)
                    walk(xobj, xobj.get("/Resources") or resources, inner, depth + 1)

    try:
        contents = page.get_contents()
        if contents is not None:
            walk(contents, page.get("/Resources"), [1.0, 0.0, 0.0, 1.0, 0.0, 0.0], 0)
    except Exception:  # noqa: BLE001 - a broken content stream: what was seen so far
        pass
    return ink


def has_image_resource(page: Any) -> bool:
    """A quick look at the page's resources: does it hold any image (directly or in a form)?
    Pages without one are not looked at further."""
    try:
        res = page.get("/Resources")
        res = res.get_object() if res is not None else None
        xobj = res.get("/XObject") if res is not None else None
        xobj = xobj.get_object() if xobj is not None else None
        if not xobj:
            return False
        for v in xobj.values():
            o = v.get_object()
            if o.get("/Subtype") == "/Image":
                return True
            if o.get("/Subtype") == "/Form":
                return True
        return False
    except Exception:  # noqa: BLE001
        return False


def page_inks(reader: Any) -> list[PageInk | None]:
    """Each page's ink; None for a page without any image (not walked: nothing to find)."""
    return [page_ink(p, reader) if has_image_resource(p) else None for p in reader.pages]


def scan_pages(inks: list[PageInk | None]) -> list[int]:
    """The indexes of the pages whose text OCR wrote (see the module's doc)."""
    return [i for i, ink in enumerate(inks) if ink is not None and ink.is_scan_page]


def picture_pages(inks: list[PageInk | None]) -> list[int]:
    """The indexes of the pages that are only a picture of a page."""
    return [i for i, ink in enumerate(inks) if ink is not None and ink.picture_page]


def pdf_is_scan(reader: Any) -> bool:
    """A scan page anywhere, or pictures and no text on any page."""
    inks = page_inks(reader)
    if scan_pages(inks):
        return True
    if not any(ink is not None and ink.images for ink in inks):
        return False
    for page, ink in zip(reader.pages, inks, strict=True):
        if ink is None:
            if _has_text(page, reader):
                return False
        elif ink.visible or ink.invisible:
            return False
    return True


def _has_text(page: Any, reader: Any) -> bool:
    ink = page_ink(page, reader)
    return bool(ink.visible or ink.invisible)


IMAGE_KINDS = frozenset({"image"})


def is_scan(data: bytes) -> bool:
    """An image (JPEG, PNG, TIFF, HEIC/HEIF, WebP, GIF, BMP), an image-only PDF, or a PDF whose
    text is an invisible layer or lies on a full-page image. Never raises."""
    from parsers.sniff import sniff

    try:
        kind = sniff(bytes(data))
        if kind in IMAGE_KINDS:
            return True
        if kind != "pdf":
            return False
        from pypdf import PdfReader

        reader = PdfReader(io.BytesIO(bytes(data)), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return False
        return pdf_is_scan(reader)
    except Exception:  # noqa: BLE001 - not readable: not a scan this module can tell
        return False
