"""parsers/words.py: words as the parsers compare them — folded, enumerators dropped — and the
words every office form prints, which tell nothing about which form a file is."""

from __future__ import annotations

import pytest

from parsers.words import OFFICE_WORDS, core, distinctive, fold, norm


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Zażółć GĘŚLĄ jaźń", "zazolc gesla jazn"),
        ("Łódź", "lodz"),
        ("Straße", "strasse"),
        ("ASCII only", "ascii only"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("text", "normed"),
    [
        ("III. Oświadczenia", "oswiadczenia"),
        ("2) Imię i nazwisko:", "imie i nazwisko"),
        ("a. Grupa robocza nr 1 – ekonomia społeczna", "grupa robocza nr 1 ekonomia spoleczna"),
        ("E-mail / telefon", "e mail telefon"),
        ("V.", ""),
        ("Rok urodzenia (RRRR)", "rok urodzenia rrrr"),
    ],
)
def test_norm_drops_the_leading_enumerator_and_punctuation(text: str, normed: str) -> None:
    assert norm(text) == normed


def test_a_word_that_only_looks_like_an_enumerator_stays() -> None:
    assert norm("Dane kontaktowe") == "dane kontaktowe"  # "d" alone would be an enumerator
    assert norm("Instytucja") == "instytucja"  # "i" + "nstytucja": no "." or ")" after it


def test_core_drops_parenthesised_hints() -> None:
    assert core("Typ podmiotu (np. CIS, KIS, WTZ)") == "typ podmiotu"
    assert core("Telefon (opcjonalnie") == "telefon"  # an unclosed hint too
    assert core("Telefon") == "telefon"


def test_distinctive_words_tell_one_form_from_another() -> None:
    words = set(norm("Formularz zgłoszeniowy Komitetu Rozwoju Ekonomii Społecznej 2024 nr").split())
    assert distinctive(words, frozenset()) == {"komitetu", "rozwoju", "ekonomii", "spolecznej"}
    assert distinctive(words, frozenset({"komitetu"})) == {"rozwoju", "ekonomii", "spolecznej"}


def test_office_words_are_spelled_as_norm_spells_them() -> None:
    assert all(norm(w) == w for w in OFFICE_WORDS)
