"""Shared pieces of the reliability tests: config, subprocess runs, mail factories, DB look-ups.

Everything runs against the real rig (Dovecot, aiosmtpd) and a real SQLite file; nothing in
mailbot is patched here (the poison test patches one stage in-process, on purpose).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email.header import Header
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# the rig config and the password variable are shared with the integration tests
from integration.helpers import PASSWORD_ENV, write_config  # noqa: F401 - h.write_config

from mailbot.stamp import kind_of

REPO = Path(__file__).resolve().parents[2]
CALL = "d.butryn@dops.wroc.pl"
WARSAW = ZoneInfo("Europe/Warsaw")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WINDOW_START = datetime(2024, 5, 6, 8, 0, tzinfo=WARSAW)
WINDOW_END = datetime(2024, 5, 24, 20, 0, tzinfo=WARSAW)

#: how a stored file is named in storage.files: by SHA-256, never by the attachment's name
STORED_NAME = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}(\.eml)?$")


def env() -> dict[str, str]:
    """The environment for mailbot subprocesses (password set by the test's monkeypatch)."""
    out = dict(os.environ)
    out["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), out.get("PYTHONPATH")) if p)
    out.pop("CI_PROGRESS", None)
    return out


def cmd(config: Path, *args: str, verbose: int = 0) -> list[str]:
    flags = ["-" + "v" * verbose] if verbose else []
    return [sys.executable, "-m", "mailbot", "--config", str(config), *flags, *args]


def run(
    config: Path, *args: str, timeout: float = 120, verbose: int = 0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        cmd(config, *args, verbose=verbose),
        capture_output=True,
        text=True,
        env=env(),
        cwd=REPO,
        timeout=timeout,
        check=False,
    )


def export(config: Path) -> dict:
    """`mailbot export` (JSON): applications and messages."""
    done = run(config, "export")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def db(config: Path) -> sqlite3.Connection:
    """A read connection to the installation's SQLite file (tests only read through it)."""
    conn = sqlite3.connect(str(config.parent / "state" / "mailbot.db"), timeout=30)
    conn.row_factory = sqlite3.Row
    return conn


def query(config: Path, sql: str, params: Sequence[object] = ()) -> list[sqlite3.Row]:
    conn = db(config)
    try:
        return list(conn.execute(sql, list(params)))
    finally:
        conn.close()


def table_exists(config: Path, name: str) -> bool:
    return bool(query(config, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", [name]))


# --- mail ------------------------------------------------------------------------------------


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=WARSAW)


def spread(i: int, n: int) -> datetime:
    """The i-th of n moments spread over the call window (Europe/Warsaw)."""
    span = (WINDOW_END - WINDOW_START).total_seconds()
    return WINDOW_START + timedelta(seconds=int(span * i / max(n, 1)))


def application(
    sender: str,
    msgid: str,
    docx: bytes | None,
    *,
    subject: str = "Zgłoszenie do naboru",  # names the call: without a form, still a letter
    name: str = "Osoba",
    date: datetime | None = None,
    filename: str = "formularz.docx",
    headers: str = "",
    body: str = "Dzień dobry,\r\nw załączeniu formularz.\r\n",
) -> bytes:
    """A person's e-mail (UTF-8 subject via RFC 2047) with the DOCX attached, or none."""
    date = date or at(14)
    subj = Header(subject, "utf-8").encode()
    display = Header(name, "utf-8").encode()
    head = (
        f"From: {display} <{sender}>\r\nTo: {CALL}\r\nSubject: {subj}\r\n"
        f"Date: {format_datetime(date)}\r\nMessage-ID: {msgid}\r\n{headers}"
        "MIME-Version: 1.0\r\n"
    )
    if docx is None:
        return (
            head + "Content-Type: text/plain; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" + body
        ).encode("utf-8")
    return (
        head + 'Content-Type: multipart/mixed; boundary="=_b"\r\n\r\n--=_b\r\n'
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        + body
        + "\r\n--=_b\r\n"
        f'Content-Type: {DOCX_TYPE}; name="{filename}"\r\n'
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(docx) + "--=_b--\r\n"
    ).encode("utf-8")


def out_of_office(
    sender: str,
    msgid: str,
    *,
    subject: str = "Nieobecność w biurze",
    in_reply_to: str | None = None,
    auto_headers: bool = True,
) -> bytes:
    """An out-of-office answer; ``auto_headers=False`` is a naive robot without RFC 3834."""
    extra = (
        "Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n" if auto_headers else ""
    )
    if in_reply_to:
        extra += f"In-Reply-To: {in_reply_to}\r\nReferences: {in_reply_to}\r\n"
    return (
        f"From: Robot <{sender}>\r\nTo: {CALL}\r\nSubject: {subject}\r\n"
        f"Date: Wed, 15 May 2024 07:00:00 +0200\r\nMessage-ID: {msgid}\r\n{extra}"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Jestem nieobecna do 31 maja. W pilnych sprawach proszę dzwonić.\r\n"
    ).encode()


def bounce(i: int, original_to: str = "kogos@example.pl") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.pl>\r\n"
        f"To: {CALL}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        f"Date: Wed, 15 May 2024 07:01:00 +0200\r\nMessage-ID: <bounce-{i}@mx.example.pl>\r\n"
        "Return-Path: <>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"\r\n\r\n'
        "--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--R\r\n"
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.pl\r\n\r\n"
        f"Final-Recipient: rfc822; {original_to}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--R--\r\n"
    ).encode()


def append_many(
    dovecot, user: str, items: Iterable[tuple[bytes, datetime]], folder: str = "INBOX"
) -> list[int]:
    """APPEND many messages over one IMAP connection (with INTERNALDATE); their UIDs."""
    uids = []
    with dovecot.client(user, timeout=60) as client:
        for raw, when in items:
            response = client.append(folder, raw, msg_time=when)
            if isinstance(response, str):
                response = response.encode()
            match = re.search(rb"APPENDUID\s+\d+\s+(\d+)", response or b"", re.IGNORECASE)
            assert match, response
            uids.append(int(match.group(1)))
    return uids


# --- the SMTP sink ---------------------------------------------------------------------------


class _SlowHandler:
    """Wraps the sink's handler: waits before accepting each recipient (a slow SMTP server).

    The wait is at RCPT, before any DATA: a client killed meanwhile has delivered nothing and
    must send the reply again. DATA itself is answered at once, so the gap between the sink
    recording a message and the client reading ``250`` stays as small as on a real server.
    """

    def __init__(self, inner, delay: float) -> None:
        self.inner = inner
        self.delay = delay

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        return await self.inner.handle_DATA(server, session, envelope)


def slow_down(sink, delay: float) -> None:
    """Make a started SmtpSink wait ``delay`` seconds before it accepts each recipient."""
    controller = sink._controller
    assert controller is not None, "start the sink first"
    inner = controller.handler
    while isinstance(inner, _SlowHandler):
        inner = inner.inner
    controller.handler = _SlowHandler(inner, delay)


def replies(sink) -> list:
    """What the sink received that is a mailbot reply (not the digest)."""
    return [
        r
        for r in list(sink.messages)
        if kind_of(r.message["X-Mailbot-Reply"]) not in (None, "digest")
    ]


def reply_key(received) -> str:
    """The reply's own Message-ID (the same reply sent twice has the same one)."""
    return str(received.message["Message-ID"])


def stored_files(config: Path) -> list[Path]:
    root = config.parent / "state" / "files"
    return sorted(p for p in root.rglob("*") if p.is_file())


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


# --- peak memory of a command and everything it starts --------------------------------------

# A fresh, small process runs the command and measures it. Two things make a plain
# ``os.wait4`` from the test process wrong:
# * a child's ru_maxrss starts at its parent's high-water mark: vfork (or fork) and exec record
#   the old address space's peak, so a child of pytest reports pytest's own peak (hundreds of
#   MB after a long run) whatever the child itself uses;
# * processes the command leaves behind (the fork server, and the reader processes it reaped)
#   are re-parented when the command exits, and their peaks are counted by nobody.
# The wrapper is a child subreaper: those orphans are handed to it and waited for, and their
# ru_maxrss (which covers what they reaped) is counted too. It writes JSON to argv[1].
PEAK_WRAPPER = r"""
import ctypes, json, os, signal, sys, time
ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
pid = os.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
orphans, left = [], []
deadline = time.monotonic() + 30
while True:
    try:
        done, _st, ru = os.wait4(-1, os.WNOHANG)
    except ChildProcessError:
        break
    if done:
        orphans.append(ru.ru_maxrss)
    elif time.monotonic() > deadline:
        me = str(os.getpid())
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/stat") as fh:
                    ppid = fh.read().rsplit(")", 1)[1].split()[1]
            except (OSError, IndexError):
                continue
            if ppid == me:
                left.append(int(entry))
                os.kill(int(entry), signal.SIGKILL)
        deadline = float("inf")
    else:
        time.sleep(0.05)
with open(sys.argv[1], "w") as out:
    json.dump({"command_kib": usage.ru_maxrss, "orphans_kib": orphans, "left_running": left}, out)
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Peak:
    """Peak RSS (MiB) of a command's processes: the command's own (with every process it
    waited for) and those of processes it left behind (with every process they waited for)."""

    def __init__(self, figures: dict) -> None:
        self.command_mb = figures["command_kib"] / 1024
        self.orphans_mb = [kib / 1024 for kib in figures["orphans_kib"]]
        self.left_running = list(figures["left_running"])  # killed after 30 s

    @property
    def mb(self) -> float:
        return max([self.command_mb, *self.orphans_mb])

    def __str__(self) -> str:
        others = ", ".join(f"{mb:.0f}" for mb in self.orphans_mb) or "none"
        return f"{self.mb:.0f} MB (command {self.command_mb:.0f} MB; left behind: {others})"


def run_measured(command: Sequence[str], *, result: Path, **popen: object) -> tuple[int, Peak]:
    """Run ``command`` (Popen keyword arguments as given) through :data:`PEAK_WRAPPER`; its
    exit code and its peak memory. ``result`` is a scratch file for the figures."""
    proc = subprocess.Popen(
        [sys.executable, "-c", PEAK_WRAPPER, str(result), *command],
        **popen,  # type: ignore[call-overload]
    )
    code = proc.wait()
    return code, Peak(json.loads(result.read_text()))
