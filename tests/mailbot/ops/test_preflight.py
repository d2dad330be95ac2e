"""The preflight for a new call (``mailbot check``'s form lines): the call's blank form
(``form.blank``) read against its ``[form]`` — every label, choice and statement found or
missing, the identifying elements, nothing read as a value (or what was, named with the fix) —
and ``--sample FILLED`` field by field with the status validation would give. On the youth
council's card (examples/youth-council) and configs an office gets wrong."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mailbot.config import load_config
from mailbot.ops.checkline import Check
from mailbot.ops.preflight import BUILTIN_BLANK, blank_path, check_form
from tests.letters import dkres_config
from tests.youth_council_mail import EXAMPLE, applicant, make_form

BLANK = EXAMPLE / "karta-zgloszenia.docx"
SHIPPED = (EXAMPLE / "config.toml").read_text(encoding="utf-8")


def config_in(tmp_path: Path, text: str = SHIPPED, blank: Path = BLANK) -> Path:
    """The youth council's config (edited) in a folder with its blank form beside it."""
    folder = tmp_path / "call"
    folder.mkdir(exist_ok=True)
    shutil.copy(blank, folder / "karta-zgloszenia.docx")
    path = folder / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def lines(config_path: Path, sample: Path | None = None) -> list[Check]:
    return list(check_form(load_config(config_path), sample))


def failing(checks: list[Check]) -> list[Check]:
    return [c for c in checks if c.state != "ok"]


def test_the_youth_councils_blank_is_all_found_and_reads_nothing(tmp_path: Path) -> None:
    checks = lines(config_in(tmp_path))
    assert not failing(checks), [c.line for c in failing(checks)]
    spec = load_config(config_in(tmp_path)).form
    items = [c.item for c in checks]
    for f in spec.fields:  # a line for every label and statement, one per choice
        assert items.count(f"form.fields.{f.key}") == 1 + len(f.options), f.key
    assert "reads as the call's form" in checks[0].line
    assert sum(c.item == "form.identify" and "found „" in c.detail for c in checks) >= 3
    assert checks[-1].detail == "nothing is read as a value from the blank"


def test_a_heading_missing_from_headings_is_named(tmp_path: Path) -> None:
    text = SHIPPED.replace('    "V. Oświadczenia",\n', "")
    bad = failing(lines(config_in(tmp_path, text)))
    assert len(bad) == 1, [c.line for c in bad]
    (line,) = bad
    assert line.state == "FAIL" and line.item == "form.blank"
    assert "„V. Oświadczenia” is read as the value of" in line.detail
    assert "form.fields.opiekun" in line.detail
    assert line.fix == 'add "V. Oświadczenia" to form.headings'


def test_a_label_the_spec_spells_otherwise_is_named_with_its_field(tmp_path: Path) -> None:
    text = SHIPPED.replace(
        'labels = ["Dzielnica – osiedle:", "Dzielnica", "Osiedle"]',
        'labels = ["Dzielnica zamieszkania"]',
    )
    bad = failing(lines(config_in(tmp_path, text)))
    by_item = {c.item: c for c in bad}
    assert "label not found on the blank" in by_item["form.fields.dzielnica"].detail
    assert "form.fields.dzielnica.labels" in (by_item["form.fields.dzielnica"].fix or "")
    read = by_item["form.blank"]
    assert "„Dzielnica – osiedle:” is read as the value of" in read.detail
    assert (
        read.fix is not None and 'add "Dzielnica – osiedle:" to form.fields.dzielnica' in read.fix
    )


def test_closing_text_missing_from_stop_is_named_line_by_line(tmp_path: Path) -> None:
    """Without `stop`, the signature rows and the clause run into the last field: each line
    is named with its fix, form.stop."""
    start = SHIPPED.index("stop = [")
    text = SHIPPED[:start] + "stop = []" + SHIPPED[SHIPPED.index("]", start) + 1 :]
    bad = failing(lines(config_in(tmp_path, text)))
    assert bad and all(
        c.item == "form.blank" and "form.fields.miejscowosc_data" in c.detail for c in bad
    )
    said = {c.detail.split("”")[0].lstrip("„"): c.fix for c in bad}
    assert said["Czytelny podpis kandydata"] == (
        'add its beginning, e.g. "Czytelny podpis kandydata", to form.stop'
    )
    assert (
        said["Klauzula informacyjna"] is not None and "form.stop" in said["Klauzula informacyjna"]
    )


def test_a_choice_not_printed_as_written(tmp_path: Path) -> None:
    text = SHIPPED.replace(
        'name = "Komisja Praw Ucznia, Integracji i Równego Traktowania"',
        'name = "Komisja Praw Dziecka"',
    )
    bad = failing(lines(config_in(tmp_path, text)))
    details = [c.detail for c in bad]
    assert any("choice 4 not found on the blank" in d for d in details), details
    assert all(c.item == "form.fields.komisja" for c in bad)


def test_a_statement_not_printed_as_written(tmp_path: Path) -> None:
    text = SHIPPED.replace(
        'labels = ["Oświadczam, że mieszkam lub uczę się na terenie Miasta Kamienna Wola."]',
        'labels = ["Oświadczam, że mieszkam na terenie Gminy Zielony Gród od pięciu lat."]',
    )
    bad = failing(lines(config_in(tmp_path, text)))
    assert [(c.state, c.item) for c in bad] == [("FAIL", "form.fields.oswiadczenie_mieszkaniec")], [
        c.line for c in bad
    ]
    assert "statement not found on the blank" in bad[0].detail


def test_a_blank_that_is_not_there_or_not_set(tmp_path: Path) -> None:
    text = SHIPPED.replace('blank = "karta-zgloszenia.docx"', 'blank = "wzor/karta.docx"')
    (line,) = lines(config_in(tmp_path, text))
    assert line.state == "FAIL" and line.item == "form.blank"
    assert "wzor/karta.docx cannot be read" in line.detail
    text = SHIPPED.replace('blank = "karta-zgloszenia.docx"\n', "")
    (line,) = lines(config_in(tmp_path, text))
    assert line.state == "warn" and "form.blank" in (line.fix or "")


def test_the_built_in_form_is_checked_against_the_blank_mailbot_ships() -> None:
    config = dkres_config()
    assert blank_path(config) == BUILTIN_BLANK
    checks = list(check_form(config))
    assert not [c for c in checks if c.state == "FAIL"], [c.line for c in checks]
    assert checks[-1].detail == "nothing is read as a value from the blank"


def test_a_sample_field_by_field_with_its_status(tmp_path: Path) -> None:
    text = SHIPPED.replace(
        'label_plural = "Komisje tematyczne"\n',
        'label_plural = "Komisje tematyczne"\nmax_choices = 1\n',
    )
    sample = tmp_path / "wypelniona.docx"
    sample.write_bytes(make_form.build_form(applicant(komisja=[2, 5])))
    checks = lines(config_in(tmp_path, text), sample)
    shown = {c.item: c for c in checks if c.item.startswith("sample")}
    assert shown["sample"].detail == "wypelniona.docx (docx) reads as the call's form"
    assert shown["sample imie_nazwisko"].detail.startswith("„Imię i nazwisko”: Zofia Wiśniewska [")
    assert shown["sample komisja"].detail.startswith(
        "„Komisje tematyczne”: 2. Kultura, sport i czas wolny / 5. Media i promocja ["
    )
    assert shown["sample email"].detail.startswith("„Adres e-mail”: zosia.wisniewska@")
    status = shown["sample status"]
    assert (status.state, status.detail) == ("warn", "incomplete (too_many_komisja)")
    assert (
        "zaznaczono 2 pola, a można wybrać tylko jedno" in shown["sample too_many_komisja"].detail
    )


def test_a_sample_that_is_not_the_form(tmp_path: Path) -> None:
    """Another call's form (the DKRES one) given as the sample: said, nothing else shown."""
    checks = lines(config_in(tmp_path), BUILTIN_BLANK)
    last = checks[-1]
    assert (last.item, last.state) == ("sample", "FAIL")
    assert "is not read as the call's form: not_the_form" in last.detail


needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")


@needs_soffice
def test_a_printed_blank_reads_as_the_docx_one(tmp_path: Path) -> None:
    (pdf,) = make_form.print_to_pdf([BLANK], tmp_path / "pdf")
    text = SHIPPED.replace('blank = "karta-zgloszenia.docx"', 'blank = "karta-zgloszenia.pdf"')
    path = config_in(tmp_path, text)
    shutil.copy(pdf, path.parent / pdf.name)
    checks = lines(path)
    assert not failing(checks), [c.line for c in failing(checks)]
    assert "(pdf) reads as the call's form" in checks[0].detail


def test_mailbot_check_prints_the_form_lines(tmp_path: Path) -> None:
    """The command as an office runs it, on the shipped blank and on a config that lost a
    heading: the heading is named, and the exit code says something failed."""
    text = SHIPPED.replace('    "V. Oświadczenia",\n', "")
    path = config_in(tmp_path, text)
    done = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )
    assert done.returncode == 1
    out = done.stdout.splitlines()
    named = [x for x in out if x.startswith("FAIL  form.blank")]
    assert len(named) == 1 and 'fix: add "V. Oświadczenia" to form.headings' in named[0], out
    assert any(x.startswith("ok    form.fields.komisja") for x in out)
