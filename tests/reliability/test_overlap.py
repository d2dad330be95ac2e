"""The worker, cron-run polls and an import, all at once, on one installation.

A cron `poll` that finds another pass running is skipped (exit 0, "skipped: another mailbot
pass is running"); an `import` waits for the lock. Whatever the interleaving: no process
crashes, SQLite never says "database is locked", no message is processed twice and no reply is
sent twice.
"""

from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import pytest

from mailbot.ops import samples

from . import helpers as h

pytestmark = pytest.mark.integration

N_IMAP = 200
N_FILES = 40
SKIP_NOTE = "skipped: another mailbot pass is running"


def _start(config: Path, logs: Path, name: str, *args: str) -> tuple[subprocess.Popen, Path]:
    out = logs / f"{name}.out"
    err = logs / f"{name}.err"
    proc = subprocess.Popen(
        h.cmd(config, *args), env=h.env(), cwd=h.REPO, stdout=out.open("wb"), stderr=err.open("wb")
    )
    return proc, logs / name


def _text(stem: Path, kind: str) -> str:
    return Path(f"{stem}.{kind}").read_text(encoding="utf-8", errors="replace")


def test_worker_cron_polls_and_import_at_once(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    docx = samples.filled_docx(samples.Applicant())
    imap_items = []
    for i in range(N_IMAP):
        when = h.spread(i, N_IMAP)
        raw = h.application(
            f"imap{i}@overlap.example.pl",
            f"<imap-{i}@overlap.example.pl>",
            docx if i % 4 else None,
            date=when,
        )
        imap_items.append((raw, when))
    h.append_many(dovecot, imap_user, imap_items)
    folder = tmp_path / "eml"
    folder.mkdir()
    for i in range(N_FILES):
        when = h.spread(i, N_FILES)
        raw = h.application(
            f"file{i}@overlap.example.pl", f"<file-{i}@overlap.example.pl>", docx, date=when
        )
        (folder / f"{i:03d}.eml").write_bytes(raw)
    config = h.write_config(
        tmp_path, dovecot, imap_user, smtp_sink, poll_minutes=1, limits={"replies_per_hour": 10_000}
    )
    h.slow_down(smtp_sink, 0.02)  # passes last long enough to overlap
    logs = tmp_path / "logs"
    logs.mkdir()

    started = time.monotonic()
    worker, worker_log = _start(config, logs, "worker", "run")
    others: list[tuple[str, subprocess.Popen, Path]] = []
    schedule = [
        (0.2, "poll1", ("poll",)),
        (0.5, "import", ("import", str(folder))),
        (0.9, "poll2", ("poll",)),
        (1.6, "poll3", ("poll",)),
        (3.0, "poll4", ("poll",)),
        (6.5, "poll5", ("poll",)),
    ]
    try:
        for at_s, name, args in schedule:
            time.sleep(max(0.0, at_s - (time.monotonic() - started)))
            proc, stem = _start(config, logs, name, *args)
            others.append((name, proc, stem))
        for _name, proc, _stem in others:
            proc.wait(timeout=120)
        # the worker polled at start (or was skipped); let it settle, then stop it
        time.sleep(1.0)
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)

    outcomes = {}
    for name, proc, stem in [*others, ("worker", worker, worker_log)]:
        out, err = _text(stem, "out"), _text(stem, "err")
        outcomes[name] = (proc.returncode, out.strip().splitlines()[-1:] if out else [])
        assert "Traceback" not in err, f"{name} crashed:\n{err[-3000:]}"
        assert "database is locked" not in err + out, f"{name}: {err[-2000:]}"
        assert proc.returncode == 0, f"{name} exited {proc.returncode}: {err[-2000:]}"
        if name.startswith("poll"):
            assert out.strip(), f"{name} printed nothing"
            assert SKIP_NOTE in out or "new message(s)" in out, out
    skipped = sum(1 for name, (_rc, last) in outcomes.items() if last and SKIP_NOTE in last[0])
    print(
        f"\noverlap: {N_IMAP} IMAP + {N_FILES} files; outcomes {outcomes}; "
        f"{skipped} poll(s) skipped; {time.monotonic() - started:.1f} s"
    )

    # everything is done: a last pass finds nothing to do and nothing to send
    last = h.run(config, "poll")
    assert last.returncode == 0, last.stderr
    assert last.stdout.startswith("0 new message(s)") and "0 reply(ies) sent" in last.stdout

    data = h.export(config)
    ids = Counter(m["message_id"] for m in data["messages"])
    assert len(ids) == N_IMAP + N_FILES
    assert max(ids.values()) == 1, [k for k, n in ids.items() if n > 1]
    assert {m["disposition"] for m in data["messages"]} == {"application"}
    assert all(m["replied"] for m in data["messages"])
    got = h.replies(smtp_sink)
    keys = Counter(h.reply_key(r) for r in got)
    to = Counter(r.rcpt_tos[0] for r in got)
    assert max(keys.values()) == 1, "a reply was sent twice"
    assert max(to.values()) == 1, "someone got two replies"
    assert len(got) == N_IMAP + N_FILES
    rows = h.query(
        config, "SELECT count(*), count(DISTINCT uid) FROM messages WHERE origin = 'imap'"
    )[0]
    assert tuple(rows) == (N_IMAP, N_IMAP)


def test_poll_is_skipped_and_import_waits_while_the_lock_is_held(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    dovecot.append(
        imap_user, h.application("a@lock.example.pl", "<lock-1@ex>", None), internaldate=h.at(14)
    )
    eml = tmp_path / "one.eml"
    eml.write_bytes(h.application("b@lock.example.pl", "<lock-2@ex>", None))
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    lock = tmp_path / "state" / "mailbot.lock"
    lock.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # "another pass" holds the pipeline lock
        t0 = time.monotonic()
        skipped = h.run(config, "poll", timeout=60)
        assert skipped.returncode == 0, skipped.stderr
        assert SKIP_NOTE in skipped.stdout + skipped.stderr
        assert time.monotonic() - t0 < 30
        importer = subprocess.Popen(
            h.cmd(config, "import", str(eml)),
            env=h.env(),
            cwd=h.REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(7)  # longer than poll's wait: an import keeps waiting
        assert importer.poll() is None, importer.communicate()
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    out, err = importer.communicate(timeout=60)
    assert importer.returncode == 0, err
    assert "1 new message(s)" in out
    assert len(smtp_sink.wait_for(1)) == 1
    # nothing was processed by the skipped poll; the next one does it
    done = h.run(config, "poll")
    assert done.returncode == 0 and done.stdout.startswith("1 new message(s)"), done
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.wait_for(2)) == [
        "a@lock.example.pl",
        "b@lock.example.pl",
    ]
