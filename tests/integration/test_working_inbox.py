"""A person's working inbox (tests/mailboxes/working/messages.py) through mailbot, against real
Dovecot, real aiosmtpd and a real SQLite file."""

from mailboxes.working.messages import (  # noqa: F401 - the fixture, the mark and the test
    config,
    pytestmark,
    test_working_mailbox,
)
