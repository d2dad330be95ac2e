"""The statements behind withdrawals: a sender's live applications, marking one withdrawn
(linked to the message that withdrew it), what a message withdrew.

Writes run inside the caller's transaction (:meth:`Store.transaction`).
"""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.names import ApplicationStatus
from mailbot.storage.store import Store

#: statuses a live application can be withdrawn from (a person's "not an application", a
#: rejection or an earlier withdrawal is final until a person decides again)
WITHDRAWABLE = tuple(
    s
    for s in ApplicationStatus
    if s
    not in (
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.NOT_APPLICATION,
        ApplicationStatus.REJECTED,
    )
)


@dataclass(frozen=True)
class LiveApplication:
    """A live application of a sender: what a withdrawal needs to see and change."""

    id: int
    reference: str
    message_pk: int
    status: str
    received_at: str
    fields: str | None  # JSON, as read
    corrected: str | None  # JSON, a person's corrections
    applicant_key: str | None
    sender: str | None


_COLUMNS = (
    "id, reference, message_pk, status, received_at, fields, corrected, applicant_key, sender"
)


def live_applications_of(store: Store, address: str) -> list[LiveApplication]:
    """The live applications sent from this address or naming it (lower case) that can still
    be withdrawn, oldest first."""
    marks = ", ".join("?" for _ in WITHDRAWABLE)
    return [
        LiveApplication(*row)
        for row in store.db.execute(
            f"SELECT {_COLUMNS} FROM applications WHERE superseded = 0 AND status IN ({marks}) "
            f"AND (sender_key = ? OR applicant_email = ?) ORDER BY received_at, id",
            [*WITHDRAWABLE, address, address],
        )
    ]


def is_live(store: Store, application_pk: int) -> bool:
    row = store.db.execute(
        "SELECT superseded FROM applications WHERE id = ?", [application_pk]
    ).fetchone()
    return bool(row) and not row[0]


def mark_withdrawn(
    store: Store, application_pk: int, *, by: str, at: str, message_pk: int, machine_status: str
) -> None:
    """The application withdrawn by a person, linked to the withdrawal message; the status the
    machine gave is kept the first time a person changes it."""
    store.db.execute(
        "UPDATE applications SET status = ?, decided_by = ?, decided_at = ?, "
        "withdrawal_message_pk = ?, machine_status = coalesce(machine_status, ?) WHERE id = ?",
        [ApplicationStatus.WITHDRAWN, by, at, message_pk, machine_status, application_pk],
    )


def withdrawn_by_message(store: Store, message_pk: int) -> list[str]:
    """The reference numbers of the applications this message withdrew."""
    return [
        str(r[0])
        for r in store.db.execute(
            "SELECT reference FROM applications WHERE withdrawal_message_pk = ? ORDER BY id",
            [message_pk],
        )
    ]
