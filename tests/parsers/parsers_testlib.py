"""Shared paths and comparison helpers for the parser tests (data in ../shared)."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FORMS = SHARED / "forms"
SAMPLES = FORMS / "samples"
CORPUS = SHARED / "corpus"
BLANK_DOCX = FORMS / "formularz-zgloszeniowy.docx"
FILLABLE_PDF = FORMS / "formularz-zgloszeniowy-wypelnialny.pdf"

if str(REPO) not in sys.path:  # `pytest` run without the repo installed
    sys.path.insert(0, str(REPO))

from parsers import FIELD_KEYS  # noqa: E402


def need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared test data not found: {path} (expected beside the repo in ../shared)")
    return path


def fold_ws(v: Any) -> Any:
    if isinstance(v, str):
        return re.sub(r"\s+", " ", v).strip()
    return v


def fold_address(v: Any) -> Any:
    """The address may come back with its line breaks as ", " or "\\n"."""
    if isinstance(v, str):
        return re.sub(r"\s*,?\s*\n\s*", ", ", v.strip()).replace("  ", " ")
    return v


def comparable(fields: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for k in FIELD_KEYS:
        v = fields.get(k)
        out[k] = fold_ws(fold_address(v)) if k == "address" else fold_ws(v)
    return out


def diff(got: Mapping[str, Any], want: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    g, w = comparable(got), comparable(want)
    return {k: (g[k], w[k]) for k in FIELD_KEYS if g[k] != w[k]}
