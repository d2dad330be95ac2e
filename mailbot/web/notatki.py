"""Notes on an application: written on the application's page, each kept with who and when
(and an event in the log); a note that cannot be kept is said next to its field."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for

from mailbot.errors import MailbotError
from mailbot.ops.notes import MAX_NOTE, add_note, notes_of

from .context import actor, form_text, get_store
from .errors import phrase
from .security import coordinator_required
from .zgloszenie import load_application

bp = Blueprint("notatki", __name__)


@bp.route("/zgloszenie/<ref>/notatka", methods=["POST"])
@coordinator_required
def add(ref: str) -> Any:
    app = load_application(ref)
    text = form_text("note", MAX_NOTE + 1000)
    try:
        add_note(get_store(), app.reference, text, actor=actor())
    except MailbotError as exc:
        return render_template(
            "web/notatka.html",
            app=app,
            notes=notes_of(get_store(), app.id),
            text=text,
            error=phrase(exc),
            limit=MAX_NOTE,
            active="zgloszenia",
        ), 400
    flash("Notatka zapisana.")
    return redirect(url_for("zgloszenie.show", ref=app.reference, _anchor="notatki"))
