"""Do it again: re-read stored messages with today's parsers and configuration.

After LibreOffice was installed, ``[form]`` fixed, or a message misjudged, :func:`reprocess`
runs the reading stages again on the stored bytes (or fetches an ``unrelated`` message, whose
bytes are not kept, again from the mailbox by UID) and rewrites the message's record in one
transaction: disposition, attachments, applications (an applicant keeps their reference
number; a new applicant gets a new one), superseding. A new reply is queued only when asked
(``reply=True``); replies not yet sent for the old outcome are dropped. The event log keeps
what changed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from mailbot.config import Config, ImapConfig
from mailbot.errors import MailboxError, MessageGone, NotStoredError
from mailbot.models import RawMessage, Relevant
from mailbot.pipeline.classify import classify
from mailbot.pipeline.context import Context
from mailbot.pipeline.record import write_judged
from mailbot.pipeline.stages import judge
from mailbot.pipeline.superseding import resupersede
from mailbot.storage import reprocessing
from mailbot.storage.store import Store, parse_iso


@dataclass(frozen=True)
class Change:
    message_pk: int
    before: str
    after: str
    reply_queued: bool = False

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class ReprocessReport:
    changes: tuple[Change, ...]
    replies_queued: int

    def summary(self) -> str:
        lines = [
            f"message {c.message_pk}: {c.before} -> {c.after}"
            + ("" if c.changed else " (unchanged)")
            for c in self.changes
        ]
        changed = sum(1 for c in self.changes if c.changed)
        lines.append(
            f"{len(self.changes)} message(s) re-read, {changed} changed, "
            f"{self.replies_queued} reply(ies) queued"
        )
        return "\n".join(lines)


def select(
    store: Store,
    *,
    references: Sequence[str] = (),
    status: str | None = None,
    uid: int | None = None,
) -> list[int]:
    """The stored messages to re-read, by reference number, application status or IMAP UID."""
    return reprocessing.message_pks_matching(store, references=references, status=status, uid=uid)


def describe(store: Store, pk: int) -> str:
    parts = [reprocessing.message_disposition(store, pk) or "missing"]
    parts += [
        f"{a.reference} {a.status}" + (" (superseded)" if a.superseded else "")
        for a in reprocessing.application_outcomes(store, pk)
    ]
    return " ".join(parts)


FetchByUid = Callable[[dict[str, Any]], RawMessage]


def stored_raw(store: Store, row: dict[str, Any], fetch: FetchByUid | None) -> RawMessage:
    """The message's bytes: from the file store, or (unrelated mail) from the mailbox."""
    internaldate = (
        parse_iso(row["received_at"]) if row["received_at_source"] == "internaldate" else None
    )
    if row["raw_file"]:
        return RawMessage(
            raw=store.read_file(row["raw_file"]),
            origin=row["origin"],
            mailbox=row["mailbox"],
            uidvalidity=row["uidvalidity"],
            uid=row["uid"],
            internaldate=internaldate,
        )
    if fetch is None or row["uid"] is None:
        raise NotStoredError(
            f"message {row['id']} was not kept (not about the call) and "
            "cannot be fetched again from the mailbox"
        )
    return fetch(row)


def imap_fetcher(config: ImapConfig) -> FetchByUid:
    """Fetch one message again by UID (folder opened read-only, BODY.PEEK)."""
    from mailbot.mail import imap

    def fetch(row: dict[str, Any]) -> RawMessage:
        client = imap.connect(config)
        try:
            info = client.select_folder(config.folder, readonly=True)
            if int(info[b"UIDVALIDITY"]) != row["uidvalidity"]:
                raise MessageGone(
                    f"the folder {config.folder!r} was renumbered "
                    "(UIDVALIDITY changed): the message cannot be found by UID"
                )
            data = client.fetch([row["uid"]], ["BODY.PEEK[]", "INTERNALDATE"]).get(row["uid"])
        except MailboxError:
            raise
        except Exception as exc:
            raise MailboxError(f"cannot fetch UID {row['uid']} again: {exc}") from exc
        finally:
            imap.logout(client)
        if not data or b"BODY[]" not in data:
            raise MessageGone(f"UID {row['uid']} is no longer in {config.folder!r}")
        when = data.get(b"INTERNALDATE")
        return RawMessage(
            raw=bytes(data[b"BODY[]"]),
            origin="imap",
            mailbox=row["mailbox"],
            uidvalidity=row["uidvalidity"],
            uid=row["uid"],
            internaldate=when if isinstance(when, datetime) else None,
        )

    return fetch


def reprocess_one(
    ctx: Context, pk: int, fetch: FetchByUid | None, *, reply: bool, decided: Relevant | None = None
) -> Change:
    """Re-read one stored message and rewrite its record in one transaction; ``decided`` is a
    person's decision (e.g. "this is an application") overriding the relevance rules."""
    store = ctx.store
    row = reprocessing.message_row(store, pk)
    if row is None:
        raise NotStoredError(f"no stored message {pk}")
    raw = stored_raw(store, row, fetch)
    with store.transaction():
        before = describe(store, pk)
        old = reprocessing.recorded_applications(store, pk)
        references = {a.applicant_key: a.reference for a in old if a.applicant_key}
        by_app = {a.id: a.reference for a in old}
        sent = reprocessing.replies_out(store, pk)
        keys = {a.applicant_key for a in old if a.applicant_key}
        senders = {a.sender_key for a in old if a.sender_key}
        reprocessing.clear_message_record(store, pk)
        seen = classify(
            raw,
            known_message_id=lambda mid: reprocessing.message_id_stored_before(store, mid, pk),
            max_message_bytes=ctx.limits.max_message_bytes,
            now=ctx.now(),
        )
        queued = 0
        if seen.disposition is not None and decided is None:
            reprocessing.set_disposition(store, pk, seen.disposition, seen.reason)
        else:
            if seen.disposition is not None:  # a person says a "robot" wrote to the call
                seen = replace(seen, disposition=None, reason=None)
            outcome = write_judged(
                judge(seen, ctx, decided),
                ctx,
                message_pk=pk,
                references=references,
                allow_reply=reply,
            )
            queued = int(outcome.reply_queued)
        # replies already sent stay linked to the application holding the same number
        for out in sent:
            reprocessing.link_reply_to_reference(
                store, out.id, by_app.get(out.application_pk) if out.application_pk else None
            )
        new_keys = reprocessing.applicant_keys(store, pk)
        if row["sender"]:
            senders.add(str(row["sender"]).lower())
        resupersede(store, keys | new_keys, senders, ctx.form)
        after = describe(store, pk)
        store.event(
            "reprocessed", pk, f"{before} -> {after}" + (" (reply queued)" if queued else "")
        )
        reprocessing.mark_stored_at(store, pk, ctx.now())
    return Change(pk, before, after, bool(queued))


def reprocess(
    config: Config,
    ctx: Context,
    pks: Sequence[int],
    *,
    reply: bool = False,
    decided: Relevant | None = None,
) -> ReprocessReport:
    """Re-read each message in turn (one transaction each)."""
    if not pks:
        raise NotStoredError(
            "no stored message matches (check the reference numbers, the status or the UID)"
        )
    fetch = imap_fetcher(config.imap) if config.imap else None
    changes = tuple(reprocess_one(ctx, pk, fetch, reply=reply, decided=decided) for pk in pks)
    return ReprocessReport(changes, sum(1 for c in changes if c.reply_queued))
