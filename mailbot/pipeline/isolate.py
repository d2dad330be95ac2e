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
converted by LibreOffice, whose own address space the cap would break: for them only the clock
applies (the conversion has its own time limit too).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import resource
import threading
from multiprocessing.connection import Connection
from multiprocessing.context import ForkServerContext
from multiprocessing.process import BaseProcess

import parsers
from mailbot.config import DEFAULT_MAX_MEMORY
from parsers import Extraction, FormSpec, ParseLimits

log = logging.getLogger(__name__)

MIB = 1024 * 1024

#: extra wall-clock time the child gets beyond ``max_parse_seconds`` before it is killed
GRACE_SECONDS = 0.5
#: a file that failed while the process's peak address space came this close to the cap is
#: taken to have hit the memory limit (a normal file peaks far below it)
NEAR_THE_CAP = 0.75
#: kinds read through an external converter (LibreOffice): no address-space cap for them
CONVERTED_KINDS = frozenset({"doc", "rtf"})


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
        capped = kind not in CONVERTED_KINDS
        _limit_memory(max_memory if capped else None)
        try:
            result = parsers.extract(data, spec, limits)
        except MemoryError:
            result = _unreadable(spec, kind, "out of memory while reading")
        _limit_memory(None)
        if capped and not result.readable and _near_the_cap(max_memory):
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

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._context: ForkServerContext | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._spec: FormSpec | None = None  # the form spec the running child has

    def _ctx(self) -> ForkServerContext:
        if self._context is None:
            context = multiprocessing.get_context("forkserver")
            assert isinstance(context, ForkServerContext)
            context.set_forkserver_preload(["parsers", "mailbot.pipeline.isolate"])
            self._context = context
        return self._context

    def _start(self) -> Connection:
        if self._process is not None and self._process.is_alive() and self._conn is not None:
            return self._conn
        self._stop()
        parent, child = self._ctx().Pipe()
        process = self._ctx().Process(
            target=_serve, args=(child,), name="mailbot-parse", daemon=True
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
