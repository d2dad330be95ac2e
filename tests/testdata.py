"""Where the tests find their files.

In the repository: the blank forms the service itself ships (``mailbot/assets/``) and copies
of the published printed form and the filled sample forms (``tests/fixtures/forms/``), so the
parser tests run the same in a clean clone as beside ``../shared``.

Beside the repository, in ``../shared`` (or the folder named by ``MAILBOT_SHARED``): the
public test corpus (real-world DOCX, PDF and MIME files from other projects' test suites).
A test that needs it is skipped when it is missing, and fails instead when ``CI`` is set.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MAILBOT_SHARED") or REPO.parent / "shared")
CORPUS = SHARED / "corpus"

ASSETS = REPO / "mailbot" / "assets"
FORMS = REPO / "tests" / "fixtures" / "forms"
SAMPLES = FORMS / "samples"
BLANK_DOCX = ASSETS / "formularz-zgloszeniowy.docx"
FILLABLE_PDF = ASSETS / "formularz-zgloszeniowy-wypelnialny.pdf"
PRINTED_PDF = FORMS / "formularz-zgloszeniowy.pdf"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def need_shared(path: Path) -> Path:
    """``path`` (inside ``SHARED``) when it exists; else skip, or fail when CI is set."""
    if not path.exists():
        message = (
            f"shared test data not found: {path} (expected in {SHARED}, beside the "
            "repository, or in the folder named by MAILBOT_SHARED)"
        )
        if in_ci():
            pytest.fail(f"{message}; CI is set, so this is an error, not a skip", pytrace=False)
        pytest.skip(message)
    return path
