"""Every message, as the workspace's Wiadomości lists it: filtered by disposition, receipt time
and sender, searched without regard to case or Polish diacritics, newest first, a page at a
time.

The sender and the text are compared folded (:func:`mailbot.storage.search.fold`, registered
on the connection as ``mailbot_fold``): "lodz" finds "Łódź", "swidnicka" finds "Świdnicka".
The text is looked for in the sender, the subject and the reference numbers of the message's
applications.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any, NamedTuple

from mailbot.storage.search import fold
from mailbot.storage.store import Store

FOLD_FUNCTION = "mailbot_fold"


@dataclass(frozen=True)
class MessageFilter:
    disposition: str | None = None
    received_from: str | None = None  # ISO time (UTC), inclusive
    received_to: str | None = None  # ISO time (UTC), exclusive
    sender: str | None = None  # folded
    text: str | None = None  # folded
    limit: int = 50
    offset: int = 0


class ListedMessage(NamedTuple):
    id: int
    received_at: str
    sender: str | None
    subject: str | None
    disposition: str
    reason: str | None
    references: str | None  # the message's applications' numbers, ", " between them
    handled_how: str | None


def _fold(value: Any) -> str:
    return fold(value) if isinstance(value, str) else ""


def _register(conn: sqlite3.Connection) -> None:
    conn.create_function(FOLD_FUNCTION, 1, _fold, deterministic=True)


_REFERENCES = (
    "(SELECT group_concat(reference, ', ') FROM "
    "(SELECT reference FROM applications WHERE message_pk = m.id ORDER BY reference))"
)


def _where(flt: MessageFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.disposition:
        clauses.append("m.disposition = ?")
        params.append(flt.disposition)
    if flt.received_from:
        clauses.append("m.received_at >= ?")
        params.append(flt.received_from)
    if flt.received_to:
        clauses.append("m.received_at < ?")
        params.append(flt.received_to)
    if flt.sender:
        clauses.append(f"instr({FOLD_FUNCTION}(m.sender), ?) > 0")
        params.append(flt.sender)
    if flt.text:
        clauses.append(
            f"instr({FOLD_FUNCTION}(coalesce(m.sender, '') || ' ' || coalesce(m.subject, '') "
            f"|| ' ' || coalesce({_REFERENCES}, '')), ?) > 0"
        )
        params.append(flt.text)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_messages(store: Store, flt: MessageFilter) -> int:
    _register(store.conn)
    where, params = _where(flt)
    return int(store.conn.execute(f"SELECT count(*) FROM messages m{where}", params).fetchone()[0])


def message_page(store: Store, flt: MessageFilter) -> list[ListedMessage]:
    """The messages matching, newest first (``limit`` from ``offset``)."""
    _register(store.conn)
    where, params = _where(flt)
    return [
        ListedMessage(*row)
        for row in store.conn.execute(
            f"SELECT m.id, m.received_at, m.sender, m.subject, m.disposition, m.reason, "
            f"{_REFERENCES}, (SELECT how FROM handled WHERE item = 'message:' || m.id) "
            f"FROM messages m{where} ORDER BY m.received_at DESC, m.id DESC LIMIT ? OFFSET ?",
            [*params, flt.limit, flt.offset],
        )
    ]


def disposition_counts(store: Store) -> dict[str, int]:
    return {
        str(d): int(n)
        for d, n in store.conn.execute(
            "SELECT disposition, count(*) FROM messages GROUP BY disposition"
        )
    }
