"""Forms a person sent after her session had ended, kept until she logs in again.

A row is named by the SHA-256 of a random token that only her cookie holds; it carries the
login it belongs to, the path the form was sent to and the form's values (JSON). Rows older
than the caller's limit are deleted whenever one is written or taken.
"""

from __future__ import annotations

from typing import NamedTuple

from mailbot.storage.store import Store


class KeptForm(NamedTuple):
    login: str
    path: str
    data: str  # JSON: a list of [name, value] pairs, in the order sent
    kept_at: int


def keep_form(store: Store, form_id: str, login: str, path: str, data: str, now: int) -> None:
    store.conn.execute(
        "INSERT OR REPLACE INTO kept_forms(id, login, path, data, kept_at) VALUES (?, ?, ?, ?, ?)",
        [form_id, login, path, data, now],
    )


def find_kept_form(store: Store, form_id: str) -> KeptForm | None:
    row = store.conn.execute(
        "SELECT login, path, data, kept_at FROM kept_forms WHERE id = ?", [form_id]
    ).fetchone()
    return KeptForm(row[0], row[1], row[2], int(row[3])) if row else None


def drop_kept_form(store: Store, form_id: str) -> None:
    store.conn.execute("DELETE FROM kept_forms WHERE id = ?", [form_id])


def drop_kept_forms_before(store: Store, before: int) -> None:
    store.conn.execute("DELETE FROM kept_forms WHERE kept_at < ?", [before])
