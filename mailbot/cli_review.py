"""``mailbot user``, ``mailbot review`` and ``mailbot web``: the coordinator's work from the
command line (the same library functions the workspace calls)."""

from __future__ import annotations

import getpass
import json
import sys
from pathlib import Path

import click

from mailbot import form_roles, names
from mailbot.cli_base import State, reports_errors


def _actor() -> str:
    """Who does a change from the command line: the system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def _read_password() -> str:
    if sys.stdin.isatty():
        return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.group()
def user() -> None:
    """Logins of the workspace (mailbot web)."""


@user.command("add")
@click.argument("login")
@click.option(
    "--role",
    type=click.Choice(names.ROLES),
    default="coordinator",
    show_default=True,
    help="coordinator: decides and answers; viewer: only looks.",
)
@click.pass_obj
@reports_errors
def user_add(state: State, login: str, role: str) -> None:
    """Add a login; the password is asked twice (or read from the first line of stdin)."""
    from mailbot.ops import jobs
    from mailbot.ops.users import add_user

    config = state.config()
    password = _read_password()
    with jobs.open_store(config) as store:
        made = add_user(store, login, password, role, actor=_actor())
    click.echo(f"user {made.login} added ({made.role})")


@user.command("list")
@click.pass_obj
@reports_errors
def user_list(state: State) -> None:
    """The logins and their roles."""
    from mailbot.ops import jobs
    from mailbot.ops.users import list_users

    with jobs.open_store(state.config()) as store:
        for u in list_users(store):
            click.echo(f"{u.login:24} {u.role:12} {u.created_at}")


@user.command("passwd")
@click.argument("login")
@click.pass_obj
@reports_errors
def user_passwd(state: State, login: str) -> None:
    """Set a new password (asked twice, or read from the first line of stdin); every session
    of the login ends at once."""
    from mailbot.ops import jobs
    from mailbot.ops.users import change_password

    config = state.config()
    password = _read_password()
    with jobs.open_store(config) as store:
        ended = change_password(store, login, password, actor=_actor())
    click.echo(f"password of {login.strip().lower()} changed; {ended} session(s) ended")


@user.command("role")
@click.argument("login")
@click.argument("role", type=click.Choice(names.ROLES))
@click.pass_obj
@reports_errors
def user_role(state: State, login: str, role: str) -> None:
    """Give a login another role (coordinator or viewer); its sessions end at once."""
    from mailbot.ops import jobs
    from mailbot.ops.users import change_role

    with jobs.open_store(state.config()) as store:
        ended = change_role(store, login, role, actor=_actor())
    click.echo(f"user {login.strip().lower()} is now {role}; {ended} session(s) ended")


@user.command("remove")
@click.argument("login")
@click.pass_obj
@reports_errors
def user_remove(state: State, login: str) -> None:
    """Remove a login; its sessions end at once."""
    from mailbot.ops import jobs
    from mailbot.ops.users import remove_user

    with jobs.open_store(state.config()) as store:
        remove_user(store, login, actor=_actor())
    click.echo(f"user {login} removed")


@click.group("review")
def review_group() -> None:
    """Decide, correct and answer applications (as in the workspace)."""


@review_group.command("list")
@click.option("--status", help="Only this status (accepted, incomplete, needs_review, ...).")
@click.option("--json", "as_json", is_flag=True, help="A JSON list in the export's shape.")
@click.pass_obj
@reports_errors
def review_list(state: State, status: str | None, as_json: bool) -> None:
    """The live applications (a resubmission replaces the earlier one)."""
    from mailbot.ops import jobs
    from mailbot.ops.export import ApplicationFilter, applications

    config = state.config()
    with jobs.open_store(config) as store:
        apps = applications(
            store,
            config.call.timezone,
            ApplicationFilter(status=status, live_only=True),
            config.form,
        )
    if as_json:
        click.echo(json.dumps(apps, ensure_ascii=False, indent=2))
        return
    choice = form_roles.choice_field(config.form)
    name = form_roles.name_key(config.form)
    for a in apps:
        chosen = a["fields"].get(choice.key) if choice else None
        numbers = ",".join(str(n) for n in chosen or []) or "-"
        click.echo(
            f"{a['reference']:16} {a['status']:16} {a['received_at'][:16]:16} "
            f"nr {numbers:8} {(a['fields'].get(name) if name else None) or '-'}"
        )


@review_group.command("show")
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.pass_obj
@reports_errors
def review_show(state: State, ref: str, as_json: bool) -> None:
    """One application: fields (corrections marked), decision, stored form, history."""
    from mailbot.ops import jobs
    from mailbot.ops import review as review_lib
    from mailbot.ops.export import applications

    config = state.config()
    with jobs.open_store(config) as store:
        found = review_lib.read_application(store, ref)
        app = next(
            a
            for a in applications(store, config.call.timezone, spec=config.form)
            if a["id"] == found.id
        )
        hist = review_lib.history(store, found)
        fixes = review_lib.corrections(store, found.id)
    if as_json:
        app["corrections"] = [c.__dict__ for c in fixes]
        app["history"] = {
            k: [{kk: vv for kk, vv in item.items()} for item in v] for k, v in hist.items()
        }
        click.echo(json.dumps(app, ensure_ascii=False, indent=2, default=str))
        return
    click.echo(f"{app['reference']}  {review_lib.status_label(app['status'])}")
    if app["decided_by"]:
        click.echo(
            f"decided by {app['decided_by']} at {app['decided_at']}"
            + (f": {app['decision_note']}" if app["decision_note"] else "")
        )
    if app["problems"]:
        click.echo(
            "problems: "
            + "; ".join(review_lib.problem_text(c, config.form) for c in app["problems"])
        )
    click.echo(f"received: {app['received_at']}  from: {app['sender']}")
    click.echo(f"form: {app['form_name'] or '-'}  stored at: {app['form_path'] or '-'}")
    for key, value in app["fields"].items():
        mark = "  [corrected]" if key in app["corrected_fields"] else ""
        click.echo(f"  {key:17} {json.dumps(value, ensure_ascii=False)}{mark}")
    for e in hist["events"]:
        click.echo(f"  {e['at']}  {e['kind']:14} {e['actor'] or '':16} {e['detail']}")


@review_group.command("decide")
@click.argument("ref")
@click.option(
    "--status", required=True, type=click.Choice([s.value for s in names.DECISION_STATUSES])
)
@click.option(
    "--problem",
    "problems",
    multiple=True,
    help="A problem code (incomplete), e.g. missing_phone; repeat for more.",
)
@click.option("--note", help="A problem in your own words (incomplete) or the reason (rejected).")
@click.option("--notify", is_flag=True, help="Queue the Polish notice to the applicant.")
@click.option(
    "--to",
    "recipient",
    type=click.Choice(["form", "sender"]),
    help="The notice's recipient: the e-mail in the form (the default) or the sender.",
)
@click.pass_obj
@reports_errors
def review_decide(
    state: State,
    ref: str,
    status: str,
    problems: tuple[str, ...],
    note: str | None,
    notify: bool,
    recipient: str | None,
) -> None:
    """Decide an application: accepted, incomplete, rejected, not_application."""
    from mailbot.ops import jobs
    from mailbot.ops import review as review_lib

    config = state.config()
    with jobs.open_store(config) as store:
        result = review_lib.decide(
            config,
            store,
            ref,
            status,
            actor=_actor(),
            problems=problems,
            note=note,
            notify=notify,
            recipient=recipient,
        )
    click.echo(
        f"{result.reference}: {result.old_status} -> {result.status}"
        + (f"; notice queued (reply {result.notice_reply_id})" if result.notice_reply_id else "")
    )


@review_group.command("correct")
@click.argument("ref")
@click.option(
    "--set",
    "changes",
    multiple=True,
    metavar="FIELD=VALUE",
    help="A field of [form] by its key and the value: text as it is, a choice as numbers "
    "('4,5' or '4 i 5'), a statement tak/nie; e.g. --set phone='71 123 45 67'.",
)
@click.option(
    "--from-prefill",
    is_flag=True,
    help="Take the values OCR read from the scan (with --set: those values instead).",
)
@click.pass_obj
@reports_errors
def review_correct(state: State, ref: str, changes: tuple[str, ...], from_prefill: bool) -> None:
    """Type in or fix fields (the values read by machine are kept); each value is checked by
    the form spec (an e-mail with "@@" or a group the call does not have is refused)."""
    from mailbot.ops import jobs
    from mailbot.ops import review as review_lib

    if not changes and not from_prefill:
        raise click.UsageError("give --set FIELD=VALUE (one or more) or --from-prefill")
    parsed: dict[str, str] = {}
    for change in changes:
        key, sep, value = change.partition("=")
        if not sep:
            raise click.BadParameter(f"expected FIELD=VALUE, got {change!r}", param_hint="--set")
        parsed[key.strip()] = value
    config = state.config()
    with jobs.open_store(config) as store:
        if from_prefill:
            from mailbot.ops.prefill import confirm_prefill

            made = confirm_prefill(store, ref, actor=_actor(), call=config.call, overrides=parsed)
        else:
            made = review_lib.correct(store, ref, parsed, actor=_actor(), call=config.call)
    if not made:
        click.echo("nothing changed")
    for c in made:
        click.echo(
            f"{c.field}: {json.dumps(c.old, ensure_ascii=False)} -> "
            f"{json.dumps(c.new, ensure_ascii=False)}"
        )


@review_group.command("answer")
@click.argument("ref")
@click.option(
    "--text-file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The answer's text (UTF-8).",
)
@click.option(
    "--to",
    "recipient",
    type=click.Choice(["form", "sender"]),
    help="The e-mail in the form, or the sender of the latest message (the default).",
)
@click.pass_obj
@reports_errors
def review_answer(state: State, ref: str, text_file: Path, recipient: str | None) -> None:
    """Answer the applicant (under their latest message; sent by the next pass): the greeting
    of the recipient, the office's signature and their words quoted are added."""
    from mailbot.ops import answers, jobs

    config = state.config()
    text = text_file.read_text(encoding="utf-8")
    with jobs.open_store(config) as store:
        reply_id = answers.answer_application(
            config, store, ref, text, actor=_actor(), recipient=recipient
        )
    click.echo(f"answer queued (reply {reply_id}); the next pass sends it")


@review_group.command("teach")
@click.argument("message")
@click.option(
    "--about-call/--not-about-call",
    required=True,
    help="The message is about the call (teaches the call's side) or not (the everyday side).",
)
@click.pass_obj
@reports_errors
def review_teach(state: State, message: str, about_call: bool) -> None:
    """Teach by one message (its number, Message-ID or reference number): its sender, its
    thread and its words. --not-about-call also takes it out of the queue."""
    from mailbot.ops import jobs
    from mailbot.ops import teach as teach_lib

    config = state.config()
    with jobs.open_store(config) as store:
        pk = teach_lib.find_message(store, message)
        done = teach_lib.teach(config, store, pk, about_call=about_call, actor=_actor())
    click.echo(
        f"message {done.message_pk}: taught {done.side.value}"
        + ("; read again" if done.reread else "")
    )


@click.command()
@click.option("--host", help="Address to bind (default web.host, 127.0.0.1).")
@click.option("--port", type=int, help="Port (default web.port, 8025).")
@click.pass_obj
@reports_errors
def web(state: State, host: str | None, port: int | None) -> None:
    """The coordinator's workspace in the browser (served by waitress)."""
    from .web.serve import serve

    serve(state.config(), host=host, port=port)
