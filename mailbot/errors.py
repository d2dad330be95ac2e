"""mailbot's one error tree.

Everything mailbot raises on purpose derives from :class:`MailbotError`; library errors
(imapclient, smtplib, sqlite3, OS errors) are wrapped where mailbot calls the library, so
the CLI and the worker only ever catch this family::

    MailbotError
    ├── ConfigError          a bad or missing config key, a missing secret
    │   └── UnknownKeyError      a key or table no declaration knows (names the nearest)
    ├── LockedError          another mailbot pass holds the pipeline lock
    ├── StorageError         the database or the file store failed
    ├── MailboxError         the IMAP server could not be reached or answered badly
    │   ├── LoginRefused         wrong password, or an OAuth2 token refused / expired
    │   ├── SecurityMismatch     TLS spoken to a plain port or plain text to a TLS port
    │   ├── ConnectTimeout       no answer within the connect timeout
    │   ├── CertificateNotTrusted    the server's certificate failed verification
    │   ├── FolderError          a folder is missing or cannot be created
    │   └── MessageGone          a message is no longer in the mailbox (fetched by UID)
    ├── TokenError           an OAuth2 access token could not be obtained
    ├── TransportError       replies could not be handed to the SMTP server
    │   ├── TemporaryTransportError   try again later (4xx)
    │   │   ├── TransportUnavailableError   refused, timed out, connection dropped
    │   │   └── ConnectionLostError   the session broke while one message was sent
    │   └── PermanentTransportError   the server refused the message for good (5xx)
    ├── ListenError          ``mailbot web`` cannot listen where asked
    ├── SourceError          an import path could not be read
    ├── NotStoredError       what was asked for is not stored (or its bytes were not kept)
    ├── SnapshotError        a backup cannot be taken or a snapshot is not whole
    └── ActionRefused        a person's action cannot be done as asked (a code, parameters)
        ├── ReviewError          … raised by the review functions (the older spelling)
        │   └── FieldErrors          values typed for the form's fields that the spec refuses
        ├── UserError            a workspace login cannot be added or changed as asked
        └── WithdrawalError      a withdrawal cannot be made as asked

Every error carries a ``code`` (a class's own, or a refusal's: :data:`REFUSALS`) and
``params``; the interfaces phrase them: the command line in English, one line naming the fix
(:mod:`mailbot.cli_errors`), the workspace in Polish (:mod:`mailbot.web.errors`). A refusal's
words live only there, so no text naming a command-line option reaches the workspace, and no
interface checks a rule a second time. The errors of the mail servers, the database and the
configuration carry the line that names the fix as they are raised (the config key, the
server and what it said): the command line prints it, the workspace says it in Polish by
code. Each class carries ``exit_code`` used by ``mailbot`` on the command line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import Any


class MailbotError(Exception):
    """Base class of every error mailbot raises on purpose."""

    exit_code = 1
    #: what went wrong, for the interfaces to phrase (each class below names its own)
    code: str = "failed"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.params: dict[str, Any] = {}

    def __str__(self) -> str:
        return self.message


class ConfigError(MailbotError):
    """The configuration is missing, malformed, or names a secret that is not set."""

    exit_code = 78  # EX_CONFIG
    code = "config"

    def __init__(self, key: str, expected: str, *, got: object = None, path: str | None = None):
        self.key = key
        self.expected = expected
        where = f"{path}: " if path else ""
        found = "" if got is None else f" (found {got!r})"
        super().__init__(f"{where}{key}: {expected}{found}")
        self.params = {"key": key, "expected": expected, "got": got, "path": path}


class UnknownKeyError(ConfigError):
    """A key or table that no declaration knows: names it and the nearest valid one."""

    code = "config_unknown_key"

    def __init__(self, key: str, what: str, known: list[str], path: str | None):
        close = difflib.get_close_matches(key.rsplit(".", 1)[-1], known, n=1, cutoff=0.6)
        hint = (
            f"did you mean `{close[0]}`?"
            if close
            else "expected one of " + ", ".join(f"`{k}`" for k in sorted(known))
        )
        self._named(key, f"unknown {what}; {hint}", path)

    @classmethod
    def from_message(cls, key: str, expected: str, path: str | None) -> UnknownKeyError:
        """An unknown key found by another reader (the form spec's), said the same way."""
        error = cls.__new__(cls)
        error._named(key, expected, path)
        return error

    def _named(self, key: str, expected: str, path: str | None) -> None:
        self.key, self.expected = key, expected
        MailbotError.__init__(self, f"{path + ': ' if path else ''}`{key}`: {expected}")
        self.params = {"key": key, "expected": expected, "path": path}


class LockedError(MailbotError):
    exit_code = 75  # EX_TEMPFAIL
    code = "locked"


class StorageError(MailbotError):
    exit_code = 74  # EX_IOERR
    code = "storage"


class MailboxError(MailbotError):
    """The IMAP server could not be reached, refused us, or dropped the connection.

    ``transient`` says whether trying again soon may help (a dropped connection, a timeout)
    rather than not (a refused login, a missing folder, an untrusted certificate).
    """

    exit_code = 69  # EX_UNAVAILABLE
    code = "mailbox"

    def __init__(self, message: str, *, transient: bool = False) -> None:
        super().__init__(message)
        self.transient = transient


class LoginRefused(MailboxError):
    """The server refused the credentials (password, or OAuth2 access token)."""

    exit_code = 77  # EX_NOPERM
    code = "login_refused"


class SecurityMismatch(MailboxError):
    """``security`` does not match what the port speaks (TLS at once vs plain text)."""

    exit_code = 76  # EX_PROTOCOL
    code = "security_mismatch"


class ConnectTimeout(MailboxError):
    """The server did not answer within the connect timeout, on every attempt of the pass."""

    exit_code = 79
    code = "connect_timeout"


class CertificateNotTrusted(MailboxError):
    """TLS certificate verification failed: a CA file is needed (or the name is wrong)."""

    exit_code = 80
    code = "certificate_not_trusted"


class FolderError(MailboxError):
    """A configured folder does not exist or cannot be created; the message names the fix."""

    exit_code = 81
    code = "folder"


class MessageGone(MailboxError):
    """A message looked up by its UID is no longer in the folder: deleted, moved elsewhere, or
    the folder was renumbered (UIDVALIDITY changed). Exits as any mailbox error does."""

    code = "message_gone"


class TokenError(MailbotError):
    """An OAuth2 access token could not be obtained (command failed, endpoint refused)."""

    exit_code = 77  # EX_NOPERM: like a refused login, the credentials need attention
    code = "token"


class TransportError(MailbotError):
    exit_code = 75
    code = "transport"


class TemporaryTransportError(TransportError):
    code = "transport_temporary"


class TransportUnavailableError(TemporaryTransportError):
    """The server could not be reached or dropped the connection: stop sending for now."""

    code = "transport_unavailable"


class ConnectionLostError(TemporaryTransportError):
    """The session broke while one message was being sent, and the server took a new
    connection at once: that message may be the cause, so only it waits before a retry."""

    code = "connection_lost"


class PermanentTransportError(TransportError):
    code = "transport_permanent"


class ListenError(MailbotError):
    """``mailbot web`` cannot listen where asked: the port is taken (75, like another pass
    running), not allowed to this user (77), or the address is not this machine's (78)."""

    code = "listen"

    def __init__(self, message: str, exit_code: int = 75) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class SourceError(MailbotError):
    exit_code = 66  # EX_NOINPUT
    code = "source"


class NotStoredError(MailbotError):
    """What a command asked for is not in the store (or its bytes were not kept)."""

    exit_code = 66  # EX_NOINPUT
    code = "not_stored"


class SnapshotError(MailbotError):
    """A backup cannot be taken, or a snapshot to restore is not whole (or not mailbot's)."""

    exit_code = 65  # EX_DATAERR
    code = "snapshot"


#: every refusal a person's action may meet: its code -> the parameters it carries (the
#: interfaces' texts may use them; :mod:`mailbot.cli_errors` and :mod:`mailbot.web.errors`
#: phrase each code, and a test holds both tables to this one)
REFUSALS: Mapping[str, tuple[str, ...]] = {
    # a review function's refusal raised with its own line and no code of its own
    "review": (),
    # messages, applications, entries of the queue
    "no_application": ("ref",),
    "no_message": ("message_pk",),
    "unknown_entry": ("item",),
    "not_handled": ("item",),
    "nothing_chosen": (),
    "no_page": ("reference", "page"),
    # turning a message into an application or correspondence
    "robot": ("message_pk",),
    "already_application": ("reference",),
    "not_unrelated": ("disposition",),
    # decisions, notices, answers, notes
    "decision_missing": ("choices",),
    "problems_missing": (),
    "reason_missing": (),
    "no_notice": ("status",),
    "no_recipient": (),
    "unknown_recipient": ("recipient",),
    "answer_empty": (),
    "unknown_answer": ("name",),
    "answer_broken": ("name",),
    "note_empty": (),
    "note_too_long": ("limit",),
    # corrections and the OCR reading of a scan
    "field_errors": ("errors",),
    "not_a_scan": ("reference",),
    "reading_in_progress": ("reference",),
    "reading_failed": ("reference", "reason"),
    # withdrawals
    "reference_missing": (),
    "groups_missing": (),
    "robot_withdrawal": ("message_pk",),
    "not_live": ("reference",),
    "not_withdrawable": ("reference", "status"),
    "groups_not_named": ("reference", "numbers"),
    "no_proposal": ("message_pk",),
    # the list of messages
    "unknown_disposition": ("disposition", "choices"),
    "days_reversed": (),
    # logins of the workspace
    "login_invalid": (),
    "password_short": ("minimum",),
    "unknown_role": ("role", "choices"),
    "user_exists": ("login",),
    "no_user": ("login",),
}


class ActionRefused(MailbotError):
    """A person's action (the workspace, ``mailbot review``, ``mailbot user``) that cannot be
    done as asked: ``code`` (one of :data:`REFUSALS`) names why and ``params`` carries its
    details. Each interface phrases the code itself (the workspace in Polish), so no rule is
    checked a second time there. ``message`` is a plain line for the log."""

    exit_code = 65  # EX_DATAERR

    def __init__(self, code: str, message: str | None = None, **params: Any) -> None:
        super().__init__(message or _logged(code, params))
        self.code = code
        self.params = dict(params)
        #: raised with its own line (the command line prints it rather than its code's)
        self.own_line = message is not None


def _logged(code: str, params: Mapping[str, Any]) -> str:
    """A refusal as the log shows it: its code and parameters."""
    if not params:
        return code
    return f"{code} (" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")"


class ReviewError(ActionRefused):
    """A review action that cannot be done as asked, raised the older way: the command line's
    line first, then the code (``review`` when none is given) and its parameters."""

    def __init__(self, message: str, code: str = "review", **params: Any) -> None:
        super().__init__(code, message, **params)


class FieldErrors(ReviewError):
    """Values a person typed that the form spec refuses: field key → what is wrong, in Polish
    (shown next to the field in the workspace; the words of the form's own problems, as the
    letters say them). Nothing was saved."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(
            "\n".join(f"{k}: {v}" for k, v in self.errors.items()),
            "field_errors",
            errors=self.errors,
        )


class UserError(ActionRefused):
    """A login of the workspace that cannot be added or changed as asked."""


class WithdrawalError(ActionRefused):
    """A withdrawal that cannot be made as asked."""
