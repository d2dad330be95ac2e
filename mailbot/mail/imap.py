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

import contextlib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from mailbot.config import ImapConfig
from mailbot.errors import (
    CertificateNotTrusted,
    ConnectTimeout,
    FolderError,
    LoginRefused,
    MailboxError,
    SecurityMismatch,
    TokenError,
)
from mailbot.mail.tls import tls_context
from mailbot.names import last_uid_key, uidvalidity_key
from mailbot.storage.store import Store

if TYPE_CHECKING:
    from mailbot.models import RawMessage

log = logging.getLogger(__name__)

_NETWORK_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, EOFError)
_NOT_TLS = (
    "WRONG_VERSION_NUMBER",
    "RECORD_LAYER_FAILURE",
    "UNKNOWN_PROTOCOL",
    "HTTP_REQUEST",
    "PACKET_LENGTH_TOO_LONG",
    "UNEXPECTED_RECORD",
)
MAX_CONNECT_TIMEOUT = 10.0  # seconds to connect and get the greeting (reads wait imap.timeout)


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


def connect_timeout(config: ImapConfig) -> float:
    """Connecting (and the greeting) waits less than a read: a dead address fails fast."""
    return min(MAX_CONNECT_TIMEOUT, max(1.0, config.timeout / 2))


def connect(config: ImapConfig) -> IMAPClient:
    """A logged-in client; TLS certificate and host name verified unless configured off.

    One attempt; the caller decides whether to try again (``MailboxError.transient``).
    """
    if not config.tls_verify:
        log.warning("imap.tls_verify = false: the IMAP server's certificate is NOT checked")
    where = f"{config.host}:{config.port}"
    wait = connect_timeout(config)
    log.info(
        "IMAP: connecting to %s (security %s, connect timeout %.0f s)", where, config.security, wait
    )
    context = tls_context(config.ca_file, config.tls_verify)
    try:
        client = IMAPClient(
            config.host,
            port=config.port,
            ssl=config.security == "ssl",
            ssl_context=context,
            timeout=SocketTimeout(connect=wait, read=config.timeout),
        )
    except ssl.SSLCertVerificationError as exc:
        raise _untrusted(config, exc) from exc
    except ssl.SSLError as exc:
        if exc.reason in _NOT_TLS:
            raise SecurityMismatch(
                f"the IMAP server {where} answers in plain text, not TLS: set "
                f'imap.security = "starttls" (or the server\'s TLS port, usually 993)'
            ) from exc
        raise MailboxError(
            f"TLS with the IMAP server {where} failed ({exc.reason or exc}): "
            "check imap.security and imap.port",
            transient=True,
        ) from exc
    except TimeoutError as exc:
        if config.security != "ssl" and speaks_tls(config.host, config.port, min(wait, 3.0)):
            raise SecurityMismatch(
                f"the IMAP server {where} expects TLS at once (no plain-text greeting): set "
                f'imap.security = "ssl" (or the server\'s plain port, usually 143)'
            ) from exc
        raise ConnectTimeout(
            f"the IMAP server {where} did not answer within {wait:.0f} s: check imap.host and "
            "imap.port, and that no firewall blocks the way",
            transient=True,
        ) from exc
    except ConnectionRefusedError as exc:
        raise MailboxError(
            f"the IMAP server {where} refused the connection: check imap.host "
            "and imap.port, and that the server runs",
            transient=True,
        ) from exc
    except socket.gaierror as exc:
        raise MailboxError(
            f"the IMAP host name {config.host!r} cannot be resolved "
            f"({exc.strerror}): check imap.host",
            transient=True,
        ) from exc
    except (OSError, IMAPClientError, EOFError) as exc:
        raise MailboxError(
            f"cannot reach the IMAP server {where}: {_describe(exc)}", transient=_transient(exc)
        ) from exc
    try:
        client.normalise_times = False  # INTERNALDATE stays timezone-aware
        if config.security == "starttls":
            if not client.has_capability("STARTTLS"):
                raise SecurityMismatch(
                    f'the IMAP server {where} offers no STARTTLS: set imap.security = "ssl" '
                    "with its TLS port (usually 993)"
                )
            client.starttls(context)
        elif config.security == "none" and client.has_capability("LOGINDISABLED"):
            raise SecurityMismatch(
                f"the IMAP server {where} refuses to log in without TLS: "
                'set imap.security = "starttls"'
            )
        _login(client, config, where)
    except MailboxError:
        _close(client)
        raise
    except TokenError as exc:
        _close(client)
        raise LoginRefused(f"IMAP: {exc.message}") from exc
    except ssl.SSLCertVerificationError as exc:
        _close(client)
        raise _untrusted(config, exc) from exc
    except _NETWORK_ERRORS as exc:
        _close(client)
        raise MailboxError(
            f"IMAP session with {where} failed: {_describe(exc)}", transient=_transient(exc)
        ) from exc
    except Exception:  # a missing secret (ConfigError) and the like: no socket left open
        _close(client)
        raise
    return client


def _auth_mechanisms(client: IMAPClient) -> set[str]:
    return {
        c.decode("ascii", "replace")[5:].upper()
        for c in client.capabilities()
        if c.upper().startswith(b"AUTH=")
    }


def _login(client: IMAPClient, config: ImapConfig, where: str) -> None:
    if config.auth == "oauth2":
        _oauth2_login(client, config, where, _auth_mechanisms(client))
        return
    try:
        client.login(config.username, config.password.resolve("imap.password_env") or "")
    except LoginError as exc:
        text = _server_text(exc)
        offered = _auth_mechanisms(client)
        if offered and not offered & {"PLAIN", "LOGIN"} and offered & {"XOAUTH2", "OAUTHBEARER"}:
            raise LoginRefused(
                f"IMAP login as {config.username} refused by {where} ({text}): "
                'the server takes only OAuth2: set imap.auth = "oauth2" '
                "(README: OAuth2)"
            ) from exc
        raise LoginRefused(
            f"IMAP login as {config.username} refused by {where} ({text}): "
            f"check imap.username and the password in {config.password.env}"
        ) from exc


def _oauth2_login(client: IMAPClient, config: ImapConfig, where: str, offered: set[str]) -> None:
    from mailbot.mail import oauth2

    source = oauth2.token_source(config, "imap")
    mechanism = oauth2.choose_mechanism(config.oauth2.mechanism, offered)
    text = ""
    for renew in (False, True):
        token = source.token(renew=renew)
        try:
            if mechanism == "OAUTHBEARER":
                client.oauthbearer_login(config.username, token)
            else:
                client.oauth2_login(config.username, token, mech=mechanism)
            log.info("IMAP: logged in with OAuth2 (%s)", mechanism)
            return
        except LoginError as exc:
            text = _server_text(exc)
            if not renew:
                log.info("IMAP: OAuth2 token refused (%s); getting a new one", text)
    how = (
        "imap.oauth2_token_command"
        if config.oauth2.token_command
        else f"the refresh token in {config.oauth2.refresh_token.env}"
    )
    raise LoginRefused(
        f"IMAP OAuth2 login as {config.username} refused by {where} ({text}): "
        f"the access token was refused or has expired: check {how}, "
        "imap.username and the app's IMAP permission (README: OAuth2)"
    )


def _untrusted(config: ImapConfig, exc: ssl.SSLCertVerificationError) -> MailboxError:
    return CertificateNotTrusted(
        f"the IMAP server {config.host}:{config.port}'s certificate is not trusted "
        f"({exc.verify_message}): set imap.ca_file to the PEM file of the CA that signed it"
    )


def speaks_tls(host: str, port: int, timeout: float) -> bool:
    """Whether the port completes a TLS handshake (certificate not checked: only asking)."""
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as sock,
            context.wrap_socket(sock, server_hostname=host),
        ):
            return True
    except (OSError, ssl.SSLError):
        return False


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
    except _NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP NAMESPACE failed: {_describe(exc)}", transient=_transient(exc)
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
            f"IMAP connection lost at folder {folder!r}: {_describe(exc)}", transient=True
        ) from exc
    except IMAPClientError as exc:
        text = _server_text(exc)
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
    except _NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP folder {folder!r}: {_describe(exc)}", transient=_transient(exc)
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
                f"({_server_text(exc)}): set imap.folder to a folder of the "
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
    except _NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP folder {folder!r}: {_describe(exc)}", transient=_transient(exc)
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
        except _NETWORK_ERRORS as exc:
            raise MailboxError(
                f"IMAP fetch failed: {_describe(exc)}", transient=_transient(exc)
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
    except _NETWORK_ERRORS as exc:
        raise MailboxError(
            f"IMAP archive to {target!r} failed: {_describe(exc)}", transient=_transient(exc)
        ) from exc


def logout(client: IMAPClient) -> None:
    with contextlib.suppress(*_NETWORK_ERRORS):
        client.logout()


def _close(client: IMAPClient) -> None:
    with contextlib.suppress(*_NETWORK_ERRORS):
        client.shutdown()


def _transient(exc: BaseException) -> bool:
    """A dropped connection or a timeout may pass; a refused login or a bad cert will not."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False
    return isinstance(exc, OSError | IMAPClientAbortError | EOFError)


_BYTES_REPR = re.compile(r"""^b(['"])(.*)\1$""", re.DOTALL)


def _server_text(exc: BaseException) -> str:
    """The server's words from an imapclient error, without Python's bytes repr."""
    first = exc.args[0] if exc.args else str(exc)
    if isinstance(first, bytes):
        return first.decode("utf-8", "replace")[:200]
    text = str(first)
    text = re.sub(r"^\w+ command error: \w+ ", "", text)
    text = re.sub(r"^\[?(b'|b\")", r"\1", text)
    match = _BYTES_REPR.match(text) or re.match(r"""^(['"])(.*)\1\]?$""", text)
    text = (match.group(2) if match else text).strip()
    text = re.sub(r"^\w+ failed: ", "", text)  # imapclient's "select failed: "
    text = re.sub(r"\s*\(\d+\.\d+( \+ \d+\.\d+)* secs\)", "", text)  # Dovecot's timing
    return text.rstrip(". ")[:200]


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
