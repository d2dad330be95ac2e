"""``mailbot check``: verify a deployment before it goes live, one line per item with the fix.

Items: the config is valid; every letter and the digest render with sample data; the call's
blank form (``form.blank``) reads as the form, with every label, choice and statement found and
nothing read as a value, and a filled example (``--sample``) field by field
(``mailbot.ops.preflight``); the IMAP login works and the folders exist (``imap.folder``, the
Sent folder, ``imap.archive_folder``); the SMTP server accepts the login (nothing is sent); the
database and the file store are writable and private; the database is not behind the mailbox
(a restored backup or a new database over a used mailbox: letters in Sent or archived mail it
does not know); LibreOffice is found (optional: without it DOC/RTF forms go to a person);
Tesseract with its Polish data is found (optional: without it scans are not pre-filled).
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from imapclient import IMAPClient
from imapclient.exceptions import IMAPClientError

import parsers
from mailbot.config import Config, load_config
from mailbot.errors import ConfigError, MailbotError, MailboxError
from mailbot.mail import imap
from mailbot.mail.mime import AttachedFile
from mailbot.mail.transport import SmtpTransport
from mailbot.models import STATUSES, Envelope, FormRead, Problem, Verdict
from mailbot.ops.checkline import Check, State, failed
from mailbot.ops.digest import build_digest
from mailbot.ops.preflight import check_form
from mailbot.pipeline.replies import ReplyInputs, compose_reply
from mailbot.storage.store import Store
from parsers.office import find_soffice

__all__ = ["Check", "State", "failed", "run_checks"]

#: names a server gives the folder of sent mail, when it marks none \Sent
SENT_NAMES = (
    "Sent",
    "Sent Items",
    "Sent Messages",
    "Wysłane",
    "Elementy wysłane",
    "INBOX.Sent",
    "INBOX/Sent",
)


def run_checks(config_path: Path, sample: Path | None = None) -> Iterator[Check]:
    """Every check, in order; stops after the config when it is not valid. The form's lines
    read the call's blank form (``form.blank``) and, with ``sample``, a filled example."""
    try:
        config = load_config(config_path)
    except ConfigError as exc:
        yield Check("config", "FAIL", str(exc), f"correct the key named above in {config_path}")
        return
    yield Check("config", "ok", f"{config_path} is valid")
    yield from check_templates(config)
    yield from check_form(config, sample)
    yield from check_imap(config)
    yield from check_smtp(config)
    yield from check_storage(config)
    yield from check_database_behind(config)
    yield check_libreoffice()
    yield check_ocr()


# --- letters and digest ---------------------------------------------------------------------


def sample_fields(config: Config) -> dict[str, Any]:
    """Plausible answers for every field of the call's form."""
    samples = {
        "email": "anna.kowalska@example.pl",
        "phone": "601 234 567",
        "date": "Wrocław, 20.05.2024",
        "free_text": "Przykładowy opis doświadczenia.",
    }
    values: dict[str, Any] = {}
    for f in config.form.fields:
        if f.kind == "choice":
            values[f.key] = [g.number for g in config.call.groups][:2]
        elif f.kind == "statement":
            values[f.key] = True
        elif f.key == config.form.salutation_from:
            values[f.key] = "Anna Kowalska"
        else:
            values[f.key] = samples.get(f.kind, f"przykład: {f.label}")
    return values


def sample_inputs(config: Config, template: str) -> ReplyInputs:
    data = b"sample"
    attached = AttachedFile(
        "2",
        "formularz.docx",
        "application/octet-stream",
        "docx",
        data,
        hashlib.sha256(data).hexdigest(),
    )
    readable = template not in ("needs_review", "no_form")
    extraction = parsers.Extraction(
        readable=readable,
        reason=None if readable else "scan",
        kind="docx",
        fields=sample_fields(config),
    )
    received = {
        "early": config.call.opens_at - timedelta(days=1),
        "late": config.call.closes_at + timedelta(days=1),
    }.get(template, config.call.opens_at + (config.call.closes_at - config.call.opens_at) / 2)
    envelope = Envelope(
        "<check@example.pl>",
        "anna.kowalska@example.pl",
        "Zgłoszenie",
        (),
        received,
        "internaldate",
        "0" * 64,
        1000,
    )
    problems = (
        (Problem("missing_example", "Przykładowy brak.", "Przykładowa poprawka."),)
        if template == "incomplete"
        else ()
    )
    read = FormRead(
        attached if readable else None,
        extraction if readable else None,
        ((attached, extraction),) if template != "no_form" else (),
        (),
    )
    status = template if template in STATUSES else "accepted"
    return ReplyInputs(
        envelope,
        Verdict(status, problems),
        read,
        config.call,  # type: ignore[arg-type]
        f"{config.call.reference_prefix}-0001",
        template,
        config.limits.replies_per_sender_per_day,
        config.limits.max_attachment_bytes,
    )


def check_templates(config: Config) -> Iterator[Check]:
    names = [*STATUSES, "limit_reached"]
    broken = []
    for name in names:
        try:
            compose_reply(sample_inputs(config, name))
        except Exception as exc:  # noqa: BLE001 - any template error is reported, not raised
            broken.append(f"reply/{name}.txt.j2: {type(exc).__name__}: {exc}")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="mailbot-check-") as tmp,
            Store(Path(tmp) / "check.db", Path(tmp) / "files") as store,
        ):
            build_digest(config, store)
    except Exception as exc:  # noqa: BLE001
        broken.append(f"digest: {type(exc).__name__}: {exc}")
    where = f"{config.templates.dir} before the built-in" if config.templates.dir else "built-in"
    if broken:
        yield Check(
            "templates",
            "FAIL",
            "; ".join(broken),
            f"correct the template named above ({where} templates)",
        )
    else:
        yield Check(
            "templates",
            "ok",
            f"{len(names)} letters and the digest render with sample data ({where} templates)",
        )


# --- IMAP -----------------------------------------------------------------------------------


def check_imap(config: Config) -> Iterator[Check]:
    if config.imap is None:
        yield Check(
            "imap",
            "FAIL",
            "no [imap] table",
            "add [imap] with host, port, security, username, password_env",
        )
        return
    c = config.imap
    try:
        client = imap.connect(c)
    except (MailboxError, ConfigError) as exc:
        yield Check("imap login", "FAIL", str(exc), _imap_fix(exc))
        return
    try:
        yield Check("imap login", "ok", f"{c.username} at {c.host}:{c.port} ({c.security})")
        info = imap.server_info(client)
        yield _idle(info, config)
        yield _folder(client, "imap.folder", c.folder)
        yield _sent_folder(client, config, info)
        if c.archive_folder:
            yield _folder(client, "imap.archive_folder", imap.place_folder(info, c.archive_folder))
    finally:
        imap.logout(client)


def _idle(info: imap.ServerInfo, config: Config) -> Check:
    """Whether the server offers IDLE, as it says (not as configured)."""
    minutes = config.schedule.poll_minutes
    if not config.schedule.idle:
        return Check(
            "imap idle",
            "ok",
            f"not used (schedule.idle = false): new mail is found by the poll every {minutes} min",
        )
    if info.idle:
        return Check(
            "imap idle",
            "ok",
            "the server offers IDLE: `mailbot run` answers within "
            "seconds of delivery (the worker warns if no push ever comes)",
        )
    return Check(
        "imap idle",
        "warn",
        f"the server does not offer IDLE: `mailbot run` finds "
        f"new mail by its poll every {minutes} min",
        "lower schedule.poll_minutes if replies should go out sooner",
    )


def _imap_fix(exc: MailbotError) -> str | None:
    """The fix, unless the message names it already (a refused login, the wrong security mode,
    a timeout, an untrusted certificate, a folder)."""
    if isinstance(exc, ConfigError):
        return str(exc.expected)
    if type(exc) is MailboxError:
        return "check imap.host, imap.port and imap.security (and that the server is reachable)"
    return None


def _folder(client: IMAPClient, key: str, name: str) -> Check:
    try:
        exists = client.folder_exists(name)
    except IMAPClientError as exc:
        return Check(key, "FAIL", f"cannot list folders: {exc}", "check the IMAP account")
    if exists:
        return Check(key, "ok", f"folder {name!r} exists")
    return Check(
        key,
        "FAIL",
        f"folder {name!r} does not exist",
        f"create the folder {name!r} in the mailbox, or correct {key}",
    )


def _sent_folder(client: IMAPClient, config: Config, info: imap.ServerInfo) -> Check:
    assert config.imap is not None
    if not config.imap.save_sent:
        return Check("sent folder", "ok", "replies are not saved (imap.save_sent = false)")
    configured = config.imap.sent_folder
    if configured:
        return _folder(client, "imap.sent_folder", imap.place_folder(info, configured))
    try:
        folders = client.list_folders()
    except IMAPClientError as exc:
        return Check("sent folder", "FAIL", f"cannot list folders: {exc}", "check the IMAP account")
    for flags, _, name in folders:
        if b"\\Sent" in flags:
            return Check("sent folder", "ok", f"{name!r} (marked \\Sent by the server)")
    names = {name for _, _, name in folders}
    for candidate in SENT_NAMES:
        if candidate in names:
            return Check("sent folder", "ok", f"{candidate!r}")
    return Check(
        "sent folder",
        "FAIL",
        "no folder of sent mail found (none marked \\Sent, "
        "none named " + ", ".join(repr(n) for n in SENT_NAMES[:4]) + ")",
        "create the folder 'Sent' in the mailbox",
    )


# --- SMTP -----------------------------------------------------------------------------------


def check_smtp(config: Config) -> Iterator[Check]:
    if config.smtp is None:
        yield Check(
            "smtp",
            "FAIL",
            "no [smtp] table",
            "add [smtp] with host, port, security (or directory = a folder for .eml files)",
        )
        return
    s = config.smtp
    if s.directory is not None:
        yield _writable_private("smtp.directory", s.directory, directory=True)
        return
    transport = SmtpTransport(s)
    try:
        transport.verify()
    except (MailbotError, ConfigError) as exc:
        fix = (
            (f"check smtp.username and the password in the environment variable {s.password.env}")
            if "refused" in str(exc) or isinstance(exc, ConfigError)
            else "check smtp.host, smtp.port and smtp.security (and that the server is reachable)"
        )
        yield Check("smtp login", "FAIL", str(exc), fix)
        return
    finally:
        transport.close()
    who = f"login {s.username} accepted" if s.username else "no login configured"
    yield Check("smtp login", "ok", f"{s.host}:{s.port} ({s.security}): {who}; nothing sent")


# --- storage --------------------------------------------------------------------------------


def check_storage(config: Config) -> Iterator[Check]:
    yield _writable_private("storage.database", config.storage.database, directory=False)
    yield _writable_private("storage.files", config.storage.files, directory=True)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _writable_private(key: str, path: Path, *, directory: bool) -> Check:
    """Exists (or can be created), readable and writable by its owner, nobody else's."""
    target = path if directory else path.parent
    if not path.exists():
        parent = target
        while not parent.exists():
            parent = parent.parent
        if not os.access(parent, os.W_OK | os.X_OK) or _mode(parent) & 0o300 != 0o300:
            return Check(
                key,
                "FAIL",
                f"{path} does not exist and {parent} is not writable",
                f"create {target} (mode 700) for the user running mailbot",
            )
        return Check(key, "ok", f"{path} will be created (private) on first use")
    if directory != path.is_dir():
        kind = "folder" if directory else "file"
        return Check(key, "FAIL", f"{path} is not a {kind}", f"point {key} at a {kind}")
    mode = _mode(path)
    need = 0o700 if directory else 0o600
    probe: Callable[[], None] = (
        (lambda: _probe_dir(path)) if directory else (lambda: _probe_file(path))
    )
    if mode & need != need:
        return Check(
            key,
            "FAIL",
            f"{path} is not readable and writable by its owner (mode {mode:04o})",
            f"chmod {need:o} {path}",
        )
    try:
        probe()
    except OSError as exc:
        return Check(
            key,
            "FAIL",
            f"{path}: {exc.strerror}",
            f"make {path} readable and writable by the user running mailbot "
            f"(chown, chmod {need:o})",
        )
    if mode & 0o077:
        return Check(
            key, "FAIL", f"{path} is readable by others (mode {mode:04o})", f"chmod {need:o} {path}"
        )
    return Check(key, "ok", f"{path} is writable and private (mode {mode:04o})")


def _probe_dir(path: Path) -> None:
    fd, name = tempfile.mkstemp(prefix=".check-", dir=path)
    try:
        os.write(fd, b"x")
    finally:
        os.close(fd)
        Path(name).unlink()
    next(iter(os.scandir(path)), None)


def _probe_file(path: Path) -> None:
    with open(path, "r+b") as handle:
        handle.read(16)


# --- the database against the mailbox --------------------------------------------------------


def check_database_behind(config: Config) -> Iterator[Check]:
    """Whether the mailbox knows more than the database: letters in Sent or archived mail it
    does not know, a higher number given, a restore not read back yet. Nothing is changed."""
    from mailbot.ops.resync import behind

    if config.imap is None:
        return
    try:
        client = imap.connect(config.imap)
    except (MailboxError, ConfigError):
        yield Check("database", "warn", "not compared with the mailbox: the IMAP login failed")
        return
    try:
        found = behind(config, client)
    except MailboxError as exc:
        yield Check("database", "warn", f"not compared with the mailbox: {exc}")
        return
    finally:
        imap.logout(client)
    prefix = config.call.reference_prefix
    number = lambda n: f"{prefix}-{n:04d}" if n else "none"  # noqa: E731
    if found.behind:
        parts = []
        if found.unknown_letters:
            parts.append(
                f"{found.sent_folder!r} holds {found.unknown_letters} letter(s) it does not "
                f"know (up to {number(found.highest)}; its last number {number(found.counter)})"
            )
        if found.archive_unknown:
            parts.append(
                f"{found.archive_folder!r} holds {found.archive_unknown} message(s) it does "
                "not know"
            )
        if found.restore_pending:
            parts.append("restored from a snapshot and not read back from the mailbox yet")
        if not found.database_exists:
            parts.insert(0, "no database yet over a mailbox mailbot has answered from")
        yield Check(
            "database",
            "FAIL",
            "behind the mailbox: " + "; ".join(parts or ["its last number is behind Sent"]),
            "run `mailbot poll` once: it reads Sent and the archive folder back, keeps the "
            "numbers the letters carried and sends nothing twice",
        )
        return
    kept = config.imap.save_sent or found.letters
    detail = (
        f"in step with the mailbox: {found.letters} letter(s) in "
        f"{found.sent_folder or 'Sent'} known, last number {number(found.counter)}"
    )
    if not kept:
        yield Check(
            "database",
            "warn",
            detail + "; the mailbox keeps no copies of the letters (imap.save_sent = false): "
            "after a restore mailbot cannot tell who was answered since the backup",
            "set imap.save_sent = true",
        )
        return
    yield Check("database", "ok", detail)


# --- LibreOffice ----------------------------------------------------------------------------


def check_libreoffice() -> Check:
    found = find_soffice()
    if found:
        return Check("libreoffice", "ok", f"found {found}: DOC and RTF forms are read")
    return Check(
        "libreoffice",
        "warn",
        "not found: DOC and RTF forms go to a person (reason converter_missing)",
        "apt-get install libreoffice-writer-nogui (optional)",
    )


# --- OCR ------------------------------------------------------------------------------------

#: the line ``mailbot check`` prints when scans cannot be pre-filled (a contract)
OCR_MISSING = "OCR: tesseract not found — install tesseract-ocr tesseract-ocr-pol"


def check_ocr() -> Check:
    from parsers import ocr

    engine = ocr.engine()
    if engine:
        return Check("OCR", "ok", f"{engine}: scans are pre-filled for the coordinator")
    return Check(
        "OCR",
        "warn",
        "tesseract not found",
        "install tesseract-ocr tesseract-ocr-pol",
        text=OCR_MISSING,
    )
