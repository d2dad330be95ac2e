"""``mailbot purge``: remove personal data after the retention period.

Everything about messages received before a date goes: the messages, their applications,
attachments, replies and events, and the stored files nothing refers to any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailbot.storage.store import Store, iso

OLD = "SELECT id FROM messages WHERE received_at < ?"


@dataclass(frozen=True)
class PurgeReport:
    messages: int
    applications: int
    attachments: int
    replies: int
    events: int
    files: int

    def summary(self) -> str:
        return (
            f"removed {self.messages} message(s), {self.applications} application(s), "
            f"{self.attachments} attachment(s), {self.replies} reply(ies), "
            f"{self.events} event(s), {self.files} stored file(s)"
        )


def purge(store: Store, before: datetime) -> PurgeReport:
    cutoff = iso(before)
    counts: dict[str, int] = {}
    with store.transaction():
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
        store.event("purge", None, f"before {cutoff}: {counts['messages']} message(s)")
    files = store.remove_unreferenced_files()
    return PurgeReport(
        messages=counts["messages"],
        applications=counts["applications"],
        attachments=counts["attachments"],
        replies=counts["replies"],
        events=counts["events"],
        files=files,
    )
