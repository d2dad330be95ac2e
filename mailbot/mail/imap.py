"""Fetch stage over IMAP (imapclient).

New mail is what has a UID above the high-water mark stored for the folder's current
UIDVALIDITY and an INTERNALDATE on or after ``imap.since``. The mark is keyed by user and
folder (not by how the host is spelt): ``user/folder`` plus the UIDVALIDITY. The folder is
opened read-only (EXAMINE) and bodies are fetched with ``BODY.PEEK[]``, so ``\\Seen`` is
neither trusted nor set and nothing in the mailbox changes. ``INTERNALDATE`` — the server's
receipt time — is read timezone-aware (``normalise_times=False``) so the machine's own time zone
never decides whether an application was on time.

Folder names are given in Unicode (imapclient encodes them as modified UTF-7); folders mailbot
creates are placed inside the server's personal namespace (NAMESPACE), e.g. ``INBOX.Archiwum``
on Cyrus. Every failure comes out as one :class:`MailboxError` subclass naming the fix.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from mailbot.config import ImapConfig
from mailbot.errors import FolderError, MailboxError
from mailbot.mail.imap_session import (  # the session: connect, log in, say failures
    NETWORK_ERRORS,
    connect,
    describe,
    is_transient,
    logout,
    server_text,
)
from mailbot.names import last_uid_key, uidvalidity_key
from mailbot.storage.store import Store

if TYPE_CHECKING:
    from mailbot.models import RawMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FolderState:
    mailbox: str  # "user/folder": the key of the high-water mark (with the UIDVALIDITY)
    uidvalidity: int
    last_uid: int
    new_uids: tuple[int, ...]


@dataclass(frozen=True)
class ServerInfo:
    """What the server says about itself after login."""

    prefix: str  # the personal namespace's prefix, e.g. "" (Dovecot) or "INBOX." (Cyrus)
    separator: str  # the hierarchy separator, e.g. "/" or "."
    capabilities: frozenset[str]

    @property
    def idle(self) -> bool:
        return "IDLE" in self.capabilities


def mailbox_key(config: ImapConfig) -> str:
    """The high-water mark's key: the same mailbox whatever the host is called."""
    return f"{config.username}/{config.folder}"


def server_info(client: IMAPClient) -> ServerInfo:
    """Capabilities and the personal namespace (prefix, separator) of a logged-in client."""
    caps = frozenset(c.decode("ascii", "replace").upper() for c in client.capabilities())
    prefix, separator = "", "/"
    try:
        if "NAMESPACE" in caps:
            personal = client.namespace().personal
            if personal:
                prefix, sep = personal[0]
                separator = sep if isinstance(sep, str) and sep else separator
                prefix = prefix or ""
        else:
            listed = client.list_folders(pattern="INBOX")
            if listed and isinstance(listed[0][1], str | bytes) and listed[0][1]:
                sep = listed[0][1]
                separator = sep.decode() if isinstance(sep, bytes) else sep
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP NAMESPACE failed: {describe(exc)}", transient=is_transient(exc)
        ) from exc
    return ServerInfo(prefix=prefix, separator=separator, capabilities=caps)


def probe(config: ImapConfig) -> ServerInfo:
    """Log in, read what the server offers (IDLE, MOVE, namespace), log out: for ``mailbot
    check`` and the worker's log, which must say what the server really does."""
    client = connect(config)
    try:
        return server_info(client)
    finally:
        logout(client)


def place_folder(info: ServerInfo, name: str) -> str:
    """A configured folder name as the server needs it: inside the personal namespace.

    ``"Archiwum"`` stays ``"Archiwum"`` on Dovecot (prefix "") and becomes ``"INBOX.Archiwum"``
    on Cyrus (prefix "INBOX."); a name that already starts with the prefix, or INBOX itself,
    is kept. ``/`` in a configured name is the hierarchy separator.
    """
    if name.upper() == "INBOX" or not info.prefix:
        return name.replace("/", info.separator) if info.separator != "/" else name
    if name.upper().startswith(info.prefix.upper()):
        return name
    return info.prefix + name.replace("/", info.separator)


def ensure_folder(client: IMAPClient, info: ServerInfo, name: str, key: str) -> str:
    """The placed folder, created when missing; a failure names the folder and the fix."""
    folder = place_folder(info, name)
    try:
        if client.folder_exists(folder):
            return folder
        client.create_folder(folder)
        log.info("IMAP: created folder %r", folder)
        return folder
    except IMAPClientAbortError as exc:
        raise MailboxError(
            f"IMAP connection lost at folder {folder!r}: {describe(exc)}", transient=True
        ) from exc
    except IMAPClientError as exc:
        text = server_text(exc)
        refused = any(w in text.lower() for w in ("permission", "noperm", "denied"))
        if refused and not folder.upper().startswith("INBOX"):
            hint = (
                f"the server keeps your folders under INBOX: set {key} = "
                f'"INBOX{info.separator}{name}", or create the folder in a mail client'
            )
        elif refused:
            hint = f"create {folder!r} in a mail client or set {key} to a folder that exists"
        else:
            hint = (
                f"set {key} to a name the server accepts, or create the folder in a mail "
                "client and give its name"
            )
        raise FolderError(
            f"IMAP folder {folder!r} ({key}) cannot be created ({text}): {hint}"
        ) from exc
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP folder {folder!r}: {describe(exc)}", transient=is_transient(exc)
        ) from exc


def folder_state(
    client: IMAPClient, config: ImapConfig, store: Store, since: datetime | None = None
) -> FolderState:
    """Open the folder read-only and find the UIDs above the stored high-water mark whose
    INTERNALDATE is on or after ``since``."""
    key = mailbox_key(config)
    folder = place_folder(server_info(client), config.folder)
    try:
        try:
            info = client.select_folder(folder, readonly=True)
        except IMAPClientAbortError:
            raise
        except IMAPClientError as exc:
            raise FolderError(
                f"IMAP folder {folder!r} (imap.folder) cannot be opened "
                f"({server_text(exc)}): set imap.folder to a folder of the "
                'mailbox, e.g. "INBOX"'
            ) from exc
        uidvalidity = int(info[b"UIDVALIDITY"])
        known = store.get_state(uidvalidity_key(key))
        if known is not None and int(known) != uidvalidity:
            log.warning(
                "UIDVALIDITY of %s changed (%s -> %s): re-examining the folder",
                config.folder,
                known,
                uidvalidity,
            )
            with store.transaction():
                store.event("uidvalidity_changed", None, f"{known} -> {uidvalidity}")
                store.set_state(uidvalidity_key(key), str(uidvalidity))
                store.set_state(last_uid_key(key), "0")
        elif known is None:
            with store.transaction():
                store.set_state(uidvalidity_key(key), str(uidvalidity))
        last_uid = int(store.get_state(last_uid_key(key)) or 0)
        criteria: list[object] = ["UID", f"{last_uid + 1}:*"]
        if since is not None:
            # SINCE compares dates in the server's zone: ask a day early, then cut exactly
            criteria += ["SINCE", (since - timedelta(days=1)).date()]
        found = sorted(int(u) for u in client.search(criteria) if int(u) > last_uid)
        new = _received_since(client, found, since) if since is not None else found
    except MailboxError:
        raise
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP folder {folder!r}: {describe(exc)}", transient=is_transient(exc)
        ) from exc
    if since is not None and len(new) < len(found):
        log.info(
            "IMAP: %d message(s) received before %s left unread (imap.since)",
            len(found) - len(new),
            since.date().isoformat(),
        )
    return FolderState(key, uidvalidity, last_uid, tuple(new))


def _received_since(client: IMAPClient, uids: list[int], since: datetime) -> list[int]:
    kept: list[int] = []
    for start in range(0, len(uids), 500):
        batch = uids[start : start + 500]
        dates = client.fetch(batch, ["INTERNALDATE"])
        for uid in batch:
            when = dates.get(uid, {}).get(b"INTERNALDATE")
            if isinstance(when, datetime) and when.tzinfo is not None and when < since:
                continue
            kept.append(uid)
    return kept


def fetch_messages(client: IMAPClient, state: FolderState, batch_size: int) -> Iterator[RawMessage]:
    """Yield the new messages in UID order, fetched in batches."""
    from mailbot.models import RawMessage  # loaded when there is mail: a quiet pass needs none

    for start in range(0, len(state.new_uids), batch_size):
        batch = list(state.new_uids[start : start + batch_size])
        try:
            response = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
        except NETWORK_ERRORS as exc:
            raise MailboxError(
                f"IMAP fetch failed: {describe(exc)}", transient=is_transient(exc)
            ) from exc
        for uid in batch:
            item = response.get(uid)
            if not item or b"BODY[]" not in item:
                continue  # expunged meanwhile
            internaldate = item.get(b"INTERNALDATE")
            yield RawMessage(
                raw=bytes(item[b"BODY[]"]),
                origin="imap",
                mailbox=state.mailbox,
                uidvalidity=state.uidvalidity,
                uid=uid,
                internaldate=internaldate if isinstance(internaldate, datetime) else None,
            )


def archive(client: IMAPClient, config: ImapConfig, uids: list[int]) -> None:
    """Move our own UIDs to ``imap.archive_folder``: MOVE where the server has it, else COPY,
    flag ``\\Deleted`` and ``UID EXPUNGE`` of exactly these UIDs (never a plain EXPUNGE, which
    would also remove what someone else flagged)."""
    assert config.archive_folder
    info = server_info(client)
    target = ensure_folder(client, info, config.archive_folder, "imap.archive_folder")
    try:
        client.select_folder(place_folder(info, config.folder), readonly=False)
        if "MOVE" in info.capabilities:
            client.move(uids, target)
        elif "UIDPLUS" in info.capabilities:
            client.copy(uids, target)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            client.uid_expunge(uids)
        else:
            log.warning(
                "the IMAP server has neither MOVE nor UIDPLUS: messages are copied to "
                "%s and left in %s",
                target,
                config.folder,
            )
            client.copy(uids, target)
    except NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP archive to {target!r} failed: {describe(exc)}", transient=is_transient(exc)
        ) from exc
