"""Checks that fit real answers, the salutation, and rules driven by the form spec."""

from __future__ import annotations

import pytest
from letters import DKRES_APPLICANT, dkres_config, facts_for

from mailbot.pipeline.checks import check_date, check_email, check_phone
from mailbot.pipeline.texts import salutation
from mailbot.pipeline.validate import validate
from parsers import FormSpec


@pytest.mark.parametrize(
    "text",
    [
        "601 234 567",
        "kom. 601 234 567",
        "tel. 71 344-55-66 wew. 12",
        "+48 601234567",
        "601 234 567, 71 344 55 66",
        "601 234 567 lub 602 345 678",
        "(71) 344 55 66",
        "tel.kom.601234567",
        "0048 601 234 567",
    ],
)
def test_phone_numbers_people_write_are_usable(text):
    result = check_phone(text)
    assert result.usable and result.note is None


@pytest.mark.parametrize("text", ["601-234-56", "brak", "12345", "—", "nie dotyczy"])
def test_unusable_phone_numbers(text):
    assert not check_phone(text).usable


def test_unusual_phone_numbers_are_a_note():
    assert check_phone("+49 30 1234567").note == "numer zagraniczny (DE)"
    mixed = check_phone("601 234 567, 601-234-56")
    assert mixed.usable and mixed.note == "nie każdy z podanych numerów jest poprawny"


@pytest.mark.parametrize(
    "text",
    [
        "anna@example.pl",
        "Anna.Kowalska@Example.PL",
        "anna@żółw.example.pl",
        "zażółć@example.pl",
        "mailto:anna@example.pl",
        "<anna@example.pl>",
    ],
)
def test_email_addresses_are_usable(text):
    assert check_email(text).usable


@pytest.mark.parametrize(
    "text", ["anna.example.pl", "anna@", "anna@example", "a b@c.pl@", "anna@@example.pl"]
)
def test_unusable_email_addresses(text):
    assert not check_email(text).usable


def test_a_second_address_is_a_note():
    result = check_email("anna@example.pl, biuro@example.pl")
    assert result.usable and result.note is not None


@pytest.mark.parametrize(
    "text, note",
    [
        ("Oława, 14.05.2024", None),
        ("2024-05-14", None),
        ("14 maja 2024 r.", None),
        ("Oława", "nie rozpoznano daty"),
        ("31.02.2024", "nie rozpoznano daty"),
    ],
)
def test_dates(text, note):
    assert check_date(text).note == note


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Anna Kowalska", "Szanowna Pani,"),
        ("Jan Kowalski", "Szanowny Panie,"),
        ("ANNA NOWAK", "Szanowna Pani,"),
        ("Kowalska Anna", "Szanowna Pani,"),
        ("Kowalski Jan", "Szanowny Panie,"),
        ("dr Ewa Lis", "Szanowna Pani,"),
        ("Kuba Nowak", "Szanowny Panie,"),
        ("Barnaba Zieliński", "Szanowny Panie,"),
        ("Bonawentura Nowak", "Szanowny Panie,"),
        ("Jan Maria Kowalski", "Szanowny Panie,"),
        ("Beatrycze Kos", "Szanowna Pani,"),
        ("Nicole Schmidt", "Szanowna Pani,"),
        # not reliable: the plural
        ("Nowak Anna", "Szanowni Państwo,"),
        ("Anna", "Szanowni Państwo,"),
        ("Anna Nowak, Jan Kowalski", "Szanowni Państwo,"),
        ("Anna i Jan Nowakowie", "Szanowni Państwo,"),
        ("Fundacja Pomocy Wzajemnej Razem Tak", "Szanowni Państwo,"),
        (None, "Szanowni Państwo,"),
        ("Jan Zagłoba", "Szanowni Państwo,"),
    ],
)
def test_salutation(name, expected):
    assert salutation(name) == expected


def test_rules_follow_the_form_spec():
    """A field dropped from the form is not required; a renamed e-mail field is still checked;
    a field marked optional is not asked for."""
    config = dkres_config()
    fields = [f for f in config.form.fields if f.key != "organisation_type"]
    renamed = FormSpec.from_mapping(
        {
            "fields": [
                {
                    "key": "adres_email" if f.key == "email" else f.key,
                    "type": f.kind,
                    "labels": list(f.labels),
                    "required": f.key != "position",
                    **(
                        {"options": [{"number": o.number, "name": o.name} for o in f.options]}
                        if f.options
                        else {}
                    ),
                }
                for f in fields
            ]
        }
    )
    import dataclasses

    call = dataclasses.replace(config.call, form=renamed)
    config = dataclasses.replace(config, call=call, form=renamed)
    answers = {
        ("adres_email" if k == "email" else k): v
        for k, v in DKRES_APPLICANT.items()
        if k != "organisation_type"
    }
    verdict = validate(facts_for(config, "accepted", dict(answers, position=None)))
    assert verdict.status == "accepted", verdict.codes
    verdict = validate(facts_for(config, "accepted", dict(answers, adres_email="anna@")))
    assert verdict.codes == ["invalid_adres_email"]


def test_too_long_text_names_the_limit_from_the_spec():
    config = dkres_config()
    verdict = validate(facts_for(config, "accepted", dict(DKRES_APPLICANT, experience="x" * 2001)))
    assert verdict.codes == ["experience_too_long"]
    assert "ma 2001 znaków, a formularz dopuszcza 2000" in verdict.problems[0].message
