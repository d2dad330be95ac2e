"""mailbot/ops/kept_forms.py: a form sent after the session ended is kept for the same login
only, without the page's token, for a limited time, and taken once — on a real store."""

from __future__ import annotations

from pathlib import Path

import pytest

from mailbot.ops.kept_forms import KEEP_MINUTES, KeptForm, keep_form, peek_form, take_form
from mailbot.storage.store import Store

FIELDS = [("csrf_token", "abc"), ("phone", "+48 600 000 000"), ("note", "zmiana telefonu")]


@pytest.fixture
def store(tmp_path: Path):
    s = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    yield s
    s.close()


def test_the_form_comes_back_once_to_its_login_without_the_pages_token(store):
    token = keep_form(store, "anna", "/zgloszenie/3/popraw", FIELDS, now=1000)
    stored = store.conn.execute("SELECT id, data FROM kept_forms").fetchone()
    assert token not in stored[0] and "abc" not in stored[1]
    assert peek_form(store, token, "anna", now=1010)
    assert not peek_form(store, token, "zofia", now=1010)
    assert take_form(store, token, "zofia", now=1010) is None  # another login: not hers
    assert take_form(store, token, "anna", now=1010) == KeptForm(
        "/zgloszenie/3/popraw", (("phone", "+48 600 000 000"), ("note", "zmiana telefonu"))
    )
    assert take_form(store, token, "anna", now=1011) is None  # taken once
    assert not peek_form(store, None, "anna") and take_form(store, None, "anna") is None


def test_a_form_that_waited_too_long_is_gone(store):
    token = keep_form(store, "anna", "/a", FIELDS, now=1000)
    late = 1000 + KEEP_MINUTES * 60 + 1
    assert not peek_form(store, token, "anna", now=late)
    assert take_form(store, token, "anna", now=late) is None
    assert store.conn.execute("SELECT count(*) FROM kept_forms").fetchone()[0] == 0


def test_keeping_a_form_sweeps_the_old_ones(store):
    keep_form(store, "anna", "/a", FIELDS, now=1000)
    keep_form(store, "zofia", "/b", FIELDS, now=1000 + KEEP_MINUTES * 60 + 5)
    logins = [r[0] for r in store.conn.execute("SELECT login FROM kept_forms")]
    assert logins == ["zofia"]
