"""parsers/spec_check.py: each value of a ``[form]`` table checked, and FormSpecError naming the
key and what belongs there — for a mistyped key, the nearest valid one."""

from __future__ import annotations

import pytest

from parsers.spec_check import (
    FormSpecError,
    as_opt_text,
    as_text,
    as_texts,
    choice_bounds,
    unknown_key,
)


def test_a_mistyped_key_names_the_nearest() -> None:
    error = unknown_key("form.fields.email", "lables", ["labels", "type", "required"])
    assert error.key == "form.fields.email.lables"
    assert error.unknown
    assert str(error) == "`form.fields.email.lables`: unknown key; did you mean `labels`?"
    far = unknown_key("form", "zzz", ["labels", "type"])
    assert far.expected == "unknown key; known keys: labels, type"


def test_texts() -> None:
    assert as_text("  Imię i nazwisko ", "form.fields.name.label") == "Imię i nazwisko"
    assert as_text(" ", "k", allow_empty=True) == ""
    with pytest.raises(FormSpecError) as error:
        as_text("  ", "form.fields.name.label")
    assert str(error.value) == "form.fields.name.label: expected a non-empty string"
    with pytest.raises(FormSpecError):
        as_text(3, "k")
    assert as_texts("Imię", "k") == ["Imię"]
    assert as_texts([" Imię ", "Nazwisko"], "k") == ["Imię", "Nazwisko"]
    assert as_texts([], "k", empty=True) == []
    for bad in ([], ["Imię", ""], ["Imię", 2], {"a": 1}):
        with pytest.raises(FormSpecError, match="an array of non-empty strings"):
            as_texts(bad, "k")
    assert as_opt_text({}, "label_plural", "form.fields.groups") is None
    assert as_opt_text({"label_plural": " Obszary "}, "label_plural", "f") == "Obszary"
    with pytest.raises(FormSpecError) as error:
        as_opt_text({"label_plural": 1}, "label_plural", "form.fields.groups")
    assert error.value.key == "form.fields.groups.label_plural"


def test_choice_bounds() -> None:
    where = "form.fields.area"
    assert choice_bounds({}, where, "groups", 5) == (None, None)
    assert choice_bounds({"min_choices": 1, "max_choices": 1}, where, "groups", 5) == (1, 1)
    assert choice_bounds({"max_choices": 5}, where, "groups", 5) == (None, 5)
    with pytest.raises(FormSpecError) as error:
        choice_bounds({"max_choices": 1}, where, "text", 0)
    assert error.value.key == "form.fields.area.max_choices"
    for bad in (0, 6, True, 1.5, "1"):
        with pytest.raises(FormSpecError, match=r"from 1 to the number of options \(5\)"):
            choice_bounds({"min_choices": bad}, where, "groups", 5)
    with pytest.raises(FormSpecError) as error:
        choice_bounds({"min_choices": 3, "max_choices": 2}, where, "groups", 5)
    assert (error.value.key, error.value.expected) == (
        "form.fields.area.min_choices",
        "at most max_choices (2)",
    )
