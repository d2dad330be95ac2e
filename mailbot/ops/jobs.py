"""The jobs the CLI and the worker run: poll, import, send replies, send the digest.

Each job takes the typed :class:`~mailbot.config.Config`, holds the pipeline lock while it
touches the pipeline, and returns a typed report; failures come out as :class:`MailbotError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from mailbot.config import Config
from mailbot.errors import ConfigError, LockedError, MailbotError, MailboxError
from mailbot.mail import imap
from mailbot.names import LAST_POLL_KEY, uidvalidity_key
from mailbot.ops import resync
from mailbot.ops.lock import pipeline_lock
from mailbot.pipeline.report import PassReport
from mailbot.storage.messages import mark_archived, messages_to_archive, messages_to_retry
from mailbot.storage.replies import due_replies, pending_replies
from mailbot.storage.store import Store, iso, utcnow

if TYPE_CHECKING:  # the rest loads when a job needs it: a pass with nothing new loads little
    from mailbot.mail.outbox import SendReport
    from mailbot.mail.transport import Transport
    from mailbot.models import RawMessage, Relevant
    from mailbot.ops.digest import Digest
    from mailbot.ops.dryrun import DryRunReport
    from mailbot.ops.ocr_jobs import ScanReport
    from mailbot.ops.purge import PurgeReport
    from mailbot.ops.reprocess import ReprocessReport
    from mailbot.pipeline.context import Context
    from mailbot.progress import Progress

log = logging.getLogger(__name__)

IMPORT_LOCK_WAIT = 1800.0  # an import waits for a running pass rather than skipping


@dataclass(frozen=True)
class JobReport:
    messages: PassReport
    replies: SendReport | None
    mailbox_error: str | None = None
    skipped: str | None = None  # why the pass did not run (another pass holds the lock)
    error_code: int | None = None  # the exit code of the mailbox error, when there was one
    resync: resync.ResyncReport | None = None  # what the mailbox told a database behind it
    scans: ScanReport | None = None  # scans read with OCR after the pass

    @property
    def ok(self) -> bool:
        return self.mailbox_error is None and (self.replies is None or self.replies.stopped is None)

    def summary(self) -> str:
        if self.skipped:
            return f"skipped: {self.skipped}"
        parts = [f"{self.messages.processed} new message(s)"]
        parts += [f"{n} {s}" for s, n in sorted(self.messages.by_status.items())]
        parts += [
            f"{n} {d}"
            for d, n in sorted(self.messages.by_disposition.items())
            if d != "application"
        ]
        if self.messages.deferred:
            parts.append(f"{self.messages.deferred} failed (will be retried)")
        found = (self.resync.found if self.resync else 0) + (
            self.replies.found_in_sent if self.replies else 0
        )
        if self.resync and self.resync.read_back:
            parts.append(f"{self.resync.read_back} read back from the archive folder")
        if found:
            parts.append(f"{found} reply(ies) found in Sent (not sent again)")
        if self.replies:
            parts.append(f"{self.replies.sent} reply(ies) sent")
            if self.replies.pending:
                parts.append(f"{self.replies.pending} queued")
            if self.replies.failed:
                parts.append(f"{self.replies.failed} refused")
        if self.scans and self.scans.summary():
            parts.append(self.scans.summary())
        return ", ".join(parts)

    def problem(self) -> str | None:
        if self.mailbox_error:
            return self.mailbox_error
        if self.replies and self.replies.stopped:
            return "replies stay queued: " + self.replies.stopped
        return None


def open_store(config: Config) -> Store:
    return Store(config.storage.database, config.storage.files, form=config.form)


def context(config: Config, store: Store) -> Context:
    from mailbot.pipeline.context import Context

    return Context(call=config.call, form=config.form, limits=config.limits, store=store)


def run_messages(
    messages: Iterable[RawMessage],
    config: Config,
    store: Store,
    progress: Progress | None,
    report: PassReport,
) -> None:
    """The pipeline (:mod:`mailbot.pipeline.stages`) over these messages."""
    from mailbot.pipeline.stages import run_messages as run

    run(messages, context(config, store), progress, report)


def retry_failed(
    config: Config, store: Store, progress: Progress | None, report: PassReport
) -> None:
    """Messages whose processing failed on an earlier pass, tried again first."""
    retries = messages_to_retry(store)
    if retries:
        run_messages(retries, config, store, progress, report)


def send_replies(config: Config, store: Store, transport: Transport | None = None) -> SendReport:
    from mailbot.mail.outbox import SendReport, send_pending

    smtp = config.require_smtp()
    if transport is None and not due_replies(store, utcnow()):
        # nothing to send now: no SMTP session (nor its libraries) for a quiet pass
        return SendReport(0, 0, 0, pending_replies(store), None)
    from mailbot.mail.transport import open_transport

    own = transport is None
    transport = transport or open_transport(smtp)
    try:
        return send_pending(store, transport, smtp.envelope_from or config.call.address)
    finally:
        if own:
            transport.close()


RECONNECT_DELAYS = (1.0, 3.0, 9.0)


def _poll_mailbox(
    config: Config,
    store: Store,
    report: PassReport,
    progress: Progress | None,
    since: date | None = None,
) -> resync.ResyncReport:
    """Read back what the mailbox knows and the database does not (:mod:`mailbot.ops.resync`),
    fetch and process everything new; reconnect with backoff when the server drops us.

    A bounded number of attempts per pass (each one logged, visible with -v)."""
    imap_config = config.require_imap()
    first_day = config.mail_since(since)
    attempts = len(RECONNECT_DELAYS) + 1
    for attempt in range(attempts):
        try:
            client = imap.connect(imap_config)
            try:
                synced = resync.refresh(
                    client,
                    config,
                    store,
                    lambda batch: run_messages(batch, config, store, None, report),
                    first_day,
                )
                state = imap.folder_state(client, imap_config, store, first_day)
                if progress:
                    progress.expect(len(state.new_uids))
                if state.new_uids:
                    messages = imap.fetch_messages(client, state, imap_config.batch_size)
                    run_messages(messages, config, store, progress, report)
                resync.settle(client, config, store, synced)
                if synced.changed:
                    log.warning("the database was behind the mailbox: %s", synced.text())
                return synced
            finally:
                imap.logout(client)
        except MailboxError as exc:
            if attempt == len(RECONNECT_DELAYS) or not exc.transient:
                raise
            log.info(
                "mailbox (attempt %d of %d): %s; reconnecting in %.0f s",
                attempt + 1,
                attempts,
                exc.message,
                RECONNECT_DELAYS[attempt],
            )
            time.sleep(RECONNECT_DELAYS[attempt])
    raise AssertionError("unreachable: the last attempt returns or raises")


def archive_done(config: Config, store: Store) -> int:
    """Move messages that are stored and answered (or need no answer) to the archive folder.

    Runs after the commits it depends on; a crash in between only means the move is done on the
    next pass (moving a UID that is already gone is a no-op).
    """
    imap_config = config.require_imap()
    if not imap_config.archive_folder:
        return 0
    key = imap.mailbox_key(imap_config)
    validity = store.get_state(uidvalidity_key(key))
    # only mail of the call: never a colleague's or anything else that is not about it
    rows = messages_to_archive(store, key, int(validity or 0))
    if not rows:
        return 0
    client = imap.connect(imap_config)
    try:
        for start in range(0, len(rows), 500):
            batch = rows[start : start + 500]
            imap.archive(client, imap_config, [uid for _pk, uid in batch])
            with store.transaction():
                mark_archived(store, [pk for pk, _uid in batch])
    finally:
        imap.logout(client)
    return len(rows)


def save_sent(config: Config, store: Store) -> int:
    """Copies of the replies sent into the mailbox's Sent folder (``imap.save_sent``)."""
    from mailbot.mail import sentfolder

    imap_config = config.require_imap()
    if not imap_config.save_sent or config.smtp is None or config.smtp.host is None:
        return 0
    return sentfolder.save_sent_copies(imap_config, store)


def poll(
    config: Config,
    *,
    transport: Transport | None = None,
    progress: Progress | None = None,
    since: date | None = None,
    read_scans: bool = True,
) -> JobReport:
    """One pass: retry earlier failures, fetch new mail, process it, send pending replies;
    then, with the pipeline lock released, read pending scans with OCR within
    ``limits.ocr_pass_seconds`` (``read_scans=False``: the worker's own OCR thread does it).

    When another pass holds the pipeline lock, this one is skipped (that pass does the work).
    """
    config.require_imap()
    config.require_smtp()
    try:
        with pipeline_lock(config.storage.lock, wait_seconds=5), open_store(config) as store:
            report = PassReport()
            failure: MailboxError | None = None
            synced = None
            retry_failed(config, store, progress, report)
            try:
                synced = _poll_mailbox(config, store, report, progress, since)
                with store.transaction():
                    store.set_state(LAST_POLL_KEY, iso(utcnow()))
            except MailboxError as exc:
                failure = exc  # reported by the caller (CLI line, worker log)
            replies = send_replies(config, store, transport)
            if failure is None:
                for step in (save_sent, archive_done):
                    try:
                        step(config, store)
                    except MailboxError as exc:
                        failure = failure or exc
    except LockedError as exc:
        return JobReport(PassReport(), None, skipped=exc.message)
    return JobReport(
        report,
        replies,
        failure.message if failure else None,
        error_code=failure.exit_code if failure else None,
        resync=synced,
        scans=_read_scans(config) if read_scans else None,
    )


def _read_scans(config: Config) -> ScanReport | None:
    from mailbot.ops.ocr_jobs import read_scans_after_pass

    return read_scans_after_pass(config)


def import_paths(
    config: Config,
    paths: Iterable[Path],
    *,
    send: bool = True,
    transport: Transport | None = None,
    progress: Progress | None = None,
    since: date | None = None,
) -> JobReport:
    """The same pipeline over .eml files, folders, mbox files and Maildirs; messages received
    before ``since`` (default ``imap.since``, see :meth:`Config.mail_since`) are left out.
    Pending scans are then read with OCR, as after a poll."""
    if send:
        config.require_smtp()
    with (
        pipeline_lock(config.storage.lock, wait_seconds=IMPORT_LOCK_WAIT),
        open_store(config) as store,
    ):
        from mailbot.mail.sources import read_paths, received_since

        report = PassReport()
        retry_failed(config, store, progress, report)
        run_messages(
            received_since(read_paths(paths), config.mail_since(since)),
            config,
            store,
            progress,
            report,
        )
        with store.transaction():
            store.set_state(LAST_POLL_KEY, iso(utcnow()))
        replies = send_replies(config, store, transport) if send else None
    return JobReport(report, replies, scans=_read_scans(config))


def poll_dry_run(
    config: Config, *, progress: Progress | None = None, since: date | None = None
) -> DryRunReport:
    """The whole pass on a scratch copy of the database: nothing sent, archived or stored,
    the mailbox opened read-only; returns what each new message would get."""
    from mailbot.ops.dryrun import dry_run

    config.require_imap()

    def work(store: Store) -> PassReport:
        report = PassReport()
        _poll_mailbox(config, store, report, progress, since)
        return report

    return dry_run(config, work)


def import_dry_run(
    config: Config,
    paths: Iterable[Path],
    *,
    progress: Progress | None = None,
    since: date | None = None,
) -> DryRunReport:
    """:func:`import_paths` on a scratch copy of the database: nothing sent or stored."""
    from mailbot.mail.sources import read_paths, received_since
    from mailbot.ops.dryrun import dry_run

    def work(store: Store) -> PassReport:
        report = PassReport()
        messages = received_since(read_paths(paths), config.mail_since(since))
        run_messages(messages, config, store, progress, report)
        return report

    return dry_run(config, work)


def reprocess(
    config: Config,
    *,
    references: Sequence[str] = (),
    status: str | None = None,
    uid: int | None = None,
    reply: bool = False,
    decided: Relevant | None = None,
    transport: Transport | None = None,
) -> ReprocessReport:
    """Re-read stored messages with today's parsers and config (see :mod:`mailbot.ops.reprocess`);
    with ``reply`` the new replies are queued and sent; ``decided`` is a person's decision
    (application, correspondence, unrelated) overriding the relevance rules."""
    from mailbot.ops.reprocess import reprocess as reprocess_messages
    from mailbot.ops.reprocess import select as select_messages

    with pipeline_lock(config.storage.lock, wait_seconds=60), open_store(config) as store:
        pks = select_messages(store, references=references, status=status, uid=uid)
        report = reprocess_messages(
            config, context(config, store), pks, reply=reply, decided=decided
        )
        if reply and report.replies_queued:
            send_replies(config, store, transport)
    return report


def send_digest(
    config: Config,
    *,
    force: bool = False,
    transport: Transport | None = None,
    now: datetime | None = None,
) -> Digest | None:
    """Send today's digest unless it was sent already today (``force`` sends anyway)."""
    from mailbot.mail.transport import open_transport
    from mailbot.ops.digest import build_digest, digest_message, record_sent, sent_on

    if not config.digest.recipients:
        raise ConfigError(
            "digest.recipients", "expected at least one e-mail address to send the digest to"
        )
    smtp = config.require_smtp()
    now = now or utcnow()
    with pipeline_lock(config.storage.lock, wait_seconds=60), open_store(config) as store:
        digest = build_digest(config, store, now)
        if sent_on(store, digest.day) and not force:
            return None
        own = transport is None
        transport = transport or open_transport(smtp)
        try:
            transport.send(
                digest_message(config, digest).as_bytes(),
                smtp.envelope_from or config.call.address,
                list(config.digest.recipients),
            )
        finally:
            if own:
                transport.close()
        record_sent(store, digest, len(config.digest.recipients), now)
    return digest


def purge_before(config: Config, before: datetime) -> PurgeReport:
    """Remove everything about messages received before ``before`` (retention)."""
    from mailbot.ops.purge import purge

    with pipeline_lock(config.storage.lock, wait_seconds=60), open_store(config) as store:
        return purge(store, before)


__all__ = [
    "JobReport",
    "MailbotError",
    "import_paths",
    "open_store",
    "poll",
    "send_digest",
    "send_replies",
]
