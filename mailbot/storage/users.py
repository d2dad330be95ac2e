"""The workspace's users as stored: a login, a role and the hash of the password."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mailbot.storage.store import Store

Role = Literal["coordinator", "viewer"]


@dataclass(frozen=True)
class User:
    login: str
    role: Role
    created_at: str

    @property
    def can_change(self) -> bool:
        return self.role == "coordinator"


def user_exists(store: Store, login: str) -> bool:
    return store.db.execute("SELECT 1 FROM users WHERE login = ?", [login]).fetchone() is not None


def insert_user(store: Store, user: User, password_hash: str) -> None:
    store.insert(
        "users",
        {
            "login": user.login,
            "role": user.role,
            "password_hash": password_hash,
            "created_at": user.created_at,
        },
    )


def all_users(store: Store) -> list[User]:
    """Every user in login order."""
    return [
        User(r["login"], r["role"], r["created_at"])
        for r in store.db.query("SELECT login, role, created_at FROM users ORDER BY login")
    ]


def find_user(store: Store, login: str) -> User | None:
    row = store.db.execute(
        "SELECT login, role, created_at FROM users WHERE login = ?", [login]
    ).fetchone()
    return User(row[0], row[1], row[2]) if row else None


def delete_user(store: Store, login: str) -> bool:
    """Remove the user; False when there was none of that login."""
    return store.db.execute("DELETE FROM users WHERE login = ?", [login]).rowcount != 0


def password_hash(store: Store, login: str) -> str | None:
    row = store.db.execute("SELECT password_hash FROM users WHERE login = ?", [login]).fetchone()
    return row[0] if row else None


def set_password_hash(store: Store, login: str, password_hash: str) -> None:
    store.db.execute("UPDATE users SET password_hash = ? WHERE login = ?", [password_hash, login])


def set_role(store: Store, login: str, role: Role) -> bool:
    """Change a user's role; False when there is no such user."""
    return (
        store.db.execute("UPDATE users SET role = ? WHERE login = ?", [role, login]).rowcount != 0
    )
