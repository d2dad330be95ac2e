"""The Zgłoszenia list as filtered (status, group, superseded, order and the search text kept
in the session) downloaded as XLSX; every cell stays data (:mod:`mailbot.sanitize`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from mailbot.ops.list_xlsx import applications_xlsx

from .context import config, get_store
from .security import login_required
from .zgloszenia import list_filter

bp = Blueprint("zgloszenia_xlsx", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.route("/zgloszenia/zgloszenia.xlsx")
@login_required
def download() -> Any:
    data = applications_xlsx(config(), get_store(), list_filter())
    response = Response(data, mimetype=XLSX)
    response.headers["Content-Disposition"] = 'attachment; filename="zgloszenia.xlsx"'
    response.headers["Cache-Control"] = "no-store, private"
    return response
