"""mailbot/pipeline/isolate.py: a file read in a child process gives what reading it in
mailbot gives; the child is reused from file to file and started again after it is stopped.
(The hostile files the child's clock and memory cap stop: tests/integration/
test_isolated_parse.py.)"""

from __future__ import annotations

import pytest

import parsers
from mailbot.config import IsolatedLimits
from mailbot.ops import samples
from mailbot.pipeline.isolate import IsolatedReader
from parsers import DEFAULT_FORM


@pytest.fixture
def reader():
    r = IsolatedReader(name="mailbot-parse-test")
    yield r
    r.close()


def test_a_file_read_in_the_child_is_read_as_in_mailbot(reader):
    data = samples.filled_docx(samples.Applicant(full_name="Zofia Wiśniewska", groups=(2, 5)))
    limits = IsolatedLimits()
    isolated = reader.extract(data, DEFAULT_FORM, limits)
    direct = parsers.extract(data, DEFAULT_FORM, limits)
    assert isolated.to_json() == direct.to_json()
    assert isolated.fields["full_name"] == "Zofia Wiśniewska"


def test_the_child_is_reused_and_started_again_after_close(reader):
    limits = IsolatedLimits()
    reader.extract(samples.filled_docx(samples.Applicant()), DEFAULT_FORM, limits)
    first = reader._process
    assert first is not None and first.is_alive()
    not_a_form = reader.extract(b"plain words, no form", DEFAULT_FORM, limits)
    assert not_a_form.reason == "unsupported_format"
    assert reader._process is first  # one child for every file
    reader.close()
    assert not first.is_alive()
    again = reader.extract(samples.filled_docx(samples.Applicant()), DEFAULT_FORM, limits)
    assert again.readable and reader._process is not first


def test_the_spec_reaches_the_child_when_it_changes(reader):
    card = parsers.FormSpec.from_mapping(
        {
            "fields": [
                {"key": "imie_nazwisko", "type": "text", "labels": ["Imię i nazwisko"]},
                {"key": "adres_email", "type": "email", "labels": ["Adres e-mail"]},
            ]
        }
    )
    data = samples.filled_docx(samples.Applicant())
    limits = IsolatedLimits()
    dkres = reader.extract(data, DEFAULT_FORM, limits)
    other = reader.extract(data, card, limits)
    assert set(dkres.fields) == set(DEFAULT_FORM.keys)
    assert set(other.fields) == {"imie_nazwisko", "adres_email"}
    assert other.to_json() == parsers.extract(data, card, limits).to_json()


_EARLIER_PEAK_THEN_A_SLOW_SCAN = """
import io
from PIL import Image, ImageDraw
from mailbot.pipeline import isolate
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
cap = int(isolate._peak_memory() / 0.8)  # a cap the peak is near, never reached now
for seconds in (0.001, 0.05):  # the pages take all the time; the library stops on its clock
    limits = OcrLimits(max_seconds=seconds)
    print(isolate._read_scan([png.getvalue()], DEFAULT_FORM, limits, cap).reason)
"""

_A_SCAN_OVER_THE_MEMORY_CAP = """
import io
from PIL import Image, ImageDraw
from mailbot.pipeline import isolate
from parsers import DEFAULT_FORM
from parsers.ocr import OcrLimits

page = Image.new("L", (2480, 3508), 255)
ImageDraw.Draw(page).text((200, 100), "Imię i nazwisko: Anna Kowalska", fill=0)
png = io.BytesIO()
page.save(png, "PNG")
status = open("/proc/self/status").read().splitlines()
size = next(int(ln.split()[1]) * 1024 for ln in status if ln.startswith("VmSize:"))
cap = size + 40 * 1024 * 1024  # far too little to read a page
print(isolate._read_scan([png.getvalue()], DEFAULT_FORM, OcrLimits(max_seconds=60), cap).reason)
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
