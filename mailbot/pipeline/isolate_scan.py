"""A scan's pages read with OCR in a child process of its own (:func:`read_scan`).

The OCR child has its own clock (``limits.max_ocr_seconds``) and the same memory cap as the
reader of documents (:mod:`mailbot.pipeline.isolate`; Tesseract, started by it, inherits the
cap). It runs at a lower priority with one Tesseract thread, and it has its own lock: a scan
being read never holds up the reading of other mail.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import import_module
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from mailbot.config import DEFAULT_MAX_MEMORY
from mailbot.pipeline.isolate import (
    GRACE_SECONDS,
    MIB,
    IsolatedReader,
    limit_memory,
    near_the_cap,
)
from parsers import FormSpec

if TYPE_CHECKING:  # the OCR library (Pillow, numpy) loads in the OCR child only
    from parsers.ocr import OcrLimits

log = logging.getLogger(__name__)

#: why an OCR read gave no pre-fill (``prefills.reason``)
OCR_NO_ENGINE = "no_engine"  # tesseract or its Polish data is not installed
OCR_TIME_LIMIT = "time_limit"  # limits.max_ocr_seconds reached
OCR_MEMORY_LIMIT = "memory_limit"  # limits.max_parse_memory reached, or the process died
OCR_UNREADABLE = "unreadable"  # the library read nothing (no page, a page it cannot open)
OCR_TOO_MANY_PAGES = "too_many_pages"  # more pages than the library reads for one scan
OCR_STOPPED = "stopped"  # the worker stopped while the scan was read: read it again later
#: the OCR process runs at this lower priority, so reading mail never waits for a scan
OCR_NICENESS = 10


@dataclass(frozen=True)
class OcrResult:
    """What reading one scan gave: the pre-fill (``Prefill.to_json()``, boxes included) and the
    upright pages as PNG, or the reason there is none."""

    prefill: Mapping[str, Any] | None
    engine: str | None
    pages: tuple[bytes, ...]
    reason: str | None  # None when ``prefill`` is there; else one of the OCR_* reasons
    detail: str  # for the log and the coordinator's detail; never form contents
    seconds: float

    @property
    def ok(self) -> bool:
        return self.reason is None and self.prefill is not None


def _ocr_failure(reason: str, detail: str, started: float, engine: str | None = None) -> OcrResult:
    return OcrResult(None, engine, (), reason, detail, time.monotonic() - started)


def _read_scan(
    files: Sequence[bytes], spec: FormSpec, limits: OcrLimits, max_memory: int
) -> OcrResult:
    """In the OCR child: the pages and the pre-fill of one scan, under the memory cap."""
    from parsers import ocr

    started = time.monotonic()
    engine = ocr.engine()
    if engine is None:
        return _ocr_failure(OCR_NO_ENGINE, "tesseract or its Polish data not found", started)
    limit_memory(max_memory)
    reason = OCR_UNREADABLE
    try:
        pages = tuple(ocr.page_images(files, limits))
        # one clock for the whole read: the pre-fill gets what the pages left of it
        left = limits.max_seconds - (time.monotonic() - started)
        prefill = ocr.prefill(files, spec, replace(limits, max_seconds=left)) if left > 0 else None
        if left <= 0:
            reason = OCR_TIME_LIMIT  # the pages took the whole time
    except MemoryError:
        prefill, pages = None, ()
        reason, detail = OCR_MEMORY_LIMIT, "out of memory while reading the scan"
    except Exception as exc:  # noqa: BLE001 - the library's own failure is a reason, no crash
        prefill, pages = None, ()
        # OcrFailed names its reason (time_limit, too_many_pages, unreadable)
        reason = str(getattr(exc, "reason", "") or OCR_UNREADABLE)
        detail = f"the OCR library stopped ({type(exc).__name__}: {exc})"[:300]
    else:
        detail = "the OCR library read nothing from the pages"
    finally:
        limit_memory(None)
    if prefill is not None:
        return OcrResult(
            prefill.to_json() | {"boxes": _boxes(prefill)},
            engine,
            pages,
            None,
            f"{len(pages)} page(s)",
            time.monotonic() - started,
        )
    # which limit: out of memory said so; then the clock, when the library named it or the time
    # is gone (the child lives on from scan to scan and its peak address space never goes
    # down, so a peak near the cap may be an earlier scan's); else a failure near the cap
    out_of_time = reason == OCR_TIME_LIMIT or time.monotonic() - started >= limits.max_seconds
    if reason == OCR_MEMORY_LIMIT or (not out_of_time and near_the_cap(max_memory)):
        return _ocr_failure(
            OCR_MEMORY_LIMIT,
            f"memory limit of {max_memory // MIB} MiB for reading one scan reached",
            started,
            engine,
        )
    if out_of_time:
        return _ocr_failure(
            OCR_TIME_LIMIT,
            f"time limit of {limits.max_seconds:g} s for reading one scan reached",
            started,
            engine,
        )
    return _ocr_failure(reason, detail, started, engine)


def _boxes(prefill: Any) -> dict[str, list[dict[str, float]]]:
    """The boxes of a Prefill as JSON: field → [{page, left, top, width, height}]."""
    return {
        key: [
            {
                "page": int(b.page),
                "left": float(b.left),
                "top": float(b.top),
                "width": float(b.width),
                "height": float(b.height),
            }
            for b in boxes
        ]
        for key, boxes in dict(prefill.boxes).items()
    }


def _serve_ocr(conn: Connection) -> None:
    """The OCR child: read scans sent over ``conn`` one at a time, at a lower priority and
    with one thread for Tesseract (the other core stays free for the mail)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"  # Tesseract's OpenMP: one core
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with contextlib.suppress(OSError):
        os.nice(OCR_NICENESS)
    # the library and what it loads lazily, imported before the memory cap is set (their
    # start-up reserves address space that reading a scan never needs again)
    import parsers.ocr  # noqa: F401

    for name in ("numpy", "PIL.Image"):
        with contextlib.suppress(ImportError):
            import_module(name)
    while True:
        try:
            files, spec, limits, max_memory = conn.recv()
        except (EOFError, OSError):
            return
        result = _read_scan(files, spec, limits, max_memory)
        try:
            conn.send(result)
        except OSError:
            return
        if result.reason == OCR_MEMORY_LIMIT:
            return  # a fresh child takes the next scan


class OcrReader(IsolatedReader):
    """The OCR child process: its own process, clock and lock, so a scan being read never
    holds up the reading of other mail (which goes through :data:`_READER`)."""

    def __init__(self) -> None:
        super().__init__(target=_serve_ocr, name="mailbot-ocr")

    def read(
        self,
        files: Sequence[bytes],
        spec: FormSpec,
        limits: OcrLimits,
        max_memory: int,
        stop: threading.Event | None = None,
    ) -> OcrResult:
        started = time.monotonic()
        deadline = started + limits.max_seconds + GRACE_SECONDS
        with self._lock:
            conn = self._start()
            try:
                conn.send((list(files), spec, limits, max_memory))
                while not conn.poll(min(0.2, max(0.0, deadline - time.monotonic()))):
                    if stop is not None and stop.is_set():
                        self._stop()
                        return _ocr_failure(OCR_STOPPED, "the worker stopped", started)
                    if time.monotonic() >= deadline:
                        self._stop()
                        log.warning("reading a scan took longer than %.1f s: stopped", deadline)
                        return _ocr_failure(
                            OCR_TIME_LIMIT,
                            f"time limit of {limits.max_seconds:g} s for reading one scan "
                            "reached (reading stopped)",
                            started,
                        )
                result: OcrResult = conn.recv()
                if result.reason == OCR_MEMORY_LIMIT:
                    self._stop()
                return result
            except (EOFError, OSError):  # BrokenPipeError is an OSError
                code = self._end_dead_child()
                log.warning("the process reading a scan died (exit code %s)", code)
                return _ocr_failure(
                    OCR_MEMORY_LIMIT,
                    f"the OCR process died (exit code {code}); memory limit "
                    f"{max_memory // MIB} MiB",
                    started,
                )


_OCR_READER = OcrReader()
atexit.register(_OCR_READER.close)


def read_scan(
    files: Sequence[bytes],
    spec: FormSpec,
    limits: OcrLimits,
    max_memory: int = DEFAULT_MAX_MEMORY,
    stop: threading.Event | None = None,
) -> OcrResult:
    """``parsers.ocr`` over one scan's files in the OCR child process, within
    ``limits.max_seconds`` (+ :data:`GRACE_SECONDS`) and the memory cap; ``stop`` set by another
    thread ends the read at once (reason :data:`OCR_STOPPED`)."""
    return _OCR_READER.read(files, spec, limits, max_memory, stop)


def close_ocr() -> None:
    """Stop the OCR child (the worker's shutdown)."""
    _OCR_READER.close()
