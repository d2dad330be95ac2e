"""``mailbot purge``: remove personal data after the retention period.

Everything about messages received before a date goes: the messages, their applications,
attachments, replies and events, and the stored files nothing refers to any more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mailbot.storage import purging
from mailbot.storage.store import Store, iso


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
    with store.transaction():
        removed = purging.delete_received_before(store, before)
        store.event("purge", None, f"before {cutoff}: {removed.messages} message(s)")
    files = store.remove_unreferenced_files()
    return PurgeReport(
        messages=removed.messages,
        applications=removed.applications,
        attachments=removed.attachments,
        replies=removed.replies,
        events=removed.events,
        files=files,
    )
