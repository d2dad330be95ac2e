"""Zgłoszenie: one application (the original file beside the fields read, the e-mail's text,
the applicant's history, the events); a message outside the applications (correspondence,
unrelated, error); the stored files."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for

import parsers
from mailbot.ops.prefill import scan_reading
from mailbot.ops.review import (
    ReviewError,
    application_row,
    corrections,
    effective_fields,
    form_file,
    history,
    machine_fields,
    mark_as_application,
    mark_not_application,
    message_row,
    message_text,
    pdf_preview,
    preview_possible,
    stored_file,
)
from mailbot.pipeline.texts import format_value
from mailbot.storage import review as review_store

from .context import actor, config, get_store
from .security import coordinator_required, login_required

bp = Blueprint("zgloszenie", __name__)


def load_application(ref: str) -> dict[str, Any]:
    try:
        return application_row(get_store(), ref)
    except ReviewError:
        abort(404)


def field_table(row: dict[str, Any]) -> list[dict[str, Any]]:
    names = {g.number: g.name for g in config().call.groups}
    machine, current = machine_fields(row), effective_fields(row)
    return [
        {
            "key": k,
            "label": parsers.FIELD_LABELS_PL.get(k, k),
            "value": format_value(k, current.get(k), names),
            "machine": format_value(k, machine.get(k), names),
            "corrected": current.get(k) != machine.get(k),
        }
        for k in parsers.FIELD_KEYS
    ]


@bp.route("/zgloszenie/<ref>")
@login_required
def show(ref: str) -> Any:
    store = get_store()
    row = load_application(ref)
    message = message_row(store, row["message_pk"])
    form = form_file(store, row["reference"])
    attachments = review_store.attachments_of_message(store, row["message_pk"])
    return render_template(
        "web/zgloszenie.html",
        app=row,
        fields=field_table(row),
        message=message,
        text=message_text(store, message["raw_file"]),
        form=form,
        preview=form is not None and preview_possible(store, form.attachment_pk),
        attachments=attachments,
        hist=history(store, row),
        fixes=corrections(store, row["id"]),
        problems=_loads(row["problems"]),
        reading=scan_reading(store, row["id"], config().form),
        active="zgloszenia",
    )


def _loads(text: str | None) -> list[str]:
    from mailbot.storage.store import loads

    value = loads(text, [])
    return list(value) if isinstance(value, list) else []


@bp.route("/plik/<int:attachment_pk>")
@login_required
def download(attachment_pk: int) -> Any:
    """A stored file, named as sent with its proper extension (PDF shown in the browser)."""
    try:
        f = stored_file(get_store(), attachment_pk)
    except ReviewError:
        abort(404)
    response = send_file(
        f.path,
        mimetype=f.content_type,
        as_attachment=not f.inline,
        download_name=f.download_name,
        max_age=0,
    )
    if f.inline:
        # the PDF is shown in a frame of the application's page (same origin only)
        response.headers["X-Frame-Options"] = "SAMEORIGIN"
        response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


@bp.route("/plik/<int:attachment_pk>/podglad.pdf")
@login_required
def preview(attachment_pk: int) -> Any:
    """A DOCX/ODT/DOC form shown as PDF (when LibreOffice is installed)."""
    try:
        path = pdf_preview(get_store(), attachment_pk)
    except ReviewError:
        abort(404)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=False, max_age=0)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response


@bp.route("/wiadomosc/<int:message_pk>")
@login_required
def message(message_pk: int) -> Any:
    store = get_store()
    try:
        row = message_row(store, message_pk)
    except ReviewError:
        abort(404)
    return render_template(
        "web/wiadomosc.html",
        message=row,
        text=message_text(store, row["raw_file"]),
        reference=review_store.reference_of_message(store, message_pk),
        handled=review_store.handled_entry(store, f"message:{message_pk}"),
        attachments=review_store.attachments_of_message(store, message_pk),
        replies=review_store.replies_to_message(store, message_pk),
        active="do_zrobienia",
    )


@bp.route("/wiadomosc/<int:message_pk>/to-jest-zgloszenie", methods=["POST"])
@coordinator_required
def is_application(message_pk: int) -> Any:
    try:
        reprocessed = mark_as_application(config(), get_store(), message_pk, actor=actor())
    except ReviewError:
        abort(404)
    flash(
        "Zapisano: to jest zgłoszenie."
        + (
            " Wiadomość przetworzono ponownie."
            if reprocessed
            else " Wiadomość zostanie przetworzona ponownie jako zgłoszenie."
        )
    )
    return redirect(url_for("zgloszenie.message", message_pk=message_pk))


@bp.route("/wiadomosc/<int:message_pk>/nie-jest-zgloszeniem", methods=["POST"])
@coordinator_required
def not_application(message_pk: int) -> Any:
    try:
        mark_not_application(get_store(), message_pk, actor=actor())
    except ReviewError:
        abort(404)
    flash("Zapisano: to nie jest zgłoszenie.")
    return redirect(url_for("do_zrobienia.index"))
