"""The coordinator's daily digest (text and HTML in one message).

What needs a person first (forms that could not be read, messages that failed, replies that
could not be delivered), then counts by status and by group over the live applications
(a resubmission replaces the earlier one), then what arrived since the last digest, and the
time of the last successful poll. A digest is recorded per day in the call's time zone, so it
is never sent twice in a day, and one missed while the worker was down is sent when it returns.
"""

from __future__ import annotations

import email.utils
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import parsers

from .classify import STAMP_HEADER
from .config import Config
from .models import STATUSES
from .render import render
from .replies import REPLY_POLICY, call_context, reply_date
from .store import Store, iso, loads, parse_iso, utcnow
from .texts import STATUS_LABELS, polish_datetime

LAST_POLL_KEY = "last_poll_ok"


@dataclass(frozen=True)
class Digest:
    day: str
    subject: str
    text: str
    html: str


def _review_detail(filename: str | None, reason: str | None) -> str:
    """Why a person must look: the file and, in Polish, why it could not be read."""
    why = parsers.REASON_TEXT_PL.get(reason or "", reason or "nie udało się odczytać pliku")
    return f"{filename or 'załącznik'}: {why}"


def summary_keys(spec: parsers.FormSpec) -> tuple[str, str, str]:
    """The fields a digest line shows: the applicant's name, the next text field (the
    organisation on the DKRES form) and the choice field."""
    name_key = spec.salutation_from or ""
    texts = [f.key for f in spec.fields if f.type == "text" and f.key != name_key]
    choice = spec.groups_field
    return name_key, texts[0] if texts else "", choice.key if choice else ""


def _last_sent(store: Store) -> datetime | None:
    row = store.db.execute("SELECT max(sent_at) FROM digests").fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def digest_context(config: Config, store: Store, now: datetime) -> dict[str, Any]:
    tz = config.call.timezone
    since = _last_sent(store)

    def when(text: str | None) -> str:
        return polish_datetime(parse_iso(text), tz) if text else "—"

    spec = config.call.form
    name_key, other_key, choice_key = summary_keys(spec)
    live = list(store.db.query(
        "SELECT status, fields FROM applications WHERE superseded = 0"))
    counts = {s: 0 for s in STATUSES}
    by_group = {g.number: 0 for g in config.call.groups}
    for row in live:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        if row["status"] in ("accepted", "incomplete"):
            for n in loads(row["fields"], {}).get(choice_key) or []:
                if n in by_group:
                    by_group[n] += 1
    arrivals = []
    for r in store.db.query(
            "SELECT a.reference, a.received_at, a.sender, a.fields, a.status, a.superseded, "
            "a.problems, a.notes FROM applications a JOIN messages m ON m.id = a.message_pk "
            "WHERE m.stored_at > ? ORDER BY a.received_at, a.id",
            [iso(since) if since else ""]):
        fields = loads(r["fields"], {})
        arrivals.append({
            "reference": r["reference"], "received_at_text": when(r["received_at"]),
            "sender": r["sender"] or "—", "full_name": fields.get(name_key),
            "organisation": fields.get(other_key),
            "groups_text": ", ".join(str(n) for n in fields.get(choice_key) or []) or "—",
            "status": r["status"], "status_label": STATUS_LABELS.get(r["status"], r["status"]),
            "superseded": bool(r["superseded"]),
            "problems_text": ", ".join(loads(r["problems"], [])),
            "notes_text": "; ".join(loads(r["notes"], []) or []),
        })
    attention = [{
        "kind_label": "do sprawdzenia przez pracownika", "reference": r["reference"],
        "received_at_text": when(r["received_at"]), "sender": r["sender"] or "—",
        "detail": _review_detail(r["filename"], r["reason"]),
    } for r in store.db.query(
        "SELECT a.reference, a.received_at, a.sender, t.filename, t.reason FROM applications a "
        "LEFT JOIN attachments t ON t.id = a.attachment_pk "
        "WHERE a.status = 'needs_review' AND a.superseded = 0 ORDER BY a.received_at")]
    attention += [{
        "kind_label": "błąd przetwarzania", "reference": None,
        "received_at_text": when(r["received_at"]), "sender": r["sender"] or "—",
        "detail": r["reason"] or "",
    } for r in store.db.query(
        "SELECT received_at, sender, reason FROM messages WHERE disposition = 'error' "
        "ORDER BY received_at")]
    attention += [{
        "kind_label": "odpowiedź niedostarczona" if r["state"] == "failed" else
        "zgłaszający nieosiągalny: odpowiedź wróciła jako niedoręczalna",
        "reference": r["reference"],
        "received_at_text": when(r["queued_at"]), "sender": r["to_addr"],
        "detail": (r["last_error"] if r["state"] == "failed" else r["bounce_reason"]) or "",
    } for r in store.db.query(
        "SELECT p.reference, r.queued_at, r.to_addr, r.last_error, r.state, r.bounce_reason "
        "FROM replies r LEFT JOIN applications p ON p.id = r.application_pk "
        "WHERE r.state IN ('failed', 'bounced') ORDER BY r.id")]
    replies = dict(store.db.execute(
        "SELECT state, count(*) FROM replies GROUP BY state").fetchall())
    mail = mail_context(store, since, when)
    last_poll = store.get_state(LAST_POLL_KEY)
    return {
        "call": call_context(config.call),
        "generated_at_text": polish_datetime(now, tz),
        "since_text": polish_datetime(since, tz) if since else None,
        "counts_by_status": [{"status": s, "label": STATUS_LABELS[s], "count": counts[s]}
                             for s in STATUSES],
        "counts_by_group": [{"number": g.number, "name": g.name, "count": by_group[g.number]}
                            for g in config.call.groups],
        "total_live": len(live),
        "total_messages": store.db.execute("SELECT count(*) FROM messages").fetchone()[0],
        "arrivals": arrivals,
        "attention": attention,
        "last_poll_text": polish_datetime(parse_iso(last_poll), tz) if last_poll else None,
        "replies_pending": replies.get("queued", 0) + replies.get("sending", 0),
        "replies_failed": replies.get("failed", 0) + replies.get("bounced", 0),
        **mail,
    }


def mail_context(store: Store, since: datetime | None,
                 when: Callable[[str | None], str]) -> dict[str, Any]:
    """Applications not confirmed (and why), correspondence to read, count of unrelated mail."""
    after = iso(since) if since else ""
    unconfirmed = [{
        "reference": r["reference"], "sender": r["sender"] or "—",
        "received_at_text": when(r["received_at"]), "reason": r["reply_withheld"],
    } for r in store.db.query(
        "SELECT reference, sender, received_at, reply_withheld FROM applications "
        "WHERE reply_withheld IS NOT NULL AND superseded = 0 ORDER BY received_at, id")]
    correspondence = [{
        "subject": r["subject"], "sender": r["sender"] or "—",
        "received_at_text": when(r["received_at"]), "excerpt": r["excerpt"] or "",
        "reference": r["reference"],
    } for r in store.db.query(
        "SELECT m.subject, m.sender, m.received_at, m.excerpt, a.reference FROM messages m "
        "LEFT JOIN applications a ON a.id = m.related_application_pk "
        "WHERE m.disposition = 'correspondence' AND m.stored_at > ? "
        "ORDER BY m.received_at, m.id", [after])]
    unrelated = store.db.execute("SELECT count(*) FROM messages WHERE disposition = "
                                 "'unrelated' AND stored_at > ?", [after]).fetchone()[0]
    return {"unconfirmed": unconfirmed, "correspondence": correspondence,
            "unrelated_count": unrelated}


def build_digest(config: Config, store: Store, now: datetime | None = None) -> Digest:
    now = now or utcnow()
    context = digest_context(config, store, now)
    subject, text = render("digest/digest.txt.j2", context, config.templates.dir)
    _, html = render("digest/digest.html.j2", context, config.templates.dir)
    return Digest(day=now.astimezone(config.call.timezone).date().isoformat(), subject=subject,
                  text=text, html=html)


def digest_message(config: Config, digest: Digest) -> EmailMessage:
    msg = EmailMessage(policy=REPLY_POLICY)
    msg["From"] = email.utils.formataddr((f"mailbot – {config.call.short_name}",
                                          config.call.address))
    msg["To"] = ", ".join(config.digest.recipients)
    msg["Subject"] = digest.subject
    msg["Date"] = reply_date(config.call)
    msg["Message-ID"] = f"<mailbot.digest.{uuid.uuid4().hex}@" \
                        f"{config.call.address.rsplit('@', 1)[-1]}>"
    msg["Auto-Submitted"] = "auto-generated"
    msg[STAMP_HEADER] = "digest"
    msg.set_content(digest.text, charset="utf-8", cte="quoted-printable")
    msg.add_alternative(digest.html, subtype="html", charset="utf-8", cte="quoted-printable")
    return msg


def sent_on(store: Store, day: str) -> bool:
    return store.db.execute("SELECT 1 FROM digests WHERE day = ?", [day]).fetchone() is not None


def is_due(config: Config, store: Store, now: datetime | None = None) -> bool:
    """Today's digest time has passed and today's digest has not been sent."""
    now = now or utcnow()
    local = now.astimezone(config.call.timezone)
    return local.time() >= config.digest.at and not sent_on(store, local.date().isoformat())


def record_sent(store: Store, digest: Digest, recipients: int, now: datetime) -> None:
    with store.transaction():
        store.db.execute("INSERT OR REPLACE INTO digests(day, sent_at, recipients) "
                         "VALUES (?, ?, ?)", [digest.day, iso(now), recipients])
        store.event("digest_sent", None, digest.day)
