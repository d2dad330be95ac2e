"""SIGKILL `mailbot poll` at random moments, again and again; then let it finish.

Nothing may be lost and nothing done twice: every message in the mailbox ends up as exactly one
row, every application with the right status, and the SMTP server gets exactly one reply per
message that deserves one. The one accepted exception is the window the README names (the
server's ``250`` received, ``sent`` not yet committed): a reply sent twice must be explained
by a kill observed in exactly that window, and the figures are printed.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import tempfile
import time
from collections import Counter

import pytest

from mailbot.ops import samples
from mailbot.stamp import kind_of

from . import helpers as h

pytestmark = pytest.mark.integration

N_MESSAGES = 400
MIN_KILLS = 30
SMTP_DELAY = 0.05  # seconds the sink waits before accepting each recipient
TIME_BUDGET = 75.0  # seconds for the kill phase
WAVE = 20  # messages arriving at once (small waves: many passes to kill)


def _variants() -> dict[str, bytes]:
    """One DOCX per applicant variant (made once, reused by many messages)."""
    base = samples.Applicant
    return {
        "accepted_g1": samples.filled_docx(base(full_name="Anna Nowak", groups=(1,))),
        "accepted_g25": samples.filled_docx(base(full_name="Jan Kos", groups=(2, 5))),
        "accepted_g3": samples.filled_docx(base(full_name="Ewa Lis", groups=(3,))),
        "incomplete_phone": samples.filled_docx(base(full_name="Piotr Wilk", phone=None)),
        "incomplete_gdpr": samples.filled_docx(base(full_name="Olga Sowa", consents_gdpr=False)),
    }


def _mailbox(rng: random.Random) -> list[dict]:
    """The messages (in APPEND order) with what mailbot must make of each."""
    docs = _variants()
    kinds = (
        ["accepted_g1", "accepted_g25", "accepted_g3"] * 5
        + ["incomplete_phone", "incomplete_gdpr"] * 2
        + ["no_form"] * 2
        + ["ooo"] * 2
    )
    items: list[dict] = []
    for i in range(N_MESSAGES - 10):
        kind = rng.choice(kinds)
        when = h.spread(i, N_MESSAGES)
        sender = f"osoba{i}@kill{i % 7}.example.pl"
        msgid = f"<kill-{i}@kill{i % 7}.example.pl>"
        if kind == "ooo":
            raw = h.out_of_office(sender, msgid)
            expect = ("ignored", None)
        elif kind == "no_form":
            raw = h.application(
                sender,
                msgid,
                None,
                name=f"Osoba {i}",
                date=when,
                body="Zgłaszam się do grupy 3, formularz doślę.\r\n",
            )
            expect = ("application", "no_form")
        else:
            raw = h.application(sender, msgid, docs[kind], name=f"Osoba {i}", date=when)
            expect = ("application", kind.split("_")[0])
        items.append({"raw": raw, "when": when, "msgid": msgid, "sender": sender, "expect": expect})
    # duplicates of Message-IDs: the same bytes delivered twice, and a different message
    # reusing an earlier Message-ID
    originals = [it for it in items if it["expect"][0] == "application"]
    for it in rng.sample(originals, 5):
        items.append({**it, "expect": ("duplicate", None)})
    for j, it in enumerate(rng.sample(originals, 5)):
        raw = h.application(
            f"inny{j}@example.pl",
            it["msgid"],
            None,
            name="Inny",
            body="Inna wiadomość, ten sam Message-ID.\r\n",
        )
        items.append(
            {
                "raw": raw,
                "when": it["when"],
                "msgid": it["msgid"],
                "sender": f"inny{j}@example.pl",
                "expect": ("duplicate", None),
            }
        )
    return items


def _stored(config) -> int:
    if not (config.parent / "state" / "mailbot.db").exists():
        return 0
    try:
        return h.query(config, "SELECT count(*) FROM messages")[0][0]
    except sqlite3.OperationalError:  # the schema is not there yet
        return 0


def _pending(config) -> int:
    if not _stored(config):
        return 0
    return h.query(config, "SELECT count(*) FROM replies WHERE state IN ('queued', 'sending')")[0][
        0
    ]


def _sending_rows(config) -> list[str]:
    if not _stored(config):
        return []
    return [
        r["reply_message_id"]
        for r in h.query(config, "SELECT reply_message_id FROM replies WHERE state = 'sending'")
    ]


def test_sigkill_at_random_moments_loses_nothing_and_sends_once(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    seed = int(os.environ.get("MAILBOT_KILL_SEED", random.SystemRandom().randrange(10**9)))
    print(f"\nkill test seed: {seed} (rerun with MAILBOT_KILL_SEED={seed})")
    rng = random.Random(seed)
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    items = _mailbox(rng)
    config = h.write_config(
        tmp_path, dovecot, imap_user, smtp_sink, batch_size=10, limits={"replies_per_hour": 10_000}
    )
    h.slow_down(smtp_sink, SMTP_DELAY)

    kills = kills_in_processing = kills_in_sending = finished_runs = 0
    window_hits: set[str] = set()  # replies the sink has while their row says 'sending'
    appended: list[int] = []
    started = time.monotonic()
    with tempfile.TemporaryFile() as log:
        while kills < MIN_KILLS + 6 and time.monotonic() - started < TIME_BUDGET:
            stored = _stored(config)
            if stored >= len(items) and not _pending(config):
                break  # all done: the rest of the test kills nothing idle
            if stored >= len(appended) and len(appended) < len(items):
                # the mail so far is in: the next wave arrives (processing work for the kills)
                wave = items[len(appended) : len(appended) + WAVE]
                appended += h.append_many(
                    dovecot, imap_user, [(it["raw"], it["when"]) for it in wave]
                )
            sink_before = len(smtp_sink.messages)
            proc = subprocess.Popen(
                h.cmd(config, "poll"),
                env=h.env(),
                cwd=h.REPO,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
            modes = (
                ("anywhere", "processing", "sending")
                if stored < len(appended)
                else ("anywhere", "sending")
            )
            mode = rng.choice(modes)
            deadline = time.monotonic() + (rng.uniform(0.05, 1.0) if mode == "anywhere" else 20)
            rows_target = stored + rng.randint(1, WAVE // 2)
            sink_target = sink_before + rng.randint(1, 8)
            while proc.poll() is None and time.monotonic() < deadline:
                if mode == "processing" and _stored(config) >= rows_target:
                    time.sleep(rng.uniform(0, 0.01))
                    break
                if mode == "sending" and len(smtp_sink.messages) >= sink_target:
                    time.sleep(rng.uniform(0, SMTP_DELAY * 2))
                    break
                time.sleep(0.005)
            if proc.poll() is not None:
                finished_runs += 1
                assert proc.returncode == 0, f"poll exited {proc.returncode}, not killed"
                continue
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            sink_after = len(smtp_sink.messages)
            if _stored(config) > stored and sink_after == sink_before:
                kills_in_processing += 1
            if sink_after > sink_before:
                kills_in_sending += 1
            received = {h.reply_key(r) for r in list(smtp_sink.messages)}
            window_hits.update(mid for mid in _sending_rows(config) if mid in received)
        log.seek(0)
        errors = log.read().decode("utf-8", "replace")
    if len(appended) < len(items):
        appended += h.append_many(
            dovecot, imap_user, [(it["raw"], it["when"]) for it in items[len(appended) :]]
        )
    uids = appended

    # then poll to completion: exit 0 and nothing pending
    final_runs = 0
    for final_runs in range(1, 6):  # noqa: B007 - the count is printed
        done = h.run(config, "poll")
        assert done.returncode == 0, done.stderr
        pending = h.query(
            config, "SELECT count(*) FROM replies WHERE state IN ('queued', 'sending')"
        )[0][0]
        if pending == 0:
            break
    assert pending == 0

    data = h.export(config)
    messages, applications = data["messages"], data["applications"]
    # every message in the mailbox has exactly one row
    assert Counter(m["message_id"] for m in messages) == Counter(it["msgid"] for it in items)
    stored_uids = [r[0] for r in h.query(config, "SELECT uid FROM messages ORDER BY uid")]
    assert len(set(uids)) == len(items)
    assert stored_uids == sorted(uids), "each UID exactly once"
    # the right disposition and status for each
    expected_by_mid: dict[str, list[tuple]] = {}
    for it in sorted(zip(uids, items, strict=True), key=lambda p: p[0]):
        expected_by_mid.setdefault(it[1]["msgid"], []).append(it[1]["expect"])
    got_by_mid: dict[str, list[tuple]] = {}
    status_of = {a["message_id"]: a["status"] for a in applications}
    uid_rows = h.query(
        config,
        "SELECT m.uid, m.message_id, m.disposition, a.status FROM "
        "messages m LEFT JOIN applications a ON a.message_pk = m.id ORDER BY uid",
    )
    for r in uid_rows:
        got_by_mid.setdefault(r["message_id"], []).append((r["disposition"], r["status"]))
    assert got_by_mid == expected_by_mid
    assert len(applications) == sum(1 for it in items if it["expect"][0] == "application")
    assert all(
        status_of[mid] == exp[0][1]
        for mid, exp in expected_by_mid.items()
        if exp[0][0] == "application"
    )

    # exactly one reply per message that deserves one; none for ignored or duplicates
    deserving = Counter(it["sender"].lower() for it in items if it["expect"][0] == "application")
    got = h.replies(smtp_sink)
    by_key = Counter(h.reply_key(r) for r in got)
    doubled = {k: n for k, n in by_key.items() if n > 1}
    recipients = Counter(r.rcpt_tos[0].lower() for r in got)
    distinct_recipients = Counter()
    for key in by_key:
        first = next(r for r in got if h.reply_key(r) == key)
        distinct_recipients[first.rcpt_tos[0].lower()] += 1
    tmp_left = list((tmp_path / "state" / "files" / ".tmp").glob("*"))
    elapsed = time.monotonic() - started
    print(
        f"messages: {len(items)} ({len(deserving)} deserve a reply, "
        f"{sum(1 for it in items if it['expect'][0] == 'duplicate')} duplicates, "
        f"{sum(1 for it in items if it['expect'][0] == 'ignored')} ignored)\n"
        f"kills: {kills} (during processing: {kills_in_processing}, during sending: "
        f"{kills_in_sending}); passes that finished before their kill: {finished_runs}; "
        f"final passes: {final_runs}\n"
        f"replies expected: {sum(deserving.values())}, received: {len(got)}, distinct: "
        f"{len(by_key)}; sent twice: {sum(n - 1 for n in doubled.values())} "
        f"(kills inside the 250-before-commit window: {len(window_hits)})\n"
        f"temporary files left by killed passes: {len(tmp_left)}; {elapsed:.0f} s; seed {seed}"
    )
    assert kills >= MIN_KILLS, f"only {kills} kills in {TIME_BUDGET} s"
    assert kills_in_sending >= 5, "too few kills landed while replies were being sent"
    # each message answered by one composed reply (never two replies for one message)
    assert distinct_recipients == deserving
    # a reply delivered twice is only acceptable when a kill hit the documented window
    unexplained = set(doubled) - window_hits
    assert not unexplained, (
        f"replies sent twice without a kill in the 250 window: {sorted(unexplained)} (seed {seed})"
    )
    assert set(recipients) == set(deserving)
    for r in got:
        assert kind_of(r.message["X-Mailbot-Reply"]) in ("accepted", "incomplete", "no_form")
    assert "Traceback" not in errors, errors[-3000:]
    # half-written files of killed passes (real ones, and one made here) are swept once old
    tmp_root = tmp_path / "state" / "files" / ".tmp"
    tmp_root.mkdir(mode=0o700, exist_ok=True)
    (tmp_root / "killed").write_bytes(b"half a file")
    fresh = tmp_root / "being-written"  # a file another pass is writing right now
    fresh.write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    for leftover in tmp_root.glob("*"):
        if leftover != fresh:
            os.utime(leftover, (an_hour_ago, an_hour_ago))
    assert h.run(config, "poll").returncode == 0
    assert list(tmp_root.glob("*")) == [fresh]
    assert "database is locked" not in errors
