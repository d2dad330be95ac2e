"""parsers/flow.py: a flow document's paragraphs and table rows assembled into the form's
values — the value beside a label, after its colon, or below it up to the next printed text."""

from __future__ import annotations

from parsers import DEFAULT_FORM
from parsers.flow import FormResult, Para, Row, assemble, block_texts, choose_groups
from parsers.text import matcher_for

MATCHER = matcher_for(DEFAULT_FORM)


def row(label: str, value: str, n: int) -> Row:
    return Row([[Para(label, f"t1r{n}c1")], [Para(value, f"t1r{n}c2")]], f"t1r{n}")


def test_the_value_beside_a_label_in_a_table_row_and_where_it_was():
    result = assemble(
        [
            row("Imię i nazwisko", "Anna Kowalska", 1),
            row("Nazwa reprezentowanego podmiotu / instytucji", "CIS Oława", 2),
            row("Adres e-mail", "a.kowalska@example.pl", 3),
        ],
        MATCHER,
    )
    assert result.values["full_name"] == ["Anna Kowalska"]
    assert result.values["organisation"] == ["CIS Oława"]
    assert {"full_name", "organisation", "email"} <= result.labels
    fields, sources = result.finish(MATCHER)
    assert fields["email"] == "a.kowalska@example.pl"
    assert sources["full_name"].startswith("t1r1")


def test_a_value_after_the_labels_colon_and_a_value_in_the_paragraphs_below():
    result = assemble(
        [
            Para("Imię i nazwisko: Jan Nowak", "p1"),
            Para("Adres do korespondencji", "p2"),
            Para("ul. Wrocławska 12", "p3"),
            Para("55-200 Oława", "p4"),
            Para("Adres e-mail", "p5"),
            Para("mailto:jan@example.pl", "p6"),
        ],
        MATCHER,
    )
    fields, _sources = result.finish(MATCHER)
    assert fields["full_name"] == "Jan Nowak"
    assert fields["address"] == "ul. Wrocławska 12\n55-200 Oława"  # multiline, up to the label
    assert fields["email"] == "jan@example.pl"  # "mailto:" is the link, not the address


def test_the_first_value_found_for_a_key_stays():
    result = FormResult()
    assert result.add_value("full_name", ["Anna"], "p1")
    assert not result.add_value("full_name", ["Ewa"], "p9")
    assert not result.add_value("phone", ["  "], "p2")  # nothing written is no value
    assert result.values == {"full_name": ["Anna"]} and result.sources == {"full_name": "p1"}


def test_ticked_groups_else_the_number_written_else_the_lines_left():
    numbers = [1, 2, 3, 4, 5]
    assert choose_groups({1: False, 3: True, 4: True}, numbers, declared=[2]) == [3, 4]
    assert choose_groups({n: False for n in numbers}, numbers, declared=[2]) == [2]
    assert choose_groups({}, numbers, declared=[5]) == [5]
    assert choose_groups({}, numbers, declared=[9]) == []  # not a group of the call
    assert choose_groups({2: None, 4: None}, numbers) == [2, 4]  # the other lines deleted
    assert choose_groups({n: False for n in numbers}, numbers) == []


def test_every_text_in_reading_order_cell_by_cell():
    blocks = [Para("Tytuł", "p1"), row("Imię i nazwisko", "Anna", 1), Para("Koniec", "p2")]
    assert block_texts(blocks) == ["Tytuł", "Imię i nazwisko", "Anna", "Koniec"]
