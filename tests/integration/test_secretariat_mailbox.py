"""The DKRES secretariat's own mailbox (tests/mailboxes/secretariat) through real Dovecot and
aiosmtpd: letters go only to applicants, the coordinator's queue holds the call's mail and not
the secretariat's everyday work, every message about the call is caught, applications get
their status and live flag, and a further pass does nothing.

The history before `imap.since` is delivered too (mailbot must leave it alone). Messages that
answer mailbot's own letters are delivered after the first pass, in the thread of the letter
that pass sent. Prints a table of figures, then every mismatch with the message's recorded
disposition, reason and signals (run with -s to see them when it passes).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

import pytest
from mailboxes.model import deliver
from mailboxes.secretariat.messages import HISTORY, MESSAGES, WARSAW

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.export import export_json
from mailbot.ops.review import attention

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration

CAUGHT = ("application", "correspondence")
MAX_EVERYDAY_IN_QUEUE = 2


@pytest.fixture
def config(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))


def letters_by_message(smtp_sink) -> dict[str, list]:
    """The letters that reached SMTP, by the Message-ID they answer (In-Reply-To)."""
    out: dict[str, list] = defaultdict(list)
    for r in smtp_sink.messages:
        out[(r.message["In-Reply-To"] or "").strip()].append(r.message)
    return out


def test_secretariat_mailbox(dovecot, imap_user, smtp_sink, config):
    by_slug = {m.slug: m for m in MESSAGES}
    deliver(dovecot, imap_user, [*HISTORY, *(m for m in MESSAGES if not m.answers_letter_of)])
    first = jobs.poll(config)
    assert first.ok, first.problem()
    letters = letters_by_message(smtp_sink)
    threaded = []
    for m in (m for m in MESSAGES if m.answers_letter_of):
        answered = by_slug[m.answers_letter_of]
        letter = (letters.get(answered.message_id) or [None])[0]
        if letter is None:  # no letter to answer: the person answers their own message
            letter = {"Message-ID": answered.message_id, "Subject": answered.subject}
        threaded.append(m.in_thread_of(letter["Message-ID"], letter["Subject"]))
    deliver(dovecot, imap_user, threaded)
    second = jobs.poll(config)
    assert second.ok, second.problem()
    sent_before = len(smtp_sink.messages)
    again = jobs.poll(config)

    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
        mid_of_pk = dict(store.db.execute("SELECT id, message_id FROM messages").fetchall())
        queue = attention(config, store, with_lines=False)
    records = {r["message_id"]: r for r in data["messages"]}
    apps: dict[str, list] = defaultdict(list)
    for a in data["applications"]:
        apps[a["message_id"]].append(a)
    queued: dict[str, list[str]] = defaultdict(list)
    for item in queue:
        queued[mid_of_pk.get(item.message_pk, f"pk {item.message_pk}")].append(item.kind)
    letters = letters_by_message(smtp_sink)
    ours = {m.message_id for m in MESSAGES}
    about = {m.message_id for m in MESSAGES if m.about_call}
    everyday = [m for m in MESSAGES if not m.about_call]

    undeserved = sum(len(v) for k, v in letters.items() if k not in ours)
    one_letter, everyday_caught, missed, wrong_apps, mismatches = [], [], [], [], []
    for m in MESSAGES:
        rec = records.get(m.message_id, {})
        got = rec.get("disposition")
        sent = [x["X-Mailbot-Reply"] for x in letters.get(m.message_id, [])]
        found = sorted((a["status"], not a["superseded"]) for a in apps[m.message_id])
        want = [(m.status, m.live)] if m.expect == "application" else []
        problems = []
        if m.letter:
            one_letter.append(len(sent) == 1)
            if len(sent) != 1:
                problems.append(f"letters {sent}, want exactly one")
        elif sent:
            undeserved += len(sent)
            problems.append(f"undeserved letter(s) {sent}")
        if m.about_call and got not in CAUGHT:
            missed.append(m.slug)
            problems.append("about the call, not caught")
        if not m.about_call and (got in CAUGHT or m.message_id in queued):
            everyday_caught.append(m.slug)
            problems.append(f"everyday mail in the queue {queued.get(m.message_id, [])}")
        if got != m.expect and (m.about_call or got not in ("unrelated", "ignored")):
            problems.append(f"disposition {got}, want {m.expect}")
        if found != want:
            wrong_apps.append(m.slug)
            problems.append(f"applications (status, live) {found}, want {want}")
        if problems:
            mismatches.append((m, got, rec.get("reason"), rec.get("signals"), problems))

    items = [k for kinds in queued.values() for k in kinds]
    items_about = [k for mid, kinds in queued.items() if mid in about for k in kinds]
    history_read = sum(1 for m in HISTORY if m.message_id in records)
    figures = {
        "messages (everyday / about the call)": f"{len(MESSAGES)} ({len(everyday)} / {len(about)})",
        "history before imap.since read (must be 0)": f"{history_read} of {len(HISTORY)}",
        "letters sent": sent_before,
        "letters to non-applicants (goal 0)": undeserved,
        "applicants with exactly one letter": f"{sum(one_letter)} of {len(one_letter)}",
        "everyday in queue or app/corr (goal <= 2)": f"{len(everyday_caught)} of {len(everyday)}",
        "queue items about the call / all": f"{len(items_about)} / {len(items)}",
        "queue precision": f"{len(items_about) / len(items):.0%}" if items else "-",
        "queue items by kind": dict(Counter(items)),
        "recall (about the call caught)": f"{len(about) - len(missed)} of {len(about)}",
        "messages with wrong applications (status, live)": len(wrong_apps),
        "dispositions": dict(Counter(r["disposition"] for r in data["messages"])),
        "further pass: processed / sent": f"{again.messages.processed} / {again.replies.sent}",
    }
    print("\nsecretariat mailbox")
    for name, value in figures.items():
        print(f"  {name:<50} {value}")
    print(f"mismatches ({len(mismatches)}):")
    for m, got, reason, signals, problems in mismatches:
        print(f"  {m.slug}: {m.why}\n    got {got} ({reason}); signals {signals}")
        print("".join(f"    - {p}\n" for p in problems), end="")

    failures = {
        "letters to non-applicants": undeserved,
        "applicants without exactly one letter": one_letter.count(False),
        "everyday mail in the queue": len(everyday_caught)
        * (len(everyday_caught) > MAX_EVERYDAY_IN_QUEUE),
        "about the call missed": missed,
        "wrong applications": wrong_apps,
        "history read": history_read,
        "further pass did something": again.messages.processed
        + again.replies.sent
        + len(smtp_sink.messages)
        - sent_before,
    }
    failed = {k: v for k, v in failures.items() if v}
    if failed:
        pytest.fail(f"secretariat mailbox: {failed}", pytrace=False)
