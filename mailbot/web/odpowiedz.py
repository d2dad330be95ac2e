"""Odpowiedz: an answer to a message — to its sender, or (for an application) to the e-mail in
the form; started from a saved answer or typed; shown as it will be sent (greeting, signature,
the question quoted), then queued in the outbox, threaded; then, if she asks, the next entry of
Do zrobienia."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mailbot.errors import ActionRefused, MailbotError
from mailbot.ops.answers import (
    answer,
    answer_letter,
    message_recipients,
    saved_answer_text,
    saved_answers,
)
from mailbot.ops.recipients import FORM
from mailbot.ops.review import latest_message_pk, message_row, read_application

from .context import actor, config, form_text, get_store
from .errors import phrase
from .security import coordinator_required

bp = Blueprint("odpowiedz", __name__)

#: the field a refusal belongs to (its message is tied to it on the page)
FIELD_OF = {
    "answer_empty": "text",
    "unknown_answer": "answer",
    "answer_broken": "answer",
    "unknown_recipient": "recipient",
    "no_recipient": "recipient",
}


@bp.route("/wiadomosc/<int:message_pk>/odpowiedz", methods=["GET", "POST"])
@coordinator_required
def edit(message_pk: int) -> Any:
    store = get_store()
    try:
        message = message_row(store, message_pk)
    except ActionRefused:
        abort(404)
    choices = message_recipients(config(), store, message_pk)
    text = form_text("text")
    recipient = request.values.get("adresat") or request.form.get("recipient") or ""
    if recipient not in {r.key for r in choices}:
        recipient = next((r.key for r in choices if r.sender), choices[0].key if choices else "")
    chosen_answer = form_text("answer", 100)
    error = preview = None
    field = None
    if request.method == "POST":
        action = request.form.get("action", "preview")
        try:
            if action == "insert":
                inserted = saved_answer_text(config(), store, chosen_answer, message_pk)
                text = f"{text.rstrip()}\n\n{inserted}" if text.strip() else inserted
            elif request.form.get("confirm") == "1":
                answer(config(), store, message_pk, text, actor=actor(), recipient=recipient)
                flash("Odpowiedź zostanie wysłana w ciągu kilku minut.")
                if request.form.get("next") == "1":
                    return redirect(url_for("do_zrobienia.next_entry"))
                return redirect(url_for("wiadomosc.show", message_pk=message_pk))
            else:
                preview = answer_letter(config(), store, message_pk, text, recipient=recipient)
        except MailbotError as exc:
            error = phrase(exc)
            field = FIELD_OF.get(getattr(exc, "code", ""), "text")
            preview = None
    return render_template(
        "web/odpowiedz.html",
        message=message,
        text=text,
        error=error,
        error_field=field,
        preview=preview,
        choices=choices,
        recipient=recipient,
        answers=saved_answers(config()),
        chosen_answer=chosen_answer,
        active="do_zrobienia",
    ), 400 if error else 200


@bp.route("/zgloszenie/<ref>/odpowiedz")
@coordinator_required
def for_application(ref: str) -> Any:
    """Write to an applicant: under their latest message, to the e-mail in the form."""
    store = get_store()
    try:
        app = read_application(store, ref)
    except ActionRefused:
        abort(404)
    return redirect(
        url_for("odpowiedz.edit", message_pk=latest_message_pk(store, app), adresat=FORM)
    )
