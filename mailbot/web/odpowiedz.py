"""Odpowiedz: write an answer to a message; shown, then queued in the outbox, threaded."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mailbot.ops.review import (
    ReviewError,
    answer,
    answer_letter,
    application_row,
    latest_message_pk,
    message_row,
)

from .context import actor, config, form_text, get_store
from .security import coordinator_required

bp = Blueprint("odpowiedz", __name__)


@bp.route("/wiadomosc/<int:message_pk>/odpowiedz", methods=["GET", "POST"])
@coordinator_required
def edit(message_pk: int) -> Any:
    store = get_store()
    try:
        message = message_row(store, message_pk)
    except ReviewError:
        abort(404)
    text = form_text("text")
    error = preview = None
    if request.method == "POST":
        try:
            if request.form.get("confirm") == "1":
                answer(config(), store, message_pk, text, actor=actor())
                flash("Odpowiedź zostanie wysłana w ciągu kilku minut.")
                return redirect(url_for("zgloszenie.message", message_pk=message_pk))
            preview = answer_letter(config(), store, message_pk, text)
        except ReviewError as exc:
            error = (
                "Odpowiedź jest pusta."
                if "empty" in str(exc)
                else "Tę wiadomość wysłał automat (np. serwer poczty): nie odpowiada się na nią."
                if "robot" in str(exc)
                else str(exc)
            )
    return render_template(
        "web/odpowiedz.html",
        message=message,
        text=text,
        error=error,
        preview=preview,
        active="do_zrobienia",
    ), 400 if error else 200


@bp.route("/zgloszenie/<ref>/odpowiedz")
@coordinator_required
def for_application(ref: str) -> Any:
    """Answer an applicant: under their latest message."""
    store = get_store()
    try:
        row = application_row(store, ref)
    except ReviewError:
        abort(404)
    return redirect(url_for("odpowiedz.edit", message_pk=latest_message_pk(store, row)))
