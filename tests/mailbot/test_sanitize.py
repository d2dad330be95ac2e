"""The one sanitiser of values stored and exported (mailbot.sanitize), and the store's cleaning
of values entering it (storage.store.dumps_clean) on a real SQLite file."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import docx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from web.workspace_data import demo_copy, open_store

from mailbot.cli import cli
from mailbot.ops import jobs, review, samples
from mailbot.sanitize import (
    clean_text,
    clean_values,
    export_cell,
    is_phone_number,
    spreadsheet_text,
    would_be_formula,
)
from mailbot.storage.store import dumps_clean

XML_REFUSED = {chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"} | {"\ufffe", "\uffff"}


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://evil.example","klik")', '\'=HYPERLINK("http://evil.example","klik")'),
        ("-2-3", "'-2-3"),
        ("+1+1", "'+1+1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\n=1+1"),
        ("  =1+1", "'  =1+1"),
        ("\uff1d1+1", "'\uff1d1+1"),  # a full-width equals sign
        ("-", "'-"),
        ("+48 601 234 567", "+48 601 234 567"),
        ("+48 (71) 344-55-66", "+48 (71) 344-55-66"),
        ("+48-601-234-567", "+48-601-234-567"),
        ("+4860", "'+4860"),  # too short for a phone number: arithmetic
        ("601 234 567", "601 234 567"),
        ("Anna Kowalska", "Anna Kowalska"),
        ("a=b", "a=b"),
        ("Linia 1\x0bLinia 2", "Linia 1\nLinia 2"),
        ("\x00=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ],
)
def test_a_cell_stays_data_and_a_phone_number_readable(value, cell):
    assert export_cell(value) == cell


def test_values_of_other_kinds():
    assert export_cell(None) == ""
    assert export_cell(True) == "tak" and export_cell(False) == "nie"
    assert export_cell(7) == 7
    assert export_cell([4, 5]) == "4, 5"


def test_soft_line_break_becomes_a_line_break_other_controls_go():
    assert clean_text("ul. Długa 1\x0b50-001 Wrocław") == "ul. Długa 1\n50-001 Wrocław"
    assert clean_text("a\r\nb\rc\u2028d") == "a\nb\nc\nd"
    assert clean_text("Fun\x00da\x07cja\x1b\x7f\x9b") == "Fundacja"
    assert clean_text("tab\tkept") == "tab\tkept"
    assert clean_values({"groups": [4, 5], "a": "x\x0cy", "b": None, "c": True}) == {
        "groups": [4, 5],
        "a": "x\ny",
        "b": None,
        "c": True,
    }


@given(st.text())
def test_clean_text_is_always_xml_safe_and_idempotent(text):
    cleaned = clean_text(text)
    assert not (set(cleaned) & XML_REFUSED)
    assert "\r" not in cleaned
    assert clean_text(cleaned) == cleaned
    cleaned.encode("utf-8")


@given(st.text())
def test_no_cell_would_be_a_formula(text):
    cell = spreadsheet_text(text)
    starts = {cell[:1], cell.lstrip()[:1]} - {""}
    if starts & set("=+-@\uff1d\uff0b\uff0d\uff20\t\r\n"):
        assert is_phone_number(cell.strip())
    assert not would_be_formula(cell) or cell.startswith("'")


def test_values_entering_the_store_are_cleaned(tmp_path):
    config = demo_copy(tmp_path)
    assert json.loads(dumps_clean({"position": "Prezes\x0bZarządu\x00"})) == {
        "position": "Prezes\nZarządu"
    }
    with open_store(config) as store:
        made = review.correct(
            store,
            "DKRES-2024-0001",
            {"position": "Prezes\x0bZarządu", "organisation": "Fundacja\x01 „Most”"},
            actor="anna",
        )
        assert len(made) == 2
        row = review.application_row(store, "DKRES-2024-0001")
        fields = review.effective_fields(row)
        assert fields["position"] == "Prezes\nZarządu"
        assert fields["organisation"] == "Fundacja „Most”"
        for c in review.corrections(store, row["id"]):
            assert not (set(str(c.new)) & XML_REFUSED)


def test_a_control_character_read_from_a_fillable_pdf_is_cleaned_and_the_annex_made(tmp_path):
    """The record stage's write: a fillable PDF whose field holds a control character, imported
    through the whole pipeline; the stored value is clean and ``export --format docx`` works."""
    config = demo_copy(tmp_path)
    pdf = samples.filled_pdf(
        samples.Applicant(
            full_name="Ewa Sterowska",
            email="e.sterowska@example.pl",
            organisation="Fundacja\x01 „Most”\x1b",
            groups=(3,),
        )
    )
    eml = tmp_path / "zgloszenie.eml"
    eml.write_bytes(
        samples.email_with(
            "Ewa Sterowska <e.sterowska@example.pl>",
            "Zgłoszenie do grupy roboczej",
            "W załączeniu przesyłam formularz zgłoszeniowy.",
            to=config.call.address,
            date=datetime(2024, 5, 10, 10, 0, tzinfo=UTC),
            attachments=(("formularz.pdf", pdf, "application/pdf"),),
        )
    )
    jobs.import_paths(config, [eml], send=False)
    with open_store(config) as store:
        (stored,) = [
            json.loads(r[0])
            for r in store.db.execute(
                "SELECT fields FROM applications WHERE applicant_email = 'e.sterowska@example.pl'"
            )
        ]
    assert stored["organisation"] == "Fundacja „Most”"
    out = tmp_path / "lista.docx"
    result = CliRunner().invoke(
        cli, ["--config", str(config.path), "export", "--format", "docx", "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    cells = [c.text for t in docx.Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "Fundacja „Most”" in cells
