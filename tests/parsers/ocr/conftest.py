"""The OCR tests import the parser tests' helpers (tests/parsers) and the scan generator."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[2], HERE.parent, HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
