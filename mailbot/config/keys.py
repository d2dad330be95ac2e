"""Strictness: the keys ``config.toml`` may hold, derived from the dataclasses of
:mod:`mailbot.config.model`; a key or table no dataclass knows is an error naming it and the
nearest valid one."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from typing import Any

from mailbot.config.model import Secret
from mailbot.errors import UnknownKeyError


def _unwrap(hint: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def known_keys(cls: type) -> dict[str, Any]:
    """TOML key -> what it holds: a dataclass (a table), ``[dataclass]`` (an array of tables),
    or None (a value, or a table checked by its own reader)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        names = f.metadata.get("toml")
        hint = _unwrap(hints[f.name])
        if names is not None:
            out.update(dict.fromkeys(names))
            if "flatten" in f.metadata:
                prefix = f.metadata.get("prefix", "")
                out.update({prefix + k: v for k, v in known_keys(f.metadata["flatten"]).items()})
            continue
        if hint is Secret:
            out[f"{f.name}_env"] = None
        elif dataclasses.is_dataclass(hint):
            out[f.name] = hint
        elif (
            typing.get_origin(hint) is tuple
            and typing.get_args(hint)
            and dataclasses.is_dataclass(typing.get_args(hint)[0])
        ):
            out[f.name] = [typing.get_args(hint)[0]]
        else:
            out[f.name] = None
    return out


def check_known(data: Mapping[str, Any], cls: type, prefix: str, where: str | None) -> None:
    """Raise :class:`UnknownKeyError` for the first key of ``data`` that ``cls`` does not know
    (recursively through tables and arrays of tables)."""
    known = known_keys(cls)
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            what = "table" if isinstance(value, Mapping) else "key"
            raise UnknownKeyError(dotted, what, list(known), where)
        inner = known[key]
        if isinstance(inner, list) and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    check_known(item, inner[0], f"{dotted}[{i}].", where)
        elif (
            isinstance(inner, type)
            and dataclasses.is_dataclass(inner)
            and isinstance(value, Mapping)
        ):
            check_known(value, inner, f"{dotted}.", where)
