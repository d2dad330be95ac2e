"""A hard limit on reading one attached file: a child process with a clock and a memory cap.

``parsers.extract`` checks its time budget only between pages, and nothing bounds its memory;
one hostile file (a 10 KiB PDF whose single page takes seconds to lay out, a compression bomb)
could hold the worker or exhaust the machine. :func:`extract` reads each file in a long-lived
child process instead:

* the child's address space is capped (``resource.RLIMIT_AS`` = ``limits.max_parse_memory``)
  while it reads; a file that needs more fails inside the child, not in mailbot;
* the parent waits at most ``limits.max_parse_seconds`` (+ :data:`GRACE_SECONDS`) for the
  answer; then it kills the child and starts a fresh one for the next file;
* a file that hits either limit, or kills the child outright, comes back unreadable with reason
  ``limit_exceeded`` and a detail saying which limit — the message then needs a person's review
  (``needs_review``) and the pass goes on at once.

The child is started once (from a fork server that has ``parsers`` imported) and reused for
every file, so the cost per file is a round trip through a pipe. DOC and RTF files are
converted by LibreOffice, started by the child (:mod:`parsers.office`): it runs under the same
cap as a data limit (``RLIMIT_DATA``: its libraries alone take most of such an address space)
and its own clock; the child reads what it made under the address-space cap.

Scans are read with OCR (:func:`read_scan`) in a second child process of their own, with its
own clock (``limits.max_ocr_seconds``) and the same memory cap (Tesseract, started by it,
inherits the cap). It runs at a lower priority with one Tesseract thread, and it has its own
lock: a scan being read never holds up the reading of other mail.
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import multiprocessing
import os
import resource
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import import_module
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Any

import parsers
from mailbot.config import DEFAULT_MAX_MEMORY
from parsers import Extraction, FormSpec, ParseLimits

if TYPE_CHECKING:  # the OCR library (Pillow, numpy) loads in the OCR child only
    from parsers.ocr import OcrLimits

log = logging.getLogger(__name__)

MIB = 1024 * 1024

#: extra wall-clock time the child gets beyond ``max_parse_seconds`` before it is killed
GRACE_SECONDS = 0.5
#: a file that failed while the process's peak address space came this close to the cap is
#: taken to have hit the memory limit (a normal file peaks far below it)
NEAR_THE_CAP = 0.75


def _limit_memory(max_memory: int | None) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if max_memory is None:
        resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
        return
    if hard != resource.RLIM_INFINITY:
        max_memory = min(max_memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (max_memory, hard))


def _serve(conn: Connection) -> None:
    """The child: read files sent over ``conn`` one at a time, answer each with an Extraction.

    After a file that hit a limit the child answers and exits: a fresh one takes the next file.
    """
    spec: FormSpec | None = None  # sent once per child: the parsers cache what they build from it
    while True:
        try:
            data, new_spec, limits, max_memory = conn.recv()
        except (EOFError, OSError):
            return
        spec = new_spec or spec
        assert spec is not None
        kind = parsers.sniff(data)
        _limit_memory(max_memory)
        try:
            result = parsers.extract(data, spec, limits)
        except MemoryError:
            result = _unreadable(spec, kind, "out of memory while reading")
        _limit_memory(None)
        if not result.readable and _near_the_cap(max_memory):
            # the parsers report a failed allocation as they see it (MemoryError, or lxml's
            # "Memory allocation failed" as a syntax error): name the real cause
            result = _unreadable(
                spec,
                kind,
                f"memory limit of {max_memory // MIB} MiB for "
                "reading one file reached (reading stopped)",
            )
        try:
            conn.send(result)
        except OSError:  # the parent is gone (killed, or it gave up on this file): stop quietly
            return
        if result.reason == "limit_exceeded":
            return  # a fresh child (fresh peak, fresh heap) takes the next file


def _peak_memory() -> int | None:
    """The peak address-space size of this process (Linux ``VmPeak``), or None if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def _near_the_cap(max_memory: int) -> bool:
    peak = _peak_memory()
    return peak is not None and peak >= NEAR_THE_CAP * max_memory


def _unreadable(spec: FormSpec, kind: str, detail: str) -> Extraction:
    return Extraction(
        readable=False,
        reason="limit_exceeded",
        kind=kind,
        fields=spec.empty_fields(),
        sources={},
        detail=detail,
    )


class IsolatedReader:
    """The child process and the pipe to it; one file at a time (a lock serialises callers)."""

    def __init__(self, target: Callable[[Connection], None] = _serve, name: str = "mailbot-parse"):
        self._target, self._name = target, name
        self._lock = threading.Lock()
        self._context: ForkServerContext | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._spec: FormSpec | None = None  # the form spec the running child has

    def _ctx(self) -> ForkServerContext:
        if self._context is None:
            context = multiprocessing.get_context("forkserver")
            assert isinstance(context, ForkServerContext)
            context.set_forkserver_preload(
                ["mailbot.pipeline.fork_server", "parsers", "mailbot.pipeline.isolate"]
            )
            self._context = context
        return self._context

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        parent, child = self._ctx().Pipe()
        process = self._ctx().Process(
            target=self._target, args=(child,), name=self._name, daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn, self._spec = process, parent, None
        return parent

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(timeout=5)

    def close(self) -> None:
        with self._lock:
            self._stop()

    def extract(self, data: bytes, spec: FormSpec, limits: ParseLimits) -> Extraction:
        max_memory = getattr(limits, "max_memory", DEFAULT_MAX_MEMORY)
        seconds = limits.max_seconds + GRACE_SECONDS
        with self._lock:
            conn = self._start()
            try:
                conn.send((data, None if spec is self._spec else spec, limits, max_memory))
                self._spec = spec
                if not conn.poll(seconds):
                    self._stop()
                    log.warning("reading a file took longer than %.1f s: stopped", seconds)
                    return _unreadable(
                        spec,
                        parsers.sniff(data),
                        f"time limit of {limits.max_seconds:g} s for reading "
                        "one file reached (reading stopped)",
                    )
                result: Extraction = conn.recv()
                if result.reason == "limit_exceeded":
                    self._stop()  # that child exits after such a file; the next gets a new one
                return result
            except (EOFError, OSError, BrokenPipeError):
                process = self._process
                code = process.exitcode if process is not None else None
                self._stop()
                log.warning("the process reading a file died (exit code %s)", code)
                return _unreadable(
                    spec,
                    parsers.sniff(data),
                    f"the reading process died (exit code {code}); memory "
                    f"limit {max_memory // MIB} MiB",
                )


_READER = IsolatedReader()
atexit.register(_READER.close)


def extract(data: bytes, spec: FormSpec, limits: ParseLimits) -> Extraction:
    """``parsers.extract`` in the child process, within the time and memory limits."""
    return _READER.extract(data, spec, limits)


# --- OCR: a scan's pages read with Tesseract, in a process of its own -----------------------

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
    _limit_memory(max_memory)
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
        _limit_memory(None)
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
    if reason == OCR_MEMORY_LIMIT or (not out_of_time and _near_the_cap(max_memory)):
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
            except (EOFError, OSError, BrokenPipeError):
                process = self._process
                code = process.exitcode if process is not None else None
                self._stop()
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
