"""A message's own page (correspondence, mail judged unrelated, an error, a robot's message),
and what can be made of it: an application ("To jest zgłoszenie"), the call's correspondence
("To jest korespondencja"), or not an application.

Mail judged unrelated is never kept: its page fetches it live from the mailbox by UID
(read-only) and says plainly when it is gone or the server cannot be reached. Turning it into
an application or correspondence goes through the mailbox too; nothing is recorded until that
has succeeded (:mod:`mailbot.ops.reclassify`), and a refusal is said in Polish on the page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for

from mailbot.errors import (
    ActionRefused,
    LockedError,
    MailbotError,
    MailboxError,
    MessageGone,
    NotStoredError,
)
from mailbot.ops import withdrawals
from mailbot.ops.live_mail import read_message
from mailbot.ops.reclassify import as_application, as_correspondence
from mailbot.ops.review import mark_not_application, message_row
from mailbot.ops.teach import teach
from mailbot.pipeline.delivery import is_robot_address, undelivered_text
from mailbot.pipeline.relevance import stored_signals
from mailbot.storage import review as review_store
from mailbot.storage import withdrawals as withdrawals_store

from .context import actor, config, get_store
from .errors import phrase
from .security import coordinator_required, login_required

bp = Blueprint("wiadomosc", __name__)

#: the HTTP status a refused action answers with, by what refused it
STATUS_GONE = 410
STATUS_UNAVAILABLE = 503
STATUS_REFUSED = 409


def _status_of(exc: MailbotError) -> int:
    if isinstance(exc, MessageGone | NotStoredError):
        return STATUS_GONE
    if isinstance(exc, MailboxError | LockedError):
        return STATUS_UNAVAILABLE
    return STATUS_REFUSED


def _row(message_pk: int) -> dict[str, Any]:
    try:
        return message_row(get_store(), message_pk)
    except ActionRefused:
        abort(404)


def page(message_pk: int, error: str | None = None, status: int = 200) -> Any:
    store = get_store()
    row = _row(message_pk)
    robot = row["disposition"] == "ignored" or is_robot_address(row["sender"])
    proposal = None if robot else withdrawals.propose(config(), store, message_pk)
    shown = read_message(config(), store, row)
    return render_template(
        "web/wiadomosc.html",
        message=row,
        text=shown.text,
        source=shown.source,
        live_attachments=shown.attachments,
        reference=review_store.reference_of_message(store, message_pk),
        handled=review_store.handled_entry(store, f"message:{message_pk}"),
        attachments=review_store.attachments_of_message(store, message_pk),
        replies=review_store.replies_to_message(store, message_pk),
        robot=robot,
        bounced=[
            (r, undelivered_text(r.reason))
            for r in review_store.replies_bounced_by(store, message_pk)
        ],
        proposal=proposal,
        proposal_text=withdrawals.proposal_text(proposal) if proposal else "",
        withdrew=withdrawals_store.withdrawn_by_message(store, message_pk),
        signals=stored_signals(row.get("signals")),
        error=error,
        active="wiadomosci",
    ), status


@bp.route("/wiadomosc/<int:message_pk>")
@login_required
def show(message_pk: int) -> Any:
    return page(message_pk)


@bp.route("/wiadomosc/<int:message_pk>/to-jest-zgloszenie", methods=["POST"])
@coordinator_required
def is_application(message_pk: int) -> Any:
    """ "To jest zgłoszenie": read again as an application (through the mailbox when its
    bytes were not kept); its letter is queued."""
    _row(message_pk)
    try:
        done = as_application(config(), get_store(), message_pk, actor=actor())
    except MailbotError as exc:
        return page(message_pk, phrase(exc), _status_of(exc))
    numbers = ", ".join(done.references)
    flash(
        f"Zapisano: to jest zgłoszenie {numbers}."
        + (
            " Odpowiedź do nadawcy zostanie wysłana w ciągu kilku minut."
            if done.reply_queued
            else ""
        )
    )
    if done.references:
        return redirect(url_for("zgloszenie.show", ref=done.references[0]))
    return redirect(url_for("wiadomosc.show", message_pk=message_pk))


def into_correspondence(message_pk: int) -> Any:
    """Mail judged unrelated read again as the call's correspondence (through the mailbox),
    then its sender, thread and words remembered for the call ("Dotyczy naboru")."""
    store = get_store()
    try:
        as_correspondence(config(), store, message_pk, actor=actor())
    except MailbotError as exc:
        return page(message_pk, phrase(exc), _status_of(exc))
    taught = teach(config(), store, message_pk, about_call=True, actor=actor(), was="unrelated")
    flash(f"{taught.note} Wiadomość jest teraz w Do zrobienia jako korespondencja.")
    return redirect(url_for("wiadomosc.show", message_pk=message_pk))


@bp.route("/wiadomosc/<int:message_pk>/to-jest-korespondencja", methods=["POST"])
@coordinator_required
def is_correspondence(message_pk: int) -> Any:
    _row(message_pk)
    return into_correspondence(message_pk)


@bp.route("/wiadomosc/<int:message_pk>/nie-jest-zgloszeniem", methods=["POST"])
@coordinator_required
def not_application(message_pk: int) -> Any:
    try:
        mark_not_application(get_store(), message_pk, actor=actor())
    except ActionRefused:
        abort(404)
    flash("Zapisano: to nie jest zgłoszenie.")
    return redirect(url_for("do_zrobienia.index"))
