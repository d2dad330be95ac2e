"""Load ``config.toml`` once into typed, frozen objects.

Every value is checked here; a bad or missing key raises :class:`ConfigError` naming the key
and what is expected, so mailbot fails at start rather than halfway through a pass. Secrets are
never read from the file: only the *names* of environment variables are (``password_env``);
``NAME_FILE`` pointing at a file holding the secret works too.

Sections a command does not need may be absent; :meth:`Config.require_imap` and friends raise a
clear error when a command does need them.

The config is strict: a key or table that no dataclass below knows is an error naming it and
the nearest valid one. The known keys are *derived from the dataclasses* (:func:`known_keys`):
a field is a key of the same name; a :class:`Secret` field ``password`` is the key
``password_env``; a field whose metadata says ``toml=(...)`` is spelt by those keys (none: not
read from the file), and ``flatten=Class`` also accepts that class's fields in the same
table (``prefix=`` before each of their names). Adding a field to a dataclass (and reading it
in its loader) is all a new key needs.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailbot.errors import ConfigError, UnknownKeyError
from mailbot.form_roles import ANNEX_KINDS, default_annex_keys
from parsers import DEFAULT_FORM, FormSpec, FormSpecError, ParseLimits

DEFAULT_MAX_MEMORY = 512 * 1024 * 1024  # address space of the process reading one file


@dataclass(frozen=True)
class IsolatedLimits(ParseLimits):
    """:class:`parsers.ParseLimits` plus the memory cap of the process reading a file
    (:mod:`mailbot.pipeline.isolate`)."""

    max_memory: int = DEFAULT_MAX_MEMORY


SECURITY_MODES = ("ssl", "starttls", "none")
AUTH_MODES = ("password", "oauth2")
OAUTH2_MECHANISMS = ("auto", "XOAUTH2", "OAUTHBEARER")
SINCE_DAYS_BEFORE_OPENING = 14  # default imap.since: two weeks before call.opens_at

#: words that show a message is about the call (``call.keywords``); matched at the start of a
#: word in the subject and the sender's own text, case- and diacritics-insensitively, so each
#: also covers longer inflected forms ("zgłoszeni" → zgłoszenie, zgłoszenia, zgłoszeniem)
DEFAULT_KEYWORDS: tuple[str, ...] = (
    "nabór",
    "naboru",
    "naborze",
    "naborem",
    "grupa robocza",
    "grupy roboczej",
    "grupie roboczej",
    "grupę roboczą",
    "grupą roboczą",
    "grupy robocze",
    "grup roboczych",
    "grupach roboczych",
    "grupom roboczym",
    "DKRES",
    "Komitet",
    "Komitetu",
    "Komitecie",
    "Komitetem",
    "formularz zgłoszeniowy",
    "formularza zgłoszeniowego",
    "formularzu zgłoszeniowym",
    "formularz",
    "formularza",
    "formularzu",
    "formularzem",
    "zgłoszeni",
    "zgłaszam",
    "zgłosić",
    "zgłaszać",
    "zgłosz",
    "kandydat",
    "kandydatur",
    "ekonomii społecznej",
)


@dataclass(frozen=True)
class Group:
    number: int
    name: str


@dataclass(frozen=True)
class OfficeConfig:
    """Who answers in the call's name: the institution and the employee who signs letters."""

    name: str  # the institution, e.g. "Dolnośląski Ośrodek Polityki …"
    unit: str | None = None  # its department or team
    person: str | None = None  # the employee who signs the letters
    position: str | None = None  # the employee's position
    phone: str | None = None
    address: str | None = None  # postal address (one line, or lines separated by "\n")


@dataclass(frozen=True)
class ResolutionConfig:
    """The list for the resolution (``[call.resolution]``): its own words and which fields of
    the form it shows. A key left out is derived (:meth:`CallConfig.annex`): today's DKRES
    wording for the built-in form, neutral wording for a call's own form; the fields that name
    the person and their organisation (:func:`mailbot.form_roles.default_annex_keys`)."""

    title: str | None = None  # the line above the document ("Załącznik do uchwały Komitetu")
    heading: str | None = None  # the document's heading ("Skład grup roboczych")
    everyone: str | None = None  # the heading of the list of everyone
    fields: tuple[str, ...] | None = None  # the form's fields shown, in this order


#: the wording of the list for the resolution with the built-in (DKRES) form
DKRES_ANNEX = ResolutionConfig(
    title="Załącznik do uchwały Komitetu",
    heading="Skład grup roboczych",
    everyone="Wszyscy członkowie grup roboczych",
)
#: the wording with a call's own form (the call's name stands under the heading)
OWN_FORM_ANNEX = ResolutionConfig(
    title="Załącznik",
    heading="Lista przyjętych zgłoszeń",
    everyone="Wszystkie przyjęte zgłoszenia",
)


@dataclass(frozen=True)
class CallConfig:
    name: str
    opens_at: datetime
    closes_at: datetime
    timezone: ZoneInfo
    address: str
    groups: tuple[Group, ...]
    reference_prefix: str = "DKRES"
    short_name: str = ""  # for subjects and the From name ("" -> name)
    next_steps: str = ""  # what happens after the call closes (letters quote it)
    office: OfficeConfig | None = None
    # what answering needs travels with the call (derived from [form] and [templates])
    form: FormSpec = field(default=DEFAULT_FORM, metadata={"toml": ()})
    templates_dir: Path | None = field(default=None, metadata={"toml": ()})
    keywords: tuple[str, ...] = DEFAULT_KEYWORDS
    # days an applicant has to send a corrected form, counted from the letter asking for it
    # (None: until closes_at, and after it no deadline is named)
    corrections_days: int | None = None
    form_url: str | None = None  # the call's announcement page with the form (letters link it)
    resolution: ResolutionConfig = field(default_factory=ResolutionConfig)

    def __post_init__(self) -> None:
        if not self.short_name:
            object.__setattr__(self, "short_name", self.name)

    # the display name of the call's letters: smtp.from_name, else call.short_name
    sender_name: str = field(default="Nabór", metadata={"toml": ()})  # derived, not a key

    def annex(self) -> ResolutionConfig:
        """``[call.resolution]`` with every key filled in (see :class:`ResolutionConfig`)."""
        base = DKRES_ANNEX if self.form == DEFAULT_FORM else OWN_FORM_ANNEX
        given = self.resolution
        return ResolutionConfig(
            title=given.title if given.title is not None else base.title,
            heading=given.heading or base.heading,
            everyone=given.everyone or base.everyone,
            fields=given.fields or default_annex_keys(self.form),
        )

    def group_numbers(self) -> frozenset[int]:
        return frozenset(g.number for g in self.groups)


@dataclass(frozen=True)
class Secret:
    """Where a password comes from; resolved only when a connection is made."""

    env: str | None

    def resolve(self, key: str) -> str | None:
        if not self.env:
            return None
        value = os.environ.get(self.env)
        if value is not None:
            return value
        file_name = os.environ.get(self.env + "_FILE")
        if file_name:
            try:
                return Path(file_name).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                raise ConfigError(key, f"cannot read {self.env}_FILE: {exc.strerror}") from exc
        raise ConfigError(
            key, f"set the environment variable {self.env} (or {self.env}_FILE) to the password"
        )


@dataclass(frozen=True)
class OAuth2Config:
    """How an access token is obtained when ``auth = "oauth2"``: the keys ``oauth2_*`` of
    ``[imap]`` and of ``[smtp]`` (see :mod:`mailbot.mail.oauth2`)."""

    token_command: str | None = None
    token_url: str | None = None
    client_id: str | None = None
    client_secret: Secret = Secret(None)
    refresh_token: Secret = Secret(None)
    scope: str | None = None
    mechanism: str = "auto"


#: the ``oauth2_*`` keys live in the table of the connection they serve
_OAUTH2_KEYS = {"toml": (), "flatten": OAuth2Config, "prefix": "oauth2_"}


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str
    username: str
    password: Secret
    folder: str = "INBOX"
    ca_file: Path | None = None
    tls_verify: bool = True
    timeout: float = 60.0
    batch_size: int = 25
    archive_folder: str | None = None  # move messages here once stored and answered
    since: date | None = None  # mail received before this day is never read (None: default)
    sent_folder: str = "Sent"  # used when the server names no \\Sent folder (SPECIAL-USE)
    save_sent: bool = True  # keep a copy of every reply sent in the Sent folder
    auth: str = "password"  # or "oauth2"
    oauth2: OAuth2Config = field(default_factory=lambda: OAuth2Config(), metadata=_OAUTH2_KEYS)


@dataclass(frozen=True)
class SmtpConfig:
    host: str | None
    port: int
    security: str
    username: str | None
    password: Secret
    ca_file: Path | None = None
    tls_verify: bool = True
    timeout: float = 60.0
    envelope_from: str | None = None
    directory: Path | None = None  # write replies as .eml files here instead of SMTP
    helo: str | None = None  # the name given in EHLO/HELO; None: this host's FQDN
    from_name: str | None = None  # the display name of From:; None: "Nabór" + call.short_name
    auth: str = "password"  # or "oauth2"
    oauth2: OAuth2Config = field(default_factory=lambda: OAuth2Config(), metadata=_OAUTH2_KEYS)


@dataclass(frozen=True)
class StorageConfig:
    database: Path
    files: Path
    lock: Path


@dataclass(frozen=True)
class DigestConfig:
    recipients: tuple[str, ...] = ()
    at: time = time(7, 30)


@dataclass(frozen=True)
class ScheduleConfig:
    poll_minutes: int = 5
    idle: bool = True


@dataclass(frozen=True)
class LimitsConfig:
    max_message_bytes: int = 30 * 1024 * 1024
    max_attachment_bytes: int = 20 * 1024 * 1024
    max_parts: int = 100
    max_depth: int = 10
    replies_per_sender_per_day: int = 5
    replies_per_hour: int = 120
    max_attempts: int = 3
    max_ocr_seconds: float = 120.0  # a hard wall-clock limit on reading one scan with OCR
    ocr_pass_seconds: float = 60.0  # poll/import start no new scan after this long (0: none)
    # read from [limits] too: these spellings, and any ParseLimits field under its own name
    max_parse_memory: int = DEFAULT_MAX_MEMORY  # address space of the process reading a file
    parse: IsolatedLimits = field(
        default_factory=IsolatedLimits,
        metadata={
            "toml": (
                "max_archive_members",
                "max_uncompressed_bytes",
                "max_compression_ratio",
                "max_pdf_pages",
                "max_parse_seconds",
                "max_parse_memory",
            ),
            "flatten": ParseLimits,
        },
    )


@dataclass(frozen=True)
class TemplatesConfig:
    dir: Path | None = None  # searched before the built-in templates


@dataclass(frozen=True)
class WebConfig:
    """``mailbot web``: the coordinator's workspace."""

    host: str = "127.0.0.1"
    port: int = 8025
    public_url: str | None = None  # e.g. https://nabor.example.org/ (links in the digest)
    secure_cookies: bool = False  # true behind HTTPS: cookies only over TLS
    session_minutes: int = 30  # idle time after which a login ends
    trusted_proxies: int = 0  # reverse proxies in front whose X-Forwarded-For/-Proto count


@dataclass(frozen=True)
class Config:
    path: Path | None = field(metadata={"toml": ()})
    call: CallConfig
    form: FormSpec = field(metadata={"toml": ("form",), "checked_by": "FormSpec"})
    storage: StorageConfig
    imap: ImapConfig | None = None
    smtp: SmtpConfig | None = None
    digest: DigestConfig = field(default_factory=DigestConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    limits: LimitsConfig = field(default_factory=LimitsConfig)
    web: WebConfig = field(default_factory=WebConfig)
    templates: TemplatesConfig = field(default_factory=TemplatesConfig)

    def __post_init__(self) -> None:
        # the call carries the form and the templates folder to the stages that answer
        if self.call.form is not self.form or self.call.templates_dir != self.templates.dir:
            object.__setattr__(
                self,
                "call",
                dataclasses.replace(self.call, form=self.form, templates_dir=self.templates.dir),
            )

    def require_imap(self) -> ImapConfig:
        if self.imap is None:
            raise ConfigError(
                "[imap]",
                "this command reads the mailbox: add an [imap] table "
                "with host, port, security, username, password_env",
            )
        return self.imap

    def mail_since(self, override: date | None = None) -> datetime:
        """The first moment of mail that is read: ``override`` (``--since``), else
        ``imap.since``, else 14 days before ``call.opens_at``; midnight in the call's zone."""
        day = override or (self.imap.since if self.imap else None)
        if day is None:
            day = self.call.opens_at.astimezone(self.call.timezone).date() - timedelta(
                days=SINCE_DAYS_BEFORE_OPENING
            )
        return datetime.combine(day, time(0, 0), tzinfo=self.call.timezone)

    def require_smtp(self) -> SmtpConfig:
        if self.smtp is None:
            raise ConfigError(
                "[smtp]",
                "this command sends mail: add an [smtp] table with "
                "host, port, security (or directory = a folder for .eml files)",
            )
        return self.smtp


# --- strictness: the known keys, derived from the dataclasses ------------------------------


def _unwrap(hint: Any) -> Any:
    """``X | None`` -> X."""
    if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        return args[0] if len(args) == 1 else hint
    return hint


def known_keys(cls: type) -> dict[str, Any]:
    """TOML key -> what it holds: a dataclass (a table), ``[dataclass]`` (an array of tables),
    or None (a value, or a table checked by its own reader)."""
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        names = f.metadata.get("toml")
        hint = _unwrap(hints[f.name])
        if names is not None:
            out.update(dict.fromkeys(names))
            if "flatten" in f.metadata:
                prefix = f.metadata.get("prefix", "")
                out.update({prefix + k: v for k, v in known_keys(f.metadata["flatten"]).items()})
            continue
        if hint is Secret:
            out[f"{f.name}_env"] = None
        elif dataclasses.is_dataclass(hint):
            out[f.name] = hint
        elif (
            typing.get_origin(hint) is tuple
            and typing.get_args(hint)
            and dataclasses.is_dataclass(typing.get_args(hint)[0])
        ):
            out[f.name] = [typing.get_args(hint)[0]]
        else:
            out[f.name] = None
    return out


def check_known(data: Mapping[str, Any], cls: type, prefix: str, where: str | None) -> None:
    """Raise :class:`UnknownKeyError` for the first key of ``data`` that ``cls`` does not know
    (recursively through tables and arrays of tables)."""
    known = known_keys(cls)
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if key not in known:
            what = "table" if isinstance(value, Mapping) else "key"
            raise UnknownKeyError(dotted, what, list(known), where)
        inner = known[key]
        if isinstance(inner, list) and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    check_known(item, inner[0], f"{dotted}[{i}].", where)
        elif inner is not None and isinstance(value, Mapping):
            check_known(value, inner, f"{dotted}.", where)


# --- small typed readers ---------------------------------------------------------------------


class _Table:
    """A TOML table with its dotted name, for readers that name the key on error."""

    def __init__(self, data: Mapping[str, Any], name: str, where: str | None):
        self.data = data
        self.name = name
        self.where = where

    def key(self, key: str) -> str:
        return f"{self.name}.{key}"

    def fail(self, key: str, expected: str, got: object = None) -> ConfigError:
        return ConfigError(self.key(key), expected, got=got, path=self.where)

    def text(self, key: str, default: str | None = None, *, required: bool = True) -> str:
        value = self.data.get(key, default)
        if value is None:
            if required:
                raise self.fail(key, "missing: expected a text value")
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "expected a non-empty text value", value)
        return value.strip()

    def opt_str(self, key: str) -> str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, "expected a non-empty text value", value)
        return value.strip()

    def integer(self, key: str, default: int | None, lo: int, hi: int) -> int:
        value = self.data.get(key, default)
        if value is None:
            raise self.fail(key, f"missing: expected a whole number {lo}–{hi}")
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(key, f"expected a whole number {lo}–{hi}", value)
        return value

    def number(self, key: str, default: float, lo: float, hi: float) -> float:
        value = self.data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.fail(key, f"expected a number of seconds {lo}–{hi}", value)
        return float(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "expected true or false", value)
        return value

    def choice(self, key: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.data.get(key, default)
        if value not in choices:
            raise self.fail(key, "expected one of " + ", ".join(f'"{c}"' for c in choices), value)
        return str(value)

    def datetime(self, key: str, tz: ZoneInfo) -> datetime:
        """A TOML date-time; without an offset it is read in ``tz``; an offset that is not
        ``tz``'s on that date is an error (it would move the moment by the difference)."""
        value = self.data.get(key)
        if not isinstance(value, datetime):
            raise self.fail(
                key,
                "expected a TOML date-time, e.g. 2024-05-06T00:00:00 (read in "
                "call.timezone) or 2024-05-06T00:00:00+02:00",
                value,
            )
        if value.tzinfo is None:
            return value.replace(tzinfo=tz)
        offset = value.utcoffset()
        zone_offset = value.replace(tzinfo=tz).utcoffset()
        if offset != zone_offset:
            raise self.fail(
                key,
                f"an offset that agrees with call.timezone ({tz.key} is "
                f"{_offset_text(zone_offset)} on {value:%Y-%m-%d}); write the "
                f"time without an offset to use the zone's",
                value.isoformat(),
            )
        return value

    def path(self, key: str, default: str, base: Path) -> Path:
        value = self.text(key, default)
        p = Path(value).expanduser()
        return p if p.is_absolute() else (base / p)

    def opt_path(self, key: str, base: Path) -> Path | None:
        value = self.opt_str(key)
        if value is None:
            return None
        p = Path(value).expanduser()
        return p if p.is_absolute() else (base / p)

    def opt_date(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(key, "expected a date, e.g. 2024-04-22", value)

    def table(self, key: str) -> _Table | None:
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, Mapping):
            raise self.fail(key, "expected a table", value)
        return _Table(value, self.key(key), self.where)


def _offset_text(offset: Any) -> str:
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _root(data: Mapping[str, Any], path: str | None) -> _Table:
    return _Table(data, "", path)


def _section(root: _Table, name: str) -> _Table | None:
    value = root.data.get(name)
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ConfigError(f"[{name}]", "expected a table", got=value, path=root.where)
    return _Table(value, name, root.where)


# --- sections --------------------------------------------------------------------------------


def _load_call(t: _Table) -> CallConfig:
    tz_name = t.text("timezone", "Europe/Warsaw")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise t.fail(
            "timezone", "expected an IANA time zone name such as Europe/Warsaw", tz_name
        ) from exc
    opens_at, closes_at = t.datetime("opens_at", tz), t.datetime("closes_at", tz)
    if closes_at <= opens_at:
        raise t.fail("closes_at", "expected a moment after call.opens_at", closes_at.isoformat())
    raw_groups = t.data.get("groups")
    if not isinstance(raw_groups, list) or not raw_groups:
        raise t.fail("groups", "expected at least one [[call.groups]] with number and name")
    groups: list[Group] = []
    for i, g in enumerate(raw_groups):
        if not isinstance(g, Mapping):
            raise t.fail(f"groups[{i}]", "expected a table with number and name", g)
        gt = _Table(g, f"call.groups[{i}]", t.where)
        groups.append(Group(gt.integer("number", None, 1, 99), gt.text("name")))
    if len({g.number for g in groups}) != len(groups):
        raise t.fail("groups", "expected each group number once")
    address = t.text("address")
    if "@" not in address or any(c in address for c in "\r\n <>"):
        raise t.fail(
            "address", "expected the call's e-mail address, e.g. nabor@example.org", address
        )
    office_t = t.table("office")
    return CallConfig(
        name=t.text("name"),
        opens_at=opens_at,
        closes_at=closes_at,
        timezone=tz,
        address=address,
        groups=tuple(sorted(groups, key=lambda g: g.number)),
        reference_prefix=t.text("reference_prefix", "DKRES"),
        short_name=t.opt_str("short_name") or "",
        next_steps=" ".join((t.opt_str("next_steps") or "").split()),
        office=_load_office(office_t) if office_t else None,
        keywords=_keywords(t),
        corrections_days=t.integer("corrections_days", 0, 1, 365)
        if "corrections_days" in t.data
        else None,
        form_url=_web_address(t, "form_url"),
    )


def _web_address(t: _Table, key: str) -> str | None:
    """An http(s) address written whole (letters print it as it is)."""
    url = t.opt_str(key)
    if url is not None and (
        not url.startswith(("https://", "http://")) or any(c.isspace() or c in '<>"' for c in url)
    ):
        raise t.fail(key, "expected a web address, e.g. https://www.example.org/nabor", url)
    return url


def _load_office(t: _Table) -> OfficeConfig:
    return OfficeConfig(
        name=t.text("name"),
        unit=t.opt_str("unit"),
        person=t.opt_str("person"),
        position=t.opt_str("position"),
        phone=t.opt_str("phone"),
        address=t.opt_str("address"),
    )


def _keywords(t: _Table) -> tuple[str, ...]:
    value = t.data.get("keywords")
    if value is None:
        return DEFAULT_KEYWORDS
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(k, str) and k.strip() for k in value)
    ):
        raise t.fail(
            "keywords",
            "expected a list of words or phrases about the call, "
            'e.g. ["nabór", "naboru", "grupa robocza"]',
            value,
        )
    return tuple(k.strip() for k in value)


def _oauth2_keys(t: _Table, auth: str) -> dict[str, Any]:
    """The ``oauth2_*`` keys shared by [imap] and [smtp]."""
    oauth2 = OAuth2Config(
        token_command=t.opt_str("oauth2_token_command"),
        token_url=t.opt_str("oauth2_token_url"),
        client_id=t.opt_str("oauth2_client_id"),
        client_secret=Secret(t.opt_str("oauth2_client_secret_env")),
        refresh_token=Secret(t.opt_str("oauth2_refresh_token_env")),
        scope=t.opt_str("oauth2_scope"),
        mechanism=t.choice("oauth2_mechanism", "auto", OAUTH2_MECHANISMS),
    )
    keys: dict[str, Any] = {"auth": auth, "oauth2": oauth2}
    if auth != "oauth2":
        return keys
    if oauth2.token_command is None:
        if oauth2.token_url is None or oauth2.client_id is None:
            raise t.fail(
                "oauth2_token_command",
                'auth = "oauth2" needs either '
                "oauth2_token_command (a command printing an access token) or "
                "oauth2_token_url + oauth2_client_id + oauth2_refresh_token_env",
            )
        if oauth2.refresh_token.env is None:
            raise t.fail(
                "oauth2_refresh_token_env",
                "expected the name of the environment variable holding the OAuth2 refresh token",
            )
        url = oauth2.token_url
        if not (
            url.startswith("https://") or url.startswith(("http://127.0.0.1", "http://localhost"))
        ):
            raise t.fail("oauth2_token_url", "expected an https:// address", url)
    return keys


def _load_imap(t: _Table, base: Path) -> ImapConfig:
    security = t.choice("security", "ssl", SECURITY_MODES)
    default_port = {"ssl": 993, "starttls": 143, "none": 143}[security]
    auth = t.choice("auth", "password", AUTH_MODES)
    return ImapConfig(
        host=t.text("host"),
        port=t.integer("port", default_port, 1, 65535),
        security=security,
        username=t.text("username"),
        password=Secret(
            t.text("password_env") if auth == "password" else t.opt_str("password_env")
        ),
        folder=t.text("folder", "INBOX"),
        ca_file=t.opt_path("ca_file", base),
        tls_verify=t.flag("tls_verify", True),
        timeout=t.number("timeout", 60.0, 1, 3600),
        batch_size=t.integer("batch_size", 25, 1, 1000),
        archive_folder=t.opt_str("archive_folder"),
        since=t.opt_date("since"),
        sent_folder=t.text("sent_folder", "Sent"),
        save_sent=t.flag("save_sent", True),
        **_oauth2_keys(t, auth),
    )


def _load_smtp(t: _Table, base: Path) -> SmtpConfig:
    directory = t.opt_path("directory", base)
    host = t.opt_str("host")
    if host is None and directory is None:
        raise t.fail(
            "host",
            "missing: expected the SMTP server's host name "
            "(or smtp.directory to write replies as files)",
        )
    security = t.choice("security", "starttls", SECURITY_MODES)
    default_port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    username = t.opt_str("username")
    password_env = t.opt_str("password_env")
    auth = t.choice("auth", "password", AUTH_MODES)
    if auth == "oauth2" and not username:
        raise t.fail("username", 'auth = "oauth2" needs the mailbox address as smtp.username')
    if username and not password_env and auth == "password":
        raise t.fail(
            "password_env",
            "expected the name of the environment variable holding "
            "the SMTP password (smtp.username is set)",
        )
    return SmtpConfig(
        host=host,
        port=t.integer("port", default_port, 1, 65535),
        security=security,
        username=username,
        password=Secret(password_env),
        ca_file=t.opt_path("ca_file", base),
        tls_verify=t.flag("tls_verify", True),
        timeout=t.number("timeout", 60.0, 1, 3600),
        envelope_from=t.opt_str("envelope_from"),
        directory=directory,
        helo=_helo_name(t),
        from_name=_display_name(t, "from_name"),
        **_oauth2_keys(t, auth),
    )


def _helo_name(t: _Table) -> str | None:
    helo = t.opt_str("helo")
    if helo is not None and not all(c.isalnum() or c in ".-[]:" for c in helo):
        raise t.fail("helo", "expected a host name such as mail.dops.wroc.pl", helo)
    return helo


def _display_name(t: _Table, key: str) -> str | None:
    name = t.opt_str(key)
    if name is not None and any(c in name for c in '\r\n<>"'):
        raise t.fail(key, "expected a name without line breaks, quotes or angle brackets", name)
    return name


def _sender_name(call: CallConfig, smtp: SmtpConfig | None, short_name_set: bool) -> str:
    """The one From name of every letter: ``smtp.from_name``, else "Nabór " + the call's short
    name (the short name alone when it already begins with "Nabór"), else "Nabór"."""
    if smtp is not None and smtp.from_name:
        return smtp.from_name
    if not short_name_set:
        return "Nabór"
    if call.short_name.casefold().startswith("nabór"):
        return call.short_name
    return f"Nabór {call.short_name}"


def _load_storage(t: _Table | None, base: Path) -> StorageConfig:
    t = t or _Table({}, "storage", None)
    return StorageConfig(
        database=t.path("database", "data/mailbot.db", base),
        files=t.path("files", "data/files", base),
        lock=t.path("lock", "data/mailbot.lock", base),
    )


def _load_digest(t: _Table | None) -> DigestConfig:
    if t is None:
        return DigestConfig()
    recipients = t.data.get("recipients", [])
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(
        isinstance(r, str) and "@" in r and not any(c in r for c in "\r\n<>") for r in recipients
    ):
        raise t.fail("recipients", "expected a list of e-mail addresses", recipients)
    at_raw = t.data.get("at", "07:30")
    try:
        at = at_raw if isinstance(at_raw, time) else time.fromisoformat(str(at_raw))
    except ValueError as exc:
        raise t.fail("at", 'expected a time of day "HH:MM", e.g. "07:30"', at_raw) from exc
    return DigestConfig(recipients=tuple(recipients), at=at)


def _load_schedule(t: _Table | None) -> ScheduleConfig:
    if t is None:
        return ScheduleConfig()
    return ScheduleConfig(
        poll_minutes=t.integer("poll_minutes", 5, 1, 24 * 60),
        idle=t.flag("idle", True),
    )


def _load_limits(t: _Table | None) -> LimitsConfig:
    if t is None:
        return LimitsConfig()
    d = LimitsConfig()
    p = ParseLimits()
    mib = 1024 * 1024
    return LimitsConfig(
        max_message_bytes=t.integer("max_message_bytes", d.max_message_bytes, 1024, 1024 * mib),
        max_attachment_bytes=t.integer(
            "max_attachment_bytes", d.max_attachment_bytes, 1024, 1024 * mib
        ),
        max_parts=t.integer("max_parts", d.max_parts, 1, 10_000),
        max_depth=t.integer("max_depth", d.max_depth, 1, 100),
        replies_per_sender_per_day=t.integer(
            "replies_per_sender_per_day", d.replies_per_sender_per_day, 1, 1000
        ),
        replies_per_hour=t.integer("replies_per_hour", d.replies_per_hour, 1, 100_000),
        max_attempts=t.integer("max_attempts", d.max_attempts, 1, 100),
        max_ocr_seconds=t.number("max_ocr_seconds", d.max_ocr_seconds, 1, 3600),
        ocr_pass_seconds=t.number("ocr_pass_seconds", d.ocr_pass_seconds, 0, 24 * 3600),
        max_parse_memory=t.integer(
            "max_parse_memory", d.max_parse_memory, 64 * mib, 64 * 1024 * mib
        ),
        parse=IsolatedLimits(
            max_memory=t.integer("max_parse_memory", d.max_parse_memory, 64 * mib, 64 * 1024 * mib),
            max_bytes=t.integer("max_attachment_bytes", p.max_bytes, 1024, 1024 * mib),
            max_zip_members=t.integer("max_archive_members", p.max_zip_members, 1, 100_000),
            max_uncompressed=t.integer(
                "max_uncompressed_bytes", p.max_uncompressed, 1024, 4096 * mib
            ),
            max_ratio=t.integer("max_compression_ratio", p.max_ratio, 2, 100_000),
            max_pdf_pages=t.integer("max_pdf_pages", p.max_pdf_pages, 1, 10_000),
            max_seconds=t.number("max_parse_seconds", p.max_seconds, 0.1, 3600),
        ),
    )


def _load_web(t: _Table | None) -> WebConfig:
    if t is None:
        return WebConfig()
    d = WebConfig()
    public_url = t.opt_str("public_url")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise t.fail("public_url", "expected an http:// or https:// address", public_url)
    return WebConfig(
        host=t.text("host", d.host),
        port=t.integer("port", d.port, 1, 65535),
        public_url=public_url.rstrip("/") + "/" if public_url else None,
        secure_cookies=t.flag("secure_cookies", d.secure_cookies),
        session_minutes=t.integer("session_minutes", d.session_minutes, 1, 24 * 60),
        trusted_proxies=t.integer("trusted_proxies", d.trusted_proxies, 0, 5),
    )


def _load_form(root: _Table, call: CallConfig) -> FormSpec:
    """The form. Its printed choices find the ticks; the call's groups are the names people
    see: each group of the call must be a choice printed on the form (a choice printed but not
    in the call is ``unknown_group`` when ticked)."""
    form = root.data.get("form", {})
    if not isinstance(form, Mapping):
        raise ConfigError("[form]", "expected a table", got=form, path=root.where)
    try:
        spec = FormSpec.from_mapping(form)
    except FormSpecError as exc:
        if exc.unknown:
            raise UnknownKeyError.from_message(exc.key, exc.expected, root.where) from exc
        raise ConfigError(exc.key, exc.expected, path=root.where) from exc
    choice = spec.groups_field
    printed = {o.number for o in choice.options} if choice else set()
    for i, g in enumerate(call.groups):
        if g.number not in printed:
            raise ConfigError(
                f"call.groups[{i}].number",
                f"a choice printed on the form (the form's options: {_numbers(printed)})",
                got=g.number,
                path=root.where,
            )
    if choice is not None and (choice.min_choices or 0) > len(call.groups):
        raise ConfigError(
            f"form.fields.{choice.key}.min_choices",
            f"at most the number of the call's groups ({len(call.groups)})",
            got=choice.min_choices,
            path=root.where,
        )
    return spec


def _load_resolution(t: _Table | None, spec: FormSpec) -> ResolutionConfig:
    """``[call.resolution]``: each field must be a one-line field of the form (text, e-mail,
    phone, date) other than the choice, named once."""
    if t is None:
        return ResolutionConfig()
    fields = t.data.get("fields")
    allowed = [f.key for f in spec.fields if f.kind in ANNEX_KINDS]
    if fields is not None:
        if (
            not isinstance(fields, list)
            or not fields
            or not all(isinstance(k, str) for k in fields)
            or len(set(fields)) != len(fields)
        ):
            raise t.fail("fields", "expected a list of field keys of [form], each once", fields)
        wrong = [k for k in fields if k not in allowed]
        if wrong:
            raise t.fail(
                "fields",
                f"expected keys of one-line fields of [form] ({', '.join(allowed)}); "
                f"not one: {', '.join(wrong)}",
                fields,
            )
    title = t.data.get("title")
    if title is not None and not isinstance(title, str):
        raise t.fail("title", 'expected a text value ("" for none)', title)
    return ResolutionConfig(
        title=" ".join(title.split()) if title is not None else None,
        heading=t.opt_str("heading"),
        everyone=t.opt_str("everyone"),
        fields=tuple(fields) if fields is not None else None,
    )


def _numbers(numbers: set[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers)) or "none"


def _load_templates(t: _Table | None, base: Path) -> TemplatesConfig:
    if t is None:
        return TemplatesConfig()
    directory = t.opt_path("dir", base)
    if directory is not None and not directory.is_dir():
        raise t.fail(
            "dir", "an existing folder of templates (reply/*.txt.j2, digest/*)", str(directory)
        )
    return TemplatesConfig(dir=directory)


def parse_config(data: Mapping[str, Any], *, base: Path, path: Path | None = None) -> Config:
    """Build a :class:`Config` from already-parsed TOML data."""
    where = str(path) if path else None
    check_known(data, Config, "", where)
    root = _root(data, where)
    call_t = _section(root, "call")
    if call_t is None:
        raise ConfigError(
            "[call]",
            "missing: the call's name, opens_at, closes_at, timezone, address and [[call.groups]]",
            path=where,
        )
    call = _load_call(call_t)
    form = _load_form(root, call)
    call = replace(call, resolution=_load_resolution(call_t.table("resolution"), form))
    templates = _load_templates(_section(root, "templates"), base)
    imap_t, smtp_t = _section(root, "imap"), _section(root, "smtp")
    smtp = _load_smtp(smtp_t, base) if smtp_t else None
    call = replace(call, sender_name=_sender_name(call, smtp, bool(call_t.data.get("short_name"))))
    return Config(
        path=path,
        call=call,
        form=form,
        templates=templates,
        storage=_load_storage(_section(root, "storage"), base),
        imap=_load_imap(imap_t, base) if imap_t else None,
        smtp=smtp,
        digest=_load_digest(_section(root, "digest")),
        schedule=_load_schedule(_section(root, "schedule")),
        limits=_load_limits(_section(root, "limits")),
        web=_load_web(_section(root, "web")),
    )


def load_config(path: Path) -> Config:
    """Read and check ``config.toml``; relative paths in it resolve against its folder."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(
            "--config",
            f"config file {path} not found; pass --config PATH",
        ) from exc
    except OSError as exc:
        raise ConfigError("--config", f"cannot read {path}: {exc.strerror}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError("--config", f"{path} is not valid TOML: {exc}") from exc
    return parse_config(data, base=path.resolve().parent, path=path)
