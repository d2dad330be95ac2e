"""Learning from the mailbox's history (issue 16): the secretariat mailbox
(tests/mailboxes/secretariat) judged before and after ``mailbot learn`` read its history,
through real Dovecot and aiosmtpd.

``mailbot learn`` reads only the history before ``imap.since`` (text parts), keeps word and
phrase statistics (no bodies, addresses or subjects, well under 5 MB), says what it kept; the
same mailbox judged again with them sends no letter to anyone who did not apply, catches every
message about the call, and puts no more everyday mail in the coordinator's queue.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass

import pytest
from mailboxes import runner

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.export import export_json
from mailbot.ops.review import attention
from mailbot.pipeline.relevance import normalise

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
WARSAW = runner.WARSAW
SECRETARIAT = runner.load("secretariat")
HISTORY = SECRETARIAT.history  # before imap.since
JUDGED = SECRETARIAT.judged  # the first pass's mail


@dataclass(frozen=True)
class Figures:
    letters_to_non_applicants: int
    everyday_caught: tuple[str, ...]
    missed: tuple[str, ...]
    queue_items: int
    queue_about_call: int
    dispositions: dict[str, str]
    weights: dict[str, float]  # message slug -> the sum of its findings' weights

    def line(self) -> str:
        precision = self.queue_about_call / self.queue_items if self.queue_items else 1.0
        return (
            f"letters to non-applicants {self.letters_to_non_applicants}, everyday in the queue "
            f"{len(self.everyday_caught)}, queue precision {precision:.0%} "
            f"({self.queue_about_call}/{self.queue_items}), missed {len(self.missed)}"
        )


def judge(config, smtp_sink, sent_before: int) -> Figures:
    assert jobs.poll(config).ok
    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
        mid_of_pk = dict(store.db.execute("SELECT id, message_id FROM messages").fetchall())
        queue = attention(config, store, with_lines=False)
    records = {r["message_id"]: r for r in data["messages"]}
    letters = defaultdict(int)
    for r in smtp_sink.messages[sent_before:]:
        letters[(r.message["In-Reply-To"] or "").strip()] += 1
    queued = {mid_of_pk.get(i.message_pk) for i in queue}
    about = {m.message_id for m in JUDGED if m.about_call}
    return Figures(
        letters_to_non_applicants=sum(
            n for mid, n in letters.items() if mid not in {m.message_id for m in JUDGED if m.letter}
        ),
        everyday_caught=tuple(
            m.slug
            for m in JUDGED
            if not m.about_call
            and (
                records[m.message_id]["disposition"] in ("application", "correspondence")
                or m.message_id in queued
            )
        ),
        missed=tuple(
            m.slug
            for m in JUDGED
            if m.about_call
            and records[m.message_id]["disposition"] not in ("application", "correspondence")
        ),
        queue_items=len(queue),
        queue_about_call=sum(1 for i in queue if mid_of_pk.get(i.message_pk) in about),
        dispositions={m.slug: records[m.message_id]["disposition"] for m in JUDGED},
        weights={
            m.slug: sum(s["weight"] or 0 for s in records[m.message_id]["signals"])
            for m in JUDGED
            if m.message_id in records
        },
    )


def config_in(folder, dovecot, imap_user, smtp_sink):
    folder.mkdir()
    return write_config(folder, dovecot, imap_user, smtp_sink)


def test_learning_from_the_history(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    runner.deliver(dovecot, imap_user, [(m, m.raw) for m in SECRETARIAT.first])
    flags = dovecot.fetch_flags(imap_user)

    before = judge(
        load_config(config_in(tmp_path / "before", dovecot, imap_user, smtp_sink)), smtp_sink, 0
    )

    path = config_in(tmp_path / "after", dovecot, imap_user, smtp_sink)
    done = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), "learn"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    print("\n" + done.stdout.strip())
    assert f"learned from {len(HISTORY)} message(s)" in done.stdout, done.stdout
    assert "no bodies, addresses or subjects" in done.stdout
    config = load_config(path)
    with jobs.open_store(config) as store:
        from mailbot.storage import learning

        kept = learning.summary(store)
        terms = [t for (t,) in store.db.execute("SELECT term FROM learned_terms")]
        nothing_read = store.db.execute("SELECT count(*) FROM messages").fetchone()[0]
    assert nothing_read == 0  # learning stores no message
    assert kept.history_documents == len(HISTORY) and kept.terms == len(terms) > 500
    assert kept.size_bytes < 5_000_000
    # statistics only: stems, one or two at a time — no address, link, subject or sentence
    assert not any("@" in t or "http" in t or len(t.split()) > 2 for t in terms)
    long_subjects = {normalise(m.subject) for m in HISTORY if len(m.subject.split()) > 2}
    assert not long_subjects & set(terms)
    with jobs.open_store(config) as store:
        columns = [r[1] for r in store.db.execute("PRAGMA table_info(learned_terms)")]
    assert columns == ["term", "history", "everyday", "call"]
    assert dovecot.fetch_flags(imap_user) == flags  # the mailbox is untouched

    sent = len(smtp_sink.messages)
    after = judge(config, smtp_sink, sent)
    print("\nbefore mailbot learn:", before.line(), "\nafter mailbot learn: ", after.line())
    changed = {s: (before.dispositions[s], d) for s, d in after.dispositions.items()}
    changed = {s: pair for s, pair in changed.items() if pair[0] != pair[1]}
    print("dispositions changed:", changed or "none")
    assert after.letters_to_non_applicants == 0
    assert after.missed == ()
    assert len(after.everyday_caught) <= len(before.everyday_caught)
    assert (
        after.queue_items - after.queue_about_call <= before.queue_items - before.queue_about_call
    )
    # what the history taught weighs: everyday mail weighs less for the call than before
    everyday = [m.slug for m in JUDGED if not m.about_call]
    assert sum(after.weights[s] for s in everyday) < sum(before.weights[s] for s in everyday)
