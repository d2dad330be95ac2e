"""Do zrobienia: everything that needs the coordinator, each leading to what clears it; apart,
collapsed, the mail judged unrelated that came during the call. "Nie dotyczy naboru" and
"Dotyczy naboru" teach mailbot (:mod:`mailbot.ops.teach`)."""

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
from mailbot.ops.teach import teach, unrelated_in_window
from mailbot.ops.withdrawals import with_proposals

from .context import actor, config, get_store
from .security import coordinator_required, login_required

bp = Blueprint("do_zrobienia", __name__)


PAGE = 50
UNRELATED_SHOWN = 200  # the newest of the mail judged unrelated, listed apart


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
    unrelated = unrelated_in_window(config(), store)
    return render_template(
        "web/do_zrobienia.html",
        items=shown,
        unrelated=list(reversed(unrelated))[:UNRELATED_SHOWN],
        unrelated_total=len(unrelated),
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


def _message_of(item: str) -> int:
    kind, _, number = item.partition(":")
    if kind != "message" or not number.isdigit():
        abort(404)
    return int(number)


@bp.route("/do-zrobienia/nie-dotyczy", methods=["POST"])
@coordinator_required
def not_about_call() -> Any:
    """ "Nie dotyczy naboru": out of the queue; its sender, thread and words count as everyday."""
    try:
        done = teach(
            config(),
            get_store(),
            _message_of(request.form.get("item", "")),
            about_call=False,
            actor=actor(),
        )
    except ReviewError:
        abort(404)
    flash(done.note)
    return redirect(url_for("do_zrobienia.index"))


@bp.route("/do-zrobienia/dotyczy", methods=["POST"])
@coordinator_required
def about_call() -> Any:
    """ "Dotyczy naboru": its sender, thread and words count for the call; mail judged
    unrelated is read again as correspondence."""
    try:
        done = teach(
            config(),
            get_store(),
            _message_of(request.form.get("item", "")),
            about_call=True,
            actor=actor(),
        )
    except ReviewError:
        abort(404)
    flash(done.note)
    return redirect(url_for("do_zrobienia.index"))
