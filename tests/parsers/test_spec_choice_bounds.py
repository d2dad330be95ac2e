"""``min_choices`` / ``max_choices`` of a choice field, and ``blank`` of the form: read from the
[form] table, errors naming the key."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from parsers import DEFAULT_FORM, FormSpec, FormSpecError

CHOICE: dict[str, Any] = {
    "key": "obszar",
    "type": "choice",
    "labels": ["II. Obszar działania"],
    "options": [{"number": n, "name": f"Obszar numer {n}"} for n in (1, 2, 3, 4)],
}
FORM: dict[str, Any] = {
    "fields": [{"key": "imie", "type": "text", "labels": ["Imię i nazwisko"]}, CHOICE]
}


def form_with(**choice: Any) -> dict[str, Any]:
    form = copy.deepcopy(FORM)
    form["fields"][1].update(choice)
    return form


def test_bounds_are_read() -> None:
    field = FormSpec.from_mapping(form_with(min_choices=1, max_choices=2)).field("obszar")
    assert field is not None and (field.min_choices, field.max_choices) == (1, 2)
    field = FormSpec.from_mapping(form_with(max_choices=1)).field("obszar")
    assert field is not None and (field.min_choices, field.max_choices) == (None, 1)


def test_no_bounds_by_default() -> None:
    assert all(f.min_choices is None and f.max_choices is None for f in DEFAULT_FORM.fields)
    assert DEFAULT_FORM.blank is None


@pytest.mark.parametrize(
    ("choice", "key", "expected"),
    [
        (
            {"max_choices": 0},
            "form.fields.obszar.max_choices",
            "from 1 to the number of options (4)",
        ),
        (
            {"max_choices": 5},
            "form.fields.obszar.max_choices",
            "from 1 to the number of options (4)",
        ),
        ({"min_choices": True}, "form.fields.obszar.min_choices", "a whole number"),
        ({"max_choices": "1"}, "form.fields.obszar.max_choices", "a whole number"),
        ({"min_choices": 3, "max_choices": 2}, "form.fields.obszar.min_choices", "max_choices (2)"),
    ],
)
def test_bad_bounds_name_the_key(choice: dict[str, Any], key: str, expected: str) -> None:
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(form_with(**choice))
    assert err.value.key == key and expected in err.value.expected


def test_a_bound_only_on_the_choice_field() -> None:
    form = copy.deepcopy(FORM)
    form["fields"][0]["max_choices"] = 1
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(form)
    assert err.value.key == "form.fields.imie.max_choices"
    assert 'only on the field of type "choice"' in err.value.expected


def test_a_mistyped_bound_names_the_nearest_key() -> None:
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(form_with(max_choice=1))
    assert err.value.unknown and err.value.key == "form.fields.obszar.max_choice"
    assert "did you mean `max_choices`?" in str(err.value)


def test_the_blank_form_is_a_path_as_written() -> None:
    assert FormSpec.from_mapping(dict(FORM, blank="karta.docx")).blank == "karta.docx"
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(dict(FORM, blank=""))
    assert err.value.key == "form.blank"
    with pytest.raises(FormSpecError) as err:
        FormSpec.from_mapping(dict(FORM, blank=["karta.docx"]))
    assert err.value.key == "form.blank"
