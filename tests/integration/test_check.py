"""`mailbot check` against the real rig: Dovecot IMAP, aiosmtpd SMTP with a login, SQLite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration

SMTP_ENV = "MAILBOT_TEST_SMTP_PASSWORD"


@pytest.fixture
def deployment(tmp_path, dovecot, imap_user, smtp_login):
    """A rig deployment as the IT person would set it up: folders made, passwords set."""
    path = write_config(
        tmp_path, dovecot, imap_user, smtp_login, imap_extra='archive_folder = "Nabor"\n'
    )
    text = path.read_text(encoding="utf-8").replace(
        f'port = {smtp_login.port}\nsecurity = "none"\n',
        f'port = {smtp_login.port}\nsecurity = "none"\nusername = "mailbot"\n'
        f'password_env = "{SMTP_ENV}"\n',
    )
    path.write_text(text, encoding="utf-8")
    with dovecot.client(imap_user) as client:
        client.create_folder("Sent")
        client.create_folder("Nabor")
    env = dict(os.environ, **{PASSWORD_ENV: dovecot.password, SMTP_ENV: "s3cret"})
    return path, env


def check(path: Path, env: dict[str, str]) -> tuple[int, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    print(done.stdout)  # shown with -s: what the IT person sees
    return done.returncode, done.stdout.splitlines()


def line(lines: list[str], item: str) -> str:
    found = [x for x in lines if x[6:].startswith(item + " ")]
    assert len(found) == 1, lines
    return found[0]


def test_check_passes_on_the_rig(deployment, smtp_login):
    path, env = deployment
    code, lines = check(path, env)
    assert code == 0, lines
    for item in (
        "config",
        "templates",
        "imap login",
        "imap idle",
        "imap.folder",
        "imap.sent_folder",
        "imap.archive_folder",
        "smtp login",
        "storage.database",
        "storage.files",
        "libreoffice",
    ):
        assert line(lines, item).split()[0] in ("ok", "warn"), lines
    assert "login mailbot accepted; nothing sent" in line(lines, "smtp login")
    assert "the server offers IDLE" in line(lines, "imap idle")  # Dovecot does
    assert smtp_login.messages == []
    assert smtp_login.auth_attempts == [("mailbot", True)]
    assert "'Sent'" in line(lines, "imap.sent_folder")


def test_check_names_the_fix_for_each_broken_item(deployment, smtp_login):
    path, env = deployment
    text = path.read_text(encoding="utf-8").replace(
        'archive_folder = "Nabor"', 'archive_folder = "Archiwum"'
    )
    path.write_text(text, encoding="utf-8")
    files = path.parent / "state" / "files"
    files.mkdir(parents=True, mode=0o700)
    files.chmod(0)
    env = dict(env, **{PASSWORD_ENV: "wrong", SMTP_ENV: "wrong"})
    code, lines = check(path, env)
    assert code == 1
    imap_line = line(lines, "imap login")
    assert imap_line.startswith("FAIL")
    assert f"check imap.username and the password in {PASSWORD_ENV}" in imap_line
    smtp_line = line(lines, "smtp login")
    assert smtp_line.startswith("FAIL") and "refused (535" in smtp_line
    assert (
        f"fix: check smtp.username and the password in the environment variable "
        f"{SMTP_ENV}" in smtp_line
    )
    store_line = line(lines, "storage.files")
    assert store_line.startswith("FAIL") and "mode 0000" in store_line
    assert f"fix: chmod 700 {files}" in store_line
    assert smtp_login.messages == []

    # the right password again: now the missing folder is named, with its fix
    env = dict(env, **{PASSWORD_ENV: deployment[1][PASSWORD_ENV]})
    files.chmod(0o700)
    code, lines = check(path, env)
    assert code == 1
    folder_line = line(lines, "imap.archive_folder")
    assert folder_line.startswith("FAIL") and "'Archiwum' does not exist" in folder_line
    assert (
        "fix: create the folder 'Archiwum' in the mailbox, or correct imap.archive_folder"
        in folder_line
    )
    assert line(lines, "imap.folder").startswith("ok")


def test_check_stops_at_a_config_typo(tmp_path, dovecot, imap_user, smtp_sink):
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    path.write_text(
        path.read_text(encoding="utf-8").replace("poll_minutes", "poll_minute"), encoding="utf-8"
    )
    code, lines = check(path, dict(os.environ))
    assert code == 1
    assert lines == [
        f"FAIL  config                 {path}: `schedule.poll_minute`: unknown key; "
        f"did you mean `poll_minutes`? — fix: correct the key named above in "
        f"{path}"
    ]
