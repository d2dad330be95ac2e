"""Do zrobienia: everything that needs the coordinator, each leading to what clears it."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mailbot.ops.review import (
    ATTENTION_LABELS,
    ReviewError,
    attention,
    mark_handled,
    with_first_lines,
)
from mailbot.ops.withdrawals import with_proposals

from .context import actor, config, get_store
from .security import coordinator_required, login_required

bp = Blueprint("do_zrobienia", __name__)


PAGE = 50


@bp.route("/do-zrobienia")
@login_required
def index() -> Any:
    """The entries, oldest first within each kind, 50 a page (optionally one kind only)."""
    store = get_store()
    everything = attention(config(), store, with_lines=False)
    counts = Counter(i.kind for i in everything)
    kind = request.args.get("rodzaj")
    items = [i for i in everything if i.kind == kind] if kind in ATTENTION_LABELS else everything
    page = request.args.get("strona", "1")
    page_no = max(int(page), 1) if page.isdigit() else 1
    shown = with_first_lines(store, items[(page_no - 1) * PAGE : page_no * PAGE])
    shown = with_proposals(config(), store, shown)  # a withdrawal proposed, linked
    return render_template(
        "web/do_zrobienia.html",
        items=shown,
        total=len(everything),
        counts=counts,
        labels=ATTENTION_LABELS,
        kind=kind if kind in ATTENTION_LABELS else None,
        page=page_no,
        pages=max((len(items) + PAGE - 1) // PAGE, 1),
        active="do_zrobienia",
    )


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
