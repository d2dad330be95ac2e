"""mailbot/ops/sessions.py: server-side sessions (the cookie's token never stored, idle ones
ended, a changed role ending them) and the slowing of failed logins, on a real store; time is
given explicitly (`now`, the throttle's clock)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.ops import sessions, users
from mailbot.ops.sessions import MAX_WAIT, LoginThrottle
from mailbot.storage import users as user_table
from mailbot.storage.store import Store

IDLE = 30 * 60


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    users.add_user(s, "anna", "długie hasło 123", "coordinator")
    yield s
    s.close()


def anna(store):
    return users.get_user(store, "anna")


def test_a_session_is_known_by_its_token_which_the_database_does_not_hold(store):
    token = sessions.start_session(store, anna(store), now=1000)
    stored = [r[0] for r in store.conn.execute("SELECT id FROM sessions")]
    assert len(stored) == 1 and token not in stored[0] and len(stored[0]) == 64
    check = sessions.session_user(store, token, IDLE, now=1000 + 600)
    assert check.user.login == "anna" and check.left == IDLE
    assert sessions.session_user(store, "forged", IDLE, now=1001).user is None
    assert sessions.session_user(store, None, IDLE).user is None
    assert sessions.sessions_of(store, "anna") == 1
    sessions.end_session(store, token)
    assert sessions.session_user(store, token, IDLE, now=1002).user is None


def test_an_idle_session_ends_naming_whose_it_was_but_asking_ends_nothing(store):
    token = sessions.start_session(store, anna(store), now=1000)
    late = 1000 + IDLE + 1
    peek = sessions.session_user(store, token, IDLE, now=late, touch=False)
    assert (peek.user, peek.expired, peek.login) == (None, True, "anna")
    assert sessions.sessions_of(store, "anna") == 1  # only asking: still there
    used = sessions.session_user(store, token, IDLE, now=late)
    assert used.expired and sessions.sessions_of(store, "anna") == 0


def test_use_keeps_a_session_alive_and_idle_ones_are_swept(store):
    token = sessions.start_session(store, anna(store), now=1000)
    other = sessions.start_session(store, anna(store), now=1000)
    sessions.session_user(store, token, IDLE, now=1000 + IDLE - 10)  # used: seen again
    check = sessions.session_user(store, token, IDLE, now=1000 + IDLE + 100)
    assert check.user is not None
    sessions.end_idle_sessions(store, IDLE, now=1000 + IDLE + 100)
    assert sessions.session_user(store, other, IDLE, now=1000 + IDLE + 101).user is None
    assert sessions.sessions_of(store, "anna") == 1


def test_a_role_changed_behind_the_sessions_back_ends_it(store):
    token = sessions.start_session(store, anna(store), now=1000)
    user_table.set_role(store, "anna", "viewer")  # straight in the table: no session ended yet
    assert sessions.session_user(store, token, IDLE, now=1001).user is None
    assert sessions.sessions_of(store, "anna") == 0


class Clock:
    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now


def test_failed_logins_wait_longer_and_longer_up_to_the_cap(store):
    clock = Clock()
    throttle = LoginThrottle(clock)
    for _ in range(LoginThrottle.PAIR_FREE - 1):
        throttle.failed(store, "anna", "10.0.0.1")
        assert throttle.wait_seconds(store, "anna", "10.0.0.1") == 0
    waits = []
    for _ in range(8):
        throttle.failed(store, "anna", "10.0.0.1")
        waits.append(throttle.wait_seconds(store, "anna", "10.0.0.1"))
    assert waits[:3] == [1, 2, 4] and waits[-1] == MAX_WAIT
    assert throttle.wait_seconds(store, "zofia", "10.0.0.2") == 0  # others are not held up
    clock.now += MAX_WAIT
    assert throttle.wait_seconds(store, "anna", "10.0.0.1") == 0


def test_a_success_trusts_the_login_at_that_address(store):
    clock = Clock()
    throttle = LoginThrottle(clock)
    throttle.succeeded(store, "anna", "10.0.0.1")
    for n in range(LoginThrottle.ADDRESS_FREE + 3):  # someone else fails from the same proxy
        throttle.failed(store, f"guess{n}", "10.0.0.1")
    assert throttle.wait_seconds(store, "anna", "10.0.0.1") == 0  # trusted: only her counter
    assert throttle.wait_seconds(store, "zofia", "10.0.0.1") > 0  # untrusted: the address waits
    clock.now += 16 * 60  # counters untouched this long start again
    assert throttle.wait_seconds(store, "zofia", "10.0.0.1") == 0
