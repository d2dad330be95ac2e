"""mailbot/cli_base.py: global options before or after the command name, the config read when
a command needs it, a library error said in one line with its exit code."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mailbot.cli_base import GlobalOptionsGroup, State, hoist_global_options, reports_errors
from mailbot.errors import ConfigError

COMMANDS = {"poll", "review", "export"}


@pytest.mark.parametrize(
    ("given", "hoisted"),
    [
        (["poll", "--config", "x.toml", "-v"], ["--config", "x.toml", "-v", "poll"]),
        (["poll", "--config=x.toml", "--dry-run"], ["--config=x.toml", "poll", "--dry-run"]),
        (["-v", "review", "-vv", "list"], ["-v", "-vv", "review", "list"]),
        (["--config", "poll", "poll"], ["--config", "poll", "poll"]),  # a file named "poll"
        (["export", "--", "--config", "x"], ["export", "--", "--config", "x"]),
        (["--help"], ["--help"]),
        (["poll", "--verbose"], ["--verbose", "poll"]),
    ],
)
def test_global_options_after_the_command_are_moved_before_it(given, hoisted):
    assert hoist_global_options(given, COMMANDS) == hoisted


def test_a_group_reads_its_global_options_wherever_they_are():
    seen = {}

    @click.group(cls=GlobalOptionsGroup)
    @click.option("--config", default="config.toml")
    @click.option("-v", "--verbose", count=True)
    def cli(config: str, verbose: int) -> None:
        seen.update(config=config, verbose=verbose)

    @cli.command()
    @click.option("--dry-run", is_flag=True)
    def poll(dry_run: bool) -> None:
        seen.update(dry_run=dry_run)

    done = CliRunner().invoke(cli, ["poll", "--dry-run", "--config", "etc/m.toml", "-vv"])
    assert done.exit_code == 0, done.output
    assert seen == {"config": "etc/m.toml", "verbose": 2, "dry_run": True}


def test_a_library_error_becomes_one_line_and_its_exit_code():
    @click.command()
    @reports_errors
    def broken() -> None:
        raise ConfigError("imap.port", "expected a whole number 1–65535", got="imap")

    done = CliRunner().invoke(broken, [])
    assert done.exit_code == 78
    assert done.output.strip() == (
        "mailbot: imap.port: expected a whole number 1–65535 (found 'imap')"
    )


def test_the_config_is_read_only_when_asked(tmp_path: Path):
    state = State(tmp_path / "missing.toml")  # nothing read yet: no error
    with pytest.raises(ConfigError, match="not found"):
        state.config()
