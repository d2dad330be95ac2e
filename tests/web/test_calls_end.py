"""The coordinator finishing the call in the workspace (Flask test client, the demo's real
pipeline data, a real SQLite file): Polish search, withdrawals, bounces and robots, the texts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from mailbot.storage import replies as replies_store
from mailbot.storage.store import parse_iso

from .conftest import Browser
from .workspace_data import add_message, open_store

ANNA = "DKRES-2024-0001"  # accepted, group 4
PIOTR = "DKRES-2024-0003"  # accepted, groups 2 and 5
SCAN = "DKRES-2024-0004"


def search(b: Browser, text: str, url: str = "/zgloszenia") -> str:
    b.get(url)
    b.post("/zgloszenia/szukaj", {"q": text})
    return b.get(url).text


def refs(page: str) -> list[str]:
    return re.findall(r">(DKRES-2024-\d{4})</a></td>", page)


def test_search_folds_case_and_polish_letters_on_both_sides(coordinator):
    coordinator.get(f"/zgloszenie/{ANNA}/popraw")
    coordinator.post(f"/zgloszenie/{ANNA}/popraw", {"address": "ul. Świdnickiej 3, 90-001 Łódź"})
    assert refs(search(coordinator, "lodz")) == [ANNA]
    assert refs(search(coordinator, "SWIDNICKIEJ")) == [ANNA]
    assert refs(search(coordinator, "łódź")) == [ANNA]
    # „Łączy Nas”: the live application; the superseded one on request, naming its successor
    assert refs(search(coordinator, "laczy")) == ["DKRES-2024-0007"]
    page = search(coordinator, "ŁĄCZY", "/zgloszenia?zastapione=1")
    assert refs(page) == ["DKRES-2024-0002", "DKRES-2024-0007"]
    assert re.search(
        r'\(zastąpione zgłoszeniem <a href="/zgloszenie/DKRES-2024-0007">DKRES-2024-0007</a>\)',
        page,
    )
    one = coordinator.get("/zgloszenie/DKRES-2024-0002").text
    assert "(zastąpione zgłoszeniem <a" in one and "DKRES-2024-0007</a>)" in one


def test_a_withdrawal_from_the_queue_to_the_committees_list(coordinator, viewer, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            subject="Rezygnacja",
            body="Dzień dobry,\nz przyczyn osobistych wycofuję swoje zgłoszenie.\nAnna Kowalska",
        )
    assert "Anna Kowalska" in coordinator.get("/lista?grupa=4").text
    todo = coordinator.get("/do-zrobienia").text
    assert f'href="/wiadomosc/{pk}/wycofanie">Wycofaj zgłoszenie {ANNA}…</a>' in todo
    assert f"prośba o wycofanie zgłoszenia {ANNA}" in todo
    message = coordinator.get(f"/wiadomosc/{pk}").text
    assert "Prośba o wycofanie zgłoszenia" in message and 'id="wycofaj"' in message
    form = coordinator.get(f"/wiadomosc/{pk}/wycofanie").text
    assert re.search(rf'value="{ANNA}" id="z-{ANNA}" checked', form)  # proposed, not done
    assert 'id="calosc" checked' in form
    with open_store(config) as store:
        assert store.db.execute(
            "SELECT status FROM applications WHERE reference = ?", [ANNA]
        ).fetchone() == ("accepted",)
    # a viewer cannot; a form without its token changes nothing
    viewer.get("/")
    assert viewer.post(f"/wiadomosc/{pk}/wycofanie", {"reference": ANNA}).status_code == 403
    assert (
        coordinator.client.post(f"/wiadomosc/{pk}/wycofanie", data={"reference": ANNA}).status_code
        == 400
    )
    done = coordinator.post(f"/wiadomosc/{pk}/wycofanie", {"reference": ANNA, "scope": "whole"})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/zgloszenie/{ANNA}")
    page = coordinator.get(f"/zgloszenie/{ANNA}").text
    assert f"Zgłoszenie {ANNA} zostało wycofane." in page
    assert "wycofane (na prośbę osoby zgłaszającej)" in page
    assert f'href="/wiadomosc/{pk}">wiadomość z 16 maja 2024 r., godz. 12:00</a>' in page
    assert "Anna Kowalska" not in coordinator.get("/lista?grupa=4").text
    todo = coordinator.get("/do-zrobienia").text
    assert f"/wiadomosc/{pk}/wycofanie" not in todo
    assert "Ta wiadomość wycofała zgłoszenie" in coordinator.get(f"/wiadomosc/{pk}").text
    assert "wycofanie zgłoszenia" in page  # the event, in Polish
    listed = coordinator.get("/zgloszenia?status=withdrawn").text
    assert refs(listed) == [ANNA] and "s-withdrawn" in listed


def test_a_partial_withdrawal_and_its_errors_in_polish(coordinator, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="p.nowak@boleslawiec.example.pl",
            subject="Re: Zgłoszenie",
            body="Rezygnuję z grupy 5, w grupie 2 zostaję.",
            received_at="2024-05-24T08:00:00+00:00",
        )
    form = coordinator.get(f"/wiadomosc/{pk}/wycofanie").text
    assert 'id="czesc" checked' in form and re.search(r'value="5" checked', form)
    missing = coordinator.post(f"/wiadomosc/{pk}/wycofanie", {"reference": PIOTR, "scope": "some"})
    assert missing.status_code == 400 and "Zaznacz grupy" in missing.text
    wrong = coordinator.post(
        f"/wiadomosc/{pk}/wycofanie", {"reference": PIOTR, "scope": "some", "group": "3"}
    )
    assert wrong.status_code == 400 and "nie wskazano grup(y) 3" in wrong.text
    old = coordinator.post(
        f"/wiadomosc/{pk}/wycofanie", {"other": "DKRES-2024-0002", "scope": "whole"}
    )
    assert old.status_code == 400 and "wycofać można tylko aktualne" in old.text
    done = coordinator.post(
        f"/wiadomosc/{pk}/wycofanie", {"reference": PIOTR, "scope": "some", "group": "5"}
    )
    assert done.status_code == 302
    page = coordinator.get(f"/zgloszenie/{PIOTR}").text
    assert "pozostają grupy 2" in page and "poprawione" in page
    # the correction reads as people read it: the field's label, the groups' names
    assert "[2, 5]" not in page and ">groups<" not in page
    assert "5. Grupa robocza ds. przedsiębiorstw społecznych" in page
    assert "Piotr Nowak" not in coordinator.get("/lista?grupa=5").text
    assert "Piotr Nowak" in coordinator.get("/lista?grupa=2").text


def _bounce(config) -> tuple[int, str]:
    """The reply to Anna comes back: a bounce from MAILER-DAEMON, two days after it was sent."""
    with open_store(config) as store:
        reply_pk, queued = store.db.execute(
            "SELECT r.id, r.queued_at FROM replies r JOIN applications a ON a.id = "
            "r.application_pk WHERE a.reference = ? ORDER BY r.id LIMIT 1",
            [ANNA],
        ).fetchone()
        arrived = parse_iso(queued) + timedelta(days=2, hours=3)
        bounce = add_message(
            store,
            "ignored",
            sender="MAILER-DAEMON@mail.cis-olawa.example.pl",
            subject="Undelivered Mail Returned to Sender",
            body="This is the mail system at host mail.cis-olawa.example.pl.",
            received_at=arrived.isoformat(),
        )
        with store.transaction():
            replies_store.mark_bounced(
                store,
                reply_pk,
                "550 5.1.1 <a.kowalska@cis-olawa.example.pl>: Recipient address rejected: "
                "User unknown in virtual mailbox table",
                bounced_at=arrived,
                bounce_message_pk=bounce,
            )
    return bounce, arrived.astimezone(config.call.timezone).strftime("%H:%M")


def test_a_bounce_is_dated_by_itself_and_said_in_polish(coordinator, config):
    bounce, at = _bounce(config)
    todo = coordinator.get("/do-zrobienia").text
    entry = todo[todo.index("odpowiedź niedostarczona</span>") :][:1500]
    assert f"godz. {at}" in entry
    assert (
        "odpowiedź nie dotarła – adres nie istnieje (serwer: 550 5.1.1 "
        "&lt;a.kowalska@cis-olawa.example.pl&gt;: Recipient address rejected" in entry
    )
    page = coordinator.get(f"/wiadomosc/{bounce}").text
    assert "Zwrot: odpowiedź nie dotarła" in page and ANNA in page
    assert "wysłał automat" in page
    for action in ("Odpowiedz", "To jest zgłoszenie", "To nie jest zgłoszenie", "Wycofanie"):
        assert action not in page
    before = coordinator.get("/do-zrobienia").text
    robot = coordinator.post(f"/wiadomosc/{bounce}/to-jest-zgloszenie")
    assert robot.status_code == 409 and "wysłał automat" in robot.text  # said, nothing changed
    coordinator.get(f"/wiadomosc/{bounce}/odpowiedz")
    refused = coordinator.post(f"/wiadomosc/{bounce}/odpowiedz", {"text": "Dzień dobry"})
    assert refused.status_code == 400 and "wysłał automat" in refused.text
    with open_store(config) as store:
        assert (
            store.db.execute("SELECT count(*) FROM replies WHERE template = 'answer'").fetchone()[0]
            == 0
        )
    assert len(before) > 0


def test_the_texts_read_as_the_office_writes_them(coordinator):
    pulpit = coordinator.get("/").text
    assert "zgłoszeń (bez zastąpionych)" in pulpit
    decide = coordinator.get(f"/zgloszenie/{SCAN}/zdecyduj").text
    assert "Powiadom osobę zgłaszającą e-mailem (treść zobaczysz przed wysłaniem)" in decide
    one = coordinator.get(f"/zgloszenie/{ANNA}").text
    assert "Napisz do osoby zgłaszającej" in one and "Historia osoby zgłaszającej" in one
    assert "wysłana" in one  # the reply's state in Polish
    listing = coordinator.get("/zgloszenia").text
    assert "<th>Numer zgłoszenia</th>" in listing
    for url in ("/", "/do-zrobienia", "/zgloszenia", f"/zgloszenie/{ANNA}", "/wiadomosc/1"):
        text = coordinator.get(url).text
        assert not re.search(r"zgłaszając(?:y|ego|ych)\b", text), url
        assert "!!!" not in text
    coordinator.get(f"/zgloszenie/{ANNA}/odpowiedz", follow_redirects=True)
    sent = coordinator.post(
        "/wiadomosc/1/odpowiedz", {"text": "Dziękujemy.", "confirm": "1"}, follow_redirects=True
    )
    assert "Odpowiedź zostanie wysłana w ciągu kilku minut." in sent.text
    decided = coordinator.post(
        f"/zgloszenie/{SCAN}/zdecyduj",
        {"status": "accepted", "notify": "1", "confirm": "1"},
        follow_redirects=True,
    )
    assert "Powiadomienie zostanie wysłane w ciągu kilku minut." in decided.text


def test_the_demos_digest_and_the_workspace_agree_on_now(config):
    """The demo's digest is made by the clock the workspace runs on (not a date of its own):
    its "Stan na" is the day the demo ran, and the last check of the mailbox is not after it."""
    from mailbot.pipeline.texts import MONTHS_GENITIVE

    digest = (config.path.parent / "digest.txt").read_text(encoding="utf-8")
    now = datetime.now(config.call.timezone)
    days = [now - timedelta(days=n) for n in (0, 1)]  # the demo may have been built before midnight
    assert any(
        f"Stan na: {d.day} {MONTHS_GENITIVE[d.month - 1]} {d.year} r." in digest for d in days
    ), digest[:300]
    stamp = re.search(r"Stan na: (.*)", digest).group(1)
    assert f"Ostatnie sprawdzenie skrzynki: {stamp[:-5]}" in digest  # the same day and hour
