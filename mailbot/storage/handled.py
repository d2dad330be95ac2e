"""The archive of handled entries ("Załatwione"): what was taken off the attention queue, by
whom, when and how, newest first, with what each entry was about; taking a mark off again.

Entries are named as the queue names them (``message:N``, ``application:N``, ``reply:N``).
Writes run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mailbot.storage.store import Store, iso, utcnow


class HandledRow(NamedTuple):
    item: str
    by: str
    at: str
    how: str
    kind: str  # message | application | reply
    message_pk: int | None
    received_at: str | None
    sender: str | None  # the recipient, for a reply
    subject: str | None
    reference: str | None


_FROM = (
    "FROM handled h "
    "LEFT JOIN messages m ON h.item LIKE 'message:%' "
    "AND m.id = CAST(substr(h.item, 9) AS INTEGER) "
    "LEFT JOIN applications a ON h.item LIKE 'application:%' "
    "AND a.id = CAST(substr(h.item, 13) AS INTEGER) "
    "LEFT JOIN messages am ON am.id = a.message_pk "
    "LEFT JOIN replies r ON h.item LIKE 'reply:%' AND r.id = CAST(substr(h.item, 7) AS INTEGER) "
    "LEFT JOIN applications ra ON ra.id = r.application_pk"
)
_COLUMNS = (
    "h.item, h.by, h.at, h.how, substr(h.item, 1, instr(h.item, ':') - 1), "
    "coalesce(m.id, a.message_pk, r.message_pk), "
    "coalesce(m.received_at, a.received_at, r.bounced_at, r.queued_at), "
    "coalesce(m.sender, a.sender, r.to_addr), coalesce(m.subject, am.subject, r.subject), "
    "coalesce((SELECT min(reference) FROM applications WHERE message_pk = m.id), a.reference, "
    "ra.reference)"
)


def count_handled(store: Store) -> int:
    return int(store.conn.execute("SELECT count(*) FROM handled").fetchone()[0])


def handled_page(store: Store, limit: int, offset: int) -> list[HandledRow]:
    """Handled entries, the latest first."""
    return [
        HandledRow(*row)
        for row in store.conn.execute(
            f"SELECT {_COLUMNS} {_FROM} ORDER BY h.at DESC, h.rowid DESC LIMIT ? OFFSET ?",
            [limit, offset],
        )
    ]


def handled_row(store: Store, item: str) -> HandledRow | None:
    row = store.conn.execute(f"SELECT {_COLUMNS} {_FROM} WHERE h.item = ?", [item]).fetchone()
    return HandledRow(*row) if row else None


def unmark(store: Store, item: str) -> bool:
    """Take the handled mark off an entry; False when it had none."""
    return store.conn.execute("DELETE FROM handled WHERE item = ?", [item]).rowcount > 0


def mark_many(store: Store, items: Sequence[str], by: str, how: str) -> None:
    """Mark several entries handled at once (a second time replaces the first)."""
    at = iso(utcnow())
    store.conn.executemany(
        "INSERT OR REPLACE INTO handled(item, by, at, how) VALUES (?, ?, ?, ?)",
        [(item, by, at, how) for item in items],
    )
