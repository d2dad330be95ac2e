"""Compose stage: the reference number and the letter of every application in a message.

It runs after the reading stages and before the write transaction, and only reads the store:
the last reference number given and how many replies went out lately (the reply caps of
:mod:`mailbot.pipeline.policy`). The record stage then writes what was composed in one
transaction and checks that the reference counter is still where this stage read it (the
pipeline lock keeps one writer; if another one moved it, nothing is written and the message is
taken again on the next pass).

The applications of one message are numbered in the order of their applicant keys; an applicant
who already holds a number (reprocessing) keeps it. A letter goes only where the reply policy
lets it; otherwise the reason is kept for the coordinator.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mailbot.models import ApplicationDraft, ComposedReply, Judged
from mailbot.pipeline import policy
from mailbot.pipeline.context import Context
from mailbot.pipeline.replies import ReplyInputs, compose_reply
from mailbot.storage.messages import last_reference_number


@dataclass(frozen=True)
class Letter:
    """One application of the message: its number, its letter or why none goes."""

    draft: ApplicationDraft
    reference: str
    reply: ComposedReply | None
    withheld: str | None  # why the policy withheld the letter (stored for the coordinator)


@dataclass(frozen=True)
class Composed:
    """Every application of a message, numbered and answered, ready to be written."""

    letters: tuple[Letter, ...]
    counter_read: int  # the last reference number given when this stage read it
    counter_after: int  # the last number once these applications have theirs

    @property
    def replies(self) -> int:
        return sum(1 for letter in self.letters if letter.reply is not None)


def compose(
    judged: Judged,
    ctx: Context,
    *,
    references: Mapping[str, str] | None = None,
    allow_reply: bool = True,
) -> Composed:
    """Number the message's applications and compose the letters the policy allows.

    ``references`` are numbers the applicants of the message hold already (reprocessing);
    ``allow_reply=False`` composes no letter and records no reason (a re-read without a reply).
    """
    with ctx.store.reading():
        counter = last_reference_number(ctx.store)
        number = counter
        letters: list[Letter] = []
        for draft in sorted(judged.applications, key=lambda d: d.applicant_key):
            reference = (references or {}).get(draft.applicant_key)
            if reference is None:
                number += 1
                reference = f"{ctx.call.reference_prefix}-{number:04d}"
            letters.append(_letter(judged, draft, reference, ctx, letters, allow_reply))
    return Composed(tuple(letters), counter_read=counter, counter_after=number)


def _letter(
    judged: Judged,
    draft: ApplicationDraft,
    reference: str,
    ctx: Context,
    earlier: list[Letter],
    allow_reply: bool,
) -> Letter:
    if not allow_reply:
        return Letter(draft, reference, None, None)
    env = judged.seen.envelope
    # the letters composed for this message before this one count towards the caps, as the
    # rows they become will count for the next message
    to_sender = sum(
        1
        for letter in earlier
        if letter.reply and env.sender and letter.reply.to.lower() == env.sender.lower()
    )
    decision = policy.reply_for(
        ctx.store,
        judged.seen.message,
        env.sender,
        draft.verdict.status,
        judged.seen.no_reply,
        ctx.limits,
        ctx.now(),
        call_address=ctx.call.address,
        queued_now=sum(1 for letter in earlier if letter.reply),
        queued_now_to_sender=to_sender,
        evidence=judged.relevance.strong,
    )
    reply = None
    if decision.template:
        reply = compose_reply(
            ReplyInputs(
                env,
                draft.verdict,
                draft.form,
                ctx.call,
                reference,
                decision.template,
                ctx.limits.replies_per_sender_per_day,
                ctx.limits.max_attachment_bytes,
            )
        )
    return Letter(draft, reference, reply, decision.withheld)
