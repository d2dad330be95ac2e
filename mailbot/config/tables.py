"""Small typed readers: a TOML table with its dotted name, whose readers name the key and
what is expected when a value is bad."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mailbot.config.declared import Key
from mailbot.errors import ConfigError


class Table:
    """A TOML table with its dotted name, for readers that name the key on error."""

    def __init__(self, data: Mapping[str, Any], name: str, where: str | None):
        self.data = data
        self.name = name
        self.where = where

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def fail(self, key: str, expected: str, got: object = None) -> ConfigError:
        return ConfigError(self.key(key), expected, got=got, path=self.where)

    def text(self, key: str, default: str | None = None, *, required: bool = True) -> str:
        value = self.data.get(key, default)
        if value is None:
            if required:
                raise self.fail(key, "missing: expected a text value")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "expected a non-empty text value", value)
        return value.strip()

    def read(self, declared: Key, base: Path | None = None) -> Any:
        """A declared key of this table, read and checked by its declaration (type, default,
        bounds); ``base`` is the folder a ``path`` is relative to."""
        name, default = declared.leaf, declared.default
        if declared.type == "int":
            assert declared.lo is not None and declared.hi is not None
            return self.integer(name, default, int(declared.lo), int(declared.hi))
        if declared.type == "seconds":
            assert declared.lo is not None and declared.hi is not None
            return self.number(name, default, declared.lo, declared.hi)
        if declared.type == "bool":
            return self.flag(name, default)
        if declared.type == "text":
            return self.text(name, default)
        if declared.type in ("opt_text", "env"):
            return self.opt_str(name)
        if declared.type == "choice":
            return self.choice(name, default, declared.choices)
        if declared.type == "date":
            return self.opt_date(name)
        if declared.type == "path" and base is not None:
            return self.path(name, default, base)
        if declared.type == "opt_path" and base is not None:
            return self.opt_path(name, base)
        raise ValueError(f"{declared.name}: a {declared.type} key is read by its table's loader")

    def opt_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty text value", value)
        return value.strip()

    def integer(self, key: str, default: int | None, lo: int, hi: int) -> int:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, f"missing: expected a whole number {lo}–{hi}")
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(key, f"expected a whole number {lo}–{hi}", value)
        return value

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.fail(key, f"expected a number of seconds {lo}–{hi}", value)
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false", value)
        return value

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            raise self.fail(key, "expected one of " + ", ".join(f'"{c}"' for c in choices), value)
        return str(value)

    def datetime(self, key: str, tz: ZoneInfo) -> datetime:
        """A TOML date-time; without an offset it is read in ``tz``; an offset that is not
        ``tz``'s on that date is an error (it would move the moment by the difference)."""
        value = self.data.get(key)
        if not isinstance(value, datetime):
            raise self.fail(
                key,
                "expected a TOML date-time, e.g. 2024-05-06T00:00:00 (read in "
                "call.timezone) or 2024-05-06T00:00:00+02:00",
                value,
            )
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        offset = value.utcoffset()
        zone_offset = value.replace(tzinfo=tz).utcoffset()
        if offset != zone_offset:
            raise self.fail(
                key,
                f"an offset that agrees with call.timezone ({tz.key} is "
                f"{_offset_text(zone_offset)} on {value:%Y-%m-%d}); write the "
                f"time without an offset to use the zone's",
                value.isoformat(),
            )
        return value

    def path(self, key: str, default: str, base: Path) -> Path:
        value = self.text(key, default)
        p = Path(value).expanduser()
        return p if p.is_absolute() else (base / p)

    def opt_path(self, key: str, base: Path) -> Path | None:
        value = self.opt_str(key)
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else (base / p)

    def opt_date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, "expected a date, e.g. 2024-04-22", value)

    def table(self, key: str) -> Table | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(key, "expected a table", value)
        return Table(value, self.key(key), self.where)


def _offset_text(offset: Any) -> str:
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def root_table(data: Mapping[str, Any], path: str | None) -> Table:
    return Table(data, "", path)


def section_table(root: Table, name: str) -> Table | None:
    value = root.data.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}]", "expected a table", got=value, path=root.where)
    return Table(value, name, root.where)
