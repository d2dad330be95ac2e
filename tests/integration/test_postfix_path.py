"""The real delivery path: applications sent by neomutt through Postfix into Dovecot by LMTP,
replies sent through Postfix's submission port (STARTTLS, AUTH) and delivered to the
applicants' mailboxes; a reply Postfix took but the next hop (LMTP) refused comes back as a
bounce into the call's mailbox and marks the reply ``bounced``; a recipient Postfix refuses at
once keeps Postfix's own words.

Needs root and postfix, dovecot-imapd, dovecot-lmtpd, neomutt: skipped without them, failed
under CI (``.ci/run`` installs them).
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from rig.postfix import DeliveryRig, RigError, in_ci, missing_software

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.digest import build_digest
from mailbot.ops.export import export_json

from .helpers import REPO

pytestmark = pytest.mark.integration

PASSWORD_ENV = "MAILBOT_TEST_RIG_PASSWORD"
CALL = DeliveryRig.CALL_ADDRESS


@pytest.fixture
def rig() -> Iterator[DeliveryRig]:
    missing = missing_software()
    message = (
        f"the Postfix rig needs: apt-get install {' '.join(missing)}"
        if missing
        else "the Postfix rig needs root"
        if os.geteuid() != 0
        else None
    )
    if message:
        if in_ci():
            pytest.fail(f"{message} (CI is set, so this is an error, not a skip)")
        pytest.skip(message)
    server = DeliveryRig()
    try:
        server.start()
    except RigError as exc:
        server.cleanup()
        pytest.fail(f"the Postfix rig did not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def config_path(tmp_path: Path, rig: DeliveryRig, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The shipped [call] (open now, the rig's call address), IMAP and SMTP on the rig."""
    monkeypatch.setenv(PASSWORD_ENV, rig.password)
    # the call's window in its own zone, written without an offset (config reads it in the zone)
    now = datetime.now(ZoneInfo("Europe/Warsaw")).replace(tzinfo=None, microsecond=0)
    call = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    call = re.sub(
        r"(?m)^opens_at = .*$", f"opens_at = {(now - timedelta(days=1)).isoformat()}", call
    )
    call = re.sub(
        r"(?m)^closes_at = .*$", f"closes_at = {(now + timedelta(days=1)).isoformat()}", call
    )
    call = re.sub(r"(?m)^address = .*$", f'address = "{CALL}"', call)
    path = tmp_path / "config.toml"
    path.write_text(
        call
        + f"""
[imap]
host = "127.0.0.1"
port = {rig.imap_port}
security = "starttls"
username = "nabor"
password_env = "{PASSWORD_ENV}"
ca_file = "{rig.cafile}"
timeout = 20

[smtp]
host = "127.0.0.1"
port = {rig.submission_port}
security = "starttls"
username = "nabor"
password_env = "{PASSWORD_ENV}"
ca_file = "{rig.cafile}"
helo = "mailbot.urzad.test"
timeout = 20

[storage]
database = "state/mailbot.db"
files = "state/files"
lock = "state/mailbot.lock"

[digest]
recipients = ["pm@urzad.test"]
""",
        encoding="utf-8",
    )
    return path


def send_application(rig: DeliveryRig, tmp_path: Path, user: str, name: str) -> None:
    form = tmp_path / f"Formularz zgłoszeniowy – {name}.docx"
    form.write_bytes(
        samples.filled_docx(samples.Applicant(full_name=name, email=f"{user}@kandydat.test"))
    )
    rig.send_with_neomutt(
        f"{name} <{user}@kandydat.test>",
        f"Zgłoszenie do naboru – {name}",
        "Dzień dobry,\nw załączeniu formularz zgłoszeniowy.\n",
        form,
    )


def parse(raw: bytes) -> email.message.EmailMessage:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    return message


def test_application_through_postfix_and_reply_through_submission(rig, tmp_path, config_path):
    before = len(rig.messages("nabor"))
    send_application(rig, tmp_path, "anna", "Anna Wójcik-Żak")
    rig.wait_for("nabor", before + 1)
    config = load_config(config_path)
    report = jobs.poll(config)
    assert report.ok, report.problem()
    assert report.messages.by_status == {"accepted": 1}, report.summary()
    assert report.replies is not None and report.replies.sent == 1
    [reply] = rig.wait_for("anna", 1)
    message = parse(reply)
    assert message["From"].addresses[0].addr_spec == CALL
    assert message["In-Reply-To"]  # threaded on the application neomutt sent
    assert message["Auto-Submitted"] == "auto-replied"
    log = rig.maillog(200)
    assert "sasl_username=nabor" in log
    # Postfix's Received: line names the EHLO name mailbot gave (smtp.helo)
    assert any(
        value.startswith("from mailbot.urzad.test ") for value in message.get_all("Received", [])
    ), message.get_all("Received")
    # the application's file name came through Postfix and Dovecot intact
    with jobs.open_store(config) as store:
        names = [r[0] for r in store.db.execute("SELECT filename FROM attachments")]
    assert names == ["Formularz zgłoszeniowy – Anna Wójcik-Żak.docx"]
    again = jobs.poll(config)
    assert again.messages.processed == 0 and again.replies is not None
    assert again.replies.sent == 0
    assert len(rig.messages("anna")) == 1


def test_reply_refused_by_the_next_hop_bounces_and_is_marked(rig, tmp_path, config_path):
    before = len(rig.messages("nabor"))
    send_application(rig, tmp_path, "lost", "Jan Zagubiony")  # Postfix knows it, LMTP not
    send_application(rig, tmp_path, "nikt", "Ewa Nieznana")  # unknown to Postfix
    rig.wait_for("nabor", before + 2)
    config = load_config(config_path)
    first = jobs.poll(config)
    assert first.messages.by_status == {"accepted": 2}, first.summary()
    assert first.replies is not None
    assert (first.replies.sent, first.replies.failed) == (1, 1), first.summary()
    # Postfix took the reply to lost@, LMTP refused it: the bounce comes back to the call
    rig.wait_for("nabor", before + 3)
    second = jobs.poll(config)
    assert second.ok, second.problem()
    assert second.messages.by_disposition.get("ignored") == 1, second.summary()
    with jobs.open_store(config) as store:
        replies = {
            r[0]: (r[1], r[2], r[3])
            for r in store.db.execute(
                "SELECT to_addr, state, last_error, bounce_reason FROM replies"
            )
        }
        data = json.loads(export_json(store, config.call.timezone))
        digest = build_digest(config, store)
    state, _error, bounce_reason = replies["lost@kandydat.test"]
    assert state == "bounced"
    assert "lost@kandydat.test" in bounce_reason and "550" in bounce_reason, bounce_reason
    state, error, _ = replies["nikt@kandydat.test"]
    assert state == "failed"
    assert error.startswith("550 5.1.1 <nikt@kandydat.test>: Recipient address rejected"), error
    states = {
        m["sender"]: m["reply_state"] for m in data["messages"] if m["disposition"] == "application"
    }
    assert states["lost@kandydat.test"] == "bounced"
    assert "lost@kandydat.test" in digest.text
    flat = " ".join(digest.text.split())
    assert "odpowiedź nie dotarła – adres nie istnieje (serwer: " in flat  # the bounce
    assert "serwer poczty nie przyjął odpowiedzi – adres nie istnieje (serwer: 550 5.1.1" in flat
