"""Handled entries: the archive ("Załatwione"), undoing one ("Przywróć"), marking several at
once, and the next entry of the queue ("następna sprawa").

An entry (``message:N``, ``application:N``, ``reply:N``) leaves Do zrobienia when a person
marks it handled; taking the mark off brings it back as long as it still needs a person (an
application decided since stays decided). Each change goes to the event log with who made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mailbot.config import Config
from mailbot.errors import ActionRefused
from mailbot.ops.review import AttentionItem, attention, entry_number
from mailbot.storage import handled as sql
from mailbot.storage.handled import HandledRow
from mailbot.storage.store import Store

PAGE = 50


@dataclass(frozen=True)
class Archive:
    rows: list[HandledRow]
    total: int
    page: int
    pages: int


def archive(store: Store, page: int = 1, per_page: int = PAGE) -> Archive:
    """The handled entries, the latest first, a page at a time."""
    total = sql.count_handled(store)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(page, 1), pages)
    return Archive(sql.handled_page(store, per_page, (page - 1) * per_page), total, page, pages)


def restore(store: Store, item: str, *, actor: str) -> HandledRow:
    """Take the handled mark off an entry: it is back in Do zrobienia if it still needs a
    person. ActionRefused (``not_handled``) when it was not marked."""
    kind, number = entry_number(item)
    with store.transaction():
        row = sql.handled_row(store, item)
        if row is None or not sql.unmark(store, item):
            raise ActionRefused("not_handled", item=item)
        store.event(
            "restored",
            number if kind == "message" else row.message_pk,
            f"{item} (było: {row.how})",
            actor=actor,
        )
    return row


def mark_many(store: Store, items: Sequence[str], *, actor: str, how: str = "done") -> int:
    """Mark several entries handled at once (one transaction); how many."""
    chosen = list(dict.fromkeys(i for i in items if i))
    if not chosen:
        raise ActionRefused("nothing_chosen")
    numbers = [entry_number(item) for item in chosen]  # every one checked before any is marked
    with store.transaction():
        sql.mark_many(store, chosen, actor, how)
        for item, (kind, number) in zip(chosen, numbers, strict=True):
            store.event(
                "handled", number if kind == "message" else None, f"{item} {how}", actor=actor
            )
    return len(chosen)


def next_entry(config: Config, store: Store) -> AttentionItem | None:
    """The entry Do zrobienia lists first (the oldest of the first kind), or None."""
    items = attention(config, store, with_lines=False)
    return items[0] if items else None
