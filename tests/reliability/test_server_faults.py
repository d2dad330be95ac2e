"""The servers misbehave: Dovecot restarted, kicked or down in the middle of a pass, the SMTP
server away or refusing. Each pass ends cleanly (an exit code and one `mailbot:` line saying
why), the next pass finishes the work, and nothing is processed or sent twice.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest

from mailbot.ops import samples

from . import helpers as h

pytestmark = pytest.mark.integration

DOCX = samples.filled_docx(samples.Applicant())
N_LONG = 300


def _fill(dovecot, user: str, n: int, tag: str) -> list[str]:
    items, senders = [], []
    for i in range(n):
        sender = f"{tag}{i}@faults.example.pl"
        senders.append(sender)
        when = h.spread(i, n)
        items.append(
            (h.application(sender, f"<{tag}-{i}@faults.example.pl>", DOCX, date=when), when)
        )
    h.append_many(dovecot, user, items)
    return senders


def _when_stored(config, n: int, action, timeout: float = 60) -> threading.Thread:
    """Run ``action`` in a thread as soon as ``n`` message rows are committed."""

    def watch() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if h.query(config, "SELECT count(*) FROM messages")[0][0] >= n:
                    break
            except Exception:  # noqa: BLE001 - the database does not exist yet
                pass
            time.sleep(0.003)
        action()

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    return thread


def _mailbot_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("mailbot:")]


def _assert_all_once(config, sink, senders: list[str]) -> None:
    data = h.export(config)
    ids = Counter(m["message_id"] for m in data["messages"])
    assert len(ids) == len(senders) and max(ids.values()) == 1
    assert all(a["status"] == "accepted" for a in data["applications"])
    got = h.replies(sink)
    assert Counter(r.rcpt_tos[0] for r in got) == Counter(senders)
    assert max(Counter(h.reply_key(r) for r in got).values()) == 1


@pytest.mark.parametrize("fault", ["restart", "kick"])
def test_imap_connection_lost_mid_pass_is_resumed(
    fault, tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    """A restart or a kick drops the connection; the pass reconnects (backoff) and finishes."""
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    # Dovecot takes about a second to stop: the pass must last longer than that
    senders = _fill(dovecot, imap_user, N_LONG, fault)
    config = h.write_config(
        tmp_path, dovecot, imap_user, smtp_sink, batch_size=3, limits={"replies_per_hour": 10_000}
    )
    action = dovecot.restart if fault == "restart" else (lambda: dovecot.kick(imap_user))
    fired = _when_stored(config, 5, action)
    t0 = time.monotonic()
    done = h.run(config, "poll", verbose=1)  # reconnect attempts are logged at INFO
    fired.join(timeout=30)
    took = time.monotonic() - t0
    stored_at_fault = 5
    print(
        f"\n{fault}: poll exit {done.returncode} in {took:.1f} s; stdout {done.stdout!r}; "
        f"stderr lines {len(done.stderr.splitlines())}"
    )
    assert dovecot.running
    assert "Traceback" not in done.stderr, done.stderr
    if done.returncode != 0:
        # the server did not come back within the backoff: a clean end, one line why
        assert done.returncode == 69, done.stderr
        assert len(_mailbot_lines(done.stderr)) == 1 and "IMAP" in done.stderr, done.stderr
        again = h.run(config, "poll")
        assert again.returncode == 0, again.stderr
    else:
        # reconnected within the same pass (the fault came after some messages were in)
        assert done.stdout.startswith(f"{N_LONG} new message(s)"), done.stdout
        assert "reconnecting" in done.stderr, "the drop went unnoticed?"
    assert h.query(config, "SELECT count(*) FROM messages")[0][0] >= stored_at_fault
    _assert_all_once(config, smtp_sink, senders)
    assert h.run(config, "poll").stdout.startswith("0 new message(s)")


def test_imap_server_down_mid_pass_ends_cleanly_and_next_pass_finishes(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    senders = _fill(dovecot, imap_user, N_LONG, "down")
    config = h.write_config(
        tmp_path, dovecot, imap_user, smtp_sink, batch_size=3, limits={"replies_per_hour": 10_000}
    )
    try:
        fired = _when_stored(config, 5, dovecot.stop)
        done = h.run(config, "poll", timeout=120)
        fired.join(timeout=30)
        stored = h.query(config, "SELECT count(*) FROM messages")[0][0]
        print(
            f"\nserver down: poll exit {done.returncode}, {stored} of {N_LONG} stored; "
            f"stdout {done.stdout!r}\nstderr:\n{done.stderr}"
        )
        assert done.returncode == 69, done.stderr
        assert "Traceback" not in done.stderr
        lines = _mailbot_lines(done.stderr)
        assert len(lines) == 1 and "IMAP" in lines[0], done.stderr
        assert 5 <= stored < N_LONG
        # what was committed before the outage was answered in the same pass
        assert h.query(config, "SELECT count(*) FROM replies WHERE state = 'sent'")[0][0] == stored
    finally:
        dovecot.start()
    again = h.run(config, "poll")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"{N_LONG - stored} new message(s)"), again.stdout
    _assert_all_once(config, smtp_sink, senders)


def test_smtp_outage_keeps_replies_queued_then_sends_each_once(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    senders = _fill(dovecot, imap_user, 20, "smtp")
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    smtp_sink.stop()
    down = h.run(config, "poll")
    assert down.returncode == 75, down.stderr
    lines = _mailbot_lines(down.stderr)
    assert len(lines) == 1 and "queued" in lines[0], down.stderr
    states = [
        tuple(r) for r in h.query(config, "SELECT state, count(*) FROM replies GROUP BY state")
    ]
    assert states == [("queued", 20)]
    # the server comes back, and goes away again after a few replies of the next pass
    smtp_sink.start()
    h.slow_down(smtp_sink, 0.05)
    stopper = threading.Thread(
        target=lambda: (smtp_sink.wait_for(5, timeout=60), smtp_sink.stop()), daemon=True
    )
    stopper.start()
    partial = h.run(config, "poll")
    stopper.join(timeout=60)
    sent_first = len(smtp_sink.messages)
    assert partial.returncode == 75, partial.stderr
    assert 5 <= sent_first < 20
    smtp_sink.start()
    up = h.run(config, "poll")
    assert up.returncode == 0, up.stderr
    assert f"{20 - sent_first} reply(ies) sent" in up.stdout
    idle = h.run(config, "poll")
    assert idle.returncode == 0 and "0 reply(ies) sent" in idle.stdout
    time.sleep(0.3)
    _assert_all_once(config, smtp_sink, senders)


def test_temporary_refusal_is_retried_permanent_refusal_is_recorded_and_reported(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    senders = _fill(dovecot, imap_user, 3, "refuse")
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    smtp_sink.fail_next("451 4.3.0 greylisted, try again later", 1)
    smtp_sink.fail_next("550 5.1.1 mailbox unavailable", 1)
    first = h.run(config, "poll")
    assert "Traceback" not in first.stderr
    assert "1 reply(ies) sent" in first.stdout and "1 refused" in first.stdout, first.stdout
    rows = {r["to_addr"]: r for r in h.query(config, "SELECT * FROM replies")}
    deferred = rows[senders[0]]
    refused = rows[senders[1]]
    assert deferred["state"] == "queued" and deferred["next_attempt_at"]
    assert deferred["last_error"].startswith("451")
    assert refused["state"] == "failed" and refused["last_error"].startswith("550")
    # not due yet: the next pass leaves it alone
    assert "0 reply(ies) sent" in h.run(config, "poll").stdout
    # time passes (the backoff is over): the next pass sends it; the refused one stays refused
    conn = h.db(config)
    with conn:
        conn.execute(
            "UPDATE replies SET next_attempt_at = '2000-01-01T00:00:00+00:00' "
            "WHERE state = 'queued'"
        )
    conn.close()
    later = h.run(config, "poll")
    assert later.returncode == 0 and "1 reply(ies) sent" in later.stdout, later
    assert sorted(r.rcpt_tos[0] for r in h.replies(smtp_sink)) == sorted([senders[0], senders[2]])
    digest = h.run(config, "digest")
    assert digest.returncode == 0, digest.stderr
    assert "odpowiedź niedostarczona" in digest.stdout
    assert senders[1] in digest.stdout and "550" in digest.stdout
    assert (
        h.query(config, "SELECT state FROM replies WHERE to_addr = ?", [senders[1]])[0][0]
        == "failed"
    )
