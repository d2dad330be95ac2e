"""Store stage: what one message's outcome writes, each in one transaction.

Message row, stored files, applications, the queued replies and the IMAP high-water mark
commit together (:func:`record_judged`); robots and duplicates get a message row only
(:func:`record_message`); a message whose processing failed is counted and retried, then set
aside (:func:`note_failure`). :func:`already_recorded` says whether a message was seen before.

What is kept follows the disposition: an application or correspondence keeps the message and
its files; an ``unrelated`` message keeps only what stops it being looked at twice and lets a
person find it (UID, Message-ID, received, sender, subject, hash) — never its body or files.
Reference numbers come from a counter in ``meta``
(:data:`~mailbot.storage.store.REFERENCE_COUNTER_KEY`): only applications get one, in order
of receipt, never reused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from mailbot.mail.mime import parse_message
from mailbot.models import ApplicationDraft, Classified, Envelope, Judged, Outcome, RawMessage
from mailbot.pipeline import policy
from mailbot.pipeline.applicants import (
    AppState,
    full_name_of,
    person_joins,
    person_key,
    shared_address_groups,
    supersede,
)
from mailbot.pipeline.bounces import note_bounce
from mailbot.pipeline.classify import envelope_of
from mailbot.pipeline.replies import ReplyInputs, compose_reply
from mailbot.storage.store import REFERENCE_COUNTER_KEY, Store, dumps, iso, parse_iso

if TYPE_CHECKING:
    from mailbot.pipeline.context import Context


def _mark_key(raw: RawMessage) -> str:
    return f"imap:{raw.mailbox}:last_uid"


def _advance_mark(store: Store, raw: RawMessage) -> None:
    if raw.origin == "imap" and raw.uid is not None:
        current = store.get_state(_mark_key(raw))
        if current is None or int(current) < raw.uid:
            store.set_state(_mark_key(raw), str(raw.uid))


def _message_row(
    seen: Classified,
    raw_file: str | None,
    now: datetime,
    disposition: str | None = None,
    reason: str | None = None,
) -> dict[str, object]:
    env, raw = seen.envelope, seen.raw
    return {
        "message_id": env.message_id,
        "origin": raw.origin,
        "mailbox": raw.mailbox,
        "uidvalidity": raw.uidvalidity,
        "uid": raw.uid,
        "sha256": env.sha256,
        "size": env.size,
        "received_at": iso(env.received_at),
        "received_at_source": env.received_at_source,
        "sender": env.sender,
        "subject": env.subject,
        "disposition": disposition or seen.disposition,
        "reason": reason or seen.reason,
        "raw_file": raw_file,
        "stored_at": iso(now),
    }


def record_message(seen: Classified, ctx: Context) -> Outcome:
    """Store a message that gets no application and no reply (ignored, duplicate)."""
    assert seen.disposition is not None
    raw_file = ctx.store.save_file(seen.raw.raw, seen.envelope.sha256, ".eml")
    with ctx.store.transaction():
        pk = ctx.store.insert("messages", _message_row(seen, raw_file, ctx.now()))
        ctx.store.event(seen.disposition, pk, seen.reason or "")
        if seen.disposition == "ignored":  # a bounce of one of our replies marks it bounced
            note_bounce(ctx.store, pk, seen.message, seen.raw.raw, seen.envelope.received_at)
        _advance_mark(ctx.store, seen.raw)
    return Outcome(pk, seen.disposition, reason=seen.reason)


# --- which application a message refers to ---------------------------------------------------


def reference_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + r"-\d{4,}", re.IGNORECASE)


def thread_of(env: Envelope, store: Store, prefix: str) -> tuple[str | None, int | None]:
    """(what shows this message answers mailbot's mail, the application it relates to).

    A stored reply's Message-ID in ``In-Reply-To``/``References``, or a reference number in
    the subject; failing both, the related application is the sender's latest one.
    """
    if env.references:
        marks = ", ".join("?" for _ in env.references)
        row = store.db.execute(
            f"SELECT reply_message_id, application_pk FROM replies WHERE reply_message_id IN "
            f"({marks}) ORDER BY id DESC LIMIT 1",
            list(env.references),
        ).fetchone()
        if row:
            return f"odpowiedź na list {row[0]}", _live_reference(store, row[1])
    found = reference_pattern(prefix).search(env.subject)
    if found:
        row = store.db.execute(
            "SELECT id FROM applications WHERE reference = ? COLLATE NOCASE", [found.group(0)]
        ).fetchone()
        return f"numer {found.group(0).upper()} w temacie", row[0] if row else None
    if env.sender:
        row = store.db.execute(
            "SELECT id FROM applications WHERE sender_key = ? "
            "ORDER BY received_at DESC, id DESC LIMIT 1",
            [env.sender.lower()],
        ).fetchone()
        if row:
            return None, row[0]
    return None, None


def _live_reference(store: Store, app_pk: int | None) -> int | None:
    if app_pk is None:
        return None
    row = store.db.execute("SELECT id FROM applications WHERE id = ?", [app_pk]).fetchone()
    return row[0] if row else None


# --- superseding ---------------------------------------------------------------------------


def _rows(store: Store, where: str, params: list[object]) -> list[dict[str, object]]:
    return list(
        store.db.query(
            f"SELECT id, applicant_key, sender_key, received_at, status, fields FROM applications "
            f"WHERE {where}",
            params,
        )
    )


def _in(values: set[str]) -> str:
    return ", ".join("?" for _ in values) or "NULL"


def resupersede(store: Store, keys: set[str], senders: set[str]) -> None:
    """Apply :func:`~mailbot.pipeline.applicants.supersede` to every applicant these keys touch.

    An application known only by its sender (no form read: a scan, no form) belongs to the
    applicant whose forms that sender sent, when the sender sent one person's forms only (a
    secretariat sending several candidates' forms is not one applicant).
    """
    rows = {
        r["id"]: r
        for r in _rows(
            store,
            f"applicant_key IN ({_in(keys)}) OR sender_key IN ({_in(senders)})",
            [*keys, *senders],
        )
    }
    form_keys = {
        str(r["applicant_key"])
        for r in rows.values()
        if not str(r["applicant_key"]).startswith(("sender:", "message:"))
    }
    for r in _rows(store, f"applicant_key IN ({_in(form_keys)})", list(form_keys)):
        rows[r["id"]] = r
    all_senders = {str(r["sender_key"]) for r in rows.values() if r["sender_key"]}
    for r in _rows(
        store,
        f"applicant_key LIKE 'sender:%' AND sender_key IN ({_in(all_senders)})",
        list(all_senders),
    ):
        rows[r["id"]] = r
    same_person = _same_person(store, rows)
    joined = {*same_person, *same_person.values()}
    for r in _rows(store, f"applicant_key IN ({_in(joined)})", list(joined)):
        rows[r["id"]] = r
    joins: dict[str, str] = {}
    for sender in all_senders:
        people = {
            row[0]
            for row in store.db.execute(
                "SELECT DISTINCT applicant_key FROM applications WHERE sender_key = ? AND "
                "applicant_key NOT LIKE 'sender:%' AND applicant_key NOT LIKE 'message:%'",
                [sender],
            )
        }
        if len(people) == 1:
            joins[sender] = people.pop()
    entries: list[tuple[str, str | None]] = []
    for r in rows.values():
        key = str(r["applicant_key"])
        if key.startswith("sender:"):
            key = joins.get(str(r["sender_key"]), key)
        entries.append((same_person.get(key, key), full_name_of(_fields(r["fields"]))))
    groups: dict[str, list[AppState]] = {}
    for r, key in zip(rows.values(), shared_address_groups(entries), strict=True):
        groups.setdefault(key, []).append(
            AppState(
                int(r["id"]),  # type: ignore[call-overload]
                str(r["received_at"]),
                str(r["status"]),
            )
        )
    for apps in groups.values():
        for app_id, mark in supersede(apps).items():
            store.db.execute(
                "UPDATE applications SET superseded = ?, supersede_note = ? "
                "WHERE id = ? AND (superseded IS NOT ? OR supersede_note IS NOT ?)",
                [int(mark.superseded), mark.note, app_id, int(mark.superseded), mark.note],
            )


def _same_person(store: Store, rows: Mapping[object, Mapping[str, object]]) -> dict[str, str]:
    """``person:`` key → the ``email:`` key of the same person's forms, for the persons these
    applications name (see :func:`~mailbot.pipeline.applicants.person_joins`)."""
    keys = {str(r["applicant_key"]) for r in rows.values()}
    found: dict[str, str | None] = {}
    for key, fields in store.person_and_email_keys():
        person = key if key.startswith("person:") else person_key(_fields(fields))
        found.setdefault(key, person)
    persons = {found.get(k) for k in keys} - {None}
    joins = person_joins({k: p for k, p in found.items() if p in persons})
    return joins


def _fields(text: object) -> dict[str, object]:
    try:
        value = json.loads(str(text)) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# --- one person's message ------------------------------------------------------------------


def next_reference(store: Store, prefix: str) -> str:
    """The next reference number (inside the caller's transaction)."""
    last = int(store.get_state(REFERENCE_COUNTER_KEY) or 0)
    store.set_state(REFERENCE_COUNTER_KEY, str(last + 1))
    return f"{prefix}-{last + 1:04d}"


def _store_files(judged: Judged, ctx: Context, pk: int) -> dict[int, int]:
    """Attachment rows of a kept message; returns id(file) → attachment row id."""
    store = ctx.store
    results = {}
    chosen = set()
    for read in judged.applications or ():
        if read.form.chosen is not None:
            chosen.add(id(read.form.chosen))
    tried = judged.applications[0].form.tried if judged.applications else ()
    for f, r in tried:
        results[id(f)] = r
    rows = {}
    for f in judged.found.files:
        saved = None if f.refused else store.save_file(f.data, f.sha256)
        result = results.get(id(f))
        rows[id(f)] = store.insert(
            "attachments",
            {
                "message_pk": pk,
                "part": f.part,
                "filename": f.filename,
                "declared_type": f.declared_type,
                "kind": f.kind,
                "size": f.size,
                "sha256": f.sha256,
                "file": saved,
                "is_form": int(id(f) in chosen),
                "readable": None if result is None else int(result.readable),
                "reason": f.refused or (result.reason if result else None),
            },
        )
    return rows


def _insert_application(
    draft: ApplicationDraft,
    judged: Judged,
    ctx: Context,
    pk: int,
    attachment_rows: Mapping[int, int],
    reference: str,
    allow_reply: bool,
) -> tuple[int, bool]:
    store, env, read = ctx.store, judged.seen.envelope, draft.form
    extraction = read.extraction
    fields = (
        dict(extraction.fields) if extraction and extraction.readable else ctx.form.empty_fields()
    )
    form_pk = None
    if read.chosen is not None:
        form_pk = attachment_rows.get(id(read.chosen))
    elif read.tried:
        form_pk = attachment_rows.get(id(read.tried[0][0]))
    decision = policy.reply_for(
        store,
        judged.seen.message,
        env.sender,
        draft.verdict.status,
        judged.seen.no_reply,
        ctx.limits,
        ctx.now(),
        call_address=ctx.call.address,
    )
    withheld = decision.withheld if allow_reply else None
    app_pk = store.insert(
        "applications",
        {
            "message_pk": pk,
            "reference": reference,
            "status": draft.verdict.status,
            "problems": dumps(draft.verdict.codes),
            "fields": dumps(fields),
            "notes": dumps(list(draft.verdict.notes)),
            "sources": dumps(dict(extraction.sources) if extraction else {}),
            "attachment_pk": form_pk,
            "sender": env.sender,
            "sender_key": env.sender.lower() if env.sender else None,
            "applicant_email": draft.applicant_email,
            "applicant_key": draft.applicant_key,
            "received_at": iso(env.received_at),
            "superseded": 0,
            "created_at": iso(ctx.now()),
            "reply_withheld": withheld,
        },
    )
    reply = None
    if allow_reply and decision.template:
        reply = compose_reply(
            ReplyInputs(
                env,
                draft.verdict,
                read,
                ctx.call,
                reference,
                decision.template,
                ctx.limits.replies_per_sender_per_day,
                ctx.limits.max_attachment_bytes,
            )
        )
    if reply:
        store.insert(
            "replies",
            {
                "message_pk": pk,
                "application_pk": app_pk,
                "template": reply.template,
                "to_addr": reply.to,
                "subject": reply.subject,
                "reply_message_id": reply.message_id,
                "raw": reply.raw,
                "state": "queued",
                "attempts": 0,
                "queued_at": iso(ctx.now()),
            },
        )
    store.event(
        "application",
        pk,
        f"{reference} {draft.verdict.status} {','.join(draft.verdict.codes)}".strip()
        + (f"; no reply: {withheld}" if withheld else ""),
    )
    return app_pk, reply is not None


def write_judged(
    judged: Judged,
    ctx: Context,
    *,
    message_pk: int | None = None,
    references: Mapping[str, str] | None = None,
    allow_reply: bool = True,
) -> Outcome:
    """Write a judged message (inside the caller's transaction).

    ``message_pk`` rewrites an existing message row (reprocessing); ``references`` gives the
    numbers already held by applicants of that message, kept instead of new ones.
    """
    store, seen, rel = ctx.store, judged.seen, judged.relevance
    keep = rel.disposition != "unrelated"
    raw_file = store.save_file(seen.raw.raw, seen.envelope.sha256, ".eml") if keep else None
    row = _message_row(seen, raw_file, ctx.now(), rel.disposition, rel.reason)
    row.update(
        {
            "excerpt": rel.excerpt if rel.disposition == "correspondence" else None,
            "signals": dumps([f"{f.signal}: {f.detail}" for f in rel.findings]),
            "related_application_pk": rel.related_application if keep else None,
        }
    )
    if message_pk is None:
        pk = store.insert("messages", row)
    else:
        pk = message_pk
        for key in ("message_id", "origin", "mailbox", "uidvalidity", "uid", "stored_at"):
            row.pop(key)
        sets = ", ".join(f"{k} = ?" for k in row)
        store.db.execute(f"UPDATE messages SET {sets} WHERE id = ?", [*row.values(), pk])
    attachment_rows = _store_files(judged, ctx, pk) if keep else {}
    replied = False
    status = None
    keys: set[str] = set()
    order = sorted(judged.applications, key=lambda d: d.applicant_key)
    for draft in order:
        reference = (references or {}).get(draft.applicant_key) or next_reference(
            store, ctx.call.reference_prefix
        )
        _, queued = _insert_application(
            draft, judged, ctx, pk, attachment_rows, reference, allow_reply
        )
        replied = replied or queued
        status = status or draft.verdict.status
        keys.add(draft.applicant_key)
    if keys:
        sender = seen.envelope.sender
        resupersede(store, keys, {sender.lower()} if sender else set())
    if not judged.applications:
        store.event(
            rel.disposition,
            pk,
            f"{rel.reason}: {', '.join(rel.signals)}" if rel.signals else rel.reason,
        )
    _advance_mark(store, seen.raw)
    return Outcome(pk, rel.disposition, status=status, reason=rel.reason, reply_queued=replied)


def record_judged(judged: Judged, ctx: Context) -> Outcome:
    """Store a person's message and what it holds in one transaction."""
    with ctx.store.transaction():
        return write_judged(judged, ctx)


def note_failure(raw: RawMessage, ctx: Context, exc: BaseException) -> Outcome:
    """A stage failed on this message: keep the bytes and count the attempt.

    The message is tried again on later passes; after ``limits.max_attempts`` failures it is
    set aside as disposition ``error`` (listed in the digest). Either way the IMAP mark moves
    on, so one poison message never holds up the others.
    """
    digest = raw.sha256
    reason = f"processing failed: {type(exc).__name__}"
    raw_file = ctx.store.save_file(raw.raw, digest, ".eml")
    now = iso(ctx.now())
    store = ctx.store
    with store.transaction():
        row = store.db.execute(
            "SELECT id, attempts FROM failures WHERE sha256 = ? AND mailbox = ?",
            [digest, raw.mailbox],
        ).fetchone()
        attempts = (row[1] if row else 0) + 1
        if attempts < ctx.limits.max_attempts:
            if row:
                store.db.execute(
                    "UPDATE failures SET attempts = ?, last_error = ?, last_at = ? WHERE id = ?",
                    [attempts, reason, now, row[0]],
                )
            else:
                store.insert(
                    "failures",
                    {
                        "origin": raw.origin,
                        "mailbox": raw.mailbox,
                        "uidvalidity": raw.uidvalidity,
                        "uid": raw.uid,
                        "internaldate": iso(raw.internaldate) if raw.internaldate else None,
                        "sha256": digest,
                        "raw_file": raw_file,
                        "attempts": attempts,
                        "last_error": reason,
                        "first_at": now,
                        "last_at": now,
                    },
                )
            store.event("retry_later", None, f"attempt {attempts}: {reason}")
            _advance_mark(store, raw)
            return Outcome(None, "deferred", reason=reason)
        if row:
            store.db.execute("DELETE FROM failures WHERE id = ?", [row[0]])
        env = _envelope_if_possible(raw, ctx)
        pk = store.insert(
            "messages",
            {
                "message_id": env.message_id if env else f"<{digest[:40]}@mailbot.invalid>",
                "origin": raw.origin,
                "mailbox": raw.mailbox,
                "uidvalidity": raw.uidvalidity,
                "uid": raw.uid,
                "sha256": digest,
                "size": len(raw.raw),
                "received_at": iso(env.received_at if env else raw.internaldate or ctx.now()),
                "received_at_source": env.received_at_source
                if env
                else ("internaldate" if raw.internaldate else "import_time"),
                "sender": env.sender if env else None,
                "subject": env.subject if env else None,
                "disposition": "error",
                "reason": f"{reason} ({attempts} attempts)",
                "raw_file": raw_file,
                "stored_at": now,
            },
        )
        store.event("error", pk, f"set aside after {attempts} attempts: {reason}")
        _advance_mark(store, raw)
    return Outcome(pk, "error", reason=reason)


def _envelope_if_possible(raw: RawMessage, ctx: Context) -> Envelope | None:
    """The sender, subject and Message-ID of a failed message, for the coordinator."""
    try:
        return envelope_of(raw, parse_message(raw.raw, headers_only=True), ctx.now())
    except Exception:  # noqa: BLE001 - best effort: the error row is written regardless
        return None


def pending_retries(store: Store) -> list[RawMessage]:
    """Messages whose processing failed on an earlier pass, to be tried again."""
    retries = []
    for r in store.db.query("SELECT * FROM failures ORDER BY id"):
        retries.append(
            RawMessage(
                raw=store.read_file(r["raw_file"]),
                origin=r["origin"],
                mailbox=r["mailbox"],
                uidvalidity=r["uidvalidity"],
                uid=r["uid"],
                internaldate=parse_iso(r["internaldate"]) if r["internaldate"] else None,
                retry=True,
            )
        )
    return retries


def forget_failure(raw: RawMessage, store: Store) -> None:
    with store.transaction():
        store.db.execute(
            "DELETE FROM failures WHERE sha256 = ? AND mailbox = ?", [raw.sha256, raw.mailbox]
        )


def already_recorded(raw: RawMessage, store: Store) -> str | None:
    """Why this message needs no processing (seen before), or None."""
    if raw.origin == "imap" and raw.uid is not None and raw.uidvalidity is not None:
        if store.seen_uid(raw.mailbox, raw.uidvalidity, raw.uid):
            return "already recorded"
        earlier = store.seen_hash(raw.sha256)
        if (
            earlier
            and earlier["mailbox"] == raw.mailbox
            and earlier["uidvalidity"] != raw.uidvalidity
        ):
            # the folder's UIDVALIDITY changed: the same bytes seen again under a new UID
            with store.transaction():
                store.db.execute(
                    "UPDATE messages SET uidvalidity = ?, uid = ? WHERE id = ?",
                    [raw.uidvalidity, raw.uid, earlier["id"]],
                )
                store.event("uid_remapped", earlier["id"], f"uid {raw.uid}")
                _advance_mark(store, raw)
            return "seen before the UIDVALIDITY change"
        return None
    digest = raw.sha256
    if store.seen_hash(digest):
        return "already imported"
    if (
        not raw.retry
        and store.db.execute("SELECT 1 FROM failures WHERE sha256 = ?", [digest]).fetchone()
    ):
        return "failed before; retried from the store"
    return None
