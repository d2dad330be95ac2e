"""The values of the OCR contract: where a value was read, what was read, and the limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any


class OcrFailed(Exception):
    """Reading a scan stopped; ``reason`` is a code for the caller to record (``time_limit``,
    ``too_many_pages``, ``unreadable``), ``str(exc)`` a detail without any form contents."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


@dataclass(frozen=True)
class OcrLimits:
    max_seconds: float = 120.0  # the whole read of one scan (config: limits.max_ocr_seconds)
    max_pages: int = 10  # pages of one scan, over all its files
    dpi: int = 300  # rendering of image-only PDF pages


@dataclass(frozen=True)
class Box:
    """Where a value was read, as fractions of the page image (``page_images``) it is on."""

    page: int
    left: float
    top: float
    width: float
    height: float

    def to_json(self) -> dict[str, float]:
        return {
            "page": self.page,
            "left": round(self.left, 4),
            "top": round(self.top, 4),
            "width": round(self.width, 4),
            "height": round(self.height, 4),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Box:
        return cls(
            int(data["page"]),
            float(data["left"]),
            float(data["top"]),
            float(data["width"]),
            float(data["height"]),
        )


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Prefill:
    """What OCR read from a scan, for a person to confirm: never a status, a problem or a letter.

    ``fields`` has every key of the form spec with the value types of ``Extraction.fields``
    (text: str | None, choice: sorted list[int], statement: bool); ``confidence`` every key,
    0..1 (0 when nothing was read); ``boxes`` the places on the pages where each value was read
    (a statement or a choice: its boxes)."""

    fields: Mapping[str, Any]
    confidence: Mapping[str, float]
    boxes: Mapping[str, tuple[Box, ...]] = field(default_factory=dict)
    engine: str = ""
    pages: int = 0

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", _frozen(self.fields))
        object.__setattr__(self, "confidence", _frozen(self.confidence))
        object.__setattr__(self, "boxes", _frozen(self.boxes))

    def to_json(self) -> dict[str, Any]:
        """``{"fields", "confidence", "engine", "boxes"}`` (JSON types only)."""
        return {
            "fields": {
                k: list(v) if isinstance(v, list | tuple) else v for k, v in self.fields.items()
            },
            "confidence": {k: round(float(v), 3) for k, v in self.confidence.items()},
            "engine": self.engine,
            "boxes": {k: [b.to_json() for b in v] for k, v in self.boxes.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Prefill:
        fields = {
            k: sorted(int(x) for x in v) if isinstance(v, list) else v
            for k, v in dict(data.get("fields") or {}).items()
        }
        confidence = {k: float(v) for k, v in dict(data.get("confidence") or {}).items()}
        boxes = {
            k: tuple(Box.from_json(b) for b in v) for k, v in dict(data.get("boxes") or {}).items()
        }
        return cls(
            fields=fields,
            confidence=confidence,
            boxes=boxes,
            engine=str(data.get("engine") or ""),
            pages=int(
                data.get("pages")
                or 1 + max((b.page for v in boxes.values() for b in v), default=-1)
            ),
        )
