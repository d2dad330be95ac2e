"""The pieces bench_startup.py and bench_backlog.py share: one throw-away Dovecot, the SMTP sink
in a child process, mailbox filling and `mailbot` subprocesses.

mailbot itself is only ever run as a subprocess (the ``mailbot`` console script of this venv, or
``python -m mailbot``), so the benchmarks keep working when its modules move. The mail comes
from ``bench_pipeline.build_corpus`` (generated applicants with DOCX and fillable PDF forms).
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
for _path in (str(Path(__file__).resolve().parent), str(REPO / "tests"), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

WARSAW = ZoneInfo("Europe/Warsaw")
#: the venv's console script, as cron and systemd run it
MAILBOT_SCRIPT = Path(sys.executable).parent / "mailbot"


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def mailbot_command(*args: str) -> list[str]:
    """`mailbot ARGS` as installed in this venv (console script), else `python -m mailbot`."""
    if MAILBOT_SCRIPT.is_file() and os.access(MAILBOT_SCRIPT, os.X_OK):
        return [str(MAILBOT_SCRIPT), *args]
    return [sys.executable, "-m", "mailbot", *args]


def python_mailbot(*args: str, flags: Sequence[str] = ()) -> list[str]:
    """`python [FLAGS] -m mailbot ARGS` (for -X importtime and cProfile)."""
    return [sys.executable, *flags, "-m", "mailbot", *args]


def environment() -> dict[str, str]:
    """The environment of every subprocess: this checkout first on the path, no progress bar."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH")) if p)
    env.pop("CI_PROGRESS", None)
    # as installed (pip compiles the bytecode) and as cron runs it: the modules' bytecode is
    # cached, not compiled again on every start
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


# Runs a command as its child and reports (in the file argv[1]) the command's wall time and the
# CPU time of the command's whole process tree: it becomes a child subreaper, so descendants the
# command leaves behind (a fork server, a reader process) are handed to it, waited for and
# counted too. The wrapper's own start-up is outside the measured span.
TREE_WRAPPER = r"""
import ctypes, json, os, resource, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status = os.waitpid(pid, 0)
wall = time.perf_counter() - started
while True:
    try:
        os.wait()
    except ChildProcessError:
        break
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump({"wall": wall, "cpu": usage.ru_utime + usage.ru_stime}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass(frozen=True)
class Timed:
    wall: float  # seconds from start to exit of the command
    cpu: float  # user + system seconds of the command and every process it started
    stdout: str
    stderr: str


def run_timed(
    command: Sequence[str], *, cwd: Path, env: dict[str, str], timeout: float | None = None
) -> Timed:
    """Run ``command`` once and time it (see TREE_WRAPPER); fails loudly on a non-zero exit.
    CPU time hardly changes with other load on the machine; wall time does."""
    with tempfile.NamedTemporaryFile(prefix="mailbot-bench-", suffix=".json") as result:
        done = subprocess.run(
            [sys.executable, "-c", TREE_WRAPPER, result.name, *command],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-3000:]}")
        figures = json.loads(Path(result.name).read_text())
    return Timed(figures["wall"], figures["cpu"], done.stdout, done.stderr)


def timed(command: Sequence[str], *, cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command``."""
    run = run_timed(command, cwd=cwd, env=env)
    return run.wall, run.cpu


def median_ms(values: Sequence[float]) -> float:
    return statistics.median(values) * 1000


def processed_count(summary: str) -> int | None:
    """The number of new messages in a `mailbot poll` summary line, if it says so."""
    match = re.search(r"(\d+) new message", summary)
    return int(match.group(1)) if match else None


def yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _find_samples_module() -> None:
    """``bench_pipeline`` fills forms with ``mailbot.ops.samples``; if that module has moved into a
    subpackage, make the old name point at it (in this process only)."""
    import importlib
    import pkgutil

    import mailbot

    try:
        importlib.import_module("mailbot.ops.samples")
        return
    except ImportError:
        pass
    for info in pkgutil.walk_packages(mailbot.__path__, "mailbot."):
        if info.name.rsplit(".", 1)[-1] == "samples":
            module = importlib.import_module(info.name)
            sys.modules["mailbot.ops.samples"] = module
            mailbot.ops.samples = module  # type: ignore[attr-defined]
            log(f"mailbot.ops.samples is now {info.name}")
            return


class Rig:
    """One Dovecot (tests/rig, STARTTLS with its own CA) and the rig's SmtpSink in a child
    process; every ``setup`` gives a fresh mailbox and its own mailbot config and database."""

    def __init__(self, *, keep: bool = False, applicants: int = 24) -> None:
        from bench_pipeline import Sink
        from integration.helpers import PASSWORD_ENV
        from rig import Dovecot

        self.keep = keep
        self.tmp = Path(tempfile.mkdtemp(prefix="mailbot-bench-"))
        self.dovecot = Dovecot()
        self.dovecot.start()
        os.environ[PASSWORD_ENV] = self.dovecot.password
        self.sink = Sink()
        self.env = environment()
        self.applicants = applicants  # distinct applicants (forms) the messages cycle through
        self._corpus = None
        self._n = 0  # next message number: distinct sender and Message-ID per message

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.sink.close()
        self.dovecot.cleanup()
        if self.keep:
            log(f"scratch folder kept: {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def __enter__(self) -> Rig:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def corpus(self):  # bench_pipeline.Corpus
        if self._corpus is None:
            from bench_pipeline import build_corpus

            log("generating the applicants' messages (DOCX and fillable PDF forms)")
            _find_samples_module()
            self._corpus = build_corpus(self.applicants)
        return self._corpus

    def setup(self, name: str, *, batch_size: int = 25) -> tuple[str, Path]:
        """A fresh mailbox and a mailbot config (own database) pointing at it."""
        from integration.helpers import write_config

        user = self.dovecot.new_user("bench")
        folder = self.tmp / name
        folder.mkdir()
        path = write_config(
            folder,
            self.dovecot,
            user,
            self.sink,
            batch_size=batch_size,
            limits={"replies_per_hour": 100_000},
        )
        with self.dovecot.client(user) as client:
            client.select_folder("INBOX")  # creates the Maildir
        return user, path

    def fill(self, user: str, count: int) -> None:
        """Deliver ``count`` messages straight into the Maildir, as an MTA's local delivery
        does (file in new/, mtime = receipt time in the call's window), then let Dovecot index
        them with one SELECT, so that no measurement pays for the indexing."""
        new = self.dovecot.maildir(user) / "new"
        owner = pwd.getpwnam("nobody")
        base = datetime(2024, 5, 10, 8, 0, tzinfo=WARSAW).timestamp()
        started = time.monotonic()
        first, self._n = self._n, self._n + count
        for k, n in enumerate(range(first, first + count)):
            raw = self.corpus.message(n)
            name = f"{int(base) + k}.M{n}P{os.getpid()}.bench,S={len(raw)}"
            tmp = new.parent / "tmp" / name
            tmp.write_bytes(raw)
            os.chown(tmp, owner.pw_uid, owner.pw_gid)
            os.chmod(tmp, 0o600)
            os.utime(tmp, (base + k * 30, base + k * 30))
            os.rename(tmp, new / name)
        with self.dovecot.client(user) as client:
            client.select_folder("INBOX", readonly=True)
        log(f"filled {count} messages in {time.monotonic() - started:.1f} s")

    def poll(self, config: Path, *, timeout: float = 3600) -> Timed:
        """One `mailbot poll`, timed (its summary line is ``.stdout``)."""
        return run_timed(
            mailbot_command("--config", str(config), "poll"),
            cwd=self.tmp,
            env=self.env,
            timeout=timeout,
        )
