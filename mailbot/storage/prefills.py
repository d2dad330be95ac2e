"""The statements behind the OCR pre-fill of scanned forms (table ``prefills``).

An application whose form is a scan (its form attachment's reason is ``scan``) gets one row:
``pending`` when it is found (:func:`enqueue_scans`), ``reading`` while a process reads it
(:func:`claim_next` takes one at a time, atomically, so a cron poll and the worker never read
the same scan twice), then ``done`` with the values read, or ``failed`` with the reason. The
values read are kept apart from the application's ``fields``: they never decide a status, a
problem or a letter. Rows go with their application (``ON DELETE CASCADE``).

Writes run inside the caller's transaction (:meth:`Store.transaction`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from mailbot.names import OcrState
from mailbot.storage.store import Store, dumps, loads

#: a read that crashed its process this many times is given up (``failed``)
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class PageFile:
    """One stored file that is a page (or pages) of a scanned form."""

    attachment_pk: int
    filename: str | None
    file: str  # inside the file store


@dataclass(frozen=True)
class Claimed:
    """A scan taken for reading: its application and the files that are its pages."""

    application_pk: int
    message_pk: int
    reference: str | None
    attempts: int
    files: tuple[PageFile, ...]


@dataclass(frozen=True)
class PrefillRow:
    """What is stored about one application's OCR pre-fill."""

    application_pk: int
    state: str
    reason: str | None
    detail: str | None
    prefill: Mapping[str, Any] | None  # Prefill.to_json() (with "boxes")
    engine: str | None
    pages: int | None
    page_files: tuple[str, ...]
    attempts: int
    queued_at: str | None
    started_at: str | None
    finished_at: str | None
    seconds: float | None


_COLUMNS = (
    "application_pk, state, reason, detail, prefill, engine, pages, page_files, attempts, "
    "queued_at, started_at, finished_at, seconds"
)


def _row(r: tuple[Any, ...]) -> PrefillRow:
    return PrefillRow(
        application_pk=r[0],
        state=r[1],
        reason=r[2],
        detail=r[3],
        prefill=loads(r[4]),
        engine=r[5],
        pages=r[6],
        page_files=tuple(loads(r[7], [])),
        attempts=r[8] or 0,
        queued_at=r[9],
        started_at=r[10],
        finished_at=r[11],
        seconds=r[12],
    )


def enqueue_scans(store: Store, now: str) -> int:
    """A ``pending`` row for every application whose form is a scan and has none yet."""
    cur = store.conn.execute(
        "INSERT INTO prefills(application_pk, state, attempts, queued_at) "
        "SELECT a.id, ?, 0, ? FROM attachments t JOIN applications a ON a.attachment_pk = t.id "
        "WHERE t.reason = 'scan' AND NOT EXISTS "
        "(SELECT 1 FROM prefills p WHERE p.application_pk = a.id)",
        [OcrState.PENDING, now],
    )
    return cur.rowcount or 0


def failed_for(store: Store, reason: str) -> int:
    """How many scans failed for this reason (e.g. ``no_engine``: Tesseract was missing)."""
    row = store.conn.execute(
        "SELECT count(*) FROM prefills WHERE state = ? AND reason = ?", [OcrState.FAILED, reason]
    ).fetchone()
    return int(row[0])


def requeue(store: Store, reason: str, now: str) -> int:
    """Scans that failed for this reason pending again (Tesseract has been installed since)."""
    cur = store.conn.execute(
        "UPDATE prefills SET state = ?, reason = NULL, detail = NULL, attempts = 0, "
        "queued_at = ?, started_at = NULL, finished_at = NULL WHERE state = ? AND reason = ?",
        [OcrState.PENDING, now, OcrState.FAILED, reason],
    )
    return cur.rowcount or 0


def pending_count(store: Store) -> int:
    row = store.conn.execute(
        "SELECT count(*) FROM prefills WHERE state IN (?, ?)", [OcrState.PENDING, OcrState.READING]
    ).fetchone()
    return int(row[0])


def claim_next(store: Store, now: str, stale_before: str) -> Claimed | None:
    """Take the oldest pending scan (or one whose reader died: ``reading`` since before
    ``stale_before``) for reading; None when there is none. Atomic: two processes never take
    the same one."""
    while True:
        found = store.conn.execute(
            "SELECT p.application_pk, a.message_pk, a.reference, p.attempts FROM prefills p "
            "JOIN applications a ON a.id = p.application_pk "
            "WHERE p.state = ? OR (p.state = ? AND p.started_at < ?) "
            "ORDER BY p.queued_at, p.application_pk LIMIT 1",
            [OcrState.PENDING, OcrState.READING, stale_before],
        ).fetchone()
        if found is None:
            return None
        app_pk, message_pk, reference, attempts = found
        taken = store.conn.execute(
            "UPDATE prefills SET state = ?, started_at = ?, attempts = attempts + 1 "
            "WHERE application_pk = ? AND (state = ? OR (state = ? AND started_at < ?))",
            [OcrState.READING, now, app_pk, OcrState.PENDING, OcrState.READING, stale_before],
        ).rowcount
        if taken:
            return Claimed(app_pk, message_pk, reference, attempts + 1, page_files(store, app_pk))


def page_files(store: Store, application_pk: int) -> tuple[PageFile, ...]:
    """The stored scans of the application's message, in the order they were attached."""
    return tuple(
        PageFile(*r)
        for r in store.conn.execute(
            "SELECT t.id, t.filename, t.file FROM attachments t JOIN applications a "
            "ON a.message_pk = t.message_pk WHERE a.id = ? AND t.reason = 'scan' "
            "AND t.file IS NOT NULL ORDER BY t.id",
            [application_pk],
        )
    )


def record_done(
    store: Store,
    application_pk: int,
    *,
    prefill: Mapping[str, Any],
    engine: str,
    pages: int,
    page_files: Iterable[str],
    now: str,
    seconds: float,
) -> None:
    store.conn.execute(
        "UPDATE prefills SET state = ?, reason = NULL, detail = NULL, prefill = ?, engine = ?, "
        "pages = ?, page_files = ?, finished_at = ?, seconds = ? WHERE application_pk = ?",
        [
            OcrState.DONE,
            dumps(dict(prefill)),
            engine,
            pages,
            dumps(list(page_files)),
            now,
            round(seconds, 3),
            application_pk,
        ],
    )


def record_failed(
    store: Store,
    application_pk: int,
    *,
    reason: str,
    detail: str,
    now: str,
    seconds: float | None,
    page_files: Iterable[str] = (),
) -> None:
    store.conn.execute(
        "UPDATE prefills SET state = ?, reason = ?, detail = ?, prefill = NULL, "
        "page_files = ?, finished_at = ?, seconds = ? WHERE application_pk = ?",
        [
            OcrState.FAILED,
            reason,
            detail[:300],
            dumps(list(page_files)),
            now,
            None if seconds is None else round(seconds, 3),
            application_pk,
        ],
    )


def release(store: Store, application_pk: int) -> None:
    """A read stopped before its end (the worker is stopping): pending again, not counted."""
    store.conn.execute(
        "UPDATE prefills SET state = ?, started_at = NULL, attempts = max(attempts - 1, 0) "
        "WHERE application_pk = ? AND state = ?",
        [OcrState.PENDING, application_pk, OcrState.READING],
    )


def prefill_of(store: Store, application_pk: int) -> PrefillRow | None:
    row = store.conn.execute(
        f"SELECT {_COLUMNS} FROM prefills WHERE application_pk = ?", [application_pk]
    ).fetchone()
    return _row(row) if row else None


def done_prefills(store: Store) -> dict[int, Mapping[str, Any]]:
    """application id → the stored pre-fill of every scan read (for the export)."""
    return {
        r[0]: loads(r[1])
        for r in store.conn.execute(
            "SELECT application_pk, prefill FROM prefills WHERE state = ?", [OcrState.DONE]
        )
    }


def form_is_scan(store: Store, application_pk: int) -> bool:
    """Whether the application's form is a scan (its form attachment was read as ``scan``)."""
    row = store.conn.execute(
        "SELECT 1 FROM applications a JOIN attachments t ON t.id = a.attachment_pk "
        "WHERE a.id = ? AND t.reason = 'scan'",
        [application_pk],
    ).fetchone()
    return row is not None
