"""The counts behind the call's overview: applications by status, by group and by quarter of an
hour, replies by state, messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from mailbot.storage.store import Store


def live_applications_by_status(store: Store) -> dict[str, int]:
    """How many live (not superseded) applications have each status."""
    return dict(
        store.db.execute(
            "SELECT status, count(*) FROM applications WHERE superseded = 0 GROUP BY status"
        ).fetchall()
    )


def live_applications_by_group(store: Store, numbers: Sequence[int]) -> dict[tuple[int, str], int]:
    """(group number, status) -> how many live applications of that status name the group, for
    accepted, incomplete and to review (one pass over the table; the "|1|4|" key is kept by a
    trigger)."""
    if not numbers:
        return {}
    sums = ", ".join(f"sum(groups_key LIKE '%|{int(n)}|%')" for n in numbers)
    counts: dict[tuple[int, str], int] = {}
    for status, *group_counts in store.db.execute(
        f"SELECT status, {sums} FROM applications WHERE superseded = 0 AND status IN "
        f"('accepted', 'incomplete', 'needs_review') GROUP BY status"
    ):
        for number, n in zip(numbers, group_counts, strict=True):
            counts[(number, status)] = int(n or 0)
    return counts


class QuarterCount(NamedTuple):
    hour: str  # "2024-05-06T10", UTC as stored
    quarter: int  # 0..3: minutes 0-14, 15-29, 30-44, 45-59
    applications: int


def applications_per_quarter_hour(store: Store) -> list[QuarterCount]:
    """Applications (not formless messages, not what a person called no application) received
    in each quarter of an hour, UTC (exact for every time zone offset)."""
    return [
        QuarterCount(*row)
        for row in store.db.execute(
            "SELECT substr(received_at, 1, 13), CAST(substr(received_at, 15, 2) AS INTEGER) / 15,"
            " count(*) FROM applications WHERE status NOT IN ('no_form', 'not_application') "
            "GROUP BY 1, 2"
        )
    ]


def replies_by_state(store: Store) -> dict[str, int]:
    """Reply state -> how many (queued, sending, sent, failed, bounced)."""
    return {
        str(k): int(v)
        for k, v in store.db.execute(
            "SELECT state, count(*) FROM replies GROUP BY state"
        ).fetchall()
    }


def message_count(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM messages").fetchone()[0])
