"""Every route of the workspace through Flask's test client, on the demo's real pipeline data:
login required, roles, CSRF, the security headers, escaping, files, the coordinator's flow."""

from __future__ import annotations

import dataclasses
import io
import logging
import os
import re
import time

import docx
import openpyxl
import pytest

from mailbot.web import create_app
from mailbot.web.security import LoginThrottle

from .conftest import PASSWORD, Browser
from .workspace_data import add_message, open_store

SCAN = "DKRES-2024-0004"
ANNA = "DKRES-2024-0001"

PAGES = [
    "/",
    "/do-zrobienia",
    "/zgloszenia",
    f"/zgloszenie/{SCAN}",
    f"/zgloszenie/{SCAN}/popraw",
    f"/zgloszenie/{SCAN}/zdecyduj",
    f"/zgloszenie/{SCAN}/odpowiedz",
    "/lista",
    "/lista/sklad-grup.xlsx",
    "/lista/sklad-grup.docx",
    "/lista/sklad-grup.csv",
    "/wiadomosc/1",
    "/wiadomosc/1/odpowiedz",
    "/plik/1",
]
POSTS = [
    "/do-zrobienia/zalatwione",
    "/zgloszenia/szukaj",
    f"/zgloszenie/{SCAN}/popraw",
    f"/zgloszenie/{SCAN}/zdecyduj",
    "/wiadomosc/1/odpowiedz",
    "/wiadomosc/1/to-jest-zgloszenie",
    "/wiadomosc/1/nie-jest-zgloszeniem",
]
CHANGES = [p for p in POSTS if p != "/zgloszenia/szukaj"]


def count(config, sql: str, params=()) -> int:
    with open_store(config) as store:
        return int(store.db.execute(sql, params).fetchone()[0])


@pytest.mark.parametrize("url", [*PAGES, "/plik/1/podglad.pdf"])
def test_every_page_needs_a_login(anon, url):
    response = anon.get(url)
    assert response.status_code == 302 and response.headers["Location"].endswith("/logowanie")


@pytest.mark.parametrize("url", POSTS)
def test_every_post_needs_a_login(anon, url):
    response = anon.post(url, {"item": "message:1", "status": "accepted", "text": "x"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/logowanie")


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_a_coordinator_with_the_security_headers(coordinator, url):
    response = coordinator.get(url)
    assert response.status_code == (
        302 if url.endswith("/odpowiedz") and "zgloszenie" in url else 200
    ), url
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    if url.startswith("/plik/"):
        return
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    if response.mimetype == "text/html":
        # scripts only as files of mailbot's own, none inline
        scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", response.text, re.S)
        assert response.text.count("<script") == len(scripts) and not any(scripts)
        assert re.findall(r"<script\b([^>]*)>", response.text) in (
            [],
            [' src="/static/sesja.js" defer'],
        )
        assert " style=" not in response.text
        assert "http://" not in response.text.replace("http://www.w3.org", "")


def test_session_cookie_is_httponly_samesite_lax_and_secure_when_asked(app, config):
    b = Browser(app.test_client())
    response = b.login("koordynatorka", PASSWORD)
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    from dataclasses import replace

    secure = create_app(
        replace(config, web=replace(config.web, secure_cookies=True)), secret="s" * 32
    )
    b = Browser(secure.test_client())
    b.get("/logowanie", base_url="https://localhost")
    response = b.client.post(
        "/logowanie",
        data={"csrf_token": b.token, "login": "koordynatorka", "password": PASSWORD},
        base_url="https://localhost",
    )  # no Referer: no-referrer
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


@pytest.mark.parametrize("url", CHANGES)
def test_a_post_without_the_csrf_token_is_refused(coordinator, config, url):
    events = count(config, "SELECT count(*) FROM events")
    response = coordinator.client.post(
        url,
        data={
            "item": "message:1",
            "status": "accepted",
            "text": "x",
            "full_name": "X",
            "confirm": "1",
        },
    )
    assert response.status_code == 400
    assert count(config, "SELECT count(*) FROM events") == events


@pytest.mark.parametrize("url", CHANGES)
def test_a_viewer_cannot_change_anything(viewer, config, url):
    assert (
        viewer.get("/").status_code == 200 and viewer.get(f"/zgloszenie/{SCAN}").status_code == 200
    )
    events = count(config, "SELECT count(*) FROM events")
    response = viewer.post(
        url,
        {"item": "message:1", "status": "accepted", "text": "x", "full_name": "X", "confirm": "1"},
    )
    assert response.status_code == 403
    assert count(config, "SELECT count(*) FROM events") == events
    assert viewer.get(f"/zgloszenie/{SCAN}/popraw").status_code == 403


def test_failed_logins_slow_down(config):
    now = [1000.0]
    app = create_app(config, secret="s" * 32, throttle=LoginThrottle(clock=lambda: now[0]))
    b = Browser(app.test_client())
    for _ in range(3):
        assert b.login("koordynatorka", "zle-haslo-xyz").status_code == 401
    # now even the right password waits, briefly
    response = b.login("koordynatorka", PASSWORD)
    assert response.status_code == 429 and "Spróbuj ponownie za 1 s" in response.text
    assert response.headers["Retry-After"] == "1"
    now[0] += 1
    assert b.login("koordynatorka", PASSWORD).status_code == 302


def test_session_ends_after_idle_time(coordinator, config):
    with open_store(config) as store:
        store.db.execute(
            "UPDATE sessions SET seen_at = ?",
            [int(time.time()) - config.web.session_minutes * 60 - 5],
        )
    response = coordinator.get("/")
    assert response.status_code == 302
    assert "wygasła" in coordinator.get(response.headers["Location"]).text
    assert coordinator.get("/").status_code == 302  # and it stays ended


def test_removed_user_is_logged_out(coordinator, config):
    with open_store(config) as store:
        store.db.execute("DELETE FROM users WHERE login = 'koordynatorka'")
    assert coordinator.get("/").status_code == 302


def test_a_download_cannot_escape_the_store(coordinator, config):
    assert coordinator.get("/plik/..%2F..%2Fetc%2Fpasswd").status_code == 404
    assert coordinator.get("/plik/../../etc/passwd").status_code == 404
    with open_store(config) as store:
        pk = store.db.execute(
            "SELECT attachment_pk FROM applications WHERE reference = ?", [SCAN]
        ).fetchone()[0]
        ok = coordinator.get(f"/plik/{pk}")
        assert ok.status_code == 200 and ok.data[:5] == b"%PDF-"
        assert ok.headers["Content-Disposition"].startswith("inline")
        assert "skan_20240521.pdf" in ok.headers["Content-Disposition"]
        store.db.execute("UPDATE attachments SET file = '../../config.toml' WHERE id = ?", [pk])
    response = coordinator.get(f"/plik/{pk}")
    assert response.status_code == 404 and b"[call]" not in response.data


def test_a_word_form_downloads_with_its_name(coordinator):
    response = coordinator.get("/plik/1")
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert ".docx" in response.headers["Content-Disposition"]
    assert docx.Document(io.BytesIO(response.data)).paragraphs


def test_applicant_script_is_shown_escaped(coordinator):
    page = coordinator.get(f"/zgloszenie/{SCAN}/popraw")
    assert page.status_code == 200
    hostile = "<script>alert('x')</script>"
    response = coordinator.post(
        f"/zgloszenie/{SCAN}/popraw",
        {"full_name": hostile, "organisation": "<b>Firma</b>", "groups": "4"},
    )
    assert response.status_code == 302
    coordinator.post(f"/zgloszenie/{SCAN}/zdecyduj", {"status": "accepted"})
    for url in (f"/zgloszenie/{SCAN}", "/zgloszenia", "/lista?grupa=4"):
        text = coordinator.get(url).text
        assert "&lt;script&gt;alert(" in text, url
        assert "<script>" not in text and "<b>Firma" not in text


def test_the_coordinators_flow(coordinator, config):
    # Do zrobienia lists the scan, with a way to it
    todo = coordinator.get("/do-zrobienia").text
    assert SCAN in todo and "do sprawdzenia" in todo
    # correct the scan's fields
    coordinator.get(f"/zgloszenie/{SCAN}/popraw")
    response = coordinator.post(
        f"/zgloszenie/{SCAN}/popraw",
        {
            "full_name": "Tomasz Lewandowski",
            "organisation": "ZAZ w Bystrzycy",
            "groups": "4, 5",
            "accepts_rules": "tak",
            "consents_gdpr": "tak",
        },
    )
    assert response.status_code == 302
    page = coordinator.get(f"/zgloszenie/{SCAN}").text
    assert "Tomasz Lewandowski" in page and "poprawione" in page
    # a bad value is said plainly, nothing stored
    assert coordinator.post(f"/zgloszenie/{SCAN}/popraw", {"groups": "czwarta"}).status_code == 400
    # decide with a notice: first the preview, nothing queued yet
    queued = "SELECT count(*) FROM replies WHERE template = 'review_accepted'"
    preview = coordinator.post(
        f"/zgloszenie/{SCAN}/zdecyduj", {"status": "accepted", "notify": "1"}
    )
    assert preview.status_code == 200 and "zostało przyjęte" in preview.text
    assert count(config, queued) == 0
    done = coordinator.post(
        f"/zgloszenie/{SCAN}/zdecyduj", {"status": "accepted", "notify": "1", "confirm": "1"}
    )
    assert done.status_code == 302
    assert count(config, queued) == 1
    assert (
        count(
            config,
            "SELECT count(*) FROM events WHERE kind = 'decision' AND actor = 'koordynatorka'",
        )
        == 1
    )
    assert SCAN not in coordinator.get("/do-zrobienia").text
    # the list for the resolution has him in groups 4 and 5
    book = openpyxl.load_workbook(io.BytesIO(coordinator.get("/lista/sklad-grup.xlsx").data))
    names = [c.value for c in book["Grupa robocza nr 5"]["B"]][2:]
    assert "Tomasz Lewandowski" in names
    table = docx.Document(io.BytesIO(coordinator.get("/lista/sklad-grup.docx?grupa=4").data)).tables
    assert len(table) == 1 and "Tomasz Lewandowski" in [r.cells[1].text for r in table[0].rows]
    csv_text = coordinator.get("/lista/sklad-grup.csv").data.decode("utf-8")
    assert csv_text.startswith("\ufeffGrupa robocza;Lp.;Imię i nazwisko;") and "\r\n" in csv_text
    # incomplete without a problem is refused with a message
    refused = coordinator.post(f"/zgloszenie/{ANNA}/zdecyduj", {"status": "incomplete"})
    assert refused.status_code == 400 and "Wybierz braki" in refused.text


def test_answer_a_question_and_mark_entries(coordinator, config):
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            subject="Re: Zgłoszenie",
            body="Czy muszę podpisać formularz?",
        )
        other = add_message(
            store,
            "unrelated",
            sender="biuro@firma.example.com",
            subject="Faktura 5/2024",
            body="Faktura w załączniku.",
        )
    todo = coordinator.get("/do-zrobienia").text
    assert "Czy muszę podpisać formularz?" in todo and "Faktura 5/2024" in todo
    coordinator.get(f"/wiadomosc/{pk}/odpowiedz")
    assert coordinator.post(f"/wiadomosc/{pk}/odpowiedz", {"text": "  "}).status_code == 400
    preview = coordinator.post(f"/wiadomosc/{pk}/odpowiedz", {"text": "Nie, nie trzeba."})
    assert "Re: Re: Zgłoszenie" not in preview.text and "Re: Zgłoszenie" in preview.text
    assert count(config, "SELECT count(*) FROM replies WHERE template = 'answer'") == 0
    sent = coordinator.post(
        f"/wiadomosc/{pk}/odpowiedz", {"text": "Nie, nie trzeba.", "confirm": "1"}
    )
    assert sent.status_code == 302
    assert (
        count(config, "SELECT count(*) FROM replies WHERE template = 'answer' AND state = 'queued'")
        == 1
    )
    coordinator.get("/do-zrobienia")
    assert coordinator.post(f"/wiadomosc/{other}/to-jest-zgloszenie").status_code == 302
    todo = coordinator.get("/do-zrobienia").text
    assert "Czy muszę podpisać" not in todo
    # read again as an application: numbered, and (received after the deadline) late
    assert re.search(
        r"<strong>DKRES-2024-\d{4}</strong> · <bdi>biuro@firma\.example\.com</bdi> · "
        r"„<bdi>Faktura 5/2024</bdi>”",
        todo,
    )
    assert "k-unrelated_in_window" not in todo
    assert (
        count(
            config,
            "SELECT count(*) FROM events WHERE kind = 'decision' AND "
            "detail LIKE 'is_application%' AND actor = 'koordynatorka'",
        )
        == 1
    )
    late = re.search(r'name="item" value="(application:\d+)"', todo).group(1)
    assert coordinator.post("/do-zrobienia/zalatwione", {"item": late}).status_code == 302
    assert late not in coordinator.get("/do-zrobienia").text
    assert coordinator.post("/do-zrobienia/zalatwione", {"item": "x:../1"}).status_code == 404


def test_search_text_never_in_the_address(coordinator):
    coordinator.get("/zgloszenia")
    response = coordinator.post("/zgloszenia/szukaj", {"q": "Kowalska"})
    assert response.status_code == 302 and "Kowalska" not in response.headers["Location"]
    page = coordinator.get("/zgloszenia").text
    assert ANNA in page and "DKRES-2024-0003" not in page
    coordinator.post("/zgloszenia/szukaj", {"clear": "1"})
    assert "DKRES-2024-0003" in coordinator.get("/zgloszenia").text


def test_no_personal_data_in_links_or_logs(coordinator, caplog):
    caplog.set_level(logging.DEBUG)
    for url in ("/", "/do-zrobienia", "/zgloszenia", f"/zgloszenie/{ANNA}", "/lista"):
        text = coordinator.get(url).text
        for href in re.findall(r'(?:href|action|src|data)="([^"]+)"', text):
            assert "@" not in href and "Kowalsk" not in href and "%40" not in href, href
    coordinator.post("/logowanie", {"login": "koordynatorka", "password": "zle"})
    assert "Kowalsk" not in caplog.text and "@cis-olawa" not in caplog.text
    assert "koordynatorka" not in caplog.text


def test_pulpit_shows_counts_groups_chart_and_outbox(coordinator):
    page = coordinator.get("/").text
    assert "<svg" in page and "<rect" in page and "Zgłoszenia dzień po dniu" in page
    assert "nabór zakończony" in page or "dni do końca" in page
    assert "Ostatnie sprawdzenie skrzynki" in page and "w kolejce" in page
    assert re.search(r"4\. .*?</a></td>\s*<td class=\"num\">2</td>", page, re.S)


def test_list_filters_sort_and_superseded(coordinator):
    page = coordinator.get("/zgloszenia?status=accepted&grupa=4&sort=full_name").text
    refs = re.findall(r">(DKRES-2024-\d{4})</a>", page)
    assert refs == ["DKRES-2024-0001", "DKRES-2024-0007"]
    live = coordinator.get("/zgloszenia").text
    everything = coordinator.get("/zgloszenia?zastapione=1").text
    assert "DKRES-2024-0002" not in live and "DKRES-2024-0002" in everything
    assert coordinator.get("/zgloszenie/NIE-MA-1").status_code == 404
    assert coordinator.get("/lista?grupa=99").status_code == 404


def test_the_preview_converter_runs_under_the_configured_memory_cap(config, tmp_path, monkeypatch):
    """LibreOffice reads the applicant's file for the preview: under limits.max_parse_memory
    (a stand-in soffice reports its limits and writes a PDF)."""
    cap = 300 * 1024 * 1024
    capped = dataclasses.replace(
        config, limits=dataclasses.replace(config.limits, max_parse_memory=cap)
    )
    bin_dir, report = tmp_path / "bin", tmp_path / "limits.txt"
    bin_dir.mkdir()
    stand_in = bin_dir / "soffice"
    stand_in.write_text(
        "#!/bin/sh\n"
        f'grep "^Max data size" /proc/self/limits > "{report}"\n'
        'for last; do :; done\nprintf "%%PDF-1.4\\n" > "${last%.*}.pdf"\n'
    )
    stand_in.chmod(0o700)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    app = create_app(capped, secret="test-secret-" + "x" * 20, throttle=LoginThrottle())
    browser = Browser(app.test_client())
    assert browser.login("koordynatorka", PASSWORD).status_code == 302
    response = browser.get("/plik/1/podglad.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert report.read_text().split()[3] == str(cap)


def test_a_word_form_is_shown_as_pdf_when_libreoffice_is_there(coordinator, config):
    import shutil

    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        pytest.skip("LibreOffice not installed")
    page = coordinator.get(f"/zgloszenie/{ANNA}").text
    assert "/plik/1/podglad.pdf" in page
    response = coordinator.get("/plik/1/podglad.pdf")
    assert response.status_code == 200 and response.data[:5] == b"%PDF-"
    assert response.headers["Content-Type"] == "application/pdf"
    with open_store(config) as store:
        sha = store.db.execute("SELECT sha256 FROM attachments WHERE id = 1").fetchone()[0]
    cached = config.storage.files / sha[:2] / f"{sha}.preview.pdf"
    assert cached.stat().st_mode & 0o777 == 0o600
    # a PDF needs no preview; an unknown file has none
    with open_store(config) as store:
        scan = store.db.execute(
            "SELECT attachment_pk FROM applications WHERE reference = ?", [SCAN]
        ).fetchone()[0]
    assert coordinator.get(f"/plik/{scan}/podglad.pdf").status_code == 404
    assert coordinator.get("/plik/9999/podglad.pdf").status_code == 404
