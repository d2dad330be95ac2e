"""The Zgłoszenia list as the coordinator filtered it (status, group, text, superseded, order),
as an XLSX workbook: one row per application, the form's columns labelled by the form spec.

Every cell goes through :func:`mailbot.sanitize.export_cell` and is written as what it is (a
string or a number, never a formula, a link or a number read from text): a value that starts
like a formula stays data.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

from mailbot.config import Config
from mailbot.ops.export import ApplicationFilter, applications
from mailbot.ops.review import decided_status_label
from mailbot.sanitize import export_cell
from mailbot.storage.store import Store, parse_iso

SHEET = "Zgłoszenia"


def _write_row(sheet: Any, row: int, values: Sequence[Any], fmt: Any) -> None:
    for col, value in enumerate(values):
        cell = export_cell(value)
        if isinstance(cell, str):
            sheet.write_string(row, col, cell, fmt)
        else:
            sheet.write_number(row, col, cell, fmt)


def applications_xlsx(config: Config, store: Store, flt: ApplicationFilter) -> bytes:
    """Every application the filter finds (all pages), as the list shows them."""
    spec, tz = config.form, config.call.timezone
    columns = spec.columns()
    labels = {key: label for key, _column, label in columns}
    header = [
        "Numer zgłoszenia",
        "Data otrzymania",
        "Status",
        *(label for _key, _column, label in columns),
        "Nadawca",
        "Poprawione przez pracownika",
        "Zastąpione",
    ]
    everything = ApplicationFilter(**{**flt.__dict__, "limit": None, "offset": 0})
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    head = book.add_format({"bold": True, "bg_color": "#DDE4EE", "border": 1, "text_wrap": True})
    cell = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(SHEET)
    _write_row(sheet, 0, header, head)
    rows = applications(store, tz, everything, spec=spec)
    for i, app in enumerate(rows, start=1):
        received = app["received_at"]
        values: list[Any] = [
            app["reference"],
            parse_iso(received).astimezone(tz).strftime("%Y-%m-%d %H:%M") if received else "",
            decided_status_label(app["status"], bool(app["decided_by"])),
            *(app["fields"].get(key) for key, _column, _label in columns),
            app["sender"],
            ", ".join(labels.get(k, k) for k in app["corrected_fields"]),
            "tak" if app["superseded"] else "nie",
        ]
        _write_row(sheet, i, values, cell)
    for col in range(len(header)):
        sheet.set_column(col, col, 16 if col < 3 else 28)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(rows), 1), len(header) - 1)
    book.close()
    return buffer.getvalue()
