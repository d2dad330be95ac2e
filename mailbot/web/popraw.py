"""Popraw: type in or fix the fields (the data entry for a scan); the machine values stay."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

import parsers
from mailbot.ops.review import ReviewError, correct, effective_fields, machine_fields

from .context import actor, get_store
from .security import coordinator_required
from .zgloszenie import load_application

bp = Blueprint("popraw", __name__)
STATEMENTS = ("accepts_rules", "consents_gdpr")
LONG = ("experience", "address")


def _as_text(key: str, value: Any) -> str:
    if key == "groups":
        return ", ".join(str(n) for n in value or [])
    if key in STATEMENTS:
        return "tak" if value else "nie"
    return "" if value is None else str(value)


@bp.route("/zgloszenie/<ref>/popraw", methods=["GET", "POST"])
@coordinator_required
def edit(ref: str) -> Any:
    row = load_application(ref)
    current, machine = effective_fields(row), machine_fields(row)
    error = None
    if request.method == "POST":
        changes = {k: request.form[k][:5000] for k in parsers.FIELD_KEYS if k in request.form}
        # only what differs from the form as shown is a correction
        changes = {k: v for k, v in changes.items() if v.strip() != _as_text(k, current[k])}
        try:
            made = correct(get_store(), row["reference"], changes, actor=actor())
        except ReviewError as exc:
            error = str(exc)
        else:
            flash(f"Zapisano poprawki: {len(made)}." if made else "Nic nie zmieniono.")
            return redirect(url_for("zgloszenie.show", ref=row["reference"]))
    fields = [
        {
            "key": k,
            "label": parsers.FIELD_LABELS_PL.get(k, k),
            "value": request.form.get(k, _as_text(k, current[k]))
            if error
            else _as_text(k, current[k]),
            "machine": _as_text(k, machine[k]),
            "statement": k in STATEMENTS,
            "long": k in LONG,
        }
        for k in parsers.FIELD_KEYS
    ]
    return render_template(
        "web/popraw.html", app=row, fields=fields, error=error, active="zgloszenia"
    ), 400 if error else 200
