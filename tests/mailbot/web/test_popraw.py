"""Popraw for a scan, through the Flask app on the demo's data: the page image beside the
fields pre-filled from the stored reading, the marks, the box of each field, "odczyt w toku",
the refusals in Polish next to the field, and "Zatwierdź odczyt" leading to Zdecyduj.
(The whole flow in Chromium with axe-core: tests/web/test_browser_scan.py.)"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from web.workspace_data import open_store

from mailbot.ops import review
from mailbot.pipeline.ocr import PAGE_SUFFIX, enqueue
from mailbot.storage import prefills
from mailbot.storage.store import iso, utcnow

SCAN = "DKRES-2024-0004"
FORM = Path(__file__).parents[2] / "fixtures" / "forms" / "samples" / "s03-pdf-from-word.pdf"
READ = {
    "fields": {
        "full_name": "Piotr Nowak",
        "organisation": "Gmina Miejska Bolesławiec",
        "email": "p.nowak@boleslawiec.example.pl",
        "groups": [2, 5],
        "accepts_rules": True,
    },
    "confidence": {"full_name": 0.95, "organisation": 0.9, "email": 0.35, "groups": 0.9},
    "engine": "tesseract 5.3.0 (pol)",
    "boxes": {
        "full_name": [{"page": 0, "left": 0.31, "top": 0.22, "width": 0.4, "height": 0.025}],
        "groups": [{"page": 1, "left": 0.1, "top": 0.3, "width": 0.05, "height": 0.2}],
    },
}


def page_pngs(tmp_path: Path) -> list[bytes]:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) not installed")
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(FORM), str(tmp_path / "p")], check=True)
    return [p.read_bytes() for p in sorted(tmp_path.glob("p-*.png"))]


@pytest.fixture
def read_scan(config, tmp_path):
    """The demo's scan with a stored reading and two page images, as the OCR stage leaves it."""
    with open_store(config) as store:
        pk = int(review.application_row(store, SCAN)["id"])
        pages = [
            store.save_file(png, hashlib.sha256(png).hexdigest(), PAGE_SUFFIX)
            for png in page_pngs(tmp_path)
        ]
        enqueue(store)
        with store.transaction():
            prefills.record_done(
                store,
                pk,
                prefill=READ,
                engine=READ["engine"],
                pages=len(pages),
                page_files=pages,
                now=iso(utcnow()),
                seconds=2.0,
            )
    return pk


def field_row(html: str, key: str) -> str:
    start = html.index(f'<label for="f-{key}">')
    return html[start : html.index("</div>", start)]


def test_the_page_beside_the_prefilled_fields(coordinator, read_scan):
    html = coordinator.get(f"/zgloszenie/{SCAN}/popraw").text
    assert f'src="/zgloszenie/{SCAN}/skan/1.png"' in html
    assert f'src="/zgloszenie/{SCAN}/skan/2.png"' in html
    assert 'alt="Strona 1 z 2 skanu formularza"' in html
    assert 'href="/popraw-skan.css"' in html
    name = field_row(html, "full_name")
    assert 'value="Piotr Nowak"' in name and "odczytane ze skanu – sprawdź" in name
    assert "niepewny odczyt" not in name
    email = field_row(html, "email")
    assert "niepewny odczyt" in email and "pewność 35%" in email  # said in words, not colour
    assert 'aria-describedby="o-email"' in email
    assert "odczytane ze skanu" not in field_row(html, "phone")  # nothing read there
    assert 'value="2, 5"' in field_row(html, "groups")
    # each box drawn on its own page, hidden until its field is chosen
    assert re.search(r"<rect class=\"box box-full_name\" x=\"0.306\" y=\"0.216\"", html)
    first, second = html.split('id="strona-2"')
    assert "box-groups" in second and "box-groups" not in first
    assert 'id="zatwierdz"' in html and "Zatwierdź odczyt" in html
    css = coordinator.get("/popraw-skan.css")
    assert css.mimetype == "text/css"
    assert ".confirm:has(#f-email:focus) .box-email { visibility: visible; }" in css.text


def test_the_page_image_is_private(coordinator, anon, read_scan):
    response = coordinator.get(f"/zgloszenie/{SCAN}/skan/1.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data.startswith(b"\x89PNG") and "no-store" in response.headers["Cache-Control"]
    assert coordinator.get(f"/zgloszenie/{SCAN}/skan/3.png").status_code == 404
    assert anon.get(f"/zgloszenie/{SCAN}/skan/1.png").status_code == 302  # to the login
    assert anon.get("/popraw-skan.css").status_code == 302


def test_refused_values_are_said_next_to_the_field_and_nothing_is_saved(
    coordinator, config, read_scan
):
    coordinator.get(f"/zgloszenie/{SCAN}/popraw")
    response = coordinator.post(
        f"/zgloszenie/{SCAN}/popraw",
        {"full_name": "Piotr Nowak", "email": "p.nowak@@boleslawiec.pl", "groups": "2 i 9"},
    )
    assert response.status_code == 400
    html = response.text
    email = field_row(html, "email")
    assert 'aria-invalid="true"' in email and "e-mail wygląda na niepoprawny" in email
    assert 'value="p.nowak@@boleslawiec.pl"' in email  # what she typed stays to be fixed
    assert "spoza naboru (nr 9)" in field_row(html, "groups")
    assert "popraw zaznaczone pola" in html
    with open_store(config) as store:
        assert review.corrections(store, read_scan) == []


def test_confirming_records_corrections_and_leads_to_the_decision(coordinator, config, read_scan):
    coordinator.get(f"/zgloszenie/{SCAN}/popraw")
    response = coordinator.post(
        f"/zgloszenie/{SCAN}/popraw",
        {
            "full_name": "Piotr Nowak",
            "organisation": "Gmina Miejska Bolesławiec",
            "email": "p.nowak@boleslawiec.example.pl",
            "phone": "",
            "groups": "2 oraz 5",
            "accepts_rules": "tak",
            "consents_gdpr": "nie",
        },
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/zgloszenie/{SCAN}/zdecyduj")
    page = coordinator.get(response.headers["Location"]).text
    assert "Zatwierdzono odczyt skanu; zapisano poprawki: 5." in page
    with open_store(config) as store:
        fixes = {c.field: (c.old, c.new, c.by) for c in review.corrections(store, read_scan)}
        row = review.application_row(store, SCAN)
    assert fixes["groups"] == ([], [2, 5], "koordynatorka")
    assert fixes["email"] == (None, "p.nowak@boleslawiec.example.pl", "koordynatorka")
    assert row["status"] == "needs_review"
    # afterwards the page shows the corrected values, no longer the reading's
    html = coordinator.get(f"/zgloszenie/{SCAN}/popraw").text
    assert 'value="2, 5"' in field_row(html, "groups")


def test_reading_in_progress_and_failed(coordinator, config):
    with open_store(config) as store:
        pk = int(review.application_row(store, SCAN)["id"])
        with store.transaction():
            store.db.execute("DELETE FROM prefills")
    html = coordinator.get(f"/zgloszenie/{SCAN}/popraw").text
    assert "Odczyt w toku" in html and 'id="zapisz"' in html and "<img" not in html
    assert "odczyt w toku" in coordinator.get(f"/zgloszenie/{SCAN}").text
    with open_store(config) as store:
        enqueue(store)
        with store.transaction():
            prefills.record_failed(
                store,
                pk,
                reason="time_limit",
                detail="time limit of 120 s",
                now=iso(utcnow()),
                seconds=120.5,
            )
    html = coordinator.get(f"/zgloszenie/{SCAN}/popraw").text
    assert "Nie udało się odczytać skanu automatycznie" in html
    assert "limit czasu" in html and "time_limit" not in html
    assert "skan_20240521.pdf" in html  # the file to read it from
