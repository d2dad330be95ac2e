"""The idle logout that respects her work, through Flask's test client: how long the session
has left (asking does not count as use), "Przedłuż" (for the script and without it), and a form
sent after the session ended — kept server-side for the same login only, never in an address
or a log line, completed after she logs in again."""

from __future__ import annotations

import json
import logging
import re
import time

from web.conftest import PASSWORD
from web.workspace_data import add_message, open_store

from mailbot.ops import kept_forms
from mailbot.ops.users import add_user

TEXT = "Dzień dobry, formularz nie wymaga podpisu – wystarczy plik z komputera. Pozdrawiam"


def idle(config, seconds_ago: int) -> None:
    with open_store(config) as store:
        store.db.execute("UPDATE sessions SET seen_at = ?", [int(time.time()) - seconds_ago])


def seen_at(config) -> int:
    with open_store(config) as store:
        return int(store.db.execute("SELECT max(seen_at) FROM sessions").fetchone()[0])


def test_the_page_knows_the_session_and_asking_does_not_extend_it(coordinator, config):
    page = coordinator.get("/").text
    assert 'data-session-seconds="1800"' in page and 'data-session-left="' in page
    assert '<script src="/static/sesja.js" defer></script>' in page
    assert 'role="alertdialog"' in page and "Przedłuż" in page and "hidden" in page
    idle(config, 600)
    before = seen_at(config)
    state = coordinator.client.get("/sesja/stan", headers={"Accept": "application/json"})
    assert state.json == {"active": True, "left": 1200}
    assert seen_at(config) == before  # asking is no use
    script = coordinator.client.get("/static/sesja.js")
    assert script.status_code == 200 and "sesja-ostrzezenie" in script.text
    assert script.mimetype in ("text/javascript", "application/javascript")


def test_przedluz_with_and_without_the_script(coordinator, config):
    coordinator.get("/do-zrobienia")
    idle(config, 1700)
    extended = coordinator.client.post(
        "/sesja/przedluz",
        data={"csrf_token": coordinator.token, "next": "/do-zrobienia"},
        headers={"Accept": "application/json"},
    )
    assert extended.json == {"active": True, "left": 1800}
    assert time.time() - seen_at(config) < 5
    idle(config, 1700)
    plain = coordinator.post("/sesja/przedluz", {"next": "/do-zrobienia"})
    assert plain.status_code == 302 and plain.headers["Location"].endswith("/do-zrobienia")
    assert "Sesja została przedłużona." in coordinator.get("/do-zrobienia").text
    elsewhere = coordinator.post("/sesja/przedluz", {"next": "//zly.example/"})
    assert elsewhere.headers["Location"] == "/"


def test_the_session_ended_says_so_to_the_script_and_her_next_form_is_kept(config, coordinator):
    coordinator.get("/zgloszenie/DKRES-2024-0001")
    idle(config, 1900)
    state = coordinator.client.get("/sesja/stan", headers={"Accept": "application/json"})
    assert state.json == {"active": False, "left": 0}
    # asking ended nothing: the form she sends next is still known as hers, and kept
    sent = coordinator.post("/zgloszenie/DKRES-2024-0001/notatka", {"note": "Po przerwie."})
    assert sent.headers["Location"].endswith("/logowanie?sesja=zachowano")


def test_a_form_sent_after_the_logout_is_kept_and_completed(coordinator, config, caplog):
    caplog.set_level(logging.DEBUG)
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Katarzyna Mazur <k.mazur@fundacja.example.pl>",
            subject="Pytanie o podpis",
            body="Czy formularz trzeba podpisać?",
        )
    coordinator.get(f"/wiadomosc/{pk}/odpowiedz")
    idle(config, 31 * 60)
    sent = coordinator.post(f"/wiadomosc/{pk}/odpowiedz", {"text": TEXT, "action": "preview"})
    assert sent.status_code == 302
    assert sent.headers["Location"].endswith("/logowanie?sesja=zachowano")
    login = coordinator.get(sent.headers["Location"]).text
    assert "Wysłany formularz został zachowany" in login
    with open_store(config) as store:
        (login_of, path, data) = store.db.execute(
            "SELECT login, path, data FROM kept_forms"
        ).fetchone()
    assert login_of == "koordynatorka" and path == f"/wiadomosc/{pk}/odpowiedz"
    assert ["text", TEXT] in json.loads(data) and "csrf_token" not in data
    back = coordinator.post("/logowanie", {"login": "koordynatorka", "password": PASSWORD})
    assert back.headers["Location"].endswith("/sesja/dokoncz")
    page = coordinator.get("/sesja/dokoncz").text
    assert "Dokończ: Odpowiedź na wiadomość" in page and TEXT in page
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    assert fields["action"] == "preview" and fields["text"].startswith("Dzień dobry")
    with open_store(config) as store:  # taken: it is no longer kept
        assert store.db.execute("SELECT count(*) FROM kept_forms").fetchone()[0] == 0
    done = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz", {k: v for k, v in fields.items() if k != "csrf_token"}
    )
    assert done.status_code == 200 and "Sprawdź przed wysłaniem" in done.text
    assert "nie wymaga podpisu" in done.text
    for url in (sent.headers["Location"], back.headers["Location"]):
        assert "podpis" not in url
    assert "podpisu" not in caplog.text and "Dzień dobry" not in caplog.text


def test_a_kept_form_is_only_for_the_same_login_and_for_a_while(app, coordinator, config):
    with open_store(config) as store:
        add_user(store, "druga", "haslo-drugiej-osoby-1", "coordinator")
    coordinator.get("/zgloszenie/DKRES-2024-0001")
    idle(config, 31 * 60)
    coordinator.post("/zgloszenie/DKRES-2024-0001/notatka", {"note": "Notatka po czasie."})
    coordinator.get("/logowanie")
    other = coordinator.post("/logowanie", {"login": "druga", "password": "haslo-drugiej-osoby-1"})
    assert other.headers["Location"].endswith("/")  # not hers: nothing offered
    with open_store(config) as store:
        assert store.db.execute("SELECT count(*) FROM kept_forms").fetchone()[0] == 1
        token = kept_forms.keep_form(store, "koordynatorka", "/x", [("note", "n")], now=1000)
        assert not kept_forms.peek_form(store, token, "koordynatorka", now=1000 + 31 * 60)
        assert kept_forms.take_form(store, token, "druga", now=1001) is None
        assert kept_forms.take_form(store, token, "koordynatorka", now=1000 + 31 * 60) is None
        fresh = kept_forms.keep_form(store, "koordynatorka", "/x", [("note", "n")])
        assert kept_forms.take_form(store, fresh, "koordynatorka").fields == (("note", "n"),)
        assert kept_forms.take_form(store, fresh, "koordynatorka") is None  # taken once
