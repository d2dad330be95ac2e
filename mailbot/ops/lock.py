"""One pipeline at a time: an exclusive ``flock`` on ``storage.lock``.

The worker and a cron-run ``poll``/``import`` may start together; the second one waits a little,
then gives up with :class:`LockedError` rather than processing the same mail twice.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mailbot.errors import LockedError


@contextmanager
def pipeline_lock(path: Path, wait_seconds: float = 0.0) -> Iterator[None]:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise LockedError(
                        f"another mailbot pass is running (lock {path} is held)"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield
    finally:
        os.close(fd)
