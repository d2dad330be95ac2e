"""Lista do uchwały: per group, the live accepted applications; XLSX, DOCX, CSV."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, render_template, request

from mailbot import form_roles
from mailbot.ops.resolution import (
    Annex,
    group_sizes,
    resolution_csv,
    resolution_docx,
    resolution_lists,
    resolution_xlsx,
)

from .context import config, get_store
from .security import login_required

bp = Blueprint("lista", __name__)
TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",
}


def _group() -> int | None:
    value = request.args.get("grupa", "")
    if not value:
        return None
    if not value.isdigit() or int(value) not in config().call.group_numbers():
        abort(404)
    return int(value)


PAGE = 200


def _name_at() -> int | None:
    """Where the applicant's name is among the list's fields (None: not shown)."""
    keys = list(config().call.annex().fields or ())
    name = form_roles.name_key(config().form)
    return keys.index(name) if name in keys else None


@bp.route("/lista")
@login_required
def index() -> Any:
    """One group at a time (the first by default), 200 names a page; downloads hold all."""
    group = _group() or config().call.groups[0].number
    page = request.args.get("strona", "1")
    page_no = max(int(page), 1) if page.isdigit() else 1
    shown = resolution_lists(get_store(), config().call, group)[0]
    members = shown.members[(page_no - 1) * PAGE : page_no * PAGE]
    return render_template(
        "web/lista.html",
        shown=shown,
        members=members,
        first=(page_no - 1) * PAGE,
        page=page_no,
        pages=max((len(shown.members) + PAGE - 1) // PAGE, 1),
        sizes=group_sizes(get_store(), [g.number for g in config().call.groups]),
        groups=config().call.groups,
        group=_group(),
        columns=Annex.of(config().call).columns(everyone=False),
        name_at=_name_at(),
        tabs={g.number: form_roles.numbered(config().form, g.number) for g in config().call.groups},
        plural=form_roles.choice_plural(config().form),
        active="lista",
    )


@bp.route("/lista/sklad-grup.<fmt>")
@login_required
def download(fmt: str) -> Any:
    if fmt not in TYPES:
        abort(404)
    group = _group()
    lists = resolution_lists(get_store(), config().call, group)
    data: bytes
    if fmt == "xlsx":
        data = resolution_xlsx(lists, config().call)
    elif fmt == "docx":
        data = resolution_docx(lists, config().call)
    else:
        data = resolution_csv(lists, config().call).encode("utf-8")
    name = "lista-do-uchwaly" + (f"-nr-{group}" if group else "") + f".{fmt}"
    return Response(
        data, mimetype=TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
