"""Zdecyduj: accept / incomplete / reject / not an application; the notice shown first."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from mailbot.ops.review import (
    DECISION_STATUSES,
    NOTICE_TEMPLATES,
    ReviewError,
    decide,
    notice,
    problem_choices,
)
from mailbot.storage.store import loads

from .context import actor, config, form_text, get_store
from .security import coordinator_required
from .zgloszenie import load_application

bp = Blueprint("zdecyduj", __name__)


@bp.route("/zgloszenie/<ref>/zdecyduj", methods=["GET", "POST"])
@coordinator_required
def edit(ref: str) -> Any:
    row = load_application(ref)
    choice = {
        "status": row["status"] if row["status"] in DECISION_STATUSES else "accepted",
        "problems": loads(row["problems"], []),
        "note": row["decision_note"] or "",
        "notify": False,
    }
    error = preview = None
    if request.method == "POST":
        status = request.form.get("status", "")
        choice = {
            "status": status,
            "problems": request.form.getlist("problem"),
            "note": form_text("note", 2000),
            "notify": request.form.get("notify") == "1",
        }
        try:
            decide_check(status, choice)
            if (
                choice["notify"]
                and status in NOTICE_TEMPLATES
                and request.form.get("confirm") != "1"
            ):
                preview = notice(
                    config(),
                    get_store(),
                    row["reference"],
                    status,
                    choice["problems"],
                    choice["note"],
                )
            else:
                result = decide(
                    config(),
                    get_store(),
                    row["reference"],
                    status,
                    actor=actor(),
                    problems=choice["problems"],
                    note=choice["note"],
                    notify=choice["notify"] and status in NOTICE_TEMPLATES,
                )
                flash(
                    "Decyzja zapisana."
                    + (
                        " Powiadomienie zostanie wysłane w ciągu kilku minut."
                        if result.notice_reply_id
                        else ""
                    )
                )
                return redirect(url_for("zgloszenie.show", ref=row["reference"]))
        except ReviewError as exc:
            error = str(exc)
            preview = None
    return render_template(
        "web/zdecyduj.html",
        app=row,
        choice=choice,
        error=error,
        preview=preview,
        statuses=DECISION_STATUSES,
        problem_choices=problem_choices(config().form),
        notices=NOTICE_TEMPLATES,
        active="zgloszenia",
    ), 400 if error else 200


def decide_check(status: str, choice: dict[str, Any]) -> None:
    """The checks decide() makes, said in Polish (before a preview is shown)."""
    if status not in DECISION_STATUSES:
        raise ReviewError("Wybierz decyzję.")
    if status == "incomplete" and not choice["problems"] and not choice["note"].strip():
        raise ReviewError("Wybierz braki albo opisz problem.")
    if status == "rejected" and not choice["note"].strip():
        raise ReviewError("Podaj powód odrzucenia.")
