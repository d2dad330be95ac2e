"""The problems a person may pick when asking for a correction are the ones validation can
find in the call's own form: read from its spec, not from one call's field names."""

from __future__ import annotations

import parsers
from mailbot.config import load_config
from mailbot.ops.review import problem_choices
from mailbot.pipeline.validate import problem_codes
from tests.example_call import EXAMPLE


def test_the_dkres_form_offers_its_sixteen_problems() -> None:
    assert set(problem_codes(parsers.DEFAULT_FORM)) == {
        *(f"missing_{k}" for k in parsers.DEFAULT_FORM.keys),
        "unknown_group",
        "invalid_email",
        "invalid_phone",
        "experience_too_long",
    }


def test_another_call_offers_its_own_fields_and_none_of_the_dkres_form() -> None:
    spec = load_config(EXAMPLE / "config.toml").form
    codes = [code for code, _text in problem_choices(spec)]
    assert codes[: len(spec.keys)] == [f"missing_{k}" for k in spec.keys]
    assert "missing_organisation_type" not in codes
    assert all(text for _code, text in problem_choices(spec))
