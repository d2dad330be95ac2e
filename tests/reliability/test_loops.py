"""Mail loops and backscatter: mailbot's own reply coming back, out-of-office robots answering
every reply (polite ones with RFC 3834 headers, naive ones without), a bounce storm. No loop
runs away: robots get nothing, a naive robot at most the daily cap plus one notice.
"""

from __future__ import annotations

import time

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.stamp import kind_of

from . import helpers as h

pytestmark = pytest.mark.integration

MAX_REPLY_BYTES = 32_000


@pytest.fixture
def box(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    path = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    return load_config(path), path


def _assert_plain_bounded(received) -> None:
    """A reply is one text/plain part: never an attachment, never the applicant's file."""
    msg = received.message
    assert not msg.is_multipart()
    assert msg.get_content_type() == "text/plain"
    assert msg.get_content_disposition() is None
    assert len(received.data) < MAX_REPLY_BYTES


def _dispositions(config) -> dict[str, tuple[str, str | None]]:
    with jobs.open_store(config) as store:
        return {
            r[0]: (r[1], r[2])
            for r in store.db.execute("SELECT message_id, disposition, reason FROM messages")
        }


def test_own_reply_and_polite_autoresponder_are_ignored(box, dovecot, imap_user, smtp_sink):
    config, _ = box
    docx = samples.filled_docx(samples.Applicant(email="ola@loop.example.pl"))
    dovecot.append(
        imap_user, h.application("ola@loop.example.pl", "<first@loop>", docx), internaldate=h.at(14)
    )
    assert jobs.poll(config).ok
    [reply] = smtp_sink.wait_for(1)
    _assert_plain_bounded(reply)
    assert len(docx) > MAX_REPLY_BYTES  # so a reply carrying the form could not pass

    # 1) our own reply lands in the call's mailbox (an alias, a Bcc, a forward)
    dovecot.append(imap_user, reply.data, internaldate=h.at(14, 11))
    # 2) a polite out-of-office answers each reply it gets (Auto-Submitted: auto-replied)
    for round_no in range(5):
        for r in h.replies(smtp_sink)[-1:]:
            dovecot.append(
                imap_user,
                h.out_of_office(
                    r.rcpt_tos[0],
                    f"<ooo-{round_no}@loop>",
                    subject=f"Automatyczna odpowiedź: {r.message['Subject']}",
                    in_reply_to=str(r.message["Message-ID"]),
                ),
                internaldate=h.at(15, 8 + round_no),
            )
        report = jobs.poll(config)
        assert report.ok
        assert report.messages.by_disposition.get("application", 0) == 0
    time.sleep(0.3)
    assert len(smtp_sink.messages) == 1, "nothing answered after the first reply"
    seen = _dispositions(config)
    own = seen[str(reply.message["Message-ID"])]
    assert own[0] == "ignored" and "own reply" in own[1]
    for i in range(5):
        assert seen[f"<ooo-{i}@loop>"][0] == "ignored"


def _robot_loop(config, dovecot, imap_user, smtp_sink, robot: str, answer) -> int:
    """Poll; the robot answers every reply it gets with ``answer(round, reply)``."""
    cap = config.limits.replies_per_sender_per_day
    rounds = 0
    for rounds in range(1, 3 * cap):
        before = len(smtp_sink.messages)
        assert jobs.poll(config).ok
        time.sleep(0.05)
        new = smtp_sink.messages[before:]
        if not new:
            break
        for r in new:
            dovecot.append(imap_user, answer(rounds, r), internaldate=h.at(15, 8))
    return rounds


def test_naive_robot_answering_in_the_thread_gets_no_second_letter(
    box, dovecot, imap_user, smtp_sink
):
    """A robot with no RFC 3834 headers answers every reply ("Re: <subject>", which carries
    the reference number): that is correspondence in mailbot's thread, never answered."""
    config, path = box
    robot = "biuro@naive-robot.example.pl"
    dovecot.append(
        imap_user,
        h.application(robot, "<naive-0@robot>", None, subject="Pytanie o nabór"),
        internaldate=h.at(14),
    )

    def answer(rounds, r):
        return (
            f"From: Biuro <{robot}>\r\nTo: {h.CALL}\r\n"
            f"Subject: Re: {r.message['Subject']}\r\n"
            f"Date: Wed, 15 May 2024 08:00:00 +0200\r\n"
            f"Message-ID: <naive-{rounds}@robot>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n"
            "Dziękujemy za wiadomość. Odpowiemy wkrótce.\r\n"
        ).encode()

    rounds = _robot_loop(config, dovecot, imap_user, smtp_sink, robot, answer)
    got = [r for r in h.replies(smtp_sink) if r.rcpt_tos == [robot]]
    print(f"\nnaive robot: {rounds} rounds, {len(got)} replies")
    assert [kind_of(r.message["X-Mailbot-Reply"]) for r in got] == ["no_form"]
    _assert_plain_bounded(got[0])
    dispositions = [
        r["disposition"]
        for r in h.query(
            path, "SELECT disposition FROM messages WHERE sender = ? ORDER BY id", [robot]
        )
    ]
    assert dispositions == ["application", "correspondence"]


def test_robot_resending_an_application_is_capped_per_day_with_one_final_notice(
    box, dovecot, imap_user, smtp_sink
):
    """A robot that answers every reply by sending its application text again (no thread, no
    reference number) is stopped by the per-sender daily cap, with one final notice."""
    config, _ = box
    cap = config.limits.replies_per_sender_per_day
    robot = "biuro@resend-robot.example.pl"
    dovecot.append(imap_user, h.application(robot, "<resend-0@robot>", None), internaldate=h.at(14))
    rounds = _robot_loop(
        config,
        dovecot,
        imap_user,
        smtp_sink,
        robot,
        lambda i, _r: h.application(robot, f"<resend-{i}@robot>", None, date=h.at(15, 8)),
    )
    got = [r for r in h.replies(smtp_sink) if r.rcpt_tos == [robot]]
    templates = [kind_of(r.message["X-Mailbot-Reply"]) for r in got]
    print(f"\nresending robot: {rounds} rounds, {len(got)} replies: {templates}")
    assert len(got) == cap + 1
    assert templates[-1] == "limit_reached" and "limit_reached" not in templates[:-1]
    for r in got:
        _assert_plain_bounded(r)
    # the loop is over: the robot's last message is stored, unanswered
    last = jobs.poll(config)
    assert last.ok and last.replies is not None and last.replies.sent == 0


def test_bounce_storm_gets_no_reply(box, dovecot, imap_user, smtp_sink):
    config, _ = box
    storm = []
    for i in range(50):
        if i % 2:
            raw = h.bounce(i, f"osoba{i}@example.pl")
        else:  # a plainer bounce: only the sender gives it away
            raw = (
                f"From: MAILER-DAEMON@mx{i}.example.pl\r\nTo: {h.CALL}\r\n"
                f"Subject: Delivery Status Notification (Failure)\r\n"
                f"Message-ID: <plain-bounce-{i}@mx.example.pl>\r\n"
                "Date: Wed, 15 May 2024 07:01:00 +0200\r\n\r\n"
                "Your message could not be delivered.\r\n"
            ).encode()
        storm.append((raw, h.at(15, 7)))
    storm.append((h.application("czlowiek@loop.example.pl", "<human@loop>", None), h.at(15, 9)))
    h.append_many(dovecot, imap_user, storm)
    report = jobs.poll(config)
    assert report.ok
    assert report.messages.by_disposition == {"ignored": 50, "application": 1}
    time.sleep(0.3)
    assert [r.rcpt_tos for r in smtp_sink.messages] == [["czlowiek@loop.example.pl"]]
    _assert_plain_bounded(smtp_sink.messages[0])
