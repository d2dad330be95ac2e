"""mailbot against Cyrus IMAP 3.6 (run from the unpacked Debian packages, see tests/rig/cyrus.py):
two polls, folders inside the personal namespace (``INBOX.``) with Polish names, the archive
and the Sent copies there, and IMAP IDLE with Cyrus's ``idled``.

Skipped where Cyrus cannot be started (not unpacked, not root); under CI that is a failure.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples

from .helpers import PASSWORD_ENV, REPO, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FOLDER, SENT, ARCHIVE = "Nabór 2024", "Wysłane", "Archiwum"
SPECIAL_SENT = "INBOX.Elementy wysłane"


def application(i: int, date: datetime) -> bytes:
    person = samples.Applicant(full_name=f"Osoba {i}", email=f"osoba{i}@example.pl")
    return samples.email_with(
        f"Osoba {i} <{person.email}>",
        "Zgłoszenie",
        "W załączeniu.",
        to="d.butryn@dops.wroc.pl",
        date=date,
        attachments=(("f.docx", samples.filled_docx(person), DOCX),),
    )


def robot(date: datetime) -> bytes:
    return samples.email_with(
        "Biuro <biuro@example.pl>",
        "Nieobecność",
        "Wracam w czerwcu.",
        to="d.butryn@dops.wroc.pl",
        date=date,
        headers=(("Auto-Submitted", "auto-replied"),),
    )


def w(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=WARSAW)


def test_two_polls_archive_and_sent_inside_the_personal_namespace(
    tmp_path, cyrus, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, cyrus.password)
    user = cyrus.new_user()
    with cyrus.client(user) as client:
        client.create_folder(f"INBOX.{FOLDER}")
    # the mail client's Sent folder, marked \Sent (SPECIAL-USE): it wins over imap.sent_folder
    cyrus.create_special(user, SPECIAL_SENT, "\\Sent")
    inbox = f"INBOX.{FOLDER}"
    cyrus.append(
        user,
        samples.email_with(
            "Marek <m.nowak@dops.wroc.pl>",
            "Urlop",
            "x",
            to="d.butryn@dops.wroc.pl",
            date=w(8, 1, year=2023),
        ),
        folder=inbox,
        internaldate=w(8, 1, year=2023),
    )
    for i in range(2):
        cyrus.append(
            user, application(i, w(5, 14, 10, i)), folder=inbox, internaldate=w(5, 14, 10, i)
        )
    cyrus.append(user, robot(w(5, 14, 11)), folder=inbox, internaldate=w(5, 14, 11))
    path = write_config(
        tmp_path,
        cyrus,
        user,
        smtp_sink,
        imap_extra=(f'folder = "{FOLDER}"\narchive_folder = "{ARCHIVE}"\nsent_folder = "{SENT}"\n'),
    )
    config = load_config(path)

    first = jobs.poll(config)
    assert first.ok, first.problem()
    assert first.messages.processed == 3  # the 2023 message is before imap.since
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.wait_for(2)) == [
        "osoba0@example.pl",
        "osoba1@example.pl",
    ]
    folders = cyrus.folders(user)
    # "Archiwum" alone is refused by Cyrus ("Permission denied"): placed under INBOX.
    assert f"INBOX.{ARCHIVE}" in folders and f"INBOX.{SENT}" not in folders, folders
    assert cyrus.count(user, f"INBOX.{ARCHIVE}") == 2  # MOVE of the two applications
    assert cyrus.count(user, inbox) == 2  # the old one and the robot stay
    assert cyrus.count(user, SPECIAL_SENT) == 2
    with cyrus.client(user) as client:
        client.select_folder(SPECIAL_SENT, readonly=True)
        flags = client.get_flags(client.search("ALL"))
    assert all(b"\\Seen" in f for f in flags.values())

    second = jobs.poll(config)
    assert second.ok and second.messages.processed == 0
    assert cyrus.count(user, SPECIAL_SENT) == 2 and len(smtp_sink.messages) == 2


def test_idle_with_idled_answers_within_seconds(tmp_path, cyrus, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, cyrus.password)
    user = cyrus.new_user()
    path = write_config(tmp_path, cyrus, user, smtp_sink, poll_minutes=60)
    path.write_text(
        path.read_text().replace('recipients = ["koordynator@dops.example.pl"]', "recipients = []")
    )
    cyrus.append(user, application(0, w(5, 14)), internaldate=w(5, 14))
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "run", "-v", "--config", str(path)],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    latencies = []
    try:
        smtp_sink.wait_for(1, timeout=30)  # the start-up pass
        time.sleep(1.5)  # the watcher enters IDLE
        for i in (1, 2):
            started = time.monotonic()
            cyrus.append(user, application(i, w(5, 14, 11, i)), internaldate=w(5, 14, 11, i))
            smtp_sink.wait_for(1 + i, timeout=30)
            latencies.append(time.monotonic() - started)
            time.sleep(1)
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
    print(f"Cyrus with idled: IDLE reply latency {', '.join(f'{x:.2f} s' for x in latencies)}")
    assert worker.returncode == 0, err[-2000:]
    assert "the server offers IDLE" in err, err[-2000:]
    assert all(x < 10 for x in latencies), latencies  # the scheduled poll is an hour away
