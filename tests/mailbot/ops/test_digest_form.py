"""The digest, Pulpit's counts and the problems' texts of a call whose form is not the DKRES
one: the choice by its labels, "przyjęte: N" equal to the people listed, problems by the
fields' labels, no organisation when the form has no field for it."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from callcard import add_application, card_config, person

from mailbot.ops.digest import build_digest
from mailbot.ops.overview import overview
from mailbot.ops.review import problem_text
from mailbot.storage.store import Store
from parsers import DEFAULT_FORM

NOW = datetime(2026, 3, 21, 6, 0, tzinfo=UTC)


def test_the_digest_speaks_of_the_cards_choice_and_counts_what_it_lists(tmp_path: Path):
    config = card_config(tmp_path)
    with Store(config.storage.database, config.storage.files) as store:
        add_application(store, 1, person("Zofia Wiśniewska", "1951", [3]))
        add_application(store, 2, person("Adam Żak", "1948", [1, 3]))
        add_application(
            store,
            3,
            person("Łucja Nowak", "19x0", [3], oswiadczenie_mieszkaniec=False),
            status="incomplete",
            problems=["missing_oswiadczenie_mieszkaniec", "invalid_rok_urodzenia"],
        )
        add_application(store, 4, person("Ewa Lis", "1950", [2]), corrected={"komisja": [1]})
        view = overview(config, store, NOW)
        digest = build_digest(config, store, NOW)
    assert [(g.number, g.accepted, g.incomplete) for g in view.by_group] == [
        (1, 2, 0),
        (2, 0, 0),
        (3, 2, 1),
    ]
    assert view.choice_heading == "Obszary działania rady"
    text = digest.text
    for body in (text, digest.html):
        assert "Obszary działania rady" in body or "OBSZARY DZIAŁANIA RADY" in body
        assert "Grup" not in body and "Podmiot" not in body and "Komitet" not in body
        # problems by the fields' labels, never by their keys
        assert "nie zaznaczono pola „Oświadczenie o zamieszkaniu w mieście”" in body
        assert "pole „Rok urodzenia” nie ma oczekiwanej postaci" in body
        assert "oswiadczenie_mieszkaniec" not in body and "rok_urodzenia" not in body
        # the year of birth is no organisation
        assert "(1951)" not in body and "1951" not in body
    # per position: the count said equals the accepted people listed under it
    blocks = re.split(r"^(\d)\. ", text.split("OBSZARY DZIAŁANIA RADY")[1], flags=re.M)
    for number, block in zip(blocks[1::2], blocks[2::2], strict=True):
        block = block.split("=" * 10)[0]
        said = int(re.search(r"przyjęte: (\d+)", block).group(1))
        listed = len(re.findall(r"– przyjęte \(", block))
        assert said == listed, (number, block)
    assert "Aktualne zgłoszenia – przyjęte: 3, niekompletne: 1" in text
    assert "\n    Obszary działania rady: 1, 3\n" in text
    assert "\n    Obszar: działanie [rady]: 3\n" in text


def test_problem_texts_name_any_forms_fields_by_their_labels(tmp_path: Path):
    spec = card_config(tmp_path).form
    assert problem_text("missing_komisja", spec) == (
        "nie zaznaczono żadnej pozycji w polu „Obszar: działanie [rady]”"
    )
    assert problem_text("missing_osiedle", spec) == "nie wypełniono pola „Osiedle – dzielnica”"
    assert problem_text("invalid_adres_email", spec) == (
        "niepoprawny adres e-mail w polu „Adres e-mail”"
    )
    assert problem_text("uzasadnienie_too_long", spec) == "za długi tekst w polu „Uzasadnienie”"
    assert problem_text("too_many_komisja", spec) == (
        "zaznaczono za dużo pozycji w polu „Obszar: działanie [rady]”"
    )
    assert problem_text("late", spec) == "wpłynęło po terminie"
    # a code of this form nobody worded yet: still its label, never its key
    assert problem_text("odd_osiedle_code", spec) == (
        "problem w polu „Osiedle – dzielnica” (do sprawdzenia przez pracownika)"
    )
    assert "_" not in problem_text("something_new", spec)
    # the DKRES form by its own labels
    assert problem_text("missing_consents_gdpr", DEFAULT_FORM) == (
        "nie zaznaczono pola „Zgoda na przetwarzanie danych osobowych”"
    )
    assert problem_text("invalid_phone", DEFAULT_FORM) == (
        "niepoprawny numer telefonu w polu „Telefon kontaktowy”"
    )
