"""The contract's values: Prefill and Box to JSON and back."""

from __future__ import annotations

import json

from parsers.ocr import Box, OcrLimits, Prefill


def test_prefill_to_json_and_back() -> None:
    p = Prefill(
        fields={"full_name": "Anna Kowalska", "groups": [2, 4], "consents_gdpr": True},
        confidence={"full_name": 0.93, "groups": 0.8, "consents_gdpr": 1.0},
        boxes={
            "full_name": (Box(0, 0.5, 0.2, 0.3, 0.02),),
            "groups": (Box(1, 0.1, 0.1, 0.8, 0.2),),
        },
        engine="tesseract 5.3.0 (pol)",
        pages=2,
    )
    data = json.loads(json.dumps(p.to_json()))
    assert set(data) == {"fields", "confidence", "engine", "boxes"}
    assert data["fields"] == {"full_name": "Anna Kowalska", "groups": [2, 4], "consents_gdpr": True}
    back = Prefill.from_json(data)
    assert back.fields == p.fields
    assert back.confidence == p.confidence
    assert back.boxes == p.boxes
    assert back.engine == p.engine
    assert back.pages == 2  # from the boxes: page index 1 is the second page


def test_prefill_is_frozen() -> None:
    p = Prefill(fields={"a": None}, confidence={"a": 0.0})
    try:
        p.fields["a"] = "x"  # type: ignore[index]
    except TypeError:
        pass
    else:  # pragma: no cover
        raise AssertionError("fields can be changed")


def test_limits_defaults() -> None:
    assert OcrLimits() == OcrLimits(max_seconds=120.0, max_pages=10, dpi=300)
