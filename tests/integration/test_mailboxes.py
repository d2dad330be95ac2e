"""Whole mailboxes (tests/mailboxes/<name>: .eml files and mailbox.toml) through mailbot,
against real Dovecot, real aiosmtpd and a real SQLite file.

Each mailbox is delivered with its INTERNALDATEs and polled; the replies written in the thread
of mailbot's letters follow and a second poll reads them; a further poll must do nothing.
Printed: the figures, then every shortfall against the data (run with -s to see them).
"""

from __future__ import annotations

import pytest
from mailboxes import checks, runner

from mailbot.config import load_config

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("name", ["office", "working", "secretariat", "secretariat_b"])
def test_mailbox(name, dovecot, imap_user, smtp_sink, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    mailbox = runner.load(name)

    outcome = runner.run(mailbox, dovecot, imap_user, smtp_sink, config)

    problems, tally = checks.shortfalls(mailbox, outcome)
    print(f"\n{name} mailbox")
    for figure, value in checks.figures(mailbox, outcome, tally).items():
        print(f"  {figure:<48} {value}")
    print(f"judged otherwise than a person would, within what is allowed ({len(tally['soft'])}):")
    print("".join(f"  {line}\n" for line in tally["soft"]), end="")
    assert problems == [], "\n".join(problems)
