"""Withdrawals: an application marked ``withdrawn`` ("wycofane"), linked to the message that
withdrew it, or — for a partial withdrawal ("rezygnuję z grupy 3") — its groups corrected.

mailbot never withdraws anything by itself. When a message plainly withdraws
(:func:`mailbot.pipeline.withdrawals.read_withdrawal`) and its sender has exactly one live
application, the withdrawal is *proposed* (:func:`propose`): the workspace's Do zrobienia and
the message's page offer it, the digest mentions it; a person sets it (:func:`withdraw`, the
workspace or ``mailbot review withdraw``). A withdrawn application leaves the Committee's lists
(they hold accepted applications only) and the attention queue; the export keeps it with its
status and the withdrawal message's Message-ID. A person's later decision replaces it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mailbot.config import Config
from mailbot.errors import MailbotError, ReviewError, WithdrawalError
from mailbot.names import Disposition
from mailbot.ops.review import AttentionItem, message_row, read_application
from mailbot.pipeline.delivery import is_robot_address
from mailbot.pipeline.withdrawals import plain_text, read_withdrawal
from mailbot.storage import applications
from mailbot.storage import review as review_store
from mailbot.storage import withdrawals as sql
from mailbot.storage.applications import effective_values
from mailbot.storage.review import Correction
from mailbot.storage.store import Store, iso, utcnow


@dataclass(frozen=True)
class Proposal:
    """A withdrawal mailbot proposes (a person confirms it)."""

    message_pk: int
    reference: str
    groups: tuple[int, ...]  # the groups to leave; () = the whole application
    remaining: tuple[int, ...]  # the groups that stay after a partial withdrawal
    phrase: str  # the sender's words that withdraw (folded)

    @property
    def whole(self) -> bool:
        return not self.groups


@dataclass(frozen=True)
class WithdrawalResult:
    reference: str
    old_status: str
    status: str
    groups_before: tuple[int, ...]
    groups_after: tuple[int, ...]  # equal to groups_before for a whole withdrawal

    @property
    def whole(self) -> bool:
        return self.groups_after == self.groups_before


def _groups_key(config: Config) -> str | None:
    field = config.form.groups_field
    return field.key if field else None


def _groups_of(config: Config, values: Mapping[str, Any]) -> tuple[int, ...]:
    """The numbers of the form's choice in an application's values (corrections laid over)."""
    key = _groups_key(config)
    value = values.get(key) if key else None
    return tuple(sorted(int(n) for n in value or [] if isinstance(n, int)))


def _text_of(store: Store, message: dict[str, Any]) -> str:
    """The subject and the sender's text (the stored message; "" when none was kept)."""
    raw_file = message.get("raw_file")
    try:
        body = plain_text(store.read_file(raw_file)) if raw_file else ""
    except MailbotError:
        body = ""
    return f"{message.get('subject') or ''}\n{body}"


def propose(config: Config, store: Store, message_pk: int) -> Proposal | None:
    """The withdrawal this message plainly asks for, when its sender has exactly one live
    application received before it; None otherwise (not a withdrawal, not plain, no single
    application, groups named that the application does not hold, already done)."""
    try:
        message = message_row(store, message_pk)
    except ReviewError:
        return None
    sender = (message.get("sender") or "").strip().lower()
    if (
        not sender
        or is_robot_address(sender)
        or message.get("disposition") not in (Disposition.CORRESPONDENCE, Disposition.UNRELATED)
    ):
        return None
    apps = [
        a
        for a in sql.live_applications_of(store, sender)
        if a.received_at <= message["received_at"]
    ]
    if len(apps) != 1:
        return None  # looked up first (an index): most messages end here, their text unread
    if sql.withdrawn_by_message(store, message_pk):
        return None  # done already
    reading = read_withdrawal(_text_of(store, message), config.call.groups)
    if reading is None:
        return None
    app = apps[0]
    # a sender's live applications as the withdrawal look-up reads them (JSON columns)
    current = _groups_of(config, effective_values(app.fields, app.corrected, config.form))
    leaving = tuple(n for n in reading.groups if n in current)
    if reading.groups and not leaving:
        return None  # it names groups the application does not hold: a person reads it
    remaining = tuple(n for n in current if n not in leaving)
    if not remaining:
        leaving = ()  # leaving every group is withdrawing the application
    return Proposal(message_pk, app.reference, leaving, remaining, reading.phrase)


def with_proposals(
    config: Config, store: Store, items: Iterable[AttentionItem]
) -> list[AttentionItem]:
    """Entries of the attention queue with the withdrawal each correspondence proposes (its
    reference number and a Polish line saying what would change)."""
    out = []
    for item in items:
        if item.kind == "correspondence" and item.message_pk is not None:
            found = propose(config, store, item.message_pk)
            if found is not None:
                item = replace(
                    item,
                    reference=found.reference,
                    detail=proposal_text(found),
                    withdrawal=found.reference,
                )
        out.append(item)
    return out


def proposal_text(p: Proposal) -> str:
    """What a proposal would do, in Polish (Do zrobienia, the digest, the message's page)."""
    if p.whole:
        return f"prośba o wycofanie zgłoszenia {p.reference} – do potwierdzenia przez pracownika"
    return (
        f"prośba o wycofanie zgłoszenia {p.reference} z grup {_numbers(p.groups)} "
        f"(pozostają grupy {_numbers(p.remaining)}) – do potwierdzenia przez pracownika"
    )


def _numbers(numbers: Sequence[int]) -> str:
    return ", ".join(str(n) for n in numbers)


def withdraw(
    config: Config,
    store: Store,
    ref: str,
    message_pk: int,
    *,
    actor: str,
    groups: Sequence[int] = (),
    partial: bool = False,
) -> WithdrawalResult:
    """A person withdraws an application (``groups`` empty) or only some of its groups,
    linked to the withdrawal message; the message's entry in the queue is then done.
    ``partial``: the person asked to leave only some groups (then ``groups`` must name them)."""
    if not ref.strip():
        raise WithdrawalError("reference_missing")
    if partial and not groups:
        raise WithdrawalError("groups_missing")
    try:
        app = read_application(store, ref)
    except ReviewError as exc:
        raise WithdrawalError("no_application", ref=ref.strip()) from exc
    try:
        message = message_row(store, message_pk)
    except ReviewError as exc:
        raise WithdrawalError("no_message", message_pk=message_pk) from exc
    reference = app.reference
    if message.get("disposition") == Disposition.IGNORED or is_robot_address(message["sender"]):
        raise WithdrawalError("robot_withdrawal", message_pk=message_pk)
    if app.superseded or not sql.is_live(store, app.id):
        raise WithdrawalError("not_live", reference=reference)
    if app.status not in sql.WITHDRAWABLE:
        raise WithdrawalError("not_withdrawable", reference=reference, status=app.status)
    before = _groups_of(config, app.fields(config.form))
    wanted = tuple(sorted({int(n) for n in groups}))
    if wanted and not set(wanted) <= set(before):
        missing = _numbers([n for n in wanted if n not in before])
        raise WithdrawalError("groups_not_named", reference=reference, numbers=missing)
    after = tuple(n for n in before if n not in wanted) if wanted else before
    now = iso(utcnow())
    with store.transaction():
        if wanted and after:
            key = _groups_key(config)
            assert key is not None  # before holds groups, so the form has the field
            applications.correct(
                store, app, [Correction(key, list(before), list(after), actor, now)]
            )
            status = app.status
            detail = f"{reference} groups {_numbers(before)} -> {_numbers(after)}"
        else:
            sql.mark_withdrawn(
                store,
                app.id,
                by=actor,
                at=now,
                message_pk=message_pk,
                machine_status=app.status,
            )
            status = "withdrawn"
            after = before
            detail = f"{reference} {app.status} -> withdrawn"
        store.event("withdrawal", message_pk, f"{detail} (message {message_pk})", actor=actor)
        if app.message_pk != message_pk:
            store.event("withdrawal", app.message_pk, detail, actor=actor)
        review_store.record_handled(store, f"message:{message_pk}", actor, "withdrawal")
    return WithdrawalResult(reference, app.status, status, before, after)


def candidates(store: Store, message_pk: int) -> list[sql.LiveApplication]:
    """The live applications the message's sender could withdraw (the workspace's choice)."""
    message = review_store.find_message(store, message_pk)
    sender = ((message or {}).get("sender") or "").strip().lower()
    return sql.live_applications_of(store, sender) if sender else []
