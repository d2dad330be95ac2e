"""``mailbot backup DEST`` and ``mailbot restore SRC`` (the library: :mod:`mailbot.ops.backup`)."""

from __future__ import annotations

from pathlib import Path

import click

from mailbot.cli_base import State, reports_errors


@click.command()
@click.argument("dest", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--keep",
    type=click.IntRange(min=1),
    default=None,
    help="Then remove all but the newest N snapshots in DEST.",
)
@click.pass_obj
@reports_errors
def backup(state: State, dest: Path, keep: int | None) -> None:
    """Take a snapshot of the database and the file store into a new folder under DEST, while
    the worker runs (checked: integrity and a hash of every file; private)."""
    from mailbot.ops.backup import backup as take

    report = take(state.config(), dest, keep=keep)
    click.echo(report.text())
    if report.missing:
        click.echo(
            f"mailbot: the file store lacks {len(report.missing)} file(s) the database refers "
            f"to (e.g. {report.missing[0]}); the snapshot lists them as missing",
            err=True,
        )


@click.command()
@click.argument("src", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--no-mailbox",
    is_flag=True,
    help="Do not read the mailbox now (the next pass reads it back before it sends anything).",
)
@click.pass_obj
@reports_errors
def restore(state: State, src: Path, no_mailbox: bool) -> None:
    """Put the snapshot SRC back (verified first; refused while a pass runs), then read the
    mailbox back: the letters in Sent and the archive folder, so nothing is sent twice. SRC may
    be the folder of snapshots (DEST of `mailbot backup`): the newest is restored."""
    from mailbot.ops.backup import restore as put_back

    config = state.config()
    report = put_back(config, src, read_mailbox=not no_mailbox)
    click.echo(report.text(config.call.timezone))
