"""The coordinator confirms a scan's OCR reading in a real browser (Debian's chromium through
Selenium) against `mailbot web`, on a scan that went through Dovecot, aiosmtpd, the pipeline
and real Tesseract; axe-core checks the pages she uses (WCAG 2.1 A and AA: no violation).

axe-core comes from the npm registry (``.ci/run`` installs it into /opt/mailbot-axe; another
copy is named by ``MAILBOT_AXE_JS``). Skipped without chromium, axe-core or Tesseract, unless
CI is set: then it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from integration.helpers import PASSWORD_ENV, write_config
from integration.test_scans import WHEN, pages, prefill_state, scan_message  # noqa: F401

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.ocr_jobs import read_scans
from mailbot.storage.store import Store

from .test_browser import (  # noqa: F401 - the browser fixture
    CI,
    PASSWORD,
    browser,
    click_and_wait,
    free_port,
    shots_dir,
    start_workspace,
    wait_port,
)

pytestmark = pytest.mark.integration

AXE_JS = Path(
    os.environ.get("MAILBOT_AXE_JS") or "/opt/mailbot-axe/node_modules/axe-core/axe.min.js"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(driver) -> list[dict]:
    """axe-core's violations of WCAG 2.1 A/AA on the page shown."""
    if not AXE_JS.is_file():
        message = f"axe-core not found at {AXE_JS} (npm install --prefix /opt/mailbot-axe axe-core)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done(r.violations)).catch(e => done([{id: 'axe-error', help: String(e)}]));",
        WCAG_TAGS,
    )
    return [
        {"id": v["id"], "help": v.get("help"), "nodes": [n.get("html") for n in v.get("nodes", [])]}
        for v in result
    ]


def test_the_coordinator_confirms_a_scan_reading(
    tmp_path,
    dovecot,
    imap_user,
    smtp_sink,
    browser,  # noqa: F811 - the fixture imported above
    pages,  # noqa: F811 - the fixture imported above
    monkeypatch,
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    # the pass records and answers the scan; its OCR is left for later, to see "odczyt w toku"
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, limits={"ocr_pass_seconds": 0})
    config = load_config(path)
    dovecot.append(imap_user, scan_message(pages), internaldate=WHEN)
    report = jobs.poll(config)
    assert report.ok and report.replies.sent == 1 and report.scans is None
    with Store(config.storage.database, config.storage.files) as store:
        ref = store.db.execute("SELECT reference FROM applications").fetchone()[0]

    server, port = start_workspace(path)
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    clicks = 0
    try:
        wait_port(port, server)
        d.get(base + "/")
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "<h1>Pulpit</h1>")

        # while OCR has not read the scan: "odczyt w toku", the form can still be typed in
        d.get(f"{base}/zgloszenie/{ref}/popraw")
        assert "Odczyt w toku" in d.page_source and not d.find_elements(By.TAG_NAME, "img")
        assert axe_violations(d) == []
        d.save_screenshot(str(shots / "popraw-odczyt-w-toku.png"))

        assert read_scans(config).done == 1  # what the worker's OCR thread does meanwhile
        assert prefill_state(config) == "done"

        # from the queue to the reading: the flow whose clicks are counted
        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")
        entry = d.find_element(By.XPATH, f"//li[.//strong[text()='{ref}']]")
        entry.find_element(By.LINK_TEXT, "Otwórz zgłoszenie").click()
        WebDriverWait(d, 15).until(lambda d: f"Zgłoszenie {ref}" in d.page_source)
        clicks += 1
        assert "Odczyt skanu (OCR):" in d.page_source and "gotowy" in d.page_source
        click_and_wait(d, By.ID, "popraw", "Skan formularza")
        clicks += 1
        assert axe_violations(d) == []
        images = d.find_elements(By.CSS_SELECTOR, "figure.page img")
        assert len(images) == 2
        assert all(d.execute_script("return arguments[0].naturalWidth", i) > 500 for i in images)
        full_name = d.find_element(By.ID, "f-full_name")
        assert full_name.get_attribute("value") == "Piotr Nowak"
        row = full_name.find_element(By.XPATH, "..")
        assert "odczytane ze skanu – sprawdź" in row.text

        # choosing a field draws its box on the page, and only its box
        def shown(key: str) -> list[str]:
            return [
                d.execute_script("return getComputedStyle(arguments[0]).visibility", r)
                for r in d.find_elements(By.CSS_SELECTOR, f"rect.box-{key}")
            ]

        assert shown("full_name") and set(shown("full_name")) == {"hidden"}
        full_name.click()
        clicks += 1
        assert "visible" in shown("full_name") and set(shown("email")) <= {"hidden"}
        d.save_screenshot(str(shots / "popraw-skan.png"))

        # what she types is checked by the form spec: refused in Polish, next to the field
        email = d.find_element(By.ID, "f-email")
        email.clear()
        email.send_keys("p.nowak@@boleslawiec.example.pl")
        groups = d.find_element(By.ID, "f-groups")
        groups.clear()
        groups.send_keys("2 i 9")
        click_and_wait(d, By.ID, "zatwierdz", "popraw zaznaczone pola")
        assert d.find_element(By.ID, "e-email").text.endswith(
            "Podany adres e-mail wygląda na niepoprawny."
        )
        assert "spoza naboru (nr 9)" in d.find_element(By.ID, "e-groups").text
        assert d.find_element(By.ID, "f-email").get_attribute("aria-invalid") == "true"
        assert axe_violations(d) == []
        d.save_screenshot(str(shots / "popraw-skan-bledy.png"))
        email = d.find_element(By.ID, "f-email")
        email.clear()
        email.send_keys("p.nowak@boleslawiec.example.pl")
        groups = d.find_element(By.ID, "f-groups")
        groups.clear()
        groups.send_keys("2 oraz 5")

        # "Zatwierdź odczyt" records the corrections and leads to Zdecyduj
        click_and_wait(d, By.ID, "zatwierdz", "Decyzja: zgłoszenie")
        clicks += 1
        assert "Zatwierdzono odczyt skanu" in d.page_source
        d.find_element(By.ID, "s-accepted").click()
        clicks += 1
        click_and_wait(d, By.ID, "zapisz", "Decyzja zapisana")
        clicks += 1
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"confirm flow: {clicks} clicks from Do zrobienia to the decision (no typing needed)")
    with Store(config.storage.database, config.storage.files) as store:
        status = store.db.execute("SELECT status FROM applications").fetchone()[0]
        fixes = dict(
            store.db.execute("SELECT field, new FROM corrections WHERE by = 'koordynatorka'")
        )
    assert status == "accepted"
    assert fixes["full_name"] == '"Piotr Nowak"' and fixes["groups"] == "[2, 5]"
    assert fixes["email"] == '"p.nowak@boleslawiec.example.pl"'
    for name in ("popraw-odczyt-w-toku", "popraw-skan", "popraw-skan-bledy"):
        assert (shots / f"{name}.png").stat().st_size > 5000
