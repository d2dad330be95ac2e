"""mailbot/ops/users.py: the workspace's users — logins checked, passwords kept only as argon2
hashes, a changed password, role or removal ending every session at once — on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.errors import UserError
from mailbot.ops import users
from mailbot.storage import sessions
from mailbot.storage import users as user_table
from mailbot.storage.store import Store

PASSWORD = "długie hasło 123"


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def code_of(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value.code


def events(store) -> list[tuple[str, str, str | None]]:
    return [
        tuple(r) for r in store.conn.execute("SELECT kind, detail, actor FROM events ORDER BY id")
    ]


def test_a_user_is_added_with_a_hash_never_the_password(store):
    user = users.add_user(store, "  Dorota.Butryn ", PASSWORD, "coordinator", actor="admin")
    assert (user.login, user.role) == ("dorota.butryn", "coordinator")
    stored = user_table.password_hash(store, "dorota.butryn")
    assert stored.startswith("$argon2") and PASSWORD not in stored
    assert users.get_user(store, "dorota.butryn") == user
    assert [u.login for u in users.list_users(store)] == ["dorota.butryn"]
    assert events(store) == [("user_added", "dorota.butryn (coordinator)", "admin")]


def test_what_cannot_be_added_is_refused_by_its_code(store):
    assert code_of(lambda: users.add_user(store, "x", PASSWORD)) == "login_invalid"
    assert code_of(lambda: users.add_user(store, "anna kowalska", PASSWORD)) == "login_invalid"
    assert code_of(lambda: users.add_user(store, "anna", "krótkie")) == "password_short"
    assert code_of(lambda: users.add_user(store, "anna", PASSWORD, "admin")) == "unknown_role"
    users.add_user(store, "anna", PASSWORD, "viewer")
    assert code_of(lambda: users.add_user(store, "ANNA", PASSWORD)) == "user_exists"


def test_only_the_right_password_lets_a_user_in(store):
    users.add_user(store, "anna", PASSWORD, "viewer")
    assert users.authenticate(store, " ANNA ", PASSWORD).login == "anna"
    assert users.authenticate(store, "anna", PASSWORD + "x") is None
    assert users.authenticate(store, "nobody", PASSWORD) is None


def test_a_new_password_a_new_role_or_removal_end_every_session(store):
    users.add_user(store, "anna", PASSWORD, "viewer")
    for n in range(2):
        sessions.insert_session(store, f"s{n}", "anna", "viewer", "2024-05-10T10:00Z", 1)
    assert users.change_role(store, "anna", "coordinator") == 2
    assert users.get_user(store, "anna").role == "coordinator"
    sessions.insert_session(store, "s3", "anna", "coordinator", "2024-05-10T11:00Z", 1)
    assert users.change_password(store, "anna", "inne długie hasło") == 1
    assert users.authenticate(store, "anna", PASSWORD) is None
    assert users.authenticate(store, "anna", "inne długie hasło") is not None
    sessions.insert_session(store, "s4", "anna", "coordinator", "2024-05-10T12:00Z", 1)
    users.remove_user(store, "anna", actor="admin")
    assert sessions.count_sessions(store, "anna") == 0 and users.get_user(store, "anna") is None
    assert code_of(lambda: users.remove_user(store, "anna")) == "no_user"
    assert code_of(lambda: users.change_password(store, "anna", PASSWORD)) == "no_user"
    assert code_of(lambda: users.change_role(store, "anna", "viewer")) == "no_user"
    assert code_of(lambda: users.change_role(store, "anna", "boss")) == "unknown_role"
    kinds = [kind for kind, _detail, _actor in events(store)]
    assert kinds == ["user_added", "role_changed", "password_changed", "user_removed"]
