"""Do zrobienia teaches mailbot: "Nie dotyczy naboru" takes an entry out, "Dotyczy naboru" brings
mail judged unrelated (listed apart, collapsed) into the queue; each choice is in the event log
with who made it; the message page shows the weighed reasons."""

from __future__ import annotations

from .workspace_data import add_message, open_store


def events(config, kind: str) -> list[tuple[str, str]]:
    with open_store(config) as store:
        return store.db.execute(
            "SELECT detail, actor FROM events WHERE kind = ? ORDER BY id", [kind]
        ).fetchall()


def test_not_about_the_call_takes_the_entry_out(coordinator, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Redakcja <redakcja@gazeta.example.pl>",
            subject="Skład Komitetu",
            body="Proszę o skład Komitetu.",
        )
    todo = coordinator.get("/do-zrobienia").text
    assert "Proszę o skład Komitetu." in todo and "Nie dotyczy naboru" in todo
    done = coordinator.post("/do-zrobienia/nie-dotyczy", {"item": f"message:{pk}"})
    assert done.status_code == 302
    page = coordinator.get("/do-zrobienia").text
    assert "Proszę o skład Komitetu." not in page and "Zapamiętano: nie dotyczy naboru" in page
    assert events(config, "taught")[-1][1] == "koordynatorka"
    assert coordinator.post("/do-zrobienia/nie-dotyczy", {"item": "reply:1"}).status_code == 404


def test_unrelated_mail_is_apart_and_about_the_call_brings_it_in(coordinator, viewer, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "unrelated",
            sender="Jan <jan@example.pl>",
            subject="Pytanie o termin",
            body="Do kiedy można przesyłać?",
        )
    todo = coordinator.get("/do-zrobienia").text
    apart = todo.split('<details class="unrelated"', 1)
    assert len(apart) == 2 and "Pytanie o termin" in apart[1] and "Pytanie o termin" not in apart[0]
    assert "Dotyczy naboru" in apart[1]
    assert ">Dotyczy naboru</button>" not in viewer.get("/do-zrobienia").text  # viewers look
    assert viewer.post("/do-zrobienia/dotyczy", {"item": f"message:{pk}"}).status_code == 403
    assert coordinator.post("/do-zrobienia/dotyczy", {"item": f"message:{pk}"}).status_code == 302
    page = coordinator.get("/do-zrobienia").text
    queue = page.split('<details class="unrelated"', 1)[0]
    assert "Pytanie o termin" in queue and "Zapamiętano: dotyczy naboru" in page
    detail, actor = events(config, "taught")[-1]
    assert actor == "koordynatorka" and "dotyczy naboru" in detail


def test_the_message_page_shows_the_weighed_reasons(coordinator, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Jan <jan@example.pl>",
            subject="Pytanie – grupa nr 4",
            body="Kto może kandydować?",
        )
        store.db.execute(
            "UPDATE messages SET signals = ? WHERE id = ?",
            [
                '[{"signal": "call_group", "detail": "grupa naboru: „grupa nr 4”", "weight": 3.0}]',
                pk,
            ],
        )
    page = coordinator.get(f"/wiadomosc/{pk}").text
    assert "Dlaczego tak oceniono" in page and "+3.0" in page and "grupa nr 4" in page
    assert "Nie dotyczy naboru" in page
