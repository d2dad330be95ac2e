"""Zgłoszenia: the applications, filtered by status / group / text, sortable, paged.

The text searched for is personal data: it is sent by POST and kept in the session, never put
in the address.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, redirect, render_template, request, session, url_for

import parsers
from mailbot import form_roles
from mailbot.ops.export import ApplicationFilter, applications, count_applications
from mailbot.ops.overview import ORDER
from mailbot.storage import review as review_store

from .context import config, form_text, get_store
from .security import login_required

bp = Blueprint("zgloszenia", __name__)
PAGE = 100
SORTS = ("received_at", "reference", "status", "name")


def _int(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


def _columns(spec: parsers.FormSpec) -> dict[str, Any]:
    """The list's columns by the form spec: the name, the organisation (only when the form
    has a field for it), the choice."""
    name = form_roles.name_key(spec)
    organisation = form_roles.organisation_key(spec)
    choice = form_roles.choice_field(spec)

    def labelled(key: str | None) -> dict[str, str] | None:
        f = spec.field(key) if key else None
        return {"key": f.key, "label": f.label} if f else None

    return {
        "name": labelled(name),
        "affiliation": labelled(organisation),
        "choice": {"key": choice.key, "label": form_roles.choice_plural(spec)} if choice else None,
        "choice_one": form_roles.choice_label(spec),
    }


def list_filter(page: int = 1) -> ApplicationFilter:
    """The list's filter as the address and the session give it (``page``: which 100)."""
    cfg = config()
    status = request.args.get("status") or None
    if status not in (*ORDER, None):
        status = None
    sort = request.args.get("sort", "received_at")
    sort = sort if sort in SORTS else "received_at"
    return ApplicationFilter(
        status=status,
        group=_int("grupa"),
        text=session.get("search") or None,
        live_only=request.args.get("zastapione") != "1",
        order=sort,
        name_key=form_roles.name_key(cfg.form),
        descending=request.args.get("malejaco") == "1",
        limit=PAGE,
        offset=(page - 1) * PAGE,
    )


@bp.route("/zgloszenia")
@login_required
def index() -> Any:
    cfg = config()
    page = max(_int("strona") or 1, 1)
    flt = list_filter(page)
    store = get_store()
    total = count_applications(store, flt)
    rows = applications(store, cfg.call.timezone, flt, spec=cfg.form)
    replaced_by = review_store.superseding_references(
        store, [r["id"] for r in rows if r["superseded"]]
    )
    args = {k: v for k, v in request.args.items() if k != "strona"}
    return render_template(
        "web/zgloszenia.html",
        rows=rows,
        replaced_by=replaced_by,
        total=total,
        page=page,
        pages=max((total + PAGE - 1) // PAGE, 1),
        flt=flt,
        args=args,
        statuses=ORDER,
        groups=cfg.call.groups,
        columns=_columns(cfg.form),
        search=session.get("search"),
        active="zgloszenia",
    )


@bp.route("/zgloszenia/szukaj", methods=["POST"])
@login_required
def search() -> Any:
    text = form_text("q", 100).strip()
    if text and request.form.get("clear") is None:
        session["search"] = text
    else:
        session.pop("search", None)
    query = urlencode(list(request.args.items(multi=True)))
    return redirect(url_for("zgloszenia.index") + (f"?{query}" if query else ""))
