"""mailbot/web/security.py: the workspace's secret key (from the environment, else made once and
kept private), the headers every answer carries, and who may see and change what — in a small
Flask app of its own with a real store behind the sessions."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from flask import Flask, g

from mailbot.ops import sessions, users
from mailbot.storage.store import Store
from mailbot.web import security


def test_the_secret_comes_from_the_environment_else_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv(security.SECRET_ENV, "z-srodowiska")
    assert security.secret_key(tmp_path / "data") == "z-srodowiska"
    assert not (tmp_path / "data").exists()
    monkeypatch.delenv(security.SECRET_ENV)
    first = security.secret_key(tmp_path / "data")
    path = tmp_path / "data" / security.SECRET_FILE
    assert len(first) == 64 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "data").stat().st_mode) == 0o700
    assert security.secret_key(tmp_path / "data") == first  # the same key after a restart


@pytest.fixture
def app(tmp_path: Path):
    store = Store(tmp_path / "db" / "mailbot.db", tmp_path / "files")
    users.add_user(store, "anna", "długie hasło 123", "coordinator")
    users.add_user(store, "ola", "długie hasło 456", "viewer")
    app = Flask(__name__)
    app.secret_key = "test"
    app.after_request(security.security_headers)

    @app.before_request
    def who() -> None:
        g.store = store
        security.load_user(lambda: store, 30 * 60)

    @app.route("/auth/login", endpoint="auth.login")
    def login() -> str:
        return "logowanie"

    @app.route("/look")
    @security.login_required
    def look() -> str:
        return f"widzi {security.current_user().login}"

    @app.route("/change", methods=["GET", "POST"])
    @security.coordinator_required
    def change() -> str:
        return "zmieniono"

    @app.route("/as/<login>")
    def log_in(login: str) -> str:
        from flask import session

        session["sid"] = sessions.start_session(store, users.get_user(store, login))
        return "ok"

    yield app
    store.close()


def test_every_answer_carries_the_security_headers(app):
    answer = app.test_client().get("/auth/login")
    assert answer.headers["Content-Security-Policy"] == security.CSP
    assert answer.headers["X-Frame-Options"] == "DENY"
    assert answer.headers["Referrer-Policy"] == "no-referrer"
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Cache-Control"] == "no-store"


def test_nobody_logged_in_is_sent_to_the_login_page(app):
    client = app.test_client()
    for path in ("/look", "/change"):
        answer = client.get(path)
        assert answer.status_code == 302 and answer.headers["Location"].endswith("/auth/login")


def test_a_viewer_looks_but_does_not_change_and_a_coordinator_does_both(app):
    viewer = app.test_client()
    viewer.get("/as/ola")
    assert viewer.get("/look").get_data(as_text=True) == "widzi ola"
    assert viewer.post("/change").status_code == 403
    coordinator = app.test_client()
    coordinator.get("/as/anna")
    assert coordinator.post("/change").get_data(as_text=True) == "zmieniono"


def test_a_cookie_of_an_ended_session_logs_nobody_in(app, tmp_path):
    client = app.test_client()
    client.get("/as/anna")
    assert client.get("/look").status_code == 200
    with Store(tmp_path / "db" / "mailbot.db", tmp_path / "files") as store:
        users.change_password(store, "anna", "zupełnie nowe hasło")  # ends her sessions
    assert client.get("/look").status_code == 302
