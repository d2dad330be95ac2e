"""The list for the resolution of a call whose form is not the DKRES one: columns, titles,
sheets and words from the form spec and ``[call.resolution]``; counts that agree with the
lists; an XLSX that prints; every cell through the sanitiser."""

from __future__ import annotations

import csv
import io
import math
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from callcard import add_application, card_config, person

from mailbot.ops.resolution import (
    LINE_HEIGHT,
    group_sizes,
    resolution_csv,
    resolution_docx,
    resolution_lists,
    resolution_xlsx,
    sheet_names,
)
from mailbot.storage.store import Store

LONG_DISTRICT = "Osiedle Przy Starym Młynie – część północna, za torami kolejowymi, blok 7"


@pytest.fixture
def filled(tmp_path: Path):
    config = card_config(tmp_path)
    store = Store(config.storage.database, config.storage.files)
    add_application(store, 1, person("Zofia Wiśniewska", "1951", [3]))
    add_application(store, 2, person("Adam Żak", "1948", [1, 3], osiedle=LONG_DISTRICT))
    add_application(store, 3, person("Łucja Nowak", "1950", [2]), status="incomplete")
    # a person moved her from area 2 to area 1 and wrote her year right
    add_application(
        store,
        4,
        person("Ewa Ącka", "50", [2]),
        corrected={"komisja": [1], "rok_urodzenia": "1950"},
    )
    add_application(store, 5, person("Stary Wpis", "1940", [1]), superseded=1)
    # a value a spreadsheet would take for a formula
    add_application(store, 6, person('=HYPERLINK("http://x")', "1944", [2]))
    yield config, store
    store.close()


def test_the_lists_follow_the_cards_spec(filled):
    config, store = filled
    lists = resolution_lists(store, config.call)
    assert [gl.number for gl in lists] == [1, 2, 3, None]
    by_number = {gl.number: gl for gl in lists}
    # the name field first, in Polish order (Ą after A, Ż last); corrections laid over
    assert [m.name for m in by_number[1].members] == ["Ewa Ącka", "Adam Żak"]
    assert by_number[1].members[0].values == ("Ewa Ącka", "1950", "Centrum")
    assert [m.name for m in by_number[3].members] == ["Zofia Wiśniewska", "Adam Żak"]
    assert [m.reference for m in by_number[None].members] == [
        "RS-0006",
        "RS-0004",
        "RS-0001",
        "RS-0002",
    ]
    # counts agree with the lists
    assert group_sizes(store, [1, 2, 3]) == {n: len(by_number[n].members) for n in (1, 2, 3)}
    # titles: the choice's label and the call's name; the label's own [] and : kept in titles
    assert by_number[1].title == "Obszar: działanie [rady] nr 1 – Zdrowie"
    assert by_number[None].title == "Wszystkie przyjęte zgłoszenia"
    # one position only
    (only,) = resolution_lists(store, config.call, 3)
    assert only.number == 3 and len(only.members) == 2


def test_sheet_names_fit_excel(tmp_path: Path):
    config = card_config(tmp_path)
    names = sheet_names(config.call)
    # no [ ] : * ? / \, at most 31 characters, the number kept whole
    assert names == {
        1: "Obszar działanie rady nr 1",
        2: "Obszar działanie rady nr 2",
        3: "Obszar działanie rady nr 3",
        None: "Wszyscy",
    }
    long_label = card_config(tmp_path).call
    spec = long_label.form
    choice = spec.groups_field
    assert choice is not None
    import dataclasses

    longer = dataclasses.replace(
        choice, label="Komisja problemowa do spraw bardzo długiej nazwy/obszaru"
    )
    fields = tuple(longer if f is choice else f for f in spec.fields)
    call = dataclasses.replace(long_label, form=dataclasses.replace(spec, fields=fields))
    names = sheet_names(call)
    assert all(len(n) <= 31 for n in names.values())
    assert names[3].endswith(" nr 3") and "/" not in names[3]
    assert len({n.casefold() for n in names.values()}) == 4


def test_the_xlsx_prints_and_stays_data(filled):
    config, store = filled
    data = resolution_xlsx(resolution_lists(store, config.call), config.call)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name)  # no formula anywhere
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert book.sheetnames == [
        "Obszar działanie rady nr 1",
        "Obszar działanie rady nr 2",
        "Obszar działanie rady nr 3",
        "Wszyscy",
    ]
    sheet = book["Obszar działanie rady nr 3"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][0] == "Obszar: działanie [rady] nr 3 – Obszar: transport [miejski]"
    assert rows[1] == ["Lp.", "Imię i nazwisko", "Rok urodzenia", "Osiedle – dzielnica"]
    assert rows[2] == [1, "Zofia Wiśniewska", "1951", "Centrum"]
    assert rows[3] == [2, "Adam Żak", "1948", LONG_DISTRICT]
    # the title over the table's width; a wrapped row as high as its lines
    assert "A1:D1" in {str(r) for r in sheet.merged_cells.ranges}
    width = sheet.column_dimensions["D"].width
    lines = math.ceil(len(LONG_DISTRICT) / (width - 1.5 - 0.71))  # openpyxl adds padding
    assert sheet.row_dimensions[4].height >= LINE_HEIGHT * max(lines, 2)
    assert sheet.row_dimensions[3].height == LINE_HEIGHT
    # printing: the print area, the header row on every page, landscape A4 one page wide
    assert sheet.print_area == "'Obszar działanie rady nr 3'!$A$1:$D$4"
    assert sheet.print_title_rows == "$2:$2"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 9
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToHeight == 0
    assert "&P" in sheet.oddFooter.center.text
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:D4"
    # everyone, with the positions each chose under the choice's plural
    everyone = [[c.value for c in row] for row in book["Wszyscy"].iter_rows()]
    assert everyone[1][-1] == "Obszary działania rady"
    formula = next(r for r in everyone if isinstance(r[1], str) and "HYPERLINK" in r[1])
    assert formula[1] == '\'=HYPERLINK("http://x")'


def test_the_docx_says_the_calls_own_words(tmp_path: Path):
    config = card_config(
        tmp_path,
        '\n[call.resolution]\ntitle = "Załącznik nr 2 do zarządzenia Prezydenta"\n'
        'heading = "Skład Rady Seniorów"\neveryone = "Wszyscy kandydaci"\n'
        'fields = ["imie_nazwisko", "osiedle", "adres_email"]\n',
    )
    with Store(config.storage.database, config.storage.files) as store:
        add_application(store, 1, person("Zofia Wiśniewska", "1951", [3]))
        add_application(store, 2, person("Adam Żak", "1948", [1, 3], adres_email="a@z.pl"))
        lists = resolution_lists(store, config.call)
        document = docx.Document(io.BytesIO(resolution_docx(lists, config.call)))
        text = resolution_csv(lists, config.call)
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[:3] == [
        "Załącznik nr 2 do zarządzenia Prezydenta",
        "Skład Rady Seniorów",
        config.call.name,
    ]
    assert "Obszar: działanie [rady] nr 1 – Zdrowie" in paragraphs
    assert "Wszyscy kandydaci" in paragraphs
    # area 2 has nobody: said once, under its title; the others list their people
    assert paragraphs.count("(brak przyjętych zgłoszeń)") == 1
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert tables[0] == [
        ["Lp.", "Imię i nazwisko", "Osiedle – dzielnica", "Adres e-mail"],
        ["1", "Adam Żak", "Centrum", "a@z.pl"],
    ]
    # everyone in Polish order of the surname (Wiśniewska before Żak), with the positions chosen
    assert tables[-1][0][-1] == "Obszary działania rady"
    assert [(r[1], r[-1]) for r in tables[-1][1:]] == [
        ("Zofia Wiśniewska", "3"),
        ("Adam Żak", "1, 3"),
    ]
    assert all("tblHeader" in t.rows[0]._tr.xml for t in document.tables)
    # the CSV for Polish Excel: the position first, under the choice's label
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Obszar: działanie [rady]",
        "Lp.",
        "Imię i nazwisko",
        "Osiedle – dzielnica",
        "Adres e-mail",
    ]
    assert rows[1] == ["1. Zdrowie", "1", "Adam Żak", "Centrum", "a@z.pl"]


def test_a_name_that_begins_with_the_label_is_not_said_twice(tmp_path: Path):
    config = card_config(tmp_path)
    from mailbot import form_roles

    spec = config.form
    assert (
        form_roles.titled(spec, 2, "Obszar: działanie [rady] ds. kultury")
        == "Obszar: działanie [rady] ds. kultury (nr 2)"
    )
    assert form_roles.titled(spec, 2, "Kultura") == "Obszar: działanie [rady] nr 2 – Kultura"
    # the name gives the number too: as it is
    named = "Obszar: działanie [rady] nr 2 ds. kultury"
    assert form_roles.titled(spec, 2, named) == named
