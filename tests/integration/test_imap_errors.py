"""Errors that say the fix: one line each, with their own exit code, no success-looking
summary after a failed pass. Against the real Dovecot (and a port that never answers)."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.errors import ConnectTimeout
from mailbot.ops import jobs, samples

from .helpers import PASSWORD_ENV, REPO, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")


def run_cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env=dict(os.environ),
    )


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1 and lines[0].startswith("mailbot: "), done.stderr
    assert not done.stdout, done.stdout  # no "0 new message(s), 0 reply(ies) sent"
    print(f"exit {done.returncode}: {lines[0]}")
    return lines[0]


def question() -> bytes:
    # about the call (correspondence): archived, so the archive folder is needed
    return samples.email_with(
        "Ola <ola@example.pl>",
        "Pytanie o nabór",
        "Czy termin naboru do grup roboczych jest ostateczny?",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 14, 10),
    )


def test_wrong_password(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, "not-the-password")
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    done = run_cli(path, "poll", "--config", str(path))  # --config after the command
    line = one_error_line(done)
    assert done.returncode == 77
    assert f"IMAP login as {imap_user} refused by 127.0.0.1:{dovecot.port}" in line
    assert "b'" not in line and f"the password in {PASSWORD_ENV}" in line


@pytest.mark.parametrize(
    ("security", "plain_port", "fix"),
    [
        ("ssl", True, 'set imap.security = "starttls"'),
        ("starttls", False, 'set imap.security = "ssl"'),
        ("none", False, 'set imap.security = "ssl"'),
    ],
)
def test_wrong_security_mode_for_the_port(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, security, plain_port, fix
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, security=security)
    port = dovecot.port if plain_port else dovecot.ssl_port
    text = path.read_text()
    path.write_text(
        text.replace("timeout = 10\nbatch_size", "timeout = 4\nbatch_size", 1).replace(
            f"port = {dovecot.ssl_port if security == 'ssl' else dovecot.port}", f"port = {port}", 1
        )
    )
    done = run_cli(path, "--config", str(path), "poll")
    line = one_error_line(done)
    assert done.returncode == 76, done.stderr
    assert fix in line and f"127.0.0.1:{port}" in line


def test_folder_problems_name_the_folder_and_the_fix(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    missing = write_config(
        tmp_path, dovecot, imap_user, smtp_sink, imap_extra='folder = "Nie ma takiego"\n'
    )
    done = run_cli(missing, "poll", "--config", str(missing))
    line = one_error_line(done)
    assert done.returncode == 81 and "'Nie ma takiego'" in line and "imap.folder" in line

    dovecot.append(imap_user, question(), internaldate=datetime(2024, 5, 14, 10, tzinfo=WARSAW))
    bad = write_config(
        tmp_path, dovecot, imap_user, smtp_sink, imap_extra='archive_folder = "Archiwum 2024.05"\n'
    )
    done = run_cli(bad, "poll", "--config", str(bad))
    assert done.returncode == 81, done.stderr
    # the pass itself ran: what was done is said, but not as a success
    assert done.stdout.startswith("before the error: 1 new message(s)"), done.stdout
    error = [x for x in done.stderr.splitlines() if x.startswith("mailbot:")]
    assert len(error) == 1 and "'Archiwum 2024.05'" in error[0], done.stderr
    assert "imap.archive_folder" in error[0]
    print(error[0])


def test_connect_timeout_is_short_and_attempts_are_bounded_and_visible(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, caplog
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(16)  # the kernel completes the handshake; nobody ever greets
    port = silent.getsockname()[1]
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    path.write_text(
        path.read_text()
        .replace(f"port = {dovecot.port}", f"port = {port}", 1)
        .replace("timeout = 10\nbatch_size", "timeout = 4\nbatch_size", 1)
    )
    config = load_config(path)
    monkeypatch.setattr(jobs, "RECONNECT_DELAYS", (0.0, 0.0))
    caplog.set_level(logging.INFO, logger="mailbot")
    try:
        report = jobs.poll(config)
    finally:
        silent.close()
    assert report.error_code == ConnectTimeout.exit_code == 79
    assert report.mailbox_error and "did not answer within 2 s" in report.mailbox_error
    assert "check imap.host and imap.port" in report.mailbox_error
    connects = [r for r in caplog.records if "IMAP: connecting to" in r.getMessage()]
    retries = [r for r in caplog.records if "(attempt " in r.getMessage()]
    assert len(connects) == 3 and len(retries) == 2  # bounded: len(RECONNECT_DELAYS) + 1
    assert "connect timeout 2 s" in connects[0].getMessage()  # shorter than imap.timeout 4
