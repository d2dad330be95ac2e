"""The workspace's sessions and the slowing of failed logins, kept in the database.

**Sessions** are stored server-side. The cookie (Flask's signed one) carries only a random
token; the database keeps its SHA-256, the login and the role it was opened with, and when it
was last used. Every request looks the token up: logging out deletes it, and a new password, a
removed user or a changed role delete every session of that login — a copied cookie is then
useless at once. A session idle for ``web.session_minutes`` ends.

**Failed logins** slow further attempts; the counters live in the database, so a restart does
not reset them. Four counters, each by the SHA-256 of its key: the login from this address,
the address (any login), the login (any address) and all failures together. Each allows a few
failures free, then every further attempt must wait 1, 2, 4 … seconds after the last failure,
never more than :data:`MAX_WAIT`; a counter untouched for :data:`FORGET_AFTER` starts again.

A login that succeeded from an address within :data:`TRUST_DAYS` is *trusted* there: its
attempts from that address wait only for its own counter (the login from this address). So
other users behind the office's proxy keep logging in while someone fails on one login, and the
right password waits at most a minute after the last wrong one. Untrusted attempts (a login
never used from this address) also wait for the address, the login and the total, which slows
guessing from one address and spraying from many (40 logins from 40 addresses: from the 21st
failure on, attempts wait).
"""

from __future__ import annotations

import hashlib
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from mailbot.storage import sessions as sql
from mailbot.storage import users as user_table
from mailbot.storage.store import Store, iso, utcnow
from mailbot.storage.users import User

#: at most this often (seconds) a session's last use is written: reads stay reads
TOUCH_EVERY = 60
#: the longest any attempt is made to wait (seconds)
MAX_WAIT = 60.0
#: a counter with no failure for this long starts again (seconds)
FORGET_AFTER = 15 * 60
#: a (login, address) that logged in successfully within this many days is trusted there
TRUST_DAYS = 30


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- sessions ------------------------------------------------------------------------------


def start_session(store: Store, user: User, now: int | None = None) -> str:
    """A new session for a user who just logged in; the token for the cookie."""
    now = int(time.time()) if now is None else now
    token = secrets.token_urlsafe(32)
    with store.transaction():
        sql.insert_session(store, _digest(token), user.login, user.role, iso(utcnow()), now)
    return token


@dataclass(frozen=True)
class SessionCheck:
    user: User | None
    expired: bool = False  # it ended because it was idle too long
    login: str | None = None  # whose session it was (also when it just expired)
    left: int = 0  # seconds until it ends if nothing more is done


def session_user(
    store: Store,
    token: str | None,
    idle_seconds: int,
    now: int | None = None,
    *,
    touch: bool = True,
) -> SessionCheck:
    """Who this session belongs to, checked on every request: None when it was ended (logout,
    new password, user removed, role changed) or idle too long (``expired``, naming the
    ``login`` it was). ``touch=False`` asks without counting as use and without ending an
    expired session (how long is left: the form sent next is still known as hers)."""
    if not token:
        return SessionCheck(None)
    now = int(time.time()) if now is None else now
    session_id = _digest(token)
    row = sql.find_session(store, session_id)
    if row is None:
        return SessionCheck(None)
    if now - row.seen_at > idle_seconds:
        if touch:  # only asking how long is left ends nothing (the next real use does)
            with store.transaction():
                sql.delete_session(store, session_id)
        return SessionCheck(None, expired=True, login=row.login)
    user = user_table.find_user(store, row.login)
    if user is None or user.role != row.role:
        with store.transaction():
            sql.delete_sessions_of(store, row.login)
        return SessionCheck(None)
    seen = row.seen_at
    if touch and now - row.seen_at >= min(TOUCH_EVERY, idle_seconds // 10 or 1):
        with store.transaction():
            sql.touch_session(store, session_id, now)
        seen = now
    return SessionCheck(user, login=row.login, left=max(0, idle_seconds - (now - seen)))


def extend_session(store: Store, token: str | None, idle_seconds: int) -> int:
    """Count this moment as use of the session ("Przedłuż"): the seconds it now has left."""
    if not token:
        return 0
    now = int(time.time())
    with store.transaction():
        sql.touch_session(store, _digest(token), now)
    return idle_seconds


def end_session(store: Store, token: str | None) -> None:
    if token:
        with store.transaction():
            sql.delete_session(store, _digest(token))


def end_idle_sessions(store: Store, idle_seconds: int, now: int | None = None) -> None:
    now = int(time.time()) if now is None else now
    with store.transaction():
        sql.delete_idle_sessions(store, now - idle_seconds)


def sessions_of(store: Store, login: str) -> int:
    """How many open sessions a login has."""
    return sql.count_sessions(store, login)


# --- failed logins -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Counter:
    key: str
    free: int  # failures allowed before attempts wait


def _wait_after(failures: int, free: int) -> float:
    if failures < free:
        return 0.0
    return min(2.0 ** (failures - free), MAX_WAIT)


class LoginThrottle:
    """Slows failed logins per (login, address), per address, per login and in all (see the
    module's text); the counters are in the store."""

    PAIR_FREE = 3
    ADDRESS_FREE = 20
    LOGIN_FREE = 10
    ALL_FREE = 20

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock

    def _counters(self, login: str, address: str) -> tuple[_Counter, ...]:
        return (
            _Counter(_digest(f"pair\0{login}\0{address}"), self.PAIR_FREE),
            _Counter(_digest(f"address\0{address}"), self.ADDRESS_FREE),
            _Counter(_digest(f"login\0{login}"), self.LOGIN_FREE),
            _Counter(_digest("all"), self.ALL_FREE),
        )

    def _trusted(self, store: Store, login: str, address: str, now: float) -> bool:
        at = sql.success_at(store, _digest(f"trust\0{login}\0{address}"))
        return at is not None and now - at < TRUST_DAYS * 86400

    def wait_seconds(self, store: Store, login: str, address: str) -> int:
        """How long this attempt must still wait (0: it may be checked now)."""
        now = self._clock()
        counters = self._counters(login, address)
        if self._trusted(store, login, address, now):
            counters = counters[:1]
        counts = sql.failure_counts(store, [c.key for c in counters])
        waits = [
            count.until - now for count in counts.values() if now - count.last_at < FORGET_AFTER
        ]
        return max(0, math.ceil(max(waits, default=0.0)))

    def failed(self, store: Store, login: str, address: str) -> None:
        now = self._clock()
        counters = self._counters(login, address)
        with store.transaction():
            sql.forget_old_failures(store, now - FORGET_AFTER)
            counts = sql.failure_counts(store, [c.key for c in counters])
            for c in counters:
                earlier = counts.get(c.key)
                failures = (earlier.failures if earlier else 0) + 1
                until = now + _wait_after(failures, c.free)
                sql.set_failure_count(store, c.key, sql.FailureCount(failures, now, until))

    def succeeded(self, store: Store, login: str, address: str) -> None:
        now = self._clock()
        with store.transaction():
            sql.delete_failure_count(store, self._counters(login, address)[0].key)
            sql.record_success(store, _digest(f"trust\0{login}\0{address}"), now)
            sql.forget_old_successes(store, now - TRUST_DAYS * 86400)
