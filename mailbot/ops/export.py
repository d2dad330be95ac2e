"""Export the applications and messages: JSON (one object) or CSV (one row per application).

JSON shape::

    {"applications": [{"id", "reference", "message_id", "status", "problems": [codes],
                       "received_at" (ISO 8601, call's time zone offset), "sender",
                       "attachment" (file name or null), "superseded": bool,
                       "supersede_note" (late_correction | possible_correction | null),
                       "reply_withheld" (why no reply was sent, or null),
                       "reply_state" (state of its reply, e.g. "sent" or "bounced", or null),
                       "fields": {the form's keys} (corrected values where a person corrected
                       them), "machine_fields": {...} (as read from the form),
                       "corrected_fields": [keys a person corrected],
                       "notes": [Polish notes for the coordinator],
                       "decided_by", "decided_at" (null unless a person decided),
                       "decision_note", "form_path" (the stored form file, or null),
                       "withdrawal_message_id" (Message-ID of the message that withdrew a
                       ``withdrawn`` application, or null),
                       "form_name" (its name with its proper extension),
                       "prefill" (only for a scan read with OCR: {"fields", "confidence",
                       "engine"} — what OCR read, for a person to confirm; never the
                       application's fields)}],
     "messages": [{"message_id", "received_at", "sender", "disposition", "reason",
                   "replied": bool, "reply_state": queued|sending|sent|failed|bounced|null,
                   "reply_error": the refusal or bounce reason, or null,
                   "signals": [{"signal", "detail" (Polish), "weight" (for the call > 0 >
                                against it; null in records older than the weighing)}]}]}

CSV has the same columns for the applications (the form's columns from its spec);
``excel=True`` writes the dialect Polish Excel opens as it is: ``;`` between cells, UTF-8 with a
byte-order mark, CRLF line ends, Polish headers, statuses and problems.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import parsers
from mailbot.ops.review import EXTENSIONS, problem_text, status_label
from mailbot.pipeline.relevance import stored_signals
from mailbot.sanitize import export_cell
from mailbot.storage import reports
from mailbot.storage.applications import Application
from mailbot.storage.prefills import done_prefills
from mailbot.storage.reports import ApplicationFilter as ApplicationFilter
from mailbot.storage.reports import count_applications as count_applications
from mailbot.storage.store import Store, parse_iso


def _local(text: str | None, tz: ZoneInfo) -> str | None:
    return parse_iso(text).astimezone(tz).isoformat() if text else None


def applications(
    store: Store,
    tz: ZoneInfo,
    flt: ApplicationFilter | None = None,
    spec: parsers.FormSpec = parsers.DEFAULT_FORM,
) -> list[dict[str, Any]]:
    flt = flt or ApplicationFilter()
    rows = reports.application_rows(store, flt)
    read_by_ocr = done_prefills(store)
    out = []
    for r in rows:
        app = Application.from_row(r)  # the application; its message, file and reply joined
        machine = app.machine_fields(spec)
        form_name = None
        if r["attachment"] is not None or r["attachment_file"]:
            form_name = r["attachment"] or f"formularz-{app.id}"
            proper = EXTENSIONS.get(r["attachment_kind"] or "", "")
            if proper and Path(form_name).suffix.lower() != proper:
                form_name += proper
        out.append(
            {
                "id": app.id,
                "reference": app.reference,
                "message_id": r["message_id"],
                "status": app.status,
                "problems": list(app.problems),
                "received_at": _local(app.received_at, tz),
                "sender": app.sender,
                "attachment": r["attachment"],
                "superseded": app.superseded,
                "fields": app.fields(spec),
                "machine_fields": machine,
                "corrected_fields": [k for k in spec.keys if k in app.corrected],
                "sources": dict(app.sources),
                "decided_by": app.decided_by,
                "decided_at": _local(app.decided_at, tz),
                "decision_note": app.decision_note,
                "form_path": str(store.files / r["attachment_file"])
                if r["attachment_file"]
                else None,
                "form_name": form_name,
                "message_pk": app.message_pk,
                "supersede_note": app.supersede_note,
                "reply_withheld": app.reply_withheld,
                "notes": list(app.notes),
                "reply_state": r["reply_state"],
                "withdrawal_message_id": r["withdrawal_message_id"],
            }
        )
        if app.id in read_by_ocr:
            out[-1]["prefill"] = prefill_json(read_by_ocr[app.id], spec)
    return out


def prefill_json(stored: Mapping[str, Any], spec: parsers.FormSpec) -> dict[str, Any]:
    """A stored pre-fill in the contract's shape: ``{"fields", "confidence", "engine"}`` with
    every key of the form (as ``mailbot extract --json`` prints it)."""
    fields = spec.empty_fields()
    fields.update({k: v for k, v in (stored.get("fields") or {}).items() if k in fields})
    confidence = dict.fromkeys(spec.keys, 0.0)
    confidence.update(
        {k: float(v) for k, v in (stored.get("confidence") or {}).items() if k in confidence}
    )
    return {"fields": fields, "confidence": confidence, "engine": stored.get("engine")}


def messages(store: Store, tz: ZoneInfo) -> list[dict[str, Any]]:
    rows = reports.message_rows(store)
    return [
        {
            "message_id": r["message_id"],
            "received_at": _local(r["received_at"], tz),
            "sender": r["sender"],
            "disposition": r["disposition"],
            "reason": r["reason"],
            "replied": bool(r["replied"]),
            "reply_state": r["reply_state"],
            "reply_error": r["reply_error"],
            "signals": stored_signals(r["signals"]),
        }
        for r in rows
    ]


def export_json(
    store: Store,
    tz: ZoneInfo,
    group: int | None = None,
    spec: parsers.FormSpec = parsers.DEFAULT_FORM,
) -> str:
    data = {
        "applications": applications(store, tz, ApplicationFilter(group=group), spec),
        "messages": messages(store, tz),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def csv_columns(spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> tuple[str, ...]:
    """The CSV header: the record's columns around the form's export columns (form order)."""
    return (
        "reference",
        "status",
        "superseded",
        "problems",
        "notes",
        "received_at",
        "sender",
        "attachment",
        *(column for _, column, _ in spec.columns()),
        "corrected_fields",
        "decided_by",
        "decided_at",
        "form_path",
        "message_id",
        "id",
    )


CSV_COLUMNS = csv_columns()

#: column -> Polish header of the Excel dialect (the form's columns use their letter labels)
EXCEL_HEADERS: Mapping[str, str] = {
    "reference": "Numer zgłoszenia",
    "status": "Status",
    "superseded": "Zastąpione",
    "problems": "Braki",
    "notes": "Uwagi",
    "received_at": "Data otrzymania",
    "sender": "Nadawca",
    "attachment": "Załącznik",
    "corrected_fields": "Poprawione przez pracownika",
    "decided_by": "Zdecydował(a)",
    "decided_at": "Data decyzji",
    "form_path": "Plik formularza",
    "message_id": "Message-ID",
    "id": "Id",
}


def export_csv(
    store: Store,
    tz: ZoneInfo,
    *,
    excel: bool = False,
    group: int | None = None,
    spec: parsers.FormSpec = parsers.DEFAULT_FORM,
) -> str:
    """One row per application; ``excel``: the dialect Polish Excel opens (see module doc).

    Every cell goes through :func:`mailbot.sanitize.export_cell`: control characters are
    dropped, and a cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, a
    tab or CR first) is quoted with ``'`` so it stays data — except a phone number such as
    ``+48 600 100 200``.
    """
    columns = csv_columns(spec)
    labels = {key: label for key, _, label in spec.columns()}
    headers = {**EXCEL_HEADERS, **{column: label for _, column, label in spec.columns()}}
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter=";" if excel else ",", lineterminator="\r\n" if excel else "\n"
    )
    writer.writerow([export_cell(headers.get(c, c) if excel else c) for c in columns])
    for app in applications(store, tz, ApplicationFilter(group=group), spec):
        row: dict[str, Any] = {k: app.get(k) for k in columns}
        row.update({column: app["fields"].get(key) for key, column, _ in spec.columns()})
        row["corrected_fields"] = ", ".join(
            labels.get(k, k) if excel else k for k in app["corrected_fields"]
        )
        row["superseded"] = "tak" if app["superseded"] else "nie"
        row["notes"] = "; ".join(app["notes"])
        if excel:
            row["status"] = status_label(app["status"])
            row["problems"] = "; ".join(problem_text(c, spec) for c in app["problems"])
        else:
            row["problems"] = " ".join(app["problems"])
        writer.writerow([export_cell(row[c]) for c in columns])
    text = buffer.getvalue()
    return "\ufeff" + text if excel else text
