"""What a run of a test mailbox must show: every shortfall against its data, and its figures.

`shortfalls` checks each message (not fetched, disposition, applications, letters) and then
the checks the mailbox's ``[checks]`` switches on (see `runner.CHECKS`); `figures` are the
counts printed with them.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from mailbot.stamp import kind_of

from .runner import CAUGHT, Mailbox, Message, Outcome


def who(app: dict[str, Any]) -> str:
    return str(app["fields"].get("email") or app["sender"]).lower()


def found_applications(m: Message, outcome: Outcome) -> list[tuple[str, ...]]:
    """The applications of a message in the shape its data gives them."""
    with_who = any(len(a) == 3 for a in m.applications)
    out = []
    for a in outcome.apps.get(m.message_id, []):
        state = "superseded" if a["superseded"] else "live"
        out.append((who(a), a["status"], state) if with_who else (a["status"], state))
    return sorted(out)


def letters_by_thread(outcome: Outcome) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for r in outcome.received:
        out[(r.message["In-Reply-To"] or "").strip()].append(
            kind_of(r.message["X-Mailbot-Reply"]) or "?"
        )
    return out


def _kinds_match(got: list[str], want: tuple[str, ...]) -> bool:
    if len(got) != len(want):
        return False
    named = sorted(k for k in want if k != "*")
    return all(Counter(got)[k] >= n for k, n in Counter(named).items())


def per_message(mailbox: Mailbox, outcome: Outcome) -> tuple[list[str], dict[str, Any]]:
    """Each message against its data; the tallies the figures and the tolerances need."""
    problems: list[str] = []
    tally: dict[str, Any] = {"missed": [], "everyday_caught": [], "soft": []}
    judging = mailbox.checks.get("dispositions", "exact")
    for m in mailbox.messages:
        rec = outcome.records.get(m.message_id)
        got = rec["disposition"] if rec else None
        if not m.fetched:
            if rec is not None:
                problems.append(f"{m.slug}: before imap.since, yet read ({got})")
        elif judging == "exact":
            if m.expect is not None and got not in m.expect:
                reason = rec.get("reason") if rec else None
                problems.append(f"{m.slug}: disposition {got} ({reason}), want {sorted(m.expect)}")
        elif m.about_call:
            if got not in CAUGHT:
                tally["missed"].append(m.slug)
                problems.append(f"{m.slug}: about the call, not caught ({got})")
            elif m.expect is not None and got not in m.expect:
                tally["soft"].append(f"{m.slug}: judged {got}, a person would say {set(m.expect)}")
        else:
            if got in CAUGHT or m.message_id in outcome.queue:
                tally["everyday_caught"].append(m.slug)
            elif m.expect is not None and got not in {*m.expect, "unrelated", "ignored"}:
                tally["soft"].append(f"{m.slug}: judged {got}, a person would say {set(m.expect)}")
        found = found_applications(m, outcome)
        if found != sorted(m.applications):
            problems.append(f"{m.slug}: applications {found}, want {sorted(m.applications)}")
    allowed = mailbox.checks.get("everyday_in_queue_at_most", 0)
    if judging == "about-the-call" and len(tally["everyday_caught"]) > allowed:
        problems.append(
            f"everyday mail in the queue or taken for the call's: {tally['everyday_caught']}"
            f" (at most {allowed})"
        )
    problems += letter_problems(mailbox, outcome)
    return problems, tally


def letter_problems(mailbox: Mailbox, outcome: Outcome) -> list[str]:
    if mailbox.checks.get("letters", "by-thread") == "by-recipient":
        got = sorted(
            (r.rcpt_tos[0].lower(), kind_of(r.message["X-Mailbot-Reply"])) for r in outcome.received
        )
        want = sorted((m.address, k) for m in mailbox.messages for k in m.letters)
        if got == want:
            return []
        return [
            f"letters not deserved: {sorted((Counter(got) - Counter(want)).elements())}",
            f"letters missing: {sorted((Counter(want) - Counter(got)).elements())}",
        ]
    problems = []
    letters = letters_by_thread(outcome)
    ids = {m.message_id for m in mailbox.messages}
    for m in mailbox.messages:
        if not _kinds_match(letters.get(m.message_id, []), m.letters):
            problems.append(f"{m.slug}: letters {letters.get(m.message_id, [])}, want {m.letters}")
    stray = {k: v for k, v in letters.items() if k not in ids}
    if stray:
        problems.append(f"letters threaded under no message of the mailbox: {stray}")
    return problems


def mailbox_problems(mailbox: Mailbox, outcome: Outcome) -> list[str]:
    """The mailbox-wide checks its ``[checks]`` switches on."""
    c, o, problems = mailbox.checks, outcome, []
    apps = [a for found in o.apps.values() for a in found]
    if c.get("processed_counts"):
        first, second = len(mailbox.judged), len(mailbox.second)
        if (o.first.messages.processed, o.second.messages.processed) != (first, second):
            problems.append(
                f"polls processed {o.first.messages.processed} / {o.second.messages.processed}"
                f" messages, want {first} / {second}"
            )
    if c.get("replied_only_applications"):
        replied = [
            k for k, r in o.records.items() if r["disposition"] != "application" and r["replied"]
        ]
        if replied:
            problems.append(f"replied to messages that are no application: {replied}")
    if "withheld" in c:
        withheld = {a["message_id"]: a["reply_withheld"] for a in apps if a.get("reply_withheld")}
        if set(withheld) != set(c["withheld"]):
            want = sorted(c["withheld"])
            problems.append(f"letters withheld for {sorted(withheld)}, want {want}")
        if isinstance(c["withheld"], dict):
            for mid, text in c["withheld"].items():
                if text not in (withheld.get(mid) or ""):
                    problems.append(f"{mid}: withheld for {withheld.get(mid)!r}, not {text!r}")
    if "live_applicants" in c:
        live = sorted({who(a) for a in apps if not a["superseded"]})
        if live != sorted(c["live_applicants"]):
            problems.append(f"live applicants {live}, want {sorted(c['live_applicants'])}")
    if "numbering" in c:
        problems += numbering_problems(mailbox, o, c["numbering"])
    if "letter_reference" in c:
        problems += reference_problems(mailbox, o, c["letter_reference"])
    if c.get("unrelated_keep_nothing"):
        rows = o.store_facts["unrelated"]
        if not rows or any(tuple(r) != (None, 0) for r in rows):
            problems.append(f"unrelated mail kept a body or files: {rows}")
    for mid, text in c.get("excerpts", {}).items():
        if text not in (o.store_facts["excerpts"].get(mid) or ""):
            problems.append(f"{mid}: excerpt {o.store_facts['excerpts'].get(mid)!r} lacks {text!r}")
    for text in c.get("digest_contains", ()):
        if text not in o.store_facts["digest"]:
            problems.append(f"the digest lacks {text!r}")
    if c.get("mailbox_untouched"):
        inbox = sum(m.folder.upper() == "INBOX" for m in mailbox.messages)
        if len(o.flags_after) != inbox:
            problems.append(f"INBOX holds {len(o.flags_after)} messages, want {inbox}")
        if {uid: o.flags_after.get(uid) for uid in o.flags_before} != o.flags_before:
            problems.append("the first pass's messages changed their flags")
        if any(b"\\Seen" in f for f in o.flags_after.values()):
            problems.append("messages marked \\Seen")
    if c.get("sent_folder_copies") and o.sent_folder not in (None, len(o.received)):
        problems.append(f"{o.sent_folder} copies in Sent for {len(o.received)} letters")
    again = o.again
    if not (
        again.ok
        and again.messages.processed == 0
        and again.replies is not None
        and again.replies.sent == 0
        and len(o.received) == o.sent_before_again
    ):
        problems.append(
            f"a further poll did something: ok {again.ok}, processed {again.messages.processed},"
            f" letters {len(o.received) - o.sent_before_again}"
        )
    return problems


def numbering_problems(mailbox: Mailbox, o: Outcome, prefix: str) -> list[str]:
    """References: applications only, from 0001, no gaps; the first poll's in order of
    receipt, the second poll's after them."""
    second = {m.message_id for m in mailbox.second}
    apps = [a for found in o.apps.values() for a in found]
    first = [a for a in apps if a["message_id"] not in second]
    later = [a for a in apps if a["message_id"] in second]
    problems = []
    refs = sorted(a["reference"] for a in apps)
    if refs != [f"{prefix}{n:04d}" for n in range(1, len(apps) + 1)]:
        problems.append(f"references {refs} not 1..{len(apps)}")
    ordered = sorted(first, key=lambda a: (a["received_at"], a["reference"]))
    if [a["reference"] for a in ordered] != [f"{prefix}{n:04d}" for n in range(1, len(first) + 1)]:
        problems.append("the first poll's references do not follow the order of receipt")
    want = [f"{prefix}{n:04d}" for n in range(len(first) + 1, len(apps) + 1)]
    if sorted(a["reference"] for a in later) != want:
        got = [a["reference"] for a in later]
        problems.append(f"the second poll's references {got}, want {want}")
    return problems


def reference_problems(mailbox: Mailbox, o: Outcome, spec: dict[str, str]) -> list[str]:
    from .runner import REFERENCE, pick_letter

    m = next(x for x in mailbox.messages if x.slug == spec["message"])
    letter = pick_letter(mailbox, {k: v for k, v in spec.items() if k != "message"}, o.received)
    found = REFERENCE.search(str(letter["Subject"])) if letter is not None else None
    refs = [a["reference"] for a in o.apps.get(m.message_id, [])]
    if found is None or refs[:1] != [found[0]]:
        return [f"{m.slug}: reference {refs} not the one its letter names ({found and found[0]})"]
    return []


def shortfalls(mailbox: Mailbox, outcome: Outcome) -> tuple[list[str], dict[str, Any]]:
    problems, tally = per_message(mailbox, outcome)
    return problems + mailbox_problems(mailbox, outcome), tally


def figures(mailbox: Mailbox, outcome: Outcome, tally: dict[str, Any]) -> dict[str, Any]:
    judged = [m for m in mailbox.messages if m.fetched]
    about = [m for m in judged if m.about_call]
    in_queue = [mid for mid in outcome.queue if mid in {m.message_id for m in judged}]
    relevant = sum(1 for m in about if m.message_id in in_queue)
    return {
        "messages (read / before imap.since)": f"{len(judged)} / {len(mailbox.history)}",
        "letters sent": len(outcome.received),
        "recall (about the call caught)": f"{len(about) - len(tally['missed'])} of {len(about)}",
        "everyday in the queue or taken for the call's": len(tally["everyday_caught"]),
        "queue: messages / about the call": f"{len(in_queue)} / {relevant}",
        "dispositions": dict(Counter(r["disposition"] for r in outcome.records.values())),
        "further poll: processed / sent": f"{outcome.again.messages.processed} / "
        f"{outcome.again.replies.sent if outcome.again.replies else 0}",
    }
