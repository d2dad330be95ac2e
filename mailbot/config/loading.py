"""Read ``config.toml`` and build the :class:`~mailbot.config.model.Config`: strictness first,
then each table's loader."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from mailbot.config.keys import check_known
from mailbot.config.model import Config
from mailbot.config.sections import (
    load_call,
    load_digest,
    load_form,
    load_imap,
    load_limits,
    load_resolution,
    load_schedule,
    load_smtp,
    load_storage,
    load_templates,
    load_web,
    sender_name_of,
)
from mailbot.config.tables import root_table, section_table
from mailbot.errors import ConfigError


def parse_config(data: Mapping[str, Any], *, base: Path, path: Path | None = None) -> Config:
    """Build a :class:`Config` from already-parsed TOML data."""
    where = str(path) if path else None
    check_known(data, Config, "", where)
    root = root_table(data, where)
    call_t = section_table(root, "call")
    if call_t is None:
        raise ConfigError(
            "[call]",
            "missing: the call's name, opens_at, closes_at, timezone, address and [[call.groups]]",
            path=where,
        )
    call = load_call(call_t)
    form = load_form(root, call)
    call = replace(call, resolution=load_resolution(call_t.table("resolution"), form))
    templates = load_templates(section_table(root, "templates"), base)
    imap_t, smtp_t = section_table(root, "imap"), section_table(root, "smtp")
    smtp = load_smtp(smtp_t, base) if smtp_t else None
    call = replace(
        call, sender_name=sender_name_of(call, smtp, bool(call_t.data.get("short_name")))
    )
    return Config(
        path=path,
        call=call,
        form=form,
        templates=templates,
        storage=load_storage(section_table(root, "storage"), base),
        imap=load_imap(imap_t, base) if imap_t else None,
        smtp=smtp,
        digest=load_digest(section_table(root, "digest")),
        schedule=load_schedule(section_table(root, "schedule")),
        limits=load_limits(section_table(root, "limits")),
        web=load_web(section_table(root, "web")),
    )


def load_config(path: Path) -> Config:
    """Read and check ``config.toml``; relative paths in it resolve against its folder."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(
            "--config",
            f"config file {path} not found; pass --config PATH",
        ) from exc
    except OSError as exc:
        raise ConfigError("--config", f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("--config", f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data, base=path.resolve().parent, path=path)
