"""``mailbot learn``: learn what this mailbox's everyday mail looks like from its history."""

from __future__ import annotations

import sys
from datetime import datetime

import click

from mailbot.cli_base import State, reports_errors


@click.command()
@click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Read the history received on or after this day (YYYY-MM-DD); default: all of it.",
)
@click.option(
    "--until",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Read the history received before this day (YYYY-MM-DD); default: imap.since, "
    "where the call's mail begins.",
)
@click.pass_obj
@reports_errors
def learn(state: State, since: datetime | None, until: datetime | None) -> None:
    """Read the mailbox's history over IMAP (text parts only) and keep word and phrase
    statistics of its everyday mail: no bodies, addresses or subjects. Run once before going
    live; a new run replaces what the last one learned."""
    from mailbot.ops.learn import learn as learn_history
    from mailbot.progress import TerminalProgress

    config = state.config()
    progress = TerminalProgress() if sys.stderr.isatty() else None
    try:
        report = learn_history(
            config,
            since.date() if since else None,
            until.date() if until else None,
            progress,
        )
    finally:
        if progress:
            progress.close()
    click.echo(report.summary())
