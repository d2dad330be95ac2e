"""Fixtures of the workspace tests: the demo's data, two users, a logged-in test client."""

from __future__ import annotations

import re

import pytest

from mailbot.ops.users import add_user
from mailbot.web import create_app
from mailbot.web.security import LoginThrottle

from .workspace_data import demo_copy, open_store

PASSWORD = "haslo-koordynatorki-1"
VIEWER_PASSWORD = "haslo-podgladu-12"


@pytest.fixture
def config(tmp_path):
    cfg = demo_copy(tmp_path)
    with open_store(cfg) as store:
        add_user(store, "koordynatorka", PASSWORD, "coordinator")
        add_user(store, "podglad", VIEWER_PASSWORD, "viewer")
    return cfg


@pytest.fixture
def app(config):
    return create_app(config, secret="test-secret-" + "x" * 20, throttle=LoginThrottle())


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


class Browser:
    """A Flask test client that sends the page's CSRF token with every form, as a browser does."""

    def __init__(self, client):
        self.client = client
        self.token: str | None = None

    def get(self, url: str, **kw):
        response = self.client.get(url, **kw)
        if response.mimetype == "text/html" and 'name="csrf_token"' in response.text:
            self.token = csrf_token(response.text)
        return response

    def post(self, url: str, data: dict | None = None, **kw):
        if self.token is None:
            self.get("/logowanie")
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kw)

    def login(self, login: str, password: str):
        self.get("/logowanie")
        return self.post("/logowanie", {"login": login, "password": password})


@pytest.fixture
def anon(app):
    return Browser(app.test_client())


@pytest.fixture
def coordinator(app):
    b = Browser(app.test_client())
    assert b.login("koordynatorka", PASSWORD).status_code == 302
    return b


@pytest.fixture
def viewer(app):
    b = Browser(app.test_client())
    assert b.login("podglad", VIEWER_PASSWORD).status_code == 302
    return b
