"""``mailbot review withdraw``: a person withdraws an application (or some of its groups),
linked to the message that asked for it — the same library call as the workspace's
Wycofanie page."""

from __future__ import annotations

import click

from mailbot.cli_base import State, reports_errors
from mailbot.cli_review import _actor
from mailbot.errors import WithdrawalError


@click.command("withdraw")
@click.argument("ref", required=False)
@click.option(
    "--message",
    "message_pk",
    type=int,
    required=True,
    help="The withdrawal message (its number in the workspace's address /wiadomosc/N).",
)
@click.option(
    "--group",
    "numbers",
    type=int,
    multiple=True,
    help="Withdraw only from this group (repeat for more); the other groups stay.",
)
@click.pass_obj
@reports_errors
def withdraw(state: State, ref: str | None, message_pk: int, numbers: tuple[int, ...]) -> None:
    """Mark REF withdrawn (or, with --group, remove those groups from it), linked to the
    withdrawal message. Without REF: show what mailbot proposes for the message."""
    from mailbot.ops import jobs
    from mailbot.ops import withdrawals as lib

    config = state.config()
    with jobs.open_store(config) as store:
        if ref is None:
            proposal = lib.propose(config, store, message_pk)
            if proposal is None:
                raise WithdrawalError("no_proposal", message_pk=message_pk)
            extra = "".join(f" --group {n}" for n in proposal.groups)
            click.echo(f"proposed: {lib.proposal_text(proposal)}")
            click.echo(
                f"to do it: mailbot review withdraw {proposal.reference} "
                f"--message {message_pk}{extra}"
            )
            return
        result = lib.withdraw(config, store, ref, message_pk, actor=_actor(), groups=numbers)
    if result.whole:
        click.echo(f"{result.reference}: {result.old_status} -> withdrawn (message {message_pk})")
    else:
        before = ",".join(str(n) for n in result.groups_before)
        after = ",".join(str(n) for n in result.groups_after)
        click.echo(f"{result.reference}: groups {before} -> {after} (message {message_pk})")
