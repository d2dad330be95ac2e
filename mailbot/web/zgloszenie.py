"""Zgłoszenie: one application (the original file beside the fields read, the e-mail's text,
the applicant's history, the notes, the events); the stored files. A message's own page is
:mod:`mailbot.web.wiadomosc`."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template, send_file

from mailbot.errors import ActionRefused
from mailbot.ops.notes import notes_of
from mailbot.ops.prefill import scan_reading
from mailbot.ops.review import (
    corrections,
    form_file,
    history,
    message_row,
    message_text,
    pdf_preview,
    preview_possible,
    read_application,
    recipients,
    stored_file,
)
from mailbot.pipeline.texts import format_value
from mailbot.storage import review as review_store
from mailbot.storage.applications import Application

from .context import config, get_store
from .security import login_required

bp = Blueprint("zgloszenie", __name__)


def load_application(ref: str) -> Application:
    """The application of the page, read once (404 when there is none)."""
    try:
        return read_application(get_store(), ref)
    except ActionRefused:
        abort(404)


def field_table(app: Application) -> list[dict[str, Any]]:
    """The form's fields in form order, labelled and shown as the letters show them (the
    call's group names, "tak"/"nie", "—" for nothing), as read and as corrected."""
    names = {g.number: g.name for g in config().call.groups}
    spec = config().form
    machine, current = app.machine_fields(spec), app.fields(spec)
    return [
        {
            "key": f.key,
            "label": f.label,
            "value": format_value(f.kind, current.get(f.key), names),
            "machine": format_value(f.kind, machine.get(f.key), names),
            "corrected": current.get(f.key) != machine.get(f.key),
        }
        for f in spec.fields
    ]


def correction_rows(fixes: list[Any]) -> list[dict[str, Any]]:
    """The corrections with the field's label and values as people read them."""
    spec = {f.key: f for f in config().form.fields}
    names = {g.number: g.name for g in config().call.groups}

    def shown(key: str, value: Any) -> str:
        field = spec.get(key)
        return format_value(field.kind if field else "text", value, names)

    return [
        {
            "at": c.at,
            "by": c.by,
            "field": spec[c.field].label if c.field in spec else c.field,
            "old": shown(c.field, c.old),
            "new": shown(c.field, c.new),
        }
        for c in fixes
    ]


@bp.route("/zgloszenie/<ref>")
@login_required
def show(ref: str) -> Any:
    store = get_store()
    app = load_application(ref)
    message = message_row(store, app.message_pk)
    form = form_file(store, app)
    attachments = review_store.attachments_of_message(store, app.message_pk)
    return render_template(
        "web/zgloszenie.html",
        app=app,
        fields=field_table(app),
        message=message,
        text=message_text(store, message["raw_file"]),
        form=form,
        preview=form is not None and preview_possible(store, form.attachment_pk),
        attachments=attachments,
        hist=history(store, app),
        fixes=correction_rows(corrections(store, app.id)),
        problems=list(app.problems),
        replaced_by=review_store.superseding_references(store, [app.id]).get(app.id),
        withdrawal=message_row(store, app.withdrawal_message_pk)
        if app.status == "withdrawn" and app.withdrawal_message_pk
        else None,
        reading=scan_reading(store, app.id, config().form),
        notes=notes_of(store, app.id),
        recipients=recipients(config(), app),
        active="zgloszenia",
    )


@bp.route("/plik/<int:attachment_pk>")
@login_required
def download(attachment_pk: int) -> Any:
    """A stored file, named as sent with its proper extension (PDF shown in the browser)."""
    try:
        f = stored_file(get_store(), attachment_pk)
    except ActionRefused:
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
        path = pdf_preview(get_store(), attachment_pk, max_memory=config().limits.max_parse_memory)
    except ActionRefused:
        abort(404)
    if path is None:
        abort(404)
    response = send_file(path, mimetype="application/pdf", as_attachment=False, max_age=0)
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    return response
