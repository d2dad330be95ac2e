"""The restore drill and the reinstall drill, through a real Dovecot and aiosmtpd, with and
without ``imap.archive_folder``: after ``mailbot restore`` of last night's snapshot, after the
state copied back by hand, and with a new database over the used mailbox, the next pass sends
no second reply, loses no application, gives no number twice, and Sent holds one copy of each
letter. ``mailbot check`` says the database is behind before it is read back."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs

from .drill import Drill, Figures, copy_state, put_state_back
from .helpers import PASSWORD_ENV, REPO

pytestmark = pytest.mark.integration

ARCHIVE = pytest.mark.parametrize("archive", [False, True], ids=["inbox", "archive_folder"])


def mailbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args, "--config", str(config)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
        env=dict(os.environ),
    )


def clean(figures: Figures, applicants: int) -> None:
    """What every drill must end with: one letter per applicant, each once in Sent."""
    print(figures.line())
    assert figures.second_replies == 0
    assert figures.letters == applicants
    assert (figures.lost_db, figures.lost_export, figures.lost_resolution) == (0, 0, 0)
    assert figures.numbers_given_twice == 0
    assert figures.sent_copies == applicants
    assert figures.sent_copies_per_letter == 1
    assert figures.sent_copies_per_person == 1


def behind(drill: Drill) -> str:
    """`mailbot check`'s line about the database (it fails while the database is behind)."""
    done = mailbot(drill.config_path, "check")
    line = next(x for x in done.stdout.splitlines() if "database " in x[:20])
    return ("exit 1: " if done.returncode == 1 else f"exit {done.returncode}: ") + line


def the_sixteenth(drill: Drill) -> None:
    drill.deliver(1)
    drill.poll()
    figures = drill.figures()
    clean(figures, 16)
    assert figures.last_number == "DKRES-2024-0016"


@ARCHIVE
def test_restore_drill(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, archive):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive)
    drill.deliver(10)
    drill.poll()
    assert drill.figures().letters == 10

    done = mailbot(drill.config_path, "backup", str(tmp_path / "backups"))
    assert done.returncode == 0, done.stderr
    (snapshot,) = (tmp_path / "backups").iterdir()
    assert "10 application(s)" in done.stdout and str(snapshot) in done.stdout

    drill.deliver(5)
    drill.poll()
    clean(drill.figures(), 15)

    done = mailbot(drill.config_path, "restore", str(snapshot), "--no-mailbox")
    assert done.returncode == 0, done.stderr
    assert "10 application(s)" in done.stdout and "before-restore-" in done.stdout
    with jobs.open_store(drill.config) as store:
        assert store.conn.execute("SELECT count(*) FROM applications").fetchone()[0] == 10

    line = behind(drill)
    print(line)
    assert line.startswith("exit 1: FAIL") and "behind the mailbox" in line
    assert "mailbot poll" in line  # the fix
    if archive:
        assert "5 message(s)" in line

    dry = mailbot(drill.config_path, "poll", "--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.count("answered before: its accepted letter is in Sent") == 5
    assert "0 reply(ies) would be sent" in dry.stdout
    assert len(drill.letters()) == 15  # the dry run sent nothing

    report = drill.poll()
    assert report.replies is not None and report.replies.sent == 0
    assert report.resync is not None and report.resync.found == 5
    assert "found in Sent (not sent again)" in report.summary()
    clean(drill.figures(), 15)
    assert behind(drill).startswith("exit 0: ok")
    the_sixteenth(drill)


@ARCHIVE
def test_reinstall_drill(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, archive):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive)
    drill.deliver(10)
    drill.poll()
    drill.deliver(5)
    drill.poll()
    with jobs.open_store(drill.config) as store:
        before = dict(
            store.conn.execute(
                "SELECT lower(json_extract(fields, '$.email')), reference FROM applications"
            )
        )
    drill.reinstall()

    line = behind(drill)
    print(line)
    assert line.startswith("exit 1: FAIL") and "behind the mailbox" in line

    drill.poll()
    clean(drill.figures(), 15)
    with jobs.open_store(drill.config) as store:
        after = dict(
            store.conn.execute(
                "SELECT lower(json_extract(fields, '$.email')), reference FROM applications"
            )
        )
        sent = store.conn.execute(
            "SELECT count(*) FROM replies WHERE state = 'sent' AND sent_copy = 'saved'"
        ).fetchone()[0]
    assert after == before  # every applicant keeps the number its letter carried
    assert sent == 15  # each letter recorded as sent, from its copy in Sent
    the_sixteenth(drill)


@ARCHIVE
def test_state_copied_back_by_hand_then_a_reinstall(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch, archive
):
    """The issue's probe: the state folder copied and put back without mailbot, then the
    machine reinstalled over the same mailbox; nothing is answered a second or third time."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive)
    drill.deliver(10)
    drill.poll()
    copy_state(drill.config, tmp_path / "copy")
    drill.deliver(5)
    drill.poll()
    put_state_back(drill.config, tmp_path / "copy")
    drill.poll()
    clean(drill.figures(), 15)
    drill.reinstall()
    drill.poll()
    clean(drill.figures(), 15)
    the_sixteenth(drill)


def test_restore_reads_the_mailbox_back_at_once(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    """`mailbot restore` without --no-mailbox re-synchronises itself: the archived
    applications are back before the next pass, with their numbers, and nothing was sent.
    Nightly snapshots link the files the previous one holds; --keep removes the oldest."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive=True)
    drill.deliver(3)
    drill.poll()
    done = mailbot(drill.config_path, "backup", str(tmp_path / "first"))
    assert done.returncode == 0, done.stderr
    (three,) = (tmp_path / "first").iterdir()
    drill.deliver(2)
    drill.poll()
    letters = len(drill.letters())
    assert letters == 5

    for _ in range(3):
        done = mailbot(drill.config_path, "backup", str(tmp_path / "nightly"), "--keep", "2")
        assert done.returncode == 0, done.stderr
    assert "removed the older snapshot" in done.stdout
    first, second = sorted((tmp_path / "nightly").iterdir())
    files = json.loads((first / "manifest.json").read_text())["files"]
    assert files == json.loads((second / "manifest.json").read_text())["files"]
    rel = next(iter(files))
    assert (first / "files" / rel).stat().st_ino == (second / "files" / rel).stat().st_ino

    done = mailbot(drill.config_path, "restore", str(three))
    assert done.returncode == 0, done.stderr
    assert "re-synchronised with the mailbox" in done.stdout and "nothing was sent" in done.stdout
    assert len(drill.letters()) == letters
    with jobs.open_store(drill.config) as store:
        refs = sorted(r[0] for r in store.conn.execute("SELECT reference FROM applications"))
    assert refs == [f"DKRES-2024-{n:04d}" for n in range(1, 6)]
    assert behind(drill).startswith("exit 0: ok")
    drill.poll()
    clean(drill.figures(), 5)


def test_a_snapshot_is_private_and_checked(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive=False)
    drill.deliver(2)
    drill.poll()
    assert mailbot(drill.config_path, "backup", str(tmp_path / "b")).returncode == 0
    (snapshot,) = (tmp_path / "b").iterdir()
    assert stat.S_IMODE((tmp_path / "b").stat().st_mode) == 0o700
    for path in [snapshot, *snapshot.rglob("*")]:
        want = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == want, path
    manifest = json.loads((snapshot / "manifest.json").read_text())
    assert manifest["database"]["integrity_check"] == "ok"
    assert len(manifest["files"]) >= 4  # two raw messages, two forms

    # a damaged file: the snapshot is refused, nothing is touched
    damaged = snapshot / "files" / next(iter(manifest["files"]))
    os.chmod(damaged, 0o600)
    damaged.write_bytes(b"bit rot")
    database = load_config(drill.config_path).storage.database
    mtime = database.stat().st_mtime_ns
    done = mailbot(drill.config_path, "restore", str(snapshot))
    assert done.returncode == 65
    assert "missing or damaged" in done.stderr
    assert database.stat().st_mtime_ns == mtime
    # the folder of snapshots stands for the newest: the same one, refused the same way
    done = mailbot(drill.config_path, "restore", str(tmp_path / "b"))
    assert done.returncode == 65 and str(snapshot) in done.stderr


def test_without_copies_in_sent_a_restore_answers_nobody_twice(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    """imap.save_sent = false: the mailbox keeps no copy of the letters, so after a restore
    mail received before it that the database does not know may have been answered. It is
    stored and numbered, and its letter is left to a person; mail after the restore is
    answered as always. `mailbot check` warns that Sent keeps nothing."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive=False, save_sent=False)
    drill.deliver(3)
    drill.poll()
    assert mailbot(drill.config_path, "backup", str(tmp_path / "b")).returncode == 0
    (snapshot,) = (tmp_path / "b").iterdir()
    drill.deliver(2)
    drill.poll()
    assert len(drill.letters()) == 5 and drill.sent_folder() == []
    done = mailbot(drill.config_path, "restore", str(snapshot))
    assert done.returncode == 0, done.stderr
    line = behind(drill)
    assert line.startswith("exit 0: warn") and "imap.save_sent = false" in line

    drill.poll()
    figures = drill.figures()
    print(figures.line())
    assert figures.second_replies == 0 and figures.letters == 5
    assert (figures.lost_db, figures.lost_export) == (0, 0)
    with jobs.open_store(drill.config) as store:
        withheld = store.conn.execute(
            "SELECT count(*) FROM applications WHERE reply_withheld LIKE '%kopii zapasowej%'"
        ).fetchone()[0]
    assert withheld == 2  # the two that came after the snapshot: a person decides

    drill.deliver(1, when=datetime.now(UTC) + timedelta(minutes=1))
    drill.poll()
    assert len(drill.letters()) == 6  # mail after the restore is answered as always


def test_reinstall_over_a_cyrus_mailbox(tmp_path, cyrus, smtp_sink, monkeypatch):
    """The same on Cyrus, where the archive and Sent folders live under ``INBOX.``: a new
    database over the used mailbox reads the archive and Sent back and sends nothing."""
    monkeypatch.setenv(PASSWORD_ENV, cyrus.password)
    drill = Drill(tmp_path, cyrus, cyrus.new_user(), smtp_sink, archive=True)
    drill.deliver(4)
    drill.poll()
    assert cyrus.count(drill.user, "INBOX.Archiwum") == 4
    assert cyrus.count(drill.user, "INBOX.Sent") == 4
    drill.reinstall()
    line = behind(drill)
    assert line.startswith("exit 1: FAIL") and "'INBOX.Archiwum' holds 4 message(s)" in line
    drill.poll()
    drill.deliver(1)
    drill.poll()
    assert len(drill.letters()) == 5
    assert cyrus.count(drill.user, "INBOX.Sent") == 5
    with jobs.open_store(drill.config) as store:
        refs = sorted(r[0] for r in store.conn.execute("SELECT reference FROM applications"))
    assert refs == [f"DKRES-2024-{n:04d}" for n in range(1, 6)]


def test_copies_saved_after_the_snapshot_are_not_saved_again(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    """A snapshot taken after the letters went out but before their copies were saved (the
    Sent folder unreachable for a while): after the restore, Sent still holds one copy each,
    and the letters queued in the snapshot that went out after it are not sent again."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    drill = Drill(tmp_path, dovecot, imap_user, smtp_sink, archive=False)
    drill.deliver(3)
    drill.poll()
    copy_state(drill.config, tmp_path / "copy")
    conn = sqlite3.connect(tmp_path / "copy" / "mailbot.db")
    with conn:
        conn.execute("UPDATE replies SET sent_copy = NULL WHERE id = 1")  # not saved yet
        conn.execute("UPDATE replies SET state = 'queued', sent_at = NULL WHERE id = 2")
    conn.close()  # the last connection writes the change into the file itself
    put_state_back(drill.config, tmp_path / "copy")
    report = drill.poll()
    assert report.replies is not None and report.replies.sent == 0
    clean(drill.figures(), 3)
