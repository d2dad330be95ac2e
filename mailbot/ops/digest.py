"""The coordinator's daily digest (text and HTML in one message): the e-mailed face of the
workspace's "Do zrobienia".

What needs a person first — the same entries as the workspace's attention queue, with a link to
each when ``web.public_url`` is set, correspondence with its subject and first lines — then
counts by status over the live applications (a resubmission replaces the earlier one) and per
position of the form's choice (a working group, a commission …, named by the choice's labels)
the names with their statuses, its "przyjęte: N" counting the accepted people it lists, then
what arrived since the last digest, and the time of the last successful poll. The fields come
from the form spec (:mod:`mailbot.form_roles`): the name field, the organisation only when the
form names one, problems by the fields' labels. Polish everywhere (problems as texts, never
codes); no phone numbers or postal addresses. A digest is recorded per day in the call's time
zone, so it is never sent twice in a day, and one missed while the worker was down is sent when
it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Any

import parsers
from mailbot import form_roles
from mailbot.config import Config
from mailbot.ops.overview import LAST_POLL_KEY, overview
from mailbot.ops.review import AttentionItem, problem_text
from mailbot.ops.review import attention as review_attention
from mailbot.ops.withdrawals import with_proposals
from mailbot.pipeline.render import render
from mailbot.pipeline.replies import build_letter, call_context
from mailbot.pipeline.texts import STATUS_LABELS, polish_datetime
from mailbot.storage import applications, reports
from mailbot.storage.store import Store, parse_iso, utcnow

__all__ = [
    "LAST_POLL_KEY",
    "Digest",
    "build_digest",
    "digest_message",
    "is_due",
    "record_sent",
    "sent_on",
]


@dataclass(frozen=True)
class Digest:
    day: str
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class PersonFields:
    """What a digest line shows of an application, by the form spec: the applicant's name, their
    organisation only when the form has a field for it (``organisation_from``), and the
    choice."""

    name_key: str
    name_label: str
    affiliation_key: str | None
    affiliation_label: str | None
    choice_key: str

    @classmethod
    def of(cls, spec: parsers.FormSpec) -> PersonFields:
        name = form_roles.name_key(spec)
        organisation = form_roles.organisation_key(spec)
        name_field = spec.field(name) if name else None
        org_field = spec.field(organisation) if organisation else None
        choice = form_roles.choice_field(spec)
        return cls(
            name_key=name or "",
            name_label=name_field.label if name_field else "Imię i nazwisko",
            affiliation_key=organisation,
            affiliation_label=org_field.label if org_field else None,
            choice_key=choice.key if choice else "",
        )

    def affiliation(self, fields: dict[str, Any]) -> str | None:
        return fields.get(self.affiliation_key) if self.affiliation_key else None


def _link(config: Config, item: AttentionItem) -> str | None:
    """The workspace page that clears an entry (only when web.public_url is set)."""
    base = config.web.public_url
    if not base:
        return None
    if item.reference and item.item.startswith("application:"):
        return f"{base}zgloszenie/{item.reference}"
    if item.message_pk:
        return f"{base}wiadomosc/{item.message_pk}"
    return f"{base}do-zrobienia"


def _detail(item: AttentionItem) -> str:
    if item.kind == "error":
        return f"nie udało się przetworzyć wiadomości ({item.detail})"
    return item.detail


def digest_context(config: Config, store: Store, now: datetime) -> dict[str, Any]:
    tz = config.call.timezone
    since = reports.last_digest_sent_at(store)

    def when(text: str | None) -> str:
        return polish_datetime(parse_iso(text), tz) if text else "—"

    view = overview(config, store, now)
    spec = config.call.form
    person = PersonFields.of(spec)
    names = {g.number: g.name for g in config.call.groups}
    members: dict[int, list[dict[str, str | None]]] = {g.number: [] for g in config.call.groups}
    for app in applications.live_waiting(store):
        fields = app.fields(spec)
        for n in fields.get(person.choice_key) or []:
            if n in members:
                members[n].append(
                    {
                        "reference": app.reference,
                        "name": fields.get(person.name_key) or "(nie odczytano)",
                        "affiliation": person.affiliation(fields),
                        "status_label": STATUS_LABELS.get(app.status, app.status),
                    }
                )
    arrivals = []
    for r in applications.arrived_since(store, since):
        fields = r.fields(spec)
        chosen = fields.get(person.choice_key) or []
        arrivals.append(
            {
                "reference": r.reference,
                "received_at_text": when(r.received_at),
                "sender": r.sender or "—",
                "name": fields.get(person.name_key),
                "affiliation": person.affiliation(fields),
                "choice_label": form_roles.choice_label(spec, len(chosen)),
                "choice_text": ", ".join(str(n) for n in chosen) or "—",
                "status": r.status,
                "status_label": STATUS_LABELS.get(r.status, r.status),
                "superseded": r.superseded,
                "problems_text": "; ".join(problem_text(c, spec) for c in r.problems),
                "notes_text": "; ".join(r.notes),
            }
        )
    attention = [
        {
            "kind": item.kind,
            "kind_label": item.label,
            "reference": item.reference,
            "received_at_text": when(item.received_at),
            "sender": item.sender or "—",
            "subject": item.subject,
            "detail": _detail(item),
            "lines": list(item.lines),
            "link": _link(config, item),
        }
        for item in with_proposals(config, store, review_attention(config, store))
    ]
    outbox = view.outbox
    live = {status: n for status, _label, n in view.by_status}
    total_applications = reports.total_applications(store)
    mail = mail_context(store, since)
    return {
        "call": call_context(config.call),
        "generated_at_text": polish_datetime(now, tz),
        "since_text": polish_datetime(since, tz) if since else None,
        "counts_by_status": [
            {"status": s, "label": label, "count": n} for s, label, n in view.by_status
        ],
        "counts_by_group": [
            {
                "number": g.number,
                "name": g.name,
                "accepted": g.accepted,
                "incomplete": g.incomplete,
                "to_review": g.to_review,
                "members": members[g.number],
            }
            for g in view.by_group
        ],
        "group_names": names,
        "choice_heading": form_roles.choice_plural(spec),
        "name_label": person.name_label,
        "affiliation_label": person.affiliation_label,
        "accepted_total": live.get("accepted", 0),
        "incomplete_total": live.get("incomplete", 0),
        "to_review_total": live.get("needs_review", 0),
        "total_live": view.total_live,
        "total_messages": view.total_messages,
        "total_applications": total_applications,
        "other_messages": view.total_messages - total_applications,
        "superseded": total_applications - view.total_live,
        "arrivals": arrivals,
        "attention": attention,
        "workspace_url": config.web.public_url,
        "last_poll_text": polish_datetime(view.last_poll, tz) if view.last_poll else None,
        "replies_pending": outbox.get("queued", 0) + outbox.get("sending", 0),
        "replies_failed": outbox.get("failed", 0) + outbox.get("bounced", 0),
        **mail,
    }


def mail_context(store: Store, since: datetime | None) -> dict[str, Any]:
    """How much mail since the last digest was not about the call (only counted: its contents
    are not kept). Correspondence and unconfirmed applications are in the attention list."""
    return {"unrelated_count": reports.unrelated_messages_since(store, since)}


def build_digest(config: Config, store: Store, now: datetime | None = None) -> Digest:
    now = now or utcnow()
    context = digest_context(config, store, now)
    subject, text = render("digest/digest.txt.j2", context, config.templates.dir)
    _, html = render("digest/digest.html.j2", context, config.templates.dir)
    return Digest(
        day=now.astimezone(config.call.timezone).date().isoformat(),
        subject=subject,
        text=text,
        html=html,
    )


def digest_message(config: Config, digest: Digest) -> EmailMessage:
    msg, _message_id = build_letter(
        config.call,
        ", ".join(config.digest.recipients),
        digest.subject,
        digest.text,
        kind="digest",
        automatic="auto-generated",
        html=digest.html,
        id_prefix="mailbot.ops.digest",
    )
    return msg


def sent_on(store: Store, day: str) -> bool:
    return reports.digest_sent_on(store, day)


def is_due(config: Config, store: Store, now: datetime | None = None) -> bool:
    """Today's digest time has passed and today's digest has not been sent."""
    now = now or utcnow()
    local = now.astimezone(config.call.timezone)
    return local.time() >= config.digest.at and not sent_on(store, local.date().isoformat())


def record_sent(store: Store, digest: Digest, recipients: int, now: datetime) -> None:
    with store.transaction():
        reports.record_digest(store, digest.day, now, recipients)
        store.event("digest_sent", None, digest.day)
