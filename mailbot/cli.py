"""The ``mailbot`` command: parses options, loads config, calls the library, reports.

Every :class:`MailbotError` becomes one line on stderr and the error's exit code. The global
options (``--config``, ``-v``) may come before or after the command name.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, cast

import click

from mailbot.cli_base import GlobalOptionsGroup, State, reports_errors
from mailbot.logs import setup_logging
from mailbot.names import MACHINE_STATUSES
from mailbot.progress import TerminalProgress

if TYPE_CHECKING:
    from mailbot.models import Relevant
    from mailbot.ops import jobs

EXIT_NOT_READABLE = 3
EXIT_REPLIES_QUEUED = 75  # the pass ran but replies stay queued (SMTP unreachable)


@click.group(cls=GlobalOptionsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    default="config.toml",
    show_default=True,
    help="The configuration file.",
)
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv: debug).")
@click.version_option(package_name="mailbot")
@click.pass_context
def cli(ctx: click.Context, config_path: Path, verbose: int) -> None:
    """mailbot runs a call for applications by e-mail: it reads the forms sent to the call's
    mailbox, checks them against the call, stores them and answers every applicant."""
    setup_logging(verbose)
    ctx.obj = State(config_path)


@contextmanager
def _progress() -> Iterator[TerminalProgress | None]:
    """Count, rate and ETA on stderr when it is a terminal (not under cron)."""
    if not sys.stderr.isatty():
        yield None
        return
    progress = TerminalProgress()
    try:
        yield progress
    finally:
        progress.close()


def _finish(report: jobs.JobReport) -> None:
    problem = report.problem()
    if report.mailbox_error:
        # a failed pass prints no success-looking summary: the error line, and what was done
        # before it only when something was
        if report.messages.processed or (report.replies and report.replies.sent):
            click.echo(f"before the error: {report.summary()}")
        click.echo(f"mailbot: {problem}", err=True)
        sys.exit(report.error_code or 69)
    click.echo(report.summary())
    if problem:
        click.echo(f"mailbot: {problem}", err=True)
        sys.exit(EXIT_REPLIES_QUEUED)


_SINCE = click.option(
    "--since",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Read only mail received on or after this day (YYYY-MM-DD, call's time zone); "
    "default imap.since, else 14 days before the call opens.",
)


@cli.command()
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what each new message would get; send, change and store nothing.",
)
@_SINCE
@click.pass_obj
@reports_errors
def poll(state: State, dry_run: bool, since: datetime | None) -> None:
    """One pass: fetch new mail, process it, send pending replies, exit (for cron)."""
    from mailbot.ops import jobs

    config = state.config()
    day = since.date() if since else None
    with _progress() as progress:
        if dry_run:
            click.echo(jobs.poll_dry_run(config, progress=progress, since=day).text(), nl=False)
            return
        report = jobs.poll(config, progress=progress, since=day)
    _finish(report)


@cli.command()
@click.pass_obj
@reports_errors
def run(state: State) -> None:
    """The resident worker: polls on schedule and sends the daily digest (SIGTERM stops it)."""
    from mailbot.ops.worker import run_worker

    run_worker(state.config())


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--no-send", is_flag=True, help="Queue the replies but do not send them now.")
@click.option(
    "--dry-run", is_flag=True, help="Show what each message would get; send and store nothing."
)
@_SINCE
@click.pass_obj
@reports_errors
def import_(
    state: State, paths: tuple[Path, ...], no_send: bool, dry_run: bool, since: datetime | None
) -> None:
    """Run the pipeline over .eml files, folders of them, mbox files and Maildirs."""
    from mailbot.ops import jobs

    config = state.config()
    day = since.date() if since else None
    with _progress() as progress:
        if dry_run:
            click.echo(
                jobs.import_dry_run(config, paths, progress=progress, since=day).text(), nl=False
            )
            return
        report = jobs.import_paths(config, paths, send=not no_send, progress=progress, since=day)
    _finish(report)


@cli.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
@click.pass_obj
@reports_errors
def extract(state: State, files: tuple[Path, ...], as_json: bool) -> None:
    """Read one form file and print what was found and whether it is the call's form (by the
    form's own texts found and missing); exit 3 when it cannot be read as the form. A scan also
    gets the OCR pre-fill (when Tesseract is installed); several files are read as the pages of
    one scan (each must be a scan)."""
    import parsers
    from parsers import ocr

    # the form of the call when a config is present; else the default (DKRES) form
    spec = state.config().form if state.config_path.exists() else parsers.DEFAULT_FORM
    datas = [f.read_bytes() for f in files]
    results = [parsers.extract(data, spec) for data in datas]
    if len(files) > 1 and any(r.reason != "scan" for r in results):
        raise click.UsageError("several files are read together only as the pages of one scan")
    result = results[0]
    # what OCR reads from a scan, for a person to check (None without Tesseract)
    prefill = ocr.prefill(datas, spec, ocr.OcrLimits()) if result.reason == "scan" else None
    if as_json:
        out = result.to_json()
        if prefill is not None:
            out = {
                **{k: out.pop(k) for k in ("readable", "reason", "fields")},
                "prefill": prefill.to_json(),
                **out,
            }
        click.echo(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        click.echo(f"file:     {', '.join(f.name for f in files)}")
        click.echo(f"kind:     {result.kind}")
        click.echo(
            f"readable: {'yes' if result.readable else 'no'}"
            + (
                f" ({result.reason}{': ' + result.detail if result.detail else ''})"
                if not result.readable
                else ""
            )
        )
        ident = result.identification
        if ident is not None:
            # whether the file is the call's form, and by which of the form's own texts
            click.echo(f"the form: {'yes' if ident.identified else 'no'} ({ident.summary()})")
            for label, texts in (("found", ident.found), ("missing", ident.missing)):
                for text in texts:
                    shown = text if len(text) <= 90 else text[:89] + "…"
                    click.echo(f"  {label + ':':9}{shown}")
        for key in spec.keys:
            value = result.fields.get(key)
            where = result.sources.get(key)
            shown = json.dumps(value, ensure_ascii=False)
            click.echo(f"{key:17} {shown}" + (f"    [{where}]" if where else ""))
        if prefill is not None:
            click.echo(
                f"OCR pre-fill ({prefill.engine}; for a person to check, never used as read):"
            )
            for key in spec.keys:
                shown = json.dumps(prefill.fields.get(key), ensure_ascii=False)
                click.echo(
                    f"  {key:17} {shown}    [confidence {prefill.confidence.get(key, 0):.2f}]"
                )
    if not result.readable:
        sys.exit(EXIT_NOT_READABLE)


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "csv", "xlsx", "docx"]),
    default="json",
    show_default=True,
    help="json/csv: every application; xlsx/docx: the list for the Committee's "
    "resolution (live accepted applications per group, then everyone).",
)
@click.option(
    "--excel", is_flag=True, help="With csv: the dialect of Polish Excel (; UTF-8 BOM CRLF)."
)
@click.option("--group", type=int, help="Only this working group.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file (created private, 0600) instead of standard output.",
)
@click.pass_obj
@reports_errors
def export(state: State, fmt: str, excel: bool, group: int | None, output: Path | None) -> None:
    """Export applications and messages, or the list for the Committee's resolution."""
    from mailbot.ops import jobs
    from mailbot.ops.export import export_csv, export_json
    from mailbot.ops.resolution import resolution_docx, resolution_lists, resolution_xlsx

    config = state.config()
    if group is not None and group not in config.call.group_numbers():
        raise click.BadParameter(f"no group {group} in the call", param_hint="--group")
    data: bytes
    with jobs.open_store(config) as store:
        if fmt == "json":
            data = export_json(store, config.call.timezone, group, config.form).encode("utf-8")
        elif fmt == "csv":
            data = export_csv(
                store, config.call.timezone, excel=excel, group=group, spec=config.form
            ).encode("utf-8")
        elif fmt == "xlsx":
            data = resolution_xlsx(resolution_lists(store, config.call, group), config.call)
        else:
            data = resolution_docx(resolution_lists(store, config.call, group), config.call)
    if output is None:
        if fmt in ("xlsx", "docx") and sys.stdout.isatty():
            raise click.UsageError(f"{fmt} is a binary file: give --output FILE")
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    write_private(output, data)
    click.echo(f"written to {output}", err=True)


def write_private(path: Path, data: bytes) -> None:
    """Create or replace a file readable by the owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


@cli.command()
@click.option("--send", is_flag=True, help="Send it to digest.recipients instead of printing.")
@click.option("--force", is_flag=True, help="With --send: send even if sent already today.")
@click.option("--html", is_flag=True, help="Print the HTML version.")
@click.pass_obj
@reports_errors
def digest(state: State, send: bool, force: bool, html: bool) -> None:
    """Print the coordinator's digest, or send it (once a day)."""
    from mailbot.ops import jobs
    from mailbot.ops.digest import build_digest

    config = state.config()
    if send:
        sent = jobs.send_digest(config, force=force)
        click.echo(
            f"digest {sent.day} sent to {len(config.digest.recipients)} recipient(s)"
            if sent
            else "today's digest was sent already (use --force to resend)"
        )
        return
    with jobs.open_store(config) as store:
        result = build_digest(config, store)
    click.echo(result.html if html else f"Subject: {result.subject}\n\n{result.text}", nl=False)


@cli.command()
@click.option(
    "--before",
    required=True,
    type=click.DateTime(["%Y-%m-%d"]),
    help="Remove what was received before this day (YYYY-MM-DD, call's time zone).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_obj
@reports_errors
def purge(state: State, before: datetime, yes: bool) -> None:
    """Remove applications, messages and files received before a date (retention)."""
    from mailbot.ops import jobs

    config = state.config()
    cutoff = before.replace(tzinfo=config.call.timezone)
    if not yes:
        click.confirm(
            f"Remove everything received before {cutoff:%Y-%m-%d} ({config.call.timezone.key})?",
            abort=True,
        )
    click.echo(jobs.purge_before(config, cutoff).summary())


@cli.command()
@click.argument("references", nargs=-1)
@click.option(
    "--status",
    type=click.Choice([s.value for s in MACHINE_STATUSES]),
    help="Every message holding an application with this status.",
)
@click.option(
    "--uid",
    type=int,
    help="The message with this IMAP UID (fetched again from the mailbox when it was not kept).",
)
@click.option(
    "--as",
    "decided",
    type=click.Choice(["application", "correspondence", "unrelated"]),
    help="A person's decision on what the message is, overriding the rules.",
)
@click.option("--reply", is_flag=True, help="Queue and send a new reply for the new outcome.")
@click.pass_obj
@reports_errors
def reprocess(
    state: State,
    references: tuple[str, ...],
    status: str | None,
    uid: int | None,
    decided: str | None,
    reply: bool,
) -> None:
    """Read stored messages again with today's parsers and configuration (REF... are
    reference numbers, e.g. DKRES-2024-0007)."""
    from mailbot.ops import jobs

    if not references and status is None and uid is None:
        raise click.UsageError("give reference numbers, --status STATUS or --uid UID")
    report = jobs.reprocess(
        state.config(),
        references=references,
        status=status,
        uid=uid,
        reply=reply,
        decided=cast("Relevant | None", decided),  # click.Choice allows only these
    )
    click.echo(report.summary())


@cli.command()
@click.option(
    "--dir",
    "workdir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Scratch folder (default: a new one under /tmp).",
)
@click.option(
    "--web",
    "with_web",
    is_flag=True,
    help="Then open the workspace on the demo's data (a demo login is printed once).",
)
@click.option("--port", type=int, default=None, help="With --web: the port (default 8025).")
@reports_errors
def demo(workdir: Path | None, with_web: bool, port: int | None) -> None:
    """Run the whole pipeline on a bundled example inbox; no server, no network."""
    from mailbot.ops.demo import run_demo

    if with_web:  # a taken port is said at once, before the demo is built
        from mailbot.config import WebConfig

        from .web.serve import check_port

        check_port(WebConfig().host, port or WebConfig().port)
    summary = run_demo(workdir, web=with_web, port=port)
    click.echo(summary.text)
    if with_web:
        from mailbot.config import load_config
        from mailbot.ops.demo import demo_login

        from .web.serve import serve

        config = load_config(summary.config_path)
        login, password = demo_login(config)
        if password:
            click.echo(f"workspace login: {login}   password: {password}   (shown once)")
        else:
            click.echo(f"workspace login: {login} (password shown on the first run)")
        serve(config, port=port)


from mailbot.cli_backup import backup, restore  # noqa: E402  (commands of their own module)
from mailbot.cli_learn import learn  # noqa: E402  (commands of their own module)
from mailbot.cli_review import review_group, user, web  # noqa: E402  (commands of their own module)
from mailbot.cli_withdraw import withdraw  # noqa: E402

cli.add_command(user)
cli.add_command(review_group)
cli.add_command(web)
cli.add_command(backup)
cli.add_command(restore)
review_group.add_command(withdraw)
cli.add_command(learn)


@cli.command()
@click.option(
    "--sample",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A filled example of the form: show what each field yields and the status and "
    "problems validation would give.",
)
@click.pass_obj
@reports_errors
def check(state: State, sample: Path | None) -> None:
    """Verify a deployment: config, letters, the call's blank form (form.blank) against [form],
    IMAP login and folders, SMTP login (nothing is sent), database and store, LibreOffice,
    Tesseract (OCR of scans). One line per item with the fix; exit 1 if any item fails."""
    from mailbot.ops.check import run_checks

    failed = False
    for item in run_checks(state.config_path, sample):
        click.echo(item.line)
        failed = failed or item.state == "FAIL"
    if failed:
        sys.exit(1)


def main() -> None:
    cli(prog_name="mailbot")


if __name__ == "__main__":
    main()
