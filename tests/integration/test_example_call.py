"""A second, different call (examples/ngo-council) run end to end with no code change.

Its own config and form: other fields (KRS number with a format check, an optional
organisation, a date), another set of choices (with short display names in the call), other
required statements (and one optional). Read with `mailbot extract`, then real mail through
Dovecot (IMAP) and aiosmtpd (SMTP): validated, answered, exported with `mailbot export`.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from tests.example_call import APPLICANT, EXAMPLE, build_form

from .helpers import PASSWORD_ENV

pytestmark = pytest.mark.integration

WARSAW = ZoneInfo("Europe/Warsaw")
CALL = "eksperci@przykladowo.example.pl"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def rig_config(tmp: Path, dovecot, user: str, smtp) -> Path:
    """The example's config.toml as shipped, with [storage] and the servers of the rig."""
    text = (EXAMPLE / "config.toml").read_text(encoding="utf-8")
    shipped_storage = '[storage]\ndatabase = "data/mailbot.db"\nfiles = "data/files"\n'
    assert shipped_storage in text
    text = (
        text.replace(shipped_storage, "")
        + f"""
[imap]
host = "{dovecot.host}"
port = {dovecot.port}
security = "starttls"
username = "{user}"
password_env = "{PASSWORD_ENV}"
ca_file = "{dovecot.cafile}"
timeout = 10

[smtp]
host = "{smtp.host}"
port = {smtp.port}
security = "none"
timeout = 10

[storage]
database = "state/mailbot.db"
files = "state/files"
lock = "state/mailbot.lock"
"""
    )
    path = tmp / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def mail(sender: str, values: dict, day: int) -> tuple[bytes, datetime]:
    when = datetime(2025, 1, day, 10, 0, tzinfo=WARSAW)
    raw = samples.email_with(
        sender,
        "Zgłoszenie eksperta",
        "W załączeniu formularz.",
        to=CALL,
        date=when,
        attachments=(("formularz.docx", build_form(values), DOCX),),
    )
    return raw, when


def mailbot(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=dict(os.environ),
    )


def test_the_committed_form_is_read_with_the_example_config():
    config = EXAMPLE / "config.toml"
    done = mailbot("extract", "--json", str(EXAMPLE / "przyklad-wypelniony.docx"), config=config)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["readable"] is True
    assert result["fields"] == APPLICANT
    blank = mailbot("extract", "--json", str(EXAMPLE / "formularz-eksperta.docx"), config=config)
    assert json.loads(blank.stdout)["fields"]["imie_nazwisko"] is None


def test_second_call_end_to_end(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = rig_config(tmp_path, dovecot, imap_user, smtp_sink)
    config = load_config(path)
    messages = [
        mail("Jan Kowalski <jan.kowalski@example.pl>", APPLICANT, 20),
        mail(
            "Anna Nowak <anna.nowak@example.pl>",
            dict(
                APPLICANT,
                imie_nazwisko="Anna Nowak",
                email="anna.nowak@example.pl",
                krs="12-345",
                telefon="601-234-56",
                zgoda_dane=False,
                obszary=[2],
            ),
            21,
        ),
        mail(
            "Ewa Lis <ewa.lis@example.pl>",
            dict(
                APPLICANT,
                imie_nazwisko="Ewa Lis",
                email="ewa.lis@example.pl",
                telefon="+49 30 1234567",
                organizacja=None,
                krs=None,
            ),
            22,
        ),
        mail(
            "Piotr Zając <p.zajac@example.pl>",
            dict(APPLICANT, imie_nazwisko="Piotr Zając", email="p.zajac@example.pl"),
            31,
        ),
    ]
    late_raw, _ = messages[3]
    for raw, when in messages[:3]:
        dovecot.append(imap_user, raw, internaldate=when)
    dovecot.append(imap_user, late_raw, internaldate=datetime(2025, 2, 1, 9, 0, tzinfo=WARSAW))

    report = jobs.poll(config)
    assert report.mailbox_error is None
    got = {r.rcpt_tos[0]: r.message for r in smtp_sink.wait_for(4)}
    assert len(got) == 4

    def body(address: str) -> str:
        return got[address].get_content()

    # every reply: the example call's names, office and signature; nothing of DKRES
    for message in got.values():
        assert message["From"].addresses[0].display_name == "Nabór ekspertów 2025"
        assert message["Subject"].startswith("Nabór ekspertów 2025 – ")
        text = message.get_content()
        assert "Katarzyna Nowak\ninspektor\nReferat Współpracy" in text
        assert "tel. 71 123 45 67" in text
        assert "DKRES" not in text and "grup robocz" not in text

    accepted = body("jan.kowalski@example.pl")
    assert "potwierdzenie przyjęcia" in got["jan.kowalski@example.pl"]["Subject"]
    assert "\n\nSzanowny Panie,\n\n" in accepted
    assert "  Obszary oceny ofert:\n      1. Kultura\n      3. Pomoc społeczna\n" in accepted
    assert "  Numer KRS:\n      0000123456\n" in accepted
    assert "Wójt Gminy Przykładowo wybierze ekspertów" in accepted

    incomplete = " ".join(body("anna.nowak@example.pl").split())
    assert "\n\nSzanowna Pani,\n\n" in body("anna.nowak@example.pl")
    assert (
        "Nie zaznaczono pola „Zgoda na przetwarzanie danych osobowych” (część IV "
        "formularza)." in incomplete
    )
    assert "Pole „Numer KRS” nie ma oczekiwanej postaci." in incomplete
    assert "(10 cyfr, np. 0000123456)" in incomplete
    assert "Podany numer telefonu wygląda na niepoprawny." in incomplete
    assert "  Obszar oceny ofert:\n      2. Sport i turystyka\n" in body("anna.nowak@example.pl")
    # the optional statement and the optional fields are not asked for
    assert "publikację" not in incomplete.split("Dane odczytane")[0]

    assert "potwierdzenie przyjęcia" in got["ewa.lis@example.pl"]["Subject"]
    assert "Jak poprawić" not in body("ewa.lis@example.pl")
    assert "po terminie" in got["p.zajac@example.pl"]["Subject"]
    assert "31 stycznia 2025 r., godz. 15:30" in " ".join(body("p.zajac@example.pl").split())

    exported = mailbot("export", "--format", "json", config=path)
    assert exported.returncode == 0, exported.stderr
    apps = {a["sender"]: a for a in json.loads(exported.stdout)["applications"]}
    assert [a["status"] for a in apps.values()] == ["accepted", "incomplete", "accepted", "late"]
    assert list(apps["jan.kowalski@example.pl"]["fields"]) == list(config.form.keys)
    assert apps["jan.kowalski@example.pl"]["fields"] == APPLICANT
    assert sorted(apps["anna.nowak@example.pl"]["problems"]) == [
        "invalid_krs",
        "invalid_telefon",
        "missing_zgoda_dane",
    ]
    assert apps["ewa.lis@example.pl"]["notes"] == ["Numer telefonu: numer zagraniczny (DE)"]

    table = mailbot("export", "--format", "csv", config=path)
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert list(rows[0])[:8] == [
        "reference",
        "status",
        "superseded",
        "problems",
        "notes",
        "received_at",
        "sender",
        "attachment",
    ]
    assert list(rows[0])[8:-6] == [
        "Imię i nazwisko",
        "Organizacja",
        "KRS",
        "E-mail",
        "Telefon",
        "Obszary",
        "Doświadczenie",
        "Brak konfliktu interesów",
        "Zgoda RODO",
        "Zgoda na publikację",
        "Data zgłoszenia",
    ]
    first = rows[0]
    assert first["reference"] == "EKS-2025-0001" and first["Obszary"] == "1, 3"
    assert first["KRS"] == "0000123456" and first["Zgoda na publikację"] == "nie"


def test_the_committed_example_is_exported_with_its_applicants(tmp_path):
    """The shipped filled form, imported in an e-mail and exported as the lists for the
    resolution: its own columns and choice, the applicant's name in the name cells (never an
    empty cell), every position of the choice titled by the form's label."""
    import docx
    import openpyxl

    config = tmp_path / "config.toml"
    config.write_text((EXAMPLE / "config.toml").read_text(encoding="utf-8"), encoding="utf-8")
    when = datetime(2025, 1, 20, 10, 0, tzinfo=WARSAW)
    form = (EXAMPLE / "przyklad-wypelniony.docx").read_bytes()
    (tmp_path / "zgloszenie.eml").write_bytes(
        samples.email_with(
            f"Jan Kowalski <{APPLICANT['email']}>",
            "Zgłoszenie eksperta",
            "W załączeniu formularz.",
            to=CALL,
            date=when,
            received=when,
            attachments=(("przyklad-wypelniony.docx", form, DOCX),),
        )
    )
    done = mailbot("import", "--no-send", str(tmp_path / "zgloszenie.eml"), config=config)
    assert done.returncode == 0, done.stderr
    loaded = load_config(config)
    annex = loaded.call.annex()
    assert annex.fields == ("imie_nazwisko", "organizacja", "krs")
    headers = ["Lp.", "Imię i nazwisko", "Organizacja", "KRS"]

    out = tmp_path / "lista.xlsx"
    done = mailbot("export", "--format", "xlsx", "--output", str(out), config=config)
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "Obszar oceny ofert nr 1",
        "Obszar oceny ofert nr 2",
        "Obszar oceny ofert nr 3",
        "Wszyscy",
    ]
    for number in (1, 3):
        sheet = book[f"Obszar oceny ofert nr {number}"]
        name = loaded.call.groups[number - 1].name
        assert sheet["A1"].value == f"Obszar oceny ofert nr {number} – {name}"
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        assert rows[1] == headers
        assert rows[2] == [1, "Jan Kowalski", APPLICANT["organizacja"], APPLICANT["krs"]]
    assert book["Obszar oceny ofert nr 2"].max_row == 2  # nobody chose it
    everyone = [[c.value for c in row] for row in book["Wszyscy"].iter_rows()]
    assert everyone[1] == [*headers, "Obszary oceny ofert"]
    assert everyone[2][1] == "Jan Kowalski" and everyone[2][-1] == "1, 3"

    out = tmp_path / "lista.docx"
    done = mailbot("export", "--format", "docx", "--output", str(out), config=config)
    assert done.returncode == 0, done.stderr
    document = docx.Document(str(out))
    texts = " ".join(p.text for p in document.paragraphs)
    assert "Komitet" not in texts and "grup roboczych" not in texts
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [t[0] for t in tables] == [headers] * 3 + [[*headers, "Obszary oceny ofert"]]
    names = [row[1] for t in tables for row in t[1:]]
    assert names == ["Jan Kowalski"] * 3  # areas 1 and 3, and everyone
