"""The reader survives ordinary form typography (another call's card: tests/parsers/seniorform.py).

- a line printed as a label or heading wins over every split: a label holding " – " is not
  "label – value", a free-text heading with a dash is not the label of its own first words;
- a heading listed in ``headings`` is never a tick ("V. Oświadczenia", "X. Załączniki");
- labels may hold dashes, brackets and colons; the value typed after a label in its own cell
  starts after the label's closing bracket (``") jerzy@onet.pl"`` gives ``jerzy@onet.pl``);
- a label wrapped inside its table cell in a printed PDF is one label, its second line never a
  value, also when the value beside it was merged into its first line.

Each rule on the card as python-docx writes it, as LibreOffice prints it to PDF, and on PDF
lines placed by hand (formbuilder.write_pdf).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import formbuilder as fb
import pytest
import seniorform as sf

import parsers
from parsers.text import matcher_for

SPEC = sf.SPEC
EMPTY = SPEC.empty_fields()


def read(data: bytes) -> dict[str, Any]:
    got = parsers.extract(data, SPEC)
    assert got.readable, (got.reason, got.detail)
    return dict(got.fields)


def read_as_filled(data: bytes, values: dict[str, Any]) -> None:
    got = read(data)
    wrong = {
        k: (values.get(k), got[k])
        for k in SPEC.keys
        if " ".join(str(got[k]).split()) != " ".join(str(values.get(k, EMPTY[k])).split())
    }
    assert not wrong, wrong


# --- the matcher, line by line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "kind", "key", "rest"),
    [
        # printed labels and headings holding dashes, brackets and colons: the whole line
        ("Osiedle – dzielnica:", "label", "osiedle", ""),
        ("Osiedle – dzielnica", "label", "osiedle", ""),
        ("I. Dane kandydata – osoby starszej", "heading", "", ""),
        (
            "III. Uzasadnienie – doświadczenie w pracy społecznej (maks. 1000 znaków)",
            "label",
            "uzasadnienie",
            "",
        ),
        ("IV. Organizacja rekomendująca [jeśli dotyczy]", "heading", "", ""),
        ("II. Obszar działania Rady [proszę zaznaczyć jedno pole]:", "groups", "obszar", ""),
        # a section numbered V. or X. is a heading, not a box ticked with V or X
        ("V. Oświadczenia", "heading", "", ""),
        ("X. Załączniki", "heading", "", ""),
        ("v. oświadczenia", "heading", "", ""),
        # a value typed after the printed label, which holds a dash or a colon itself
        ("Osiedle – dzielnica: Stare Miasto", "label", "osiedle", "Stare Miasto"),
        ("Osiedle – dzielnica – Stare Miasto", "label", "osiedle", "Stare Miasto"),
        ("Osiedle – Stare Miasto", "label", "osiedle", "Stare Miasto"),
        (
            "Nazwa organizacji rekomendującej: Klub – Seniora",
            "label",
            "rekomendacja",
            "Klub – Seniora",
        ),
        # the value after the label's own closing bracket
        ("Adres e-mail (o ile posiada) jerzy@onet.pl", "label", "email", "jerzy@onet.pl"),
        ("Adres e-mail (o ile posiada): jerzy@onet.pl", "label", "email", "jerzy@onet.pl"),
        ("Rok urodzenia (rrrr) 1951", "label", "rok", "1951"),
    ],
)
def test_a_printed_line_wins_over_every_split(line: str, kind: str, key: str, rest: str) -> None:
    got = matcher_for(SPEC).classify(line)
    assert got is not None, line
    assert (got.kind, got.key, got.rest) == (kind, key, rest)


def test_boxes_ticked_with_v_or_x_are_still_ticks() -> None:
    m = matcher_for(SPEC)
    for mark in ("V", "X", "x", "☒"):
        got = m.classify(f"{mark} Oświadczam, że mieszkam na terenie Gminy Zielony Gród.")
        assert got is not None and (got.kind, got.key, got.tick) == (
            "checkbox",
            "zamieszkanie",
            True,
        )
    got = m.classify("X 4. Bezpieczeństwo seniorów")
    assert got is not None and (got.kind, got.key, got.tick) == ("option", "4", True)


def test_the_beginning_of_a_wrapped_heading_is_not_split_at_its_dash() -> None:
    got = matcher_for(SPEC).classify("III. Uzasadnienie – doświadczenie w pracy", partial=True)
    assert got is not None and (got.kind, got.key, got.rest, got.partial) == (
        "label",
        "uzasadnienie",
        "",
        True,
    )


def test_a_heading_left_out_of_headings_is_read_as_a_tick() -> None:
    """Why a section title must be listed: unlisted, "V." in front of it is a ticked box."""
    bare = parsers.FormSpec.from_toml(sf.SPEC_TOML.replace('    "V. Oświadczenia",\n', ""))
    got = matcher_for(bare).classify("V. Oświadczenia")
    assert got is None or got.kind != "heading"


# --- the card as Word writes it -----------------------------------------------------------


def test_the_blank_card_reads_nothing() -> None:
    assert read(sf.build_docx()) == EMPTY


def test_the_filled_card_reads_as_filled() -> None:
    read_as_filled(sf.build_docx(sf.FILLED), sf.FILLED)
    read_as_filled(sf.build_docx(sf.FILLED, tick="X"), sf.FILLED)


def test_values_typed_after_the_label_in_its_cell() -> None:
    read_as_filled(sf.build_docx(sf.FILLED, inline=("email", "rok", "osiedle")), sf.FILLED)


def test_a_label_in_two_paragraphs_of_its_cell_is_one_label() -> None:
    """ "Telefon kontaktowy" / "(własny, członka rodziny lub opiekuna prawnego):": the second
    paragraph goes on with the label and is no part of the value; typed after its colon, the
    value is read."""
    assert read(sf.build_docx(broken_labels=True)) == EMPTY
    read_as_filled(sf.build_docx(sf.FILLED, broken_labels=True), sf.FILLED)
    read_as_filled(sf.build_docx(sf.FILLED, broken_labels=True, inline=("rok", "email")), sf.FILLED)


def test_a_section_numbered_v_ends_the_value_above_it() -> None:
    values = dict(sf.FILLED, rekomendacja="Klub Seniora „Pogodna Jesień”", data="Zielony Gród")
    got = read(sf.build_docx(values))
    assert got["rekomendacja"] == "Klub Seniora „Pogodna Jesień”"
    assert got["data"] == "Zielony Gród"  # "X. Załączniki" below it is no part of it


# --- PDF lines placed by hand -------------------------------------------------------------


def _page(*lines: tuple[float, float, str]) -> bytes:
    head = [
        (90, 740, "KARTA ZGŁOSZENIA KANDYDATA DO GMINNEJ RADY SENIORÓW W ZIELONYM GRODZIE"),
        (90, 720, "I. Dane kandydata – osoby starszej"),
    ]
    tail = [
        (90, 330, sf.CHOICE_HEADING),
        *((90, 310 - 14 * i, f"☐ {i + 1}. {name}") for i, name in enumerate(sf.OPTIONS)),
        (90, 240, "V. Oświadczenia"),
        (90, 226, "☒ " + sf.STATEMENTS[0][1]),
        (90, 212, "☒ " + sf.STATEMENTS[1][1]),
    ]
    return fb.write_pdf([[(x, y, 10, text) for x, y, text in (*head, *lines, *tail)]])


def test_a_wrapped_label_with_its_value_merged_into_its_first_line() -> None:
    """The value cell's text starts where the label's first line would end by the estimate of
    its width: the two are one fragment; the label's second line must still join the label."""
    data = _page(
        (90, 650, "Telefon kontaktowy (własny, członka rodziny "),
        (300, 650, "604 118 227"),
        (90, 638, "lub opiekuna prawnego):"),
        (90, 620, "Adres e-mail (o ile posiada)"),
        (300, 620, "jerzy@onet.pl"),
    )
    got = read(data)
    assert got["telefon"] == "604 118 227"
    assert got["email"] == "jerzy@onet.pl"


def test_a_label_centred_in_its_cell_wraps_into_one_label() -> None:
    """Centred, the label's lines start at different places: the second is still its own."""
    data = _page(
        (150, 650, "Telefon kontaktowy (własny,"),
        (330, 650, "604 118 227"),
        (104, 638, "członka rodziny lub opiekuna prawnego):"),
        (142, 620, "Rok urodzenia (rrrr):"),
        (330, 620, "1951"),
    )
    got = read(data)
    assert (got["telefon"], got["rok"]) == ("604 118 227", "1951")


def test_an_email_typed_after_the_labels_bracket_in_a_pdf() -> None:
    got = read(_page((90, 650, "Adres e-mail (o ile posiada) jerzy@onet.pl")))
    assert got["email"] == "jerzy@onet.pl"


def test_a_free_text_heading_with_a_dash_wrapped_over_two_lines() -> None:
    data = _page(
        (90, 650, "III. Uzasadnienie – doświadczenie w pracy"),
        (90, 638, "społecznej (maks. 1000 znaków)"),
        (90, 620, "Prowadzę klub seniora – od 2010 r."),
        (90, 600, "IV. Organizacja rekomendująca [jeśli dotyczy]"),
        (90, 580, "Nazwa organizacji rekomendującej:"),
    )
    got = read(data)
    assert got["uzasadnienie"] == "Prowadzę klub seniora – od 2010 r."
    assert got["rekomendacja"] is None  # "V. Oświadczenia" below its label is no value


# --- the card printed to PDF by LibreOffice -------------------------------------------------

needs_soffice = pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
PRINTED = {
    "blank": (None, "☒", ()),
    "filled": (sf.FILLED, "☒", ()),
    "x": (sf.FILLED, "X", ()),
    "inline": (sf.FILLED, "☒", ("email", "rok")),
}


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("senior-card")
    paths = []
    for name, (values, tick, inline) in PRINTED.items():
        path = folder / f"{name}.docx"
        path.write_bytes(sf.build_docx(values, tick=tick, inline=inline))
        paths.append(path)
    pdfs = sf.print_pdf(paths, folder / "pdf")
    return {Path(p).stem: p.read_bytes() for p in pdfs}


@needs_soffice
def test_printed_blank_card_reads_nothing(printed: dict[str, bytes]) -> None:
    assert read(printed["blank"]) == EMPTY


@needs_soffice
@pytest.mark.parametrize("name", ["filled", "x", "inline"])
def test_printed_card_reads_as_filled(printed: dict[str, bytes], name: str) -> None:
    read_as_filled(printed[name], sf.FILLED)
