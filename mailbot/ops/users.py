"""The workspace's users: a login, a role (``coordinator`` changes things, ``viewer`` only
looks) and an argon2 hash of the password (argon2-cffi; the password itself is never stored)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mailbot import names
from mailbot.errors import MailbotError
from mailbot.storage.store import Store, iso, utcnow

Role = Literal["coordinator", "viewer"]
ROLES: tuple[Role, ...] = names.ROLES
MIN_PASSWORD_LENGTH = 10
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")

_hasher = PasswordHasher()
# verifying an unknown login costs as much as a known one: no timing hint which logins exist


@functools.cache
def _dummy_hash() -> str:
    """A hash to check an unknown login against, so it takes as long as a known one (made on
    first use: hashing costs about 0.1 s, which every command would pay at import)."""
    return _hasher.hash("mailbot: no such user")


class UserError(MailbotError):
    exit_code = 65  # EX_DATAERR


@dataclass(frozen=True)
class User:
    login: str
    role: Role
    created_at: str

    @property
    def can_change(self) -> bool:
        return self.role == "coordinator"


def _check_login(login: str) -> str:
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise UserError("a login is 2–40 characters: lower-case letters, digits, . _ -")
    return login


def add_user(
    store: Store, login: str, password: str, role: str = "coordinator", actor: str | None = None
) -> User:
    login = _check_login(login)
    if role not in ROLES:
        raise UserError(f"role must be one of: {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"the password must have at least {MIN_PASSWORD_LENGTH} characters")
    if store.db.execute("SELECT 1 FROM users WHERE login = ?", [login]).fetchone():
        raise UserError(f"user {login} exists already (remove it first to reset the password)")
    now = iso(utcnow())
    with store.transaction():
        store.insert(
            "users",
            {
                "login": login,
                "role": role,
                "password_hash": _hasher.hash(password),
                "created_at": now,
            },
        )
        store.event("user_added", None, f"{login} ({role})", actor=actor)
    return User(login, role, now)  # type: ignore[arg-type]


def list_users(store: Store) -> list[User]:
    return [
        User(r["login"], r["role"], r["created_at"])
        for r in store.db.query("SELECT login, role, created_at FROM users ORDER BY login")
    ]


def get_user(store: Store, login: str) -> User | None:
    row = store.db.execute(
        "SELECT login, role, created_at FROM users WHERE login = ?", [login]
    ).fetchone()
    return User(row[0], row[1], row[2]) if row else None


def remove_user(store: Store, login: str, actor: str | None = None) -> None:
    login = login.strip().lower()
    with store.transaction():
        if store.db.execute("DELETE FROM users WHERE login = ?", [login]).rowcount == 0:
            raise UserError(f"no user {login}")
        store.event("user_removed", None, login, actor=actor)


def authenticate(store: Store, login: str, password: str) -> User | None:
    """The user when the password matches, else None (same work either way)."""
    login = login.strip().lower()
    row = store.db.execute("SELECT password_hash FROM users WHERE login = ?", [login]).fetchone()
    try:
        _hasher.verify(row[0] if row else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _hasher.check_needs_rehash(row[0]):
        with store.transaction():
            store.db.execute(
                "UPDATE users SET password_hash = ? WHERE login = ?",
                [_hasher.hash(password), login],
            )
    return get_user(store, login)
