"""Each key of ``config.toml``'s simple tables declared once: its name, type, default, bounds
and what it is for. The dataclasses take their defaults from here
(:mod:`mailbot.config.model`), the loaders read and check each key by its declaration
(:meth:`mailbot.config.tables.Table.read`, so the error names the key and the bounds), and a
test holds README.md's configuration table to these declarations.

Declared: ``[call]`` (with ``[[call.groups]]``, ``[call.office]``, ``[call.resolution]``),
``[imap]``, ``[smtp]``, ``[storage]``, ``[digest]``, ``[schedule]``, ``[limits]``, ``[web]``,
``[templates]``. ``[form]`` is the form spec, declared and checked by :mod:`parsers.spec`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parsers import ParseLimits

MIB = 1024 * 1024
#: address space of the process reading one file (``limits.max_parse_memory``)
DEFAULT_MAX_MEMORY = 512 * MIB

#: how a declared key is read: ``int`` a whole number within bounds, ``seconds`` a number of
#: seconds within bounds, ``bool`` true or false, ``text`` a non-empty text (``opt_text``: or
#: none), ``choice`` one of ``choices``, ``path`` a path relative to the config file
#: (``opt_path``: or none), ``date`` a date, ``env`` the name of an environment variable
#: holding a secret, ``time`` a time of day "HH:MM", ``addresses`` a list of e-mail addresses,
#: ``url`` an http(s) address
TYPES = (
    "int",
    "seconds",
    "bool",
    "text",
    "opt_text",
    "choice",
    "path",
    "opt_path",
    "date",
    "env",
    "time",
    "addresses",
    "url",
    "datetime",
    "words",
    "fields",
)
SECURITY_MODES = ("ssl", "starttls", "none")
AUTH_MODES = ("password", "oauth2")
OAUTH2_MECHANISMS = ("auto", "XOAUTH2", "OAUTHBEARER")
#: the port of each ``security`` when ``port`` is left out
IMAP_PORTS = {"ssl": 993, "starttls": 143, "none": 143}
SMTP_PORTS = {"ssl": 465, "starttls": 587, "none": 25}


@dataclass(frozen=True)
class Key:
    """One key: ``name`` is dotted (``limits.max_parts``); ``default`` None means none."""

    name: str
    type: str
    default: Any
    help: str
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    #: the default as README.md writes it, when it is not a value (derived, or required)
    written: str | None = None

    @property
    def table(self) -> str:
        return self.name.rpartition(".")[0]

    @property
    def leaf(self) -> str:
        return self.name.rpartition(".")[2]


_PARSE = ParseLimits()


def _oauth2(table: str) -> tuple[Key, ...]:
    """The ``oauth2_*`` keys, the same in [imap] and [smtp]."""
    return (
        Key(f"{table}.oauth2_token_command", "opt_text", None, "a command printing a token"),
        Key(f"{table}.oauth2_token_url", "opt_text", None, "the token endpoint (https)"),
        Key(f"{table}.oauth2_client_id", "opt_text", None, "the app's client id"),
        Key(f"{table}.oauth2_client_secret_env", "env", None, "the client secret's variable"),
        Key(f"{table}.oauth2_refresh_token_env", "env", None, "the refresh token's variable"),
        Key(f"{table}.oauth2_scope", "opt_text", None, "the scope to ask for"),
        Key(
            f"{table}.oauth2_mechanism",
            "choice",
            "auto",
            "XOAUTH2 unless only OAUTHBEARER is offered",
            choices=OAUTH2_MECHANISMS,
        ),
    )


_OFFICE = 'signed "Zespół obsługi naboru"'
_RESOLUTION = (
    'with the built-in form "Załącznik do uchwały Komitetu", "Skład grup roboczych", "Wszyscy '
    'członkowie grup roboczych"; with a call\'s own `[form]` "Załącznik", "Lista przyjętych '
    'zgłoszeń", "Wszystkie przyjęte zgłoszenia"'
)

DECLARED: tuple[Key, ...] = (
    # [call]
    Key("call.name", "text", None, "the call", written="required"),
    Key("call.address", "text", None, "the call's mailbox", written="required"),
    Key("call.short_name", "opt_text", "", "in subjects and the From name", written="`call.name`"),
    Key("call.opens_at", "datetime", None, "the window opens", written="required"),
    Key("call.closes_at", "datetime", None, "the window closes", written="required"),
    Key("call.timezone", "text", "Europe/Warsaw", "the IANA zone of the window and the letters"),
    Key("call.groups.number", "int", None, "a group's number", 1, 99, written="required"),
    Key("call.groups.name", "text", None, "a group's name", written="required"),
    Key("call.next_steps", "opt_text", "", "what happens after the call closes"),
    Key("call.corrections_days", "int", None, "days to send a corrected form", 1, 365),
    Key("call.form_url", "url", None, "the call's announcement page with the form"),
    Key("call.office.name", "text", None, "the institution", written=_OFFICE),
    Key("call.office.unit", "opt_text", None, "its department", written=_OFFICE),
    Key("call.office.person", "opt_text", None, "the employee who signs", written=_OFFICE),
    Key("call.office.position", "opt_text", None, "the employee's position", written=_OFFICE),
    Key("call.office.phone", "opt_text", None, "the phone", written=_OFFICE),
    Key("call.office.address", "opt_text", None, "the postal address", written=_OFFICE),
    Key("call.reference_prefix", "text", "DKRES", "prefix of reference numbers"),
    Key("call.resolution.title", "opt_text", None, "the line above the list", written=_RESOLUTION),
    Key("call.resolution.heading", "opt_text", None, "the list's heading", written=_RESOLUTION),
    Key("call.resolution.everyone", "opt_text", None, "the list of everyone", written=_RESOLUTION),
    Key(
        "call.resolution.fields",
        "fields",
        None,
        "the form's fields the list shows",
        written="the fields that name the person and their organisation: the one-line text "
        "fields of the form's first part (before its first choice, free text or statement), the "
        "`salutation_from` field first — for the built-in form full name, organisation, its "
        "kind, position",
    ),
    Key(
        "call.keywords",
        "words",
        None,
        "words and phrases about the call",
        written="Polish defaults: nabór/naboru/naborze, grupa robocza/grup roboczych, DKRES, "
        "Komitet, formularz (zgłoszeniowy), zgłoszenie/zgłaszam, kandydat, ekonomii społecznej …",
    ),
    # [imap]
    Key("imap.host", "text", None, "the IMAP server", written="required"),
    Key("imap.port", "int", None, "the port", 1, 65535, written="993 with `ssl` else 143"),
    Key("imap.security", "choice", "ssl", "TLS at once or STARTTLS", choices=SECURITY_MODES),
    Key("imap.username", "text", None, "the login", written="required"),
    Key(
        "imap.password_env",
        "env",
        None,
        "the variable holding the password",
        written='required with `auth = "password"`',
    ),
    Key("imap.auth", "choice", "password", "password or OAuth2", choices=AUTH_MODES),
    *_oauth2("imap"),
    Key("imap.folder", "text", "INBOX", "the folder read"),
    Key(
        "imap.since",
        "date",
        None,
        "mail before it is never read",
        written="14 days before `call.opens_at`",
    ),
    Key("imap.save_sent", "bool", True, "keep a copy of every reply sent"),
    Key("imap.sent_folder", "text", "Sent", "the Sent folder when the server names none"),
    Key("imap.archive_folder", "opt_text", None, "move answered applications here"),
    Key("imap.ca_file", "opt_path", None, "an extra CA to trust", written="system CAs"),
    Key("imap.tls_verify", "bool", True, "verify the server's certificate"),
    Key("imap.timeout", "seconds", 60.0, "read timeout", 1, 3600),
    Key("imap.batch_size", "int", 25, "messages per FETCH", 1, 1000),
    # [smtp]
    Key("smtp.host", "opt_text", None, "the SMTP server", written="required (or `smtp.directory`)"),
    Key(
        "smtp.port",
        "int",
        None,
        "the port",
        1,
        65535,
        written="587 with `starttls` (465 with `ssl`; 25 with `none`)",
    ),
    Key("smtp.security", "choice", "starttls", "TLS at once or STARTTLS", choices=SECURITY_MODES),
    Key("smtp.username", "opt_text", None, "the login (optional)"),
    Key(
        "smtp.password_env",
        "env",
        None,
        "the variable holding the password",
        written="required with `smtp.username`",
    ),
    Key("smtp.auth", "choice", "password", "password or OAuth2", choices=AUTH_MODES),
    *_oauth2("smtp"),
    Key("smtp.ca_file", "opt_path", None, "an extra CA to trust", written="system CAs"),
    Key("smtp.tls_verify", "bool", True, "verify the server's certificate"),
    Key("smtp.timeout", "seconds", 60.0, "read timeout", 1, 3600),
    Key("smtp.directory", "opt_path", None, "write replies as .eml files here instead"),
    Key("smtp.envelope_from", "opt_text", None, "MAIL FROM of replies", written="`call.address`"),
    Key(
        "smtp.helo",
        "opt_text",
        None,
        "the name given in EHLO",
        written="this host's fully qualified name",
    ),
    Key(
        "smtp.from_name",
        "opt_text",
        None,
        "the display name of From",
        written="`Nabór ` + `call.short_name` when set (the short name alone when it already "
        'begins with "Nabór", as "Nabór do grup roboczych DKRES"), else `Nabór`',
    ),
    # [storage]
    Key("storage.database", "path", "data/mailbot.db", "the SQLite file"),
    Key("storage.files", "path", "data/files", "the private file store (by SHA-256)"),
    Key("storage.lock", "path", "data/mailbot.lock", "the lock file of a pass"),
    # [digest]
    Key("digest.recipients", "addresses", (), "who gets the daily digest"),
    Key("digest.at", "time", "07:30", "when the digest is sent, in the call's time zone"),
    # [schedule]
    Key("schedule.poll_minutes", "int", 5, "poll interval of mailbot run", 1, 24 * 60),
    Key("schedule.idle", "bool", True, "mailbot run also watches the folder with IMAP IDLE"),
    # [limits]
    Key("limits.max_message_bytes", "int", 30 * MIB, "largest message read", 1024, 1024 * MIB),
    Key(
        "limits.max_attachment_bytes",
        "int",
        20 * MIB,
        "largest attached file read",
        1024,
        1024 * MIB,
    ),
    Key("limits.max_parts", "int", 100, "most MIME parts of one message", 1, 10_000),
    Key("limits.max_depth", "int", 10, "deepest nesting of MIME parts", 1, 100),
    Key(
        "limits.replies_per_sender_per_day",
        "int",
        5,
        "replies to one sender a day (then one notice)",
        1,
        1000,
    ),
    Key("limits.replies_per_hour", "int", 120, "replies an hour, all senders", 1, 100_000),
    Key("limits.max_attempts", "int", 3, "attempts to send one reply", 1, 100),
    Key("limits.max_ocr_seconds", "seconds", 120.0, "reading one scan with OCR", 1, 3600),
    Key(
        "limits.ocr_pass_seconds",
        "seconds",
        60.0,
        "poll and import start no new OCR read after this long",
        0,
        24 * 3600,
    ),
    Key(
        "limits.max_parse_memory",
        "int",
        DEFAULT_MAX_MEMORY,
        "address space of the process reading one file",
        64 * MIB,
        64 * 1024 * MIB,
    ),
    Key(
        "limits.max_archive_members",
        "int",
        _PARSE.max_zip_members,
        "most files in one archive",
        1,
        100_000,
    ),
    Key(
        "limits.max_uncompressed_bytes",
        "int",
        _PARSE.max_uncompressed,
        "total uncompressed size of one archive",
        1024,
        4096 * MIB,
    ),
    Key(
        "limits.max_compression_ratio",
        "int",
        _PARSE.max_ratio,
        "compression ratio of one archive member",
        2,
        100_000,
    ),
    Key("limits.max_pdf_pages", "int", _PARSE.max_pdf_pages, "pages of one PDF read", 1, 10_000),
    Key(
        "limits.max_parse_seconds",
        "seconds",
        _PARSE.max_seconds,
        "a hard wall-clock limit per attached file",
        0.1,
        3600,
    ),
    # [web]
    Key("web.host", "text", "127.0.0.1", "where mailbot web listens"),
    Key("web.port", "int", 8025, "the port mailbot web listens on", 1, 65535),
    Key("web.public_url", "url", None, "the workspace's address (links in the digest)"),
    Key("web.secure_cookies", "bool", False, "session cookies only over TLS"),
    Key("web.session_minutes", "int", 30, "a login ends after this long idle", 1, 24 * 60),
    Key("web.trusted_proxies", "int", 0, "reverse proxies whose X-Forwarded-* count", 0, 5),
    # [templates]
    Key("templates.dir", "opt_path", None, "a folder searched before the built-in templates"),
)

#: dotted name -> its declaration
KEYS: dict[str, Key] = {k.name: k for k in DECLARED}
#: the tables whose every key is declared here
TABLES = tuple(dict.fromkeys(k.table for k in DECLARED))


def key(name: str) -> Key:
    """The declaration of ``name`` (dotted)."""
    return KEYS[name]


def default(name: str) -> Any:
    """The declared default of ``name`` (dotted): the dataclasses' field defaults."""
    return KEYS[name].default
