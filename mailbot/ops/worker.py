"""``mailbot run``: the resident worker (APScheduler, plus IMAP IDLE).

A poll every ``schedule.poll_minutes`` (never two at once, missed runs coalesced), and — with
``schedule.idle`` (default on) and a server that offers it — a poll within seconds of each
delivery, announced by IMAP IDLE; the scheduled poll stays as the safety net. The digest goes out
daily at ``digest.at`` in the call's time zone, and after every poll a check makes sure today's
digest went out, so one missed while the worker was down is sent when it comes back. SIGTERM or
SIGINT stop it cleanly: the running pass finishes, then the worker exits. Scans are read with
OCR by a thread of its own (:class:`~mailbot.ops.ocr_jobs.ScanReader`), woken after each poll:
a scan being read never delays the answer to other mail.

Every job is :func:`guarded`: whatever it raises is logged and the worker (and the IDLE
thread, which runs the poll job itself) keeps running; the next run tries again.

After an SMTP outage (a pass that left replies queued because the server could not be reached
or refused the login), a retry job runs a pass every :data:`RETRY_SECONDS` until the replies go
out: they are sent within a minute of the server coming back, not at the next scheduled poll.

The log says what the server really offers: IDLE is claimed only once the server has shown it.
When IDLE is offered but a scheduled poll finds mail no push announced (a server that does not
push, e.g. Cyrus without ``idled``), the worker says so and polls every minute instead.
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec, TypeVar

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from mailbot.config import Config
from mailbot.errors import LockedError, MailbotError
from mailbot.mail import idle
from mailbot.ops import jobs
from mailbot.ops.digest import is_due
from mailbot.ops.jobs import JobReport
from mailbot.ops.ocr_jobs import ScanReader
from mailbot.storage.store import utcnow

log = logging.getLogger(__name__)

SHORT_POLL_MINUTES = 1  # the poll interval when IDLE does not push; the job's wake-up
WAKE_SLACK_SECONDS = 5.0  # a wake-up this close to the interval runs the pass
RETRY_SECONDS = 20  # after an SMTP outage, queued replies are tried again this often


_PASS = threading.Lock()  # IDLE-triggered and scheduled passes of this worker take turns

P = ParamSpec("P")
R = TypeVar("R")


def guarded(job: Callable[P, R]) -> Callable[P, R | None]:
    """The job, with any exception it raises logged instead of ending its thread (None then)."""

    @functools.wraps(job)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return job(*args, **kwargs)
        except Exception:  # the worker outlives any one failed job
            log.exception(
                "%s failed; the worker goes on and tries again at the next run", job.__name__
            )
            return None

    return run


class SendRetry:
    """Whether replies wait for an SMTP server that could not be reached: set by every pass
    (one that sent, or found the server still away, says so), read by the retry job."""

    def __init__(self) -> None:
        self._waiting = threading.Event()

    @property
    def waiting(self) -> bool:
        return self._waiting.is_set()

    def note(self, report: JobReport | None) -> None:
        if report is None or report.skipped:
            return  # nothing was tried: what was known stays
        if report.replies is not None and report.replies.stopped:
            if not self.waiting:
                log.warning(
                    "replies stay queued (%s); trying again every %d s",
                    report.replies.stopped,
                    RETRY_SECONDS,
                )
            self._waiting.set()
        elif report.replies is not None:
            self._waiting.clear()


#: the worker's OCR thread, woken after every poll (None outside ``mailbot run``)
_SCAN_READER: ScanReader | None = None


@guarded
def poll_job(config: Config, retry: SendRetry | None = None) -> JobReport | None:
    with _PASS:
        report = _poll(config)
    if retry is not None:
        retry.note(report)
    if _SCAN_READER is not None:
        _SCAN_READER.wake()  # scans just recorded are read in its thread, not in this pass
    digest_catch_up(config)
    return report


@guarded
def retry_job(config: Config, retry: SendRetry) -> None:
    """A pass when replies wait for the SMTP server (see :class:`SendRetry`), else nothing."""
    if retry.waiting:
        poll_job(config, retry)


def _poll(config: Config) -> JobReport | None:
    try:
        report = jobs.poll(config, read_scans=_SCAN_READER is None)
        if report.mailbox_error:
            log.error("poll failed: %s", report.problem())
        else:
            log.info("poll: %s", report.summary())
            if report.problem():
                log.warning("poll: %s", report.problem())
        return report
    except LockedError as exc:
        log.info("poll skipped: %s", exc)
    except MailbotError as exc:
        log.error("poll failed: %s", exc)
    return None


class ScheduledPoll:
    """The scheduled poll; it notices when IDLE is offered but does not push.

    The scheduler wakes it every minute; it runs a pass when ``schedule.poll_minutes`` have
    passed since the last one (every minute once IDLE was found not to push). The interval is
    never changed in the scheduler from inside a running job: that would wait for the
    scheduler's lock, which its shutdown holds while it waits for the job.
    """

    def __init__(
        self,
        config: Config,
        status: idle.IdleStatus,
        clock: Callable[[], float] = time.monotonic,
        retry: SendRetry | None = None,
    ) -> None:
        self.config = config
        self.status = status
        self.retry = retry
        self.clock = clock
        self.interval = config.schedule.poll_minutes * 60.0
        self._last: float | None = None
        self._pushes_seen = 0
        self._watching_before = False
        self.shortened = False

    def __call__(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval - WAKE_SLACK_SECONDS:
            return
        self._last = now
        # IDLE must have been watching since the previous scheduled pass (the first pass at
        # start finds what arrived while the worker was down: that is no missed push)
        watched = self._watching_before and self.status.watching
        pushes_before = self.status.pushes
        report = poll_job(self.config, self.retry)
        found = report.messages.processed if report else 0
        if watched and found and pushes_before == self._pushes_seen and not self.shortened:
            self._shorten(found)
        self._pushes_seen = self.status.pushes
        self._watching_before = self.status.watching

    def _shorten(self, found: int) -> None:
        minutes = self.config.schedule.poll_minutes
        self.shortened = True
        if minutes <= SHORT_POLL_MINUTES:
            log.warning(
                "IMAP IDLE is offered but announced none of the %d new message(s) the "
                "scheduled poll found: the server does not push new mail",
                found,
            )
            return
        log.warning(
            "IMAP IDLE is offered but announced none of the %d new message(s) the "
            "scheduled poll found: the server does not push new mail (Cyrus: start "
            "idled); polling every %d min instead of %d",
            found,
            SHORT_POLL_MINUTES,
            minutes,
        )
        self.interval = SHORT_POLL_MINUTES * 60.0


@guarded
def digest_job(config: Config) -> None:
    if not config.digest.recipients:
        return
    try:
        if jobs.send_digest(config):
            log.info("digest sent")
    except MailbotError as exc:
        log.error("digest not sent: %s", exc)


@guarded
def digest_catch_up(config: Config, now: datetime | None = None) -> None:
    if not config.digest.recipients:
        return
    try:
        with jobs.open_store(config) as store:
            due = is_due(config, store, now or utcnow())
    except MailbotError as exc:
        log.error("digest check failed: %s", exc)
        return
    if due:
        digest_job(config)


def build_scheduler(
    config: Config, scheduled_poll: ScheduledPoll | None = None
) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=config.call.timezone)
    job = scheduled_poll or ScheduledPoll(config, idle.IdleStatus(), retry=SendRetry())
    if job.retry is not None:
        # replies left queued by an SMTP outage: tried again within a minute
        scheduler.add_job(
            retry_job,
            IntervalTrigger(seconds=RETRY_SECONDS, timezone=config.call.timezone),
            args=[config, job.retry],
            id="send-retry",
            max_instances=1,
            coalesce=True,
            misfire_grace_time=RETRY_SECONDS,
        )
    # woken every minute; the job itself keeps schedule.poll_minutes between passes
    scheduler.add_job(
        job,
        IntervalTrigger(minutes=SHORT_POLL_MINUTES, timezone=config.call.timezone),
        id="poll",
        max_instances=1,
        coalesce=True,
        next_run_time=datetime.now(config.call.timezone),
        misfire_grace_time=SHORT_POLL_MINUTES * 60,
    )
    scheduler.add_job(
        digest_job,
        CronTrigger(
            hour=config.digest.at.hour,
            minute=config.digest.at.minute,
            timezone=config.call.timezone,
        ),
        args=[config],
        id="digest",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=12 * 3600,
    )
    return scheduler


def run_worker(config: Config, stop: threading.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or until ``stop`` is set)."""
    global _SCAN_READER
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    status = idle.IdleStatus()
    retry = SendRetry()
    # scans are read with OCR in a thread of their own: the polls never wait for them
    _SCAN_READER = ScanReader(config, stop)
    _SCAN_READER.start()
    scheduler = build_scheduler(config, ScheduledPoll(config, status, retry=retry))
    scheduler.start()
    watcher = None
    if config.schedule.idle and config.imap is not None:
        watcher = threading.Thread(
            target=idle.watch,
            name="mailbot-idle",
            daemon=True,
            args=(config.imap, stop, lambda: poll_job(config, retry)),
            kwargs={"status": status},
        )
        watcher.start()
    log.info(
        "worker started: poll every %s min, digest at %s; IMAP IDLE: %s",
        config.schedule.poll_minutes,
        config.digest.at.strftime("%H:%M"),
        "asking the server" if watcher else "off (schedule.idle = false)",
    )
    try:
        stop.wait()
    finally:
        log.info("worker stopping")
        scheduler.shutdown(wait=True)
        if watcher is not None:
            watcher.join(timeout=30)
        _SCAN_READER.join(timeout=30)  # a read in progress is stopped at once (read again later)
        _SCAN_READER = None
