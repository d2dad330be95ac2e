"""mailbot/mail/idle.py against a real Dovecot: new mail wakes the pass, and mail that arrives
while that pass runs wakes another at once (not the next scheduled poll)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from mailbot.config import load_config
from mailbot.mail import idle
from tests.integration.helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration


def _message(n: int) -> bytes:
    return (
        f"From: Osoba {n} <osoba{n}@example.pl>\r\nTo: d.butryn@dops.wroc.pl\r\n"
        f"Subject: Wiadomość {n}\r\nMessage-ID: <idle-{n}@example.pl>\r\n\r\nTreść {n}.\r\n"
    ).encode()


def test_mail_that_arrives_during_a_pass_wakes_the_next_pass(
    tmp_path: Path, dovecot, imap_user, smtp_sink, monkeypatch
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink)).require_imap()
    stop = threading.Event()
    passes: list[float] = []

    def on_mail() -> None:  # the pass: the second one takes a while, and mail comes meanwhile
        passes.append(time.monotonic())
        if len(passes) == 2:
            dovecot.append(imap_user, _message(2))
            time.sleep(0.5)

    watcher = threading.Thread(target=idle.watch, args=(config, stop, on_mail), daemon=True)
    watcher.start()
    try:
        deadline = time.monotonic() + 20
        while not passes:  # the pass after connecting
            assert time.monotonic() < deadline, "the watcher never connected"
            time.sleep(0.05)
        time.sleep(0.5)  # in IDLE now
        dovecot.append(imap_user, _message(1))
        while len(passes) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert len(passes) >= 3, "mail that arrived during a pass waited for the next poll"
    assert passes[2] - passes[1] < 5
