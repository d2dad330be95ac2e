"""A real browser (Debian's chromium + chromium-driver, driven by Selenium) against `mailbot web`
served by waitress on 127.0.0.1, on data from a real pipeline run (Dovecot IMAP + aiosmtpd).

The coordinator logs in, opens Do zrobienia, types in a scan's fields, accepts it with a notice,
answers a question sent in reply to a confirmation, downloads the Committee's list as XLSX and
DOCX (read back with openpyxl / python-docx); the notice and the answer reach the SMTP server
once each. Screenshots of the main pages go to $MAILBOT_SCREENSHOTS (default: the test's tmp).
Skipped when chromium is missing, unless CI is set: then it fails.
"""

from __future__ import annotations

import email.utils
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import docx
import openpyxl
import pytest
from integration.helpers import PASSWORD_ENV, write_config

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.demo import example_inbox
from mailbot.stamp import kind_of
from mailbot.storage.store import Store

pytestmark = pytest.mark.integration

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
PASSWORD = "haslo-przegladarki-1"
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def browser(tmp_path):
    if not (CHROMIUM and CHROMEDRIVER):
        message = (
            "chromium / chromium-driver not installed (apt-get install chromium chromium-driver)"
        )
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,1000",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
    )
    driver.downloads = downloads  # type: ignore[attr-defined]
    try:
        yield driver
    finally:
        driver.quit()


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("MAILBOT_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def wait_port(port: int, proc: subprocess.Popen, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"mailbot web exited: {proc.stderr.read()!r}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("mailbot web did not start")


def start_workspace(
    config_path: Path, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, int]:
    """`mailbot web` on a free port for the config, with the coordinator's login added first
    (password PASSWORD): (the server process, its port). The caller terminates it."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    mailbot = [sys.executable, "-m", "mailbot", "--config", str(config_path)]
    subprocess.run(
        [*mailbot, "user", "add", "koordynatorka"],
        input=PASSWORD + "\n",
        text=True,
        check=True,
        env=env,
        capture_output=True,
    )
    port = free_port()
    server = subprocess.Popen(
        [*mailbot, "web", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return server, port


def wait_file(folder: Path, suffix: str, timeout: float = 15) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.glob(f"*{suffix}") if p.stat().st_size > 0]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} downloaded: {list(folder.iterdir())}")


def click_and_wait(driver, by: str, what: str, expect: str, timeout: float = 15) -> None:
    """Click, then wait until the next page shows ``expect`` (a form post takes a moment)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.find_element(by, what).click()
    WebDriverWait(driver, timeout).until(lambda d: expect in d.page_source)


def stamped(messages, template: str) -> list:
    return [m for m in messages if kind_of(m.message.get("X-Mailbot-Reply")) == template]


def test_coordinator_in_a_real_browser(
    tmp_path, dovecot, imap_user, smtp_sink, browser, monkeypatch
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    # the scan's fields are typed in here (no OCR pass: "odczyt w toku"); confirming an OCR
    # reading is tests/web/test_browser_scan.py
    config_path = write_config(
        tmp_path, dovecot, imap_user, smtp_sink, limits={"ocr_pass_seconds": 0}
    )
    config = load_config(config_path)
    # the example inbox arrives in the mailbox; a real pass reads and answers it
    for _description, raw in example_inbox():
        parsed = email.message_from_bytes(raw)
        when = email.utils.parsedate_to_datetime(parsed["Date"]) + timedelta(seconds=40)
        dovecot.append(imap_user, raw, internaldate=when)
    report = jobs.poll(config)
    assert report.ok and report.replies.sent == 7, report.summary()
    confirmation = next(
        m for m in smtp_sink.messages if m.rcpt_tos == ["a.kowalska@cis-olawa.example.pl"]
    )
    # Anna answers her confirmation with a question (no attachment)
    question = EmailMessage()
    question["From"] = "Anna Kowalska <a.kowalska@cis-olawa.example.pl>"
    question["To"] = config.call.address
    question["Subject"] = "Re: " + confirmation.message["Subject"]
    question["Message-ID"] = "<pytanie-1@cis-olawa.example.pl>"
    question["In-Reply-To"] = confirmation.message["Message-ID"]
    question["References"] = confirmation.message["Message-ID"]
    question["Date"] = email.utils.format_datetime(email.utils.localtime())
    question.set_content("Dzień dobry,\nczy muszę dosłać podpisany skan formularza?\nAnna")
    asked_at = email.utils.parsedate_to_datetime("Thu, 16 May 2024 09:00:00 +0200")
    dovecot.append(imap_user, question.as_bytes(), internaldate=asked_at)
    assert jobs.poll(config).ok
    with Store(config.storage.database, config.storage.files) as store:
        scan = store.db.execute(
            "SELECT reference FROM applications WHERE status = 'needs_review'"
        ).fetchone()[0]
        question_pk = store.db.execute(
            "SELECT id FROM messages WHERE message_id = ?", ["<pytanie-1@cis-olawa.example.pl>"]
        ).fetchone()[0]
    smtp_sink.clear()

    server, port = start_workspace(config_path)
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    try:
        wait_port(port, server)
        d.get(base + "/")
        assert d.current_url.endswith("/logowanie")
        d.save_screenshot(str(shots / "logowanie.png"))
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "<h1>Pulpit</h1>")
        d.save_screenshot(str(shots / "pulpit.png"))

        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")
        assert scan in d.page_source and "czy muszę dosłać" in d.page_source
        d.save_screenshot(str(shots / "do-zrobienia.png"))
        entry = d.find_element(By.XPATH, f"//li[.//strong[text()='{scan}']]")
        entry.find_element(By.LINK_TEXT, "Otwórz zgłoszenie").click()
        WebDriverWait(d, 15).until(lambda d: f"Zgłoszenie {scan}" in d.page_source)
        d.save_screenshot(str(shots / "zgloszenie-skan.png"))

        # type in the scan's fields
        click_and_wait(d, By.ID, "popraw", "Popraw dane zgłoszenia")
        values = {
            "full_name": "Tomasz Lewandowski",
            "organisation": "Zakład Aktywności Zawodowej w Bystrzycy Kłodzkiej",
            "organisation_type": "ZAZ",
            "position": "Dyrektor",
            "address": "ul. Sienkiewicza 1, 57-500 Bystrzyca Kłodzka",
            "email": "dyrektor@zaz-bystrzyca.example.pl",
            "phone": "+48 74 811 00 00",
            "groups": "4, 5",
            "experience": "Prowadzę ZAZ od 2015 r.",
            "place_and_date": "Bystrzyca Kłodzka, 20.05.2024",
        }
        for key, value in values.items():
            field = d.find_element(By.ID, f"f-{key}")
            field.clear()
            field.send_keys(value)
        for key in ("accepts_rules", "consents_gdpr"):
            Select(d.find_element(By.ID, f"f-{key}")).select_by_value("tak")
        click_and_wait(d, By.ID, "zapisz", "Zapisano poprawki")
        assert "Zapisano poprawki: 12." in d.page_source
        assert "Tomasz Lewandowski" in d.page_source

        # accept it with a notice: shown first, then sent
        click_and_wait(d, By.ID, "zdecyduj", "Decyzja: zgłoszenie")
        d.find_element(By.ID, "s-accepted").click()
        d.find_element(By.ID, "notify").click()
        click_and_wait(d, By.ID, "zapisz", "sprawdź przed wysłaniem")
        assert "zostało przyjęte" in d.page_source and "dyrektor@zaz-bystrzyca" in d.page_source
        d.save_screenshot(str(shots / "zdecyduj-podglad.png"))
        click_and_wait(d, By.ID, "potwierdz", "Decyzja zapisana")

        # answer the question
        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")
        assert scan not in d.page_source
        # the question's entry (a possible correction here; correspondence where the pipeline
        # tells questions apart) leads to its page, and from there to the answer
        entry = d.find_element(By.XPATH, "//li[.//blockquote[contains(., 'czy muszę dosłać')]]")
        entry.find_element(By.CSS_SELECTOR, "a.button").click()
        click_and_wait(d, By.ID, "odpowiedz", "<h1>Odpowiedź</h1>")
        assert d.current_url.endswith(f"/wiadomosc/{question_pk}/odpowiedz")
        d.find_element(By.ID, "text").send_keys(
            "Dzień dobry,\nnie trzeba: formularz wypełniony na komputerze wystarczy.\n"
            "Z poważaniem\nDorota Butryn"
        )
        click_and_wait(d, By.ID, "podglad", "Sprawdź przed wysłaniem")
        assert "Re: " in d.page_source
        d.save_screenshot(str(shots / "odpowiedz.png"))
        click_and_wait(d, By.ID, "wyslij", "w ciągu kilku minut")

        # the Committee's list
        click_and_wait(d, By.LINK_TEXT, "Lista do uchwały", "Lista do uchwały –")
        click_and_wait(d, By.PARTIAL_LINK_TEXT, "Grupa robocza nr 4", "Tomasz Lewandowski")
        d.save_screenshot(str(shots / "lista.png"))
        d.find_element(By.ID, "xlsx").click()
        xlsx = wait_file(d.downloads, ".xlsx")
        d.find_element(By.ID, "docx").click()
        docx_file = wait_file(d.downloads, ".docx")
        click_and_wait(d, By.LINK_TEXT, "Zgłoszenia", "<h1>Zgłoszenia")
        d.save_screenshot(str(shots / "zgloszenia.png"))
    finally:
        server.terminate()
        server.wait(timeout=10)

    book = openpyxl.load_workbook(xlsx)
    group4 = [c.value for c in book["Grupa robocza nr 4"]["B"]][2:]
    assert group4 == ["Anna Kowalska", "Tomasz Lewandowski", "Grzegorz Zieliński"]
    assert "Tomasz Lewandowski" in [c.value for c in book["Grupa robocza nr 5"]["B"]]
    assert [c.value for c in book["Wszyscy"]["B"]][2:] == [
        "Anna Kowalska",
        "Tomasz Lewandowski",
        "Piotr Nowak",
        "Grzegorz Zieliński",
    ]
    document = docx.Document(str(docx_file))
    assert "Skład grup roboczych" in [p.text for p in document.paragraphs]
    table4 = document.tables[3]
    assert [r.cells[1].text for r in table4.rows[1:]] == group4
    assert table4.rows[2].cells[2].text == values["organisation"]

    # the next pass sends the notice and the answer, once each
    assert jobs.poll(config).ok
    assert jobs.poll(config).ok
    received = smtp_sink.wait_for(2)
    time.sleep(0.5)
    received = list(smtp_sink.messages)
    notices = stamped(received, "review_accepted")
    answers = stamped(received, "answer")
    assert len(notices) == 1 and len(answers) == 1, [m.message["Subject"] for m in received]
    assert notices[0].rcpt_tos == ["dyrektor@zaz-bystrzyca.example.pl"]
    assert answers[0].rcpt_tos == ["a.kowalska@cis-olawa.example.pl"]
    assert answers[0].message["In-Reply-To"].strip() == "<pytanie-1@cis-olawa.example.pl>"
    assert "nie trzeba" in answers[0].message.get_body(("plain",)).get_content()
    assert len(received) == 2
    for name in ("pulpit", "do-zrobienia", "zgloszenie-skan", "zdecyduj-podglad", "lista"):
        assert (shots / f"{name}.png").stat().st_size > 5000
