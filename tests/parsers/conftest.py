"""Puts the repo root on sys.path so `import parsers` works under plain `pytest`."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))
