from datetime import UTC, datetime

import pytest

from mailbot.models import RawMessage
from mailbot.pipeline.classify import classify

NOW = datetime(2024, 5, 10, 12, 0, tzinfo=UTC)


def raw(headers: str, body: str = "Treść\n", *, from_: str = "Anna <anna@example.pl>") -> bytes:
    text = (
        f"From: {from_}\nTo: nabor@example.org\nSubject: Zgłoszenie\n"
        f"Message-ID: <m1@example.pl>\nDate: Fri, 10 May 2024 10:00:00 +0200\n{headers}"
    )
    return (text.rstrip("\n") + "\n\n" + body).encode()


def run(data: bytes, known: bool = False):
    return classify(
        RawMessage(raw=data, origin="file", mailbox="x"),
        known_message_id=lambda _mid: known,
        max_message_bytes=10**7,
        now=NOW,
    )


@pytest.mark.parametrize(
    "headers",
    [
        "Auto-Submitted: auto-replied",
        "AUTO-SUBMITTED: auto-generated",
        "Precedence: auto_reply",
        "X-Autoreply: yes",
        "X-Autorespond: yes",
        "Return-Path: <>",
        "X-Mailbot-Reply: accepted",
    ],
)
def test_robot_mail_is_ignored(headers):
    seen = run(raw(headers))
    assert seen.disposition == "ignored"
    assert seen.reason


@pytest.mark.parametrize(
    "headers",
    [
        "Precedence: bulk",
        "precedence: junk",
        "Precedence: list",
        "List-Id: <lista.example.org>",
        "List-Unsubscribe: <mailto:leave@example.org>",
        "X-Auto-Response-Suppress: All",
    ],
)
def test_reply_forbidding_headers_stop_the_reply_not_the_reading(headers):
    seen = run(raw(headers))
    assert seen.disposition is None and seen.reason is None
    assert len(seen.no_reply) == 1 and seen.no_reply[0]


def test_auto_reply_subject_is_a_robot():
    data = b"From: Anna <anna@example.pl>\nSubject: Automatic reply: Nabor\n\nJestem na urlopie\n"
    assert run(data).disposition == "ignored"


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@mx.example.pl",
        "postmaster@example.pl",
        "no-reply@example.pl",
        "noreply@bank.example",
        "post_master@example.pl",
        "gmail-noreply@google.com",
        "ne-pas-repondre@example.fr",
    ],
)
def test_robot_senders_are_ignored(sender):
    assert run(raw("", from_=sender)).disposition == "ignored"


def test_report_is_ignored():
    data = raw(
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"',
        "--b\nContent-Type: text/plain\n\nbounce\n--b--\n",
    )
    assert run(data).disposition == "ignored"


def test_person_mail_is_read_on():
    seen = run(raw("Auto-Submitted: no"))
    assert seen.disposition is None and seen.reason is None and seen.no_reply == ()
    assert seen.envelope.sender == "anna@example.pl"
    assert seen.envelope.message_id == "<m1@example.pl>"


def test_known_message_id_is_a_duplicate():
    assert run(raw(""), known=True).disposition == "duplicate"


def test_missing_message_id_gets_a_stable_synthetic_one():
    data = b"From: a@example.pl\nSubject: x\n\nbody\n"
    first, second = run(data), run(data)
    assert first.envelope.message_id == second.envelope.message_id
    assert first.envelope.message_id.endswith("@mailbot.invalid>")


def test_receipt_time_prefers_the_newest_received_header():
    data = raw(
        "Received: from a by b; Fri, 10 May 2024 10:00:05 +0200\n"
        "Received: from c by d; Fri, 24 May 2024 23:59:58 +0200"
    )
    env = run(data).envelope
    assert env.received_at == datetime(2024, 5, 24, 21, 59, 58, tzinfo=UTC)
    assert env.received_at_source == "received_header"


def test_subject_with_crlf_injection_is_one_line():
    data = b"From: a@example.pl\nSubject: =?utf-8?q?Hi=0D=0ABcc:_victim@example.org?=\n\nb\n"
    env = run(data).envelope
    assert "\n" not in env.subject and "\r" not in env.subject


@pytest.mark.parametrize(
    "from_",
    [
        "=?utf-8?q?victim=40evil=2Eexample?= <anna@example.pl>",
        "=?utf-8?q?Jan_=3Cvictim=40evil=2Eexample=3E?= <anna@example.pl>",
        "=?utf-8?q?x=2C_victim=40evil=2Eexample=2C?= <anna@example.pl>",
        "=?utf-8?q?Jan=0D=0ABcc=3A_victim=40evil=2Eexample?= <anna@example.pl>",
    ],
)
def test_the_reply_address_never_comes_from_a_decoded_display_name(from_):
    assert run(raw("", from_=from_)).envelope.sender == "anna@example.pl"
