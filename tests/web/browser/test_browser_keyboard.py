"""The keyboard alone does the coordinator's main job: in a real browser (Debian's chromium
through Selenium) against `mailbot web`, on a mailbox a real pass read from Dovecot and
answered through aiosmtpd, she logs in, skips to the content, opens Do zrobienia, opens the late
application's decision, chooses "przyjęte" and saves it — with TAB, ENTER and the arrow keys of
a radio group only, never the mouse. Every element the focus reaches shows the workspace's own
focus style (not only the browser's). The keys pressed are counted and printed.

Skipped without chromium, unless CI is set: then it fails."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from integration.helpers import PASSWORD_ENV

from mailbot.storage.store import Store

from ..mailbox_jobs import build
from .test_browser import PASSWORD, browser, shots_dir, start_workspace, wait_port

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the fixture, shared with test_browser

#: the workspace's focus outline (style.css, :focus-visible): 3 px, its own colours
FOCUS_JS = """
const el = document.activeElement;
const s = getComputedStyle(el);
return [el.tagName.toLowerCase(), el.id || '',
        (el.textContent || el.value || '').trim().slice(0, 60), s.outlineStyle,
        parseFloat(s.outlineWidth) || 0, s.outlineColor, el.matches(':focus-visible')];
"""
OWN_COLOURS = {"rgb(179, 89, 0)", "rgb(255, 210, 77)"}


class Keyboard:
    def __init__(self, driver) -> None:
        self.d = driver
        self.presses = 0
        self.focused: list[tuple] = []

    def press(self, key: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.d).send_keys(key).perform()
        self.presses += 1

    def type(self, text: str) -> None:
        from selenium.webdriver.common.action_chains import ActionChains

        ActionChains(self.d).send_keys(text).perform()

    def state(self) -> tuple:
        return tuple(self.d.execute_script(FOCUS_JS))

    def tab_to(self, wanted: Callable[[tuple], bool], limit: int = 400) -> tuple:
        """TAB until the focused element is ``wanted``; each one reached must show the focus."""
        from selenium.webdriver.common.keys import Keys

        for _ in range(limit):
            self.press(Keys.TAB)
            now = self.state()
            self.focused.append(now)
            if wanted(now):
                return now
        raise AssertionError(f"not reached with TAB: last {self.focused[-5:]}")

    def enter_and_wait(self, expect: str) -> None:
        from selenium.webdriver.common.keys import Keys
        from selenium.webdriver.support.ui import WebDriverWait

        self.press(Keys.ENTER)
        WebDriverWait(self.d, 30).until(lambda d: expect in d.page_source)


def test_one_decision_with_the_keyboard_only(
    tmp_path,
    dovecot,
    imap_user,
    smtp_sink,
    browser,
    monkeypatch,
):
    from selenium.webdriver.common.keys import Keys

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    data = build(tmp_path, dovecot, imap_user, smtp_sink, limits={"ocr_pass_seconds": 0})
    server, port = start_workspace(data.config_path, {PASSWORD_ENV: dovecot.password})
    shots = shots_dir(tmp_path)
    d = browser
    d.set_window_size(1366, 768)
    keys = Keyboard(d)
    try:
        wait_port(port, server)
        d.get(f"http://127.0.0.1:{port}/")
        # the login: the field has the focus at once
        assert keys.state()[1] == "login"
        keys.type("koordynatorka")
        keys.tab_to(lambda s: s[1] == "password")
        keys.type(PASSWORD)
        keys.enter_and_wait("<h1>Pulpit</h1>")

        # the menu: Do zrobienia (the first TAB reaches the skip link, shown)
        skip = keys.tab_to(lambda s: True, limit=1)
        assert skip[2] == "Przejdź do treści", skip
        keys.tab_to(lambda s: s[0] == "a" and s[2].startswith("Do zrobienia"))
        d.save_screenshot(str(shots / "klawiatura-menu.png"))
        keys.enter_and_wait("<h1>Do zrobienia")

        # the skip link, then ENTER: the focus moves past the menu into the content
        skip = keys.tab_to(lambda s: True, limit=1)
        assert skip[2] == "Przejdź do treści", skip
        link = d.find_element("css selector", "a.skip")
        assert link.is_displayed() and link.rect["y"] >= 0, link.rect
        d.save_screenshot(str(shots / "klawiatura-pomin.png"))
        keys.press(Keys.ENTER)
        assert keys.state()[1] == "tresc", keys.state()  # the focus is in <main>

        # the late application's "Zdecyduj"
        def zdecyduj(s: tuple) -> bool:
            if s[0] != "a" or s[2] != "Zdecyduj":
                return False
            href = str(d.switch_to.active_element.get_attribute("href"))
            return href.endswith(f"/zgloszenie/{data.late}/zdecyduj")

        keys.tab_to(zdecyduj)
        keys.enter_and_wait("<h1>Decyzja: zgłoszenie")
        # nothing chosen beforehand: TAB enters the group, the arrows choose "przyjęte"
        radios = d.find_elements("name", "status")
        assert radios and not [r for r in radios if r.is_selected()]
        keys.tab_to(lambda s: s[0] == "input" and s[1].startswith("s-"))
        for _ in range(len(radios)):
            if keys.state()[1] == "s-accepted":
                break
            keys.press(Keys.ARROW_DOWN)
        if keys.state()[1] != "s-accepted":
            raise AssertionError(f"przyjęte not reached with the arrows: {keys.state()}")
        if not d.find_element("id", "s-accepted").is_selected():
            keys.press(Keys.SPACE)
        assert d.find_element("id", "s-accepted").is_selected()
        d.save_screenshot(str(shots / "klawiatura-decyzja.png"))
        keys.tab_to(lambda s: s[1] == "zapisz")
        keys.enter_and_wait("Decyzja zapisana")
        assert "przyjęte – decyzja pracownika" in d.page_source
    finally:
        server.terminate()
        server.wait(timeout=10)

    with Store(data.config.storage.database, data.config.storage.files) as store:
        status, by = store.db.execute(
            "SELECT status, decided_by FROM applications WHERE reference = ?", [data.late]
        ).fetchone()
    assert (status, by) == ("accepted", "koordynatorka")

    # every element the focus reached showed the workspace's own outline
    unseen = [
        s
        for s in keys.focused
        if s[3] in ("none", "") or s[4] < 2 or s[5] not in OWN_COLOURS or not s[6]
    ]
    assert unseen == [], unseen[:5]
    print(f"\nkeyboard only: one decision in {keys.presses} key presses, no mouse")
