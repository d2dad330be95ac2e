"""``mailbot run``: the resident worker (APScheduler, plus IMAP IDLE).

A poll every ``schedule.poll_minutes`` (never two at once, missed runs coalesced), and — with
``schedule.idle`` (default on) and a server that offers it — a poll within seconds of each
delivery, announced by IMAP IDLE; the scheduled poll stays as the safety net. The digest goes out
daily at ``digest.at`` in the call's time zone, and after every poll a check makes sure today's
digest went out, so one missed while the worker was down is sent when it comes back. SIGTERM or
SIGINT stop it cleanly: the running pass finishes, then the worker exits.

Every job is :func:`guarded`: whatever it raises is logged and the worker (and the IDLE
thread, which runs the poll job itself) keeps running; the next run tries again.
"""

from __future__ import annotations

import functools
import logging
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from typing import ParamSpec

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from . import idle, jobs
from .config import Config
from .digest import is_due
from .errors import LockedError, MailbotError
from .store import utcnow

log = logging.getLogger(__name__)


_PASS = threading.Lock()  # IDLE-triggered and scheduled passes of this worker take turns

P = ParamSpec("P")


def guarded(job: Callable[P, None]) -> Callable[P, None]:
    """The job, with any exception it raises logged instead of ending its thread."""

    @functools.wraps(job)
    def run(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            job(*args, **kwargs)
        except Exception:  # the worker outlives any one failed job
            log.exception("%s failed; the worker goes on and tries again at the next run",
                          job.__name__)

    return run


@guarded
def poll_job(config: Config) -> None:
    with _PASS:
        _poll(config)
    digest_catch_up(config)


def _poll(config: Config) -> None:
    try:
        report = jobs.poll(config)
        log.info("poll: %s", report.summary())
        if report.problem():
            log.warning("poll: %s", report.problem())
    except LockedError as exc:
        log.info("poll skipped: %s", exc)
    except MailbotError as exc:
        log.error("poll failed: %s", exc)


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


def build_scheduler(config: Config) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone=config.call.timezone)
    scheduler.add_job(poll_job, IntervalTrigger(minutes=config.schedule.poll_minutes),
                      args=[config], id="poll", max_instances=1, coalesce=True,
                      next_run_time=datetime.now(config.call.timezone),
                      misfire_grace_time=config.schedule.poll_minutes * 60)
    scheduler.add_job(digest_job, CronTrigger(hour=config.digest.at.hour,
                                              minute=config.digest.at.minute,
                                              timezone=config.call.timezone),
                      args=[config], id="digest", max_instances=1, coalesce=True,
                      misfire_grace_time=12 * 3600)
    return scheduler


def run_worker(config: Config, stop: threading.Event | None = None) -> None:
    """Run until SIGTERM/SIGINT (or until ``stop`` is set)."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
    scheduler = build_scheduler(config)
    scheduler.start()
    watcher = None
    if config.schedule.idle and config.imap is not None:
        watcher = threading.Thread(target=idle.watch, name="mailbot-idle", daemon=True,
                                   args=(config.imap, stop, lambda: poll_job(config)))
        watcher.start()
    log.info("worker started: poll every %s min%s, digest at %s",
             config.schedule.poll_minutes, " and on IMAP IDLE" if watcher else "",
             config.digest.at.strftime("%H:%M"))
    try:
        stop.wait()
    finally:
        log.info("worker stopping")
        scheduler.shutdown(wait=True)
        if watcher is not None:
            watcher.join(timeout=30)
