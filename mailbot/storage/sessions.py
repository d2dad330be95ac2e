"""The workspace's sessions and failed-login counters as stored (see ``mailbot.ops.sessions``).

A session row is named by the SHA-256 of its token (the cookie holds the token itself, so a
copy of the database gives no usable cookie). Login counters and successful logins are named by
the SHA-256 of their key, so neither logins nor addresses are kept in clear. Each function runs
its statements on the store's connection; single statements commit on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from mailbot.storage.store import Store


@dataclass(frozen=True)
class SessionRow:
    login: str
    role: str
    seen_at: int


def insert_session(
    store: Store, session_id: str, login: str, role: str, created_at: str, seen_at: int
) -> None:
    store.conn.execute(
        "INSERT INTO sessions(id, login, role, created_at, seen_at) VALUES (?, ?, ?, ?, ?)",
        [session_id, login, role, created_at, seen_at],
    )


def find_session(store: Store, session_id: str) -> SessionRow | None:
    row = store.conn.execute(
        "SELECT login, role, seen_at FROM sessions WHERE id = ?", [session_id]
    ).fetchone()
    return SessionRow(row[0], row[1], int(row[2])) if row else None


def touch_session(store: Store, session_id: str, seen_at: int) -> None:
    store.conn.execute("UPDATE sessions SET seen_at = ? WHERE id = ?", [seen_at, session_id])


def delete_session(store: Store, session_id: str) -> None:
    store.conn.execute("DELETE FROM sessions WHERE id = ?", [session_id])


def delete_sessions_of(store: Store, login: str) -> int:
    """End every session of a login; how many there were."""
    return store.conn.execute("DELETE FROM sessions WHERE login = ?", [login]).rowcount


def delete_idle_sessions(store: Store, seen_before: int) -> None:
    store.conn.execute("DELETE FROM sessions WHERE seen_at < ?", [seen_before])


def count_sessions(store: Store, login: str) -> int:
    row = store.conn.execute("SELECT count(*) FROM sessions WHERE login = ?", [login]).fetchone()
    return int(row[0])


# --- failed logins -------------------------------------------------------------------------


@dataclass(frozen=True)
class FailureCount:
    failures: int
    last_at: float
    until: float


def failure_counts(store: Store, keys: list[str]) -> dict[str, FailureCount]:
    marks = ", ".join("?" for _ in keys)
    rows = store.conn.execute(
        f"SELECT key, failures, last_at, until FROM login_failures WHERE key IN ({marks})", keys
    ).fetchall()
    return {r[0]: FailureCount(int(r[1]), float(r[2]), float(r[3])) for r in rows}


def set_failure_count(store: Store, key: str, count: FailureCount) -> None:
    store.conn.execute(
        "INSERT INTO login_failures(key, failures, last_at, until) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(key) DO UPDATE SET failures = excluded.failures, "
        "last_at = excluded.last_at, until = excluded.until",
        [key, count.failures, count.last_at, count.until],
    )


def delete_failure_count(store: Store, key: str) -> None:
    store.conn.execute("DELETE FROM login_failures WHERE key = ?", [key])


def forget_old_failures(store: Store, before: float) -> None:
    store.conn.execute("DELETE FROM login_failures WHERE last_at < ?", [before])


def success_at(store: Store, key: str) -> float | None:
    row = store.conn.execute("SELECT at FROM login_successes WHERE key = ?", [key]).fetchone()
    return float(row[0]) if row else None


def record_success(store: Store, key: str, at: float) -> None:
    store.conn.execute(
        "INSERT INTO login_successes(key, at) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET at = excluded.at",
        [key, at],
    )


def forget_old_successes(store: Store, before: float) -> None:
    store.conn.execute("DELETE FROM login_successes WHERE at < ?", [before])
