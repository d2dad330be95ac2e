"""The coordinator's everyday jobs in a real browser (Debian's chromium through Selenium)
against `mailbot web`, on a mailbox a real pass read from Dovecot and answered through
aiosmtpd; axe-core checks every page visited (WCAG 2.1 A and AA: no violation).

The jobs: answer a question with a saved answer; confirm to the candidate an application a
colleague passed on (its letter was withheld); decide a late one; undo a "Załatwione"; turn a
message judged unrelated into an application through the mailbox (IMAP, by UID), and try the
same on one that is gone from the mailbox. The clicks of each job are counted and printed.
The next pass sends each letter once, to the right person. Skipped without chromium or
axe-core, unless CI is set: then it fails.
"""

from __future__ import annotations

import pytest
from integration.helpers import PASSWORD_ENV

from mailbot.ops import jobs
from mailbot.stamp import kind_of
from mailbot.storage.store import Store

from ..mailbox_jobs import CANDIDATE, COLLEAGUE, build
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

#: what must never be seen on a page: English, Python, raw keys
RAW = (
    "Internal Server Error",
    "Not Found",
    "Method Not Allowed",
    "Traceback",
    "None",
    "[]",
    "['",
    "needs_review",
    "not_application",
    "is_application",
    "unrelated",
    "correspondence",
)


def test_the_coordinators_jobs(tmp_path, dovecot, imap_user, smtp_sink, browser, monkeypatch):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    data = build(tmp_path, dovecot, imap_user, smtp_sink, limits={"ocr_pass_seconds": 0})
    smtp_sink.clear()
    server, port = start_workspace(data.config_path, {PASSWORD_ENV: dovecot.password})
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    d.set_window_size(1366, 768)
    visited: dict[str, list] = {}
    clicks: dict[str, int] = {}

    def check(name: str) -> None:
        """axe-core on the page shown, no raw text, a screenshot."""
        visited[name] = axe_violations(d)
        text = d.find_element(By.TAG_NAME, "body").text
        for raw in RAW:
            assert raw not in text, (name, raw)
        d.save_screenshot(str(shots / f"praca-{name}.png"))

    def click(job: str, by: str, what: str, expect: str) -> None:
        click_and_wait(d, by, what, expect)
        clicks[job] = clicks.get(job, 0) + 1

    def todo() -> None:
        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")

    try:
        wait_port(port, server)
        d.get(base + "/")
        check("logowanie")
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "<h1>Pulpit</h1>")
        check("pulpit")

        # 1. answer a question with a saved answer, then the next entry
        job = "answer a question with a saved answer"
        todo()
        check("do-zrobienia")
        entry = d.find_element(By.XPATH, "//li[.//blockquote[contains(., 'czy do grupy')]]")
        entry.find_element(By.LINK_TEXT, "Odpowiedz").click()
        clicks[job] = 1
        assert "<h1>Odpowiedź</h1>" in d.page_source
        check("odpowiedz")
        Select(d.find_element(By.ID, "answer")).select_by_visible_text("Termin i sposób zgłoszenia")
        clicks[job] += 1
        click(job, By.ID, "wstaw", "dziękujemy za wiadomość")
        assert "w naborze „Nabór członków" in d.find_element(By.ID, "text").get_attribute("value")
        click(job, By.ID, "podglad", "Sprawdź przed wysłaniem")
        preview = d.find_element(By.CSS_SELECTOR, "section.preview pre").text
        assert preview.startswith("Szanowna Pani,")
        assert "Z poważaniem" in preview and "> czy do grupy roboczej nr 2" in preview
        check("odpowiedz-podglad")
        click(job, By.ID, "wyslij-nastepna", "Odpowiedź zostanie wysłana")
        check("nastepna-sprawa")

        # 2. confirm an application a colleague passed on, to the candidate
        job = "confirm a withheld application to the candidate"
        todo()
        entry = d.find_element(By.XPATH, f"//li[.//strong[text()='{data.forwarded}']]")
        assert "potwierdzenie nie zostało wysłane" in entry.text
        entry.find_element(By.PARTIAL_LINK_TEXT, "Zdecyduj i potwierdź").click()
        clicks[job] = 1
        assert "Decyzja: zgłoszenie" in d.page_source
        assert not [r for r in d.find_elements(By.NAME, "status") if r.is_selected()]
        assert d.find_element(By.ID, "do-form").is_selected()  # the form's e-mail
        check("zdecyduj-przekazane")
        d.find_element(By.ID, "s-accepted").click()
        d.find_element(By.ID, "notify").click()
        clicks[job] += 2
        click(job, By.ID, "zapisz", "sprawdź przed wysłaniem")
        preview = d.find_element(By.CSS_SELECTOR, "section.preview").text
        assert CANDIDATE in preview and COLLEAGUE not in preview
        assert "Szanowna Pani," in preview
        check("zdecyduj-przekazane-podglad")
        click(job, By.ID, "potwierdz", "Decyzja zapisana")
        assert "przyjęte – decyzja pracownika" in d.page_source
        check("zgloszenie-przekazane")

        # 3. decide a late one: nothing chosen beforehand; the status reads as a person's
        job = "decide a late one"
        todo()
        entry = d.find_element(By.XPATH, f"//li[.//strong[text()='{data.late}']]")
        entry.find_element(By.LINK_TEXT, "Zdecyduj").click()
        clicks[job] = 1
        assert not [r for r in d.find_elements(By.NAME, "status") if r.is_selected()]
        click_and_wait(d, By.ID, "zapisz", "Wybierz decyzję")  # nothing chosen: said why
        assert d.find_element(By.ID, "blad").text.startswith("Błąd: Wybierz decyzję")
        check("zdecyduj-bez-wyboru")
        d.find_element(By.ID, "s-accepted").click()
        clicks[job] += 1
        click(job, By.ID, "zapisz", "Decyzja zapisana")
        assert "przyjęte – decyzja pracownika" in d.page_source
        assert "kompletne, w terminie" not in d.page_source
        check("zgloszenie-po-terminie")

        # 4. undo a "Załatwione"
        job = "undo a Załatwione"
        todo()
        entry = d.find_element(By.XPATH, "//li[contains(@class,'k-needs_review')]")
        scan = entry.find_element(By.TAG_NAME, "strong").text
        entry.find_element(By.XPATH, ".//button[text()='Załatwione']").click()
        clicks[job] = 1
        WebDriverWait(d, 30).until(lambda d: "Oznaczono jako załatwione" in d.page_source)
        assert scan not in d.page_source
        click(job, By.LINK_TEXT, "Załatwione", "<h1>Załatwione")
        check("zalatwione")
        row = d.find_element(By.XPATH, f"//tr[.//a[text()='{scan}']]")
        row.find_element(By.XPATH, ".//button[text()='Przywróć']").click()
        clicks[job] += 1
        WebDriverWait(d, 30).until(lambda d: "Przywrócono" in d.page_source)
        todo()
        assert scan in d.page_source

        # 5. a message judged unrelated, read from the mailbox and made an application
        job = "turn an unrelated message into an application (IMAP)"
        d.find_element(By.CSS_SELECTOR, "details.unrelated > summary").click()
        clicks[job] = 1
        entry = d.find_element(By.XPATH, "//li[.//div[contains(., '„Dokumenty”')]]")
        entry.find_element(By.LINK_TEXT, "Otwórz wiadomość").click()
        clicks[job] += 1
        assert "Treść pobrano teraz ze skrzynki pocztowej" in d.page_source
        assert "prowadzę spółdzielnię socjalną w Oleśnicy" in d.page_source
        check("wiadomosc-ze-skrzynki")
        click(job, By.ID, "to-zgloszenie", "Zapisano: to jest zgłoszenie")
        assert "<h1>Zgłoszenie DKRES-2024-" in d.page_source
        check("zgloszenie-z-niezwiazanej")

        # 6. the same when the message is gone from the mailbox: said, nothing changed
        job = "turn an unrelated message into an application when it is gone"
        todo()
        d.find_element(By.CSS_SELECTOR, "details.unrelated > summary").click()
        clicks[job] = 1
        entry = d.find_element(By.XPATH, "//li[.//div[contains(., '„Informacja”')]]")
        entry.find_element(By.LINK_TEXT, "Otwórz wiadomość").click()
        clicks[job] += 1
        assert "nie ma już w skrzynce pocztowej" in d.page_source
        check("wiadomosc-usunieta")
        click(job, By.ID, "to-zgloszenie", "Nic nie zmieniono")
        assert "Tej wiadomości nie ma już w skrzynce" in d.find_element(By.ID, "blad").text
        check("wiadomosc-usunieta-blad")

        # Wiadomości lists every message; the misjudged one is an application now
        click_and_wait(d, By.LINK_TEXT, "Wiadomości", "<h1>Wiadomości")
        check("wiadomosci")
    finally:
        server.terminate()
        server.wait(timeout=10)

    assert {name: v for name, v in visited.items() if v} == {}
    print(f"\naxe-core (WCAG 2.1 A/AA): {len(visited)} pages, 0 violations")
    for job, count in clicks.items():
        print(f"clicks: {job}: {count}")

    with Store(data.config.storage.database, data.config.storage.files) as store:
        misjudged = store.db.execute(
            "SELECT disposition, raw_file FROM messages WHERE id = ?", [data.misjudged]
        ).fetchone()
        gone = store.db.execute(
            "SELECT disposition, raw_file FROM messages WHERE id = ?", [data.gone]
        ).fetchone()
        handled_gone = store.db.execute(
            "SELECT count(*) FROM handled WHERE item = ?", [f"message:{data.gone}"]
        ).fetchone()[0]
    assert misjudged[0] == "application" and misjudged[1]  # read from the mailbox, now kept
    assert gone == ("unrelated", None) and handled_gone == 0  # nothing changed

    # the next pass sends each letter once, to the right person
    assert jobs.poll(data.config).ok
    received = smtp_sink.wait_for(3)
    by_kind = {}
    for m in received:
        by_kind.setdefault(kind_of(m.message.get("X-Mailbot-Reply")), []).append(m)
    answer = by_kind["answer"]
    assert [m.rcpt_tos for m in answer] == [["k.mazur@fundacja-ekonomia.example.pl"]]
    assert "pytanie-mazur" in answer[0].message["In-Reply-To"]
    notices = by_kind["review_accepted"]
    assert [m.rcpt_tos for m in notices] == [[CANDIDATE]]
    assert notices[0].message["In-Reply-To"] is None  # not threaded under the colleague's mail
    assert [m.rcpt_tos for m in by_kind["no_form"]] == [
        ["m.wojcik@stowarzyszenie-razem.example.org"]
    ]
    assert not [m for m in received if COLLEAGUE in m.rcpt_tos]
