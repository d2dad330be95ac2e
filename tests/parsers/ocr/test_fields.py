"""Corrections of the Polish model's typical misreadings, by the field's kind, never
inventing a character."""

from __future__ import annotations

import pytest

from parsers.ocr.fields import fix_email, fix_phone, join_lines, lines_text, value_of
from parsers.ocr.words import OWord
from parsers.spec import DEFAULT_FORM


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("a.kowalska@cis-olawa.example.pl", "a.kowalska@cis-olawa.example.pl"),
        ("a.kowalska©cis-olawa.example.pl", "a.kowalska@cis-olawa.example.pl"),
        ("a.kowałskaQcis-oława.example.pł", "a.kowalska@cis-olawa.example.pl"),
        ("a.kowalskaqcis-olawa.example.pl", "a.kowalska@cis-olawa.example.pl"),
        ("joanna.szymanskaQ@walbrzych.example.pl", "joanna.szymanska@walbrzych.example.pl"),
        (
            "tomasz.lewandowskiEwtz-swidnica.example.pl",
            "tomasz.lewandowski@wtz-swidnica.example.pl",
        ),
        ("barbara.nowak©razem- legnica.example.pl.", "barbara.nowak@razem-legnica.example.pl"),
        ("biuro@fes.example.pl;", "biuro@fes.example.pl"),
        ("9.gasiorowski83@interia.pl", "g.gasiorowski83@interia.pl"),
        ("1.grabowski@ops.pl", "l.grabowski@ops.pl"),
        ("jan.kowalski9@ops.pl", "jan.kowalski9@ops.pl"),
        ("biuro.2024@ops.pl", "biuro.2024@ops.pl"),
    ],
)
def test_email(read: str, want: str) -> None:
    assert fix_email(read)[0] == want


def test_email_q_in_the_name_stays() -> None:
    """A "q" that is a letter of the address is not taken for "@" when there is one."""
    assert fix_email("qwerty@example.pl")[0] == "qwerty@example.pl"


def test_email_changed_flag() -> None:
    assert fix_email("a@b.pl") == ("a@b.pl", False)
    assert fix_email("a©b.pl")[1] is True


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("jan@cis--klodzko.pl", "jan@cis-klodzko.pl"),
        ("jan@ops:klodzko.pl", "jan@ops.klodzko.pl"),
        ("mailto:jan@cis-klodzko.pl", "jan@cis-klodzko.pl"),
    ],
)
def test_every_repair_of_an_address_counts_as_a_change(read: str, want: str) -> None:
    """A hyphen read twice, a dot read as ":", a "mailto:" mended: the value was corrected,
    and its confidence is lowered for it."""
    assert fix_email(read) == (want, True)
    email = next(f for f in DEFAULT_FORM.fields if f.kind == "email")
    mended = value_of(email, [OWord(read, 90.0, 0, 0, 400, 30, 0, 0)])
    clean = value_of(email, [OWord(want, 90.0, 0, 0, 400, 30, 0, 0)])
    assert mended[0] == clean[0] and mended[1] < clean[1]


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("601 234 567", "601 234 567"),
        ("6O1 234 567", "601 234 567"),
        ("+48 6Ol 2l4 567", "+48 601 214 567"),
        ("kom. 601 234 567", "kom. 601 234 567"),
        ("71 344 55 66 wew. 12", "71 344 55 66 wew. 12"),
        ("601-234-567.", "601-234-567"),
    ],
)
def test_phone(read: str, want: str) -> None:
    assert fix_phone(read)[0] == want


def _w(text: str, left: int) -> OWord:
    return OWord(text, 90.0, left, 0, left + 20 * len(text), 30, 0, 0)


def test_an_opening_quote_the_line_closes_is_kept() -> None:
    words = [_w("„Ścieżka”.", 0), _w("Współpracuję", 220)]
    assert lines_text(words) == ["„Ścieżka”. Współpracuję"]
    assert lines_text([_w(",", 0), _w("Wrocław", 40)]) == ["Wrocław"]  # a speck
    assert lines_text([_w("„Wrocław", 0)]) == ["Wrocław"]  # nothing closes it
    # a speck read as a quote before a line whose quotes are paired
    assert lines_text([_w("„Klub", 0), _w("„Ścieżka”", 120)]) == ["Klub „Ścieżka”"]


def test_a_line_of_specks_alone_is_left_out_with_a_picture_to_look_at() -> None:
    speck = OWord(".", 5.0, 0, 100, 6, 106, 0, 7)  # a line of its own
    words = [_w("Świdnica", 0), speck]
    # a join that looks at the picture of the row's page (row[0].page)
    assert lines_text(
        words, lambda row: [w.text for w in row[0:1] + row[1:]] if row[0] else []
    ) == ["Świdnica"]


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("jan@cis-0lawa.example.pl", "jan@cis-olawa.example.pl"),
        ("jan@fundacja-razem.c0m", "jan@fundacja-razem.com"),
        ("jan@interia1.pl", "jan@interia1.pl"),
        ("biuro@ops2024.pl", "biuro@ops2024.pl"),
        ("biuro@100lat.pl", "biuro@100lat.pl"),
        # a hyphen read twice
        ("jadwigad.1976@cis--klodzko.com.pl", "jadwigad.1976@cis-klodzko.com.pl"),
        ("cwiklinska--grazyna@fundacja-most.org.pl", "cwiklinska-grazyna@fundacja-most.org.pl"),
        ("biuro@xn--d-0ta.pl", "biuro@xn--d-0ta.pl"),
        # digits a domain's name has: "1" between letters, two digits in a part
        ("biuro@sp1olawa.pl", "biuro@sp1olawa.pl"),
        ("biuro@sp10lawa.edu.pl", "biuro@sp10lawa.edu.pl"),
        ("biuro@zs1-0lawa.pl", "biuro@zs1-olawa.pl"),
        # a leading zero starts no number: a part's "0" before digits is an "o"
        ("anna.nowak@02.pl", "anna.nowak@o2.pl"),
        ("kontakt@0123.pl", "kontakt@o123.pl"),
        # the "@"'s tail read as a "q" after it
        ("urszula.nowak@qops.olawa.pl", "urszula.nowak@ops.olawa.pl"),
    ],
)
def test_a_digit_read_for_a_letter_in_the_domain(read: str, want: str) -> None:
    assert fix_email(read)[0] == want


def test_two_lines_set_close_are_not_mixed_word_by_word() -> None:
    """A paragraph's lines set close (or sloping) overlap in height; they lie one over the
    other, so they stay two lines — lines side by side (a label and its value) are one row."""

    def line(texts: list[str], top: int, n: int, start: int = 0) -> list[OWord]:
        return [
            OWord(t, 90.0, start + 120 * i, top, start + 120 * i + 100, top + 30, 0, n)
            for i, t in enumerate(texts)
        ]

    upper = line(["Prowadzę", "szkolenia", "dla", "spółdzielni"], 100, 1)
    lower = line(["Jestem", "członkinią", "Zespołu", "ds."], 112, 2, start=20)
    assert lines_text(upper + lower) == [
        "Prowadzę szkolenia dla spółdzielni",
        "Jestem członkinią Zespołu ds.",
    ]
    label = line(["Telefon"], 100, 3)
    value = line(["601", "234", "567"], 104, 4, start=400)
    assert lines_text(label + value) == ["Telefon 601 234 567"]


def test_a_compound_word_wrapped_at_its_hyphen_is_one_word() -> None:
    assert join_lines(["Zakład w Lądku-", "Zdroju"], " ") == "Zakład w Lądku-Zdroju"
    assert join_lines(["ul. Długa 5", "57-200 Ząbkowice"], "\n") == "ul. Długa 5\n57-200 Ząbkowice"
    # a dash standing apart at a line's end is no hyphen of a word
    assert join_lines(["Gmina Oława –", "Urząd Gminy"], " ") == "Gmina Oława – Urząd Gminy"
    assert join_lines(["pracuję od 2015 -", "2023"], " ") == "pracuję od 2015 - 2023"
