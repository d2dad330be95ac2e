"""In a person's working mailbox: history before ``imap.since`` is never read, replies are saved
in Sent exactly once, only the call's mail is archived, Polish folder names work, and the
high-water mark does not depend on how the host is spelt. Real Dovecot, aiosmtpd, SQLite."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples

from .helpers import PASSWORD_ENV, REPO, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOLDER, SENT, ARCHIVE = "Nabór 2024", "Wysłane", "Archiwum – nabór"


def application(name: str, date: datetime) -> bytes:
    person = samples.Applicant(full_name=name, email=f"{name.split()[0].lower()}@example.pl")
    return samples.email_with(
        f"{name} <{person.email}>",
        "Zgłoszenie",
        "W załączeniu.",
        to="d.butryn@dops.wroc.pl",
        date=date,
        attachments=(("f.docx", samples.filled_docx(person), DOCX),),
    )


def colleague(date: datetime) -> bytes:
    return samples.email_with(
        "Marek Nowak <m.nowak@dops.wroc.pl>",
        "Urlop w sierpniu",
        "Czy możesz mnie zastąpić?",
        to="d.butryn@dops.wroc.pl",
        date=date,
    )


def out_of_office(date: datetime) -> bytes:
    return samples.email_with(
        "Biuro <biuro@example.pl>",
        "Nieobecność",
        "Wracam w czerwcu.",
        to="d.butryn@dops.wroc.pl",
        date=date,
        headers=(("Auto-Submitted", "auto-replied"),),
    )


def w(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def run_cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args, "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env=dict(os.environ),
    )


def folder_messages(dovecot, user: str, folder: str) -> dict[int, tuple[bytes, tuple]]:
    """uid -> (Message-ID header line, flags) of a folder."""
    with dovecot.client(user) as client:
        client.select_folder(folder, readonly=True)
        uids = client.search("ALL")
        data = (
            client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)]", "FLAGS"]) if uids else {}
        )
    return {
        uid: (item[b"BODY[HEADER.FIELDS (MESSAGE-ID)]"].strip(), tuple(item[b"FLAGS"]))
        for uid, item in data.items()
    }


def test_history_is_never_read_and_the_call_mail_is_saved_and_archived(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(
        tmp_path,
        dovecot,
        imap_user,
        smtp_sink,
        imap_extra=(f'folder = "{FOLDER}"\nsent_folder = "{SENT}"\narchive_folder = "{ARCHIVE}"\n'),
    )
    config = load_config(path)
    # imap.since defaults to 14 days before call.opens_at (6 May 2024): 22 April, Warsaw
    assert config.mail_since() == w(2024, 4, 22, 0)
    mail = [
        (colleague(w(2023, 8, 1, 9)), w(2023, 8, 1, 9)),  # history: never read
        (application("Stara Zgłoszona", w(2024, 4, 21, 23, 30)), w(2024, 4, 21, 23, 30)),
        # 00:30 on 22 April in Warsaw is 22:30 on the 21st in UTC: read (after since)
        (application("Ewa Brzegowa", w(2024, 4, 22, 0, 30)), w(2024, 4, 22, 0, 30)),
        (application("Anna Terminowa", w(2024, 5, 14, 10)), w(2024, 5, 14, 10)),
        (out_of_office(w(2024, 5, 14, 11)), w(2024, 5, 14, 11)),
    ]
    uids = [dovecot.append(imap_user, raw, folder=FOLDER, internaldate=when) for raw, when in mail]

    report = jobs.poll(config)
    assert report.ok, report.problem()
    assert report.messages.processed == 3  # the two before since were not fetched at all
    with jobs.open_store(config) as store:
        stored = sorted(r[0] for r in store.db.execute("SELECT uid FROM messages"))
        replies = store.db.execute(
            "SELECT reply_message_id, sent_copy FROM replies ORDER BY id"
        ).fetchall()
    assert stored == uids[2:]
    assert [r[1] for r in replies] == ["saved", "saved"]
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.wait_for(2)) == [
        "anna@example.pl",
        "ewa@example.pl",
    ]

    sent = folder_messages(dovecot, imap_user, SENT)
    assert len(sent) == 2
    assert all(b"\\Seen" in flags for _mid, flags in sent.values())
    assert sorted(mid.split(b":", 1)[1].strip().decode() for mid, _f in sent.values()) == sorted(
        r[0] for r in replies
    )
    # the two applications went to the archive; history and the robot stayed where they were
    left = folder_messages(dovecot, imap_user, FOLDER)
    assert sorted(left) == [uids[0], uids[1], uids[4]]
    assert len(folder_messages(dovecot, imap_user, ARCHIVE)) == 2

    # a crash between APPEND and the commit of "saved" must not give a second copy; a copy
    # that is really missing is appended again
    with sqlite3.connect(config.storage.database) as db:
        db.execute("UPDATE replies SET sent_copy = 'saving'")
    with dovecot.client(imap_user) as client:
        client.select_folder(SENT)
        first = sorted(sent)[0]
        client.delete_messages([first])
        client.expunge()
    again = jobs.poll(config)
    assert again.ok and again.messages.processed == 0
    assert len(folder_messages(dovecot, imap_user, SENT)) == 2
    assert len(smtp_sink.messages) == 2  # and nothing was sent twice


def test_since_override_for_poll_and_import(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    dovecot.append(imap_user, colleague(w(2023, 8, 1, 9)), internaldate=w(2023, 8, 1, 9))
    dovecot.append(
        imap_user,
        application("Anna Terminowa", w(2024, 5, 14, 10)),
        internaldate=w(2024, 5, 14, 10),
    )
    done = run_cli(path, "poll", "--since", "2023-07-01")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("2 new message(s)"), done.stdout

    # import: the receipt time (Received:, else Date:) against imap.since / --since
    files = tmp_path / "eml"
    files.mkdir()
    (files / "old.eml").write_bytes(
        samples.email_with(
            "Jan <jan@example.pl>",
            "Stare",
            "x",
            to="d.butryn@dops.wroc.pl",
            date=w(2023, 3, 1, 9),
            received=w(2023, 3, 1, 9),
        )
    )
    (files / "new.eml").write_bytes(application("Olga Nowa", w(2024, 5, 15, 9)))
    imported = run_cli(path, "import", "--no-send", str(files))
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("1 new message(s)"), imported.stdout
    older = run_cli(path, "import", "--no-send", "--since", "2023-01-01", str(files))
    assert older.stdout.startswith("1 new message(s)"), older.stdout  # now the old one too


def test_changing_localhost_for_127_0_0_1_reprocesses_nothing(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    for i in range(3):
        dovecot.append(
            imap_user,
            application(f"Osoba{i} Test", w(2024, 5, 14, 10, i)),
            internaldate=w(2024, 5, 14, 10, i),
        )
    assert jobs.poll(load_config(path)).messages.processed == 3
    path.write_text(
        path.read_text().replace('host = "127.0.0.1"\nport', 'host = "localhost"\nport', 1)
    )
    config = load_config(path)
    assert config.imap is not None and config.imap.host == "localhost"
    report = jobs.poll(config)
    assert report.ok and report.messages.processed == 0 and report.messages.skipped == 0
    dovecot.append(
        imap_user, application("Nowa Osoba", w(2024, 5, 15, 9)), internaldate=w(2024, 5, 15, 9)
    )
    assert jobs.poll(config).messages.processed == 1
    assert len(smtp_sink.wait_for(4)) == 4
