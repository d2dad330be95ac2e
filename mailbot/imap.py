"""Fetch stage over IMAP (imapclient).

New mail is what has a UID above the high-water mark stored for the folder's current
UIDVALIDITY. The folder is opened read-only (EXAMINE) and bodies are fetched with
``BODY.PEEK[]``, so ``\\Seen`` is neither trusted nor set and nothing in the mailbox changes.
``INTERNALDATE`` — the server's receipt time — is read timezone-aware (``normalise_times=False``)
so the machine's own time zone never decides whether an application was on time.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

from .config import ImapConfig
from .errors import MailboxError
from .models import RawMessage
from .store import Store
from .transport import tls_context

log = logging.getLogger(__name__)

_NETWORK_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, EOFError)


@dataclass(frozen=True)
class FolderState:
    mailbox: str  # "user@host/folder": the key of the high-water mark
    uidvalidity: int
    last_uid: int
    new_uids: tuple[int, ...]


def mailbox_key(config: ImapConfig) -> str:
    return f"{config.username}@{config.host}/{config.folder}"


def connect(config: ImapConfig) -> IMAPClient:
    """A logged-in client; TLS certificate and host name verified unless configured off."""
    if not config.tls_verify:
        log.warning("imap.tls_verify = false: the IMAP server's certificate is NOT checked")
    context = tls_context(config.ca_file, config.tls_verify)
    try:
        client = IMAPClient(config.host, port=config.port, ssl=config.security == "ssl",
                            ssl_context=context, timeout=config.timeout)
        client.normalise_times = False  # INTERNALDATE stays timezone-aware
        if config.security == "starttls":
            client.starttls(context)
        client.login(config.username, config.password.resolve("imap.password_env") or "")
    except IMAPClientError as exc:
        raise MailboxError(f"IMAP login to {config.host}:{config.port} failed: "
                           f"{_describe(exc)}") from exc
    except (OSError, ssl.SSLError) as exc:
        raise MailboxError(f"cannot reach the IMAP server {config.host}:{config.port}: "
                           f"{_describe(exc)}", transient=_transient(exc)) from exc
    return client


def folder_state(client: IMAPClient, config: ImapConfig, store: Store) -> FolderState:
    """Open the folder read-only and find the UIDs above the stored high-water mark."""
    key = mailbox_key(config)
    try:
        info = client.select_folder(config.folder, readonly=True)
        uidvalidity = int(info[b"UIDVALIDITY"])
        known = store.get_state(f"imap:{key}:uidvalidity")
        if known is not None and int(known) != uidvalidity:
            log.warning("UIDVALIDITY of %s changed (%s -> %s): re-examining the folder",
                        config.folder, known, uidvalidity)
            with store.transaction():
                store.event("uidvalidity_changed", None, f"{known} -> {uidvalidity}")
                store.set_state(f"imap:{key}:uidvalidity", str(uidvalidity))
                store.set_state(f"imap:{key}:last_uid", "0")
        elif known is None:
            with store.transaction():
                store.set_state(f"imap:{key}:uidvalidity", str(uidvalidity))
        last_uid = int(store.get_state(f"imap:{key}:last_uid") or 0)
        found = client.search(["UID", f"{last_uid + 1}:*"])
    except _NETWORK_ERRORS as exc:
        raise MailboxError(f"IMAP folder {config.folder!r}: {_describe(exc)}",
                           transient=_transient(exc)) from exc
    new = tuple(sorted(int(u) for u in found if int(u) > last_uid))
    return FolderState(key, uidvalidity, last_uid, new)


def fetch_messages(client: IMAPClient, state: FolderState,
                   batch_size: int) -> Iterator[RawMessage]:
    """Yield the new messages in UID order, fetched in batches."""
    for start in range(0, len(state.new_uids), batch_size):
        batch = list(state.new_uids[start:start + batch_size])
        try:
            response = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
        except _NETWORK_ERRORS as exc:
            raise MailboxError(f"IMAP fetch failed: {_describe(exc)}",
                               transient=_transient(exc)) from exc
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
    try:
        client.select_folder(config.folder, readonly=False)
        if not client.folder_exists(config.archive_folder):
            client.create_folder(config.archive_folder)
        capabilities = client.capabilities()
        if b"MOVE" in capabilities:
            client.move(uids, config.archive_folder)
        elif b"UIDPLUS" in capabilities:
            client.copy(uids, config.archive_folder)
            client.add_flags(uids, [b"\\Deleted"], silent=True)
            client.uid_expunge(uids)
        else:
            log.warning("the IMAP server has neither MOVE nor UIDPLUS: messages are copied to "
                        "%s and left in %s", config.archive_folder, config.folder)
            client.copy(uids, config.archive_folder)
    except _NETWORK_ERRORS as exc:
        raise MailboxError(f"IMAP archive to {config.archive_folder!r} failed: "
                           f"{_describe(exc)}", transient=_transient(exc)) from exc


def logout(client: IMAPClient) -> None:
    with contextlib.suppress(_NETWORK_ERRORS):
        client.logout()


def _transient(exc: BaseException) -> bool:
    """A dropped connection or a timeout may pass; a refused login or a bad cert will not."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False
    return isinstance(exc, OSError | IMAPClientAbortError | EOFError)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate not trusted ({exc.verify_message})"
    first = exc.args[0] if exc.args else None
    if isinstance(first, bytes):
        return first.decode("utf-8", "replace")[:200]
    return (str(exc) or type(exc).__name__)[:200]
