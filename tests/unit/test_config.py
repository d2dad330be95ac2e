from pathlib import Path

import pytest

from mailbot.config import load_config, parse_config
from mailbot.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def minimal(**overrides: object) -> dict:
    from datetime import datetime, timedelta, timezone

    tz = timezone(timedelta(hours=2))
    data: dict = {
        "call": {
            "name": "Nabór", "opens_at": datetime(2024, 5, 6, tzinfo=tz),
            "closes_at": datetime(2024, 5, 24, 23, 59, 59, tzinfo=tz),
            "timezone": "Europe/Warsaw", "address": "nabor@example.org",
            "groups": [{"number": 1, "name": "Jedna"}, {"number": 2, "name": "Dwie"}],
        },
    }
    for key, value in overrides.items():
        section, _, name = key.partition("__")
        data.setdefault(section, {})[name] = value
    return data


def test_shipped_config_is_the_real_call():
    config = load_config(REPO / "config.toml")
    assert config.call.address == "d.butryn@dops.wroc.pl"
    assert [g.number for g in config.call.groups] == [1, 2, 3, 4, 5]
    assert config.call.timezone.key == "Europe/Warsaw"
    assert config.call.opens_at.isoformat() == "2024-05-06T00:00:00+02:00"
    assert config.imap is not None and config.imap.security == "ssl"
    assert config.imap.folder == "INBOX"
    assert config.digest.at.strftime("%H:%M") == "07:30"
    assert config.schedule.poll_minutes == 5
    # relative storage paths resolve against the config file's folder
    assert config.storage.database == REPO / "data" / "mailbot.db"


def test_defaults_when_sections_are_absent(tmp_path):
    config = parse_config(minimal(), base=tmp_path)
    assert config.imap is None and config.smtp is None
    assert config.storage.files == tmp_path / "data" / "files"
    with pytest.raises(ConfigError, match=r"\[imap\]"):
        config.require_imap()


@pytest.mark.parametrize("overrides, key", [
    ({"imap__host": "h", "imap__username": "u", "imap__password_env": "X",
      "imap__security": "tls"}, "imap.security"),
    ({"imap__host": "h", "imap__username": "u", "imap__password_env": "X",
      "imap__port": "993"}, "imap.port"),
    ({"imap__host": "h", "imap__password_env": "X"}, "imap.username"),
    ({"digest__at": "7.30"}, "digest.at"),
    ({"schedule__poll_minutes": 0}, "schedule.poll_minutes"),
    ({"call__timezone": "Europe/Wroclaw"}, "call.timezone"),
    ({"call__opens_at": "2024-05-06"}, "call.opens_at"),
    ({"smtp__port": 25}, "smtp.host"),
])
def test_bad_keys_are_named(tmp_path, overrides, key):
    with pytest.raises(ConfigError) as info:
        parse_config(minimal(**overrides), base=tmp_path)
    assert info.value.key == key
    assert "expected" in str(info.value) or "missing" in str(info.value)


def test_missing_call_section(tmp_path):
    with pytest.raises(ConfigError, match=r"\[call\]"):
        parse_config({}, base=tmp_path)


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("[call\nname=", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(bad)


def test_secrets_come_from_the_environment(tmp_path, monkeypatch):
    config = parse_config(minimal(imap__host="h", imap__username="u",
                                  imap__password_env="MB_TEST_PW"), base=tmp_path)
    assert config.imap is not None
    monkeypatch.delenv("MB_TEST_PW", raising=False)
    monkeypatch.delenv("MB_TEST_PW_FILE", raising=False)
    with pytest.raises(ConfigError, match="MB_TEST_PW"):
        config.imap.password.resolve("imap.password_env")
    secret = tmp_path / "pw"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("MB_TEST_PW_FILE", str(secret))
    assert config.imap.password.resolve("imap.password_env") == "from-file"
    monkeypatch.setenv("MB_TEST_PW", "from-env")
    assert config.imap.password.resolve("imap.password_env") == "from-env"
