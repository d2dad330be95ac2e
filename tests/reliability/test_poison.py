"""A message that makes a stage fail: retried on later passes, set aside after
``limits.max_attempts`` (disposition ``error``, listed in the digest), the others unaffected.

mailbot is not changed for this: the validate stage is patched from outside to raise for one
sender, and the pipeline runs in-process through :func:`mailbot.ops.jobs.poll`.
"""

from __future__ import annotations

import subprocess
from collections import Counter

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.digest import build_digest
from mailbot.pipeline import stages as pipeline

from . import helpers as h

pytestmark = pytest.mark.integration

POISON = "trucizna@poison.example.pl"
FLAKY = "kaprys@poison.example.pl"


class StageFailure(RuntimeError):
    pass


def _attempts(config, uid: int) -> int | None:
    rows = h.query(config, "SELECT attempts FROM failures WHERE uid = ?", [uid])
    return rows[0][0] if rows else None


def test_poison_message_is_retried_then_set_aside_and_others_flow(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    docx = samples.filled_docx(samples.Applicant())
    good = [f"dobry{i}@poison.example.pl" for i in range(4)]
    raws = {
        s: h.application(s, f"<{s}>", docx, date=h.at(10 + i))
        for i, s in enumerate([good[0], POISON, good[1], FLAKY, good[2]])
    }
    uid = {
        s: dovecot.append(imap_user, raw, internaldate=h.at(10 + i))
        for i, (s, raw) in enumerate(raws.items())
    }
    path = h.write_config(tmp_path, dovecot, imap_user, smtp_sink, limits={"max_attempts": 3})
    config = load_config(path)
    assert config.limits.max_attempts == 3

    real_validate = pipeline.validate
    calls: Counter[str] = Counter()

    def validate(facts):
        sender = facts.envelope.sender
        calls[sender] += 1
        if sender == POISON or (sender == FLAKY and calls[sender] == 1):
            raise StageFailure(f"validate blew up for {sender}")
        return real_validate(facts)

    monkeypatch.setattr(pipeline, "validate", validate)
    poison_uid, flaky_uid = uid[POISON], uid[FLAKY]  # (UIDs: the server rewrites line ends)

    first = jobs.poll(config)
    assert first.ok, first.problem()
    assert first.messages.processed == 3 and first.messages.deferred == 2
    assert _attempts(path, poison_uid) == 1 and _attempts(path, flaky_uid) == 1
    assert "will be retried" in first.summary()

    # mail that arrives meanwhile is not held up by the failed ones
    dovecot.append(imap_user, h.application(good[3], f"<{good[3]}>", docx), internaldate=h.at(20))
    second = jobs.poll(config)
    assert second.messages.deferred == 1
    assert second.messages.by_status == {"accepted": 2}  # the new one and the flaky retry
    assert _attempts(path, poison_uid) == 2 and _attempts(path, flaky_uid) is None

    third = jobs.poll(config)
    assert third.messages.deferred == 0
    assert third.messages.by_disposition == {"error": 1}
    assert _attempts(path, poison_uid) is None
    errors = h.query(path, "SELECT uid, reason FROM messages WHERE disposition = 'error'")
    assert [r["uid"] for r in errors] == [poison_uid]
    assert "3 attempts" in errors[0]["reason"]

    fourth = jobs.poll(config)
    assert fourth.messages.processed == 0 and fourth.messages.deferred == 0
    assert calls[POISON] == 3, "tried once per pass, three times in all"
    assert calls[FLAKY] == 2

    with jobs.open_store(config) as store:
        digest = build_digest(config, store)
    assert "błąd przetwarzania" in digest.text
    assert "StageFailure" in digest.text
    assert POISON in digest.text, "the digest says whose mail failed"
    error_row = h.query(
        path, "SELECT sender, message_id FROM messages WHERE disposition = 'error'"
    )[0]
    assert (error_row["sender"], error_row["message_id"]) == (POISON, f"<{POISON}>")
    printed = subprocess.run(
        h.cmd(path, "digest"), capture_output=True, text=True, env=h.env(), cwd=h.REPO, timeout=60
    )
    assert printed.returncode == 0 and "błąd przetwarzania" in printed.stdout

    # every other message: one row, one application, one reply; the poison one: no reply
    data = h.export(path)
    dispositions = Counter(m["disposition"] for m in data["messages"])
    assert dispositions == {"application": 5, "error": 1}
    got = h.replies(smtp_sink)
    assert sorted(r.rcpt_tos[0] for r in got) == sorted([*good, FLAKY])
    assert h.query(path, "SELECT count(*) FROM failures")[0][0] == 0
