"""Store stage: what one message's outcome writes, each in one transaction.

Message row, stored files, application, the queued reply and the IMAP high-water mark commit
together (:func:`record_application`); robots and duplicates get a message row only
(:func:`record_message`); a message whose processing failed is counted and retried, then set
aside (:func:`note_failure`). :func:`already_recorded` says whether a message was seen before.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import parsers

from .bounces import note_bounce
from .classify import envelope_of
from .mime import parse_message
from .models import Classified, Envelope, FormRead, FoundFiles, Outcome, RawMessage, Verdict
from .replies import ReplyInputs, compose_reply
from .store import Store, dumps, iso, parse_iso

if TYPE_CHECKING:
    from .pipeline import Context



def _mark_key(raw: RawMessage) -> str:
    return f"imap:{raw.mailbox}:last_uid"


def _advance_mark(store: Store, raw: RawMessage) -> None:
    if raw.origin == "imap" and raw.uid is not None:
        current = store.get_state(_mark_key(raw))
        if current is None or int(current) < raw.uid:
            store.set_state(_mark_key(raw), str(raw.uid))


def _message_row(seen: Classified, raw_file: str, now: datetime) -> dict[str, object]:
    env, raw = seen.envelope, seen.raw
    return {
        "message_id": env.message_id, "origin": raw.origin, "mailbox": raw.mailbox,
        "uidvalidity": raw.uidvalidity, "uid": raw.uid, "sha256": env.sha256, "size": env.size,
        "received_at": iso(env.received_at), "received_at_source": env.received_at_source,
        "sender": env.sender, "subject": env.subject, "disposition": seen.disposition,
        "reason": seen.reason, "raw_file": raw_file, "stored_at": iso(now),
    }


def record_message(seen: Classified, ctx: Context) -> Outcome:
    """Store a message that gets no application and no reply (ignored, duplicate)."""
    raw_file = ctx.store.save_file(seen.raw.raw, seen.envelope.sha256, ".eml")
    with ctx.store.transaction():
        pk = ctx.store.insert("messages", _message_row(seen, raw_file, ctx.now()))
        ctx.store.event(seen.disposition, pk, seen.reason or "")
        if seen.disposition == "ignored":  # a bounce of one of our replies marks it bounced
            note_bounce(ctx.store, pk, seen.message, seen.raw.raw, seen.envelope.received_at)
        _advance_mark(ctx.store, seen.raw)
    return Outcome(pk, seen.disposition, reason=seen.reason)


def _reply_template(ctx: Context, sender: str | None, status: str) -> str | None:
    if not sender:
        return None
    cap = ctx.limits.replies_per_sender_per_day
    sent_today = ctx.store.replies_since(sender, ctx.now() - timedelta(days=1))
    if sent_today < cap:
        return status
    if sent_today == cap:
        return "limit_reached"
    return None


def record_application(seen: Classified, found: FoundFiles, read: FormRead, verdict: Verdict,
                       ctx: Context) -> Outcome:
    """Store message, files, application and its queued reply in one transaction."""
    store, env = ctx.store, seen.envelope
    raw_file = store.save_file(seen.raw.raw, env.sha256, ".eml")
    saved = {f.sha256: store.save_file(f.data, f.sha256) for f in found.files if not f.refused}
    results = {id(f): r for f, r in read.tried}
    extraction = read.extraction
    fields = dict(extraction.fields) if extraction else parsers.empty_fields()
    applicant_email = fields.get("email") if isinstance(fields.get("email"), str) else None
    now = ctx.now()
    with store.transaction():
        pk = store.insert("messages", _message_row(seen, raw_file, now))
        form_pk = None
        for f in found.files:
            result = results.get(id(f))
            apk = store.insert("attachments", {
                "message_pk": pk, "part": f.part, "filename": f.filename,
                "declared_type": f.declared_type, "kind": f.kind, "size": f.size,
                "sha256": f.sha256, "file": saved.get(f.sha256), "is_form": int(f is read.chosen),
                "readable": None if result is None else int(result.readable),
                "reason": f.refused or (result.reason if result else None),
            })
            if f is read.chosen or (read.chosen is None and result is not None and form_pk is None):
                form_pk = apk
        app_pk = store.insert("applications", {
            "message_pk": pk, "status": verdict.status, "problems": dumps(verdict.codes),
            "fields": dumps(fields), "sources": dumps(dict(extraction.sources) if extraction
                                                      else {}),
            "attachment_pk": form_pk, "sender": env.sender,
            "sender_key": env.sender.lower() if env.sender else None,
            "applicant_email": applicant_email.strip().lower() if applicant_email else None,
            "received_at": iso(env.received_at), "superseded": 0, "created_at": iso(now),
        })
        reference = f"{ctx.call.reference_prefix}-{app_pk:04d}"
        store.db.execute("UPDATE applications SET reference = ? WHERE id = ?", [reference, app_pk])
        if verdict.status != "no_form":
            store.recompute_superseded(env.sender, applicant_email)
        template = _reply_template(ctx, env.sender, verdict.status)
        reply = None
        if template:
            reply = compose_reply(ReplyInputs(env, verdict, read, ctx.call, reference, template,
                                              ctx.limits.replies_per_sender_per_day))
        if reply:
            store.insert("replies", {
                "message_pk": pk, "application_pk": app_pk, "template": reply.template,
                "to_addr": reply.to, "subject": reply.subject,
                "reply_message_id": reply.message_id, "raw": reply.raw, "state": "queued",
                "attempts": 0, "queued_at": iso(now),
            })
        store.event("application", pk, f"{reference} {verdict.status} "
                    f"{','.join(verdict.codes)}".strip())
        _advance_mark(store, seen.raw)
    return Outcome(pk, "application", status=verdict.status, reply_queued=reply is not None)


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
        row = store.db.execute("SELECT id, attempts FROM failures WHERE sha256 = ? AND "
                               "mailbox = ?", [digest, raw.mailbox]).fetchone()
        attempts = (row[1] if row else 0) + 1
        if attempts < ctx.limits.max_attempts:
            if row:
                store.db.execute("UPDATE failures SET attempts = ?, last_error = ?, last_at = ? "
                                 "WHERE id = ?", [attempts, reason, now, row[0]])
            else:
                store.insert("failures", {
                    "origin": raw.origin, "mailbox": raw.mailbox,
                    "uidvalidity": raw.uidvalidity, "uid": raw.uid,
                    "internaldate": iso(raw.internaldate) if raw.internaldate else None,
                    "sha256": digest, "raw_file": raw_file, "attempts": attempts,
                    "last_error": reason, "first_at": now, "last_at": now})
            store.event("retry_later", None, f"attempt {attempts}: {reason}")
            _advance_mark(store, raw)
            return Outcome(None, "deferred", reason=reason)
        if row:
            store.db.execute("DELETE FROM failures WHERE id = ?", [row[0]])
        env = _envelope_if_possible(raw, ctx)
        pk = store.insert("messages", {
            "message_id": env.message_id if env else f"<{digest[:40]}@mailbot.invalid>",
            "origin": raw.origin, "mailbox": raw.mailbox, "uidvalidity": raw.uidvalidity,
            "uid": raw.uid, "sha256": digest, "size": len(raw.raw),
            "received_at": iso(env.received_at if env else raw.internaldate or ctx.now()),
            "received_at_source": env.received_at_source if env else
            ("internaldate" if raw.internaldate else "import_time"),
            "sender": env.sender if env else None, "subject": env.subject if env else None,
            "disposition": "error", "reason": f"{reason} ({attempts} attempts)",
            "raw_file": raw_file, "stored_at": now,
        })
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
        retries.append(RawMessage(
            raw=store.read_file(r["raw_file"]), origin=r["origin"], mailbox=r["mailbox"],
            uidvalidity=r["uidvalidity"], uid=r["uid"],
            internaldate=parse_iso(r["internaldate"]) if r["internaldate"] else None,
            retry=True))
    return retries


def forget_failure(raw: RawMessage, store: Store) -> None:
    with store.transaction():
        store.db.execute("DELETE FROM failures WHERE sha256 = ? AND mailbox = ?",
                         [raw.sha256, raw.mailbox])


def already_recorded(raw: RawMessage, store: Store) -> str | None:
    """Why this message needs no processing (seen before), or None."""
    if raw.origin == "imap" and raw.uid is not None and raw.uidvalidity is not None:
        if store.seen_uid(raw.mailbox, raw.uidvalidity, raw.uid):
            return "already recorded"
        earlier = store.seen_hash(raw.sha256)
        if earlier and earlier["mailbox"] == raw.mailbox and \
                earlier["uidvalidity"] != raw.uidvalidity:
            # the folder's UIDVALIDITY changed: the same bytes seen again under a new UID
            with store.transaction():
                store.db.execute("UPDATE messages SET uidvalidity = ?, uid = ? WHERE id = ?",
                                 [raw.uidvalidity, raw.uid, earlier["id"]])
                store.event("uid_remapped", earlier["id"], f"uid {raw.uid}")
                _advance_mark(store, raw)
            return "seen before the UIDVALIDITY change"
        return None
    digest = raw.sha256
    if store.seen_hash(digest):
        return "already imported"
    if not raw.retry and store.db.execute("SELECT 1 FROM failures WHERE sha256 = ?",
                                          [digest]).fetchone():
        return "failed before; retried from the store"
    return None
