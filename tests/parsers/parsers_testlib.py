"""Paths (see tests/testdata.py) and comparison helpers for the parser tests."""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
for _path in (REPO, REPO / "tests"):  # `pytest` run without the repo installed; tests/testdata
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from testdata import (  # noqa: E402
    BLANK_DOCX,
    CORPUS,
    FILLABLE_PDF,
    PRINTED_PDF,
    SAMPLES,
    need_shared,
)

from parsers import FIELD_KEYS  # noqa: E402

__all__ = [
    "BLANK_DOCX",
    "CORPUS",
    "FILLABLE_PDF",
    "PRINTED_PDF",
    "SAMPLES",
    "comparable",
    "diff",
    "fold_address",
    "fold_ws",
    "need_shared",
]


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
