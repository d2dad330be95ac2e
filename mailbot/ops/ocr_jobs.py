"""Reading scans with OCR, off the path of other mail (:mod:`mailbot.pipeline.ocr`).

* ``mailbot poll`` / ``import``: after the replies are sent and the pipeline lock is released,
  :func:`read_scans` takes the pending scans one by one; it starts no new one after
  ``limits.ocr_pass_seconds`` (the rest waits for the next pass; 0: poll and import read none).
* ``mailbot run``: :class:`ScanReader`, a thread of its own, woken after every poll and once a
  minute, reads every pending scan while the worker goes on answering mail; the OCR child runs
  at a lower priority with one Tesseract thread, so a DOCX arriving meanwhile is answered as
  fast as ever. Stopping the worker stops a read at once: that scan is read again later.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from mailbot.config import Config
from mailbot.errors import MailbotError
from mailbot.pipeline.ocr import ScanRead, enqueue, read_next
from mailbot.storage.store import Store

log = logging.getLogger(__name__)

#: how often the worker's reader looks for scans when no poll woke it (seconds)
RECHECK_SECONDS = 60.0


@dataclass
class ScanReport:
    """What one round of reading scans did."""

    read: list[ScanRead] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.read if r.state == "done")

    @property
    def failed(self) -> int:
        return sum(1 for r in self.read if r.state == "failed")

    def summary(self) -> str:
        parts = []
        if self.done:
            parts.append(f"{self.done} scan(s) read with OCR")
        if self.failed:
            parts.append(f"{self.failed} scan(s) not read with OCR")
        return ", ".join(parts)


def read_scans(
    config: Config,
    *,
    budget: float | None = None,
    stop: threading.Event | None = None,
    store: Store | None = None,
) -> ScanReport:
    """Read pending scans until none is left, ``stop`` is set, or ``budget`` seconds have
    passed (no new scan is started after it; the one being read ends within its own limit)."""
    report = ScanReport()
    own = store is None
    store = store or Store(config.storage.database, config.storage.files, form=config.form)
    try:
        enqueue(store)
        started = time.monotonic()
        while budget is None or time.monotonic() - started < budget:
            if stop is not None and stop.is_set():
                break
            one = read_next(store, config.form, config.limits, stop)
            if one is None:
                break
            report.read.append(one)
            if one.state == "pending":  # stopped: the worker is going down
                break
    finally:
        if own:
            store.close()
    return report


def read_scans_after_pass(config: Config) -> ScanReport | None:
    """:func:`read_scans` within ``limits.ocr_pass_seconds`` for poll and import; a failure is
    logged (the scans stay pending for the next pass), never the pass's failure."""
    budget = config.limits.ocr_pass_seconds
    if budget <= 0:
        return None
    try:
        return read_scans(config, budget=budget)
    except MailbotError as exc:
        log.error("reading scans with OCR failed: %s; they are read on the next pass", exc)
        return None


class ScanReader:
    """``mailbot run``'s OCR thread: reads pending scans whenever woken (after each poll) and
    once every :data:`RECHECK_SECONDS`, until ``stop`` is set."""

    def __init__(self, config: Config, stop: threading.Event) -> None:
        self.config = config
        self.stop = stop
        self._wake = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mailbot-ocr-reader", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def wake(self) -> None:
        self._wake.set()

    def join(self, timeout: float | None = None) -> None:
        self._wake.set()
        self.thread.join(timeout)

    def _run(self) -> None:
        while not self.stop.is_set():
            self._wake.wait(RECHECK_SECONDS)
            self._wake.clear()
            if self.stop.is_set():
                break
            try:
                report = read_scans(self.config, stop=self.stop)
            except Exception:  # the worker outlives any failed round; the next one tries again
                log.exception("reading scans with OCR failed; trying again at the next round")
                continue
            if report.read:
                log.info("OCR: %s", report.summary() or "no scan finished")
