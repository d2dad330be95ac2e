"""What every ``mailbot`` command shares: global options before or after the command name, the
config loaded on demand, a MailbotError turned into one line and its exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from mailbot.cli_errors import phrase
from mailbot.errors import MailbotError

if TYPE_CHECKING:
    from mailbot.config import Config

F = TypeVar("F", bound=Callable[..., Any])

GLOBAL_VALUE_OPTIONS = ("--config",)
GLOBAL_FLAGS = ("-v", "--verbose")


def hoist_global_options(args: list[str], commands: set[str]) -> list[str]:
    """``mailbot poll --config x.toml -v`` → ``mailbot --config x.toml -v poll``: the global
    options given after the command name are moved before it (up to a ``--``)."""
    position = None
    for i, arg in enumerate(args):
        if arg in commands and (i == 0 or args[i - 1] not in GLOBAL_VALUE_OPTIONS):
            position = i
            break
    if position is None:
        return args
    head, tail = list(args[: position + 1]), args[position + 1 :]
    rest: list[str] = []
    i = 0
    while i < len(tail):
        arg = tail[i]
        if arg == "--":
            rest += tail[i:]
            break
        if arg in GLOBAL_VALUE_OPTIONS and i + 1 < len(tail):
            head[position:position] = [arg, tail[i + 1]]
            position += 2
            i += 2
            continue
        if (
            arg.startswith(tuple(o + "=" for o in GLOBAL_VALUE_OPTIONS))
            or arg in GLOBAL_FLAGS
            or (arg.startswith("-v") and set(arg[1:]) == {"v"})
        ):
            head.insert(position, arg)
            position += 1
        else:
            rest.append(arg)
        i += 1
    return head + rest


class GlobalOptionsGroup(click.Group):
    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(list(args), set(self.commands)))


class State:
    def __init__(self, config_path: Path):
        self.config_path = config_path

    def config(self) -> Config:
        from mailbot.config import load_config

        return load_config(self.config_path)


def reports_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MailbotError as exc:
            click.echo(f"mailbot: {phrase(exc)}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]
