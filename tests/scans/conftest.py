"""The scan generator's modules import one another by their plain names (make_scans.py is also
run as a script): their folder goes on the import path before the runner is collected."""

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
