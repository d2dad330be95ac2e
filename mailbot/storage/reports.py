"""What the reports read: the daily digest, the export, the Committee's lists and the demo's
summary (and the digests sent, recorded once a day)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mailbot.storage.search import fold
from mailbot.storage.store import Store, iso, parse_iso, stored_object

# --- the daily digest ------------------------------------------------------------------------


def last_digest_sent_at(store: Store) -> datetime | None:
    row = store.db.execute("SELECT max(sent_at) FROM digests").fetchone()
    return parse_iso(row[0]) if row and row[0] else None


def total_applications(store: Store) -> int:
    """Every application stored, superseded ones too."""
    return int(store.db.execute("SELECT count(*) FROM applications").fetchone()[0])


def unrelated_messages_since(store: Store, since: datetime | None) -> int:
    """How many messages not about the call were stored after ``since`` (all when None)."""
    after = iso(since) if since else ""
    return int(
        store.db.execute(
            "SELECT count(*) FROM messages WHERE disposition = 'unrelated' AND stored_at > ?",
            [after],
        ).fetchone()[0]
    )


def digest_sent_on(store: Store, day: str) -> bool:
    return store.db.execute("SELECT 1 FROM digests WHERE day = ?", [day]).fetchone() is not None


def record_digest(store: Store, day: str, sent_at: datetime, recipients: int) -> None:
    store.db.execute(
        "INSERT OR REPLACE INTO digests(day, sent_at, recipients) VALUES (?, ?, ?)",
        [day, iso(sent_at), recipients],
    )


# --- the export --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationFilter:
    """Which applications to list (every one by default)."""

    status: str | None = None
    group: int | None = None
    text: str | None = None
    live_only: bool = False
    order: str = "received_at"  # received_at | reference | status | name
    descending: bool = False
    limit: int | None = None
    offset: int = 0
    name_key: str | None = None  # the form's field with the applicant's name (order "name")


_ORDER = {
    "received_at": "a.received_at {d}, a.id {d}",
    "reference": "a.id {d}",
    "status": "a.status {d}, a.received_at, a.id",
    "name": "lower(coalesce(json_extract(a.summary, ?), '')) {d}, a.id",
}


def json_path(key: str) -> str:
    """The JSON path of one field of the form (keys are snake_case: ``parsers.spec``)."""
    return f'$."{key}"'


def _where(flt: ApplicationFilter) -> tuple[str, list[Any]]:
    clauses, params = [], []
    if flt.status:
        clauses.append("a.status = ?")
        params.append(flt.status)
    if flt.live_only:
        clauses.append("a.superseded = 0")
    if flt.group is not None:
        clauses.append("a.groups_key LIKE ?")
        params.append(f"%|{int(flt.group)}|%")
    if flt.text and fold(flt.text):
        # case and diacritics folded on both sides ("lodz" finds "Łódź"): mailbot.storage.search
        clauses.append("instr(a.search, ?) > 0")
        params.append(fold(flt.text))
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_applications(store: Store, flt: ApplicationFilter) -> int:
    """How many applications the filter lets through (its order and page aside)."""
    where, params = _where(flt)
    return int(
        store.db.execute(f"SELECT count(*) FROM applications a{where}", params).fetchone()[0]
    )


def application_rows(store: Store, flt: ApplicationFilter) -> Iterator[dict[str, Any]]:
    """The applications the filter lets through, in its order and page, each with its message's
    Message-ID, its attachment (name, kind, stored file) and the state of its latest reply."""
    where, params = _where(flt)
    by = flt.order if flt.order in _ORDER and (flt.order != "name" or flt.name_key) else None
    order = _ORDER[by or "received_at"].format(d="DESC" if flt.descending else "ASC")
    order_params = [json_path(str(flt.name_key))] if by == "name" else []
    if flt.limit is not None:
        # the page is chosen from the applications alone, then only its rows are joined and
        # their replies looked up (an order no index serves would otherwise do that for all)
        params += [*order_params, flt.limit, flt.offset]
        where = (
            f" WHERE a.id IN (SELECT a.id FROM applications a{where} ORDER BY {order}"
            " LIMIT ? OFFSET ?)"
        )
    params += order_params
    yield from store.db.query(
        "SELECT a.id, a.reference, m.message_id, a.status, a.problems, a.received_at,"
        " a.sender, t.filename AS attachment, t.kind AS attachment_kind,"
        " t.file AS attachment_file, a.superseded, a.fields, a.sources, a.corrected,"
        " a.decided_by, a.decided_at, a.decision_note, a.message_pk, a.supersede_note,"
        " a.reply_withheld, a.notes, a.withdrawal_message_pk,"
        " (SELECT w.message_id FROM messages w WHERE w.id = a.withdrawal_message_pk)"
        " AS withdrawal_message_id,"
        " (SELECT r.state FROM replies r WHERE r.application_pk = a.id ORDER BY r.id DESC"
        " LIMIT 1) AS reply_state FROM applications a"
        " JOIN messages m ON m.id = a.message_pk"
        " LEFT JOIN attachments t ON t.id = a.attachment_pk"
        f"{where} ORDER BY {order}",
        params,
    )


def message_rows(store: Store) -> Iterator[dict[str, Any]]:
    """Every message in order of receipt, with whether it was answered and its latest reply's
    state and error."""
    yield from store.db.query(
        "SELECT m.message_id, m.received_at, m.sender, m.disposition, m.reason, m.signals,"
        " EXISTS(SELECT 1 FROM replies r WHERE r.message_pk = m.id"
        " AND r.state IN ('sent', 'bounced')) AS replied,"
        " (SELECT r.state FROM replies r WHERE r.message_pk = m.id ORDER BY r.id DESC"
        " LIMIT 1) AS reply_state,"
        " (SELECT coalesce(r.bounce_reason, r.last_error) FROM replies r"
        " WHERE r.message_pk = m.id ORDER BY r.id DESC LIMIT 1) AS reply_error"
        " FROM messages m ORDER BY m.received_at, m.id"
    )


# --- the Committee's lists ---------------------------------------------------------------------


@dataclass(frozen=True)
class AcceptedValues:
    """A live accepted application: its number, the values of the asked fields (corrected
    where a person corrected them; None when empty) and the numbers of its choice."""

    reference: str | None
    values: tuple[Any, ...]
    groups: tuple[int, ...]


def accepted_values(
    store: Store, keys: Sequence[str], group: int | None = None
) -> list[AcceptedValues]:
    """Every live accepted application (of ``group`` when given) with the values of ``keys``:
    from the small summary (one JSON parse a row), and for an application where one of them is
    not there — empty, or a long text the summary leaves out — from the form's whole values, so
    nothing is ever cut."""
    where, params = "", []
    if group is not None:
        where = " AND groups_key LIKE ?"  # "|1|4|", kept by a trigger
        params = [f"%|{int(group)}|%"]
    # json_extract with two paths or more gives a JSON array of their values
    paths = [json_path(k) for k in keys] * (2 if len(keys) == 1 else 1)
    extract = f"json_extract(summary, {', '.join('?' * len(paths))})" if paths else "'[]'"
    found = []
    lacking: list[int] = []
    for pk, reference, groups_key, text in store.db.execute(
        f"SELECT id, reference, groups_key, {extract}"
        f" FROM applications WHERE status = 'accepted' AND superseded = 0{where}",
        [*paths, *params],
    ):
        values = _array(text)[: len(keys)]
        if len(values) < len(keys) or None in values:
            lacking.append(pk)
        found.append((pk, reference, groups_key, values))
    whole: dict[int, dict[str, Any]] = {}
    for chunk in range(0, len(lacking), 500):
        ids = lacking[chunk : chunk + 500]
        whole.update(
            (pk, stored_object(text))
            for pk, text in store.db.execute(
                "SELECT id, json_patch(coalesce(fields, '{}'), coalesce(corrected, '{}')) "
                f"FROM applications WHERE id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        )
    return [
        AcceptedValues(
            reference,
            tuple(whole[pk].get(k) for k in keys) if pk in whole else tuple(values),
            _numbers(groups_key),
        )
        for pk, reference, groups_key, values in found
    ]


def _numbers(groups_key: str | None) -> tuple[int, ...]:
    """ "|1|4|" -> (1, 4)."""
    inner = (groups_key or "").strip("|")
    if not inner:
        return ()
    try:
        return tuple(map(int, inner.split("|")))
    except ValueError:  # what an older version or an odd reader stored: the numbers in it
        return tuple(int(n) for n in inner.split("|") if n.isascii() and n.isdigit())


def _array(text: str | None) -> list[Any]:
    try:
        value = json.loads(text) if text else []
    except ValueError:
        return []
    return value if isinstance(value, list) else []


def accepted_group_sizes(store: Store, numbers: Sequence[int]) -> dict[int, int]:
    """How many live accepted applications each of these groups has (one pass)."""
    if not numbers:
        return {}
    sums = ", ".join(f"sum(groups_key LIKE '%|{int(n)}|%')" for n in numbers)
    row = store.db.execute(
        f"SELECT {sums} FROM applications WHERE status = 'accepted' AND superseded = 0"
    ).fetchone()
    return {int(n): int(c or 0) for n, c in zip(numbers, row, strict=True)}


# --- the demo ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessageOutcome:
    """A message and one of its applications (status None: the message holds none)."""

    subject: str | None
    sender: str | None
    disposition: str
    reason: str | None
    status: str | None
    reference: str | None
    superseded: bool


def message_outcomes(store: Store) -> list[MessageOutcome]:
    """Every message with each of its applications, in order of receipt."""
    return [
        MessageOutcome(
            subject=r["subject"],
            sender=r["sender"],
            disposition=r["disposition"],
            reason=r["reason"],
            status=r["status"],
            reference=r["reference"],
            superseded=bool(r["superseded"]),
        )
        for r in store.db.query(
            "SELECT m.subject, m.sender, m.disposition, m.reason, a.status, a.reference, "
            "a.superseded FROM messages m LEFT JOIN applications a ON a.message_pk = m.id "
            "ORDER BY m.received_at"
        )
    ]
