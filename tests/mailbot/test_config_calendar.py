"""call.corrections_days and call.form_url: declared, checked, documented; and the notices a
person sends after the call closed, on the demo's real pipeline data."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from pathlib import Path

import pytest
from web.workspace_data import demo_copy, open_store

from mailbot.config import parse_config
from mailbot.errors import ConfigError
from mailbot.ops import review
from tests.mailbot.test_config import minimal

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
GRZEGORZ = "DKRES-2024-0002"  # incomplete in the demo (superseded by his correction)
ANNA = "DKRES-2024-0001"


def test_the_keys_are_read_and_default_to_none(tmp_path):
    config = parse_config(minimal(), base=tmp_path)
    assert config.call.corrections_days is None and config.call.form_url is None
    config = parse_config(
        minimal(call__corrections_days=7, call__form_url="https://www.example.org/nabor"),
        base=tmp_path,
    )
    assert config.call.corrections_days == 7
    assert config.call.form_url == "https://www.example.org/nabor"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("corrections_days", 0),
        ("corrections_days", "7"),
        ("corrections_days", True),
        ("form_url", "www.example.org/nabor"),
        ("form_url", "https://www.example.org/na bor"),
    ],
)
def test_bad_values_name_the_key(tmp_path, key, value):
    with pytest.raises(ConfigError) as err:
        parse_config(minimal(**{f"call__{key}": value}), base=tmp_path)
    assert err.value.key == f"call.{key}"


def test_the_keys_are_in_the_readme_table():
    for key in ("call.corrections_days", "call.form_url"):
        assert f"| `{key}` |" in README


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


def _body(letter: review.Letter) -> str:
    msg = email.message_from_bytes(letter.raw, policy=email.policy.default)
    return " ".join(msg.get_content().split())  # type: ignore[attr-defined]


def test_a_notice_after_the_call_closed_names_no_passed_deadline(config):
    """The demo's call closed on 24 May 2024: a notice written now asks for the correction
    without a date, and with call.corrections_days within that many days of this notice."""
    with open_store(config) as store:
        letter = review.notice(config, store, GRZEGORZ, "incomplete", ["missing_phone"])
        text = _body(letter)
        assert "24 maja 2024 r., godz. 23:59" not in text and "najpóźniej" not in text
        assert "prosimy o uzupełnienie następujących braków: 1." in text
        assert "w odpowiedzi na tę wiadomość. Zastąpi on formularz" in text
        week = dataclasses.replace(
            config,
            call=dataclasses.replace(
                config.call, corrections_days=7, form_url="https://www.dops.wroc.pl/dkres"
            ),
        )
        text = _body(review.notice(week, store, GRZEGORZ, "incomplete", ["missing_phone"]))
        assert "w odpowiedzi na tę wiadomość, w terminie 7 dni od otrzymania tej wiadomości." in (
            text
        )
        assert "ze strony ogłoszenia o naborze: https://www.dops.wroc.pl/dkres" in text


def test_notices_read_as_the_office_writes_them_and_come_from_the_one_from_name(config):
    with open_store(config) as store:
        accepted = review.notice(config, store, ANNA, "accepted")
        text = _body(accepted)
        assert (
            "po sprawdzeniu przez pracownika obsługującego nabór zgłoszenie nr DKRES-2024-0001 "
            "(wpłynęło 14 maja 2024 r., godz. 10:32) zostało przyjęte." in text
        )
        rejected = _body(review.notice(config, store, ANNA, "rejected", note="Brak podpisu."))
        assert "(wpłynęło 14 maja 2024 r., godz. 10:32) nie mogło zostać przyjęte." in rejected
        automatic = store.db.execute(
            "SELECT raw FROM replies WHERE template = 'accepted' ORDER BY id LIMIT 1"
        ).fetchone()[0]
    auto_from = email.message_from_bytes(automatic, policy=email.policy.default)["From"]
    notice_from = email.message_from_bytes(accepted.raw, policy=email.policy.default)["From"]
    assert (
        str(notice_from)
        == str(auto_from)
        == ("Nabór do grup roboczych DKRES <d.butryn@dops.wroc.pl>")
    )
