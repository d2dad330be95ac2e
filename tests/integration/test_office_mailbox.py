"""A DOPS employee's May 2024 inbox (tests/mailboxes/office/messages.py) through mailbot,
against real Dovecot, real aiosmtpd and a real SQLite file."""

from mailboxes.office.messages import (  # noqa: F401 - the fixture, the mark and the test
    config,
    pytestmark,
    test_examiner_mailbox,
)
