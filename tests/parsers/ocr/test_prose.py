"""Written text read by OCR, without the picture: specks read as punctuation dropped, digits
read for letters put back, capitals after full stops — each only where the text's shape
leaves no doubt; an abbreviation, a domain or a number is left as written."""

from __future__ import annotations

import pytest

from parsers.ocr.prose import (
    capitals_after_full_stops,
    digits_as_letters,
    dollar_for_s,
    drop_specks,
    letters_for_digits,
)


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("nr 2.w Świdnicy", "nr 2 w Świdnicy"),
        ("od 2015 r.. pracuję", "od 2015 r. pracuję"),
        ("Mam , doświadczenie", "Mam doświadczenie"),
        ("i tak dalej...", "i tak dalej..."),  # an ellipsis is writing
        ("ul. Długa 5, 50-001 Wrocław", "ul. Długa 5, 50-001 Wrocław"),
        ("2.5 etatu, w 2024 r.", "2.5 etatu, w 2024 r."),
    ],
)
def test_specks_read_as_punctuation_are_dropped(read: str, want: str) -> None:
    assert drop_specks(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [("$DS", "ŚDS"), ("Ś$DS", "ŚDS"), ("$rodowiskowy", "Środowiskowy"), ("koszt 5 $", "koszt 5 $")],
)
def test_a_dollar_in_a_word_is_an_s_with_its_accent(read: str, want: str) -> None:
    assert dollar_for_s(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        # between two words, neither of them an abbreviation's or a domain's shape
        ("Pracuję w sektorze.usług dla osób", "Pracuję w sektorze usług dla osób"),
        # writing, not specks: abbreviations, domains, numbers, a capital after the dot
        ("ul.Kwiatowa 5, m.in. szkolenia", "ul.Kwiatowa 5, m.in. szkolenia"),
        ("tzw.ekonomii społecznej, nr.5", "tzw.ekonomii społecznej, nr.5"),
        ("strona www.cis.pl i nazwa.pl", "strona www.cis.pl i nazwa.pl"),
        ("usług.Dla", "usług.Dla"),
        ("kom.601234567", "kom.601234567"),
        ("adres poczta.fm", "adres poczta.fm"),
        ("dyr.szkoły", "dyr.szkoły"),
        ("skrót godz.dziennie", "skrót godz.dziennie"),
        # unsure without the picture ("usług dla" with a speck, "Od 2006"): left as read
        ("usług.dla", "usług.dla"),
        ("Od.2006", "Od.2006"),
    ],
)
def test_a_dot_between_words_is_a_space_only_where_the_text_is_sure(read: str, want: str) -> None:
    assert drop_specks(read) == want


@pytest.mark.parametrize(
    ("read", "want"),
    [
        ("Fundacja „Most”. w\nlatach 2015", "Fundacja „Most”. W\nlatach 2015"),
        ("w Lądku-Zdroju. jestem członkinią", "w Lądku-Zdroju. Jestem członkinią"),
        # abbreviations, single letters and numbers end no sentence
        ("Od 2010 r. pracuję, m.in. szkolenia", "Od 2010 r. pracuję, m.in. szkolenia"),
        ("Zespołu ds. ekonomii, np. spółdzielnie", "Zespołu ds. ekonomii, np. spółdzielnie"),
        ("Firma sp. z o.o. oraz nr 2. w", "Firma sp. z o.o. oraz nr 2. w"),
        # nor does a short word, whatever list it is missing from
        ("Jestem dyr. szkoły", "Jestem dyr. szkoły"),
        ("ćwiczę 30 min. dziennie", "ćwiczę 30 min. dziennie"),
        ("od godz. ósmej, tys. osób", "od godz. ósmej, tys. osób"),
    ],
)
def test_a_sentence_in_free_text_begins_with_a_capital(read: str, want: str) -> None:
    assert capitals_after_full_stops(read) == want


def test_letters_for_digits_in_words() -> None:
    assert letters_for_digits("0d 2015 r.") == "Od 2015 r."
    assert letters_for_digits("ul. Ko1ejowa 3/5") == "ul. Kolejowa 3/5"
    assert letters_for_digits("lok. 10, m2, CIS1") == "lok. 10, m2, CIS1"


def test_the_digits_a_word_may_have_read_for_letters_are_chosen() -> None:
    assert digits_as_letters("c0m", "0") == "com"
    assert digits_as_letters("sp1olawa", "0") == "sp1olawa"  # "1" not among them
    assert digits_as_letters("sp10lawa") == "sp10lawa"  # two digits: a number
