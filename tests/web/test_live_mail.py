"""A message judged unrelated, through Flask's test client against a real Dovecot: its page
fetches it live from the mailbox by UID (read-only) and keeps nothing; "To jest zgłoszenie" and
"To jest korespondencja" go through the mailbox and record nothing until the message is read
again; when it is gone, the server cannot be reached, an imported message was not kept, a pass
holds the pipeline or a robot sent it, the page says so in Polish and nothing changes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from integration.helpers import PASSWORD_ENV

from mailbot.ops import reclassify
from mailbot.ops.lock import pipeline_lock
from mailbot.ops.users import add_user
from mailbot.storage.store import Store
from mailbot.web import create_app
from mailbot.web.security import LoginThrottle
from tests.mailbot.web.test_errors import assert_polish

from .conftest import PASSWORD, Browser
from .mailbox_jobs import build

pytestmark = pytest.mark.integration


@pytest.fixture
def jobs_data(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    data = build(tmp_path, dovecot, imap_user, smtp_sink, limits={"ocr_pass_seconds": 0})
    with Store(data.config.storage.database, data.config.storage.files) as store:
        add_user(store, "koordynatorka", PASSWORD, "coordinator")
    return data


def browser_for(config) -> Browser:
    b = Browser(create_app(config, secret="s" * 32, throttle=LoginThrottle()).test_client())
    assert b.login("koordynatorka", PASSWORD).status_code == 302
    b.get("/")
    return b


def state(config, message_pk: int) -> tuple:
    """What a refused action must leave as it was: the message, its handled mark, its events."""
    with Store(config.storage.database, config.storage.files) as store:
        return (
            store.db.execute(
                "SELECT disposition, raw_file, uid FROM messages WHERE id = ?", [message_pk]
            ).fetchone(),
            store.db.execute(
                "SELECT count(*) FROM handled WHERE item = ?", [f"message:{message_pk}"]
            ).fetchone()[0],
            store.db.execute(
                "SELECT count(*) FROM events WHERE message_pk = ?", [message_pk]
            ).fetchone()[0],
            store.db.execute("SELECT count(*) FROM applications").fetchone()[0],
        )


def files_in(config) -> int:
    return sum(1 for p in config.storage.files.rglob("*") if p.is_file())


def test_the_page_reads_the_message_live_and_keeps_nothing(jobs_data):
    config = jobs_data.config
    b = browser_for(config)
    before, stored = state(config, jobs_data.misjudged), files_in(config)
    page = b.get(f"/wiadomosc/{jobs_data.misjudged}")
    assert page.status_code == 200
    assert "Treść pobrano teraz ze skrzynki pocztowej" in page.text
    assert "prowadzę spółdzielnię socjalną w Oleśnicy" in page.text
    assert_polish(page.text)
    assert state(config, jobs_data.misjudged) == before and files_in(config) == stored


def test_to_jest_zgloszenie_through_the_mailbox(jobs_data):
    config = jobs_data.config
    b = browser_for(config)
    done = b.post(f"/wiadomosc/{jobs_data.misjudged}/to-jest-zgloszenie")
    assert done.status_code == 302 and "/zgloszenie/DKRES-2024-" in done.headers["Location"]
    (disposition, raw_file, _uid), handled, _events, _apps = state(config, jobs_data.misjudged)
    assert disposition == "application" and raw_file and handled == 1
    page = b.get(done.headers["Location"]).text
    assert "Zapisano: to jest zgłoszenie" in page and "Odpowiedź do nadawcy" in page
    assert_polish(page)


def test_to_jest_korespondencja_through_the_mailbox(jobs_data):
    config = jobs_data.config
    b = browser_for(config)
    done = b.post(f"/wiadomosc/{jobs_data.misjudged}/to-jest-korespondencja")
    assert done.status_code == 302
    (disposition, raw_file, _uid), handled, _events, _apps = state(config, jobs_data.misjudged)
    assert disposition == "correspondence" and raw_file and handled == 0
    todo = b.get("/do-zrobienia").text.split('<details class="unrelated"', 1)[0]
    assert "„<bdi>Dokumenty</bdi>”" in todo
    with Store(config.storage.database, config.storage.files) as store:
        taught = store.db.execute(
            "SELECT detail, actor FROM events WHERE kind = 'taught' AND message_pk = ?",
            [jobs_data.misjudged],
        ).fetchone()
    assert taught[1] == "koordynatorka" and "było: unrelated" in taught[0]


@pytest.mark.parametrize(
    "url",
    ["/wiadomosc/{pk}/to-jest-zgloszenie", "/wiadomosc/{pk}/to-jest-korespondencja"],
)
def test_a_message_gone_from_the_mailbox_changes_nothing(jobs_data, url):
    config = jobs_data.config
    b = browser_for(config)
    page = b.get(f"/wiadomosc/{jobs_data.gone}").text
    assert "Tej wiadomości nie ma już w skrzynce pocztowej" in page
    before = state(config, jobs_data.gone)
    refused = b.post(url.format(pk=jobs_data.gone))
    assert refused.status_code == 410
    assert (
        "nie ma już w skrzynce pocztowej" in refused.text and "Nic nie zmieniono." in refused.text
    )
    assert 'role="alert" id="blad"' in refused.text
    assert_polish(refused.text)
    assert state(config, jobs_data.gone) == before


def test_dotyczy_naboru_in_the_queue_on_a_gone_message_says_why(jobs_data):
    config = jobs_data.config
    b = browser_for(config)
    before = state(config, jobs_data.gone)
    refused = b.post("/do-zrobienia/dotyczy", {"item": f"message:{jobs_data.gone}"})
    assert refused.status_code == 410 and "Nic nie zmieniono." in refused.text
    assert state(config, jobs_data.gone) == before


def test_a_mail_server_that_cannot_be_reached_changes_nothing(jobs_data):
    from rig.ports import free_port

    config = jobs_data.config
    away = replace(config, imap=replace(config.imap, port=free_port(), timeout=2.0))
    b = browser_for(away)
    page = b.get(f"/wiadomosc/{jobs_data.misjudged}").text
    assert "Nie udało się teraz połączyć ze skrzynką pocztową" in page
    before = state(config, jobs_data.misjudged)
    refused = b.post(f"/wiadomosc/{jobs_data.misjudged}/to-jest-zgloszenie")
    assert refused.status_code == 503
    assert "Nie udało się połączyć ze skrzynką pocztową" in refused.text
    assert_polish(refused.text)
    assert state(config, jobs_data.misjudged) == before


def test_an_imported_message_not_kept_changes_nothing(jobs_data):
    config = jobs_data.config
    with Store(config.storage.database, config.storage.files) as store:
        store.db.execute(
            "UPDATE messages SET origin = 'file', uid = NULL, uidvalidity = NULL WHERE id = ?",
            [jobs_data.misjudged],
        )
    b = browser_for(config)
    page = b.get(f"/wiadomosc/{jobs_data.misjudged}").text
    assert "Treści tej wiadomości nie zachowano (wiadomość zaimportowana z pliku" in page
    before = state(config, jobs_data.misjudged)
    refused = b.post(f"/wiadomosc/{jobs_data.misjudged}/to-jest-zgloszenie")
    assert refused.status_code == 410 and "mailbot import" in refused.text
    assert state(config, jobs_data.misjudged) == before


def test_a_running_pass_and_a_robot_change_nothing(jobs_data, monkeypatch):
    config = jobs_data.config
    b = browser_for(config)
    monkeypatch.setattr(reclassify, "LOCK_WAIT", 0.3)
    before = state(config, jobs_data.misjudged)
    with pipeline_lock(config.storage.lock):
        refused = b.post(f"/wiadomosc/{jobs_data.misjudged}/to-jest-zgloszenie")
    assert refused.status_code == 503 and "trwa sprawdzanie skrzynki" in refused.text
    assert state(config, jobs_data.misjudged) == before
    with Store(config.storage.database, config.storage.files) as store:
        robot = store.db.execute(
            "SELECT id FROM messages WHERE disposition = 'ignored' LIMIT 1"
        ).fetchone()[0]
    before = state(config, robot)
    refused = b.post(f"/wiadomosc/{robot}/to-jest-zgloszenie")
    assert refused.status_code == 409 and "wysłał automat" in refused.text
    assert state(config, robot) == before
