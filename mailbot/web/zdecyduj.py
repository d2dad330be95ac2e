"""Zdecyduj: accept / incomplete / reject / not an application — nothing chosen beforehand;
optionally a notice, to the recipient she chooses (the e-mail in the form or the sender),
always shown before it is queued; then, if she asks, the next entry of Do zrobienia."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from mailbot.errors import MailbotError
from mailbot.ops.review import (
    NOTICE_TEMPLATES,
    check_decision,
    decide,
    notice,
    problem_choices,
    recipients,
)

from .context import actor, config, form_text, get_store
from .errors import phrase
from .security import coordinator_required
from .zgloszenie import load_application

bp = Blueprint("zdecyduj", __name__)

#: the decisions as she chooses them
CHOICES = (
    ("accepted", "Przyjąć"),
    ("incomplete", "Niekompletne – poprosić o poprawki"),
    ("rejected", "Odrzucić (podaj powód w uwagach)"),
    ("not_application", "To nie jest zgłoszenie"),
)
#: the field a refusal belongs to (its message is tied to it on the page)
FIELD_OF = {
    "decision_missing": "status",
    "problems_missing": "problems",
    "reason_missing": "note",
    "no_recipient": "recipient",
    "unknown_recipient": "recipient",
}


@bp.route("/zgloszenie/<ref>/zdecyduj", methods=["GET", "POST"])
@coordinator_required
def edit(ref: str) -> Any:
    app = load_application(ref)
    choices = recipients(config(), app)
    choice: dict[str, Any] = {
        "status": "",  # nothing chosen beforehand
        "problems": list(app.problems),
        "note": app.decision_note or "",
        "notify": False,
        "recipient": choices[0].key if choices else "",
        "next": False,
    }
    error = preview = field = None
    if request.method == "POST":
        status = request.form.get("status", "")
        choice = {
            "status": status,
            "problems": request.form.getlist("problem"),
            "note": form_text("note", 2000),
            "notify": request.form.get("notify") == "1",
            "recipient": request.form.get("recipient") or choice["recipient"],
            "next": request.form.get("next") == "1",
        }
        notify = choice["notify"] and status in NOTICE_TEMPLATES
        try:
            codes, note = check_decision(status, choice["problems"], choice["note"])
            if notify and request.form.get("confirm") != "1":
                preview = notice(
                    config(),
                    get_store(),
                    app.reference,
                    status,
                    codes,
                    note,
                    recipient=choice["recipient"],
                    application=app,
                )
            else:
                result = decide(
                    config(),
                    get_store(),
                    app.reference,
                    status,
                    actor=actor(),
                    problems=choice["problems"],
                    note=choice["note"],
                    notify=notify,
                    recipient=choice["recipient"],
                    application=app,
                )
                flash(
                    "Decyzja zapisana."
                    + (
                        " Powiadomienie zostanie wysłane w ciągu kilku minut."
                        if result.notice_reply_id
                        else ""
                    )
                )
                if choice["next"]:
                    return redirect(url_for("do_zrobienia.next_entry"))
                return redirect(url_for("zgloszenie.show", ref=app.reference))
        except MailbotError as exc:
            error = phrase(exc)
            field = FIELD_OF.get(getattr(exc, "code", ""), "status")
            preview = None
    return render_template(
        "web/zdecyduj.html",
        app=app,
        choice=choice,
        choices=CHOICES,
        error=error,
        error_field=field,
        preview=preview,
        problem_choices=problem_choices(config().form),
        notices=NOTICE_TEMPLATES,
        recipients=choices,
        active="zgloszenia",
    ), 400 if error else 200
