"""Popraw: type in or fix the fields; the machine values stay.

For a scan, the page images (served here, behind the login) stand beside the fields, which
are pre-filled from what OCR read: each such field is marked "odczytane ze skanu – sprawdź",
a field read with low confidence says so in words, and choosing a field draws the box it was
read from on the page (CSS only: ``popraw-skan.css``, made from the form's keys, shows the box
of the focused field). "Zatwierdź odczyt" turns the checked values into corrections and leads
to Zdecyduj. Every value typed is checked by the form spec; what is refused is said in Polish
next to its field, and nothing is saved.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for

from mailbot.errors import ActionRefused
from mailbot.ops.prefill import ScanReading, confirm_prefill, page_image, scan_reading, value_text
from mailbot.ops.review import FieldErrors, correct
from mailbot.storage import prefills as prefill_store

from .context import actor, config, get_store
from .errors import phrase
from .security import coordinator_required, login_required

bp = Blueprint("popraw", __name__)
#: the room left around a value's box when it is drawn on the page (a fraction of the page)
BOX_MARGIN = 0.004


def _posted(keys: tuple[str, ...]) -> dict[str, str]:
    return {k: request.form[k][:5000] for k in keys if k in request.form}


@bp.route("/zgloszenie/<ref>/popraw", methods=["GET", "POST"])
@coordinator_required
def edit(ref: str) -> Any:
    from .zgloszenie import load_application

    spec, call = config().form, config().call
    app = load_application(ref)
    current, machine = app.fields(spec), app.machine_fields(spec)
    reading = scan_reading(get_store(), app.id, spec)
    confirming = reading is not None and reading.done
    corrected = set(app.corrected)
    errors: dict[str, str] = {}
    error = None
    if request.method == "POST":
        posted = _posted(spec.keys)
        # only what differs from the values in force is a correction
        changes = {
            k: v
            for k, v in posted.items()
            if (f := spec.field(k)) is not None and v.strip() != value_text(f, current[k])
        }
        try:
            if confirming:
                made = confirm_prefill(
                    get_store(), app.reference, actor=actor(), call=call, checked=changes
                )
            else:
                made = correct(get_store(), app.reference, changes, actor=actor(), call=call)
        except FieldErrors as exc:
            errors = exc.errors
            error = phrase(exc)
        except ActionRefused as exc:
            error = phrase(exc)
        else:
            if confirming:
                flash(f"Zatwierdzono odczyt skanu; zapisano poprawki: {len(made)}.")
                return redirect(url_for("zdecyduj.edit", ref=app.reference))
            flash(f"Zapisano poprawki: {len(made)}." if made else "Nic nie zmieniono.")
            return redirect(url_for("zgloszenie.show", ref=app.reference))
    fields = []
    for f in spec.fields:
        shown = value_text(f, current[f.key])
        prefilled = confirming and reading is not None and reading.read(f.key)
        if prefilled and f.key not in corrected and reading is not None:
            shown = value_text(f, reading.fields.get(f.key))  # what OCR read, to be checked
        fields.append(
            {
                "key": f.key,
                "label": f.label,
                "value": request.form.get(f.key, shown) if error else shown,
                "machine": value_text(f, machine[f.key]),
                "statement": f.type == "checkbox",
                "choice": f.type == "groups",
                "long": f.kind == "free_text" or f.multiline,
                "prefilled": prefilled,
                "low": prefilled and reading is not None and reading.low(f.key),
                "confidence": round(100 * reading.confidence.get(f.key, 0.0))
                if prefilled and reading is not None
                else None,
                "boxes": _boxes(reading, f.key) if confirming else [],
                "error": errors.get(f.key),
                "first_error": bool(errors) and f.key == next(iter(errors)),
            }
        )
    return render_template(
        "web/popraw.html",
        app=app,
        fields=fields,
        error=error,
        reading=reading,
        pages=_pages(reading, fields),
        scan_files=prefill_store.page_files(get_store(), app.id) if reading else (),
        active="zgloszenia",
    ), 400 if error else 200


def _boxes(reading: ScanReading | None, key: str) -> list[dict[str, float]]:
    if reading is None:
        return []
    out = []
    for b in reading.boxes.get(key, ()):
        try:
            # a little room around the words, so the frame does not cover them
            x = max(0.0, float(b["left"]) - BOX_MARGIN)
            y = max(0.0, float(b["top"]) - BOX_MARGIN)
            out.append(
                {
                    "page": int(b["page"]),
                    "x": round(x, 4),
                    "y": round(y, 4),
                    "w": round(min(1.0 - x, float(b["width"]) + 2 * BOX_MARGIN), 4),
                    "h": round(min(1.0 - y, float(b["height"]) + 2 * BOX_MARGIN), 4),
                }
            )
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _pages(reading: ScanReading | None, fields: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each page image with the boxes of the fields read from it."""
    if reading is None or not reading.done:
        return []
    return [
        {
            "number": n + 1,
            "boxes": [(f["key"], b) for f in fields for b in f["boxes"] if b["page"] == n],
        }
        for n in range(len(reading.pages))
    ]


@bp.route("/zgloszenie/<ref>/skan/<int:page>.png")
@login_required
def page(ref: str, page: int) -> Any:
    """One page of a scan as OCR turned it upright: private, never cached."""
    from flask import send_file

    try:
        path = page_image(get_store(), ref, page)
    except ActionRefused:
        abort(404)
    response = send_file(path, mimetype="image/png", max_age=0)
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.route("/popraw-skan.css")
@login_required
def boxes_css() -> Response:
    """The rule that draws the box of the field being edited on the scan, for the form's keys
    (a stylesheet of mailbot's own: the pages' CSP allows no inline style)."""
    rules = [
        f".confirm:has(#f-{key}:focus) .box-{key} {{ visibility: visible; }}"
        for key in config().form.keys
    ]
    response = Response("\n".join(rules) + "\n", mimetype="text/css")
    response.headers["Cache-Control"] = "no-store, private"
    return response
