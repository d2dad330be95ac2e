"""Logging set-up: message ids and statuses, never form contents; e-mail addresses masked."""

from __future__ import annotations

import logging
import re
import sys

_EMAIL = re.compile(r"([A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]*@([A-Za-z0-9.\-]+)")


def mask_emails(text: str) -> str:
    """``anna.kowalska@example.pl`` → ``a***@example.pl``."""
    return _EMAIL.sub(r"\1***@\2", text)


class MaskingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_emails(super().format(record))


def setup_logging(verbosity: int = 0) -> None:
    level = logging.WARNING - 10 * verbosity
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(MaskingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(level, logging.DEBUG))
    for noisy in ("imapclient", "apscheduler"):
        logging.getLogger(noisy).setLevel(max(level, logging.INFO))
    # pypdf reports every oddity of a broken PDF; mailbot records the outcome itself
    logging.getLogger("pypdf").setLevel(logging.ERROR)
