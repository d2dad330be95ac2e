"""Unit tests of the mailbox side: folder placement, global options, imap.since and OAuth2 config,
the high-water-mark migration, the IDLE push check, token sources, error texts."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from imapclient.exceptions import IMAPClientError, LoginError

from mailbot.cli import cli
from mailbot.cli_base import hoist_global_options
from mailbot.config import OAuth2Config, parse_config
from mailbot.errors import ConfigError, TokenError
from mailbot.mail import oauth2
from mailbot.mail.idle import IdleStatus
from mailbot.mail.imap import ServerInfo, mailbox_key, place_folder
from mailbot.mail.imap_session import server_text
from mailbot.mail.sources import received_since
from mailbot.models import RawMessage
from mailbot.ops import worker
from mailbot.storage import store

WARSAW = ZoneInfo("Europe/Warsaw")
IMAP = {
    "host": "mail.example.org",
    "port": 993,
    "security": "ssl",
    "username": "nabor",
    "password_env": "X",
}


def minimal() -> dict:
    return {
        "call": {
            "name": "Nabór",
            "opens_at": datetime(2024, 5, 6, tzinfo=WARSAW),
            "closes_at": datetime(2024, 5, 24, 23, 59, 59, tzinfo=WARSAW),
            "timezone": "Europe/Warsaw",
            "address": "nabor@example.org",
            "groups": [{"number": 1, "name": "Jedna"}, {"number": 2, "name": "Dwie"}],
        }
    }


def imap_config(**keys: object):
    data = minimal()
    data["imap"] = {**IMAP, **keys}
    return parse_config(data, base=Path("/tmp"))


# --- folders -----------------------------------------------------------------------------------

CYRUS = ServerInfo(prefix="INBOX.", separator=".", capabilities=frozenset())
DOVECOT = ServerInfo(prefix="", separator="/", capabilities=frozenset())


@pytest.mark.parametrize(
    ("info", "name", "placed"),
    [
        (CYRUS, "Archiwum", "INBOX.Archiwum"),
        (CYRUS, "INBOX.Archiwum", "INBOX.Archiwum"),
        (CYRUS, "inbox.Wysłane", "inbox.Wysłane"),
        (CYRUS, "INBOX", "INBOX"),
        (CYRUS, "Nabór 2024/Archiwum", "INBOX.Nabór 2024.Archiwum"),
        (DOVECOT, "Archiwum", "Archiwum"),
        (DOVECOT, "Nabór 2024/Archiwum", "Nabór 2024/Archiwum"),
        (DOVECOT, "INBOX", "INBOX"),
    ],
)
def test_folders_are_placed_in_the_personal_namespace(info, name, placed):
    assert place_folder(info, name) == placed


def test_the_high_water_mark_does_not_name_the_host():
    one = imap_config(host="127.0.0.1")
    other = imap_config(host="localhost")
    assert mailbox_key(one.imap) == mailbox_key(other.imap) == "nabor/INBOX"


# --- command line ------------------------------------------------------------------------------

COMMANDS = {"poll", "import", "run"}


@pytest.mark.parametrize(
    ("args", "hoisted"),
    [
        (["poll", "--config", "x.toml"], ["--config", "x.toml", "poll"]),
        (["poll", "-v", "--config=x.toml"], ["-v", "--config=x.toml", "poll"]),
        (
            ["-v", "poll", "-vv", "--since", "2024-04-01"],
            ["-v", "-vv", "poll", "--since", "2024-04-01"],
        ),
        (
            ["import", "--no-send", "a.eml", "--config", "c.toml"],
            ["--config", "c.toml", "import", "--no-send", "a.eml"],
        ),
        (["import", "--", "--config"], ["import", "--", "--config"]),
        (["--config", "c.toml", "poll"], ["--config", "c.toml", "poll"]),
        (["--config", "run", "poll", "-v"], ["--config", "run", "-v", "poll"]),
    ],
)
def test_global_options_after_the_command_are_moved_before_it(args, hoisted):
    assert hoist_global_options(args, COMMANDS) == hoisted


def test_config_after_the_command_is_used(tmp_path):
    absent = tmp_path / "absent.toml"
    result = CliRunner().invoke(cli, ["poll", "--config", str(absent)])
    assert result.exit_code == 78
    assert str(absent) in result.output  # the file named after the command was looked for


# --- config ------------------------------------------------------------------------------------


def test_since_defaults_to_two_weeks_before_the_call_opens_in_its_zone():
    config = imap_config()
    assert config.mail_since() == datetime(2024, 4, 22, tzinfo=WARSAW)
    assert imap_config(since=date(2024, 5, 1)).mail_since() == datetime(2024, 5, 1, tzinfo=WARSAW)
    assert imap_config(since="2024-05-02").mail_since(date(2023, 1, 1)) == datetime(
        2023, 1, 1, tzinfo=WARSAW
    )  # --since wins
    with pytest.raises(ConfigError, match=r"imap\.since"):
        imap_config(since="maj 2024")


def test_sent_folder_and_auth_keys():
    config = imap_config(sent_folder="Wysłane", save_sent=False)
    assert config.imap.sent_folder == "Wysłane" and config.imap.save_sent is False
    assert imap_config().imap.sent_folder == "Sent" and imap_config().imap.save_sent
    with pytest.raises(ConfigError, match=r"imap\.oauth2_token_command"):
        imap_config(auth="oauth2")
    with pytest.raises(ConfigError, match=r"imap\.oauth2_refresh_token_env"):
        imap_config(
            auth="oauth2", oauth2_token_url="https://login.example/token", oauth2_client_id="abc"
        )
    with pytest.raises(ConfigError, match=r"imap\.oauth2_token_url"):
        imap_config(
            auth="oauth2",
            oauth2_token_url="http://login.example/token",
            oauth2_client_id="abc",
            oauth2_refresh_token_env="R",
        )
    data = minimal()
    data["imap"] = {k: v for k, v in IMAP.items() if k != "password_env"}
    data["imap"].update(auth="oauth2", oauth2_token_command="oauth2-token nabor")
    config = parse_config(data, base=Path("/tmp"))  # no password_env needed
    assert config.imap.auth == "oauth2" and config.imap.oauth2.mechanism == "auto"
    data["smtp"] = {"host": "smtp.example.org", "auth": "oauth2", "oauth2_token_command": "x"}
    with pytest.raises(ConfigError, match=r"smtp\.username"):
        parse_config(data, base=Path("/tmp"))


# --- migration of the high-water mark ----------------------------------------------------------


def test_migration_drops_the_host_from_marks_and_message_keys(tmp_path, monkeypatch):
    db, files = tmp_path / "m.db", tmp_path / "files"
    monkeypatch.setattr(store, "SCHEMA_VERSION", 4)
    with store.Store(db, files) as old, old.transaction():
        for host, last in (("127.0.0.1", 7), ("localhost", 3)):
            old.set_state(f"imap:a.b@urzad.pl@{host}/INBOX:uidvalidity", "42")
            old.set_state(f"imap:a.b@urzad.pl@{host}/INBOX:last_uid", str(last))
        for uid, host in ((5, "127.0.0.1"), (6, "127.0.0.1"), (5, "localhost")):
            old.insert(
                "messages",
                {
                    "message_id": f"<{uid}{host}@x>",
                    "origin": "imap",
                    "mailbox": f"a.b@urzad.pl@{host}/INBOX",
                    "uidvalidity": 42,
                    "uid": uid,
                    "sha256": f"{uid}{host}",
                    "disposition": "application",
                    "received_at": "2024-05-14T08:00:00+00:00",
                },
            )
        old.insert(
            "messages",
            {
                "message_id": "<f@x>",
                "origin": "file",
                "mailbox": "/tmp/a@b/c.eml",
                "sha256": "f",
                "disposition": "application",
                "received_at": "2024-05-14T08:00:00+00:00",
            },
        )
        old.insert("replies", {"message_pk": 1, "to_addr": "x@y", "state": "sent", "raw": b"x"})
    monkeypatch.setattr(store, "SCHEMA_VERSION", 6)
    with store.Store(db, files) as new:
        assert new.get_state("imap:a.b@urzad.pl/INBOX:uidvalidity") == "42"
        assert new.get_state("imap:a.b@urzad.pl/INBOX:last_uid") == "7"  # the higher mark
        assert (
            new.db.execute(
                "SELECT count(*) FROM meta WHERE key LIKE '%@127.0.0.1%' OR key LIKE '%@localhost%'"
            ).fetchone()[0]
            == 0
        )
        assert new.seen_uid("a.b@urzad.pl/INBOX", 42, 5) and new.seen_uid(
            "a.b@urzad.pl/INBOX", 42, 6
        )
        assert (
            new.db.execute("SELECT mailbox FROM messages WHERE origin = 'file'").fetchone()[0]
            == "/tmp/a@b/c.eml"
        )
        assert new.db.execute("SELECT sent_copy FROM replies").fetchone()[0] == "not_saved"
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 6


# --- IDLE that does not push -------------------------------------------------------------------


class _Report:
    def __init__(self, processed: int) -> None:
        self.messages = type("M", (), {"processed": processed})()


def test_scheduled_poll_shortens_the_interval_when_idle_missed_new_mail(monkeypatch, caplog):
    found = iter([2, 0, 1, 3, 0])
    passes: list[float] = []
    clock = [0.0]

    def poll_job(config, retry=None):
        passes.append(clock[0])
        return _Report(next(found))

    monkeypatch.setattr(worker, "poll_job", poll_job)
    status = IdleStatus(offered=True, watching=True)
    job = worker.ScheduledPoll(imap_config(), status, clock=lambda: clock[0])

    def wake_every_minute(minutes: int) -> None:
        for _ in range(minutes):
            job()
            clock[0] += 60

    wake_every_minute(5)  # the start-up pass finds what came while the worker was down
    assert passes == [0.0] and not job.shortened  # ... and is no judgement on IDLE
    wake_every_minute(5)  # nothing new: fine
    status.pushed()  # IDLE announced mail; the pass it triggered raced with this one
    wake_every_minute(5)
    assert passes == [0.0, 300.0, 600.0] and not job.shortened
    wake_every_minute(1)  # new mail, no push since the last scheduled pass: IDLE does not push
    assert job.shortened and passes[-1] == 900.0
    assert "IDLE is offered but announced none of the 3 new message(s)" in caplog.text
    wake_every_minute(1)
    assert passes[-1] == 960.0  # every minute now


def test_no_judgement_when_idle_is_not_watching(monkeypatch):
    calls = []
    monkeypatch.setattr(
        worker, "poll_job", lambda config, retry=None: calls.append(1) or _Report(5)
    )
    clock = [0.0]
    job = worker.ScheduledPoll(
        imap_config(), IdleStatus(offered=False, watching=False), clock=lambda: clock[0]
    )
    for _ in range(3):
        job()
        clock[0] += 300
    assert len(calls) == 3 and not job.shortened


# --- OAuth2 ------------------------------------------------------------------------------------


def _token_config(command: str) -> OAuth2Config:
    return OAuth2Config(token_command=command)


def test_token_from_a_command_is_reused_until_it_nears_expiry(tmp_path):
    from rig.oauth2 import make_jwt

    runs = tmp_path / "runs"
    script = tmp_path / "mint.py"
    script.write_text(
        "import pathlib, sys\n"
        f"p = pathlib.Path({str(runs)!r}); p.write_text(p.read_text() + 'x' if p.exists() "
        "else 'x')\n"
        f"print({make_jwt(b'k', 'a@b', 3600)!r})\n"
    )
    source = oauth2.TokenSource(_token_config(f"{sys.executable} {script}"), "imap")
    first = source.token()
    assert source.token() == first and runs.read_text() == "x"  # cached: valid an hour
    source.token(renew=True)
    assert runs.read_text() == "xx"  # a refusal renews at once


def test_a_failing_token_command_says_why(tmp_path):
    source = oauth2.TokenSource(_token_config("echo 'refresh token expired' >&2; exit 3"), "smtp")
    with pytest.raises(
        TokenError,
        match=r"smtp.oauth2_token_command failed \(refresh token "
        r"expired\)",
    ):
        source.token()
    with pytest.raises(TokenError, match="printed no access token"):
        oauth2.TokenSource(_token_config("true"), "imap").token()


def test_sasl_strings_and_mechanism_choice():
    assert oauth2.xoauth2("a@b", "T") == "user=a@b\x01auth=Bearer T\x01\x01"
    assert (
        oauth2.oauthbearer("a,b=c@d", "T", "h", 993)
        == "n,a=a=2Cb=3Dc@d,\x01host=h\x01port=993\x01auth=Bearer T\x01\x01"
    )
    assert oauth2.choose_mechanism("auto", {"XOAUTH2", "OAUTHBEARER"}) == "XOAUTH2"
    assert oauth2.choose_mechanism("auto", {"OAUTHBEARER"}) == "OAUTHBEARER"
    assert oauth2.choose_mechanism("OAUTHBEARER", {"XOAUTH2"}) == "OAUTHBEARER"
    assert oauth2.jwt_expiry("opaque-token") is None


# --- error texts, import since -----------------------------------------------------------------


def test_server_text_has_no_bytes_repr_and_no_timings():
    assert (
        server_text(LoginError("b'[AUTHENTICATIONFAILED] Authentication failed.'"))
        == "[AUTHENTICATIONFAILED] Authentication failed"
    )
    assert server_text(IMAPClientError("create failed: Permission denied")) == "Permission denied"
    assert (
        server_text(
            IMAPClientError("select failed: Mailbox doesn't exist: X (0.001 + 0.000 secs).")
        )
        == "Mailbox doesn't exist: X"
    )


def test_import_leaves_out_mail_received_before_since():
    def mail(received: str | None, date_header: str) -> RawMessage:
        head = f"Received: from a by b; {received}\r\n" if received else ""
        raw = (head + f"Date: {date_header}\r\nFrom: a@b.pl\r\nSubject: x\r\n\r\nx\r\n").encode()
        return RawMessage(raw=raw, origin="file", mailbox="x")

    since = datetime(2024, 4, 22, tzinfo=WARSAW)
    kept = list(
        received_since(
            [
                mail("Sun, 21 Apr 2024 23:30:00 +0200", "Sun, 21 Apr 2024 23:00:00 +0200"),
                mail("Mon, 22 Apr 2024 00:30:00 +0200", "Sun, 21 Apr 2024 23:00:00 +0200"),
                mail(None, "Tue, 01 Aug 2023 09:00:00 +0200"),
                mail(None, "Tue, 14 May 2024 10:00:00 +0200"),
            ],
            since,
        )
    )
    assert [m.raw.split(b"\r\n")[0][-14:] for m in kept] == [b"00:30:00 +0200", b"10:00:00 +0200"]


# --- Sent copies: a refused copy does not cost the others theirs -------------------------------


class _SentServer:
    """A fake IMAP client: MULTIAPPEND says NO when any copy is refused; APPEND raises."""

    def __init__(self, refuse: bytes) -> None:
        self.refuse = refuse
        self.folder: list[bytes] = []

    def multiappend(self, folder: str, copies: list[dict]) -> tuple[str, list[bytes]]:
        if any(self.refuse in c["msg"] for c in copies):
            return "NO", [b"[OVERQUOTA] too big"]
        self.folder += [c["msg"] for c in copies]
        return "OK", [b"done"]

    def append(self, folder: str, msg: bytes, flags: tuple, msg_time: object) -> None:
        if self.refuse in msg:
            raise IMAPClientError("append failed: [OVERQUOTA] too big")
        self.folder.append(msg)


def test_a_refused_copy_is_marked_and_the_batch_is_saved_one_by_one(tmp_path):
    from mailbot.mail.sentfolder import _append

    with store.Store(tmp_path / "s.db", tmp_path / "files") as db:
        with db.transaction():
            ids = [
                db.insert(
                    "replies",
                    {
                        "message_pk": None,
                        "to_addr": f"{i}@x",
                        "state": "sent",
                        "raw": f"Subject: {i}\nbody {i}\n".encode(),
                        "sent_at": "2024-05-14T08:00:00+00:00",
                    },
                )
                for i in range(4)
            ]
        server = _SentServer(refuse=b"body 2")
        rows = [
            (i, raw, at)
            for i, raw, at in db.db.execute("SELECT id, raw, sent_at FROM replies ORDER BY id")
        ]
        assert _append(server, db, "Sent", rows) == 3  # type: ignore[arg-type]
        states = dict(db.db.execute("SELECT id, sent_copy FROM replies").fetchall())
        assert states == {ids[0]: "saved", ids[1]: "saved", ids[2]: "not_saved", ids[3]: "saved"}
        assert all(m.endswith(b"\r\n") and b"\n\n" not in m for m in server.folder)  # CRLF
        assert (
            db.db.execute("SELECT count(*) FROM events WHERE kind = 'sent_copy_failed'").fetchone()[
                0
            ]
            == 1
        )
