"""The mailbox is the second memory: a database behind it catches up before anything is sent.

A database can be behind the mailbox it serves: restored from last night's backup, or new on a
reinstalled machine. The mailbox still holds what happened since — mailbot's letters in the
Sent folder (each says which message it answered and which number it gave,
:mod:`mailbot.stamp`) and, with ``imap.archive_folder``, the mail that was moved out of INBOX
after it was answered. Every pass, before any mail is processed (:func:`refresh`):

1. the Sent folder is indexed by UID, incrementally (STATUS first: a pass with nothing new in it
   costs one command); a copy the database does not know is kept with its bytes;
2. the reference counter is raised to the highest number found (in Sent and the database, the
   archived mail read back included), so no number is given twice;
3. the archive folder is read by UID as a source: messages whose Message-ID the database does
   not know go through the pipeline (the applications keep the numbers their letters carried;
   none gets a new automatic letter — it was answered before it was archived).

The pipeline's compose stage then records an unknown letter in Sent as the letter of the
message it answers instead of composing one (:mod:`mailbot.pipeline.compose`), and after the
pass (:func:`settle`) every reply still waiting whose copy is in Sent is recorded as sent, and
the other unknown letters answering stored messages (notices, answers) are recorded as history.
The outbox checks the index once more before each reply (:mod:`mailbot.mail.outbox`).

:func:`behind` compares a database with its mailbox without changing either: ``mailbot check``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import TYPE_CHECKING

from imapclient import IMAPClient

from mailbot.config import Config, ImapConfig
from mailbot.mail import imap
from mailbot.names import AUTOMATIC_LETTERS, RESYNC_PENDING_KEY, SENT_FOLDER_KEY
from mailbot.storage import resync as sql
from mailbot.storage.store import Store

if TYPE_CHECKING:
    from mailbot.mail.readback import FolderStatus
    from mailbot.models import RawMessage

log = logging.getLogger(__name__)

#: processes a batch of fetched messages through the pipeline (given by the job running it)
Run = Callable[[Iterable["RawMessage"]], None]


@dataclass
class ResyncReport:
    """What one re-synchronisation found and did."""

    letters: int = 0  # copies of mailbot's letters newly indexed in Sent
    unknown: int = 0  # of which the database did not know
    read_back: int = 0  # messages read back from the archive folder into the pipeline
    adopted: int = 0  # replies waiting to go whose copy was in Sent: recorded as sent
    recorded: int = 0  # other letters found in Sent recorded as sent history
    found: int = 0  # letters in Sent the database learnt this pass (recorded, not sent)
    first_event: int = 0  # the last event before this pass: what came after is counted
    counter_raised: int | None = None  # the reference counter's new value, when it moved
    folders: list[str] = field(default_factory=list)  # the folders read

    @property
    def changed(self) -> bool:
        return bool(self.unknown or self.read_back or self.adopted or self.recorded)

    def text(self) -> str:
        parts = [
            f"{self.letters} letter(s) indexed in Sent ({self.unknown} the database did not know)",
            f"{self.read_back} message(s) read back from the archive folder",
            f"{self.found} letter(s) found in Sent recorded as sent (not sent again)",
        ]
        if self.counter_raised is not None:
            parts.append(f"reference counter raised to {self.counter_raised}")
        return "; ".join(parts)


def reference_pattern(prefix: str) -> re.Pattern[str]:
    return re.compile(re.escape(prefix) + r"-\d{4,}", re.IGNORECASE)


def account_key(config: ImapConfig, folder: str) -> str:
    """The key of a folder's UID mark: user and folder, as :func:`imap.mailbox_key`."""
    return f"{config.username}/{folder}"


# --- before the pass ---------------------------------------------------------------------------


def refresh(
    client: IMAPClient,
    config: Config,
    store: Store,
    run: Run,
    since: datetime | None = None,
) -> ResyncReport:
    """Index Sent, raise the counter, read the archive folder back (see the module's text)."""
    imap_config = config.require_imap()
    prefix = config.call.reference_prefix
    report = ResyncReport(first_event=sql.last_event(store))
    info = imap.server_info(client)
    _index_sent(client, info, imap_config, store, prefix, report)
    if imap_config.archive_folder:
        _read_back(client, info, imap_config, store, prefix, run, since, report)
    return report


def _sent_folder(
    client: IMAPClient, info: imap.ServerInfo, config: ImapConfig, store: Store
) -> tuple[str, FolderStatus] | None:
    """(the Sent folder, its STATUS): the name found before, else found now (never created)."""
    from mailbot.mail import readback

    cached = store.get_state(SENT_FOLDER_KEY)
    if cached:
        peek = readback.status(client, cached)
        if peek is not None:
            return cached, peek
    from mailbot.mail.sentfolder import find_sent_folder

    found = find_sent_folder(client, info, config)
    if found is None:
        return None
    peek = readback.status(client, found)
    if peek is None:
        return None
    with store.transaction():
        store.set_state(SENT_FOLDER_KEY, found)
    return found, peek


def _index_sent(
    client: IMAPClient,
    info: imap.ServerInfo,
    config: ImapConfig,
    store: Store,
    prefix: str,
    report: ResyncReport,
) -> None:
    from mailbot.mail import readback

    found = _sent_folder(client, info, config, store)
    if found is None:
        return
    folder, peek = found
    key = account_key(config, folder)
    validity, last = sql.folder_mark(store, key)
    if validity == peek.uidvalidity and peek.last_uid <= last:
        return  # nothing new in Sent
    report.folders.append(folder)
    if validity != peek.uidvalidity:
        last = 0
    uids = readback.new_uids(client, folder, last)
    pattern = reference_pattern(prefix)
    letters = [
        letter
        for uid, head, when in readback.headers(client, uids, readback.LETTER_FIELDS)
        if (letter := readback.letter_of(folder, peek.uidvalidity, uid, head, when, pattern))
    ]
    known = sql.known_replies(store.conn, [x.message_id for x in letters if x.message_id])
    unknown = [x for x in letters if x.message_id not in known]
    # the bytes of unknown automatic letters of this call: a re-read message is recorded with
    # the very letter it got
    wanted = {
        x.uid
        for x in unknown
        if x.kind in AUTOMATIC_LETTERS and sql.number_of(x.reference, prefix) is not None
    }
    raws = {uid: raw for uid, raw, _when in readback.bodies(client, sorted(wanted))}
    letters = [replace(x, raw=raws.get(x.uid)) if x.uid in wanted else x for x in letters]
    with store.transaction():
        if validity != peek.uidvalidity:
            sql.forget_letters(store, folder, peek.uidvalidity)
        sql.add_letters(store, letters)
        sql.set_folder_mark(store, key, peek.uidvalidity, max([peek.last_uid, last, *uids]))
        if unknown:
            _raise_counter(store, sql.highest_number(store, prefix), "letters in Sent", report)
    report.letters += len(letters)
    report.unknown += len(unknown)
    if unknown:
        log.info(
            "Sent folder %r: %d letter(s) of mailbot the database does not know",
            folder,
            len(unknown),
        )


def _raise_counter(store: Store, number: int, why: str, report: ResyncReport) -> None:
    if sql.raise_counter(store, number, why):
        report.counter_raised = number
        log.warning("reference counter raised to %d (%s): the database was behind", number, why)


def _read_back(
    client: IMAPClient,
    info: imap.ServerInfo,
    config: ImapConfig,
    store: Store,
    prefix: str,
    run: Run,
    since: datetime | None,
    report: ResyncReport,
) -> None:
    """Messages in the archive folder the database does not know, through the pipeline."""
    from mailbot.mail import readback

    assert config.archive_folder
    folder = imap.place_folder(info, config.archive_folder)
    peek = readback.status(client, folder)
    if peek is None:
        return  # not created yet: nothing was archived
    key = account_key(config, config.archive_folder)
    validity, last = sql.folder_mark(store, key)
    if validity == peek.uidvalidity and peek.last_uid <= last:
        return
    report.folders.append(folder)
    if validity != peek.uidvalidity:
        last = 0
    uids = readback.new_uids(client, folder, last, sql.read_back_since(store.conn, since))
    heads = [
        readback.headline_of(uid, head)
        for uid, head, _when in readback.headers(client, uids, readback.MESSAGE_FIELDS)
    ]
    known = sql.known_messages(store.conn, [h.message_id for h in heads if h.message_id])
    unknown = [h.uid for h in heads if h.message_id is None or h.message_id not in known]
    if unknown:
        log.info(
            "archive folder %r: %d message(s) the database does not know", folder, len(unknown)
        )
        with store.transaction():
            sql.mark_read_back(store, key)
        run(_fetched(client, store, key, peek.uidvalidity, unknown))
        report.read_back += len(unknown)
    with store.transaction():
        done = max([peek.last_uid, last, sql.folder_mark(store, key)[1], *uids])
        sql.set_folder_mark(store, key, peek.uidvalidity, done)
        # the numbers the read-back applications took from their letters
        _raise_counter(store, sql.highest_number(store, prefix), "archived mail", report)


def _fetched(
    client: IMAPClient, store: Store, mailbox: str, uidvalidity: int, uids: list[int]
) -> Iterator[RawMessage]:
    from mailbot.mail import readback
    from mailbot.models import RawMessage

    for uid, raw, when in readback.bodies(client, uids):
        message = RawMessage(
            raw=raw,
            origin="imap",
            mailbox=mailbox,
            uidvalidity=uidvalidity,
            uid=uid,
            internaldate=when,
        )
        if store.seen_hash(message.sha256):  # stored before (from INBOX), no Message-ID to tell
            continue
        yield message


# --- after the pass ----------------------------------------------------------------------------


def settle(client: IMAPClient | None, config: Config, store: Store, report: ResyncReport) -> None:
    """After the pipeline: replies waiting whose copy is in Sent are recorded as sent, other
    unknown letters answering stored messages are recorded as history, mail read back is
    marked archived, a restore's "re-synchronisation pending" is cleared."""
    from mailbot.mail.outbox import already_in_sent

    for reply_id in sql.unsent_replies(store):
        report.adopted += already_in_sent(store, reply_id)
    if report.changed or report.letters:
        _record_orphans(client, store, report)
        imap_config = config.require_imap()
        with store.transaction():
            if imap_config.archive_folder:
                sql.archive_read_back(store, account_key(imap_config, imap_config.archive_folder))
            sql.drop_adopted_bytes(store)
    report.found = sql.letters_found_since(store, report.first_event)
    if store.get_state(RESYNC_PENDING_KEY):
        with store.transaction():
            store.set_state(RESYNC_PENDING_KEY, "")


def _record_orphans(client: IMAPClient | None, store: Store, report: ResyncReport) -> None:
    from mailbot.mail import mime, readback

    found = sql.orphans(store)
    if not found:
        return
    raws: dict[tuple[str, int, int], bytes] = {}
    if client is not None:
        by_folder: dict[tuple[str, int], list[int]] = {}
        for o in found:
            if o.letter.raw is None:
                by_folder.setdefault((o.letter.folder, o.letter.uidvalidity), []).append(
                    o.letter.uid
                )
        for (folder, validity), uids in by_folder.items():
            peek = readback.status(client, folder)
            if peek is None or peek.uidvalidity != validity:
                continue
            client.select_folder(folder, readonly=True)
            for uid, data, _when in readback.bodies(client, uids):
                raws[(folder, validity, uid)] = data
    with store.transaction():
        for o in found:
            letter = o.letter
            raw = letter.raw or raws.get((letter.folder, letter.uidvalidity, letter.uid))
            to = letter.to_addr
            if raw is not None and not to:
                to = mime.clean_address(
                    mime.header_text(mime.parse_message(raw, headers_only=True), "To", 1000)
                )
            sql.record_orphan(store, o, raw, to)
            report.recorded += 1


# --- is the database behind? (mailbot check) -----------------------------------------------------


@dataclass(frozen=True)
class Behind:
    """A database compared with its mailbox, read-only."""

    database_exists: bool
    sent_folder: str | None
    letters: int  # mailbot's letters of this call in Sent
    unknown_letters: int  # … the database does not know
    highest: int  # the highest number in Sent
    counter: int  # the database's last number
    archive_folder: str | None
    archive_unknown: int  # messages in the archive folder the database does not know
    restore_pending: bool  # restored, not re-synchronised yet
    adoptable: int = 0  # unknown letters answering messages the database holds

    @property
    def behind(self) -> bool:
        return (
            self.restore_pending
            or self.highest > self.counter
            or self.adoptable > 0
            or self.archive_unknown > 0
        )


def behind(config: Config, client: IMAPClient) -> Behind:
    """Compare the database with the mailbox (every copy in Sent, every archived message),
    changing neither; the database is opened read-only (not created when missing)."""
    from mailbot.mail import readback
    from mailbot.mail.sentfolder import find_sent_folder

    imap_config = config.require_imap()
    prefix = config.call.reference_prefix
    pattern = reference_pattern(prefix)
    conn = sql.open_read_only(config.storage.database)
    try:
        info = imap.server_info(client)
        sent = find_sent_folder(client, info, imap_config)
        letters = []
        if sent is not None and (peek := readback.status(client, sent)) is not None:
            uids = readback.new_uids(client, sent, 0)
            for uid, head, when in readback.headers(client, uids, readback.LETTER_FIELDS):
                letter = readback.letter_of(sent, peek.uidvalidity, uid, head, when, pattern)
                if letter and sql.number_of(letter.reference, prefix) is not None:
                    letters.append(letter)
        ids = [x.message_id for x in letters if x.message_id]
        known = sql.known_replies(conn, ids) if conn else set()
        unknown = [x for x in letters if x.message_id not in known]
        answered = [x.in_reply_to for x in unknown if x.in_reply_to]
        held = sql.known_messages(conn, answered) if conn else set()
        archive, archive_unknown = None, 0
        if imap_config.archive_folder:
            archive = imap.place_folder(info, imap_config.archive_folder)
            if readback.status(client, archive) is not None:
                first = config.mail_since()
                uids = readback.new_uids(
                    client, archive, 0, sql.read_back_since(conn, first) if conn else first
                )
                heads = [
                    readback.headline_of(uid, head)
                    for uid, head, _w in readback.headers(client, uids, readback.MESSAGE_FIELDS)
                ]
                mids = [h.message_id for h in heads if h.message_id]
                stored = sql.known_messages(conn, mids) if conn else set()
                archive_unknown = sum(1 for h in heads if h.message_id not in stored)
        return Behind(
            database_exists=conn is not None,
            sent_folder=sent,
            letters=len(letters),
            unknown_letters=len(unknown),
            highest=max((sql.number_of(x.reference, prefix) or 0 for x in letters), default=0),
            counter=sql.counter(conn) if conn else 0,
            archive_folder=archive,
            archive_unknown=archive_unknown,
            restore_pending=bool(conn and sql.state(conn, RESYNC_PENDING_KEY)),
            adoptable=sum(1 for x in unknown if x.in_reply_to in held),
        )
    finally:
        if conn is not None:
            conn.close()
