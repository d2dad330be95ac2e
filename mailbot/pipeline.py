"""The pipeline, in one place.

    fetch → classify → find the form → extract → validate → store (+ queue the reply) → send

``fetch`` is a source (:mod:`mailbot.imap` or :mod:`mailbot.sources`) yielding
:class:`RawMessage` values; :func:`process` runs the middle stages for one message and commits
its whole outcome — message, files, application, queued reply, IMAP high-water mark — in one
transaction (the store stage, :mod:`mailbot.record`); :func:`mailbot.outbox.send_pending` then
sends what is queued. A failure in one message is counted and the loop moves on: the
message is tried again on later passes and, after ``limits.max_attempts`` failures, set aside
as disposition ``error`` for a person.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import parsers
from parsers import Extraction, FormSpec, ParseLimits

from .classify import classify
from .config import CallConfig, LimitsConfig
from .errors import StorageError
from .isolate import extract as isolated_extract
from .mime import walk_files
from .models import Classified, FormRead, FoundFiles, Outcome, RawMessage
from .progress import Progress
from .record import (
    already_recorded,
    forget_failure,
    note_failure,
    record_application,
    record_message,
)
from .store import Store, utcnow
from .validate import Facts, validate

log = logging.getLogger(__name__)

MAX_FORM_CANDIDATES = 10


@dataclass(frozen=True)
class Context:
    """What the middle stages need, passed explicitly (no global configuration)."""

    call: CallConfig
    form: FormSpec
    limits: LimitsConfig
    store: Store
    now: Callable[[], datetime] = field(default=utcnow)


# --- stages ----------------------------------------------------------------------------------


def find_form(seen: Classified, limits: LimitsConfig) -> FoundFiles:
    """Walk the whole MIME tree for attached files (the body of an oversized message is not)."""
    if seen.envelope.size > limits.max_message_bytes:
        return FoundFiles(files=(), truncated=f"message larger than {limits.max_message_bytes} "
                          "bytes")
    walk = walk_files(seen.message, max_parts=limits.max_parts, max_depth=limits.max_depth,
                      max_bytes=limits.max_attachment_bytes)
    return FoundFiles(files=walk.files, truncated=walk.truncated)


def extract_form(found: FoundFiles, spec: FormSpec, limits: ParseLimits) -> FormRead:
    """Read candidate files until one is the form; keep what every attempt said.

    Documents are tried first; pictures (a photographed form) only when no document was the
    form, and small ones (logos, signature icons) not at all.
    """
    documents = [f for f in found.candidates if f.kind != "image"]
    pictures = [f for f in found.candidates if f.kind == "image"]
    tried = [(f, _extract_one(f.data, f.kind, spec, limits))
             for f in documents[:MAX_FORM_CANDIDATES]]
    readable = [(f, r) for f, r in tried if r.readable]
    if not readable:
        tried += [(f, _extract_one(f.data, f.kind, spec, limits))
                  for f in pictures[:MAX_FORM_CANDIDATES]]
    chosen, extraction = (None, None)
    if readable:
        # several readable forms (a DOCX and its PDF): the one with most fields read
        chosen, extraction = max(readable, key=lambda fr: _filled(fr[1].fields))
    refused = tuple(f for f in found.files if f.refused)
    return FormRead(chosen=chosen, extraction=extraction, tried=tuple(tried), refused=refused)


def _extract_one(data: bytes, kind: str, spec: FormSpec, limits: ParseLimits) -> Extraction:
    """parsers.extract never raises by contract; a file that breaks it anyway is unreadable."""
    try:  # in a child process with a wall-clock and memory limit (mailbot.isolate)
        return isolated_extract(data, spec, limits)
    except Exception as exc:
        log.exception("extractor failed on a %s attachment", kind)
        return Extraction(readable=False, reason="corrupt", kind=kind,
                          fields=parsers.empty_fields(), sources={},
                          detail=f"extractor failed: {type(exc).__name__}")


def _filled(fields: Mapping[str, object]) -> int:
    return sum(1 for v in fields.values() if v not in (None, "", [], False))


# --- one message -----------------------------------------------------------------------------


def process(raw: RawMessage, ctx: Context) -> Outcome:
    """classify → find the form → extract → validate → store (+ queue the reply)."""
    skip = already_recorded(raw, ctx.store)
    if skip:
        return Outcome(None, "skipped", reason=skip)
    seen = classify(raw, known_message_id=ctx.store.message_id_known,
                    max_message_bytes=ctx.limits.max_message_bytes, now=ctx.now())
    if seen.disposition != "application":
        return record_message(seen, ctx)
    found = find_form(seen, ctx.limits)
    read = extract_form(found, ctx.form, ctx.limits.parse)
    verdict = validate(Facts(seen.envelope, found, read, ctx.call))
    return record_application(seen, found, read, verdict, ctx)


def process_safely(raw: RawMessage, ctx: Context) -> Outcome:
    """:func:`process`; any failure but a storage failure is counted and retried later."""
    try:
        outcome = process(raw, ctx)
    except StorageError:
        raise  # nothing can be recorded: stop the pass, the message stays unprocessed
    except Exception as exc:  # one bad message must not stop the others
        log.exception("message uid=%s failed in the pipeline", raw.uid)
        return note_failure(raw, ctx, exc)
    if raw.retry:
        forget_failure(raw, ctx.store)
    return outcome


@dataclass
class PassReport:
    """Counts of one pass (mutable while the pass runs; returned when it ends)."""

    processed: int = 0
    skipped: int = 0
    deferred: int = 0
    by_disposition: dict[str, int] = field(default_factory=dict)
    by_status: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: Outcome) -> None:
        if outcome.disposition == "skipped":
            self.skipped += 1
            return
        if outcome.disposition == "deferred":
            self.deferred += 1
            return
        self.processed += 1
        self.by_disposition[outcome.disposition] = \
            self.by_disposition.get(outcome.disposition, 0) + 1
        if outcome.status:
            self.by_status[outcome.status] = self.by_status.get(outcome.status, 0) + 1


def run_messages(messages: Iterable[RawMessage], ctx: Context,
                 progress: Progress | None = None,
                 report: PassReport | None = None) -> PassReport:
    """Process each message in turn, committing each; add the outcomes to ``report``."""
    report = report if report is not None else PassReport()
    for raw in messages:
        outcome = process_safely(raw, ctx)
        report.add(outcome)
        log.info("message %s: %s %s", outcome.message_pk, outcome.disposition,
                 outcome.status or outcome.reason or "")
        if progress:
            progress.advance(outcome)
    return report
