"""Do zrobienia: everything that needs the coordinator, each leading to what clears it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from ..review import ReviewError, attention, mark_handled
from .context import actor, config, get_store
from .security import coordinator_required, login_required

bp = Blueprint("do_zrobienia", __name__)


@bp.route("/do-zrobienia")
@login_required
def index() -> Any:
    items = attention(config(), get_store())
    return render_template("web/do_zrobienia.html", items=items, active="do_zrobienia")


@bp.route("/do-zrobienia/zalatwione", methods=["POST"])
@coordinator_required
def handled() -> Any:
    item = request.form.get("item", "")
    try:
        mark_handled(get_store(), item, actor=actor(), how="done")
    except ReviewError:
        abort(404)
    flash("Oznaczono jako załatwione.")
    return redirect(url_for("do_zrobienia.index"))
