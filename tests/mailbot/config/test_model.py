"""mailbot/config/model.py: the loaded configuration's own behaviour — secrets resolved only
when asked, the first day of mail read, what a command that needs a server says without it."""

from __future__ import annotations

import dataclasses
import tomllib
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config.loading import parse_config
from mailbot.config.model import CallConfig, Group, Secret
from mailbot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]
WARSAW = ZoneInfo("Europe/Warsaw")


def shipped(tmp_path: Path, **changes: object):
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))
    for table, value in changes.items():
        if value is None:
            data.pop(table, None)
        else:
            data[table] = value
    return parse_config(data, base=tmp_path)


def test_a_secret_comes_from_its_variable_else_from_the_file_the_variable_names(
    tmp_path, monkeypatch
):
    monkeypatch.delenv("MAILBOT_TEST_SECRET", raising=False)
    monkeypatch.delenv("MAILBOT_TEST_SECRET_FILE", raising=False)
    assert Secret(None).resolve("imap.password_env") is None
    with pytest.raises(ConfigError) as caught:
        Secret("MAILBOT_TEST_SECRET").resolve("imap.password_env")
    assert caught.value.key == "imap.password_env"
    assert "MAILBOT_TEST_SECRET_FILE" in caught.value.expected
    secret_file = tmp_path / "secret"
    secret_file.write_text("hasło z pliku\n", encoding="utf-8")
    monkeypatch.setenv("MAILBOT_TEST_SECRET_FILE", str(secret_file))
    assert Secret("MAILBOT_TEST_SECRET").resolve("k") == "hasło z pliku"
    monkeypatch.setenv("MAILBOT_TEST_SECRET", "z-zmiennej")
    assert Secret("MAILBOT_TEST_SECRET").resolve("k") == "z-zmiennej"  # the variable wins
    monkeypatch.delenv("MAILBOT_TEST_SECRET")
    monkeypatch.setenv("MAILBOT_TEST_SECRET_FILE", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="cannot read MAILBOT_TEST_SECRET_FILE"):
        Secret("MAILBOT_TEST_SECRET").resolve("k")


def test_mail_is_read_from_imap_since_else_two_weeks_before_the_opening(tmp_path):
    config = shipped(tmp_path)
    imap = config.require_imap()
    without = dataclasses.replace(config, imap=dataclasses.replace(imap, since=None))
    assert config.call.opens_at == datetime(2024, 5, 6, tzinfo=WARSAW)  # the shipped call
    first = without.mail_since()
    assert first == datetime(2024, 4, 22, tzinfo=WARSAW)  # 14 days before, at midnight
    assert (first.hour, first.minute, first.tzinfo) == (0, 0, WARSAW)
    given = dataclasses.replace(config, imap=dataclasses.replace(imap, since=date(2024, 4, 1)))
    assert given.mail_since() == datetime(2024, 4, 1, tzinfo=WARSAW)
    assert given.mail_since(date(2024, 3, 2)) == datetime(2024, 3, 2, tzinfo=WARSAW)  # --since


def test_a_command_that_needs_a_server_says_which_table_to_add(tmp_path):
    config = shipped(tmp_path, imap=None, smtp=None)
    with pytest.raises(ConfigError) as caught:
        config.require_imap()
    assert caught.value.key == "[imap]" and "password_env" in caught.value.expected
    with pytest.raises(ConfigError) as caught:
        config.require_smtp()
    assert caught.value.key == "[smtp]" and "directory" in caught.value.expected


def test_the_call_carries_the_form_and_its_short_name_defaults_to_its_name(tmp_path):
    config = shipped(tmp_path)
    assert config.call.form is config.form
    assert config.call.templates_dir == config.templates.dir
    call = CallConfig(
        name="Nabór do Rady Seniorów",
        opens_at=datetime(2025, 3, 1, tzinfo=WARSAW),
        closes_at=datetime(2025, 3, 31, tzinfo=WARSAW),
        timezone=WARSAW,
        address="rada@example.pl",
        groups=(Group(2, "Zdrowie"), Group(5, "Kultura")),
        short_name="",
    )
    assert call.short_name == "Nabór do Rady Seniorów"
    assert call.group_numbers() == frozenset({2, 5})
