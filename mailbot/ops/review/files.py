"""An application's stored files: the form with its proper name and type, and a Word or
LibreOffice form shown as PDF in the browser."""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from mailbot.errors import ReviewError
from mailbot.ops.review.fields import read_application
from mailbot.storage import review as review_store
from mailbot.storage.applications import Application
from mailbot.storage.store import Store
from parsers import office as parsers_office

EXTENSIONS: Mapping[str, str] = {
    "pdf": ".pdf",
    "docx": ".docx",
    "odt": ".odt",
    "doc": ".doc",
    "rtf": ".rtf",
    "image": "",
    "zip": ".zip",
}
CONTENT_TYPES: Mapping[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".doc": "application/msword",
    ".rtf": "application/rtf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True)
class StoredFile:
    attachment_pk: int
    path: Path  # inside the file store, checked
    download_name: str  # the original name with its proper extension, made safe
    content_type: str

    @property
    def inline(self) -> bool:
        return self.content_type == "application/pdf"


def _safe_name(name: str | None, fallback: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "_", base).strip(" .")
    return base[:120] or fallback


def stored_file(store: Store, attachment_pk: int) -> StoredFile:
    """An attached file with its proper name and type; never a path outside the store."""
    row = review_store.stored_attachment(store, attachment_pk)
    if row is None or not row.file:
        raise ReviewError(f"no stored file for attachment {attachment_pk}")
    filename, kind, rel = row.filename, row.kind, row.file
    root = store.files.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ReviewError(f"no stored file for attachment {attachment_pk}")
    name = _safe_name(filename, f"zalacznik-{attachment_pk}")
    suffix = Path(name).suffix.lower()
    proper = EXTENSIONS.get(kind or "", "")
    if proper and suffix != proper:
        name += proper
        suffix = proper
    return StoredFile(
        attachment_pk, path, name, CONTENT_TYPES.get(suffix, "application/octet-stream")
    )


PREVIEW_KINDS = ("docx", "odt", "doc", "rtf")
PREVIEW_SUFFIX = ".preview.pdf"  # beside the file; a purge removes it with the file


def pdf_preview(
    store: Store,
    attachment_pk: int,
    timeout: float = 60.0,
    max_memory: int = parsers_office.DEFAULT_MAX_MEMORY,
) -> Path | None:
    """A Word/LibreOffice form as PDF for the browser (LibreOffice headless, under the memory
    cap of a process reading a file and ``timeout``; made once, kept private beside the file).
    None when the file is not such a form, LibreOffice is missing or the conversion fails."""
    row = review_store.stored_attachment(store, attachment_pk)
    if row is None or row.kind not in PREVIEW_KINDS or not row.sha256:
        return None
    source = stored_file(store, attachment_pk)
    sha = str(row.sha256)
    cached = store.files / f"{sha[:2]}/{sha}{PREVIEW_SUFFIX}"
    if cached.is_file():
        return cached
    soffice = parsers_office.find_soffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="mailbot-preview-") as tmp:
        src = Path(tmp) / f"form.{row.kind}"
        src.write_bytes(source.path.read_bytes())
        try:
            parsers_office.run_soffice(soffice, src, "pdf", timeout=timeout, max_memory=max_memory)
        except (subprocess.TimeoutExpired, OSError):
            return None
        pdf = src.with_suffix(".pdf")
        if not pdf.is_file():
            return None
        store.save_file(pdf.read_bytes(), sha, PREVIEW_SUFFIX)
    return cached


def preview_possible(store: Store, attachment_pk: int) -> bool:
    """Whether the file can be shown as PDF: a Word/LibreOffice form and LibreOffice present."""
    row = review_store.stored_attachment(store, attachment_pk)
    return bool(row and row.kind in PREVIEW_KINDS and parsers_office.find_soffice())


def form_file(store: Store, app: Application | str) -> StoredFile | None:
    """The application's stored form (``app`` as read, or its reference number), or None."""
    found = read_application(store, app) if isinstance(app, str) else app
    if not found.attachment_pk:
        return None
    try:
        return stored_file(store, found.attachment_pk)
    except ReviewError:
        return None
