"""Every message, as the workspace's Wiadomości lists it: filtered by disposition, receipt time
and sender, searched without regard to case or Polish diacritics, newest first, a page at a
time.

The text is looked for folded (:func:`mailbot.storage.search.fold`: "lodz" finds "Łódź",
"swidnicka" finds "Świdnicka") in ``messages.search`` — the sender and the subject folded,
kept by triggers — and in the reference numbers of the message's applications; the sender
filter in the sender's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from mailbot.storage.store import Store


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
        clauses.append("instr(lower(m.sender), ?) > 0")
        params.append(flt.sender)
    if flt.text:
        clauses.append(
            "(instr(m.search, ?) > 0 OR m.id IN (SELECT message_pk FROM applications "
            "WHERE instr(lower(reference), ?) > 0))"
        )
        params += [flt.text, flt.text]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def count_messages(store: Store, flt: MessageFilter) -> int:
    where, params = _where(flt)
    return int(store.conn.execute(f"SELECT count(*) FROM messages m{where}", params).fetchone()[0])


def message_page(store: Store, flt: MessageFilter) -> list[ListedMessage]:
    """The messages matching, newest first (``limit`` from ``offset``)."""
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
