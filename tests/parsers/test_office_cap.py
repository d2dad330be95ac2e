"""LibreOffice, which reads DOC and RTF files, runs under the memory cap of a reading process
(as a data limit) and its clock; a conversion it does not survive is ``limit_exceeded``.

A stand-in ``soffice`` first in PATH reports the limits it was started with: this needs no
LibreOffice and says exactly what any converter gets.
"""

from __future__ import annotations

import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

import parsers
from parsers import ParseLimits, office

MIB = 1024 * 1024
#: an RTF file: what the stand-in is asked to convert
RTF = rb"{\rtf1\ansi Formularz zg\'b3oszeniowy\par}"

STAND_IN = """#!/bin/sh
# the limits it runs under, then it dies as LibreOffice does when an allocation fails
grep -E "^Max (data size|address space)" /proc/self/limits > "{report}"
{tail}
"""


@dataclass(frozen=True)
class CappedLimits(ParseLimits):
    """ParseLimits with a memory cap, as mailbot's ``IsolatedLimits`` carries it."""

    max_memory: int = 200 * MIB


def _stand_in(tmp_path: Path, monkeypatch, tail: str) -> Path:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    report = tmp_path / "limits.txt"
    script = bin_dir / "soffice"
    script.write_text(STAND_IN.format(report=report, tail=tail))
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    assert office.find_soffice() == str(script)
    return report


def _limits(report: Path) -> dict[str, str]:
    """'Max data size' -> soft limit, as /proc/PID/limits gives it."""
    out = {}
    for line in report.read_text().splitlines():
        name, soft = line[:26].strip(), line[26:].split()[0]
        out[name] = soft
    return out


def test_the_converter_runs_under_the_memory_cap_as_a_data_limit(tmp_path, monkeypatch):
    report = _stand_in(tmp_path, monkeypatch, "kill -ABRT $$")
    assert parsers.sniff(RTF) == "rtf"
    got = parsers.extract(RTF, parsers.DEFAULT_FORM, CappedLimits())
    seen = _limits(report)
    assert seen["Max data size"] == str(200 * MIB)
    # not an address-space cap: LibreOffice's libraries alone would fill it
    assert seen["Max address space"] == "unlimited"
    # a converter that died gives a clear reason naming the cap, no crash
    assert (got.readable, got.reason, got.kind) == (False, "limit_exceeded", "rtf")
    assert "memory limit 200 MiB" in (got.detail or "")


def test_without_a_cap_in_the_limits_the_default_cap_applies(tmp_path, monkeypatch):
    report = _stand_in(tmp_path, monkeypatch, "exit 0")
    got = parsers.extract(RTF, parsers.DEFAULT_FORM, ParseLimits())
    assert _limits(report)["Max data size"] == str(office.DEFAULT_MAX_MEMORY)
    # it said nothing and made nothing: a failed conversion, not a limit
    assert (got.readable, got.reason) == (False, "conversion_failed")


def test_a_converter_over_its_clock_is_killed_with_all_it_started(tmp_path, monkeypatch):
    marker = tmp_path / "still-running"
    # a child that would outlive its parent, as soffice.bin outlives the soffice script
    _stand_in(tmp_path, monkeypatch, f"(sleep 3; touch {marker}) & sleep 30")
    started = time.monotonic()
    got = parsers.extract(RTF, parsers.DEFAULT_FORM, CappedLimits(max_seconds=1.0))
    assert time.monotonic() - started < 10
    assert (got.readable, got.reason) == (False, "limit_exceeded")
    time.sleep(3.5)
    assert not marker.exists(), "a process of the conversion outlived its clock"


@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_a_form_under_the_default_cap(tmp_path):
    from mailbot.ops import samples

    docx = tmp_path / "form.docx"
    docx.write_bytes(samples.filled_docx(samples.Applicant()))
    code = office.run_soffice(
        str(office.find_soffice()), docx, "doc", timeout=120, max_memory=office.DEFAULT_MAX_MEMORY
    )
    assert code == 0
    doc = docx.with_suffix(".doc").read_bytes()
    got = parsers.extract(doc, parsers.DEFAULT_FORM, CappedLimits(max_memory=512 * MIB))
    assert got.readable, got.detail
    assert got.kind == "doc"
