"""mailbot/web/zgloszenia_xlsx.py: the Zgłoszenia list downloaded as XLSX — behind the login,
never cached, one row per application of the list, every cell data."""

from __future__ import annotations

import io

import openpyxl
from web.workspace_data import open_store

URL = "/zgloszenia/zgloszenia.xlsx"


def test_behind_the_login(anon) -> None:
    response = anon.get(URL)
    assert response.status_code == 302
    assert "/logowanie" in response.headers["Location"]


def test_a_private_download_of_the_whole_list(coordinator, viewer, config) -> None:
    response = coordinator.get(URL + "?zastapione=1")
    assert response.status_code == 200
    assert response.mimetype == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response.headers["Content-Disposition"] == 'attachment; filename="zgloszenia.xlsx"'
    assert "no-store" in response.headers["Cache-Control"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.data))["Zgłoszenia"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    with open_store(config) as store:
        references = {r[0] for r in store.db.execute("SELECT reference FROM applications")}
    assert rows[0][0] == "Numer zgłoszenia"
    assert {r[0] for r in rows[1:]} == references
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert viewer.get(URL).status_code == 200  # reading the list is a viewer's right too
