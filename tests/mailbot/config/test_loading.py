"""mailbot/config/loading.py: config.toml read, checked for unknown keys first, then each table
built by its loader; relative paths resolve against the file's folder."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from mailbot.config.loading import load_config, parse_config
from mailbot.errors import ConfigError, UnknownKeyError

ROOT = Path(__file__).resolve().parents[3]
SHIPPED = (ROOT / "config.toml").read_text(encoding="utf-8")


def shipped() -> dict:
    return tomllib.loads(SHIPPED)


def test_the_shipped_config_parses_with_paths_under_its_base(tmp_path):
    config = parse_config(shipped(), base=tmp_path)
    assert config.path is None
    assert config.call.reference_prefix == "DKRES-2024"
    assert [g.number for g in config.call.groups] == [1, 2, 3, 4, 5]
    assert config.storage.database.is_relative_to(tmp_path)
    assert config.call.form is config.form  # the call carries the form to the stages
    assert config.call.sender_name  # the From name is decided once, here


def test_without_call_the_config_says_what_the_call_needs(tmp_path):
    data = shipped()
    del data["call"]
    with pytest.raises(ConfigError) as caught:
        parse_config(data, base=tmp_path, path=tmp_path / "config.toml")
    assert caught.value.key == "[call]"
    assert "opens_at" in caught.value.expected and "[[call.groups]]" in caught.value.expected
    assert str(caught.value).startswith(f"{tmp_path / 'config.toml'}: ")


def test_an_unknown_key_is_refused_before_any_table_is_read(tmp_path):
    data = shipped()
    data["call"]["opens_at"] = "not a date"  # would fail in the call's loader
    data["storage"] = {"databse": "x.db"}
    with pytest.raises(UnknownKeyError) as caught:
        parse_config(data, base=tmp_path)
    assert caught.value.key == "storage.databse"


def test_load_config_reads_the_file_and_names_what_is_wrong_with_it(tmp_path):
    path = tmp_path / "etc" / "config.toml"
    path.parent.mkdir()
    path.write_text(SHIPPED, encoding="utf-8")
    config = load_config(path)
    assert config.path == path
    assert config.storage.database.is_relative_to(path.parent.resolve())

    with pytest.raises(ConfigError, match="not found; pass --config PATH"):
        load_config(tmp_path / "none.toml")
    broken = tmp_path / "broken.toml"
    broken.write_text("[call\nname = 1", encoding="utf-8")
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(broken)
    latin = tmp_path / "latin.toml"
    latin.write_bytes('[call]\nname = "Nab\xf3r"\n'.encode("latin-1"))
    with pytest.raises(ConfigError, match="is not valid TOML"):
        load_config(latin)
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(tmp_path)  # a folder, not a file
