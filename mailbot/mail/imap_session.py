"""Connecting to the IMAP server and logging in (password or OAuth2), with every failure
said as one :class:`~mailbot.errors.MailboxError` subclass naming the fix: the wrong
``security`` for the port, an untrusted certificate, a refused login, a timeout."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import ssl
from typing import TYPE_CHECKING

from imapclient import IMAPClient, SocketTimeout
from imapclient.exceptions import IMAPClientAbortError, IMAPClientError, LoginError

from mailbot.config import ImapConfig
from mailbot.errors import (
    CertificateNotTrusted,
    ConnectTimeout,
    LoginRefused,
    MailboxError,
    SecurityMismatch,
    TokenError,
)
from mailbot.mail.tls import tls_context

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

NETWORK_ERRORS = (IMAPClientError, OSError, ssl.SSLError, socket.timeout, EOFError)


_NOT_TLS = (
    "WRONG_VERSION_NUMBER",
    "RECORD_LAYER_FAILURE",
    "UNKNOWN_PROTOCOL",
    "HTTP_REQUEST",
    "PACKET_LENGTH_TOO_LONG",
    "UNEXPECTED_RECORD",
)


MAX_CONNECT_TIMEOUT = 10.0  # seconds to connect and get the greeting (reads wait imap.timeout)


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
            f"cannot reach the IMAP server {where}: {describe(exc)}", transient=is_transient(exc)
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
        close_quietly(client)
        raise
    except TokenError as exc:
        close_quietly(client)
        raise LoginRefused(f"IMAP: {exc.message}") from exc
    except ssl.SSLCertVerificationError as exc:
        close_quietly(client)
        raise _untrusted(config, exc) from exc
    except NETWORK_ERRORS as exc:
        close_quietly(client)
        raise MailboxError(
            f"IMAP session with {where} failed: {describe(exc)}", transient=is_transient(exc)
        ) from exc
    except Exception:  # a missing secret (ConfigError) and the like: no socket left open
        close_quietly(client)
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
        text = server_text(exc)
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
            text = server_text(exc)
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


def logout(client: IMAPClient) -> None:
    with contextlib.suppress(*NETWORK_ERRORS):
        client.logout()


def close_quietly(client: IMAPClient) -> None:
    with contextlib.suppress(*NETWORK_ERRORS):
        client.shutdown()


def is_transient(exc: BaseException) -> bool:
    """A dropped connection or a timeout may pass; a refused login or a bad cert will not."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False
    return isinstance(exc, OSError | IMAPClientAbortError | EOFError)


_BYTES_REPR = re.compile(r"""^b(['"])(.*)\1$""", re.DOTALL)


def server_text(exc: BaseException) -> str:
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


def describe(exc: BaseException) -> str:
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
