"""What OCR read from a scan, for the coordinator to check and confirm ("Zatwierdź odczyt").

The pre-fill (:mod:`mailbot.pipeline.ocr`) never becomes the application's values by itself:
the workspace's Popraw page shows it beside the page images, and :func:`confirm_prefill` turns
the values the coordinator checked (and fixed) into corrections — the existing layer, with
who, when, old and new — each checked by the form spec as a form read by machine is. The same
from the command line: ``mailbot review correct REF --from-prefill``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import parsers
from mailbot.config import CallConfig
from mailbot.errors import ActionRefused
from mailbot.names import OcrState
from mailbot.ops.review import correct, read_application
from mailbot.storage import prefills as prefill_store
from mailbot.storage.review import Correction
from mailbot.storage.store import Store

#: a value read with less confidence than this is marked for a closer look
LOW_CONFIDENCE = 0.6

#: why a scan has no pre-fill, in Polish (``prefills.reason``)
REASON_TEXT_PL: Mapping[str, str] = {
    "no_engine": "na serwerze nie ma programu Tesseract z danymi języka polskiego",
    "time_limit": "odczyt trwał dłużej, niż pozwala limit czasu",
    "memory_limit": "odczyt przekroczył limit pamięci",
    "unreadable": "z obrazu nie udało się odczytać tekstu",
    "too_many_pages": "skan ma więcej stron, niż odczytuje się automatycznie",
    "no_file": "plik skanu nie jest dostępny w archiwum",
    "crashed": "odczyt kilkakrotnie został przerwany",
}


@dataclass(frozen=True)
class ScanReading:
    """The OCR state of a scanned form and, when it was read, what was read."""

    state: str  # pending | reading | done | failed
    reason: str | None = None  # Polish, when failed
    engine: str | None = None
    fields: Mapping[str, Any] = field(default_factory=dict)
    confidence: Mapping[str, float] = field(default_factory=dict)
    boxes: Mapping[str, tuple[Mapping[str, float], ...]] = field(default_factory=dict)
    pages: tuple[str, ...] = ()  # page images inside the file store

    @property
    def in_progress(self) -> bool:
        return self.state in (OcrState.PENDING, OcrState.READING)

    @property
    def done(self) -> bool:
        return self.state == OcrState.DONE

    def read(self, key: str) -> bool:
        """Whether OCR read a value for this field (an empty one or an unticked box is none)."""
        return self.fields.get(key) not in (None, "", [], False)

    def low(self, key: str) -> bool:
        return self.read(key) and self.confidence.get(key, 0.0) < LOW_CONFIDENCE


def scan_reading(
    store: Store, application_pk: int, spec: parsers.FormSpec = parsers.DEFAULT_FORM
) -> ScanReading | None:
    """The OCR state of the application's scan; None when its form is not a scan."""
    row = prefill_store.prefill_of(store, application_pk)
    if row is None:
        if prefill_store.form_is_scan(store, application_pk):
            return ScanReading(OcrState.PENDING)  # recorded; the OCR stage has not taken it yet
        return None
    if row.state != OcrState.DONE or not row.prefill:
        reason = REASON_TEXT_PL.get(row.reason or "", "nie udało się odczytać skanu")
        return ScanReading(row.state, reason if row.state == OcrState.FAILED else None)
    keys = set(spec.keys)
    stored = row.prefill
    return ScanReading(
        state=row.state,
        engine=row.engine,
        fields={k: v for k, v in (stored.get("fields") or {}).items() if k in keys},
        confidence={k: float(v) for k, v in (stored.get("confidence") or {}).items() if k in keys},
        boxes={
            k: tuple(b for b in v if isinstance(b, Mapping))
            for k, v in (stored.get("boxes") or {}).items()
            if k in keys and isinstance(v, list)
        },
        pages=row.page_files,
    )


def value_text(f: parsers.FieldSpec, value: Any) -> str:
    """A value as a person types it: groups "4, 5", statements tak/nie, text as it is."""
    if f.type == "groups":
        return ", ".join(str(n) for n in value or [])
    if f.type == "checkbox":
        return "tak" if value else "nie"
    return "" if value is None else str(value)


def prefill_texts(reading: ScanReading, spec: parsers.FormSpec) -> dict[str, str]:
    """What OCR read, as text for every field it read a value for."""
    return {
        f.key: value_text(f, reading.fields.get(f.key)) for f in spec.fields if reading.read(f.key)
    }


def confirm_prefill(
    store: Store,
    ref: str,
    *,
    actor: str,
    call: CallConfig,
    checked: Mapping[str, str] | None = None,
    overrides: Mapping[str, str] | None = None,
) -> list[Correction]:
    """Turn the checked values of a scan's reading into corrections (who, when, old, new).

    ``checked`` are the values as the coordinator checked them (the workspace posts every
    field); without it, what OCR read is taken as it is (``--from-prefill``), with
    ``overrides`` (``--set``) laid over it. Every value is checked by the form spec first: one
    refused value (:class:`~mailbot.ops.review.FieldErrors`) saves none. A value equal to the
    current one is no correction.
    """
    spec = call.form
    app = read_application(store, ref)
    reading = scan_reading(store, app.id, spec)
    if reading is None:
        raise ActionRefused("not_a_scan", reference=app.reference)
    if reading.in_progress:
        raise ActionRefused("reading_in_progress", reference=app.reference)
    if not reading.done:
        raise ActionRefused("reading_failed", reference=app.reference, reason=reading.reason)
    if checked is not None:
        values = dict(checked)
    else:
        values = {**prefill_texts(reading, spec), **(overrides or {})}
    made = correct(store, app.reference, values, actor=actor, call=call)
    with store.transaction():
        store.event(
            "prefill_confirmed",
            app.message_pk,
            f"{app.reference} {len(made)} correction(s) from the OCR reading",
            actor=actor,
        )
    return made


def page_image(store: Store, ref: str, page: int) -> Path:
    """The stored image of one page of a scan (1-based); ActionRefused when there is none."""
    app = read_application(store, ref)
    reading = scan_reading(store, app.id)
    if reading is None or not 1 <= page <= len(reading.pages):
        raise ActionRefused("no_page", reference=app.reference, page=page)
    root = store.files.resolve()
    path = (root / reading.pages[page - 1]).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ActionRefused("no_page", reference=app.reference, page=page)
    return path
