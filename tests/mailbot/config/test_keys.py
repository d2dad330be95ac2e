"""mailbot/config/keys.py: the keys config.toml may hold, derived from the config dataclasses;
an unknown key or table is refused naming it and the nearest valid one."""

from __future__ import annotations

import pytest

from mailbot.config.keys import check_known, known_keys
from mailbot.config.model import Config, ImapConfig, OAuth2Config, SmtpConfig
from mailbot.errors import UnknownKeyError


def test_the_top_level_tables_are_the_config_sections():
    known = known_keys(Config)
    assert {"call", "form", "imap", "smtp", "storage", "digest", "limits", "web"} <= set(known)
    assert "path" not in known  # set by the loader, never written in the file
    assert known["imap"] is ImapConfig and known["smtp"] is SmtpConfig
    assert known["form"] is None  # checked by the form spec's own reader


def test_a_secret_is_written_as_the_name_of_its_environment_variable():
    known = known_keys(ImapConfig)
    assert "password_env" in known and "password" not in known


def test_a_flattened_table_gives_its_keys_with_their_prefix():
    known = known_keys(ImapConfig)
    assert "oauth2" not in known
    assert {"oauth2_token_url", "oauth2_client_id", "oauth2_client_secret_env"} <= set(known)
    assert set(known_keys(OAuth2Config)) == {
        k.removeprefix("oauth2_") for k in known if k.startswith("oauth2_")
    }


def test_known_keys_pass_and_nested_tables_are_checked():
    check_known({"imap": {"host": "mail.example.pl", "port": 993}}, Config, "", None)
    with pytest.raises(UnknownKeyError) as caught:
        check_known({"imap": {"hots": "mail.example.pl"}}, Config, "", "config.toml")
    assert caught.value.key == "imap.hots"
    assert "did you mean `host`?" in str(caught.value)
    assert str(caught.value).startswith("config.toml: ")


def test_an_unknown_table_is_called_a_table_and_far_names_list_the_valid_ones():
    with pytest.raises(UnknownKeyError) as caught:
        check_known({"zzz": {"a": 1}}, Config, "", None)
    assert caught.value.key == "zzz"
    assert "unknown table" in caught.value.expected
    assert "expected one of" in caught.value.expected and "`imap`" in caught.value.expected


def test_arrays_of_tables_are_checked_item_by_item():
    known = known_keys(Config)
    call = known["call"]
    arrays = {k: v for k, v in known_keys(call).items() if isinstance(v, list)}
    assert "groups" in arrays
    with pytest.raises(UnknownKeyError) as caught:
        check_known({"call": {"groups": [{"number": 1}, {"numbr": 2}]}}, Config, "", None)
    assert caught.value.key == "call.groups[1].numbr"
