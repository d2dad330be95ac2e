"""Export the applications and messages: JSON (one object) or CSV (one row per application).

JSON shape::

    {"applications": [{"id", "reference", "message_id", "status", "problems": [codes],
                       "received_at" (ISO 8601, call's time zone offset), "sender",
                       "attachment" (file name or null), "superseded": bool,
                       "supersede_note" (late_correction | possible_correction | null),
                       "reply_withheld" (why no reply was sent, or null),
                       "fields": {the form's keys}, "notes": [Polish notes for the coordinator],
                       "reply_state" (state of its reply, e.g. "sent" or "bounced", or null)}],
     "messages": [{"message_id", "received_at", "sender", "disposition", "reason",
                   "replied": bool, "reply_state": queued|sending|sent|failed|bounced|null,
                   "reply_error": the refusal or bounce reason, or null}]}
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from zoneinfo import ZoneInfo

import parsers

from .store import Store, loads, parse_iso


def _local(text: str, tz: ZoneInfo) -> str:
    return parse_iso(text).astimezone(tz).isoformat()


def applications(store: Store, tz: ZoneInfo,
                 spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> list[dict[str, Any]]:
    rows = store.db.query(
        "SELECT a.id, a.reference, m.message_id, a.status, a.problems, a.received_at, a.sender,"
        " t.filename AS attachment, a.superseded, a.supersede_note, a.reply_withheld, a.fields,"
        " a.sources, a.notes,"
        " (SELECT r.state FROM replies r WHERE r.application_pk = a.id ORDER BY r.id DESC"
        " LIMIT 1) AS reply_state FROM applications a"
        " JOIN messages m ON m.id = a.message_pk LEFT JOIN attachments t ON t.id = a.attachment_pk"
        " ORDER BY a.received_at, a.id")
    out = []
    for r in rows:
        fields = spec.empty_fields()
        fields.update(loads(r["fields"], {}))
        out.append({
            "id": r["id"], "reference": r["reference"], "message_id": r["message_id"],
            "status": r["status"], "problems": loads(r["problems"], []),
            "received_at": _local(r["received_at"], tz), "sender": r["sender"],
            "attachment": r["attachment"], "superseded": bool(r["superseded"]),
            "supersede_note": r["supersede_note"], "reply_withheld": r["reply_withheld"],
            "fields": fields, "sources": loads(r["sources"], {}),
            "notes": loads(r["notes"], []) or [],
            "reply_state": r["reply_state"],
        })
    return out


def messages(store: Store, tz: ZoneInfo) -> list[dict[str, Any]]:
    rows = store.db.query(
        "SELECT m.message_id, m.received_at, m.sender, m.disposition, m.reason,"
        " EXISTS(SELECT 1 FROM replies r WHERE r.message_pk = m.id"
        " AND r.state IN ('sent', 'bounced')) AS replied,"
        " (SELECT r.state FROM replies r WHERE r.message_pk = m.id ORDER BY r.id DESC LIMIT 1)"
        " AS reply_state,"
        " (SELECT coalesce(r.bounce_reason, r.last_error) FROM replies r"
        " WHERE r.message_pk = m.id ORDER BY r.id DESC LIMIT 1) AS reply_error"
        " FROM messages m ORDER BY m.received_at, m.id")
    return [{
        "message_id": r["message_id"], "received_at": _local(r["received_at"], tz),
        "sender": r["sender"], "disposition": r["disposition"], "reason": r["reason"],
        "replied": bool(r["replied"]), "reply_state": r["reply_state"],
        "reply_error": r["reply_error"],
    } for r in rows]


def export_json(store: Store, tz: ZoneInfo,
                spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> str:
    data = {"applications": applications(store, tz, spec), "messages": messages(store, tz)}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def csv_columns(spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> tuple[str, ...]:
    """The CSV header: the record's columns around the form's export columns (form order)."""
    return ("reference", "status", "superseded", "problems", "notes", "received_at", "sender",
            "attachment", *(column for _, column, _ in spec.columns()), "message_id", "id")


CSV_COLUMNS = csv_columns()


def export_csv(store: Store, tz: ZoneInfo,
               spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> str:
    """One row per application; spreadsheet-safe (formula-looking cells are quoted)."""
    columns = csv_columns(spec)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for app in applications(store, tz, spec):
        row: dict[str, Any] = {k: app[k] for k in columns if k in app}
        row["problems"] = " ".join(app["problems"])
        row["notes"] = "; ".join(app["notes"])
        row["superseded"] = "tak" if app["superseded"] else "nie"
        for key, column, _ in spec.columns():
            value = app["fields"].get(key)
            if isinstance(value, list):
                value = ", ".join(str(v) for v in value)
            elif isinstance(value, bool):
                value = "tak" if value else "nie"
            row[column] = value
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
