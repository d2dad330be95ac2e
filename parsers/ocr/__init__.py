"""OCR pre-fill of scanned forms with Tesseract: the pages of a scan read and mapped to the
form spec's fields, for a person to confirm. Nothing read here is ever an application's
``fields``, a status, a problem or a letter.

The contract (``/docs`` in parsers/README.md): ``engine``, ``is_scan``, ``page_images``,
``prefill``, ``Prefill``, ``Box``, ``OcrLimits``, ``OcrFailed``. Names are imported when first
used: ``import parsers.ocr`` loads neither Pillow, numpy nor libtesseract.
"""

from __future__ import annotations

from importlib import import_module

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from parsers.ocr.detect import is_scan
    from parsers.ocr.model import Box, OcrFailed, OcrLimits, Prefill
    from parsers.ocr.reading import page_images, prefill
    from parsers.ocr.tesseract import engine

_HOME = {
    "Box": "parsers.ocr.model",
    "OcrFailed": "parsers.ocr.model",
    "OcrLimits": "parsers.ocr.model",
    "Prefill": "parsers.ocr.model",
    "engine": "parsers.ocr.tesseract",
    "is_scan": "parsers.ocr.detect",
    "page_images": "parsers.ocr.reading",
    "prefill": "parsers.ocr.reading",
}

__all__ = [
    "Box",
    "OcrFailed",
    "OcrLimits",
    "Prefill",
    "engine",
    "is_scan",
    "page_images",
    "prefill",
]


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'parsers.ocr' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
