"""Store stage: what one message's outcome writes, each in one transaction.

Message row, stored files, applications, the queued replies and the IMAP high-water mark
commit together (:func:`record_judged`); robots and duplicates get a message row only
(:func:`record_message`); a message whose processing failed is counted and retried, then set
aside (:func:`note_failure`). Whether a message was seen before, and which application it refers
to, is read before the stages run (:mod:`mailbot.pipeline.known`).

What is kept follows the disposition: an application or correspondence keeps the message and
its files; an ``unrelated`` message keeps only what stops it being looked at twice and lets a
person find it (UID, Message-ID, received, sender, subject, hash) — never its body or files.
Reference numbers and letters come from the compose stage (:mod:`mailbot.pipeline.compose`),
which runs before the transaction; the transaction only writes them, after checking that the
reference counter (:data:`~mailbot.names.REFERENCE_COUNTER_KEY`) is where compose read it. Only
applications get a number, in order of receipt, never reused. The statements themselves live
in :mod:`mailbot.storage.messages`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from mailbot.errors import StorageError
from mailbot.mail.mime import parse_message
from mailbot.models import Classified, Composed, Envelope, Judged, Letter, Outcome, RawMessage
from mailbot.pipeline.bounces import note_bounce
from mailbot.pipeline.classify import envelope_of
from mailbot.pipeline.compose import compose
from mailbot.pipeline.known import advance_mark
from mailbot.pipeline.relevance.learned import learn_everyday
from mailbot.pipeline.relevance.text import body_text, own_text
from mailbot.pipeline.superseding import resupersede
from mailbot.storage import applications
from mailbot.storage import messages as sql
from mailbot.storage.resync import FOUND_IN_SENT
from mailbot.storage.store import Store, dumps, iso

if TYPE_CHECKING:
    from mailbot.pipeline.context import Context


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
        advance_mark(ctx.store, seen.raw)
    return Outcome(pk, seen.disposition, reason=seen.reason)


# --- one person's message ------------------------------------------------------------------


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
    letter: Letter,
    judged: Judged,
    ctx: Context,
    pk: int,
    attachment_rows: Mapping[int, int],
) -> None:
    store, env, draft = ctx.store, judged.seen.envelope, letter.draft
    read = draft.form
    extraction = read.extraction
    fields = (
        dict(extraction.fields) if extraction and extraction.readable else ctx.form.empty_fields()
    )
    form_pk = None
    if read.chosen is not None:
        form_pk = attachment_rows.get(id(read.chosen))
    elif read.tried:
        form_pk = attachment_rows.get(id(read.tried[0][0]))
    app_pk = applications.record(
        store,
        applications.NewApplication(
            message_pk=pk,
            reference=letter.reference,
            status=draft.verdict.status,
            problems=tuple(draft.verdict.codes),
            notes=tuple(draft.verdict.notes),
            fields=fields,
            sources=dict(extraction.sources) if extraction else {},
            attachment_pk=form_pk,
            sender=env.sender,
            applicant_email=draft.applicant_email,
            applicant_key=draft.applicant_key,
            received_at=iso(env.received_at),
            created_at=iso(ctx.now()),
            reply_withheld=letter.withheld,
        ),
        ctx.form,
    )
    reply = letter.reply
    if reply:
        # a letter found in the Sent folder was sent by a state of the database that is gone:
        # recorded as sent (its copy is there), never queued again
        applications.queue_letter(
            store,
            message_pk=pk,
            application_pk=app_pk,
            template=reply.template,
            to_addr=reply.to,
            subject=reply.subject,
            message_id=reply.message_id,
            raw=reply.raw,
            queued_at=letter.sent_at or iso(ctx.now()),
            sent_at=letter.sent_at,
        )
    store.event(
        "application",
        pk,
        f"{letter.reference} {draft.verdict.status} {','.join(draft.verdict.codes)}".strip()
        + (f"; no reply: {letter.withheld}" if letter.withheld else "")
        + (f"; {FOUND_IN_SENT} (not sent again)" if letter.sent_at else ""),
    )


def write_composed(
    judged: Judged, composed: Composed, ctx: Context, *, message_pk: int | None = None
) -> Outcome:
    """Write a judged message and what compose made of it (inside the caller's transaction).

    ``message_pk`` rewrites an existing message row (reprocessing).
    """
    store, seen, rel = ctx.store, judged.seen, judged.relevance
    if sql.last_reference_number(store) != composed.counter_read:
        raise StorageError(
            "the reference counter moved while the replies were composed (another process "
            "writes to the database); the message is taken again on the next pass"
        )
    keep = rel.disposition != "unrelated"
    raw_file = store.save_file(seen.raw.raw, seen.envelope.sha256, ".eml") if keep else None
    row = _message_row(seen, raw_file, ctx.now(), rel.disposition, rel.reason)
    row.update(
        {
            "excerpt": rel.excerpt if rel.disposition == "correspondence" else None,
            "signals": dumps(
                [{"signal": f.signal, "detail": f.detail, "weight": f.weight} for f in rel.findings]
            ),
            "related_application_pk": rel.related_application if keep else None,
        }
    )
    if message_pk is None:
        pk = store.insert("messages", row)
        if not keep:  # everyday mail teaches what everyday mail looks like (statistics only)
            learn_everyday(store, seen.envelope.subject + "\n" + own_text(body_text(seen.message)))
    else:
        pk = message_pk
        for key in ("message_id", "origin", "mailbox", "uidvalidity", "uid", "stored_at"):
            row.pop(key)
        sql.rewrite_message(store, pk, row)
    attachment_rows = _store_files(judged, ctx, pk) if keep else {}
    for letter in composed.letters:
        _insert_application(letter, judged, ctx, pk, attachment_rows)
    if composed.counter_after != composed.counter_read:
        sql.set_last_reference_number(store, composed.counter_after)
    if composed.letters:
        sender = seen.envelope.sender
        keys = {letter.draft.applicant_key for letter in composed.letters}
        resupersede(store, keys, {sender.lower()} if sender else set(), ctx.form)
    else:
        store.event(
            rel.disposition,
            pk,
            f"{rel.reason}: {', '.join(rel.signals)}" if rel.signals else rel.reason,
        )
    advance_mark(store, seen.raw)
    status = composed.letters[0].draft.verdict.status if composed.letters else None
    return Outcome(
        pk, rel.disposition, status=status, reason=rel.reason, reply_queued=composed.replies > 0
    )


def write_judged(
    judged: Judged,
    ctx: Context,
    *,
    message_pk: int | None = None,
    references: Mapping[str, str] | None = None,
    allow_reply: bool = True,
) -> Outcome:
    """Compose and write a judged message inside the caller's transaction (reprocessing).

    ``message_pk`` rewrites an existing message row; ``references`` gives the numbers already
    held by applicants of that message, kept instead of new ones.
    """
    composed = compose(judged, ctx, references=references, allow_reply=allow_reply)
    return write_composed(judged, composed, ctx, message_pk=message_pk)


def record_judged(judged: Judged, composed: Composed, ctx: Context) -> Outcome:
    """Store a person's message, its applications and their letters in one transaction."""
    with ctx.store.transaction():
        return write_composed(judged, composed, ctx)


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
        earlier = sql.failure_of(store, digest, raw.mailbox)
        attempts = (earlier.attempts if earlier else 0) + 1
        if attempts < ctx.limits.max_attempts:
            if earlier:
                sql.count_failure(store, earlier.id, attempts, reason, now)
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
            advance_mark(store, raw)
            return Outcome(None, "deferred", reason=reason)
        if earlier:
            sql.drop_failure(store, earlier.id)
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
        advance_mark(store, raw)
    return Outcome(pk, "error", reason=reason)


def _envelope_if_possible(raw: RawMessage, ctx: Context) -> Envelope | None:
    """The sender, subject and Message-ID of a failed message, for the coordinator."""
    try:
        return envelope_of(raw, parse_message(raw.raw, headers_only=True), ctx.now())
    except Exception:  # noqa: BLE001 - best effort: the error row is written regardless
        return None


def forget_failure(raw: RawMessage, store: Store) -> None:
    with store.transaction():
        sql.forget_failures(store, raw.sha256, raw.mailbox)
