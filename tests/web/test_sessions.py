"""Sessions and logins as a bank would have them, through the Flask app on a real SQLite file
(and one real `mailbot web` process): a copied cookie is useless after logout, a new password,
removing the user or changing their role; failed logins slow further attempts per (login,
address), per address, per login and in all, kept in the database — never blocking the right
password for long nor other users behind the same address."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import time
import zlib

import pytest
from click.testing import CliRunner
from rig.ports import free_port, port_open

from mailbot.cli import cli
from mailbot.ops.sessions import MAX_WAIT, LoginThrottle
from mailbot.ops.users import add_user, change_password, change_role, remove_user
from mailbot.web import create_app
from mailbot.web.serve import insecure_listening, is_loopback

from .conftest import PASSWORD, VIEWER_PASSWORD
from .workspace_data import open_store

SECRET = "test-secret-" + "x" * 20
OFFICE = "192.0.2.10"  # everyone behind the office's proxy


class Client:
    """A browser at one address: the Flask test client with the page's CSRF token."""

    def __init__(self, app, address: str = OFFICE) -> None:
        self.client = app.test_client()
        self.address = address
        self.token = ""

    def get(self, url: str):
        response = self.client.get(url, environ_base={"REMOTE_ADDR": self.address})
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, url: str, data: dict[str, str] | None = None):
        return self.client.post(
            url,
            data={"csrf_token": self.token, **(data or {})},
            environ_base={"REMOTE_ADDR": self.address},
        )

    def login(self, login: str, password: str):
        self.get("/logowanie")
        return self.post("/logowanie", {"login": login, "password": password})

    def cookie(self) -> str:
        return self.client.get_cookie("mailbot_session").value

    def logged_in(self) -> bool:
        return self.get("/").status_code == 200


def thief(app, cookie: str) -> Client:
    """Another machine holding a copy of the cookie."""
    other = Client(app, "203.0.113.66")
    other.client.set_cookie("mailbot_session", cookie)
    return other


@pytest.fixture
def clock():
    return [1_000_000.0]


@pytest.fixture
def app(config, clock):
    return create_app(config, secret=SECRET, throttle=LoginThrottle(clock=lambda: clock[0]))


def cookie_payload(cookie: str) -> dict:
    body = cookie.split(".")[0 if not cookie.startswith(".") else 1]
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    return json.loads(zlib.decompress(data) if cookie.startswith(".") else data)


def test_the_cookie_holds_a_token_and_the_database_only_its_hash(app, config):
    c = Client(app)
    assert c.login("koordynatorka", PASSWORD).status_code == 302
    payload = cookie_payload(c.cookie())
    assert "login" not in payload and "koordynatorka" not in json.dumps(payload)
    with open_store(config) as store:
        (row,) = store.db.execute("SELECT id, login, role FROM sessions").fetchall()
    assert row[1:] == ("koordynatorka", "coordinator")
    assert row[0] != payload["sid"] and len(row[0]) == 64


def test_a_copied_cookie_is_useless_after_logout(app):
    c = Client(app)
    c.login("koordynatorka", PASSWORD)
    copy = thief(app, c.cookie())
    assert copy.logged_in()  # a copy works while the session lives
    c.get("/")
    assert c.post("/wyloguj").status_code == 302
    assert not copy.logged_in() and not c.logged_in()
    assert copy.get("/").headers["Location"].endswith("/logowanie")


def test_a_new_password_ends_every_session_of_the_login(app, config):
    office, home = Client(app), Client(app, "198.51.100.7")
    office.login("koordynatorka", PASSWORD)
    home.login("koordynatorka", PASSWORD)
    viewer = Client(app)
    viewer.login("podglad", VIEWER_PASSWORD)
    copy = thief(app, office.cookie())
    with open_store(config) as store:
        assert change_password(store, "koordynatorka", "nowe-haslo-2024", actor="cli:root") == 2
    assert not office.logged_in() and not home.logged_in() and not copy.logged_in()
    assert viewer.logged_in()  # another user's session is untouched
    assert Client(app).login("koordynatorka", PASSWORD).status_code == 401
    assert Client(app).login("koordynatorka", "nowe-haslo-2024").status_code == 302


def test_mailbot_user_passwd(config, app):
    c = Client(app)
    c.login("koordynatorka", PASSWORD)
    runner = CliRunner()
    args = ["--config", str(config.path), "user", "passwd"]
    result = runner.invoke(cli, [*args, "koordynatorka"], input="haslo-po-zmianie-1\n")
    assert result.exit_code == 0, result.output
    assert "1 session(s) ended" in result.output
    assert not c.logged_in()
    assert Client(app).login("koordynatorka", "haslo-po-zmianie-1").status_code == 302
    assert runner.invoke(cli, [*args, "koordynatorka"], input="krotkie\n").exit_code == 65
    assert runner.invoke(cli, [*args, "nikt"], input="dlugie-haslo-123\n").exit_code == 65
    with open_store(config) as store:
        events = store.db.execute(
            "SELECT count(*) FROM events WHERE kind = 'password_changed' AND actor LIKE 'cli%'"
        ).fetchone()[0]
    assert events == 1


def test_removing_the_user_or_changing_the_role_ends_the_sessions(app, config):
    c = Client(app)
    c.login("koordynatorka", PASSWORD)
    copy = thief(app, c.cookie())
    with open_store(config) as store:
        remove_user(store, "koordynatorka")
        add_user(store, "koordynatorka", PASSWORD)  # added again: the old cookie stays useless
    assert not c.logged_in() and not copy.logged_in()
    c = Client(app)
    c.login("koordynatorka", PASSWORD)
    with open_store(config) as store:
        assert change_role(store, "koordynatorka", "viewer") == 1
    assert not c.logged_in()
    c.login("koordynatorka", PASSWORD)
    assert c.get("/zgloszenie/DKRES-2024-0001/popraw").status_code == 403  # a viewer now
    result = CliRunner().invoke(
        cli, ["--config", str(config.path), "user", "role", "koordynatorka", "coordinator"]
    )
    assert result.exit_code == 0 and "1 session(s) ended" in result.output
    assert not c.logged_in()


def test_the_right_password_waits_at_most_a_minute(app, clock):
    c = Client(app)
    for _ in range(12):
        clock[0] += MAX_WAIT  # each attempt after the previous wait
        assert c.login("koordynatorka", "zle-haslo-xyz").status_code == 401
    response = c.login("koordynatorka", PASSWORD)
    assert response.status_code == 429
    wait = int(response.headers["Retry-After"])
    assert 0 < wait <= MAX_WAIT
    clock[0] += wait
    assert c.login("koordynatorka", PASSWORD).status_code == 302


def test_other_users_behind_the_same_address_are_never_blocked(app, clock, config):
    with open_store(config) as store:
        add_user(store, "sekretariat", "haslo-sekretariatu-1")
    # both have logged in from the office before
    for login, password in (("podglad", VIEWER_PASSWORD), ("sekretariat", "haslo-sekretariatu-1")):
        assert Client(app).login(login, password).status_code == 302
    attacker = Client(app)
    for _ in range(40):  # a colleague's login guessed from the office's address
        attacker.login("koordynatorka", "zgaduje-haslo")
        clock[0] += 1
    assert attacker.login("koordynatorka", "zgaduje-haslo").status_code == 429
    assert Client(app).login("podglad", VIEWER_PASSWORD).status_code == 302
    assert Client(app).login("sekretariat", "haslo-sekretariatu-1").status_code == 302


def test_a_few_failures_of_one_user_do_not_block_a_new_colleague(app, config):
    with open_store(config) as store:
        add_user(store, "nowa", "haslo-nowej-osoby-1")
    c = Client(app)
    for _ in range(5):
        c.login("koordynatorka", "zle-haslo-xyz")
    assert Client(app).login("nowa", "haslo-nowej-osoby-1").status_code == 302


def test_spraying_from_many_addresses_is_slowed(app, clock):
    codes = []
    for i in range(40):
        codes.append(Client(app, f"198.18.{i}.1").login(f"osoba{i}", "Haslo2024!").status_code)
        clock[0] += 0.05
    assert codes[:20] == [401] * 20
    assert codes.count(429) >= 15, codes
    # one account guessed from 40 addresses
    codes = [
        Client(app, f"198.19.{i}.1").login("koordynatorka", f"proba-{i}").status_code
        for i in range(40)
    ]
    assert codes.count(429) >= 15, codes


def test_the_counters_survive_a_restart(config, clock):
    first = create_app(config, secret=SECRET, throttle=LoginThrottle(clock=lambda: clock[0]))
    c = Client(first)
    for _ in range(6):
        c.login("koordynatorka", "zle-haslo-xyz")
    restarted = create_app(config, secret=SECRET, throttle=LoginThrottle(clock=lambda: clock[0]))
    assert Client(restarted).login("koordynatorka", PASSWORD).status_code == 429
    with open_store(config) as store:
        stored = store.db.execute("SELECT key FROM login_failures").fetchall()
    assert stored and all(re.fullmatch(r"[0-9a-f]{64}", k) for (k,) in stored)
    clock[0] += MAX_WAIT
    assert Client(restarted).login("koordynatorka", PASSWORD).status_code == 302


def test_listening_beyond_this_machine_without_secure_cookies_warns(config):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("nabor.example.org")
    assert insecure_listening(config, "127.0.0.1") is None
    warning = insecure_listening(config, "0.0.0.0")
    assert warning and "web.secure_cookies" in warning
    from dataclasses import replace

    secure = replace(config, web=replace(config.web, secure_cookies=True))
    assert insecure_listening(secure, "0.0.0.0") is None


def test_mailbot_web_on_all_addresses_warns_and_ends_a_copied_session(config):
    """The real `mailbot web` process: its start-up warning, and a copied cookie after logout."""
    import http.cookiejar
    import urllib.error
    import urllib.parse
    import urllib.request

    port = free_port()
    mailbot = [sys.executable, "-m", "mailbot", "--config", str(config.path)]
    server = subprocess.Popen(
        [*mailbot, "web", "--host", "0.0.0.0", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not port_open("127.0.0.1", port):
            assert server.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
                return None

        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)

        def call(opener, path: str, data: dict | None = None) -> tuple[int, str]:
            body = urllib.parse.urlencode(data).encode() if data is not None else None
            try:
                with opener.open(base + path, data=body, timeout=30) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as exc:
                return exc.code, exc.read().decode()

        def token(page: str) -> str:
            return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

        _, page = call(browser, "/logowanie")
        status, _ = call(
            browser,
            "/logowanie",
            {"csrf_token": token(page), "login": "koordynatorka", "password": PASSWORD},
        )
        assert status == 302
        (cookie,) = [c for c in jar if c.name == "mailbot_session"]
        copy = urllib.request.build_opener(NoRedirect)
        copy.addheaders = [("Cookie", f"mailbot_session={cookie.value}")]
        assert call(copy, "/")[0] == 200
        _, page = call(browser, "/")
        assert call(browser, "/wyloguj", {"csrf_token": token(page)})[0] == 302
        assert call(copy, "/")[0] == 302
    finally:
        server.terminate()
        _, err = server.communicate(timeout=30)
    assert "web.secure_cookies" in err and "0.0.0.0" in err
