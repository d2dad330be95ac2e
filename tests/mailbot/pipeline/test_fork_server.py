"""The reader processes' fork server: a child whose parent was killed while starting it says so
in one line; every other failure keeps its traceback. Run in real Python processes."""

from __future__ import annotations

import subprocess
import sys
from multiprocessing.connection import Connection
from pathlib import Path

from mailbot.pipeline import isolate

# (mailbot.pipeline.fork_server is imported inside the tests only: this module is loaded by the
# reader child of the last test, which must get the hook from its fork server, not from here)

REPO = Path(__file__).resolve().parents[3]


def _run(body: str, filename: str) -> subprocess.CompletedProcess[str]:
    """A Python process that loads the module, then fails in code compiled as ``filename``."""
    script = f"import mailbot.pipeline.fork_server\nexec(compile({body!r}, {filename!r}, 'exec'))\n"
    return subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60
    )


SPAWN = "/usr/lib/python3/multiprocessing/spawn.py"


def test_a_child_whose_parent_stopped_while_starting_it_says_so_in_one_line():
    from mailbot.pipeline.fork_server import ORPHAN_NOTE

    done = _run("def _main():\n    raise EOFError('Ran out of input')\n_main()\n", SPAWN)
    assert done.returncode == 1
    assert done.stderr == ORPHAN_NOTE
    assert "Traceback" not in done.stderr


def test_a_broken_pipe_at_start_up_is_the_same_case():
    from mailbot.pipeline.fork_server import ORPHAN_NOTE

    done = _run("raise BrokenPipeError(32, 'Broken pipe')\n", SPAWN)
    assert done.stderr == ORPHAN_NOTE


def test_any_other_failure_keeps_its_traceback():
    elsewhere = _run("raise EOFError('Ran out of input')\n", "/srv/mailbot/other.py")
    assert "Traceback" in elsewhere.stderr and "EOFError" in elsewhere.stderr
    at_start = _run("raise ValueError('a real fault')\n", SPAWN)
    assert "Traceback" in at_start.stderr and "ValueError: a real fault" in at_start.stderr


def _say_hook(conn: Connection) -> None:
    hook = sys.excepthook
    conn.send(f"{hook.__module__}.{hook.__qualname__}")
    conn.close()


def test_the_reader_processes_come_from_a_fork_server_with_the_hook_loaded():
    reader = isolate.IsolatedReader(target=_say_hook, name="mailbot-test-hook")
    try:
        conn = reader._start()
        assert conn.poll(60)
        assert conn.recv() == "mailbot.pipeline.fork_server.report"
    finally:
        reader.close()
