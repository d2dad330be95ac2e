"""mailbot/storage/users.py: the workspace's users on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.errors import StorageError
from mailbot.storage import users
from mailbot.storage.store import Store
from mailbot.storage.users import User


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_user_is_stored_found_and_listed_in_login_order(store):
    with store.transaction():
        users.insert_user(store, User("zofia", "viewer", "2024-05-01T08:00:00Z"), "hash-z")
        users.insert_user(store, User("anna", "coordinator", "2024-05-02T08:00:00Z"), "hash-a")
    assert users.user_exists(store, "anna") and not users.user_exists(store, "ANNA")
    assert users.find_user(store, "anna") == User("anna", "coordinator", "2024-05-02T08:00:00Z")
    assert users.find_user(store, "nobody") is None
    assert [u.login for u in users.all_users(store)] == ["anna", "zofia"]
    assert users.password_hash(store, "zofia") == "hash-z"
    assert users.password_hash(store, "nobody") is None


def test_only_a_coordinator_can_change_things():
    assert User("anna", "coordinator", "").can_change
    assert not User("zofia", "viewer", "").can_change


def test_role_and_password_change_and_delete_say_whether_the_user_was_there(store):
    with store.transaction():
        users.insert_user(store, User("anna", "viewer", "2024-05-01T08:00:00Z"), "old")
    assert users.set_role(store, "anna", "coordinator")
    assert users.find_user(store, "anna").role == "coordinator"
    assert not users.set_role(store, "nobody", "viewer")
    users.set_password_hash(store, "anna", "new")
    assert users.password_hash(store, "anna") == "new"
    assert users.delete_user(store, "anna")
    assert not users.delete_user(store, "anna")
    assert users.all_users(store) == []


def test_a_login_is_unique(store):
    with store.transaction():
        users.insert_user(store, User("anna", "viewer", "2024-05-01T08:00:00Z"), "h")
    with pytest.raises(StorageError), store.transaction():
        users.insert_user(store, User("anna", "coordinator", "2024-05-02T08:00:00Z"), "h2")
    assert users.find_user(store, "anna").role == "viewer"
