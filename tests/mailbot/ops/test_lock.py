"""mailbot/ops/lock.py: one pipeline at a time — a second pass waits a little, then gives up with
LockedError; the lock file is private and names the holder."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mailbot.errors import LockedError
from mailbot.ops.lock import pipeline_lock

HOLD = """
import sys, time
from pathlib import Path
from mailbot.ops.lock import pipeline_lock
with pipeline_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
"""


def holder(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the lock for ``seconds``."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path))
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(path), str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
    return proc


def test_the_lock_file_is_private_and_names_the_holder(tmp_path: Path) -> None:
    path = tmp_path / "state" / "mailbot.lock"
    with pipeline_lock(path):
        assert path.read_text() == str(os.getpid())
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    with pipeline_lock(path):  # released: taken again at once
        pass


def test_a_second_pass_gives_up_while_another_holds_it(tmp_path: Path) -> None:
    path = tmp_path / "mailbot.lock"
    proc = holder(path, 30)
    try:
        started = time.monotonic()
        with (
            pytest.raises(LockedError, match="another mailbot pass is running"),
            pipeline_lock(path, wait_seconds=0.5),
        ):
            pass
        assert 0.4 <= time.monotonic() - started < 10
    finally:
        proc.kill()
        proc.wait()


def test_a_second_pass_waits_for_the_first_to_end(tmp_path: Path) -> None:
    path = tmp_path / "mailbot.lock"
    proc = holder(path, 1.0)
    try:
        with pipeline_lock(path, wait_seconds=30):
            assert path.read_text() == str(os.getpid())
    finally:
        proc.wait()
