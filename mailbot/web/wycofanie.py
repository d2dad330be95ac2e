"""Wycofanie: a person withdraws an application (or only some of its groups) on the strength
of a message, shown first with what mailbot proposes; nothing changes until she confirms."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mailbot.errors import ActionRefused, WithdrawalError
from mailbot.ops.review import effective_fields, message_row, message_text
from mailbot.ops.withdrawals import candidates, proposal_text, propose, withdraw

from .context import actor, config, form_text, get_store
from .errors import phrase
from .security import coordinator_required

bp = Blueprint("wycofanie", __name__)


def _groups(row: Any) -> list[int]:
    field = config().form.groups_field
    value = effective_fields(row).get(field.key) if field else None
    return [n for n in value or [] if isinstance(n, int)]


@bp.route("/wiadomosc/<int:message_pk>/wycofanie", methods=["GET", "POST"])
@coordinator_required
def edit(message_pk: int) -> Any:
    store = get_store()
    try:
        message = message_row(store, message_pk)
    except ActionRefused:
        abort(404)
    proposal = propose(config(), store, message_pk)
    choices = [
        {
            "reference": a.reference,
            "status": a.status,
            "received_at": a.received_at,
            "name": effective_fields({"fields": a.fields, "corrected": a.corrected}).get(
                config().form.salutation_from or ""
            ),
            "numbers": _groups({"fields": a.fields, "corrected": a.corrected}),
        }
        for a in candidates(store, message_pk)
    ]
    chosen = {
        "reference": proposal.reference if proposal else "",
        "scope": "some" if proposal and proposal.groups else "whole",
        "numbers": list(proposal.groups) if proposal else [],
    }
    error = None
    error_field = "reference"  # the fieldset the error is said next to
    if request.method == "POST":
        reference = form_text("other", 40).strip() or form_text("reference", 40).strip()
        scope = request.form.get("scope", "whole")
        groups = [int(g) for g in request.form.getlist("group") if g.isdigit()]
        chosen = {"reference": reference, "scope": scope, "numbers": groups}
        try:
            result = withdraw(
                config(),
                store,
                reference,
                message_pk,
                actor=actor(),
                groups=groups if scope == "some" else (),
                partial=scope == "some",
            )
        except WithdrawalError as exc:
            error = phrase(exc)
            if exc.code == "groups_missing":
                error_field = "scope"
        else:
            if result.status == "withdrawn":
                flash(f"Zgłoszenie {result.reference} zostało wycofane.")
            else:
                kept = ", ".join(str(n) for n in result.groups_after)
                flash(f"Zgłoszenie {result.reference}: pozostają grupy {kept}.")
            return redirect(url_for("zgloszenie.show", ref=result.reference))
    return render_template(
        "web/wycofanie.html",
        message=message,
        text=message_text(store, message["raw_file"]),
        proposal=proposal,
        proposal_text=proposal_text(proposal) if proposal else "",
        choices=choices,
        chosen=chosen,
        groups=config().call.groups,
        error=error,
        error_field=error_field,
        active="do_zrobienia",
    ), 400 if error else 200
