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

While one message is judged, composed and recorded, the next one's first document can already
be with the child (:func:`read_ahead`): the child reads it in parallel, under the same limits,
its clock running from the moment it was handed over. At most one file is with the child at a
time; the answer waits until the pipeline asks for that file (:func:`extract`), and a file that
is never asked for (the next message was a duplicate) is dropped.

Scans are read with OCR in a second child process of their own
(:mod:`mailbot.pipeline.isolate_scan`).
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
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


def limit_memory(max_memory: int | None) -> None:
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
        limit_memory(max_memory)
        try:
            result = parsers.extract(data, spec, limits)
        except MemoryError:
            result = _unreadable(spec, kind, "out of memory while reading")
        limit_memory(None)
        if not result.readable and near_the_cap(max_memory):
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


def peak_memory() -> int | None:
    """The peak address-space size of this process (Linux ``VmPeak``), or None if unknown."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmPeak:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


def near_the_cap(max_memory: int) -> bool:
    peak = peak_memory()
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


@dataclass
class _Job:
    """A file handed to the child (or to be handed over): what it is and when its clock ends."""

    data: bytes
    spec: FormSpec
    limits: ParseLimits
    deadline: float = 0.0  # time.monotonic() by which its answer must have come
    lost: bool = False  # the pipe broke while it was handed over

    def is_for(self, data: bytes, spec: FormSpec, limits: ParseLimits) -> bool:
        return self.spec is spec and self.limits == limits and self.data == data

    @property
    def max_memory(self) -> int:
        return int(getattr(self.limits, "max_memory", DEFAULT_MAX_MEMORY))


class IsolatedReader:
    """The child process and the pipe to it; one file at a time (a lock serialises callers).

    ``_running`` is the file the child has, ``_ahead`` a file to hand over as soon as the
    child is free, ``_answered`` a file read ahead whose answer came before it was asked for.
    """

    def __init__(self, target: Callable[[Connection], None] = _serve, name: str = "mailbot-parse"):
        self._target, self._name = target, name
        self._lock = threading.Lock()
        self._context: ForkServerContext | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._spec: FormSpec | None = None  # the form spec the running child has
        self._running: _Job | None = None
        self._ahead: _Job | None = None
        self._answered: tuple[_Job, Extraction] | None = None

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
        self._running = None  # a file the child had is gone with it
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(timeout=5)

    def _end_dead_child(self) -> int | None:
        """Stop a child that died or broke the pipe; its exit code, if it had one."""
        process = self._process
        code = process.exitcode if process is not None else None
        self._stop()
        return code

    def close(self) -> None:
        with self._lock:
            self._ahead = self._answered = None
            self._stop()

    def read_ahead(self, data: bytes, spec: FormSpec, limits: ParseLimits) -> None:
        """Hand this file to the child as soon as it is free, before it is asked for."""
        with self._lock:
            self._ahead = _Job(data, spec, limits)
            if self._running is None:
                self._hand_over_ahead()

    def extract(self, data: bytes, spec: FormSpec, limits: ParseLimits) -> Extraction:
        with self._lock:
            answered, self._answered = self._answered, None
            if self._ahead is not None and self._ahead.is_for(data, spec, limits):
                self._ahead = None  # asked for before the child took it: read it now
            if answered is not None and answered[0].is_for(data, spec, limits):
                result = answered[1]
            elif self._running is not None and self._running.is_for(data, spec, limits):
                result = self._answer()
            else:
                if self._running is not None:  # a file read ahead: its answer kept for later
                    job = self._running
                    self._answered = (job, self._answer())
                self._hand_over(_Job(data, spec, limits))
                result = self._answer()
            self._hand_over_ahead()
            return result

    def _hand_over_ahead(self) -> None:
        job, self._ahead = self._ahead, None
        if job is not None:
            self._hand_over(job)

    def _hand_over(self, job: _Job) -> None:
        conn = self._start()
        job.deadline = time.monotonic() + job.limits.max_seconds + GRACE_SECONDS
        try:
            conn.send(
                (job.data, None if job.spec is self._spec else job.spec, job.limits, job.max_memory)
            )
            self._spec = job.spec
        except OSError:
            job.lost = True
        self._running = job

    def _answer(self) -> Extraction:
        """The answer for the file the child has, within that file's clock."""
        job, conn = self._running, self._conn
        assert job is not None and conn is not None
        self._running = None
        try:
            if job.lost:
                raise BrokenPipeError
            if not conn.poll(max(0.0, job.deadline - time.monotonic())):
                self._stop()
                log.warning(
                    "reading a file took longer than %.1f s: stopped",
                    job.limits.max_seconds + GRACE_SECONDS,
                )
                return _unreadable(
                    job.spec,
                    parsers.sniff(job.data),
                    f"time limit of {job.limits.max_seconds:g} s for reading "
                    "one file reached (reading stopped)",
                )
            result: Extraction = conn.recv()
        except (EOFError, OSError):  # BrokenPipeError is an OSError
            code = self._end_dead_child()
            log.warning("the process reading a file died (exit code %s)", code)
            return _unreadable(
                job.spec,
                parsers.sniff(job.data),
                f"the reading process died (exit code {code}); memory "
                f"limit {job.max_memory // MIB} MiB",
            )
        if result.reason == "limit_exceeded":
            self._stop()  # that child exits after such a file; the next gets a new one
        return result


_READER = IsolatedReader()
atexit.register(_READER.close)


def extract(data: bytes, spec: FormSpec, limits: ParseLimits) -> Extraction:
    """``parsers.extract`` in the child process, within the time and memory limits (the
    answer of a file handed over by :func:`read_ahead`, if it is that file)."""
    return _READER.extract(data, spec, limits)


def read_ahead(data: bytes, spec: FormSpec, limits: ParseLimits) -> None:
    """Let the child read this file while the caller does other work; :func:`extract` of the
    same file then takes its answer. A later call replaces a file not yet handed over."""
    _READER.read_ahead(data, spec, limits)
