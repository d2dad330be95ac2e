"""The OCR stage: after ``record``, a scan's pages are read with Tesseract for the coordinator.

    … → record → send   ┄┄ later, off the path of other mail ┄┄→   OCR pre-fill

A scan's application is recorded and its ``needs_review`` letter queued at once, as for any
form a person has to read. This stage runs afterwards — in ``mailbot run`` in a thread of its
own, in ``mailbot poll`` / ``import`` after the replies are sent — and takes the pending scans
one at a time (:func:`read_next`): the files that are the pages of the application's form are
read in the OCR child process (:func:`mailbot.pipeline.isolate_scan.read_scan`, with its own clock
``limits.max_ocr_seconds`` and the memory cap), and what it read is stored beside the
application (:mod:`mailbot.storage.prefills`) together with the upright page images the
workspace shows. The values read never become the application's ``fields``, a status, a problem
or a letter: a person confirms them (:func:`mailbot.ops.review.confirm_prefill`). A read that
fails or hits a limit leaves the application plain ``needs_review``, with the reason stored.

Which pictures are pages of the form (:func:`looks_like_page`): a picture at least
:data:`MIN_PAGE_SIDE` pixels on its shorter side and at most :data:`MAX_PAGE_ASPECT` times as
long as it is wide — a page, photographed or scanned, whether attached or inline in the body;
not a logo, a banner or an icon of a signature.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from mailbot.config import LimitsConfig
from mailbot.mail.mime import AttachedFile
from mailbot.pipeline.isolate_scan import OCR_NO_ENGINE, OCR_STOPPED, read_scan
from mailbot.storage import prefills
from mailbot.storage.prefills import Claimed, PageFile
from mailbot.storage.store import Store, iso, utcnow
from parsers import FormSpec

log = logging.getLogger(__name__)

#: a picture shorter than this on its shorter side is not a page of the form (pixels)
MIN_PAGE_SIDE = 500
#: a picture longer than this times its width (or wider than this times its height) is a
#: banner or a strip, not a page (A4 is 1.41; a phone photo 1.33 or 1.78)
MAX_PAGE_ASPECT = 2.2
#: a scan still ``reading`` this long after its limit is taken to have lost its reader
STALE_AFTER = timedelta(seconds=60)
#: the suffix of the page images kept in the file store
PAGE_SUFFIX = ".page.png"


def picture_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a picture from its header (Pillow reads no pixels); None when the
    size cannot be told (a kind Pillow does not open here)."""
    try:
        from PIL import Image
    except ImportError:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except Exception:  # noqa: BLE001 - an unknown or broken picture: its size is not known
        return None
    return int(width), int(height)


def looks_like_page(f: AttachedFile) -> bool:
    """Whether an attached or inline picture may be a page of the form (see the module doc).
    A picture whose size cannot be told is taken as a page: a person looks at it anyway."""
    size = picture_size(f.data)
    if size is None:
        return True
    short, long = sorted(size)
    return short >= MIN_PAGE_SIDE and long <= MAX_PAGE_ASPECT * short


def _natural(name: str) -> tuple[object, ...]:
    return tuple(int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name))


def page_order(files: Sequence[PageFile]) -> list[PageFile]:
    """The files in the order of the form's pages: by name when every file has one ("skan 2"
    after "skan 1", "IMG_0012" after "IMG_0011"), else as attached."""
    if files and all(f.filename for f in files):
        return sorted(files, key=lambda f: (_natural(f.filename or ""), f.attachment_pk))
    return list(files)


@dataclass(frozen=True)
class ScanRead:
    """One scan the stage took: which application, and how it ended."""

    application_pk: int
    reference: str | None
    state: str  # done | failed | pending (stopped: read again later)
    reason: str | None
    seconds: float


def enqueue(store: Store) -> int:
    """Mark every recorded application whose form is a scan and has no pre-fill yet pending;
    scans that failed because Tesseract was missing are pending again once it is there."""
    if prefills.failed_for(store, OCR_NO_ENGINE):
        from parsers import ocr

        if ocr.engine() is not None:
            with store.transaction():
                prefills.requeue(store, OCR_NO_ENGINE, iso(utcnow()))
    with store.transaction():
        return prefills.enqueue_scans(store, iso(utcnow()))


def read_next(
    store: Store,
    spec: FormSpec,
    limits: LimitsConfig,
    stop: threading.Event | None = None,
) -> ScanRead | None:
    """Read the oldest pending scan and store what it gave; None when no scan is pending."""
    now = utcnow()
    stale = now - timedelta(seconds=limits.max_ocr_seconds) - STALE_AFTER
    with store.transaction():
        claimed = prefills.claim_next(store, iso(now), iso(stale))
    if claimed is None:
        return None
    if claimed.attempts > prefills.MAX_ATTEMPTS:
        return _fail(store, claimed, "crashed", f"{claimed.attempts - 1} reads did not end", 0.0)
    if not claimed.files:
        return _fail(store, claimed, "no_file", "the scan is not in the file store", 0.0)
    from parsers.ocr import OcrLimits

    started = time.monotonic()
    files = [store.read_file(p.file) for p in page_order(claimed.files)]
    result = read_scan(
        files, spec, OcrLimits(max_seconds=limits.max_ocr_seconds), limits.max_parse_memory, stop
    )
    if result.reason == OCR_STOPPED:
        with store.transaction():
            prefills.release(store, claimed.application_pk)
        return ScanRead(claimed.application_pk, claimed.reference, "pending", OCR_STOPPED, 0.0)
    pages = [
        store.save_file(png, hashlib.sha256(png).hexdigest(), PAGE_SUFFIX) for png in result.pages
    ]
    if not result.ok or result.prefill is None or result.engine is None:
        return _fail(store, claimed, result.reason or "unreadable", result.detail, result.seconds)
    with store.transaction():
        prefills.record_done(
            store,
            claimed.application_pk,
            prefill=result.prefill,
            engine=result.engine,
            pages=len(pages),
            page_files=pages,
            now=iso(utcnow()),
            seconds=result.seconds,
        )
        store.event(
            "ocr_done",
            claimed.message_pk,
            f"{claimed.reference} {len(pages)} page(s) read in {result.seconds:.1f} s "
            f"({result.engine})",
        )
    log.info(
        "scan of %s read with OCR: %d page(s), %.1f s",
        claimed.reference,
        len(pages),
        time.monotonic() - started,
    )
    return ScanRead(claimed.application_pk, claimed.reference, "done", None, result.seconds)


def _fail(store: Store, claimed: Claimed, reason: str, detail: str, seconds: float) -> ScanRead:
    with store.transaction():
        prefills.record_failed(
            store,
            claimed.application_pk,
            reason=reason,
            detail=detail,
            now=iso(utcnow()),
            seconds=seconds,
        )
        store.event("ocr_failed", claimed.message_pk, f"{claimed.reference} {reason}: {detail}")
    log.warning("scan of %s not read with OCR: %s (%s)", claimed.reference, reason, detail)
    return ScanRead(claimed.application_pk, claimed.reference, "failed", reason, seconds)
