"""What the fork server of the reader processes (:mod:`mailbot.pipeline.isolate`) loads first.

A pass killed while it starts a reader process (``kill -9``, a stopped service, the out-of-memory
killer) leaves the new child unable to read its start-up data; the standard library then prints
a traceback to the pass's log that reads like a failure of mailbot's own. Loaded only in the
fork server (its preload list), this module has such a child say so in one line instead; every
other failure is reported as before.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from types import TracebackType
from typing import Any

#: the standard library module in whose start-up a child reads what its parent sent
_SPAWN = os.path.join("multiprocessing", "spawn.py")

ORPHAN_NOTE = "mailbot: a reader process was not started: the pass that asked for it had stopped\n"


def started_by_a_stopped_parent(tb: TracebackType | None) -> bool:
    """Whether a failure happened while a new child read its start-up data from its parent."""
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(_SPAWN):
            return True
        tb = tb.tb_next
    return False


def report(
    exc_type: type[BaseException],
    exc: BaseException,
    tb: TracebackType | None,
    previous: Callable[[type[BaseException], BaseException, TracebackType | None], Any] = (
        sys.excepthook
    ),
) -> None:
    """``sys.excepthook`` of the fork server: one line for a child whose parent stopped while
    starting it (its pipe closed: ``EOFError``, a broken connection), the usual report else."""
    if issubclass(exc_type, (EOFError, ConnectionError)) and started_by_a_stopped_parent(tb):
        sys.stderr.write(ORPHAN_NOTE)
        sys.stderr.flush()
        return
    previous(exc_type, exc, tb)


sys.excepthook = report
