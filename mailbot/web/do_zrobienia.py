"""Do zrobienia: everything that needs the coordinator, each leading to what clears it; apart,
collapsed, the mail judged unrelated that came during the call. "Nie dotyczy naboru" and
"Dotyczy naboru" teach mailbot (:mod:`mailbot.ops.teach`); several entries are marked
"Załatwione" at once (their check boxes); "następna sprawa" opens the first entry."""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from mailbot.errors import ActionRefused
from mailbot.ops.handled import mark_many
from mailbot.ops.handled import next_entry as first_entry
from mailbot.ops.review import (
    ATTENTION_LABELS,
    AttentionItem,
    attention,
    mark_handled,
    message_row,
    with_first_lines,
)
from mailbot.ops.teach import teach, unrelated_in_window
from mailbot.ops.withdrawals import with_proposals

from .context import actor, config, get_store
from .errors import phrase
from .security import coordinator_required, login_required
from .wiadomosc import into_correspondence

bp = Blueprint("do_zrobienia", __name__)


PAGE = 50
UNRELATED_SHOWN = 200  # the newest of the mail judged unrelated, listed apart


@bp.route("/do-zrobienia")
@login_required
def index() -> Any:
    """The entries, oldest first within each kind, 50 a page (optionally one kind only)."""
    return _page()


def _page(error: str | None = None, status: int = 200) -> Any:
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
        error=error,
        active="do_zrobienia",
    ), status


@bp.route("/do-zrobienia/zalatwione", methods=["POST"])
@coordinator_required
def handled() -> Any:
    item = request.form.get("item", "")
    try:
        mark_handled(get_store(), item, actor=actor(), how="done")
    except ActionRefused:
        abort(404)
    flash("Oznaczono jako załatwione.")
    return redirect(url_for("do_zrobienia.index"))


def _message_of(item: str) -> int:
    kind, _, number = item.partition(":")
    if kind != "message" or not number.isdigit():
        abort(404)
    return int(number)


@bp.route("/do-zrobienia/zalatwione-zaznaczone", methods=["POST"])
@coordinator_required
def handled_many() -> Any:
    """ "Załatwione" for every entry checked."""
    try:
        count = mark_many(get_store(), request.form.getlist("item"), actor=actor())
    except ActionRefused as exc:
        return _page(phrase(exc), 400)
    flash(f"Oznaczono jako załatwione: {count}. Można je przywrócić w „Załatwione”.")
    return redirect(url_for("do_zrobienia.index"))


def entry_url(item: AttentionItem) -> str:
    """Where an entry is dealt with: an application's page, else its message's page."""
    if item.item.startswith("application:") and item.reference:
        return url_for("zgloszenie.show", ref=item.reference)
    if item.message_pk:
        return url_for("wiadomosc.show", message_pk=item.message_pk)
    return url_for("do_zrobienia.index")


@bp.route("/do-zrobienia/nastepna")
@login_required
def next_entry() -> Any:
    """ "Następna sprawa": the first entry of Do zrobienia, opened."""
    item = first_entry(config(), get_store())
    if item is None:
        flash("Nic więcej nie czeka: wszystkie sprawy są załatwione.")
        return redirect(url_for("do_zrobienia.index"))
    return redirect(entry_url(item))


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
    except ActionRefused:
        abort(404)
    flash(done.note)
    return redirect(url_for("do_zrobienia.index"))


@bp.route("/do-zrobienia/dotyczy", methods=["POST"])
@coordinator_required
def about_call() -> Any:
    """ "Dotyczy naboru": its sender, thread and words count for the call; mail judged
    unrelated is read again as correspondence (through the mailbox: when it cannot be had,
    its page says why and nothing is recorded)."""
    message_pk = _message_of(request.form.get("item", ""))
    try:
        row = message_row(get_store(), message_pk)
    except ActionRefused:
        abort(404)
    if row["disposition"] == "unrelated":
        return into_correspondence(message_pk)
    done = teach(config(), get_store(), message_pk, about_call=True, actor=actor())
    flash(done.note)
    return redirect(url_for("do_zrobienia.index"))
