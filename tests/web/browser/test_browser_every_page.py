"""Every page of the workspace, in every state it can be in, in a real browser (Debian's chromium
through Selenium, 1366×768) against `mailbot web`, on a mailbox real passes read from Dovecot
and answered through aiosmtpd (tests/web/every_page_data.py): axe-core finds no violation on
any of them (WCAG 2.1 A/AA and the best-practice rules of tests/web/page_checks.py); no page
shows a raw key, ``None``, ``[…]`` or English; a 3,000-character word does not widen a page;
a right-to-left override in a name is isolated; every error is tied to its field.

The pages come from Flask's url_map: every GET route must be walked (or be named here as a
file, an image, a style sheet or JSON), and every POST route must be walked where it answers
with a page (an error said next to its field, a preview) or be named as one that only
redirects; a new page cannot be forgotten. The states: an empty workspace; a long list; a
scan's OCR reading pending, done and failed; a withdrawn application, a proposed and a partial
withdrawal; a superseded one, a late one, a person's decision and correction; a bounce; a
message judged unrelated read live from the mailbox and one gone from it; every error page;
the login (plain, refused, after the session ended, with a form kept), the session's warning
and a form completed after the logout; the pages as a viewer sees them.

Skipped without chromium, axe-core or Tesseract, unless CI is set: then it fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

import pytest
from integration.helpers import PASSWORD_ENV
from integration.test_scans import pages  # noqa: F401 - the scan's pages (a fixture)
from werkzeug.exceptions import HTTPException

from mailbot.config import load_config
from mailbot.storage.store import Store
from mailbot.web import create_app

from ..every_page_data import (
    BOUNCE_SUBJECT,
    LONG_WORD,
    RTL,
    empty_config,
    fill,
)
from ..page_checks import axe, isolation, raw_words, said, stored_keys, too_wide, untied_errors
from .test_browser import PASSWORD, browser, free_port, shots_dir, wait_port

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the fixture, shared with test_browser

VIEWER_PASSWORD = "haslo-podgladu-12"
MAILBOT = (sys.executable, "-m", "mailbot", "--config")
#: GET routes that answer with a file, an image, a style sheet or JSON: no page to check
NOT_PAGES = {
    "static": "the workspace's style sheet and script",
    "popraw.page": "a scan's page as PNG",
    "popraw.boxes_css": "a style sheet",
    "zgloszenie.download": "a stored file",
    "zgloszenie.preview": "a Word form as PDF",
    "lista.download": "the Committee's list as XLSX / DOCX / CSV",
    "zgloszenia_xlsx.download": "the filtered list as XLSX",
    "sesja.stan": "JSON: how long the session has left",
}
#: POST routes that only redirect (their outcome is the page they lead to, walked here)
REDIRECT_ONLY = {
    "auth.logout",
    "do_zrobienia.handled",
    "do_zrobienia.not_about_call",
    "sesja.extend",
    "wiadomosc.not_application",
    "zgloszenia.search",
    "wiadomosci.search",
}
#: what senders and servers wrote in English, shown as they wrote it
DATA = (
    BOUNCE_SUBJECT,
    "Your message could not be delivered.",
    "Recipient address rejected: User unknown in virtual mailbox",
)


class Walk:
    """Visits pages and checks each; remembers which routes it saw."""

    def __init__(self, driver, base: str, app, keys: set[str], shots) -> None:
        self.d = driver
        self.base = base
        self.adapter = app.url_map.bind("127.0.0.1")
        self.keys = keys
        self.shots = shots
        self.pages: dict[str, dict] = {}
        self.routes: set[tuple[str, str]] = set()
        self.rtl_seen = 0
        self.long_seen: list[str] = []

    def endpoint(self, method: str) -> str:
        path = urlsplit(self.d.current_url).path
        try:
            endpoint, _args = self.adapter.match(path, method=method)
        except HTTPException as exc:
            return f"error {exc.code}"
        return str(endpoint)

    def look(self, name: str, method: str = "GET") -> None:
        from selenium.webdriver.common.by import By

        assert name not in self.pages, name
        endpoint = self.endpoint(method)
        self.routes.add((endpoint, method))
        counted, other = axe(self.d)
        text = said(self.d)
        count, not_isolated = isolation(self.d, RTL)
        self.rtl_seen += count
        if LONG_WORD[:60] in text:
            self.long_seen.append(name)
        heading = self.d.find_elements(By.TAG_NAME, "h1")
        self.pages[name] = {
            "url": self.d.current_url.removeprefix(self.base),
            "endpoint": f"{method} {endpoint}",
            "h1": heading[0].text[:80] if heading else "",
            "violations": counted,
            "best_practice": other,
            "raw": sorted(set(raw_words(text, self.keys, DATA))),
            "too_wide": too_wide(self.d),
            "not_isolated": not_isolated,
            "untied_errors": untied_errors(self.d),
        }
        self.d.save_screenshot(str(self.shots / f"strona-{name}.png"))

    def visit(self, path: str, name: str) -> None:
        """Open ``path`` and check the page shown (also where the route redirects: the route
        asked for counts as walked, the page it leads to is checked)."""
        try:
            asked, _args = self.adapter.match(urlsplit(path).path, method="GET")
            self.routes.add((str(asked), "GET"))
        except HTTPException:
            pass
        self.d.get(self.base + path)
        self.look(name)

    def submit(self, element) -> None:
        """Click a button (or a link) and wait for the next page."""
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.d.find_element("tag name", "html")
        element.click()
        WebDriverWait(self.d, 60).until(lambda _d: _left(old))
        WebDriverWait(self.d, 60).until(
            lambda d: d.execute_script("return document.readyState") == "complete"
        )

    def by_id(self, name: str):
        return self.d.find_element("id", name)

    def css(self, selector: str):
        return self.d.find_element("css selector", selector)

    def js_post(self, action: str, fields: dict[str, str]) -> None:
        """A form posted as a page would post it (for what no page offers: a stale entry, a
        missing token, too much data, a viewer's change)."""
        from selenium.webdriver.support.ui import WebDriverWait

        old = self.d.find_element("tag name", "html")
        self.d.execute_script(
            "const f = document.createElement('form'); f.method = 'post'; f.action = arguments[0];"
            "for (const [k, v] of Object.entries(arguments[1])) {"
            "  const i = document.createElement('textarea'); i.name = k; i.value = v;"
            "  f.appendChild(i); }"
            "document.body.appendChild(f); f.submit();",
            action,
            fields,
        )
        WebDriverWait(self.d, 60).until(lambda _d: _left(old))

    def token(self) -> str:
        return str(self.css("input[name=csrf_token]").get_attribute("value"))

    def login(self, login: str, password: str) -> None:
        self.d.get(self.base + "/logowanie")
        self.by_id("login").send_keys(login)
        self.by_id("password").send_keys(password)
        self.submit(self.by_id("zaloguj"))

    def logout(self) -> None:
        self.submit(self.css("header form button"))


def _left(old) -> bool:
    """Whether the page ``old`` (its <html> element) has been replaced. Chromium answers for an
    element of a page being replaced either "stale element" or, while the new document is being
    built, "Node with given id does not belong to the document": both mean it is gone."""
    from selenium.common.exceptions import WebDriverException

    try:
        old.tag_name  # noqa: B018 - asking the browser is the check
    except WebDriverException:
        return True
    return False


def _start(config_path, env, port: int) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mailbot", "--config", str(config_path), "web", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_every_page_in_every_state(
    tmp_path,
    dovecot,
    imap_user,
    smtp_sink,
    browser,
    pages,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config_path = empty_config(tmp_path, dovecot, imap_user, smtp_sink)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", PASSWORD_ENV: dovecot.password}
    for login, password, role in (
        ("koordynatorka", PASSWORD, "coordinator"),
        ("podglad", VIEWER_PASSWORD, "viewer"),
    ):
        subprocess.run(
            [*MAILBOT, str(config_path), "user", "add", login, "--role", role],
            input=password + "\n",
            text=True,
            check=True,
            env=env,
            capture_output=True,
        )
    config = load_config(config_path)
    app = create_app(config, secret="walk-" + "x" * 30)
    port = free_port()
    server = _start(config_path, env, port)
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    d.set_window_size(1366, 768)
    walk = Walk(d, base, app, stored_keys(config.form.keys), shots)
    try:
        wait_port(port, server)
        _walk(walk, config_path, dovecot, imap_user, smtp_sink, pages, env, monkeypatch)
    finally:
        server.terminate()
        server.wait(timeout=10)
    _session_warning(walk, config_path, env)

    report = shots / "every-page.json"
    report.write_text(json.dumps(walk.pages, ensure_ascii=False, indent=1), encoding="utf-8")
    with_violations = {n: p["violations"] for n, p in walk.pages.items() if p["violations"]}
    total = sum(len(v) for v in with_violations.values())
    print(f"\naxe-core: {len(walk.pages)} pages, {len(with_violations)} with violations, {total}")
    by_rule: dict[str, int] = {}
    for found in with_violations.values():
        for v in found:
            by_rule[v["id"]] = by_rule.get(v["id"], 0) + 1
    for rule, n in sorted(by_rule.items()):
        print(f"  {rule}: {n} page(s)")
    others: dict[str, int] = {}
    for p in walk.pages.values():
        for v in p["best_practice"]:
            others[v["id"]] = others.get(v["id"], 0) + 1
    print(f"  other best-practice findings (not counted): {others}")
    print(f"  report: {report}")

    # every route walked, or named as no page
    gets = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if "GET" in (r.methods or ()) and r.endpoint not in NOT_PAGES
    }
    posts = {
        r.endpoint
        for r in app.url_map.iter_rules()
        if (r.methods or set()) & {"POST"} and r.endpoint not in REDIRECT_ONLY
    }
    seen_get = {e for e, m in walk.routes if m == "GET"}
    seen_post = {e for e, m in walk.routes if m == "POST"}
    assert gets - seen_get == set(), "GET routes not walked"
    assert posts - seen_post == set(), "POST routes that answer with a page, not walked"
    assert walk.rtl_seen > 20, walk.rtl_seen  # the data really carries the override
    assert len(walk.long_seen) > 10, walk.long_seen

    assert with_violations == {}
    assert {n: p["raw"] for n, p in walk.pages.items() if p["raw"]} == {}
    assert {n: p["too_wide"] for n, p in walk.pages.items() if p["too_wide"]} == {}
    assert {n: p["not_isolated"] for n, p in walk.pages.items() if p["not_isolated"]} == {}
    assert {n: p["untied_errors"] for n, p in walk.pages.items() if p["untied_errors"]} == {}


def _walk(walk: Walk, config_path, dovecot, imap_user, smtp_sink, scan_pages, env, monkeypatch):
    d = walk.d
    # --- the login, and an empty workspace ----------------------------------------------------
    walk.visit("/logowanie", "logowanie")
    walk.visit("/logowanie?sesja=wygasla", "logowanie-sesja-wygasla")
    walk.by_id("login").send_keys("koordynatorka")
    walk.by_id("password").send_keys("zle-haslo-123")
    walk.submit(walk.by_id("zaloguj"))
    walk.look("logowanie-odmowa", "POST")
    walk.login("koordynatorka", PASSWORD)
    walk.look("pusty-pulpit")
    for path, name in (
        ("/do-zrobienia", "pusty-do-zrobienia"),
        ("/zgloszenia", "puste-zgloszenia"),
        ("/wiadomosci", "puste-wiadomosci"),
        ("/zalatwione", "puste-zalatwione"),
        ("/lista", "pusta-lista"),
    ):
        walk.visit(path, name)
    walk.visit("/do-zrobienia/nastepna", "nastepna-nic-nie-czeka")  # back to the list, said

    # --- the mailbox read, the scans, a person's changes --------------------------------------
    data = fill(config_path, dovecot, imap_user, smtp_sink, scan_pages, env, monkeypatch)

    walk.visit("/", "pulpit")
    walk.visit("/do-zrobienia", "do-zrobienia")
    walk.visit("/do-zrobienia?strona=2", "do-zrobienia-strona-2")
    for kind in ("late", "correspondence", "needs_review", "not_confirmed", "reply_failed"):
        walk.visit(f"/do-zrobienia?rodzaj={kind}", f"do-zrobienia-{kind}")
    d.get(walk.base + "/do-zrobienia")
    walk.css("details.unrelated > summary").click()
    walk.look("do-zrobienia-niezwiazane")
    walk.submit(walk.by_id("zalatwione-zaznaczone"))  # nothing checked: said why
    walk.look("do-zrobienia-nic-nie-zaznaczono", "POST")
    walk.visit("/do-zrobienia/nastepna", "nastepna-sprawa")

    walk.visit("/zgloszenia", "zgloszenia")
    walk.visit("/zgloszenia?strona=3", "zgloszenia-strona-3")
    walk.visit("/zgloszenia?zastapione=1&sort=name&malejaco=1", "zgloszenia-zastapione")
    walk.visit("/zgloszenia?status=withdrawn", "zgloszenia-wycofane")
    walk.visit("/zgloszenia?status=needs_review&grupa=1", "zgloszenia-filtr-pusty")
    walk.d.get(walk.base + "/zgloszenia")
    walk.css("input[name=q]").send_keys("Zazolc")
    walk.submit(walk.css("form[action*=szukaj] button"))
    walk.look("zgloszenia-szukaj")
    d.get(walk.base + "/zgloszenia?zastapione=1")  # the superseded row itself, found
    walk.css("input[name=q]").clear()
    walk.css("input[name=q]").send_keys(data.superseded)
    walk.submit(walk.css("form[action*=szukaj] button"))
    walk.look("zgloszenia-zastapione-szukaj")
    assert d.find_elements("css selector", "tr.superseded"), "its contrast not checked"

    refs = {
        "pdf": data.pdf,
        "docx": data.docx,
        "skan-odczytany": data.scans["done"],
        "skan-nieudany": data.scans["failed"],
        "skan-w-toku": data.scans["pending"],
        "wycofane": data.withdrawn,
        "odrzucone": data.decided,
        "poprawione": data.corrected,
        "zastapione": data.superseded,
        "po-terminie": data.late,
        "przekazane": data.forwarded,
        "rtl-dlugie-slowo": data.rtl_reference,
        "zwrot": data.bounced_reference,
    }
    for name, ref in refs.items():
        walk.visit(f"/zgloszenie/{ref}", f"zgloszenie-{name}")
    for name in ("skan-odczytany", "skan-nieudany", "skan-w-toku", "docx", "rtl-dlugie-slowo"):
        walk.visit(f"/zgloszenie/{refs[name]}/popraw", f"popraw-{name}")
    d.get(walk.base + f"/zgloszenie/{data.scans['done']}/popraw")
    email = walk.by_id("f-email")
    email.clear()
    email.send_keys("h.mroz@@zaz-milicz.example.pl")
    walk.submit(walk.css("form.edit button[type=submit]"))
    walk.look("popraw-bledy", "POST")

    # notes: one with the long word and the override, one refused
    d.get(walk.base + f"/zgloszenie/{data.rtl_reference}")
    walk.by_id("notatka").send_keys(f"Zadzwonić: {RTL}ynofelet {LONG_WORD}")
    walk.submit(walk.by_id("dodaj-notatke"))
    walk.look("zgloszenie-z-notatka")
    walk.submit(walk.by_id("dodaj-notatke"))  # empty: refused next to its field
    walk.look("notatka-pusta", "POST")

    walk.visit(f"/zgloszenie/{data.late}/zdecyduj", "zdecyduj")
    walk.visit(f"/zgloszenie/{data.forwarded}/zdecyduj", "zdecyduj-dwoch-adresatow")
    walk.submit(walk.by_id("zapisz"))
    walk.look("zdecyduj-bez-wyboru", "POST")
    walk.by_id("s-accepted").click()
    walk.by_id("notify").click()
    walk.submit(walk.by_id("zapisz"))
    walk.look("zdecyduj-podglad", "POST")

    walk.visit(f"/wiadomosc/{data.question}/odpowiedz", "odpowiedz")
    walk.submit(walk.by_id("podglad"))  # nothing typed: said next to the text
    walk.look("odpowiedz-pusta", "POST")
    walk.submit(walk.by_id("wstaw"))
    walk.look("odpowiedz-gotowa", "POST")
    walk.submit(walk.by_id("podglad"))
    walk.look("odpowiedz-podglad", "POST")
    walk.visit(f"/zgloszenie/{data.forwarded}/odpowiedz", "odpowiedz-do-zglaszajacej")
    walk.visit(f"/wiadomosc/{data.long_question}/odpowiedz", "odpowiedz-rtl-dlugie-slowo")

    messages = {
        "pytanie": data.question,
        "rtl-dlugie-slowo": data.long_question,
        "niezwiazana-ze-skrzynki": data.misjudged,
        "niezwiazana-usunieta": data.gone,
        "zwrot": data.bounce,
        "wycofanie-proponowane": data.withdrawal_proposed,
        "wycofanie-czesciowe": data.withdrawal_partial,
        "wycofanie-wykonane": data.withdrawal_done,
    }
    with Store(data.config.storage.database, data.config.storage.files) as store:
        for disposition in ("ignored", "application", "duplicate", "error"):
            row = store.db.execute(
                "SELECT id FROM messages WHERE disposition = ? ORDER BY id LIMIT 1", [disposition]
            ).fetchone()
            if row:
                messages[disposition] = int(row[0])
    for name, pk in messages.items():
        walk.visit(f"/wiadomosc/{pk}", f"wiadomosc-{name}")
    d.get(walk.base + f"/wiadomosc/{data.gone}")
    walk.submit(walk.by_id("to-zgloszenie"))
    walk.look("wiadomosc-usunieta-odmowa", "POST")
    walk.submit(walk.by_id("to-korespondencja"))
    walk.look("wiadomosc-usunieta-korespondencja-odmowa", "POST")
    walk.js_post(
        walk.base + "/do-zrobienia/dotyczy",
        {"csrf_token": walk.token(), "item": f"message:{data.gone}"},
    )
    walk.look("dotyczy-naboru-usunieta-odmowa", "POST")
    d.get(walk.base + f"/wiadomosc/{data.misjudged}")
    walk.submit(walk.by_id("to-korespondencja"))
    walk.look("wiadomosc-uznana-za-korespondencje")

    walk.visit(f"/wiadomosc/{data.withdrawal_proposed}/wycofanie", "wycofanie")
    walk.visit(f"/wiadomosc/{data.withdrawal_partial}/wycofanie", "wycofanie-czesciowe")
    walk.visit(f"/wiadomosc/{data.question}/wycofanie", "wycofanie-bez-propozycji")
    d.get(walk.base + f"/wiadomosc/{data.withdrawal_proposed}/wycofanie")
    walk.by_id("czesc").click()
    for box in d.find_elements("css selector", "input[name=group]:checked"):
        box.click()
    walk.submit(walk.by_id("potwierdz"))
    walk.look("wycofanie-bez-grup", "POST")

    walk.visit("/wiadomosci", "wiadomosci")
    walk.visit("/wiadomosci?strona=2", "wiadomosci-strona-2")
    walk.visit("/wiadomosci?rodzaj=unrelated", "wiadomosci-niezwiazane")
    walk.visit("/wiadomosci?od=2024-05-22&do=2024-05-23", "wiadomosci-dni")
    walk.visit("/wiadomosci?od=22.05.2024", "wiadomosci-zla-data")
    d.get(walk.base + "/wiadomosci")
    walk.by_id("nadawca").send_keys("spoldzielnia7")
    walk.submit(walk.by_id("szukaj"))
    walk.look("wiadomosci-szukaj")

    # Załatwione: an entry marked, the archive, a restore that finds nothing to restore
    d.get(walk.base + "/do-zrobienia")
    walk.submit(walk.css("li.todo-item form.inline button"))
    walk.look("do-zrobienia-po-zalatwieniu")
    walk.visit("/zalatwione", "zalatwione")
    walk.js_post(
        walk.base + "/zalatwione/przywroc",
        {"csrf_token": walk.token(), "item": "message:999999"},
    )
    walk.look("zalatwione-odmowa", "POST")

    walk.visit("/lista", "lista")
    for group in data.config.call.groups:
        walk.visit(f"/lista?grupa={group.number}", f"lista-grupa-{group.number}")
    walk.visit("/lista?grupa=1&strona=2", "lista-strona-2")

    # error pages
    walk.visit("/zgloszenie/NIE-MA-1", "blad-404")
    walk.visit("/do-zrobienia/zalatwione", "blad-405")
    d.get(walk.base + "/zgloszenia")
    walk.js_post(walk.base + "/zgloszenia/szukaj", {"q": "bez tokenu"})
    walk.look("blad-400-formularz-wygasl", "POST")
    d.get(walk.base + "/zgloszenia")
    walk.js_post(
        walk.base + f"/zgloszenie/{data.pdf}/notatka",
        {"csrf_token": walk.token(), "note": "x" * (1024 * 1024 + 10)},
    )
    walk.look("blad-413", "POST")

    # a form sent after the session ended: kept, the login says so, completed after it
    d.get(walk.base + f"/wiadomosc/{data.question}/odpowiedz")
    walk.by_id("text").send_keys("Tak, może kandydować.")
    with Store(data.config.storage.database, data.config.storage.files) as store:
        idle = data.config.web.session_minutes * 60
        store.db.execute("UPDATE sessions SET seen_at = ?", [int(time.time()) - idle - 5])
    walk.submit(walk.by_id("podglad"))
    walk.look("logowanie-formularz-zachowany")
    walk.by_id("login").send_keys("koordynatorka")
    walk.by_id("password").send_keys(PASSWORD)
    walk.submit(walk.by_id("zaloguj"))
    walk.look("dokoncz")
    walk.logout()

    # what a viewer sees
    walk.login("podglad", VIEWER_PASSWORD)
    for path, name in (
        ("/", "podglad-pulpit"),
        ("/do-zrobienia", "podglad-do-zrobienia"),
        ("/zgloszenia", "podglad-zgloszenia"),
        (f"/zgloszenie/{data.pdf}", "podglad-zgloszenie"),
        (f"/wiadomosc/{data.question}", "podglad-wiadomosc"),
        ("/zalatwione", "podglad-zalatwione"),
    ):
        walk.visit(path, name)
    walk.js_post(
        walk.base + "/do-zrobienia/zalatwione",
        {"csrf_token": walk.token(), "item": f"message:{data.question}"},
    )
    walk.look("blad-403", "POST")
    walk.logout()


def _session_warning(walk: Walk, config_path, env) -> None:
    """A session of one minute: the warning is there at once, with the focus on "Przedłuż"
    and its words in a live region."""
    from selenium.webdriver.support.ui import WebDriverWait

    short = config_path.parent / "config-sesja.toml"
    short.write_text(
        config_path.read_text(encoding="utf-8") + "\n[web]\nsession_minutes = 1\n",
        encoding="utf-8",
    )
    port = free_port()
    server = _start(short, env, port)
    base, walk.base = walk.base, f"http://127.0.0.1:{port}"
    try:
        wait_port(port, server)
        walk.login("koordynatorka", PASSWORD)
        box = walk.by_id("sesja-ostrzezenie")
        WebDriverWait(walk.d, 20).until(lambda d: box.is_displayed())
        assert walk.d.switch_to.active_element.get_attribute("id") == "przedluz"
        said = walk.by_id("sesja-komunikat")  # a polite live region, said once
        assert said.get_attribute("role") == "status"
        spoken = str(said.get_attribute("textContent"))
        assert "Przedłuż" in spoken, spoken
        walk.look("sesja-ostrzezenie")
    finally:
        walk.base = base
        server.terminate()
        server.wait(timeout=10)
