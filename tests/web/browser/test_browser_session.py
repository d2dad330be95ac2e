"""The warning before the idle logout and a form sent after it, in a real browser (Debian's
chromium through Selenium) against `mailbot web` on the demo's data, with a session of three
minutes: the warning appears two minutes before the end (one minute after the page loaded) with
the focus on "Przedłuż", which extends the session without leaving the page; a reply typed after
the session ended is kept and, after logging in again, completed with one click. axe-core checks
the pages with the warning shown and the login and completion pages."""

from __future__ import annotations

import time

import pytest
from selenium.webdriver.support.ui import WebDriverWait

from mailbot.storage.store import Store

from ..workspace_data import add_message, demo_copy
from .test_browser import (
    PASSWORD,
    browser,
    click_and_wait,
    shots_dir,
    start_workspace,
    wait_port,
)
from .test_browser_scan import axe_violations

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the fixture, shared with test_browser

MINUTES = 3


def _seen(store: Store, seconds_ago: int) -> None:
    store.db.execute("UPDATE sessions SET seen_at = ?", [int(time.time()) - seconds_ago])


def test_the_warning_przedluz_and_a_form_kept_over_the_logout(tmp_path, browser):
    from selenium.webdriver.common.by import By

    config = demo_copy(tmp_path)
    with config.path.open("a", encoding="utf-8") as fh:
        fh.write(f"\n[web]\nsession_minutes = {MINUTES}\n")
    store = Store(config.storage.database, config.storage.files)
    question = add_message(
        store,
        "correspondence",
        sender="Katarzyna Mazur <k.mazur@fundacja.example.pl>",
        subject="Pytanie o podpis",
        body="Czy formularz trzeba podpisać?",
    )
    server, port = start_workspace(config.path)
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    try:
        wait_port(port, server)
        d.get(base + "/")
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "<h1>Pulpit</h1>")
        box = d.find_element(By.ID, "sesja-ostrzezenie")
        assert not box.is_displayed()  # three minutes left: no warning yet

        # two minutes before the end (one minute after the page loaded): the warning, with
        # the focus on "Przedłuż"
        d.get(base + "/do-zrobienia")
        loaded = time.monotonic()
        box = d.find_element(By.ID, "sesja-ostrzezenie")
        WebDriverWait(d, (MINUTES - 2) * 60 + 15, poll_frequency=0.5).until(
            lambda d: box.is_displayed()
        )
        waited = time.monotonic() - loaded
        assert (MINUTES - 2) * 60 - 5 <= waited <= (MINUTES - 2) * 60 + 15, waited
        assert "Sesja wkrótce wygaśnie" in box.text and "Przedłuż" in box.text
        assert d.switch_to.active_element.get_attribute("id") == "przedluz"
        assert axe_violations(d) == []
        d.save_screenshot(str(shots / "sesja-ostrzezenie.png"))
        url = d.current_url
        d.find_element(By.ID, "przedluz").click()
        WebDriverWait(d, 10).until(
            lambda d: not d.find_element(By.ID, "sesja-ostrzezenie").is_displayed()
        )
        assert d.current_url == url  # extended without leaving the page
        left = MINUTES * 60 - (
            int(time.time()) - store.db.execute("SELECT seen_at FROM sessions").fetchone()[0]
        )
        assert left > MINUTES * 60 - 5

        # she types an answer; meanwhile the session ends; her text is kept over the login
        d.get(f"{base}/wiadomosc/{question}/odpowiedz")
        d.find_element(By.ID, "text").send_keys("Nie trzeba podpisu: wystarczy plik z komputera.")
        _seen(store, MINUTES * 60 + 5)
        click_and_wait(d, By.ID, "podglad", "Wysłany formularz został zachowany")
        assert "podpisu" not in d.current_url
        assert axe_violations(d) == []
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "Dokończ: Odpowiedź na wiadomość")
        assert "Nie trzeba podpisu" in d.page_source
        assert axe_violations(d) == []
        d.save_screenshot(str(shots / "sesja-dokoncz.png"))
        click_and_wait(d, By.ID, "dokoncz", "Sprawdź przed wysłaniem")
        assert (
            "Nie trzeba podpisu: wystarczy plik z komputera."
            in d.find_element(By.CSS_SELECTOR, "section.preview pre").text
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
        store.close()
