"""mailbot's one error tree.

Everything mailbot raises on purpose derives from :class:`MailbotError`; library errors
(imapclient, smtplib, sqlite3, OS errors) are wrapped where mailbot calls the library, so
the CLI and the worker only ever catch this family::

    MailbotError
    ├── ConfigError          a bad or missing config key, a missing secret
    ├── LockedError          another mailbot pass holds the pipeline lock
    ├── StorageError         the database or the file store failed
    ├── MailboxError         the IMAP server could not be reached or answered badly
    │   ├── LoginRefused         wrong password, or an OAuth2 token refused / expired
    │   ├── SecurityMismatch     TLS spoken to a plain port or plain text to a TLS port
    │   ├── ConnectTimeout       no answer within the connect timeout
    │   ├── CertificateNotTrusted    the server's certificate failed verification
    │   ├── FolderError          a folder is missing or cannot be created
    │   └── MessageGone          a message is no longer in the mailbox (fetched by UID)
    ├── TransportError       replies could not be handed to the SMTP server
    │   ├── TemporaryTransportError   try again later (4xx)
    │   │   ├── TransportUnavailableError   refused, timed out, connection dropped
    │   │   └── ConnectionLostError   the session broke while one message was sent
    │   └── PermanentTransportError   the server refused the message for good (5xx)
    ├── SourceError          an import path could not be read
    ├── NotStoredError       what was asked for is not stored (or its bytes were not kept)
    ├── ActionRefused        a person's action cannot be done as asked (a code, parameters)
    └── SnapshotError        a backup cannot be taken or a snapshot is not whole

Each class carries ``exit_code`` used by ``mailbot`` on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping


class MailbotError(Exception):
    """Base class of every error mailbot raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(MailbotError):
    """The configuration is missing, malformed, or names a secret that is not set."""

    exit_code = 78  # EX_CONFIG

    def __init__(self, key: str, expected: str, *, got: object = None, path: str | None = None):
        self.key = key
        self.expected = expected
        where = f"{path}: " if path else ""
        found = "" if got is None else f" (found {got!r})"
        super().__init__(f"{where}{key}: {expected}{found}")


class LockedError(MailbotError):
    exit_code = 75  # EX_TEMPFAIL


class StorageError(MailbotError):
    exit_code = 74  # EX_IOERR


class MailboxError(MailbotError):
    """The IMAP server could not be reached, refused us, or dropped the connection.

    ``transient`` says whether trying again soon may help (a dropped connection, a timeout)
    rather than not (a refused login, a missing folder, an untrusted certificate).
    """

    exit_code = 69  # EX_UNAVAILABLE

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class LoginRefused(MailboxError):
    """The server refused the credentials (password, or OAuth2 access token)."""

    exit_code = 77  # EX_NOPERM


class SecurityMismatch(MailboxError):
    """``security`` does not match what the port speaks (TLS at once vs plain text)."""

    exit_code = 76  # EX_PROTOCOL


class ConnectTimeout(MailboxError):
    """The server did not answer within the connect timeout, on every attempt of the pass."""

    exit_code = 79


class CertificateNotTrusted(MailboxError):
    """TLS certificate verification failed: a CA file is needed (or the name is wrong)."""

    exit_code = 80


class FolderError(MailboxError):
    """A configured folder does not exist or cannot be created; the message names the fix."""

    exit_code = 81


class MessageGone(MailboxError):
    """A message looked up by its UID is no longer in the folder: deleted, moved elsewhere, or
    the folder was renumbered (UIDVALIDITY changed). Exits as any mailbox error does."""


class TokenError(MailbotError):
    """An OAuth2 access token could not be obtained (command failed, endpoint refused)."""

    exit_code = 77  # EX_NOPERM: like a refused login, the credentials need attention


class TransportError(MailbotError):
    exit_code = 75


class TemporaryTransportError(TransportError):
    pass


class TransportUnavailableError(TemporaryTransportError):
    """The server could not be reached or dropped the connection: stop sending for now."""


class ConnectionLostError(TemporaryTransportError):
    """The session broke while one message was being sent, and the server took a new
    connection at once: that message may be the cause, so only it waits before a retry."""


class PermanentTransportError(TransportError):
    pass


class ListenError(MailbotError):
    """``mailbot web`` cannot listen where asked: the port is taken (75, like another pass
    running), not allowed to this user (77), or the address is not this machine's (78)."""

    def __init__(self, message: str, exit_code: int = 75) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class SourceError(MailbotError):
    exit_code = 66  # EX_NOINPUT


class NotStoredError(MailbotError):
    """What a command asked for is not in the store (or its bytes were not kept)."""

    exit_code = 66  # EX_NOINPUT


class SnapshotError(MailbotError):
    """A backup cannot be taken, or a snapshot to restore is not whole (or not mailbot's)."""

    exit_code = 65  # EX_DATAERR


class ActionRefused(MailbotError):
    """A person's action (the workspace, ``mailbot review``) that cannot be done as asked.

    ``code`` names why and ``params`` carries its details; ``message`` is the English line of
    the command line. Each interface phrases the code itself (the workspace in Polish), so no
    rule is checked a second time there."""

    exit_code = 65  # EX_DATAERR

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


class ReviewError(ActionRefused):
    """A review action that cannot be done as asked (unknown reference, missing reason...);
    ``code`` names why (the workspace says it in Polish), the message is the command line's."""

    def __init__(self, message: str, code: str = "review", **params: object) -> None:
        super().__init__(code, message, **params)


class FieldErrors(ReviewError):
    """Values a person typed that the form spec refuses: field key → what is wrong, in Polish
    (shown next to the field in the workspace). Nothing was saved."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("\n".join(f"{k}: {v}" for k, v in self.errors.items()))
