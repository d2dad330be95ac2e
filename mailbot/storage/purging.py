"""What ``mailbot purge`` removes: everything about messages received before a date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailbot.names import PURGED_BEFORE_KEY
from mailbot.storage.store import Store, iso

OLD = "SELECT id FROM messages WHERE received_at < ?"


@dataclass(frozen=True)
class PurgedRows:
    """How many rows of each kind were removed."""

    messages: int
    applications: int
    attachments: int
    replies: int
    events: int


def delete_received_before(store: Store, before: datetime) -> PurgedRows:
    """Remove the messages received before ``before`` with their corrections, replies,
    applications, events and attachments, and the failures first seen before it (run inside the
    caller's transaction; the stored files are left to ``Store.remove_unreferenced_files``)."""
    cutoff = iso(before)
    counts: dict[str, int] = {}
    # the letters found in Sent that answer them, and no reading them back from the mailbox
    store.db.execute(
        "DELETE FROM sent_letters WHERE in_reply_to IN (SELECT message_id FROM messages "
        "WHERE received_at < ?)",
        [cutoff],
    )
    if (store.get_state(PURGED_BEFORE_KEY) or "") < cutoff:
        store.set_state(PURGED_BEFORE_KEY, cutoff)
    store.db.execute(
        f"DELETE FROM corrections WHERE application_pk IN (SELECT id FROM "
        f"applications WHERE message_pk IN ({OLD}))",
        [cutoff],
    )
    for table in ("replies", "applications", "events"):
        cur = store.db.execute(f"DELETE FROM {table} WHERE message_pk IN ({OLD})", [cutoff])
        counts[table] = cur.rowcount
    cur = store.db.execute(f"DELETE FROM attachments WHERE message_pk IN ({OLD})", [cutoff])
    counts["attachments"] = cur.rowcount
    counts["messages"] = store.db.execute(
        "DELETE FROM messages WHERE received_at < ?", [cutoff]
    ).rowcount
    store.db.execute("DELETE FROM failures WHERE first_at < ?", [cutoff])
    return PurgedRows(
        messages=counts["messages"],
        applications=counts["applications"],
        attachments=counts["attachments"],
        replies=counts["replies"],
        events=counts["events"],
    )
