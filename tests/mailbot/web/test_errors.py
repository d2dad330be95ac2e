"""Every route of the workspace answers its errors in Polish, through Flask's test client on
the demo's real pipeline data: an unknown number (404), a method the route does not take (405),
a form without its token (400), a viewer's change (403), too much data (413), a failure inside
(500). No page shows English, Python or a stored key."""

from __future__ import annotations

import re

import pytest
from web.conftest import PASSWORD, Browser
from werkzeug.routing import Rule

from mailbot.web import create_app
from mailbot.web.security import LoginThrottle

#: words that must never reach the coordinator's screen
RAW = re.compile(
    r"\b(None|Internal Server Error|Not Found|Method Not Allowed|Bad Request|Forbidden|"
    r"Request Entity Too Large|Traceback|needs_review|not_application|no_form|is_application|"
    r"correspondence|unrelated|accepted|incomplete|withdrawn|rejected)\b|\[\]|\['|\[\d+(, \d+)*\]"
)
POLISH_TITLES = {
    400: "Nieprawidłowe żądanie",
    403: "Brak uprawnień",
    404: "Nie znaleziono",
    405: "Tego nie można zrobić w ten sposób",
    413: "Za dużo danych",
    500: "Błąd programu",
}
UNKNOWN = {
    "ref": "NIE-MA-1",
    "message_pk": 999999,
    "attachment_pk": 999999,
    "page": 1,
    "fmt": "pdf",
}


def visible(html: str) -> str:
    """The page's text as a person reads it (tags, scripts and attribute values left out)."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def assert_polish(html: str) -> None:
    text = visible(html)
    found = RAW.search(text)
    assert found is None, (found.group(0) if found else "", text[:500])


def rules(app) -> list[Rule]:
    return sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: r.rule
    )


def _fill(rule: Rule) -> str:
    url = rule.rule
    for arg in rule.arguments:
        url = re.sub(rf"<(?:\w+:)?{arg}>", str(UNKNOWN[arg]), url)
    return url


def test_every_route_is_known_here(app):
    """A new route must be added to the checks below (its arguments have a sample)."""
    for rule in rules(app):
        assert set(rule.arguments) <= set(UNKNOWN), rule.rule


def test_a_method_a_route_does_not_take_is_said_in_polish(app, coordinator):
    for rule in rules(app):
        for method in ("GET", "POST", "PUT", "DELETE"):
            if method in rule.methods:
                continue
            response = coordinator.client.open(_fill(rule), method=method)
            assert response.status_code == 405, (rule.rule, method)
            assert POLISH_TITLES[405] in response.text, rule.rule
            assert "Allow" in response.headers
            assert_polish(response.text)


def test_an_unknown_number_is_said_in_polish(app, coordinator):
    for rule in rules(app):
        if not rule.arguments or "GET" not in rule.methods:
            continue
        response = coordinator.get(_fill(rule))
        assert response.status_code == 404, rule.rule
        assert POLISH_TITLES[404] in response.text and "Nie ma takiej" in response.text
        assert_polish(response.text)


@pytest.mark.parametrize("with_token", [False, True])
def test_a_change_of_something_unknown_or_without_its_token_is_said_in_polish(
    app, coordinator, with_token
):
    coordinator.get("/")  # the page's form token, as a browser has it
    for rule in rules(app):
        if "POST" not in rule.methods or rule.endpoint in ("auth.login", "auth.logout"):
            continue
        url = _fill(rule)
        if with_token:
            response = coordinator.post(url, {"item": "message:999999"})
            if not rule.arguments:
                continue  # the forms without a number: their own tests below
            assert response.status_code == 404, rule.rule
        else:
            response = coordinator.client.post(url, data={"item": "message:1"})
            assert response.status_code == 400, rule.rule
            assert "Formularz wygasł" in response.text
        assert_polish(response.text)


def test_a_viewer_is_told_in_polish(app, viewer):
    viewer.get("/")
    for rule in rules(app):
        if "POST" not in rule.methods or rule.endpoint in (
            "auth.login",
            "auth.logout",
            "zgloszenia.search",
            "wiadomosci.search",
            "sesja.extend",
        ):
            continue
        response = viewer.post(_fill(rule).replace("NIE-MA-1", "DKRES-2024-0001"), {})
        assert response.status_code == 403, rule.rule
        assert POLISH_TITLES[403] in response.text
        assert_polish(response.text)


def test_too_much_data_is_said_in_polish(coordinator):
    coordinator.get("/wiadomosc/1/odpowiedz")
    response = coordinator.post("/wiadomosc/1/odpowiedz", {"text": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413 and POLISH_TITLES[413] in response.text
    assert_polish(response.text)


def test_a_failure_inside_is_said_in_polish_and_logged(config, monkeypatch, caplog):
    app = create_app(config, secret="s" * 32, throttle=LoginThrottle())
    b = Browser(app.test_client())
    assert b.login("koordynatorka", PASSWORD).status_code == 302
    import mailbot.web.pulpit as pulpit

    def broken(*_args, **_kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(pulpit, "overview", broken)
    response = b.get("/")
    assert response.status_code == 500
    assert POLISH_TITLES[500] in response.text and "nie zostały zapisane" in response.text
    assert "a bug" not in response.text
    assert_polish(response.text)
    assert "a bug" in caplog.text  # the log has the details


def test_every_page_of_the_demo_reads_polish(app, coordinator, config):
    """Every page reachable from the demo's data: no English, Python or stored key."""
    from web.workspace_data import open_store

    with open_store(config) as store:
        refs = [r[0] for r in store.db.execute("SELECT reference FROM applications")]
        messages = [r[0] for r in store.db.execute("SELECT id FROM messages")]
    coordinator.post("/do-zrobienia/zalatwione", {"item": f"message:{messages[-1]}"})
    coordinator.post(f"/zgloszenie/{refs[0]}/notatka", {"note": "Zadzwonić we wtorek."})
    coordinator.post(f"/zgloszenie/{refs[1]}/zdecyduj", {"status": "rejected", "note": "Duplikat."})
    pages = [
        "/",
        "/do-zrobienia",
        "/zgloszenia",
        "/zgloszenia?zastapione=1",
        "/wiadomosci",
        "/zalatwione",
        "/lista",
    ]
    pages += [f"/zgloszenie/{r}" for r in refs] + [f"/zgloszenie/{r}/zdecyduj" for r in refs]
    pages += [f"/wiadomosc/{m}" for m in messages]
    for url in pages:
        response = coordinator.get(url)
        assert response.status_code == 200, url
        assert_polish(response.text)


def test_the_check_sees_raw_text():
    """The check above is only as good as its pattern."""
    for raw in ("status: needs_review", "Było: None", "Grupa robocza [4]", "[]", "Not Found"):
        with pytest.raises(AssertionError):
            assert_polish(f"<p>{raw}</p>")
    assert_polish('<p data-x="accepted">przyjęte – decyzja pracownika</p>')
