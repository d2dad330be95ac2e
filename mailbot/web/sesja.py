"""The session's end, announced and avoided: "Przedłuż" (from the warning two minutes before the
idle logout, shown by ``static/sesja.js``, or from the note at the foot of every page without
JavaScript), how long the session has left (asked without counting as use), and a form sent
after the session had ended, completed after logging in again."""

from __future__ import annotations

import re
from typing import Any

from flask import Blueprint, flash, jsonify, redirect, render_template, request, session, url_for

from mailbot.ops.kept_forms import take_form
from mailbot.ops.sessions import extend_session

from .context import config, get_store
from .security import current_user, login_required

bp = Blueprint("sesja", __name__)


def _local_path(value: str | None) -> str:
    """A path of this workspace to go back to (never another site)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return url_for("pulpit.index")


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


@bp.route("/sesja/stan")
def stan() -> Any:
    """How long the session has left (JSON; asking does not count as use)."""
    from flask import g

    user = current_user()
    return jsonify({"active": user is not None, "left": int(g.get("session_left", 0))})


@bp.route("/sesja/przedluz", methods=["POST"])
@login_required
def extend() -> Any:
    """ "Przedłuż": the session counts from now; back to the page (or JSON for the script)."""
    left = extend_session(get_store(), session.get("sid"), config().web.session_minutes * 60)
    if _wants_json():
        return jsonify({"active": True, "left": left})
    flash("Sesja została przedłużona.")
    return redirect(_local_path(request.form.get("next")))


@bp.route("/sesja/dokoncz")
@login_required
def complete() -> Any:
    """The form sent after the session had ended, offered back to be sent as it was."""
    user = current_user()
    kept = take_form(get_store(), session.pop("kept", None), user.login if user else "")
    if kept is None:
        flash("Nie ma zachowanego formularza (mógł już wygasnąć).")
        return redirect(url_for("pulpit.index"))
    return render_template(
        "web/dokoncz.html",
        kept=kept,
        page=_page_name(kept.path),
        shown=_shown(kept.fields),
        confirming=any(name == "confirm" for name, _value in kept.fields),
        active=None,
    )


#: the pages a kept form may come from, as she knows them
_PAGES = (
    (re.compile(r"^/wiadomosc/\d+/odpowiedz$"), "Odpowiedź na wiadomość"),
    (re.compile(r"^/zgloszenie/([^/]+)/zdecyduj$"), "Decyzja: zgłoszenie {0}"),
    (re.compile(r"^/zgloszenie/([^/]+)/popraw$"), "Popraw dane zgłoszenia {0}"),
    (re.compile(r"^/zgloszenie/([^/]+)/notatka$"), "Notatka do zgłoszenia {0}"),
    (re.compile(r"^/wiadomosc/\d+/wycofanie$"), "Wycofanie zgłoszenia"),
)
#: fields a person typed or chose, by the names the workspace's forms give them
_NAMES = {
    "text": "Treść",
    "note": "Uwagi",
    "status": "Decyzja",
    "problem": "Braki",
    "recipient": "Adresat",
    "q": "Szukany tekst",
    "reference": "Numer zgłoszenia",
    "other": "Inny numer zgłoszenia",
}
_VALUES = {
    "accepted": "przyjąć",
    "incomplete": "niekompletne",
    "rejected": "odrzucić",
    "not_application": "to nie jest zgłoszenie",
    "form": "adres z formularza",
    "sender": "nadawca wiadomości",
}


def _page_name(path: str) -> str:
    for pattern, name in _PAGES:
        found = pattern.match(path)
        if found:
            return name.format(*found.groups())
    return "formularz"


def _shown(fields: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """The values she typed or chose, with the names she knows (technical fields left out)."""
    labels = {**_NAMES, **{f.key: f.label for f in config().form.fields}}
    return [
        (labels[name], _VALUES.get(value, value))
        for name, value in fields
        if name in labels and value.strip()
    ]
