"""A form sent after the session had ended is kept, and completed after the same person logs in
again.

When a change arrives from a login whose session ended for being idle, its values (every field
but the form token) are kept server-side, named by the SHA-256 of a random token that goes
into her cookie only — never into an address or a log line. After she logs in again as the
same login, the workspace offers the kept form back to be sent as it was. A kept form lives
:data:`KEEP_MINUTES`; it is removed once taken, and forms older than that are removed whenever
one is kept or taken.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from collections.abc import Sequence
from dataclasses import dataclass

from mailbot.storage import kept_forms as sql
from mailbot.storage.store import Store

#: how long a kept form waits for its login (minutes)
KEEP_MINUTES = 30
#: form fields never kept (the form token is the page's, not hers)
NOT_KEPT = frozenset({"csrf_token"})


@dataclass(frozen=True)
class KeptForm:
    path: str  # where it was sent (the workspace's own path, no query)
    fields: tuple[tuple[str, str], ...]  # (name, value), in the order sent


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def keep_form(
    store: Store, login: str, path: str, fields: Sequence[tuple[str, str]], now: int | None = None
) -> str:
    """Keep a form; the token for the cookie."""
    now = int(time.time()) if now is None else now
    token = secrets.token_urlsafe(24)
    kept = [[name, value] for name, value in fields if name not in NOT_KEPT]
    with store.transaction():
        sql.drop_kept_forms_before(store, now - KEEP_MINUTES * 60)
        sql.keep_form(store, _digest(token), login, path, json.dumps(kept), now)
    return token


def peek_form(store: Store, token: str | None, login: str, now: int | None = None) -> bool:
    """Whether a kept form waits for this login under this token."""
    if not token:
        return False
    now = int(time.time()) if now is None else now
    row = sql.find_kept_form(store, _digest(token))
    return row is not None and row.login == login and now - row.kept_at <= KEEP_MINUTES * 60


def take_form(
    store: Store, token: str | None, login: str, now: int | None = None
) -> KeptForm | None:
    """The form kept under this token for this login (removed from the store), or None when
    there is none, it is another login's, or it waited too long."""
    if not token:
        return None
    now = int(time.time()) if now is None else now
    form_id = _digest(token)
    with store.transaction():
        sql.drop_kept_forms_before(store, now - KEEP_MINUTES * 60)
        row = sql.find_kept_form(store, form_id)
        if row is None or row.login != login:
            return None
        sql.drop_kept_form(store, form_id)
    pairs = json.loads(row.data)
    return KeptForm(row.path, tuple((str(n), str(v)) for n, v in pairs))


def drop_form(store: Store, token: str | None) -> None:
    if token:
        with store.transaction():
            sql.drop_kept_form(store, _digest(token))
