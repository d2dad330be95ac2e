"""The second call in examples/ngo-council, for the tests: its folder, its form builder and a
sample applicant (loaded from the example's own make_form.py)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ngo-council"

_spec = importlib.util.spec_from_file_location("example_make_form", EXAMPLE / "make_form.py")
assert _spec is not None and _spec.loader is not None
make_form = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_form)

APPLICANT = make_form.APPLICANT
build_form = make_form.build_form
