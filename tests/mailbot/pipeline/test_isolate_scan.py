"""mailbot/pipeline/isolate_scan.py: why a scan read in the OCR child gave no pre-fill — the
limit it reached is named, whatever else the process went through before."""

from __future__ import annotations

import pytest

_EARLIER_PEAK_THEN_A_SLOW_SCAN = """
import io
from PIL import Image, ImageDraw
from mailbot.pipeline import isolate, isolate_scan
from parsers import DEFAULT_FORM
from parsers.ocr import OcrLimits

page = Image.new("L", (2480, 3508), 255)
draw = ImageDraw.Draw(page)
for i in range(40):
    draw.text((200, 100 + i * 80), "Imię i nazwisko: Anna Kowalska", fill=0)
png = io.BytesIO()
page.save(png, "PNG")
earlier = bytearray(400 * 1024 * 1024)  # an earlier scan took much memory, then gave it back
del earlier
cap = int(isolate.peak_memory() / 0.8)  # a cap the peak is near, never reached now
for seconds in (0.001, 0.05):  # the pages take all the time; the library stops on its clock
    limits = OcrLimits(max_seconds=seconds)
    print(isolate_scan._read_scan([png.getvalue()], DEFAULT_FORM, limits, cap).reason)
"""

_A_SCAN_OVER_THE_MEMORY_CAP = """
import io
from PIL import Image, ImageDraw
from mailbot.pipeline import isolate, isolate_scan
from parsers import DEFAULT_FORM
from parsers.ocr import OcrLimits

page = Image.new("L", (2480, 3508), 255)
ImageDraw.Draw(page).text((200, 100), "Imię i nazwisko: Anna Kowalska", fill=0)
png = io.BytesIO()
page.save(png, "PNG")
status = open("/proc/self/status").read().splitlines()
size = next(int(ln.split()[1]) * 1024 for ln in status if ln.startswith("VmSize:"))
cap = size + 40 * 1024 * 1024  # far too little to read a page
limits = OcrLimits(max_seconds=60)
print(isolate_scan._read_scan([png.getvalue()], DEFAULT_FORM, limits, cap).reason)
"""


def _run_child(script: str) -> str:
    import subprocess
    import sys
    from pathlib import Path

    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=Path(__file__).resolve().parents[3],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_a_scan_over_its_time_is_a_time_limit_though_an_earlier_scan_peaked_near_the_cap():
    """The OCR child lives from scan to scan and its peak address space never goes down: when
    the library stops on its clock, that is the reason, not the memory an earlier scan took.
    (Run in a process of its own: the read sets the process's memory cap.)"""
    pytest.importorskip("PIL")
    assert _run_child(_EARLIER_PEAK_THEN_A_SLOW_SCAN).split() == ["time_limit", "time_limit"]


def test_a_scan_that_needs_more_memory_than_the_cap_is_a_memory_limit():
    pytest.importorskip("PIL")
    assert _run_child(_A_SCAN_OVER_THE_MEMORY_CAP).split() == ["memory_limit"]
