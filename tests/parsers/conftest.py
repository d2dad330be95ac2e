"""Puts the repo root on sys.path so `import parsers` works under plain `pytest`, and this
folder, whose helpers (formbuilder, variants, parsers_testlib, ...) the tests import by name."""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
for path in (HERE.parents[1], HERE):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
