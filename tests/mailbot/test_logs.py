"""mailbot/logs.py: logs carry message ids and statuses, never a whole e-mail address."""

from __future__ import annotations

import logging

import pytest

from mailbot.logs import MaskingFormatter, mask_emails, setup_logging


def test_addresses_are_masked_to_first_letter_and_domain() -> None:
    assert mask_emails("od anna.kowalska@example.pl, uid 7") == "od a***@example.pl, uid 7"
    assert mask_emails("j.nowak+nabor@gmina-sobotka.example.pl") == (
        "j***@gmina-sobotka.example.pl"
    )
    assert mask_emails("DKRES-2024-0004 accepted") == "DKRES-2024-0004 accepted"


def test_the_formatter_masks_arguments_too() -> None:
    record = logging.LogRecord(
        "mailbot", logging.INFO, __file__, 1, "reply to %s queued", ("zofia@fundacja.pl",), None
    )
    text = MaskingFormatter("%(message)s").format(record)
    assert text == "reply to z***@fundacja.pl queued"


@pytest.fixture
def restore_logging():
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    named = {n: logging.getLogger(n).level for n in ("imapclient", "apscheduler", "pypdf")}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, old in named.items():
        logging.getLogger(name).setLevel(old)


def test_verbosity_sets_the_level_and_quiets_the_libraries(restore_logging) -> None:
    setup_logging(0)
    root = logging.getLogger()
    assert root.level == logging.WARNING
    assert len(root.handlers) == 1 and isinstance(root.handlers[0].formatter, MaskingFormatter)
    assert logging.getLogger("pypdf").level == logging.ERROR
    setup_logging(2)
    assert root.level == logging.DEBUG
    assert logging.getLogger("imapclient").level == logging.INFO  # never its protocol dump


def test_a_logged_address_reaches_stderr_masked(restore_logging, capsys) -> None:
    setup_logging(1)
    logging.getLogger("mailbot.test").info("answered %s", "maria.wisniewska@ops.example.pl")
    err = capsys.readouterr().err
    assert "m***@ops.example.pl" in err
    assert "maria.wisniewska" not in err
