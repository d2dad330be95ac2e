"""The pipeline over imported files, with replies written to a folder (no servers)."""

import email
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of

WARSAW = ZoneInfo("Europe/Warsaw")
REPO = Path(__file__).resolve().parents[3]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def config(tmp_path):
    text = (REPO / "config.toml").read_text(encoding="utf-8")
    text = (
        text.split("[imap]")[0] + '[smtp]\ndirectory = "outbox"\n[limits]\n'
        "replies_per_sender_per_day = 3\n"
    )
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def mail(tmp_path, name, applicant=None, *, when, sender=None, attach=None, headers=()):
    applicant = applicant or samples.Applicant()
    sender = sender or f"{applicant.full_name} <{applicant.email}>"
    attachments = (
        attach
        if attach is not None
        else (("formularz.docx", samples.filled_docx(applicant), DOCX),)
    )
    raw = samples.email_with(
        sender,
        "Zgłoszenie",
        "W załączeniu.",
        to="nabor@example.org",
        date=when,
        received=when,
        attachments=attachments,
        headers=headers,
    )
    path = tmp_path / "in" / f"{name}.eml"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(raw)
    return path


def replies(tmp_path):
    out = tmp_path / "outbox"
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(out.glob("*.eml"))]


def exported(config):
    with jobs.open_store(config) as store:
        return json.loads(export_json(store, WARSAW))


def at(day, hour=12, minute=0):
    return datetime(2024, 5, day, hour, minute, tzinfo=WARSAW)


def test_statuses_fields_and_one_reply_each(tmp_path, config):
    mail(tmp_path, "a", when=at(14))
    mail(
        tmp_path,
        "b",
        samples.Applicant(
            full_name="Jan Nowak", email="jan@example.pl", phone=None, consents_gdpr=False
        ),
        when=at(15),
    )
    mail(tmp_path, "c", samples.Applicant(email="late@example.pl"), when=at(25, 0, 5))
    mail(tmp_path, "d", samples.Applicant(email="early@example.pl"), when=at(5, 23, 59))
    mail(tmp_path, "e", sender="Ktoś <ktos@example.pl>", when=at(16), attach=())
    mail(
        tmp_path,
        "f",
        sender="Skan <skan@example.pl>",
        when=at(16),
        attach=(("skan.pdf", samples.scanned_pdf(), "application/pdf"),),
    )
    mail(
        tmp_path,
        "g",
        sender="Urlop <urlop@example.pl>",
        when=at(16),
        attach=(),
        headers=(("Auto-Submitted", "auto-replied"),),
    )
    report = jobs.import_paths(config, [tmp_path / "in"])
    assert report.ok, report.problem()
    data = exported(config)
    by_sender = {a["sender"]: a for a in data["applications"]}
    assert by_sender["a.kowalska@cis-olawa.example.pl"]["status"] == "accepted"
    assert (
        by_sender["a.kowalska@cis-olawa.example.pl"]["fields"]
        == samples.Applicant().expected_fields()
    )
    assert by_sender["jan@example.pl"]["status"] == "incomplete"
    assert set(by_sender["jan@example.pl"]["problems"]) == {
        "missing_phone",
        "missing_consents_gdpr",
    }
    assert by_sender["late@example.pl"]["status"] == "late"
    assert by_sender["early@example.pl"]["status"] == "early"
    assert by_sender["ktos@example.pl"]["status"] == "no_form"
    assert by_sender["skan@example.pl"]["status"] == "needs_review"
    assert "urlop@example.pl" not in by_sender
    ignored = [m for m in data["messages"] if m["disposition"] == "ignored"]
    assert [m["sender"] for m in ignored] == ["urlop@example.pl"]
    assert (
        by_sender["a.kowalska@cis-olawa.example.pl"]["received_at"] == "2024-05-14T12:00:00+02:00"
    )

    # "Zgłoszenie" / "W załączeniu." with no form, or a bare scan, names no call: stored as
    # applications, confirmed by a person (no automatic letter)
    sent = replies(tmp_path)
    assert sorted(m["To"] for m in sent) == sorted(
        [
            "a.kowalska@cis-olawa.example.pl",
            "jan@example.pl",
            "late@example.pl",
            "early@example.pl",
        ]
    )
    assert "nie ma pewności" in by_sender["ktos@example.pl"]["reply_withheld"]
    assert "nie ma pewności" in by_sender["skan@example.pl"]["reply_withheld"]
    for m in sent:
        assert m["Auto-Submitted"] == "auto-replied"
        assert m["In-Reply-To"] and m["References"]
        assert m["From"].endswith("<d.butryn@dops.wroc.pl>")
    incomplete = next(m for m in sent if m["To"] == "jan@example.pl")
    body = incomplete.get_payload(decode=True).decode()
    assert "Telefon kontaktowy" in body and "przetwarzanie danych" in body

    # a second run does nothing
    again = jobs.import_paths(config, [tmp_path / "in"])
    assert again.messages.processed == 0 and again.messages.skipped == 7
    assert len(replies(tmp_path)) == 4


def test_resubmission_supersedes_and_duplicates_get_no_reply(tmp_path, config):
    first = mail(tmp_path, "first", samples.Applicant(phone=None), when=at(14))
    mail(tmp_path, "second", when=at(15))
    dup = tmp_path / "in" / "copy.eml"
    dup.write_bytes(first.read_bytes().replace(b"Zg", b"Zg", 1) + b"\n")  # same Message-ID
    jobs.import_paths(config, [tmp_path / "in"])
    data = exported(config)
    apps = sorted(data["applications"], key=lambda a: a["received_at"])
    assert [a["status"] for a in apps] == ["incomplete", "accepted"]
    assert [a["superseded"] for a in apps] == [True, False]
    assert sorted(m["disposition"] for m in data["messages"]) == [
        "application",
        "application",
        "duplicate",
    ]
    assert len(replies(tmp_path)) == 2


def test_daily_cap_sends_one_final_notice(tmp_path, config):
    for i in range(6):
        mail(tmp_path, f"m{i}", when=at(14, 10, i))
    jobs.import_paths(config, [tmp_path / "in"])
    sent = replies(tmp_path)
    assert len(sent) == 4  # the cap of 3, then one "limit reached" notice
    assert kind_of(sent[-1]["X-Mailbot-Reply"]) == "limit_reached"


def test_smtp_outage_keeps_replies_queued(tmp_path, config):
    """With an unreachable SMTP server nothing is lost: the next pass sends."""
    import dataclasses

    from mailbot.config import Secret, SmtpConfig

    down = dataclasses.replace(
        config,
        smtp=SmtpConfig(
            host="127.0.0.1",
            port=1,
            security="none",
            username=None,
            password=Secret(None),
            timeout=2,
        ),
    )
    mail(tmp_path, "a", when=at(14))
    report = jobs.import_paths(down, [tmp_path / "in"])
    assert not report.ok and "queued" in (report.problem() or "")
    assert report.replies and report.replies.pending == 1
    later = jobs.import_paths(config, [tmp_path / "in"])
    assert later.replies and later.replies.sent == 1 and later.replies.pending == 0
    assert len(replies(tmp_path)) == 1


def test_files_are_private(tmp_path, config):
    mail(tmp_path, "a", when=at(14))
    jobs.import_paths(config, [tmp_path / "in"])
    db = config.storage.database
    assert db.stat().st_mode & 0o077 == 0
    assert config.storage.files.stat().st_mode & 0o077 == 0
    stored = [p for p in config.storage.files.rglob("*") if p.is_file()]
    assert stored and all(p.stat().st_mode & 0o077 == 0 for p in stored)


def test_poison_message_is_retried_then_set_aside(tmp_path, config, monkeypatch):
    import mailbot.pipeline.stages as pipeline

    real_validate = pipeline.validate

    def flaky(facts):
        if facts.envelope.sender == "trucizna@example.pl":
            raise RuntimeError("boom")
        return real_validate(facts)

    monkeypatch.setattr(pipeline, "validate", flaky)
    mail(tmp_path, "bad", sender="Zła <trucizna@example.pl>", when=at(14))
    mail(tmp_path, "good", when=at(14))
    first = jobs.import_paths(config, [tmp_path / "in"])
    assert first.messages.deferred == 1 and first.messages.by_status == {"accepted": 1}
    with jobs.open_store(config) as store:
        assert store.db.execute("SELECT attempts FROM failures").fetchall() == [(1,)]
    second = jobs.import_paths(config, [tmp_path / "in"])
    assert second.messages.deferred == 1
    third = jobs.import_paths(config, [tmp_path / "in"])  # limits.max_attempts = 3
    assert third.messages.by_disposition == {"error": 1}
    data = exported(config)
    errors = [m for m in data["messages"] if m["disposition"] == "error"]
    assert len(errors) == 1 and "3 attempts" in errors[0]["reason"]
    with jobs.open_store(config) as store:
        assert store.db.execute("SELECT count(*) FROM failures").fetchone()[0] == 0
        from mailbot.ops.digest import build_digest

        assert "błąd przetwarzania" in build_digest(config, store).text
    assert len(replies(tmp_path)) == 1  # the good one only
    # once fixed, nothing changes: the message stays set aside for a person
    monkeypatch.setattr(pipeline, "validate", real_validate)
    assert jobs.import_paths(config, [tmp_path / "in"]).messages.processed == 0


def test_purge_removes_old_data_and_files(tmp_path, config):
    mail(tmp_path, "old", samples.Applicant(email="old@example.pl"), when=at(7))
    mail(tmp_path, "new", samples.Applicant(email="new@example.pl"), when=at(20))
    jobs.import_paths(config, [tmp_path / "in"])
    files_before = [p for p in config.storage.files.rglob("*") if p.is_file()]
    report = jobs.purge_before(config, at(10))
    assert (report.messages, report.applications, report.replies) == (1, 1, 1)
    assert report.files >= 2  # the raw message and its attachment
    files_after = [p for p in config.storage.files.rglob("*") if p.is_file()]
    assert len(files_after) == len(files_before) - report.files
    data = exported(config)
    assert [a["sender"] for a in data["applications"]] == ["new@example.pl"]


def test_outlook_winmail_dat_application_is_read(tmp_path, config):
    applicant = samples.Applicant(email="outlook@example.pl")
    tnef = samples.winmail_dat("formularz.docx", samples.filled_docx(applicant))
    mail(
        tmp_path,
        "tnef",
        applicant,
        when=at(14),
        attach=(("winmail.dat", tnef, "application/ms-tnef"),),
    )
    jobs.import_paths(config, [tmp_path / "in"])
    (app,) = exported(config)["applications"]
    assert app["status"] == "accepted"
    assert app["attachment"] == "formularz.docx"
    assert app["fields"] == applicant.expected_fields()


def test_import_reads_mbox_maildir_and_nested_folders(tmp_path, config):
    import mailbox

    people = [samples.Applicant(email=f"osoba{i}@example.pl") for i in range(5)]
    raws = [
        samples.email_with(
            f"Osoba <{p.email}>",
            "Zgłoszenie",
            "x",
            to="nabor@example.org",
            date=at(14),
            received=at(14, 10, i),
            attachments=(("f.docx", samples.filled_docx(p), DOCX),),
        )
        for i, p in enumerate(people)
    ]
    box = mailbox.mbox(tmp_path / "eksport.mbox")
    for raw in raws[:2]:
        box.add(raw)
    box.flush()
    box.close()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(raws[2])
    nested = tmp_path / "folder" / "maj"
    nested.mkdir(parents=True)
    (nested / "a.eml").write_bytes(raws[3])
    (tmp_path / "folder" / "b.eml").write_bytes(raws[4])
    report = jobs.import_paths(
        config, [tmp_path / "eksport.mbox", tmp_path / "Maildir", tmp_path / "folder"]
    )
    assert report.messages.by_status == {"accepted": 5}
    senders = sorted(a["sender"] for a in exported(config)["applications"])
    assert senders == sorted(p.email for p in people)
    # the receipt time of an imported message is its newest Received: header
    received = {a["sender"]: a["received_at"] for a in exported(config)["applications"]}
    assert received["osoba3@example.pl"] == "2024-05-14T10:03:00+02:00"
    again = jobs.import_paths(
        config, [tmp_path / "eksport.mbox", tmp_path / "Maildir", tmp_path / "folder"]
    )
    assert again.messages.processed == 0 and again.messages.skipped == 5


def test_import_of_a_missing_path_is_a_clear_error(tmp_path, config):
    from mailbot.errors import SourceError

    with pytest.raises(SourceError, match="does not exist"):
        jobs.import_paths(config, [tmp_path / "brak.mbox"])
