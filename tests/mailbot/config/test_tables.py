"""mailbot/config/tables.py: the typed readers of a TOML table, which name the key and what is
expected when a value is bad."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config.declared import key
from mailbot.config.tables import Table, root_table, section_table
from mailbot.errors import ConfigError

WARSAW = ZoneInfo("Europe/Warsaw")


def table(**data: object) -> Table:
    return Table(data, "limits", "config.toml")


def refused(call) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        call()
    return caught.value


def test_a_bad_value_names_the_file_the_dotted_key_what_is_expected_and_what_was_found():
    error = refused(lambda: table(max_parts="sto").integer("max_parts", 100, 1, 10_000))
    assert error.key == "limits.max_parts"
    assert str(error) == (
        "config.toml: limits.max_parts: expected a whole number 1–10000 (found 'sto')"
    )


def test_whole_numbers_keep_their_bounds_and_refuse_true():
    assert table().integer("n", 7, 1, 10) == 7
    assert table(n=10).integer("n", 7, 1, 10) == 10
    for bad in (0, 11, True, 2.5):
        assert refused(lambda bad=bad: table(n=bad).integer("n", 7, 1, 10)).key == "limits.n"
    assert "missing" in refused(lambda: table().integer("n", None, 1, 10)).expected


def test_seconds_flags_and_choices():
    assert table(t=5).number("t", 60.0, 1, 3600) == 5.0
    assert table().number("t", 60.0, 1, 3600) == 60.0
    assert "seconds" in refused(lambda: table(t=0.5).number("t", 60.0, 1, 3600)).expected
    assert table(f=False).flag("f", True) is False
    assert refused(lambda: table(f="yes").flag("f", True)).expected == "expected true or false"
    assert table(s="ssl").choice("s", "starttls", ("ssl", "starttls")) == "ssl"
    error = refused(lambda: table(s="tls").choice("s", "starttls", ("ssl", "starttls")))
    assert error.expected == 'expected one of "ssl", "starttls"'


def test_text_is_stripped_and_required_text_is_never_empty():
    assert table(x="  Nabór  ").text("x") == "Nabór"
    assert "missing" in refused(lambda: table().text("x")).expected
    assert refused(lambda: table(x="   ").text("x")).key == "limits.x"
    assert table().text("x", required=False) == ""
    assert table().opt_str("x") is None
    assert refused(lambda: table(x=5).opt_str("x")).expected == "expected a non-empty text value"


def test_paths_are_relative_to_the_configs_folder_unless_absolute(tmp_path):
    base = tmp_path / "etc"
    assert table(p="state/db").path("p", "x", base) == base / "state/db"
    assert table(p="/var/lib/db").path("p", "x", base) == Path("/var/lib/db")
    assert table().path("p", "data/x.db", base) == base / "data/x.db"
    assert table().opt_path("p", base) is None
    assert table(p="~/x").opt_path("p", base) == Path("~/x").expanduser()


def test_dates_from_toml_or_text():
    assert table(d=date(2024, 4, 22)).opt_date("d") == date(2024, 4, 22)
    assert table(d=" 2024-04-22 ").opt_date("d") == date(2024, 4, 22)
    assert table().opt_date("d") is None
    assert "2024-04-22" in refused(lambda: table(d="22.04.2024").opt_date("d")).expected
    assert refused(lambda: table(d=datetime(2024, 4, 22, 8)).opt_date("d")).key == "limits.d"


def test_a_moment_without_offset_is_read_in_the_calls_zone_and_a_wrong_offset_refused():
    opens = table(at=datetime(2024, 5, 6)).datetime("at", WARSAW)
    assert opens.utcoffset().total_seconds() == 2 * 3600
    same = datetime.fromisoformat("2024-05-06T00:00:00+02:00")
    assert table(at=same).datetime("at", WARSAW) == same
    error = refused(
        lambda: table(at=datetime.fromisoformat("2024-05-06T00:00:00+01:00")).datetime("at", WARSAW)
    )
    assert "Europe/Warsaw is +02:00 on 2024-05-06" in error.expected
    assert "TOML date-time" in refused(lambda: table(at="6 maja").datetime("at", WARSAW)).expected


def test_inner_and_section_tables_carry_their_dotted_names():
    root = root_table({"imap": {"oauth2": {"x": 1}}, "smtp": "nie"}, "config.toml")
    imap = section_table(root, "imap")
    assert imap is not None and imap.name == "imap"
    assert imap.table("oauth2").key("x") == "imap.oauth2.x"
    assert imap.table("missing") is None
    assert section_table(root, "web") is None
    error = refused(lambda: section_table(root, "smtp"))
    assert (error.key, error.expected) == ("[smtp]", "expected a table")
    assert refused(lambda: Table({"t": 3}, "imap", None).table("t")).key == "imap.t"


def test_a_declared_key_is_read_by_its_declaration(tmp_path):
    limits = Table({"max_parts": 12}, "limits", None)
    assert limits.read(key("limits.max_parts")) == 12
    assert (
        Table({}, "limits", None).read(key("limits.max_parts")) == key("limits.max_parts").default
    )
    assert refused(lambda: Table({"max_parts": 0}, "limits", None).read(key("limits.max_parts")))
    imap = Table({"security": "starttls", "since": "2024-04-22"}, "imap", None)
    assert imap.read(key("imap.security")) == "starttls"
    assert imap.read(key("imap.since")) == date(2024, 4, 22)
    assert imap.read(key("imap.timeout")) == key("imap.timeout").default
    storage = Table({"database": "db/m.db"}, "storage", None)
    assert storage.read(key("storage.database"), tmp_path) == tmp_path / "db/m.db"
