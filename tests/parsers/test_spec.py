"""The [form] table: the README example equals DEFAULT_FORM; errors name the key."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import formbuilder as fb
import pytest
from parsers_testlib import BLANK_DOCX

import parsers
from parsers import DEFAULT_FORM, FIELD_KEYS, FormSpec, FormSpecError

README = Path(__file__).resolve().parents[2] / "parsers" / "README.md"


def _readme_form() -> dict:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, "no toml example in parsers/README.md"
    return tomllib.loads(block.group(1))["form"]


def test_readme_example_is_the_default() -> None:
    assert FormSpec.from_mapping(_readme_form()) == DEFAULT_FORM
    assert FormSpec.from_toml(parsers.spec.DKRES_FORM_FILE.read_text("utf-8")) == DEFAULT_FORM


def test_kinds_and_checks_of_the_default_form() -> None:
    kinds = {f.key: f.kind for f in DEFAULT_FORM.fields}
    assert kinds["email"] == "email" and kinds["phone"] == "phone"
    assert kinds["groups"] == "choice" and kinds["consents_gdpr"] == "statement"
    assert DEFAULT_FORM.field("experience").max_length == 2000
    assert all(f.required for f in DEFAULT_FORM.fields)
    assert DEFAULT_FORM.email_key == "email" and DEFAULT_FORM.salutation_from == "full_name"
    assert DEFAULT_FORM.field("groups").letter_label(1) == "Grupa robocza"
    assert DEFAULT_FORM.field("groups").letter_label(2) == "Grupy robocze"
    assert DEFAULT_FORM.columns()[0] == ("full_name", "full_name", "Imię i nazwisko")


def test_older_type_names_still_read() -> None:
    spec = FormSpec.from_mapping(
        {
            "fields": [
                {
                    "key": "g",
                    "type": "groups",
                    "labels": ["G"],
                    "options": [{"number": 1, "name": "A"}],
                },
                {"key": "s", "type": "checkbox", "labels": ["Oświadczam"]},
            ]
        }
    )
    assert [(f.kind, f.type) for f in spec.fields] == [
        ("choice", "groups"),
        ("statement", "checkbox"),
    ]


def test_empty_form_is_default() -> None:
    assert FormSpec.from_mapping({}) == DEFAULT_FORM
    assert DEFAULT_FORM.keys == FIELD_KEYS
    assert set(parsers.FIELD_LABELS_PL) == set(FIELD_KEYS)


def test_call_groups_override_names() -> None:
    spec = FormSpec.from_mapping({}, [(1, "Pierwsza"), (2, "Druga")])
    assert [(o.number, o.name) for o in spec.groups_field.options] == [
        (1, "Pierwsza"),
        (2, "Druga"),
    ]


@pytest.mark.parametrize(
    "form, key",
    [
        ({"fields": []}, "form.fields"),
        ({"fields": [{"key": "email", "labels": []}]}, "form.fields.email.labels"),
        ({"fields": [{"key": "email", "labels": "x", "type": "colour"}]}, "form.fields.email.type"),
        ({"fields": [{"key": "email", "labels": "x", "lables": "y"}]}, "form.fields.email.lables"),
        ({"fields": [{"key": "p", "labels": "x", "pattern": "("}]}, "form.fields.p.pattern"),
        ({"fields": [{"key": "p", "labels": "x", "max_length": 0}]}, "form.fields.p.max_length"),
        ({"salutation_from": "nobody"}, "form.salutation_from"),
        ({"fields": [{"key": "Bad Key", "labels": ["x"]}]}, "form.fields[0].key"),
        ({"min_labels": 0}, "form.min_labels"),
        ({"colour": "red"}, "form.colour"),
        ({"fields": [{"key": "g", "type": "groups", "labels": ["G"]}]}, "form.fields.g.options"),
    ],
)
def test_errors_name_the_key(form: dict, key: str) -> None:
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(form)
    assert err.value.key == key
    assert err.value.expected


def test_a_new_form_needs_no_code() -> None:
    """Another call's form: other labels and an extra field, read from the same DOCX machinery."""
    form = _readme_form()
    fields = [f for f in form["fields"] if f["key"] != "phone"]
    fields.insert(
        1,
        {"key": "pesel_free_note", "type": "text", "label": "Uwagi", "labels": ["Imię i nazwisko"]},
    )
    fields[0] = dict(fields[0], labels=["Nazwisko kandydata"])
    spec = FormSpec.from_mapping(dict(form, fields=fields))
    got = parsers.extract(fb.build_docx(BLANK_DOCX.read_bytes()), spec)
    assert got.readable
    assert got.fields["pesel_free_note"] == fb.VALUES["full_name"]
    assert got.fields["full_name"] is None
    assert "phone" not in got.fields  # not on this form
    assert tuple(got.fields) == spec.keys
