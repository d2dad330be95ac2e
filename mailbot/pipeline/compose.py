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

The mailbox remembers what a lost database forgot (:mod:`mailbot.storage.resync`): when the
Sent folder holds letters answering this message that the database does not know, the
applications take the numbers those letters carried and the letters are recorded as sent —
never composed or sent again. A message read back from the archive folder (or received before a
restore when the mailbox keeps no copies) gets no new automatic letter: it may have had one.
"""

from __future__ import annotations

from collections.abc import Mapping

from mailbot.models import ApplicationDraft, Composed, ComposedReply, Judged, Letter
from mailbot.names import REFERENCE_COUNTER_KEY
from mailbot.pipeline import policy
from mailbot.pipeline.context import Context
from mailbot.pipeline.replies import (
    ReplyInputs,
    applicant_name,
    compose_reply,
    deliverable_address,
)
from mailbot.pipeline.texts import someone_else_writes
from mailbot.storage.messages import reference_number_in
from mailbot.storage.resync import (
    SentLetter,
    handled_before,
    handled_keys,
    letters_for_message,
    number_of,
)
from mailbot.storage.store import iso


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
    prefix = ctx.call.reference_prefix
    env = judged.seen.envelope
    mailbox = judged.seen.raw.mailbox
    history = references is None and bool(judged.applications)
    with ctx.store.reading():
        # the counter and, for new applications, what handled_before needs: one statement
        state = ctx.store.get_states(
            [REFERENCE_COUNTER_KEY, *(handled_keys(mailbox) if history else ())]
        )
        counter = reference_number_in(state)
        number = counter
        found: list[SentLetter] = []
        before = None
        if history:
            found = letters_for_message(ctx.store, env.message_id, prefix)
            before = handled_before(ctx.store, mailbox, env.received_at, state)
        letters: list[Letter] = []
        for draft in sorted(judged.applications, key=lambda d: d.applicant_key):
            reference = (references or {}).get(draft.applicant_key)
            if reference is None and found:
                sent = found.pop(0)
                reference = str(sent.reference)
                number = max(number, number_of(reference, prefix) or 0)
                letters.append(_found(judged, draft, reference, sent, ctx))
                continue
            if reference is None:
                number += 1
                reference = f"{prefix}-{number:04d}"
            if before and allow_reply:
                letters.append(Letter(draft, reference, None, before))
                continue
            letters.append(_letter(judged, draft, reference, ctx, letters, allow_reply))
    return Composed(tuple(letters), counter_read=counter, counter_after=number)


def _found(
    judged: Judged, draft: ApplicationDraft, reference: str, sent: SentLetter, ctx: Context
) -> Letter:
    """The application's letter as the Sent folder holds it: recorded as sent, not composed."""
    env = judged.seen.envelope
    raw, subject = sent.raw, sent.subject
    if raw is None:  # the copy could not be read: the letter's text as it would be now
        composed = compose_reply(
            ReplyInputs(
                env,
                draft.verdict,
                draft.form,
                ctx.call,
                reference,
                sent.kind,
                ctx.limits.replies_per_sender_per_day,
                ctx.limits.max_attachment_bytes,
                to_someone_else=_to_someone_else(judged, draft, ctx),
            )
        )
        raw = composed.raw if composed else b""
        subject = subject or (composed.subject if composed else "")
    reply = ComposedReply(
        template=sent.kind,
        to=sent.to_addr or deliverable_address(env.sender or ""),
        subject=subject or "",
        message_id=sent.message_id or "",
        raw=raw,
    )
    return Letter(draft, reference, reply, None, sent_at=sent.sent_at or iso(ctx.now()))


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
        if letter.reply
        and not letter.sent_at
        and env.sender
        and letter.reply.to.lower() == env.sender.lower()
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
        queued_now=sum(1 for letter in earlier if letter.reply and not letter.sent_at),
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
                written_at=ctx.now(),
                to_someone_else=_to_someone_else(judged, draft, ctx),
            )
        )
    return Letter(draft, reference, reply, decision.withheld)


def _to_someone_else(judged: Judged, draft: ApplicationDraft, ctx: Context) -> bool:
    """The letter goes to a sender who passed the form on (see ``someone_else_writes``)."""
    extraction = draft.form.extraction
    fields = extraction.fields if extraction is not None and extraction.readable else {}
    return someone_else_writes(
        len(judged.applications),
        judged.seen.envelope.sender,
        judged.seen.envelope.sender_name,
        draft.applicant_email,
        applicant_name(fields, ctx.call),
    )
