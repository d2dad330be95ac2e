"""The DKRES secretariat's own mailbox (tests/mailboxes/secretariat_b) through Dovecot and aiosmtpd.

Its everyday mail speaks the call's language; 30 messages concern the call. They are APPENDed
with their INTERNALDATE and read by `jobs.poll`; the replies in the thread of mailbot's letters
follow and a second poll reads them; a third poll must read and send nothing. Printed first:
the figures (letters to non-applicants, everyday mail in the coordinator's queue, the queue's
precision, recall of the call's mail, status mismatches), then every mismatch with the
message's recorded disposition, reason and signals.
"""

from __future__ import annotations

import json
from collections import defaultdict

import pytest
from mailboxes.secretariat_b.messages import MESSAGES
from mailboxes.secretariat_b.model import WARSAW, deliver

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.export import export_json
from mailbot.ops.review import attention, message_row
from mailbot.stamp import kind_of

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
ABOUT = ("application", "correspondence")


def test_secretariat_b_mailbox(dovecot, imap_user, smtp_sink, tmp_path, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    by_id = {m.message_id: m for m in MESSAGES}
    assert len(by_id) == len(MESSAGES)

    deliver(dovecot, imap_user, [m for m in MESSAGES if not m.reply_to_letter])
    first = jobs.poll(config)
    assert first.ok, first.problem()
    answered = {
        by_id[r.message["In-Reply-To"]].slug: r.message
        for r in smtp_sink.messages
        if r.message["In-Reply-To"] in by_id
    }
    deliver(dovecot, imap_user, [m for m in MESSAGES if m.reply_to_letter], answered)
    second = jobs.poll(config)
    assert second.ok, second.problem()
    sent = len(smtp_sink.messages)
    third = jobs.poll(config)

    letters: dict[str, list[str]] = defaultdict(list)  # message_id -> kinds of its letters
    stray = []  # letters threaded under no message of the mailbox
    for r in smtp_sink.messages:
        kind = kind_of(r.message["X-Mailbot-Reply"]) or "?"
        if r.message["In-Reply-To"] in by_id:
            letters[r.message["In-Reply-To"]].append(kind)
        else:
            stray.append((r.rcpt_tos, kind, r.message["Subject"]))
    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
        queue: dict[str, list[str]] = defaultdict(list)  # message_id -> kinds of its items
        for item in attention(config, store, with_lines=False):
            if item.message_pk is not None:
                queue[message_row(store, item.message_pk)["message_id"]].append(item.kind)
    got = {x["message_id"]: x for x in data["messages"]}
    apps: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for a in data["applications"]:
        apps[a["message_id"]].append((a["status"], not a["superseded"]))

    mismatches = []
    non_applicant_letters = wrong_counts = everyday_in_queue = caught = 0
    wrong_status = spurious = listed = 0  # listed: everyday, judged unrelated, yet in the queue
    for m in MESSAGES:
        mid, problems = m.message_id, []
        disposition = got.get(mid, {}).get("disposition")
        n_letters = len(letters[mid])
        if not m.letter and n_letters:
            non_applicant_letters += n_letters
            problems.append(f"{n_letters} letter(s) to someone who did not apply")
        if m.letter and letters[mid] != [m.status] * m.forms:
            wrong_counts += 1
            problems.append(f"letters {letters[mid]}, deserved {[m.status] * m.forms}")
        if m.about_call:
            caught += disposition in ABOUT
            if disposition != m.expect:
                problems.append(f"judged {disposition}, a person would say {m.expect}")
        elif disposition in ABOUT or mid in queue:
            everyday_in_queue += 1
            listed += disposition not in ABOUT
            problems.append("everyday mail taken for the call's / put in the queue")
        want = sorted([(m.status, m.live)] * m.forms) if m.status else []
        if sorted(apps[mid]) != want:
            wrong_status += bool(want)
            spurious += not want
            problems.append(f"applications (status, live) {sorted(apps[mid])}, want {want}")
        if problems:
            x = got.get(mid, {})
            mismatches.append(
                f"{m.slug} [{m.why}]\n      "
                + "; ".join(problems)
                + f"\n      disposition={disposition} reason={x.get('reason')!r} "
                f"signals={x.get('signals')!r} queue={queue.get(mid)} letters={letters[mid]}"
            )
    in_queue = [mid for mid in queue if mid in by_id]
    relevant = sum(by_id[mid].about_call for mid in in_queue)
    about = sum(m.about_call for m in MESSAGES)
    everyday = len(MESSAGES) - about
    kinds = defaultdict(int)
    for mid in in_queue:
        for k in set(queue[mid]):
            kinds[f"{k} ({'call' if by_id[mid].about_call else 'everyday'})"] += 1
    rows = [
        ("messages: everyday / about the call", f"{everyday} / {about}", ""),
        ("letters sent (all passes)", str(sent), ""),
        ("letters to non-applicants", str(non_applicant_letters + len(stray)), "0"),
        ("applicants without exactly their letter per form", str(wrong_counts), "0"),
        ("everyday messages in the queue or judged about", f"{everyday_in_queue}", "<= 2"),
        ("  of them judged unrelated, listed in the queue", str(listed), ""),
        ("queue: messages in it / about the call", f"{len(in_queue)} / {relevant}", ""),
        ("queue precision", f"{relevant / max(len(in_queue), 1):.0%}", ""),
        ("recall of the call's mail", f"{caught}/{about} = {caught / about:.0%}", "100%"),
        ("the call's applications: status/live wrong", str(wrong_status), "0"),
        ("applications made of mail that is no application", str(spurious), "0"),
        (
            "third poll: processed / sent",
            f"{third.messages.processed} / {third.replies.sent if third.replies else 0}",
            "0 / 0",
        ),
    ]
    print("\nsecretariat_b mailbox figures")
    for name, value, goal in rows:
        print(f"  {name:<48} {value:>14}   {goal}")
    print("  queue by kind:", dict(sorted(kinds.items())))
    print(f"\n{len(mismatches)} mismatch(es):", *mismatches, sep="\n  ")
    if stray:
        print("letters threaded under no message of the mailbox:", *stray, sep="\n  ")

    assert third.messages.processed == 0 and len(smtp_sink.messages) == sent
    assert non_applicant_letters + len(stray) == 0, "letters to people who did not apply"
    assert wrong_counts == 0, "applicants not answered exactly once"
    assert everyday_in_queue <= 2, "the secretariat's everyday mail fills the queue"
    assert caught == about, "mail about the call missed"
    assert wrong_status == spurious == 0, "applications' statuses or live flags wrong"
