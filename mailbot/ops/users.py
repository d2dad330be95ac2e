"""The workspace's users: a login, a role (``coordinator`` changes things, ``viewer`` only
looks) and an argon2 hash of the password (argon2-cffi; the password itself is never stored).

A new password, a changed role or removing the user ends every session of that login at once
(``mailbot.ops.sessions``), in the same transaction as the change."""

from __future__ import annotations

import functools
import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mailbot import names
from mailbot.errors import UserError
from mailbot.storage import sessions as session_table
from mailbot.storage import users as user_table
from mailbot.storage.store import Store, iso, utcnow
from mailbot.storage.users import Role, User

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "ROLES",
    "Role",
    "User",
    "add_user",
    "authenticate",
    "change_password",
    "change_role",
    "get_user",
    "list_users",
    "remove_user",
]

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


def _check_login(login: str) -> str:
    login = login.strip().lower()
    if not _LOGIN.match(login):
        raise UserError("login_invalid")
    return login


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError("password_short", minimum=MIN_PASSWORD_LENGTH)


def add_user(
    store: Store, login: str, password: str, role: str = "coordinator", actor: str | None = None
) -> User:
    login = _check_login(login)
    if role not in ROLES:
        raise UserError("unknown_role", role=role, choices=ROLES)
    _check_password(password)
    if user_table.user_exists(store, login):
        raise UserError("user_exists", login=login)
    user = User(login, role, iso(utcnow()))  # type: ignore[arg-type]
    with store.transaction():
        user_table.insert_user(store, user, _hasher.hash(password))
        store.event("user_added", None, f"{login} ({role})", actor=actor)
    return user


def list_users(store: Store) -> list[User]:
    return user_table.all_users(store)


def get_user(store: Store, login: str) -> User | None:
    return user_table.find_user(store, login)


def remove_user(store: Store, login: str, actor: str | None = None) -> None:
    """Remove a login; its sessions end at once."""
    login = login.strip().lower()
    with store.transaction():
        if not user_table.delete_user(store, login):
            raise UserError("no_user", login=login)
        session_table.delete_sessions_of(store, login)
        store.event("user_removed", None, login, actor=actor)


def change_password(store: Store, login: str, password: str, actor: str | None = None) -> int:
    """Set a new password; every session of the login ends at once. How many ended."""
    login = login.strip().lower()
    _check_password(password)
    if not user_table.user_exists(store, login):
        raise UserError("no_user", login=login)
    new_hash = _hasher.hash(password)
    with store.transaction():
        user_table.set_password_hash(store, login, new_hash)
        ended = session_table.delete_sessions_of(store, login)
        store.event("password_changed", None, login, actor=actor)
    return ended


def change_role(store: Store, login: str, role: str, actor: str | None = None) -> int:
    """Give a login another role; every session of the login ends at once. How many ended."""
    login = login.strip().lower()
    if role not in ROLES:
        raise UserError("unknown_role", role=role, choices=ROLES)
    with store.transaction():
        if not user_table.set_role(store, login, role):  # type: ignore[arg-type]
            raise UserError("no_user", login=login)
        ended = session_table.delete_sessions_of(store, login)
        store.event("role_changed", None, f"{login} ({role})", actor=actor)
    return ended


def authenticate(store: Store, login: str, password: str) -> User | None:
    """The user when the password matches, else None (same work either way)."""
    login = login.strip().lower()
    stored_hash = user_table.password_hash(store, login)
    try:
        _hasher.verify(stored_hash if stored_hash is not None else _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return None
    if stored_hash is None:
        return None
    if _hasher.check_needs_rehash(stored_hash):
        with store.transaction():
            user_table.set_password_hash(store, login, _hasher.hash(password))
    return get_user(store, login)
