"""mailbot/web/auth.py: logging in and out — a wrong password said in Polish, too many failures
made to wait, and a logged-out session's cookie useless afterwards."""

from __future__ import annotations

from web.conftest import PASSWORD, Browser


def test_a_wrong_password_is_refused_in_polish(anon) -> None:
    response = anon.login("koordynatorka", "nie-to-haslo")
    assert response.status_code == 401
    assert "Nieprawidłowy login lub hasło." in response.text
    assert anon.get("/").status_code == 302  # still outside


def test_a_login_opens_the_workspace(anon) -> None:
    response = anon.login("Koordynatorka ", PASSWORD)  # as typed: capital, a trailing space
    assert response.status_code == 302
    assert anon.get("/").status_code == 200


def test_too_many_failures_wait_and_say_how_long(anon) -> None:
    statuses = [anon.login("koordynatorka", f"zle-{i}").status_code for i in range(4)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3] == 429
    response = anon.login("koordynatorka", PASSWORD)  # even the right password waits
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    assert "Zbyt wiele nieudanych prób. Spróbuj ponownie za" in response.text


def test_after_logging_out_a_copy_of_the_cookie_is_useless(app, coordinator) -> None:
    copy = Browser(app.test_client())
    cookie = coordinator.client.get_cookie("mailbot_session")
    assert cookie is not None
    copy.client.set_cookie(cookie.key, cookie.value)
    assert copy.get("/").status_code == 200  # the same session, from the copied cookie
    coordinator.get("/")  # the page carries the logged-in session's CSRF token
    assert coordinator.post("/wyloguj").status_code == 302
    assert coordinator.get("/").status_code == 302
    assert copy.get("/").status_code == 302  # the session ended in the database
