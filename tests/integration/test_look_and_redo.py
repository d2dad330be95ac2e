"""--dry-run, reprocess and never-reused numbers, against real Dovecot and aiosmtpd."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
ANNA = samples.Applicant()
TOMASZ = samples.Applicant(
    full_name="Tomasz Lewandowski",
    email="t.lew@zaz.example.pl",
    organisation="ZAZ Bystrzyca",
    groups=(4,),
)


def mail(sender: str, subject: str, body: str, mid: str, *, attachments: tuple = ()) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "d.butryn@dops.wroc.pl"
    msg["Subject"] = subject
    msg["Date"] = format_datetime(datetime(2024, 5, 10, tzinfo=UTC))
    msg["Message-ID"] = mid
    msg.set_content(body)
    for filename, data, mime_type in attachments:
        maintype, subtype = mime_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def form(applicant: samples.Applicant, name: str = "formularz.docx") -> tuple:
    docx_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    return (name, samples.filled_docx(applicant), docx_type)


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2024, 5, day, hour, tzinfo=WARSAW)


@pytest.fixture
def setup(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    inbox = [
        (
            mail(
                "Anna <a.kowalska@cis-olawa.example.pl>",
                "Zgłoszenie",
                "W załączeniu formularz.",
                "<a-1@cis>",
                attachments=(form(ANNA),),
            ),
            at(14),
        ),
        (
            mail("Kasia <k.nowak@dops.wroc.pl>", "Obiad o 13?", "Idziemy?", "<obiad@dops>"),
            at(14, 11),
        ),
        (
            mail(
                "Tomasz <t.lew@zaz.example.pl>",
                "skan formularza – nabór DKRES",
                "W załączeniu skan.",
                "<t-1@zaz>",
                attachments=(("skan.pdf", samples.scanned_pdf(), "application/pdf"),),
            ),
            at(15),
        ),
    ]
    uids = [dovecot.append(imap_user, raw, internaldate=when) for raw, when in inbox]
    return path, uids


def run_cli(path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def export(config) -> dict:
    with jobs.open_store(config) as store:
        return json.loads(export_json(store, WARSAW))


def test_dry_run_changes_nothing(setup, dovecot, imap_user, smtp_sink):
    path, _uids = setup
    config = load_config(path)
    flags = dovecot.fetch_flags(imap_user)
    done = run_cli(path, "poll", "--dry-run")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert len(lines) == 4
    assert "a***@cis-olawa.example.pl" in lines[0] and "application" in lines[0]
    assert "accepted" in lines[0] and "reply: accepted" in lines[0]
    assert "unrelated" in lines[1] and "no reply" in lines[1]
    assert "needs_review" in lines[2] and "reply: needs_review" in lines[2]
    assert lines[3].startswith("dry run: 3 message(s)") and "2 reply(ies) would be sent" in lines[3]
    assert "kowalska" not in done.stdout  # addresses masked
    assert not config.storage.database.exists()  # no database was made
    assert smtp_sink.messages == []
    assert dovecot.fetch_flags(imap_user) == flags

    # after a real pass, a dry run over the same mailbox sees nothing new and changes nothing
    assert jobs.poll(config).ok
    sent = len(smtp_sink.wait_for(2))
    again = run_cli(path, "poll", "--dry-run")
    assert again.returncode == 0 and again.stdout.startswith("dry run: 0 message(s)")
    assert len(smtp_sink.messages) == sent
    assert jobs.poll(config).messages.processed == 0
    with jobs.open_store(config) as store:
        assert store.db.execute("SELECT count(*) FROM messages").fetchone()[0] == 3


def test_reprocess_by_uid_reference_and_status(setup, dovecot, imap_user, smtp_sink):
    path, uids = setup
    config = load_config(path)
    assert jobs.poll(config).ok
    smtp_sink.wait_for(2)
    data = export(config)
    anna = next(a for a in data["applications"] if a["message_id"] == "<a-1@cis>")
    assert anna["status"] == "accepted"

    # an unrelated message is not kept: reprocess fetches it again from the mailbox by UID
    unchanged = jobs.reprocess(config, uid=uids[1])
    assert [c.after for c in unchanged.changes] == ["unrelated"]
    # with the call's words extended, the same message becomes correspondence (no reply)
    path.write_text(
        path.read_text().replace(
            'reference_prefix = "DKRES-2024"',
            'reference_prefix = "DKRES-2024"\nkeywords = ["nabór", "zgłoszenie", "obiad"]',
        )
    )
    config = load_config(path)
    changed = jobs.reprocess(config, uid=uids[1])
    assert changed.changes[0].before == "unrelated"
    assert changed.changes[0].after == "correspondence"
    assert changed.replies_queued == 0
    with jobs.open_store(config) as store:
        row = store.db.execute(
            "SELECT raw_file, excerpt FROM messages WHERE message_id = ?", ["<obiad@dops>"]
        ).fetchone()
        assert row[0] and row[1] == "Idziemy?"
        events = [
            r[0]
            for r in store.db.execute(
                "SELECT detail FROM events WHERE kind = 'reprocessed' ORDER BY id"
            )
        ]
        assert events[-1] == "unrelated -> correspondence"

    # the call's deadline moved earlier: Anna's application re-read is late, same number,
    # and no new letter unless asked
    text = path.read_text().replace(
        "closes_at = 2024-05-24T23:59:59", "closes_at = 2024-05-13T23:59:59"
    )
    path.write_text(text)
    config = load_config(path)
    quiet = run_cli(path, "reprocess", anna["reference"])
    assert quiet.returncode == 0, quiet.stderr
    assert f"{anna['reference']} accepted -> application {anna['reference']} late" in quiet.stdout
    assert len(smtp_sink.messages) == 2
    again = jobs.reprocess(config, references=[anna["reference"]], reply=True)
    assert again.replies_queued == 1
    late = smtp_sink.wait_for(3)[-1]
    assert (
        kind_of(late.message["X-Mailbot-Reply"]) == "late"
        and anna["reference"] in late.message["Subject"]
    )
    data = export(config)
    refs = [a["reference"] for a in data["applications"]]
    assert sorted(refs) == ["DKRES-2024-0001", "DKRES-2024-0002"]

    # by status; nothing matching is an error with a clear message
    by_status = jobs.reprocess(config, status="needs_review")
    assert [c.after for c in by_status.changes] == ["application DKRES-2024-0002 late"]
    missing = run_cli(path, "reprocess", "DKRES-2024-9999")
    assert missing.returncode == 66 and "no stored message" in missing.stderr

    # a person decides a message is an application ("to jest zgłoszenie"): it gets the next
    # number; the letter asked for is withheld, as the sender is a colleague in the call's
    # own domain (never an automatic letter to a colleague), and the reason is kept
    decided = run_cli(path, "reprocess", "--uid", str(uids[1]), "--as", "application", "--reply")
    assert decided.returncode == 0, decided.stderr
    assert "correspondence -> application DKRES-2024-0003 late" in decided.stdout
    with jobs.open_store(config) as store:
        (withheld,) = store.db.execute(
            "SELECT reply_withheld FROM applications WHERE reference = 'DKRES-2024-0003'"
        ).fetchone()
    assert "współpracownika" in withheld
    time.sleep(1)
    assert [m.rcpt_tos for m in smtp_sink.messages][3:] == []


def test_numbers_are_never_reused_after_purge(setup, dovecot, imap_user, smtp_sink):
    path, _uids = setup
    config = load_config(path)
    assert jobs.poll(config).ok
    assert jobs.purge_before(config, at(30)).messages == 3
    dovecot.append(
        imap_user,
        mail(
            "Tomasz <t.lew@zaz.example.pl>",
            "Zgłoszenie",
            "W załączeniu.",
            "<t-2@zaz>",
            attachments=(form(TOMASZ, "f.docx"),),
        ),
        internaldate=at(16),
    )
    assert jobs.poll(config).ok
    refs = [a["reference"] for a in export(config)["applications"]]
    assert refs == ["DKRES-2024-0003"]
