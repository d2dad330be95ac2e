"""Two of the coordinator's jobs in a real browser (Debian's chromium through Selenium) against
`mailbot web` served by waitress, on data a real pass read from Dovecot and answered through
aiosmtpd: find "Łódź" by typing "lodz", and handle a withdrawal from Do zrobienia to the
Committee's list. Skipped when chromium is missing, unless CI is set: then it fails.
"""

from __future__ import annotations

import email.utils
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import pytest
from integration.helpers import PASSWORD_ENV, write_config

from mailbot.config import load_config
from mailbot.ops import jobs
from mailbot.ops.demo import example_inbox
from mailbot.ops.samples import Applicant, email_with, filled_docx
from mailbot.storage.store import Store

from .test_browser import (
    PASSWORD,
    browser,
    click_and_wait,
    shots_dir,
    start_workspace,
    wait_port,
)

pytestmark = pytest.mark.integration
__all__ = ["browser"]  # the fixture, shared with test_browser

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _mail(sender: str, subject: str, body: str, when: datetime, *attachments: tuple) -> bytes:
    return email_with(
        sender,
        subject,
        body,
        to="d.butryn@dops.wroc.pl",
        date=when - timedelta(seconds=40),
        attachments=attachments,
        received=when,
    )


def test_find_lodz_and_handle_a_withdrawal(
    tmp_path, dovecot, imap_user, smtp_sink, browser, monkeypatch
):
    from selenium.webdriver.common.by import By

    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config_path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    config = load_config(config_path)
    lodz = replace(
        Applicant(),
        full_name="Łucja Żółkiewska",
        organisation="Fundacja „Łódzkie Razem”",
        address="ul. Piotrkowska 12, 90-001 Łódź",
        email="l.zolkiewska@lodzkie.example.pl",
        groups=(3,),
    )
    inbox = [raw for _description, raw in example_inbox()]
    inbox.append(
        _mail(
            "Łucja Żółkiewska <l.zolkiewska@lodzkie.example.pl>",
            "Zgłoszenie",
            "W załączeniu formularz.",
            datetime(2024, 5, 15, 9, 0, tzinfo=WARSAW),
            ("formularz.docx", filled_docx(lodz), DOCX),
        )
    )
    for raw in inbox:
        parsed = email.message_from_bytes(raw)
        when = email.utils.parsedate_to_datetime(parsed["Date"]) + timedelta(seconds=40)
        dovecot.append(imap_user, raw, internaldate=when)
    assert jobs.poll(config).ok
    # Anna withdraws, in a reply of her own
    withdrawal = EmailMessage()
    withdrawal["From"] = "Anna Kowalska <a.kowalska@cis-olawa.example.pl>"
    withdrawal["To"] = config.call.address
    withdrawal["Subject"] = "Rezygnacja"
    withdrawal["Message-ID"] = "<rezygnacja-1@cis-olawa.example.pl>"
    withdrawal["Date"] = "Fri, 17 May 2024 08:00:00 +0200"
    withdrawal.set_content(
        "Dzień dobry,\nz przyczyn osobistych wycofuję swoje zgłoszenie.\nAnna Kowalska"
    )
    dovecot.append(
        imap_user,
        withdrawal.as_bytes(),
        internaldate=email.utils.parsedate_to_datetime("Fri, 17 May 2024 08:00:10 +0200"),
    )
    assert jobs.poll(config).ok
    with Store(config.storage.database, config.storage.files) as store:
        anna, disposition = store.db.execute(
            "SELECT a.reference, m.disposition FROM applications a, messages m "
            "WHERE a.sender = 'a.kowalska@cis-olawa.example.pl' "
            "AND m.message_id = '<rezygnacja-1@cis-olawa.example.pl>'"
        ).fetchone()
        lucja = store.db.execute(
            "SELECT reference FROM applications WHERE sender = 'l.zolkiewska@lodzkie.example.pl'"
        ).fetchone()[0]
    assert disposition == "correspondence"  # nothing was withdrawn by the machine

    server, port = start_workspace(config_path)
    shots = shots_dir(tmp_path)
    base = f"http://127.0.0.1:{port}"
    d = browser
    try:
        wait_port(port, server)
        d.get(base + "/")
        d.find_element(By.ID, "login").send_keys("koordynatorka")
        d.find_element(By.ID, "password").send_keys(PASSWORD)
        click_and_wait(d, By.ID, "zaloguj", "<h1>Pulpit</h1>")

        # find Łódź by "lodz"
        click_and_wait(d, By.LINK_TEXT, "Zgłoszenia", "<h1>Zgłoszenia")
        d.find_element(By.NAME, "q").send_keys("lodz")
        click_and_wait(d, By.XPATH, "//button[text()='Szukaj']", "Wyczyść")
        listed = d.find_elements(By.XPATH, "//table[contains(@class,'list')]//tbody/tr")
        assert len(listed) == 1 and lucja in listed[0].text and "Łucja Żółkiewska" in listed[0].text
        d.save_screenshot(str(shots / "szukaj-lodz.png"))

        # the withdrawal: proposed in Do zrobienia, confirmed by her
        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")
        assert f"prośba o wycofanie zgłoszenia {anna}" in d.page_source
        click_and_wait(
            d, By.PARTIAL_LINK_TEXT, f"Wycofaj zgłoszenie {anna}", "Wycofanie zgłoszenia"
        )
        assert d.find_element(By.ID, f"z-{anna}").is_selected()
        assert d.find_element(By.ID, "calosc").is_selected()
        d.save_screenshot(str(shots / "wycofanie.png"))
        click_and_wait(d, By.ID, "potwierdz", "zostało wycofane")
        assert "wycofane (na prośbę osoby zgłaszającej)" in d.page_source
        click_and_wait(d, By.LINK_TEXT, "Lista do uchwały", "Lista do uchwały –")
        click_and_wait(d, By.PARTIAL_LINK_TEXT, "Grupa robocza nr 4", "Grupa robocza nr 4")
        assert "Anna Kowalska" not in d.page_source
        click_and_wait(d, By.LINK_TEXT, "Do zrobienia", "<h1>Do zrobienia")
        assert f"Wycofaj zgłoszenie {anna}" not in d.page_source
    finally:
        server.terminate()
        server.wait(timeout=10)
    with Store(config.storage.database, config.storage.files) as store:
        row = store.db.execute(
            "SELECT status, decided_by, withdrawal_message_pk IS NOT NULL FROM applications "
            "WHERE reference = ?",
            [anna],
        ).fetchone()
    assert row == ("withdrawn", "koordynatorka", 1)
