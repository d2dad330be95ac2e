"""The command line: extract, export, demo, errors."""

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mailbot.cli import cli
from mailbot.ops import samples

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "tests" / "fixtures" / "forms" / "samples"  # as in ../shared/forms


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_extract_json_is_one_object_with_the_contract_keys(tmp_path):
    form = tmp_path / "f.docx"
    form.write_bytes(samples.filled_docx(samples.Applicant()))
    result = run("--config", str(tmp_path / "absent.toml"), "extract", str(form), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert {"readable", "reason", "fields"} <= set(data)
    assert data["readable"] is True and data["reason"] is None
    assert data["fields"] == samples.Applicant().expected_fields()


def _training_form() -> bytes:
    """Another body's form: the labels every form has, none of the call's own texts."""
    import docx

    d = docx.Document()
    d.add_paragraph("FORMULARZ ZGŁOSZENIOWY na szkolenie OWES")
    table = d.add_table(rows=0, cols=2)
    for label, value in (
        ("Imię i nazwisko uczestnika", "Beata Wróbel"),
        ("Nazwa organizacji", "Urząd Gminy Mieroszów"),
        ("Adres e-mail", "b.wrobel@example.pl"),
        ("Telefon", "74 845 83 10"),
        ("Miejscowość i data", "Mieroszów, 10.05.2024"),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    d.add_paragraph("☒ Wyrażam zgodę na przetwarzanie moich danych osobowych przez OWES.")
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()


def test_extract_json_says_why_a_file_is_not_the_form(tmp_path):
    form = tmp_path / "szkolenie.docx"
    form.write_bytes(_training_form())
    result = run("extract", str(form), "--json")
    assert result.exit_code == 3
    data = json.loads(result.output)
    assert (data["readable"], data["reason"]) == (False, "not_the_form")
    assert {"readable", "reason", "fields", "kind", "sources"} <= set(data)
    ident = data["identification"]
    assert set(ident) == {"found", "missing", "score", "needed", "by"}
    assert ident["found"] == [] and ident["score"] == 0 and ident["needed"] == 3
    assert any(text.startswith("Wyrażam zgodę") for text in ident["missing"])
    assert data["fields"]["full_name"] is None


def test_extract_text_output_says_whether_it_is_the_form(tmp_path):
    form = tmp_path / "szkolenie.docx"
    form.write_bytes(_training_form())
    other = run("extract", str(form))
    assert "the form: no (0 of the form's own texts found (need 3))" in other.output
    assert "  missing: Oświadczam, że zapoznałam/zapoznałem" in other.output
    own = tmp_path / "f.docx"
    own.write_bytes(samples.filled_docx(samples.Applicant()))
    result = run("extract", str(own))
    assert result.exit_code == 0
    assert "the form: yes (" in result.output and "  found:   Wyrażam zgodę" in result.output


def test_extract_exit_code_3_for_a_scan(tmp_path):
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(samples.scanned_pdf())
    result = run("extract", str(scan), "--json")
    assert result.exit_code == 3
    data = json.loads(result.output)
    assert data["readable"] is False and data["reason"] == "scan"
    assert all(v in (None, [], False) for v in data["fields"].values())


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
def test_extract_text_output_names_the_fields():
    result = run("extract", str(SAMPLES / "s01-docx-ticked.docx"))
    assert result.exit_code == 0
    assert "full_name" in result.output and "Anna Kowalska" in result.output


def test_demo_runs_end_to_end_and_export_works(tmp_path):
    result = run("demo", "--dir", str(tmp_path / "demo"))
    assert result.exit_code == 0, result.output
    assert "po terminie" in result.output and "bez formularza" in result.output
    outbox = sorted((tmp_path / "demo" / "outbox").glob("*.eml"))
    assert len(outbox) == 7  # 8 messages, one out-of-office
    assert (tmp_path / "demo" / "digest.html").read_text(encoding="utf-8").strip()
    config = str(tmp_path / "demo" / "config.toml")
    exported = json.loads(run("--config", config, "export").output)
    assert {a["status"] for a in exported["applications"]} == {
        "accepted",
        "incomplete",
        "late",
        "needs_review",
        "no_form",
    }
    assert sorted(m["disposition"] for m in exported["messages"]).count("ignored") == 1
    for app in exported["applications"]:
        assert {
            "id",
            "message_id",
            "status",
            "problems",
            "received_at",
            "sender",
            "attachment",
            "superseded",
            "fields",
        } <= set(app)
        assert app["received_at"].endswith("+02:00")
    out = tmp_path / "apps.csv"
    result = run("--config", config, "export", "--format", "csv", "--output", str(out))
    assert result.exit_code == 0
    assert out.stat().st_mode & 0o077 == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == len(exported["applications"])
    assert {"reference", "status", "full_name", "groups"} <= set(rows[0])
    # a second demo run in the same folder imports nothing again
    again = run("demo", "--dir", str(tmp_path / "demo"))
    assert "0 new message" in again.output


def test_config_error_is_one_line_with_the_key(tmp_path):
    bad = tmp_path / "config.toml"
    bad.write_text(
        (REPO / "config.toml")
        .read_text(encoding="utf-8")
        .replace('security = "ssl"', 'security = "tls"'),
        encoding="utf-8",
    )
    result = run("--config", str(bad), "poll")
    assert result.exit_code == 78
    assert "imap.security" in result.output and len(result.output.strip().splitlines()) == 1


def test_every_command_has_help():
    for command in ("poll", "run", "import", "extract", "export", "digest", "demo"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
