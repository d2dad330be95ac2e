"""The coordinator's new work through Flask's test client on the demo's real pipeline data:
the recipient she chooses and the greeting that follows it, saved answers with the signature
and the question quoted, decisions with nothing chosen beforehand and every notice previewed,
the archive of handled entries and "Przywróć", bulk "Załatwione", the next entry, notes,
Wiadomości, and the filtered list as XLSX. Errors are said in Polish next to their fields."""

from __future__ import annotations

import email
import email.policy
import io
import re

import openpyxl

from tests.mailbot.web.test_errors import assert_polish

from .conftest import Browser
from .workspace_data import add_message, open_store

ANNA = "DKRES-2024-0001"  # accepted, form e-mail = sender
SCAN = "DKRES-2024-0004"  # needs_review, no e-mail in the form
LATE = "DKRES-2024-0006"
COLLEAGUE = "sekretariat@dops.wroc.pl"


def one(config, sql: str, params=()):
    with open_store(config) as store:
        return store.db.execute(sql, params).fetchone()


def queued(config, template: str) -> list[email.message.EmailMessage]:
    with open_store(config) as store:
        rows = store.db.execute(
            "SELECT raw FROM replies WHERE template = ? AND state = 'queued'", [template]
        ).fetchall()
    return [email.message_from_bytes(r[0], policy=email.policy.default) for r in rows]


def passed_on_by_a_colleague(config, ref: str = ANNA) -> int:
    """The application's message as if a colleague had sent the candidate's form."""
    with open_store(config) as store:
        pk = store.db.execute(
            "SELECT message_pk FROM applications WHERE reference = ?", [ref]
        ).fetchone()[0]
        store.db.execute("UPDATE messages SET sender = ? WHERE id = ?", [COLLEAGUE, pk])
        store.db.execute(
            "UPDATE applications SET sender = ?, reply_withheld = 'wiadomość od współpracownika' "
            "WHERE reference = ?",
            [COLLEAGUE, ref],
        )
    return int(pk)


def described_by(html: str, element_id: str) -> str:
    found = re.search(rf'<[^>]*id="{element_id}"[^>]*>', html)
    assert found, element_id
    described = re.search(r'aria-describedby="([^"]+)"', found.group(0))
    return described.group(1) if described else ""


# --- deciding -------------------------------------------------------------------------------


def test_nothing_is_chosen_beforehand_and_a_persons_status_reads_as_such(coordinator, config):
    for ref in (ANNA, SCAN, LATE):
        page = coordinator.get(f"/zgloszenie/{ref}/zdecyduj").text
        assert not re.search(r'name="status"[^>]*checked', page), ref
    refused = coordinator.post(f"/zgloszenie/{LATE}/zdecyduj", {})
    assert refused.status_code == 400 and "Wybierz decyzję." in refused.text
    assert 'role="alert" id="blad"' in refused.text
    assert re.search(r'<fieldset aria-describedby="blad"[^>]*><legend>Decyzja', refused.text)
    assert one(config, "SELECT status FROM applications WHERE reference = ?", [LATE])[0] == "late"
    assert (
        coordinator.post(f"/zgloszenie/{LATE}/zdecyduj", {"status": "accepted"}).status_code == 302
    )
    page = coordinator.get(f"/zgloszenie/{LATE}").text
    assert "przyjęte – decyzja pracownika" in page and "kompletne, w terminie" not in page
    listed = coordinator.get("/zgloszenia?status=accepted").text
    row = re.search(rf"<tr[^>]*>\s*<td><a[^>]*>{LATE}</a>.*?</tr>", listed, re.S).group(0)
    assert "przyjęte – decyzja pracownika" in row
    assert_polish(page)


def test_a_rejection_without_a_reason_is_tied_to_the_notes(coordinator):
    coordinator.get(f"/zgloszenie/{ANNA}/zdecyduj")
    refused = coordinator.post(f"/zgloszenie/{ANNA}/zdecyduj", {"status": "rejected"})
    assert refused.status_code == 400 and "Podaj powód odrzucenia" in refused.text
    assert described_by(refused.text, "note") == "blad"
    assert 'aria-invalid="true"' in re.search(r'<textarea[^>]*id="note"[^>]*>', refused.text).group(
        0
    )


def test_not_an_application_with_a_notice_is_previewed_then_queued(coordinator, config):
    coordinator.get(f"/zgloszenie/{SCAN}/zdecyduj")
    preview = coordinator.post(
        f"/zgloszenie/{SCAN}/zdecyduj",
        {"status": "not_application", "notify": "1", "note": "To była ulotka."},
    )
    assert preview.status_code == 200 and "sprawdź przed wysłaniem" in preview.text
    assert "nie została uznana za zgłoszenie" in preview.text and "To była ulotka." in preview.text
    assert queued(config, "review_not_application") == []
    assert one(config, "SELECT status FROM applications WHERE reference = ?", [SCAN])[0] == (
        "needs_review"
    )
    done = coordinator.post(
        f"/zgloszenie/{SCAN}/zdecyduj",
        {"status": "not_application", "notify": "1", "note": "To była ulotka.", "confirm": "1"},
    )
    assert done.status_code == 302
    (letter,) = queued(config, "review_not_application")
    assert letter["To"] == "dyrektor@zaz-bystrzyca.example.pl"
    assert letter.get_body(("plain",)).get_content().startswith("Dotyczy:")


def test_save_and_the_next_entry(coordinator, config):
    coordinator.get(f"/zgloszenie/{LATE}/zdecyduj")
    done = coordinator.post(f"/zgloszenie/{LATE}/zdecyduj", {"status": "accepted", "next": "1"})
    assert done.headers["Location"].endswith("/do-zrobienia/nastepna")
    following = coordinator.get("/do-zrobienia/nastepna")
    assert following.status_code == 302 and "/zgloszenie/" in following.headers["Location"]


# --- the right recipient --------------------------------------------------------------------


def test_a_notice_goes_to_the_candidate_a_colleague_passed_on(coordinator, config):
    passed_on_by_a_colleague(config)
    page = coordinator.get(f"/zgloszenie/{ANNA}/zdecyduj").text
    assert 'id="do-form" checked' in page and COLLEAGUE in page
    to_candidate = coordinator.post(
        f"/zgloszenie/{ANNA}/zdecyduj",
        {"status": "accepted", "notify": "1", "recipient": "form"},
    )
    assert "Do: <bdi>a.kowalska@cis-olawa.example.pl</bdi>" in to_candidate.text
    assert "Szanowna Pani," in to_candidate.text
    to_colleague = coordinator.post(
        f"/zgloszenie/{ANNA}/zdecyduj",
        {"status": "accepted", "notify": "1", "recipient": "sender"},
    )
    assert f"Do: <bdi>{COLLEAGUE}</bdi>" in to_colleague.text
    assert "Szanowni Państwo," in to_colleague.text and "Szanowna Pani" not in to_colleague.text
    coordinator.post(
        f"/zgloszenie/{ANNA}/zdecyduj",
        {"status": "accepted", "notify": "1", "recipient": "form", "confirm": "1"},
    )
    (letter,) = queued(config, "review_accepted")
    assert letter["To"] == "a.kowalska@cis-olawa.example.pl"
    assert letter["In-Reply-To"] is None  # not threaded under a message she never saw
    refused = coordinator.post(
        f"/zgloszenie/{ANNA}/zdecyduj",
        {"status": "accepted", "notify": "1", "recipient": "ktos-inny"},
    )
    assert refused.status_code == 400 and "Wybierz adresata z listy." in refused.text


def test_writing_to_an_applicant_chooses_the_form_address(coordinator, config):
    message_pk = passed_on_by_a_colleague(config)
    response = coordinator.get(f"/zgloszenie/{ANNA}/odpowiedz")
    assert response.status_code == 302 and "adresat=form" in response.headers["Location"]
    page = coordinator.get(response.headers["Location"]).text
    assert 'id="do-form" checked' in page and 'id="do-sender"' in page
    preview = coordinator.post(
        f"/wiadomosc/{message_pk}/odpowiedz", {"text": "Dziękujemy.", "recipient": "form"}
    )
    body = re.search(r'<pre class="mail"[^>]*>(.*?)</pre>', preview.text, re.S).group(1)
    assert body.startswith("Szanowna Pani,") and "Z poważaniem" in body
    assert "&gt;" not in body  # the colleague's message is not quoted to the candidate
    preview = coordinator.post(
        f"/wiadomosc/{message_pk}/odpowiedz", {"text": "Dziękujemy.", "recipient": "sender"}
    )
    body = re.search(r'<pre class="mail"[^>]*>(.*?)</pre>', preview.text, re.S).group(1)
    assert body.startswith("Szanowni Państwo,")


# --- answers --------------------------------------------------------------------------------


def test_a_saved_answer_with_the_signature_and_the_question_quoted(coordinator, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Katarzyna Mazur <k.mazur@fundacja.example.pl>",
            subject="Pytanie",
            body="Czy formularz trzeba podpisać?\n\n> wcześniejsza wiadomość",
        )
    page = coordinator.get(f"/wiadomosc/{pk}/odpowiedz").text
    titles = re.findall(r'<option value="([\w-]+)"', page)
    assert {"termin", "potwierdzenie", "formularz"} <= set(titles)
    inserted = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz", {"action": "insert", "answer": "formularz", "text": ""}
    )
    text = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', inserted.text, re.S)
    assert "formularz można przesłać" in text.group(1)
    again = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz",
        {"action": "insert", "answer": "termin", "text": "Moje zdanie."},
    )
    kept = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', again.text, re.S).group(1)
    assert kept.startswith("Moje zdanie.\n\n") and "nabór jest już zamknięty" in kept
    preview = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz", {"action": "preview", "text": "Nie trzeba."}
    )
    body = re.search(r'<pre class="mail"[^>]*>(.*?)</pre>', preview.text, re.S).group(1)
    assert body.startswith("Szanowna Pani,\n\nNie trzeba.\n\nZ poważaniem\n")
    assert "&gt; Czy formularz trzeba podpisać?" in body
    assert "wcześniejsza wiadomość" not in body  # only her own words are quoted
    sent = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz", {"text": "Nie trzeba.", "confirm": "1", "next": "1"}
    )
    assert sent.headers["Location"].endswith("/do-zrobienia/nastepna")
    (letter,) = queued(config, "answer")
    content = letter.get_body(("plain",)).get_content()
    assert "e-mail: d.butryn@dops.wroc.pl" in content and "> Czy formularz" in content


def test_saved_answers_from_templates_dir_and_their_errors(coordinator, config, tmp_path):
    from dataclasses import replace

    from mailbot.web import create_app
    from mailbot.web.security import LoginThrottle

    from .conftest import PASSWORD

    folder = tmp_path / "office" / "answers"
    folder.mkdir(parents=True)
    (folder / "dyzur.txt.j2").write_text(
        "{# Tytuł: Dyżur telefoniczny #}\nDyżur: wtorki 9–11 ({{ call.short_name }}).\n",
        encoding="utf-8",
    )
    (folder / "zepsuta.txt.j2").write_text("{{ nie_ma_takiej_zmiennej }}\n", encoding="utf-8")
    office = replace(
        config,
        templates=replace(config.templates, dir=tmp_path / "office"),
        call=replace(config.call, templates_dir=tmp_path / "office"),
    )
    b = Browser(create_app(office, secret="s" * 32, throttle=LoginThrottle()).test_client())
    b.login("koordynatorka", PASSWORD)
    with open_store(config) as store:
        pk = add_message(store, "correspondence", sender="x@example.pl", subject="P", body="?")
    page = b.get(f"/wiadomosc/{pk}/odpowiedz").text
    assert ">Dyżur telefoniczny</option>" in page and ">Termin i sposób zgłoszenia<" in page
    ok = b.post(f"/wiadomosc/{pk}/odpowiedz", {"action": "insert", "answer": "dyzur"})
    assert "Dyżur: wtorki 9–11 (Nabór do grup roboczych DKRES)." in ok.text
    broken = b.post(f"/wiadomosc/{pk}/odpowiedz", {"action": "insert", "answer": "zepsuta"})
    assert broken.status_code == 400 and "nie udało się przygotować" in broken.text
    assert described_by(broken.text, "answer") == "blad"
    unknown = b.post(f"/wiadomosc/{pk}/odpowiedz", {"action": "insert", "answer": "../x"})
    assert unknown.status_code == 400 and "Nie ma takiej gotowej odpowiedzi." in unknown.text
    empty = b.post(f"/wiadomosc/{pk}/odpowiedz", {"action": "preview", "text": " "})
    assert empty.status_code == 400 and "text-opis blad" in empty.text


# --- handled entries, the archive, Przywróć ---------------------------------------------------


def test_the_archive_and_restoring_an_entry(coordinator, viewer, config):
    todo = coordinator.get("/do-zrobienia").text
    items = re.findall(r'name="item" value="(application:\d+)" form="zbiorczo"', todo)
    assert len(items) >= 2
    refused = coordinator.post("/do-zrobienia/zalatwione-zaznaczone", {})
    assert refused.status_code == 400 and "Zaznacz co najmniej jeden wpis." in refused.text
    both = coordinator.client.post(
        "/do-zrobienia/zalatwione-zaznaczone",
        data={"csrf_token": coordinator.token, "item": items[:2]},
    )
    assert both.status_code == 302
    todo = coordinator.get("/do-zrobienia").text
    assert items[0] not in todo and items[1] not in todo
    archive = coordinator.get("/zalatwione").text
    assert archive.count('value="application:') == 2 and "koordynatorka" in archive
    assert "oznaczone jako załatwione" in archive
    assert viewer.get("/zalatwione").status_code == 200
    assert ">Przywróć</button>" not in viewer.get("/zalatwione").text
    assert viewer.post("/zalatwione/przywroc", {"item": items[0]}).status_code == 403
    coordinator.get("/zalatwione")
    assert coordinator.post("/zalatwione/przywroc", {"item": items[0]}).status_code == 302
    assert items[0] in coordinator.get("/do-zrobienia").text
    again = coordinator.post("/zalatwione/przywroc", {"item": items[0]})
    assert again.status_code == 409 and "nie jest oznaczony jako załatwiony" in again.text
    events = one(
        config,
        "SELECT count(*) FROM events WHERE kind = 'restored' AND actor = 'koordynatorka'",
    )[0]
    assert events == 1
    page = coordinator.get("/zalatwione").text
    assert_polish(page)


# --- notes ----------------------------------------------------------------------------------


def test_notes_with_who_and_when(coordinator, viewer, config):
    coordinator.get(f"/zgloszenie/{ANNA}")
    done = coordinator.post(f"/zgloszenie/{ANNA}/notatka", {"note": "Oddzwonić w poniedziałek."})
    assert done.status_code == 302 and done.headers["Location"].endswith("#notatki")
    page = coordinator.get(f"/zgloszenie/{ANNA}").text
    notes = page.split('id="notatki"', 1)[1]
    assert "Oddzwonić w poniedziałek." in notes and "koordynatorka" in notes
    assert "dodano notatkę" in page  # in the events, without its text
    detail = one(config, "SELECT detail, actor FROM events WHERE kind = 'note'")
    assert "Oddzwonić" not in detail[0] and detail[1] == "koordynatorka"
    empty = coordinator.post(f"/zgloszenie/{ANNA}/notatka", {"note": "   "})
    assert empty.status_code == 400 and "Notatka jest pusta." in empty.text
    assert described_by(empty.text, "notatka") == "e-notatka"
    long = coordinator.post(f"/zgloszenie/{ANNA}/notatka", {"note": "x" * 4001})
    assert long.status_code == 400 and "najwyżej 4000 znaków" in long.text
    assert 'id="notatka"' not in viewer.get(f"/zgloszenie/{ANNA}").text


# --- Wiadomości -----------------------------------------------------------------------------


def test_wiadomosci_filters_and_folded_search(coordinator, config):
    with open_store(config) as store:
        add_message(
            store,
            "unrelated",
            sender="Łucja Świątek <l.swiatek@lodz.example.pl>",
            subject="Zaproszenie – Łódź",
            body="x",
            received_at="2024-05-19T10:00:00+00:00",
        )
    page = coordinator.get("/wiadomosci").text
    total = int(re.search(r"<h1>Wiadomości <span class=\"count\">(\d+)</span>", page).group(1))
    assert total == one(config, "SELECT count(*) FROM messages")[0]
    unrelated = coordinator.get("/wiadomosci?rodzaj=unrelated").text
    assert "Zaproszenie – Łódź" in unrelated and "Zgłoszenie do grupy roboczej" not in unrelated
    day = coordinator.get("/wiadomosci?od=2024-05-19&do=2024-05-19").text
    assert "Zaproszenie – Łódź" in day and "Formularz zgłoszeniowy" not in day
    found = coordinator.post("/wiadomosci/szukaj", {"q": "LODZ", "nadawca": ""})
    assert found.status_code == 302 and "LODZ" not in found.headers["Location"]
    page = coordinator.get("/wiadomosci").text
    assert "Zaproszenie – Łódź" in page and page.count("<tr>") == 2  # header + one
    coordinator.post("/wiadomosci/szukaj", {"q": "", "nadawca": "swiatek"})
    assert "Zaproszenie – Łódź" in coordinator.get("/wiadomosci").text
    coordinator.post("/wiadomosci/szukaj", {"q": "DKRES-2024-0003"})
    assert "Zgłoszenie – P. Nowak" in coordinator.get("/wiadomosci").text
    coordinator.post("/wiadomosci/szukaj", {"clear": "1"})
    bad = coordinator.get("/wiadomosci?od=20.05.2024")
    assert bad.status_code == 400 and described_by(bad.text, "od") == "e-od"
    assert "RRRR-MM-DD" in bad.text
    reversed_days = coordinator.get("/wiadomosci?od=2024-05-21&do=2024-05-20")
    assert reversed_days.status_code == 400 and "wcześniejsza niż data" in reversed_days.text
    unknown = coordinator.get("/wiadomosci?rodzaj=spam")
    assert unknown.status_code == 400 and described_by(unknown.text, "rodzaj") == "e-rodzaj"
    assert_polish(page)


def test_wiadomosci_pages(coordinator, config):
    with open_store(config) as store:
        for n in range(60):
            add_message(
                store, "unrelated", sender=f"n{n}@example.com", subject=f"Biuletyn {n}", body="x"
            )
    first = coordinator.get("/wiadomosci?rodzaj=unrelated").text
    assert "strona 1 z 2" in first and first.count("Biuletyn ") == 50
    second = coordinator.get("/wiadomosci?rodzaj=unrelated&strona=2").text
    assert second.count("Biuletyn ") == 10


# --- the filtered list as XLSX ----------------------------------------------------------------


def test_the_filtered_list_as_xlsx_stays_data(coordinator, config):
    coordinator.get(f"/zgloszenie/{ANNA}/popraw")
    coordinator.post(
        f"/zgloszenie/{ANNA}/popraw",
        {"organisation": '=HYPERLINK("http://zly.example","klik")'},
    )
    coordinator.get("/zgloszenia")
    coordinator.post("/zgloszenia/szukaj?status=accepted", {"q": "kowalska"})
    page = coordinator.get("/zgloszenia?status=accepted").text
    link = re.search(r'id="eksport-xlsx" href="([^"]+)"', page).group(1).replace("&amp;", "&")
    assert "kowalska" not in link.lower()
    response = coordinator.get(link)
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Zgłoszenia"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][:3] == ["Numer zgłoszenia", "Data otrzymania", "Status"]
    assert "Imię i nazwisko" in rows[0] and "Adres e-mail" in rows[0]
    assert [r[0] for r in rows[1:]] == [ANNA]
    organisation = rows[1][rows[0].index("Nazwa reprezentowanego podmiotu / instytucji")]
    assert organisation.startswith("'=HYPERLINK")
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    everything = openpyxl.load_workbook(
        io.BytesIO(coordinator.get("/zgloszenia/zgloszenia.xlsx?zastapione=1").data)
    )
    assert everything["Zgłoszenia"].max_row == 2  # the search still applies
    coordinator.post("/zgloszenia/szukaj", {"clear": "1"})
    everything = openpyxl.load_workbook(
        io.BytesIO(coordinator.get("/zgloszenia/zgloszenia.xlsx?zastapione=1").data)
    )
    assert (
        everything["Zgłoszenia"].max_row == 1 + one(config, "SELECT count(*) FROM applications")[0]
    )


def test_the_next_entry_when_nothing_waits(coordinator, config):
    with open_store(config) as store:
        for (item,) in store.db.execute(
            "SELECT 'application:' || id FROM applications UNION ALL "
            "SELECT 'message:' || id FROM messages"
        ).fetchall():
            store.db.execute(
                "INSERT OR REPLACE INTO handled(item, by, at, how) VALUES (?, 'x', '2024', 'done')",
                [item],
            )
        store.db.execute("UPDATE applications SET decided_at = '2024-06-01'")
    response = coordinator.get("/do-zrobienia/nastepna")
    assert response.headers["Location"].endswith("/do-zrobienia")
    assert "Nic więcej nie czeka" in coordinator.get("/do-zrobienia").text


def test_her_own_greeting_and_closing_are_not_doubled(coordinator, config):
    with open_store(config) as store:
        pk = add_message(store, "correspondence", sender="x@example.pl", subject="P", body="?")
    coordinator.get(f"/wiadomosc/{pk}/odpowiedz")
    preview = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz",
        {"text": "Dzień dobry,\nnie trzeba.\nPozdrawiam\nDorota Butryn"},
    )
    body = re.search(r'<pre class="mail"[^>]*>(.*?)</pre>', preview.text, re.S).group(1)
    assert body.startswith("Dzień dobry,") and "Szanown" not in body
    assert "Z poważaniem" not in body and "e-mail: d.butryn@dops.wroc.pl" in body
