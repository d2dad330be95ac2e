"""Załatwione: the archive of handled entries, the latest first — who dealt with each, when and
how — each with "Przywróć", which takes the mark off (the entry is back in Do zrobienia while
it still needs a person)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for

from mailbot.errors import MailbotError
from mailbot.ops.handled import archive, restore

from .context import actor, get_store
from .errors import phrase
from .security import coordinator_required, login_required

bp = Blueprint("zalatwione", __name__)


def _page_number() -> int:
    value = request.values.get("strona", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _render(error: str | None = None, status: int = 200) -> Any:
    found = archive(get_store(), _page_number())
    return render_template(
        "web/zalatwione.html", archive=found, error=error, active="zalatwione"
    ), status


@bp.route("/zalatwione")
@login_required
def index() -> Any:
    return _render()


@bp.route("/zalatwione/przywroc", methods=["POST"])
@coordinator_required
def restore_entry() -> Any:
    """ "Przywróć": the entry's handled mark taken off."""
    try:
        restore(get_store(), request.form.get("item", ""), actor=actor())
    except MailbotError as exc:
        return _render(phrase(exc), 404 if getattr(exc, "code", "") == "unknown_entry" else 409)
    flash("Przywrócono: wpis wrócił do Do zrobienia, jeśli nadal wymaga działania.")
    return redirect(url_for("zalatwione.index", strona=_page_number()))
