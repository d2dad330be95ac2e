"""The pipeline, in one place.

    fetch → classify → find the form → extract → relevance → validate → compose → record → send
                                                                  (scans, later:) → OCR pre-fill

``fetch`` is a source (:mod:`mailbot.mail.imap` or :mod:`mailbot.mail.sources`) yielding
:class:`RawMessage` values. ``classify`` sets robots and duplicates aside; the reading stages
(:func:`judge`) find and read the forms, decide whether the message is an application,
correspondence or unrelated (:mod:`mailbot.pipeline.relevance`) and validate each application;
``compose`` (:mod:`mailbot.pipeline.compose`) numbers the applications and composes the letters
the reply policy (:mod:`mailbot.pipeline.policy`) allows, reading the store only; ``record``
(:mod:`mailbot.pipeline.record`) then writes the whole outcome — message, files, applications,
queued letters, IMAP high-water mark — in one transaction that only writes;
:func:`mailbot.mail.outbox.send_pending` sends what is queued. A scan's application is
recorded and answered like any form a person reads; its pages are read with OCR afterwards, off
the path of other mail (:mod:`mailbot.pipeline.ocr`), and what OCR read never decides anything.
A failure in one message is counted and the loop moves on: the message is tried again on later
passes and, after ``limits.max_attempts`` failures, set aside as disposition ``error`` for a
person.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from email.message import Message

from mailbot.config import LimitsConfig
from mailbot.errors import StorageError
from mailbot.mail.mime import AttachedFile, walk_files
from mailbot.models import (
    ApplicationDraft,
    Classified,
    FormRead,
    FoundFiles,
    Judged,
    Outcome,
    RawMessage,
    ReadAhead,
    Relevant,
)
from mailbot.pipeline import policy, relevance
from mailbot.pipeline.applicants import applicant_key, name_of, shared_address_groups
from mailbot.pipeline.classify import classify, parse
from mailbot.pipeline.compose import compose
from mailbot.pipeline.context import Context
from mailbot.pipeline.isolate import extract as isolated_extract
from mailbot.pipeline.isolate import read_ahead as hand_to_reader
from mailbot.pipeline.known import already_recorded, thread_of
from mailbot.pipeline.ocr import looks_like_page
from mailbot.pipeline.record import forget_failure, note_failure, record_judged, record_message
from mailbot.pipeline.relevance.learned import learned_for, wrote_about_call
from mailbot.pipeline.report import PassReport
from mailbot.pipeline.texts import size_text
from mailbot.pipeline.validate import (
    CORRECTION_LETTERS,
    Facts,
    correction_deadline,
    validate,
)
from mailbot.progress import Progress
from mailbot.storage import replies as replies_store
from parsers import Extraction, FormSpec, ParseLimits

log = logging.getLogger(__name__)

MAX_FORM_CANDIDATES = 10
#: the stages in the order one message walks them, each with the module that holds it (a
#: package holds its modules too); fetch is the files' source here (IMAP: mailbot.mail.imap),
#: find the form is MIME reading, shared with classify. ``tests/bench/walk.py`` follows a
#: message through them: each is entered once, in this order.
STAGE_MODULES: tuple[tuple[str, str], ...] = (
    ("fetch", "mailbot.mail.sources"),
    ("classify", "mailbot.pipeline.classify"),
    ("extract", "mailbot.pipeline.isolate"),
    ("relevance", "mailbot.pipeline.relevance"),
    ("validate", "mailbot.pipeline.validate"),
    ("compose", "mailbot.pipeline.compose"),
    ("record", "mailbot.pipeline.record"),
    ("send", "mailbot.mail.outbox"),
)


# --- stages ----------------------------------------------------------------------------------


def find_form(seen: Classified, limits: LimitsConfig) -> FoundFiles:
    """Walk the whole MIME tree for attached files (the body of an oversized message is not)."""
    return _files(seen.message, seen.envelope.size, limits)


def _files(message: Message, size: int, limits: LimitsConfig) -> FoundFiles:
    if size > limits.max_message_bytes:
        return FoundFiles(
            files=(),
            truncated=f"jest większa niż {size_text(limits.max_message_bytes)}",
        )
    walk = walk_files(
        message,
        max_parts=limits.max_parts,
        max_depth=limits.max_depth,
        max_bytes=limits.max_attachment_bytes,
    )
    return FoundFiles(files=walk.files, truncated=walk.truncated)


def extract_forms(found: FoundFiles, spec: FormSpec, limits: ParseLimits) -> tuple[FormRead, ...]:
    """Read candidate files; one :class:`FormRead` per applicant whose form was read.

    Documents are tried first; pictures (a photographed or scanned form, attached or inline in
    the body) only when no document was the form, and only those that look like a page
    (:func:`~mailbot.pipeline.ocr.looks_like_page`: not logos, banners or signature icons).
    Scans are never readable: several pictures that are pages of one form give one result,
    whose scanned files the OCR stage (:mod:`mailbot.pipeline.ocr`) reads later as its pages.
    Readable forms of different people (a secretariat sending two candidates) give one result
    each; the same person's form in two files (a DOCX and its PDF) gives one, the file with most
    fields read. When nothing is readable there is one result without a chosen file, holding
    what every attempt said.
    """
    documents = found.documents
    pictures = [f for f in found.candidates if f.kind == "image" and looks_like_page(f)]
    tried = [
        (f, _extract_one(f.data, f.kind, spec, limits)) for f in documents[:MAX_FORM_CANDIDATES]
    ]
    readable = [(f, r) for f, r in tried if r.readable]
    if not readable:
        tried += [
            (f, _extract_one(f.data, f.kind, spec, limits)) for f in pictures[:MAX_FORM_CANDIDATES]
        ]
        readable = [(f, r) for f, r in tried if r.readable]
    refused = tuple(f for f in found.files if f.refused)
    if not readable:
        return (FormRead(chosen=None, extraction=None, tried=tuple(tried), refused=refused),)
    by_person: dict[str, list[tuple[AttachedFile, Extraction]]] = {}
    keys = [applicant_key(r.fields, None, "", spec) for _f, r in readable]
    people = shared_address_groups(
        [(k, name_of(r.fields, spec)) for k, (_f, r) in zip(keys, readable, strict=True)]
    )
    for (f, r), key in zip(readable, people, strict=True):
        by_person.setdefault(key if key != "message:" else "", []).append((f, r))
    if "" in by_person and len(by_person) > 1:
        # a form naming nobody belongs with the others only when there is one other person
        unnamed = by_person.pop("")
        if len(by_person) == 1:
            next(iter(by_person.values())).extend(unnamed)
        else:
            by_person[""] = unnamed
    reads = []
    for forms in by_person.values():
        chosen, extraction = max(forms, key=lambda fr: _filled(fr[1].fields))
        reads.append(
            FormRead(chosen=chosen, extraction=extraction, tried=tuple(tried), refused=refused)
        )
    return tuple(reads)


def _extract_one(data: bytes, kind: str, spec: FormSpec, limits: ParseLimits) -> Extraction:
    """parsers.extract never raises by contract; a file that breaks it anyway is unreadable."""
    try:  # in a child process with a wall-clock and memory limit (mailbot.pipeline.isolate)
        return isolated_extract(data, spec, limits)
    except Exception as exc:
        log.exception("extractor failed on a %s attachment", kind)
        return Extraction(
            readable=False,
            reason="corrupt",
            kind=kind,
            fields=spec.empty_fields(),
            sources={},
            detail=f"extractor failed: {type(exc).__name__}",
        )


def _filled(fields: Mapping[str, object]) -> int:
    return sum(1 for v in fields.values() if v not in (None, "", [], False))


# --- one message -----------------------------------------------------------------------------


def judge(
    seen: Classified,
    ctx: Context,
    decided: Relevant | None = None,
    found: FoundFiles | None = None,
) -> Judged:
    """The reading stages for a person's message: find the form → extract → relevance →
    validate (each application found). ``decided`` is a person's decision overriding the
    relevance rules (the signals are still recorded); ``found`` the files found when the
    message was read ahead."""
    found = found if found is not None else find_form(seen, ctx.limits)
    reads = extract_forms(found, ctx.form, ctx.limits.parse)
    env = seen.envelope
    thread, related = thread_of(env, ctx.store, ctx.call.reference_prefix)
    text = relevance.own_text(relevance.body_text(seen.message))
    evidence = relevance.Evidence(
        subject=env.subject,
        text=text,
        found=found,
        forms=reads,
        thread=thread,
        keywords=ctx.call.keywords,
        from_call=(env.sender or "").lower() == ctx.call.address.lower(),
        from_colleague=policy.is_colleague(env.sender, ctx.call.address),
        vocabulary=relevance.call_vocabulary(ctx.call),
        bulk=seen.no_reply,
        applicant=thread is None
        and (related is not None or wrote_about_call(ctx.store, env.sender, env.received_at)),
        learned=learned_for(ctx.store, env.sender, (*env.references, env.message_id)),
    )
    judged = relevance.judge(evidence, related_application=related)
    if decided is not None:  # a person's decision: an application of hers gets its letter
        judged = replace(
            judged,
            disposition=decided,
            reason="decyzja pracownika" if decided != judged.disposition else judged.reason,
            strong="decyzja pracownika" if decided == "application" else None,
        )
    drafts: tuple[ApplicationDraft, ...] = ()
    if judged.disposition == "application":
        filled = tuple(read for read in reads if relevance.is_filled(read))
        until = correction_period(seen, ctx)
        drafts = tuple(_draft(seen, found, read, ctx, until) for read in filled or reads)
    return Judged(seen=seen, found=found, relevance=judged, applications=drafts)


def correction_period(seen: Classified, ctx: Context) -> datetime | None:
    """After closes_at: the end of the correction period a letter gave this sender
    (``call.corrections_days`` from the latest letter asking for a correction), if any."""
    env, days = seen.envelope, ctx.call.corrections_days
    if not days or not env.sender or env.received_at <= ctx.call.closes_at:
        return None
    with ctx.store.reading():
        asked = replies_store.last_correction_request(
            ctx.store,
            env.sender.lower(),
            CORRECTION_LETTERS,
            since=env.received_at - timedelta(days=days + 1),
            until=env.received_at,
        )
    return correction_deadline(ctx.call, asked) if asked else None


def _draft(
    seen: Classified,
    found: FoundFiles,
    read: FormRead,
    ctx: Context,
    correction_until: datetime | None = None,
) -> ApplicationDraft:
    verdict = validate(Facts(seen.envelope, found, read, ctx.call, correction_until))
    fields = read.extraction.fields if read.extraction and read.extraction.readable else {}
    email = fields.get(ctx.form.email_key or "")
    return ApplicationDraft(
        form=read,
        verdict=verdict,
        applicant_key=applicant_key(fields, seen.envelope.sender, seen.envelope.sha256, ctx.form),
        applicant_email=email.strip().lower() if isinstance(email, str) and email.strip() else None,
    )


def process(raw: RawMessage, ctx: Context, ahead: ReadAhead | None = None) -> Outcome:
    """classify → (find the form → extract → relevance → validate) → compose → record.
    ``ahead``: this message's parse and files, when it was read ahead (:func:`read_ahead`)."""
    skip = already_recorded(raw, ctx.store)
    if skip:
        return Outcome(None, "skipped", reason=skip)
    ahead = ahead if ahead is not None and ahead.raw is raw else None
    seen = classify(
        raw,
        known_message_id=ctx.store.message_id_known,
        max_message_bytes=ctx.limits.max_message_bytes,
        now=ctx.now(),
        parsed=ahead.message if ahead else None,
    )
    if seen.disposition is not None:
        return record_message(seen, ctx)
    judged = judge(seen, ctx, found=ahead.found if ahead else None)
    composed = compose(judged, ctx)  # reads only: numbers and letters, outside the transaction
    return record_judged(judged, composed, ctx)


def process_safely(raw: RawMessage, ctx: Context, ahead: ReadAhead | None = None) -> Outcome:
    """:func:`process`; any failure but a storage failure is counted and retried later."""
    try:
        outcome = process(raw, ctx, ahead)
    except StorageError:
        raise  # nothing can be recorded: stop the pass, the message stays unprocessed
    except Exception as exc:  # one bad message must not stop the others
        log.exception("message uid=%s failed in the pipeline", raw.uid)
        return note_failure(raw, ctx, exc)
    if raw.retry:
        forget_failure(raw, ctx.store)
    return outcome


def run_messages(
    messages: Iterable[RawMessage],
    ctx: Context,
    progress: Progress | None = None,
    report: PassReport | None = None,
) -> PassReport:
    """Process each message in turn, committing each; add the outcomes to ``report``.

    While one message is processed, the next one is read ahead (:func:`read_ahead`): its
    first document is read by the reader process in parallel."""
    report = report if report is not None else PassReport()
    ahead: ReadAhead | None = None
    for raw, following in _with_following(messages):
        this, ahead = ahead, (read_ahead(following, ctx) if following is not None else None)
        outcome = process_safely(raw, ctx, this)
        report.add(outcome)
        log.info(
            "message %s: %s %s",
            outcome.message_pk,
            outcome.disposition,
            outcome.status or outcome.reason or "",
        )
        if progress:
            progress.advance(outcome)
    return report


def read_ahead(raw: RawMessage, ctx: Context) -> ReadAhead | None:
    """Prepare a message while the one before it is processed: parse it, find its files, and
    hand its first document to the reader (:func:`mailbot.pipeline.isolate.read_ahead`),
    which reads it in parallel. Nothing is decided or written here: the message then walks
    every stage in turn, with this parse and these files. None for a message judged by its
    headers only, or one whose preparation failed (it is then read in its turn)."""
    if len(raw.raw) > ctx.limits.max_message_bytes:
        return None
    try:
        message = parse(raw, ctx.limits.max_message_bytes)
        found = _files(message, len(raw.raw), ctx.limits)
        documents = found.documents
        if documents:
            hand_to_reader(documents[0].data, ctx.form, ctx.limits.parse)
    except Exception:
        log.debug("message uid=%s not read ahead", raw.uid, exc_info=True)
        return None
    return ReadAhead(raw, message, found)


def _with_following(
    messages: Iterable[RawMessage],
) -> Iterator[tuple[RawMessage, RawMessage | None]]:
    """Each message with the one after it (None for the last). A failure to get the next
    message comes after this one is processed."""
    source = iter(messages)
    current = next(source, None)
    while current is not None:
        try:
            following = next(source, None)
        except Exception:
            yield current, None
            raise
        yield current, following
        current = following
