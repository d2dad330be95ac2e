"""Rows written straight into a real store for the storage tests: a message and an
application with only the columns the tests need (the rest as the schema defaults them)."""

from __future__ import annotations

import json
from itertools import count

from mailbot.storage.store import Store, iso, utcnow

_numbers = count(1)


def message(
    store: Store,
    sender: str = "anna@example.pl",
    received_at: str = "2024-05-10T10:00:00+00:00",
    disposition: str = "application",
    subject: str = "Zgłoszenie",
    **extra: object,
) -> int:
    with store.transaction():
        return store.insert(
            "messages",
            {
                "message_id": f"<m{next(_numbers)}@example.pl>",
                "origin": "file",
                "sha256": "0" * 64,
                "received_at": received_at,
                "sender": sender,
                "subject": subject,
                "disposition": disposition,
                **extra,
            },
        )


def application(
    store: Store,
    message_pk: int,
    reference: str,
    *,
    status: str = "accepted",
    superseded: int = 0,
    sender: str = "anna@example.pl",
    received_at: str = "2024-05-10T10:00:00+00:00",
    **extra: object,
) -> int:
    with store.transaction():
        return store.insert(
            "applications",
            {
                "message_pk": message_pk,
                "reference": reference,
                "status": status,
                "problems": "[]",
                "fields": json.dumps({"full_name": "Anna Nowak"}),
                "sources": "{}",
                "sender": sender,
                "sender_key": sender.lower(),
                "received_at": received_at,
                "superseded": superseded,
                "created_at": iso(utcnow()),
                **extra,
            },
        )
