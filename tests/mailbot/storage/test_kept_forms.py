"""mailbot/storage/kept_forms.py: forms kept across a login, on a real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.storage import kept_forms as kept
from mailbot.storage.kept_forms import KeptForm
from mailbot.storage.store import Store


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_a_kept_form_is_found_by_its_id_replaced_and_dropped(store):
    kept.keep_form(store, "f1", "anna", "/zgloszenie/3/popraw", '[["phone", "123"]]', 100)
    assert kept.find_kept_form(store, "f1") == KeptForm(
        "anna", "/zgloszenie/3/popraw", '[["phone", "123"]]', 100
    )
    assert kept.find_kept_form(store, "f2") is None
    kept.keep_form(store, "f1", "anna", "/zgloszenie/3/popraw", '[["phone", "456"]]', 200)
    assert kept.find_kept_form(store, "f1").data == '[["phone", "456"]]'
    kept.drop_kept_form(store, "f1")
    assert kept.find_kept_form(store, "f1") is None


def test_forms_kept_before_a_moment_are_dropped_and_later_ones_stay(store):
    kept.keep_form(store, "old", "anna", "/a", "[]", 100)
    kept.keep_form(store, "new", "anna", "/b", "[]", 200)
    kept.drop_kept_forms_before(store, 200)
    assert kept.find_kept_form(store, "old") is None
    assert kept.find_kept_form(store, "new") is not None
