"""Wiadomości: every message mailbot has recorded, filtered by disposition, day of receipt
(in the call's time zone) and sender, searched without regard to case or Polish diacritics
(the sender, the subject, the reference numbers), newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from mailbot.config import Config
from mailbot.errors import ActionRefused
from mailbot.names import Disposition
from mailbot.storage import mail_list as sql
from mailbot.storage.mail_list import ListedMessage, MessageFilter
from mailbot.storage.search import fold
from mailbot.storage.store import Store, iso

PAGE = 50
DISPOSITIONS: tuple[str, ...] = tuple(d.value for d in Disposition)


@dataclass(frozen=True)
class MailQuery:
    disposition: str | None = None
    day_from: date | None = None
    day_to: date | None = None
    sender: str | None = None
    text: str | None = None
    page: int = 1


@dataclass(frozen=True)
class MailPage:
    rows: list[ListedMessage]
    total: int
    page: int
    pages: int
    counts: dict[str, int]  # disposition -> messages of it (all of them)


def _start_of(day: date, config: Config) -> str:
    return iso(datetime.combine(day, time(0, 0), tzinfo=config.call.timezone))


def message_list(config: Config, store: Store, query: MailQuery, per_page: int = PAGE) -> MailPage:
    """The messages matching ``query``; :class:`~mailbot.errors.ActionRefused` for a disposition
    that does not exist (``unknown_disposition``) or a day range that ends before it starts
    (``days_reversed``)."""
    if query.disposition and query.disposition not in DISPOSITIONS:
        raise ActionRefused(
            "unknown_disposition", disposition=query.disposition, choices=DISPOSITIONS
        )
    if query.day_from and query.day_to and query.day_to < query.day_from:
        raise ActionRefused("days_reversed")
    flt = MessageFilter(
        disposition=query.disposition or None,
        received_from=_start_of(query.day_from, config) if query.day_from else None,
        received_to=_start_of(query.day_to + timedelta(days=1), config) if query.day_to else None,
        sender=fold(query.sender) if query.sender and query.sender.strip() else None,
        text=fold(query.text) if query.text and query.text.strip() else None,
    )
    total = sql.count_messages(store, flt)
    pages = max((total + per_page - 1) // per_page, 1)
    page = min(max(query.page, 1), pages)
    rows = sql.message_page(
        store, MessageFilter(**{**flt.__dict__, "limit": per_page, "offset": (page - 1) * per_page})
    )
    return MailPage(rows, total, page, pages, sql.disposition_counts(store))
