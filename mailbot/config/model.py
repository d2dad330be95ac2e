"""The typed, frozen objects ``config.toml`` is loaded into: one dataclass per table; their
fields name the keys (:mod:`mailbot.config.keys` derives the known keys from them)."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mailbot.config.declared import (
    DEFAULT_MAX_MEMORY,
    default,
)
from mailbot.errors import ConfigError
from mailbot.form_roles import default_annex_keys
from parsers import DEFAULT_FORM, FormSpec, ParseLimits


@dataclass(frozen=True)
class IsolatedLimits(ParseLimits):
    """:class:`parsers.ParseLimits` plus the memory cap of the process reading a file
    (:mod:`mailbot.pipeline.isolate`)."""

    max_memory: int = DEFAULT_MAX_MEMORY


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
    reference_prefix: str = default("call.reference_prefix")
    short_name: str = default("call.short_name")  # "" -> name
    next_steps: str = default("call.next_steps")  # the letters quote it
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
    mechanism: str = default("imap.oauth2_mechanism")


#: the ``oauth2_*`` keys live in the table of the connection they serve
_OAUTH2_KEYS = {"toml": (), "flatten": OAuth2Config, "prefix": "oauth2_"}


@dataclass(frozen=True)
class ImapConfig:
    host: str
    port: int
    security: str
    username: str
    password: Secret
    folder: str = default("imap.folder")
    ca_file: Path | None = field(default=default("imap.ca_file"))
    tls_verify: bool = default("imap.tls_verify")
    timeout: float = default("imap.timeout")
    batch_size: int = default("imap.batch_size")
    archive_folder: str | None = default("imap.archive_folder")
    since: date | None = field(
        default=default("imap.since")
    )  # None: two weeks before call.opens_at
    sent_folder: str = default("imap.sent_folder")
    save_sent: bool = default("imap.save_sent")
    auth: str = default("imap.auth")
    oauth2: OAuth2Config = field(default_factory=lambda: OAuth2Config(), metadata=_OAUTH2_KEYS)


@dataclass(frozen=True)
class SmtpConfig:
    host: str | None
    port: int
    security: str
    username: str | None
    password: Secret
    ca_file: Path | None = field(default=default("smtp.ca_file"))
    tls_verify: bool = default("smtp.tls_verify")
    timeout: float = default("smtp.timeout")
    envelope_from: str | None = default("smtp.envelope_from")
    directory: Path | None = field(default=default("smtp.directory"))
    helo: str | None = default("smtp.helo")  # None: this host's FQDN
    from_name: str | None = default("smtp.from_name")  # None: "Nabór" + call.short_name
    auth: str = default("smtp.auth")
    oauth2: OAuth2Config = field(default_factory=lambda: OAuth2Config(), metadata=_OAUTH2_KEYS)


@dataclass(frozen=True)
class StorageConfig:
    database: Path
    files: Path
    lock: Path


@dataclass(frozen=True)
class DigestConfig:
    recipients: tuple[str, ...] = tuple(default("digest.recipients"))
    at: time = field(default_factory=lambda: time.fromisoformat(default("digest.at")))


@dataclass(frozen=True)
class ScheduleConfig:
    poll_minutes: int = default("schedule.poll_minutes")
    idle: bool = default("schedule.idle")


@dataclass(frozen=True)
class LimitsConfig:
    max_message_bytes: int = default("limits.max_message_bytes")
    max_attachment_bytes: int = default("limits.max_attachment_bytes")
    max_parts: int = default("limits.max_parts")
    max_depth: int = default("limits.max_depth")
    replies_per_sender_per_day: int = default("limits.replies_per_sender_per_day")
    replies_per_hour: int = default("limits.replies_per_hour")
    max_attempts: int = default("limits.max_attempts")
    max_ocr_seconds: float = default("limits.max_ocr_seconds")
    ocr_pass_seconds: float = default("limits.ocr_pass_seconds")
    # read from [limits] too: these spellings, and any ParseLimits field under its own name
    max_parse_memory: int = default("limits.max_parse_memory")
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
    dir: Path | None = field(default=default("templates.dir"))


@dataclass(frozen=True)
class WebConfig:
    """``mailbot web``: the coordinator's workspace."""

    host: str = default("web.host")
    port: int = default("web.port")
    public_url: str | None = default("web.public_url")
    secure_cookies: bool = default("web.secure_cookies")
    session_minutes: int = default("web.session_minutes")
    trusted_proxies: int = default("web.trusted_proxies")


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
