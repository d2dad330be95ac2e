"""IMAP IDLE in `mailbot run`: a reply within seconds of delivery, also after the server
dropped the connection — with the scheduled poll an hour away."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mailbot.ops import samples

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")


def question(i: int) -> bytes:
    return samples.email_with(
        f"Osoba {i} <osoba{i}@example.pl>",
        "Zgłoszenie do naboru",
        "W załączeniu przesyłam formularz zgłoszeniowy.",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 14, 10, i),
    )


def test_idle_answers_within_seconds_and_survives_a_dropped_connection(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, poll_minutes=60)
    # no digest in this test: only replies reach the sink
    path.write_text(
        path.read_text().replace('recipients = ["koordynator@dops.example.pl"]', "recipients = []")
    )
    now = datetime(2024, 5, 14, 10, 0, tzinfo=WARSAW)
    dovecot.append(imap_user, question(0), internaldate=now)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "-v", "--config", str(path), "run"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        smtp_sink.wait_for(1, timeout=30)  # the start-up pass
        time.sleep(1.5)  # let the watcher enter IDLE
        started = time.monotonic()
        dovecot.append(imap_user, question(1), internaldate=now)
        smtp_sink.wait_for(2, timeout=20)
        first_latency = time.monotonic() - started

        dovecot.kick(imap_user)  # the server drops every connection of the user
        time.sleep(3)  # the watcher notices and reconnects (backoff 1 s)
        started = time.monotonic()
        dovecot.append(imap_user, question(2), internaldate=now)
        smtp_sink.wait_for(3, timeout=30)
        second_latency = time.monotonic() - started
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
        print(err[-3000:])
    print(f"IDLE reply latency: {first_latency:.2f} s; after reconnect: {second_latency:.2f} s")
    assert worker.returncode == 0, err[-2000:]
    assert first_latency < 10 and second_latency < 15
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.messages) == [
        "osoba0@example.pl",
        "osoba1@example.pl",
        "osoba2@example.pl",
    ]
    assert "IDLE connection lost" in err or "reconnecting" in err
