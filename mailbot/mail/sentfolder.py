"""Save step: a copy of every reply sent goes into the mailbox's Sent folder, exactly once.

The employee whose mailbox runs the call sees in her mail client what mailbot answered in her
name. The folder is the one the server marks ``\\Sent`` (SPECIAL-USE, RFC 6154), else
``imap.sent_folder`` inside the personal namespace (created when missing). Each copy is
appended with ``\\Seen`` and the time it was sent.

Exactly once: a reply's ``sent_copy`` moves ``NULL → saving → saved``, each move committed
before the next action (a batch of copies moves together when the server takes several in one
MULTIAPPEND). A reply found in ``saving`` (the process died around the APPEND) is
looked up in the Sent folder by its Message-ID first and appended only when it is not there;
one whose copy the index of Sent holds already (saved after the snapshot a database was
restored from, :mod:`mailbot.ops.resync`) is marked saved without a second copy.
A copy the server refuses for good is marked ``not_saved`` with an event; the reply itself
stays sent.
"""

from __future__ import annotations

import logging
import re

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from mailbot.config import ImapConfig
from mailbot.errors import MailboxError
from mailbot.mail import imap
from mailbot.names import SentCopy
from mailbot.storage import replies, resync
from mailbot.storage.store import Store, parse_iso

log = logging.getLogger(__name__)

BATCH = 50  # copies per MULTIAPPEND
SEEN = b"\\Seen"
_LINE_END = re.compile(rb"\r?\n")
SENT_FLAG = b"\\Sent"


def sent_folder(client: IMAPClient, info: imap.ServerInfo, config: ImapConfig) -> str:
    """The folder marked ``\\Sent`` by the server, else ``imap.sent_folder`` (created)."""
    try:
        for flags, _sep, name in client.list_folders():
            if SENT_FLAG in flags or SENT_FLAG.lower() in (f.lower() for f in flags):
                return str(name)
    except IMAPClientAbortError as exc:
        raise MailboxError(f"IMAP LIST failed: {exc}", transient=True) from exc
    except IMAPClientError as exc:
        log.info("IMAP LIST failed (%s): using imap.sent_folder", exc)
    return imap.ensure_folder(client, info, config.sent_folder, "imap.sent_folder")


def find_sent_folder(client: IMAPClient, info: imap.ServerInfo, config: ImapConfig) -> str | None:
    """The folder of sent mail as :func:`sent_folder` finds it, but never created: None when
    there is none yet (nothing was saved there)."""
    try:
        folders = client.list_folders()
    except IMAPClientAbortError as exc:
        raise MailboxError(f"IMAP LIST failed: {exc}", transient=True) from exc
    except IMAPClientError as exc:
        log.info("IMAP LIST failed (%s): looking for imap.sent_folder", exc)
        folders = []
    for flags, _sep, name in folders:
        if SENT_FLAG in flags or SENT_FLAG.lower() in (f.lower() for f in flags):
            return str(name)
    placed = imap.place_folder(info, config.sent_folder)
    names = {str(name) for _flags, _sep, name in folders}
    if placed in names:
        return placed
    if not folders:  # LIST refused: ask for the folder itself
        try:
            return placed if client.folder_exists(placed) else None
        except IMAPClientError:
            return None
    return None


def _crlf(raw: bytes) -> bytes:
    """APPEND wants CRLF line ends (Cyrus refuses bare newlines)."""
    return _LINE_END.sub(b"\r\n", raw)


def _set(store: Store, reply_ids: list[int], state: SentCopy) -> None:
    with store.transaction():
        replies.set_sent_copy(store, reply_ids, state)


def _already_there(client: IMAPClient, folder: str, message_id: str | None) -> bool:
    if not message_id:
        return False
    client.select_folder(folder, readonly=True)
    return bool(client.search(["HEADER", "Message-ID", message_id]))


def save_sent_copies(config: ImapConfig, store: Store) -> int:
    """Append the sent replies not yet in the Sent folder; return how many were saved.

    Where the server has MULTIAPPEND (RFC 3502) up to ``BATCH`` copies go in one command."""
    if not config.save_sent:
        return 0
    ids = replies.unsaved_copies(store)
    if not ids:
        return 0
    client = imap.connect(config)
    saved = 0
    folder = config.sent_folder
    try:
        info = imap.server_info(client)
        folder = sent_folder(client, info, config)
        batch = BATCH if "MULTIAPPEND" in info.capabilities else 1
        for start in range(0, len(ids), BATCH):
            todo = []
            for reply in replies.sent_replies(store, ids[start : start + BATCH]):
                if resync.in_sent(store, reply.message_id):
                    _set(store, [reply.reply_pk], SentCopy.SAVED)  # saved before a restore
                elif reply.sent_copy == SentCopy.SAVING and _already_there(
                    client, folder, reply.message_id
                ):
                    _set(store, [reply.reply_pk], SentCopy.SAVED)  # the copy made before a crash
                else:
                    todo.append((reply.reply_pk, reply.raw, reply.sent_at))
            for first in range(0, len(todo), batch):
                saved += _append(client, store, folder, todo[first : first + batch])
    except IMAPClientAbortError as exc:
        raise MailboxError(
            f"IMAP connection lost while saving to {folder!r}: {exc}", transient=True
        ) from exc
    except OSError as exc:
        raise MailboxError(
            f"IMAP connection lost while saving to {folder!r}: {exc}", transient=True
        ) from exc
    finally:
        imap.logout(client)
    if saved:
        log.info("%d reply(ies) saved in %s", saved, folder)
    return saved


def _append(
    client: IMAPClient, store: Store, folder: str, rows: list[tuple[int, bytes, str | None]]
) -> int:
    """APPEND one batch; ``saving`` is committed before, ``saved`` after."""
    ids = [reply_id for reply_id, _raw, _at in rows]
    _set(store, ids, SentCopy.SAVING)
    copies = [
        {"msg": _crlf(raw), "flags": (SEEN,), **({"date": parse_iso(at)} if at else {})}
        for _id, raw, at in rows
    ]
    try:
        if len(copies) == 1:
            client.append(folder, copies[0]["msg"], flags=(SEEN,), msg_time=copies[0].get("date"))
        else:
            typ, data = client.multiappend(folder, copies)
            if typ != "OK":  # MULTIAPPEND hands back a NO instead of raising it
                raise IMAPClientError(f"append failed: {data!r}"[:300])
    except IMAPClientAbortError:
        raise
    except IMAPClientError as exc:
        if len(rows) > 1:  # one refused copy must not cost the others theirs
            return sum(_append(client, store, folder, [row]) for row in rows)
        with store.transaction():
            replies.mark_copy_refused(store, ids[0], str(exc))
        log.warning("reply %s: copy to %r refused: %s", ids[0], folder, exc)
        return 0
    _set(store, ids, SentCopy.SAVED)
    return len(ids)
