"""One loader per table of ``config.toml`` (call, office, imap, smtp, storage, digest,
schedule, limits, web, form, resolution, templates): each reads its keys with the typed
readers and returns the table's frozen dataclass."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mailbot.config.declared import IMAP_PORTS, SMTP_PORTS, default, key
from mailbot.config.model import (
    DEFAULT_KEYWORDS,
    CallConfig,
    DigestConfig,
    Group,
    ImapConfig,
    IsolatedLimits,
    LimitsConfig,
    OAuth2Config,
    OfficeConfig,
    ResolutionConfig,
    ScheduleConfig,
    Secret,
    SmtpConfig,
    StorageConfig,
    TemplatesConfig,
    WebConfig,
)
from mailbot.config.tables import Table
from mailbot.errors import ConfigError, UnknownKeyError
from mailbot.form_roles import ANNEX_KINDS
from parsers import FormSpec, FormSpecError, ParseLimits


def load_call(t: Table) -> CallConfig:
    def read(name: str) -> Any:
        return t.read(key(f"call.{name}"))

    tz_name = read("timezone")
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
        gt = Table(g, f"call.groups[{i}]", t.where)
        groups.append(Group(gt.read(key("call.groups.number")), gt.read(key("call.groups.name"))))
    if len({g.number for g in groups}) != len(groups):
        raise t.fail("groups", "expected each group number once")
    address = read("address")
    if "@" not in address or any(c in address for c in "\r\n <>"):
        raise t.fail(
            "address", "expected the call's e-mail address, e.g. nabor@example.org", address
        )
    office_t = t.table("office")
    return CallConfig(
        name=read("name"),
        opens_at=opens_at,
        closes_at=closes_at,
        timezone=tz,
        address=address,
        groups=tuple(sorted(groups, key=lambda g: g.number)),
        reference_prefix=read("reference_prefix"),
        short_name=read("short_name") or "",
        next_steps=" ".join((read("next_steps") or "").split()),
        office=load_office(office_t) if office_t else None,
        keywords=_keywords(t),
        corrections_days=read("corrections_days") if "corrections_days" in t.data else None,
        form_url=_web_address(t, "form_url"),
    )


def _web_address(t: Table, key: str) -> str | None:
    """An http(s) address written whole (letters print it as it is)."""
    url = t.opt_str(key)
    if url is not None and (
        not url.startswith(("https://", "http://")) or any(c.isspace() or c in '<>"' for c in url)
    ):
        raise t.fail(key, "expected a web address, e.g. https://www.example.org/nabor", url)
    return url


def load_office(t: Table) -> OfficeConfig:
    def read(name: str) -> Any:
        return t.read(key(f"call.office.{name}"))

    return OfficeConfig(
        name=read("name"),
        unit=read("unit"),
        person=read("person"),
        position=read("position"),
        phone=read("phone"),
        address=read("address"),
    )


def _keywords(t: Table) -> tuple[str, ...]:
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


def _oauth2_keys(t: Table, auth: str) -> dict[str, Any]:
    """The ``oauth2_*`` keys shared by [imap] and [smtp]."""

    def read(name: str) -> Any:
        return t.read(key(f"{t.name}.oauth2_{name}"))

    oauth2 = OAuth2Config(
        token_command=read("token_command"),
        token_url=read("token_url"),
        client_id=read("client_id"),
        client_secret=Secret(read("client_secret_env")),
        refresh_token=Secret(read("refresh_token_env")),
        scope=read("scope"),
        mechanism=read("mechanism"),
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


def load_imap(t: Table, base: Path) -> ImapConfig:
    def read(name: str) -> Any:
        return t.read(key(f"imap.{name}"), base)

    security = read("security")
    auth = read("auth")
    port = key("imap.port")
    return ImapConfig(
        host=read("host"),
        port=t.integer("port", IMAP_PORTS[security], int(port.lo or 0), int(port.hi or 0)),
        security=security,
        username=read("username"),
        password=Secret(t.text("password_env") if auth == "password" else read("password_env")),
        folder=read("folder"),
        ca_file=read("ca_file"),
        tls_verify=read("tls_verify"),
        timeout=read("timeout"),
        batch_size=read("batch_size"),
        archive_folder=read("archive_folder"),
        since=read("since"),
        sent_folder=read("sent_folder"),
        save_sent=read("save_sent"),
        **_oauth2_keys(t, auth),
    )


def load_smtp(t: Table, base: Path) -> SmtpConfig:
    def read(name: str) -> Any:
        return t.read(key(f"smtp.{name}"), base)

    directory = read("directory")
    host = read("host")
    if host is None and directory is None:
        raise t.fail(
            "host",
            "missing: expected the SMTP server's host name "
            "(or smtp.directory to write replies as files)",
        )
    security = read("security")
    username = read("username")
    password_env = read("password_env")
    auth = read("auth")
    if auth == "oauth2" and not username:
        raise t.fail("username", 'auth = "oauth2" needs the mailbox address as smtp.username')
    if username and not password_env and auth == "password":
        raise t.fail(
            "password_env",
            "expected the name of the environment variable holding "
            "the SMTP password (smtp.username is set)",
        )
    port = key("smtp.port")
    return SmtpConfig(
        host=host,
        port=t.integer("port", SMTP_PORTS[security], int(port.lo or 0), int(port.hi or 0)),
        security=security,
        username=username,
        password=Secret(password_env),
        ca_file=read("ca_file"),
        tls_verify=read("tls_verify"),
        timeout=read("timeout"),
        envelope_from=read("envelope_from"),
        directory=directory,
        helo=_helo_name(t),
        from_name=_display_name(t, "from_name"),
        **_oauth2_keys(t, auth),
    )


def _helo_name(t: Table) -> str | None:
    helo = t.opt_str("helo")
    if helo is not None and not all(c.isalnum() or c in ".-[]:" for c in helo):
        raise t.fail("helo", "expected a host name such as mail.dops.wroc.pl", helo)
    return helo


def _display_name(t: Table, key: str) -> str | None:
    name = t.opt_str(key)
    if name is not None and any(c in name for c in '\r\n<>"'):
        raise t.fail(key, "expected a name without line breaks, quotes or angle brackets", name)
    return name


def sender_name_of(call: CallConfig, smtp: SmtpConfig | None, short_name_set: bool) -> str:
    """The one From name of every letter: ``smtp.from_name``, else "Nabór " + the call's short
    name (the short name alone when it already begins with "Nabór"), else "Nabór"."""
    if smtp is not None and smtp.from_name:
        return smtp.from_name
    if not short_name_set:
        return "Nabór"
    if call.short_name.casefold().startswith("nabór"):
        return call.short_name
    return f"Nabór {call.short_name}"


def load_storage(t: Table | None, base: Path) -> StorageConfig:
    t = t or Table({}, "storage", None)
    return StorageConfig(
        database=t.read(key("storage.database"), base),
        files=t.read(key("storage.files"), base),
        lock=t.read(key("storage.lock"), base),
    )


def load_digest(t: Table | None) -> DigestConfig:
    if t is None:
        return DigestConfig()
    recipients = t.data.get("recipients", list(default("digest.recipients")))
    if isinstance(recipients, str):
        recipients = [recipients]
    if not isinstance(recipients, list) or not all(
        isinstance(r, str) and "@" in r and not any(c in r for c in "\r\n<>") for r in recipients
    ):
        raise t.fail("recipients", "expected a list of e-mail addresses", recipients)
    at_raw = t.data.get("at", default("digest.at"))
    try:
        at = at_raw if isinstance(at_raw, time) else time.fromisoformat(str(at_raw))
    except ValueError as exc:
        raise t.fail("at", 'expected a time of day "HH:MM", e.g. "07:30"', at_raw) from exc
    return DigestConfig(recipients=tuple(recipients), at=at)


def load_schedule(t: Table | None) -> ScheduleConfig:
    if t is None:
        return ScheduleConfig()
    return ScheduleConfig(
        poll_minutes=t.read(key("schedule.poll_minutes")),
        idle=t.read(key("schedule.idle")),
    )


def load_limits(t: Table | None) -> LimitsConfig:
    if t is None:
        return LimitsConfig()
    p = ParseLimits()

    def read(name: str) -> Any:
        return t.read(key(f"limits.{name}"))

    return LimitsConfig(
        max_message_bytes=read("max_message_bytes"),
        max_attachment_bytes=read("max_attachment_bytes"),
        max_parts=read("max_parts"),
        max_depth=read("max_depth"),
        replies_per_sender_per_day=read("replies_per_sender_per_day"),
        replies_per_hour=read("replies_per_hour"),
        max_attempts=read("max_attempts"),
        max_ocr_seconds=read("max_ocr_seconds"),
        ocr_pass_seconds=read("ocr_pass_seconds"),
        max_parse_memory=read("max_parse_memory"),
        parse=IsolatedLimits(
            max_memory=read("max_parse_memory"),
            # the reader's own cap when the key is left out (parsers.ParseLimits)
            max_bytes=t.integer(
                "max_attachment_bytes",
                p.max_bytes,
                int(key("limits.max_attachment_bytes").lo or 0),
                int(key("limits.max_attachment_bytes").hi or 0),
            ),
            max_zip_members=read("max_archive_members"),
            max_uncompressed=read("max_uncompressed_bytes"),
            max_ratio=read("max_compression_ratio"),
            max_pdf_pages=read("max_pdf_pages"),
            max_seconds=read("max_parse_seconds"),
        ),
    )


def load_web(t: Table | None) -> WebConfig:
    if t is None:
        return WebConfig()
    public_url = t.opt_str("public_url")
    if public_url is not None and not public_url.startswith(("http://", "https://")):
        raise t.fail("public_url", "expected an http:// or https:// address", public_url)
    return WebConfig(
        host=t.read(key("web.host")),
        port=t.read(key("web.port")),
        public_url=public_url.rstrip("/") + "/" if public_url else None,
        secure_cookies=t.read(key("web.secure_cookies")),
        session_minutes=t.read(key("web.session_minutes")),
        trusted_proxies=t.read(key("web.trusted_proxies")),
    )


def load_form(root: Table, call: CallConfig) -> FormSpec:
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


def load_resolution(t: Table | None, spec: FormSpec) -> ResolutionConfig:
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
        heading=t.read(key("call.resolution.heading")),
        everyone=t.read(key("call.resolution.everyone")),
        fields=tuple(fields) if fields is not None else None,
    )


def _numbers(numbers: set[int]) -> str:
    return ", ".join(str(n) for n in sorted(numbers)) or "none"


def load_templates(t: Table | None, base: Path) -> TemplatesConfig:
    if t is None:
        return TemplatesConfig()
    directory = t.read(key("templates.dir"), base)
    if directory is not None and not directory.is_dir():
        raise t.fail(
            "dir", "an existing folder of templates (reply/*.txt.j2, digest/*)", str(directory)
        )
    return TemplatesConfig(dir=directory)
