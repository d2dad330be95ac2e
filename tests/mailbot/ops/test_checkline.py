"""mailbot/ops/checkline.py: one line of `mailbot check`."""

from __future__ import annotations

from mailbot.ops.checkline import Check, failed


def test_a_line_names_the_item_its_state_and_detail():
    line = Check("database", "ok", "writable, private").line
    assert line.startswith("ok    database")
    assert line.endswith("writable, private")
    assert "fix" not in line


def test_the_fix_is_said_only_when_something_is_wrong():
    ok = Check("LibreOffice", "ok", "found", fix="apt-get install libreoffice-writer")
    warn = Check("LibreOffice", "warn", "not found", fix="apt-get install libreoffice-writer")
    assert "fix" not in ok.line
    assert warn.line.endswith("not found — fix: apt-get install libreoffice-writer")
    assert warn.line.startswith("warn  ")


def test_a_line_fixed_by_contract_is_given_whole():
    check = Check("ocr", "FAIL", "ignored", fix="ignored", text="OCR: tesseract not found")
    assert check.line == "FAIL  OCR: tesseract not found"


def test_failed_only_when_a_check_failed():
    assert not failed([Check("a", "ok", ""), Check("b", "warn", "")])
    assert failed([Check("a", "ok", ""), Check("b", "FAIL", "")])
    assert not failed([])
