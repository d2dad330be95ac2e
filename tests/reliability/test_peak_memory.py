"""The peak-memory measurement the hostile-mail test holds `mailbot import` to
(:func:`helpers.run_measured`): it counts what the command and the processes it starts use,
not what the process running the tests once used, and not less than a reader process used.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from . import helpers as h

#: a parent far larger than anything measured here (pytest after a long run reached ~660 MB)
PARENT_MB = 600
#: what a reader process left to a fork server allocates
READER_MB = 300

# A large parent (like pytest late in a run) measures a tiny command two ways.
LARGE_PARENT = textwrap.dedent(
    f"""
    import json, os, subprocess, sys
    from pathlib import Path
    sys.path.insert(0, {str(h.REPO / "tests")!r})
    from reliability import helpers as h
    block = bytearray({PARENT_MB} << 20)
    for i in range(0, len(block), 4096):
        block[i] = 1
    del block
    tiny = [sys.executable, "-c", "pass"]
    proc = subprocess.Popen(tiny)
    _pid, _status, usage = os.wait4(proc.pid, 0)
    _code, peak = h.run_measured(tiny, result=Path(sys.argv[1]))
    print(json.dumps({{"wait4": usage.ru_maxrss / 1024, "measured": peak.mb}}))
    """
)

# A command that leaves its reading to a fork server's child, as mailbot does.
FORKSERVER_READER = textwrap.dedent(
    f"""
    import multiprocessing

    def read():
        block = bytearray({READER_MB} << 20)
        for i in range(0, len(block), 4096):
            block[i] = 1

    if __name__ == "__main__":
        process = multiprocessing.get_context("forkserver").Process(target=read)
        process.start()
        process.join()
        assert process.exitcode == 0
    """
)


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(h.REPO), env.get("PYTHONPATH")) if p)
    return env


def test_a_large_parent_does_not_count_in_the_command_measured(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", LARGE_PARENT, str(tmp_path / "peak.json")],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=True,
    )
    figures = json.loads(done.stdout)
    print(f"\npython -c pass from a {PARENT_MB} MB parent: {figures}")
    # a plain wait4 reports the parent's peak: the reason this measurement exists
    assert figures["wait4"] >= PARENT_MB
    assert figures["measured"] < 100


def test_a_reader_left_to_a_fork_server_is_counted(tmp_path):
    script = tmp_path / "reader.py"
    script.write_text(FORKSERVER_READER)
    code, peak = h.run_measured(
        [sys.executable, str(script)], result=tmp_path / "peak.json", env=_env(), cwd=tmp_path
    )
    print(f"\na {READER_MB} MB reader behind a fork server: {peak}")
    assert code == 0
    assert peak.mb >= READER_MB
    assert not peak.left_running
