"""OAuth2 mailboxes: IMAP and SMTP with SASL XOAUTH2 / OAUTHBEARER against a Dovecot that takes
only bearer tokens and an aiosmtpd that takes only XOAUTH2 / OAUTHBEARER; the token from a
command and from mailbot's own refresh-token flow; renewed when refused; errors name the fix."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rig.oauth2 import DovecotOAuth2, OAuthSmtpSink, TokenEndpoint, make_jwt

from mailbot.config import load_config
from mailbot.ops import jobs, samples

from .helpers import REPO, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
USER = "nabor@urzad.test"
WHEN = datetime(2024, 5, 14, 10, 0, tzinfo=WARSAW)


def application(i: int) -> bytes:
    person = samples.Applicant(full_name=f"Osoba {i}", email=f"osoba{i}@example.pl")
    return samples.email_with(
        f"Osoba {i} <{person.email}>",
        "Zgłoszenie",
        "W załączeniu.",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 14, 10, i % 60),
        attachments=(("f.docx", samples.filled_docx(person), DOCX),),
    )


def config_for(
    tmp: Path,
    dovecot: DovecotOAuth2,
    sink: OAuthSmtpSink,
    user: str,
    imap_auth: str,
    smtp_auth: str,
) -> Path:
    path = write_config(tmp, dovecot, user, sink, imap_extra='auth = "oauth2"\n' + imap_auth)
    text = path.read_text(encoding="utf-8")
    head, rest = text.split("[smtp]", 1)
    rest = rest.split("[storage]", 1)[1]
    smtp = (
        f'[smtp]\nhost = "{sink.host}"\nport = {sink.port}\nsecurity = "starttls"\n'
        f'ca_file = "{sink.cafile}"\ntimeout = 10\nusername = "{user}"\nauth = "oauth2"\n'
        f"{smtp_auth}\n"
    )
    path.write_text(head + smtp + "[storage]" + rest, encoding="utf-8")
    return path


def token_command(tmp: Path, key: bytes, user: str, *, first_expired: bool = False) -> str:
    """A command printing a fresh JWT (the first one already expired, if asked); it counts
    its runs in runs.txt."""
    (tmp / "key.bin").write_bytes(key)
    script = tmp / "mint_jwt.py"  # not token.py: that would shadow the stdlib module
    script.write_text(f"""import sys, pathlib
sys.path.insert(0, {str(REPO / "tests")!r})
from rig.oauth2 import make_jwt
runs = pathlib.Path({str(tmp / "runs.txt")!r})
n = int(runs.read_text()) if runs.exists() else 0
runs.write_text(str(n + 1))
ttl = -120 if {first_expired!r} and n == 0 else 600
print(make_jwt(pathlib.Path({str(tmp / "key.bin")!r}).read_bytes(), {user!r}, ttl))
""")
    return f'"{sys.executable} {script}"'


def run_cli(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mailbot", *args, "--config", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        env=dict(os.environ),
    )


def test_token_command_for_imap_and_smtp(tmp_path, oauth_dovecot, oauth_smtp):
    user = "anna" + os.urandom(3).hex() + "@urzad.test"
    command = token_command(tmp_path, oauth_dovecot.key, user)
    path = config_for(
        tmp_path,
        oauth_dovecot,
        oauth_smtp,
        user,
        f"oauth2_token_command = {command}\n",
        f"oauth2_token_command = {command}\n",
    )
    oauth_dovecot.append(user, application(1), internaldate=WHEN)
    done = run_cli(path, "poll", "-v")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 new message(s)"), done.stdout
    assert "logged in with OAuth2 (XOAUTH2)" in done.stderr
    got = oauth_smtp.wait_for(1)
    assert got[0].rcpt_tos == ["osoba1@example.pl"] and got[0].auth_login == user
    assert ("XOAUTH2:" + user, True) in oauth_smtp.auth_attempts
    # the copy of the reply in Sent, saved over the OAuth2 IMAP session
    assert oauth_dovecot.status(user, "Sent")["messages"] == 1
    again = run_cli(path, "poll")
    assert again.returncode == 0 and again.stdout.startswith("0 new message(s)"), again


def test_refresh_token_flow_renews_only_when_needed(
    tmp_path, oauth_dovecot, oauth_smtp, monkeypatch
):
    user = "ewa" + os.urandom(3).hex() + "@urzad.test"
    monkeypatch.setenv("MAILBOT_TEST_REFRESH", "rt-123")
    monkeypatch.setenv("MAILBOT_TEST_CLIENT_SECRET", "s3cret")
    with TokenEndpoint(oauth_dovecot.key, user, "rt-123", "client-1") as endpoint:
        keys = (
            f'oauth2_token_url = "{endpoint.url}"\noauth2_client_id = "client-1"\n'
            'oauth2_client_secret_env = "MAILBOT_TEST_CLIENT_SECRET"\n'
            'oauth2_refresh_token_env = "MAILBOT_TEST_REFRESH"\n'
        )
        path = config_for(
            tmp_path,
            oauth_dovecot,
            oauth_smtp,
            user,
            keys + 'oauth2_mechanism = "OAUTHBEARER"\n',
            keys + 'oauth2_mechanism = "OAUTHBEARER"\n',
        )
        for i in range(3):
            oauth_dovecot.append(user, application(i), internaldate=WHEN)
        config = load_config(path)
        report = jobs.poll(config)
        assert report.ok and report.messages.processed == 3, report
        assert report.replies is not None and report.replies.sent == 3
        # one token for IMAP (used by the fetch, the Sent copies and the archive step) and one
        # for SMTP: reused within their lifetime, not fetched per connection
        assert endpoint.calls == 2
        assert ("OAUTHBEARER:" + user, True) in oauth_smtp.auth_attempts

        monkeypatch.setenv("MAILBOT_TEST_REFRESH", "revoked")
        oauth_dovecot.append(user, application(7), internaldate=WHEN)
        done = run_cli(path, "poll")
    assert done.returncode == 77, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and not done.stdout, done
    assert "invalid_grant" in lines[0] and "sign in again" in lines[0], lines
    print(lines[0])


def test_refused_token_is_renewed_once_then_the_pass_goes_on(tmp_path, oauth_dovecot, oauth_smtp):
    user = "jan" + os.urandom(3).hex() + "@urzad.test"
    command = token_command(tmp_path, oauth_dovecot.key, user, first_expired=True)
    path = config_for(
        tmp_path,
        oauth_dovecot,
        oauth_smtp,
        user,
        f"oauth2_token_command = {command}\n",
        f"oauth2_token_command = {command}\n",
    )
    oauth_dovecot.append(user, application(2), internaldate=WHEN)
    done = run_cli(path, "poll", "-v")
    assert done.returncode == 0, done.stderr
    assert "OAuth2 token refused" in done.stderr and "getting a new one" in done.stderr
    assert len(oauth_smtp.wait_for(1)) == 1


def test_a_token_the_server_refuses_is_one_line_naming_the_fix(tmp_path, oauth_dovecot, oauth_smtp):
    user = "zofia" + os.urandom(3).hex() + "@urzad.test"
    wrong = make_jwt(b"not the server's key", user)
    path = config_for(
        tmp_path,
        oauth_dovecot,
        oauth_smtp,
        user,
        f'oauth2_token_command = "echo {wrong}"\n',
        f'oauth2_token_command = "echo {wrong}"\n',
    )
    oauth_dovecot.append(user, application(3), internaldate=WHEN)
    done = run_cli(path, "poll")
    assert done.returncode == 77, done
    assert not done.stdout  # no success-looking summary after a failed pass
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"mailbot: IMAP OAuth2 login as {user} refused by 127.0.0.1:")
    assert "imap.oauth2_token_command" in lines[0]
    print(lines[0])

    password_path = write_config(tmp_path, oauth_dovecot, user, oauth_smtp)
    os.environ["MAILBOT_TEST_IMAP_PASSWORD"] = "whatever"
    try:
        plain = run_cli(password_path, "poll")
    finally:
        del os.environ["MAILBOT_TEST_IMAP_PASSWORD"]
    assert plain.returncode == 77, plain
    assert 'set imap.auth = "oauth2"' in plain.stderr, plain.stderr
    print(plain.stderr.strip())


def test_connection_dropped_mid_pass_reconnects_with_a_new_token(
    tmp_path, oauth_dovecot, oauth_smtp, caplog
):
    """The server ends the session mid-pass (as when a token runs out): the pass logs in again
    with a token renewed before use (this command's tokens live under the renewal margin) and
    finishes; nothing is lost or sent twice."""
    import sqlite3
    import threading
    import time

    user = "piotr" + os.urandom(3).hex() + "@urzad.test"
    script = tmp_path / "mint_short.py"
    script.write_text(f"""import sys, pathlib
sys.path.insert(0, {str(REPO / "tests")!r})
from rig.oauth2 import make_jwt
runs = pathlib.Path({str(tmp_path / "runs.txt")!r})
runs.write_text(str(int(runs.read_text()) + 1 if runs.exists() else 1))
print(make_jwt(bytes.fromhex({oauth_dovecot.key.hex()!r}), {user!r}, 120))
""")
    command = f'"{sys.executable} {script}"'
    path = config_for(
        tmp_path,
        oauth_dovecot,
        oauth_smtp,
        user,
        f"oauth2_token_command = {command}\nbatch_size = 2\n",
        f"oauth2_token_command = {command}\n",
    )
    path.write_text(path.read_text().replace("batch_size = 7\n", ""))
    n = 40
    with oauth_dovecot.client(user) as client:
        for i in range(n):
            client.append("INBOX", application(100 + i), msg_time=WHEN)
    config = load_config(path)

    def kick_when_some_are_stored() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with sqlite3.connect(config.storage.database) as db:
                    if db.execute("SELECT count(*) FROM messages").fetchone()[0] >= 4:
                        break
            except sqlite3.Error:
                pass
            time.sleep(0.005)
        oauth_dovecot.kick(user)

    kicker = threading.Thread(target=kick_when_some_are_stored, daemon=True)
    kicker.start()
    caplog.set_level("INFO", logger="mailbot")
    started = time.monotonic()
    report = jobs.poll(config)
    print(f"pass of {n} messages with a drop: {time.monotonic() - started:.1f} s")
    kicker.join(timeout=30)
    assert report.ok, report.problem()
    assert report.messages.processed == n
    assert report.replies is not None and report.replies.sent == n
    assert "reconnecting" in caplog.text  # the drop happened during the pass
    runs = int((tmp_path / "runs.txt").read_text())
    # IMAP at the start, again after the drop, for the Sent copies; SMTP once
    assert runs >= 4, runs
    assert len({r.rcpt_tos[0] for r in oauth_smtp.wait_for(n)}) == n


def test_worker_with_idle_on_an_oauth2_mailbox(tmp_path, oauth_dovecot, oauth_smtp, monkeypatch):
    """`mailbot run`: the IDLE connection and the passes log in with OAuth2 tokens from the
    refresh-token flow; a reply goes out within seconds of delivery."""
    import signal
    import time

    user = "marta" + os.urandom(3).hex() + "@urzad.test"
    monkeypatch.setenv("MAILBOT_TEST_REFRESH", "rt-run")
    with TokenEndpoint(oauth_dovecot.key, user, "rt-run", "client-run") as endpoint:
        keys = (
            f'oauth2_token_url = "{endpoint.url}"\noauth2_client_id = "client-run"\n'
            'oauth2_refresh_token_env = "MAILBOT_TEST_REFRESH"\n'
        )
        path = config_for(tmp_path, oauth_dovecot, oauth_smtp, user, keys, keys)
        text = path.read_text().replace("poll_minutes = 5", "poll_minutes = 60")
        path.write_text(
            text.replace('recipients = ["koordynator@dops.example.pl"]', "recipients = []")
        )
        oauth_dovecot.append(user, application(50), internaldate=WHEN)
        worker = subprocess.Popen(
            [sys.executable, "-m", "mailbot", "run", "-v", "--config", str(path)],
            cwd=REPO,
            env=dict(os.environ),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            oauth_smtp.wait_for(1, timeout=30)  # the start-up pass
            time.sleep(1.5)  # the watcher enters IDLE
            started = time.monotonic()
            oauth_dovecot.append(user, application(51), internaldate=WHEN)
            oauth_smtp.wait_for(2, timeout=20)
            latency = time.monotonic() - started
        finally:
            worker.send_signal(signal.SIGTERM)
            _out, err = worker.communicate(timeout=60)
        calls = endpoint.calls
    print(f"OAuth2 mailbox, IDLE reply latency {latency:.2f} s; token endpoint calls {calls}")
    assert worker.returncode == 0, err[-2000:]
    assert "the server offers IDLE" in err and "logged in with OAuth2" in err
    assert latency < 10
    assert calls == 2  # one token for IMAP (IDLE and passes share it), one for SMTP
