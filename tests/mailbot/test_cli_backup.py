"""mailbot/cli_backup.py: `mailbot backup DEST` and `mailbot restore SRC --no-mailbox` from the
command line, on a real database and file store."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner
from stored_rows import message

from mailbot.cli import cli
from mailbot.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]


def config_file(tmp_path: Path) -> Path:
    call = (ROOT / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp_path / "config.toml"
    path.write_text(
        call + '\n[storage]\ndatabase = "state/mailbot.db"\nfiles = "state/files"\n'
        'lock = "state/mailbot.lock"\n',
        encoding="utf-8",
    )
    assert "imap" not in tomllib.loads(path.read_text(encoding="utf-8"))
    return path


def test_a_snapshot_taken_then_restored_brings_the_database_back(tmp_path):
    path = config_file(tmp_path)
    database, files = tmp_path / "state" / "mailbot.db", tmp_path / "state" / "files"
    with Store(database, files) as store:
        raw = store.save_file(b"From: anna\r\n\r\nformularz", "ab" + "1" * 62, ".eml")
        message(store, subject="Przed kopią", raw_file=raw)
    runner = CliRunner()
    taken = runner.invoke(cli, ["--config", str(path), "backup", str(tmp_path / "kopie")])
    assert taken.exit_code == 0, taken.output
    snapshots = [p for p in (tmp_path / "kopie").iterdir() if p.is_dir()]
    assert len(snapshots) == 1

    with Store(database, files) as store:
        message(store, subject="Po kopii")
    back = runner.invoke(
        cli, ["restore", str(tmp_path / "kopie"), "--no-mailbox", "--config", str(path)]
    )
    assert back.exit_code == 0, back.output
    with Store(database, files) as store:
        subjects = [r[0] for r in store.conn.execute("SELECT subject FROM messages")]
        assert subjects == ["Przed kopią"]
        assert store.read_file(raw) == b"From: anna\r\n\r\nformularz"


def test_a_missing_snapshot_folder_and_a_bad_keep_are_refused_before_anything_runs(tmp_path):
    path = config_file(tmp_path)
    runner = CliRunner()
    missing = runner.invoke(cli, ["--config", str(path), "restore", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
    keep = runner.invoke(cli, ["--config", str(path), "backup", str(tmp_path / "k"), "--keep", "0"])
    assert keep.exit_code == 2 and not (tmp_path / "k").exists()


def test_restoring_something_that_is_no_snapshot_says_so_with_its_exit_code(tmp_path):
    path = config_file(tmp_path)
    (tmp_path / "empty").mkdir()
    done = CliRunner().invoke(
        cli, ["--config", str(path), "restore", str(tmp_path / "empty"), "--no-mailbox"]
    )
    assert done.exit_code == 65  # README: 65, the snapshot is not whole
    assert done.output.startswith("mailbot: ") and "not a mailbot snapshot" in done.output
