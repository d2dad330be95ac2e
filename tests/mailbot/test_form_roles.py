"""What the form's fields are for, from any form spec: the name, the organisation, the choice
and how it is named, the fields the list for the resolution shows by default."""

from __future__ import annotations

from pathlib import Path

from callcard import card_config

from mailbot import form_roles
from parsers import DEFAULT_FORM, FormSpec


def test_the_built_in_forms_roles_are_todays_columns():
    assert form_roles.name_key(DEFAULT_FORM) == DEFAULT_FORM.salutation_from
    assert form_roles.organisation_key(DEFAULT_FORM) == DEFAULT_FORM.organisation_from
    # the one-line text fields of the first part: not the address (multi-line), e-mail, phone
    keys = form_roles.default_annex_keys(DEFAULT_FORM)
    assert [DEFAULT_FORM.field(k).label for k in keys] == [  # type: ignore[union-attr]
        "Imię i nazwisko",
        "Nazwa reprezentowanego podmiotu / instytucji",
        "Rodzaj podmiotu",
        "Stanowisko / pełniona funkcja",
    ]
    assert form_roles.numbered(DEFAULT_FORM, 3) == "Grupa robocza nr 3"
    assert form_roles.choice_label(DEFAULT_FORM, 2) == "Grupy robocze"


def test_another_cards_roles(tmp_path: Path):
    spec = card_config(tmp_path).form
    assert form_roles.default_annex_keys(spec) == ("imie_nazwisko", "rok_urodzenia", "osiedle")
    assert form_roles.organisation_key(spec) is None
    assert form_roles.choice_plural(spec) == "Obszary działania rady"
    assert form_roles.heading(spec.field("osiedle")) == "Osiedle – dzielnica"  # type: ignore[arg-type]
    assert form_roles.heading(spec.field("rok_urodzenia")) == "Rok urodzenia"  # type: ignore[arg-type]


def test_without_salutation_the_first_text_field_is_the_name_and_goes_first():
    spec = FormSpec.from_mapping(
        {
            "fields": [
                {"key": "email", "type": "email", "labels": ["E-mail"]},
                {"key": "nazwa", "type": "text", "labels": ["Nazwa organizacji"]},
                {"key": "osoba", "type": "text", "labels": ["Osoba do kontaktu"]},
                {"key": "uwagi", "type": "free_text", "labels": ["Uwagi"]},
                {"key": "miasto", "type": "text", "labels": ["Miejscowość"]},
            ],
            "salutation_from": "osoba",
        }
    )
    # the name first, then the rest of the first part in form order; nothing after free text
    assert form_roles.default_annex_keys(spec) == ("osoba", "nazwa")
    unnamed = FormSpec.from_mapping({"fields": [{"key": "a", "type": "date", "labels": ["D"]}]})
    assert form_roles.name_key(unnamed) is None and form_roles.default_annex_keys(unnamed) == ()
    assert form_roles.choice_plural(unnamed) == "Wybór"
