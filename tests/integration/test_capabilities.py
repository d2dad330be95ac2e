"""A server that offers neither IDLE nor MOVE (Dovecot with a trimmed capability list): the worker
says truthfully that it relies on the scheduled poll, and the archive falls back to COPY +
\\Deleted + UID EXPUNGE of exactly mailbot's own UIDs."""

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


def application(i: int) -> bytes:
    person = samples.Applicant(full_name=f"Osoba {i}", email=f"osoba{i}@example.pl")
    return samples.email_with(
        f"Osoba {i} <{person.email}>",
        "Zgłoszenie",
        "W załączeniu.",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 14, 10, i),
        attachments=(("f.docx", samples.filled_docx(person), DOCX),),
    )


def test_worker_says_the_server_offers_no_idle(tmp_path, plain_dovecot, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, plain_dovecot.password)
    user = plain_dovecot.new_user()
    with plain_dovecot.client(user) as client:
        assert b"IDLE" not in client.capabilities()
    path = write_config(tmp_path, plain_dovecot, user, smtp_sink, poll_minutes=60)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "run", "--config", str(path)],
        cwd=REPO,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)
    worker.send_signal(signal.SIGTERM)
    _out, err = worker.communicate(timeout=60)
    assert worker.returncode == 0, err
    # without -v: the one line that matters is still there
    assert "IMAP IDLE: the server does not offer IDLE" in err, err
    assert "offers IDLE;" not in err and "on IMAP IDLE" not in err


def test_archive_without_move_expunges_only_our_uids(
    tmp_path, plain_dovecot, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, plain_dovecot.password)
    user = plain_dovecot.new_user()
    when = datetime(2024, 5, 14, 10, tzinfo=WARSAW)
    ours = [plain_dovecot.append(user, application(i), internaldate=when) for i in range(2)]
    # someone else's message, flagged \Deleted in a mail client and not yet expunged
    robot = samples.email_with(
        "Biuro <biuro@example.pl>",
        "Nieobecność",
        "x",
        to="d.butryn@dops.wroc.pl",
        date=when,
        headers=(("Auto-Submitted", "auto-replied"),),
    )
    theirs = plain_dovecot.append(user, robot, internaldate=when, flags=[b"\\Deleted"])
    path = write_config(
        tmp_path, plain_dovecot, user, smtp_sink, imap_extra='archive_folder = "Archiwum"\n'
    )
    report = jobs.poll(load_config(path))
    assert report.ok, report.problem()
    with plain_dovecot.client(user) as client:
        client.select_folder("INBOX", readonly=True)
        assert client.search("ALL") == [theirs]  # a plain EXPUNGE would have removed it
        assert client.folder_status("Archiwum", [b"MESSAGES"])[b"MESSAGES"] == len(ours)
