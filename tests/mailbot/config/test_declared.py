"""Each key of the simple tables is declared once (mailbot/config/declared.py): the loader, the
dataclasses' defaults, the errors and README.md's configuration table follow the declaration."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from mailbot.config import Config, ConfigError, known_keys, parse_config
from mailbot.config.declared import DECLARED, KEYS, MIB, TABLES, Key
from parsers import ParseLimits

ROOT = Path(__file__).resolve().parents[3]
CALL = {
    "name": "Nabór testowy",
    "address": "nabor@example.org",
    "opens_at": "2024-05-06T00:00:00",
    "closes_at": "2024-05-24T23:59:59",
    "groups": [{"number": n, "name": f"Grupa {n}"} for n in range(1, 6)],
}


#: the least [imap] and [smtp] that load (their required keys)
MINIMAL = {
    "imap": {"host": "imap.example.org", "username": "nabor", "password_env": "IMAP_PASSWORD"},
    "smtp": {"host": "smtp.example.org"},
}


def _config(**tables: Any) -> Config:
    from datetime import datetime

    call = dict(CALL)
    call["opens_at"] = datetime(2024, 5, 6)
    call["closes_at"] = datetime(2024, 5, 24, 23, 59, 59)
    data: dict[str, Any] = {"call": call, **{k: dict(v) for k, v in MINIMAL.items()}}
    for table, keys in tables.items():
        data.setdefault(table, {}).update(keys)
    return parse_config(data, base=Path("/srv/mailbot"))


#: keys of [limits] that land in the reader's limits under the reader's own names
PARSE_FIELDS = {
    "max_archive_members": "max_zip_members",
    "max_uncompressed_bytes": "max_uncompressed",
    "max_compression_ratio": "max_ratio",
    "max_pdf_pages": "max_pdf_pages",
    "max_parse_seconds": "max_seconds",
}


#: keys read into another attribute than their name
ATTRIBUTES = {"password_env": "password", "client_secret_env": "client_secret"}


def _value(config: Config, declared: Key) -> Any:
    table = getattr(config, declared.table)
    leaf = declared.leaf
    if leaf.startswith("oauth2_"):
        table, leaf = table.oauth2, leaf.removeprefix("oauth2_")
        leaf = {"client_secret_env": "client_secret", "refresh_token_env": "refresh_token"}.get(
            leaf, leaf
        )
        value = getattr(table, leaf)
        return getattr(value, "env", value)
    if declared.table == "limits" and declared.leaf in PARSE_FIELDS:
        return getattr(table.parse, PARSE_FIELDS[declared.leaf])
    value = getattr(table, ATTRIBUTES.get(leaf, leaf))
    return getattr(value, "env", getattr(value, "key", value))  # a secret's name, a zone's


def _known(table: str) -> type:
    """The dataclass that reads ``table`` (dotted: ``call.office``)."""
    cls: Any = Config
    for part in table.split("."):
        cls = known_keys(cls)[part]
        if isinstance(cls, list):  # an array of tables
            cls = cls[0]
    return cls


def test_the_declared_tables_know_exactly_the_declared_keys():
    for table in TABLES:
        declared = {k.leaf for k in DECLARED if k.table == table}
        known = known_keys(_known(table))
        accepted = {k for k, inner in known.items() if inner is None}  # values, not tables
        if table == "limits":  # parsers.ParseLimits' own names are accepted too
            accepted -= {f.name for f in dataclasses.fields(ParseLimits)} - declared
        assert accepted == declared, table
    tables = {k for k, inner in known_keys(Config).items() if inner is not None}
    assert tables - set(TABLES) == set()  # every table of the config is declared


def test_a_config_without_the_tables_takes_the_declared_defaults():
    config = _config()
    for declared in DECLARED:
        if declared.written is not None or declared.leaf in MINIMAL.get(declared.table, {}):
            continue  # required, or derived from other keys
        value = _value(config, declared)
        if declared.type == "path":
            assert value == Path("/srv/mailbot") / declared.default
        elif declared.type == "time":
            assert value.strftime("%H:%M") == declared.default
        elif declared.type == "addresses":
            assert value == tuple(declared.default)
        else:
            assert value == declared.default, declared.name


@pytest.mark.parametrize(
    "declared", [k for k in DECLARED if k.type in ("int", "seconds") and "." not in k.table]
)
def test_a_value_out_of_bounds_stops_start_up_naming_the_key(declared):
    assert declared.lo is not None and declared.hi is not None
    low = {declared.table: {declared.leaf: declared.lo - 1}}
    with pytest.raises(ConfigError) as refused:
        _config(**low)
    assert refused.value.key == declared.name
    bounds = (
        (declared.lo, declared.hi)
        if declared.type == "seconds"
        else map(int, (declared.lo, declared.hi))
    )
    assert "{}–{}".format(*bounds) in refused.value.expected
    ok = {declared.table: {declared.leaf: declared.hi}}
    assert _value(_config(**ok), declared) == declared.hi


def _rendered(declared: Key) -> str:
    value = declared.default
    if declared.written is not None:
        return _plain(declared.written)
    if value is None or value in ((), ""):
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and value >= MIB and value % MIB == 0:
        return f"{value // MIB} MiB"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _plain(text: str) -> str:
    """A default as README writes it, without its code marks and quotes."""
    return text.replace("`", "").replace('"', "").strip()


def _rows() -> list[list[str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration (`config.toml`)", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        if line.startswith("| ") and not line.startswith("| key ") and "---" not in line:
            rows.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
    return rows


def _documented() -> dict[str, str]:
    """Every key README.md documents in a declared table -> its default as written."""
    found: dict[str, str] = {}
    for row in _rows():
        names = re.findall(r"`([^`]+)`", row[0])
        if names and names[0].startswith("["):  # `[call.office]` `name`, `unit` …
            names = [f"{names[0].strip('[]')}.{leaf}" for leaf in names[1:]]
        if not names:  # [form]: the form spec, documented in parsers/README.md
            continue
        if len(names) == 1 and names[0].endswith(".*") and names[0][:-2] in TABLES:
            table = names[0][:-2]
            for leaf, inside in re.findall(r"`([a-z_]+)` \(([^()]*)\)", row[1]):
                found[f"{table}.{leaf}"] = _plain(re.split(r"[;,] | default ", inside)[-1])
            continue
        if not any(n.split(".")[0] in TABLES for n in names):
            continue
        cell = row[-1]
        defaults = cell.split(", ")
        if len(defaults) != len(names):  # one default said for every key of the row
            defaults = [cell] * len(names)
        found.update(zip(names, (_plain(d) for d in defaults), strict=True))
    return found


def test_readme_documents_every_declared_key_with_its_default():
    documented = _documented()
    assert set(documented) - set(KEYS) == set(), "documented but not declared"
    assert set(KEYS) - set(documented) == set(), "declared but not documented"
    for name, written in documented.items():
        assert written.removeprefix("default ") == _rendered(KEYS[name]), name


def test_the_readme_check_reads_the_table():
    documented = _documented()
    assert documented["web.port"] == "8025" and documented["limits.max_parse_memory"] == "512 MiB"
