"""Pulpit: the call at a glance."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template

from mailbot.ops.overview import day_bars, overview
from mailbot.ops.review import attention

from .context import config, get_store
from .security import login_required

bp = Blueprint("pulpit", __name__)


@bp.route("/")
@login_required
def index() -> Any:
    store = get_store()
    view = overview(config(), store)
    todo = len(attention(config(), store, with_lines=False))
    return render_template(
        "web/pulpit.html", view=view, bars=day_bars(view.per_day), todo=todo, active="pulpit"
    )
