""" "Choose one" can be said: ``min_choices`` / ``max_choices`` of a choice field give
``too_many_<key>`` / ``too_few_<key>``, the application is incomplete and the letter says it in
Polish (the count, what the form allows, where on the form). Another call's config
(examples/youth-council), the real validate stage and the real letter composer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mailbot.config import Config, load_config
from mailbot.errors import ConfigError
from mailbot.ops.review import problem_choices, problem_text
from mailbot.pipeline.validate import problem_codes
from tests.letters import dkres_config, letter
from tests.youth_council_mail import APPLICANT, EXAMPLE

ANCHOR = 'label_plural = "Komisje tematyczne"\n'


def youth_config(tmp_path: Path, bounds: str) -> Config:
    """The youth council's config with the commission's bounds written under its heading."""
    text = (EXAMPLE / "config.toml").read_text(encoding="utf-8")
    assert ANCHOR in text
    path = tmp_path / "config.toml"
    path.write_text(text.replace(ANCHOR, ANCHOR + bounds), encoding="utf-8")
    return load_config(path)


def flat(text: str) -> str:
    return " ".join(text.split())


def ticked(*numbers: int) -> dict[str, Any]:
    return dict(APPLICANT, komisja=list(numbers))


def test_two_areas_ticked_where_one_is_allowed(tmp_path: Path) -> None:
    config = youth_config(tmp_path, "max_choices = 1\n")
    status, subject, body = letter(config, "incomplete", ticked(2, 5))
    assert status == "incomplete"
    assert "prośba o uzupełnienie" in subject
    assert (
        "W polu „Komisja tematyczna” (część II karty) zaznaczono 2 pola, a można wybrać "
        "tylko jedno." in flat(body)
    )
    assert "Jak poprawić: Prosimy zaznaczyć jedno pole." in flat(body)
    assert "too_many" not in body and "komisja" not in body


def test_one_area_ticked_is_accepted(tmp_path: Path) -> None:
    config = youth_config(tmp_path, "max_choices = 1\nmin_choices = 1\n")
    status, _subject, _body = letter(config, "accepted", ticked(3))
    assert status == "accepted"


def test_nothing_ticked_asks_for_as_many_as_the_form_does(tmp_path: Path) -> None:
    config = youth_config(tmp_path, "max_choices = 1\n")
    status, _subject, body = letter(config, "incomplete", ticked())
    assert status == "incomplete"
    assert "nie zaznaczono żadnej pozycji" in flat(body)
    assert "Prosimy zaznaczyć jedno pole." in flat(body)


@pytest.mark.parametrize(
    ("bounds", "numbers", "code", "said"),
    [
        (
            "min_choices = 2\nmax_choices = 3\n",
            (1,),
            "too_few_komisja",
            "zaznaczono 1 pole, a należy wybrać co najmniej dwa. "
            "Jak poprawić: Prosimy zaznaczyć od 2 do 3 pól.",
        ),
        (
            "min_choices = 2\nmax_choices = 3\n",
            (1, 2, 3, 4),
            "too_many_komisja",
            "zaznaczono 4 pola, a można wybrać najwyżej trzy. "
            "Jak poprawić: Prosimy zaznaczyć od 2 do 3 pól.",
        ),
        (
            "min_choices = 2\nmax_choices = 2\n",
            (1, 2, 3, 4, 5),
            "too_many_komisja",
            "zaznaczono 5 pól, a należy wybrać dokładnie dwa. "
            "Jak poprawić: Prosimy zaznaczyć dokładnie dwa pola.",
        ),
        (
            "min_choices = 2\n",
            (4,),
            "too_few_komisja",
            "zaznaczono 1 pole, a należy wybrać co najmniej dwa. "
            "Jak poprawić: Prosimy zaznaczyć co najmniej dwa pola.",
        ),
        (
            "max_choices = 2\n",
            (1, 3, 5),
            "too_many_komisja",
            "zaznaczono 3 pola, a można wybrać najwyżej dwa. "
            "Jak poprawić: Prosimy zaznaczyć najwyżej dwa pola.",
        ),
    ],
)
def test_the_count_against_the_bounds(
    tmp_path: Path, bounds: str, numbers: tuple[int, ...], code: str, said: str
) -> None:
    config = youth_config(tmp_path, bounds)
    status, _subject, body = letter(config, "incomplete", ticked(*numbers))
    assert status == "incomplete"
    assert said in flat(body)
    assert code in problem_codes(config.form)


def test_within_the_bounds_no_problem(tmp_path: Path) -> None:
    config = youth_config(tmp_path, "min_choices = 2\nmax_choices = 3\n")
    assert letter(config, "accepted", ticked(2, 4))[0] == "accepted"
    assert letter(config, "accepted", ticked(1, 2, 5))[0] == "accepted"


def test_without_bounds_the_letters_are_as_before() -> None:
    config = dkres_config()
    codes = problem_codes(config.form)
    assert not any(c.startswith(("too_many_", "too_few_")) for c in codes)
    status, _subject, body = letter(config, "incomplete", {"groups": []})
    assert status == "incomplete"
    assert "Prosimy zaznaczyć co najmniej jedną pozycję." in flat(body)


def test_a_person_picks_the_new_problems_by_their_polish_text(tmp_path: Path) -> None:
    config = youth_config(tmp_path, "max_choices = 1\n")
    texts = dict(problem_choices(config.form))
    assert "too_many_komisja" in texts and "too_few_komisja" not in texts
    label = config.form.field("komisja").label
    many = problem_text("too_many_komisja", config.form)
    few = problem_text("too_few_komisja", config.form)
    assert many == f"zaznaczono za dużo pozycji w polu „{label}”"
    assert few == f"zaznaczono za mało pozycji w polu „{label}”"


def test_more_needed_than_the_call_has_groups_stops_start_up(tmp_path: Path) -> None:
    """The form prints five commissions; a call offering only two cannot ask for three."""
    text = (EXAMPLE / "config.toml").read_text(encoding="utf-8")
    start = text.index("[[call.groups]]\nnumber = 3")
    end = text.index("[call.office]")
    path = tmp_path / "config.toml"
    path.write_text(
        (text[:start] + text[end:]).replace(ANCHOR, ANCHOR + "min_choices = 3\n"),
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as err:
        load_config(path)
    assert "form.fields.komisja.min_choices" in str(err.value)
    assert "the number of the call's groups (2)" in str(err.value)
