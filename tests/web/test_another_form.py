"""The workspace of a call whose form is not the DKRES one (Flask test client): Pulpit,
Zgłoszenia, an application's page, Lista do uchwały and its downloads speak of the card's own
fields and choice — no DKRES column, no empty name, no key on the page."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest

from mailbot.ops.users import add_user
from mailbot.storage.store import Store
from mailbot.web import create_app
from mailbot.web.security import LoginThrottle
from tests.callcard import add_application, card_config, person

from .conftest import PASSWORD, Browser

DKRES = re.compile(r"Grup[ay]|Podmiot|Komitet|Stanowisko|full_name|organisation")
KEYS = ("imie_nazwisko", "rok_urodzenia", "komisja", "oswiadczenie_mieszkaniec")


@pytest.fixture
def card(tmp_path):
    config = card_config(tmp_path)
    with Store(config.storage.database, config.storage.files) as store:
        add_user(store, "koordynatorka", PASSWORD, "coordinator")
        add_application(store, 1, person("Zofia Wiśniewska", "1951", [3]))
        add_application(store, 2, person("Adam Żak", "1948", [1, 3]))
        add_application(
            store,
            3,
            person("Łucja Nowak", "1950", [2], oswiadczenie_mieszkaniec=False),
            status="incomplete",
            problems=["missing_oswiadczenie_mieszkaniec"],
        )
    app = create_app(config, secret="test-secret-" + "x" * 20, throttle=LoginThrottle())
    browser = Browser(app.test_client())
    assert browser.login("koordynatorka", PASSWORD).status_code == 302
    return browser


def visible(html: str) -> str:
    """The page's text as she reads it (no tags, no attribute values)."""
    return re.sub(r"<[^>]+>", " ", html)


def test_every_page_speaks_of_the_cards_fields(card):
    for url in ("/", "/zgloszenia", "/zgloszenia?sort=name", "/lista", "/zgloszenie/RS-0003"):
        response = card.get(url)
        assert response.status_code == 200, url
        text = visible(response.text)
        assert not DKRES.search(text), (url, DKRES.search(text))
        assert not [k for k in KEYS if k in text], url
    pulpit = visible(card.get("/").text)
    assert "Obszary działania rady" in pulpit and "Obszar: działanie [rady]" in pulpit
    listed = visible(card.get("/zgloszenia?sort=name").text)
    # sorted by the card's name field (received: Zofia, then Adam); its choice and name columns
    assert listed.index("Adam Żak") < listed.index("Zofia Wiśniewska")
    received = visible(card.get("/zgloszenia").text)
    assert received.index("Zofia Wiśniewska") < received.index("Adam Żak")
    assert "Obszary działania rady" in listed and "Imię i nazwisko" in listed
    page = visible(card.get("/zgloszenie/RS-0003").text)
    assert "nie zaznaczono pola „Oświadczenie o zamieszkaniu w mieście”" in page
    assert "Rok urodzenia" in page and "1950" in page
    lista = visible(card.get("/lista?grupa=3").text)
    assert "Obszar: działanie [rady] nr 3 – Obszar: transport [miejski]" in lista
    assert "Zofia Wiśniewska" in lista and "Adam Żak" in lista and "1951" in lista
    assert "Osiedle – dzielnica" in lista


def test_the_downloads_list_the_cards_applicants(card):
    book = openpyxl.load_workbook(io.BytesIO(card.get("/lista/sklad-grup.xlsx").data))
    sheet = book["Obszar działanie rady nr 3"]
    assert [c.value for c in sheet[2]] == [
        "Lp.",
        "Imię i nazwisko",
        "Rok urodzenia",
        "Osiedle – dzielnica",
    ]
    assert [sheet.cell(row=r, column=2).value for r in (3, 4)] == ["Zofia Wiśniewska", "Adam Żak"]
    text = card.get("/lista/sklad-grup.csv?grupa=1").data.decode("utf-8")
    assert text.startswith("\ufeffObszar: działanie [rady];Lp.;Imię i nazwisko;")
    assert "1. Zdrowie;1;Adam Żak;1948" in text
    response = card.get("/lista/sklad-grup.docx")
    assert response.status_code == 200
    assert 'filename="lista-do-uchwaly.docx"' in response.headers["Content-Disposition"]
