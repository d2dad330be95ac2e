"""``extract``: one file's bytes in, an Extraction out, never an exception.

The readers, the label matcher and their libraries (lxml, pypdf, rapidfuzz) are imported on
the first file that needs them, so a process that reads no form does not load them.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from typing import TYPE_CHECKING

from parsers.model import Extraction, ParseLimits
from parsers.sniff import sniff
from parsers.spec import DEFAULT_FORM, FormSpec
from parsers.zipsafe import Refused

if TYPE_CHECKING:
    from parsers.flow import Block

log = logging.getLogger("parsers")

CONVERTIBLE = frozenset({"doc", "rtf"})


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise Refused("limit_exceeded", "time budget for one file used up")


def _unreadable(spec: FormSpec, kind: str, reason: str, detail: str | None) -> Extraction:
    return Extraction(
        readable=False,
        reason=reason,
        kind=kind,
        fields=spec.empty_fields(),
        sources={},
        detail=detail,
    )


def extract(
    data: bytes, spec: FormSpec | None = None, limits: ParseLimits | None = None
) -> Extraction:
    """Read the form's fields from one file. Never raises: anything that goes wrong becomes
    ``readable=False`` with a reason code (and a detail without any form contents)."""
    spec = spec if spec is not None else DEFAULT_FORM
    limits = limits if limits is not None else ParseLimits()
    kind = "unknown"
    try:
        if not isinstance(data, bytes | bytearray | memoryview):
            return _unreadable(spec, kind, "corrupt", "input is not bytes")
        data = bytes(data)
        kind = sniff(data)
        if len(data) > limits.max_bytes:
            return _unreadable(
                spec, kind, "too_large", f"{len(data)} bytes (limit {limits.max_bytes})"
            )
        return _extract(data, kind, spec, limits, Deadline(limits.max_seconds))
    except Refused as exc:
        return _unreadable(spec, kind, exc.reason, exc.detail)
    except RecursionError:
        return _unreadable(spec, kind, "corrupt", "document nested too deeply")
    except MemoryError:
        return _unreadable(spec, kind, "limit_exceeded", "out of memory while reading")
    except Exception as exc:  # noqa: BLE001 - the contract: never raise for any input
        log.warning("extractor error on a %s file: %s", kind, type(exc).__name__)
        return _unreadable(spec, kind, "corrupt", f"cannot be read ({type(exc).__name__})")


def _extract(
    data: bytes, kind: str, spec: FormSpec, limits: ParseLimits, deadline: Deadline
) -> Extraction:
    if kind == "docx":
        return _docx(data, kind, spec, limits, deadline)
    if kind == "odt":
        from parsers import odt

        blocks, chars, media = odt.read(data, limits)
        deadline.check()
        return _flow(blocks, chars, media, spec, kind)
    if kind == "pdf":
        from pypdf.errors import DependencyError

        from parsers import pdf
        from parsers.text import matcher_for

        try:
            return pdf.extract_pdf(data, matcher_for(spec), limits, deadline)
        except DependencyError:
            return _unreadable(
                spec,
                kind,
                "encrypted",
                "AES-encrypted PDF: opening it needs the optional 'cryptography' package",
            )
    if kind in CONVERTIBLE:
        from parsers import office

        converted = office.convert_to_docx(data, kind, limits, deadline)
        ext = _docx(converted, "docx", spec, limits, deadline)
        return replace(
            ext, kind=kind, sources={k: f"converted {v}" for k, v in ext.sources.items()}
        )
    if kind == "image":
        return _unreadable(spec, kind, "scan", "an image: no machine-readable text")
    return _unreadable(spec, kind, "unsupported_format", f"file kind {kind!r} is not a form format")


def _docx(
    data: bytes, kind: str, spec: FormSpec, limits: ParseLimits, deadline: Deadline
) -> Extraction:
    from parsers import docx
    from parsers.zipsafe import open_zip

    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return _unreadable(spec, kind, "encrypted", "password-protected Office document")
    zf = open_zip(data, limits)
    blocks, chars, media = docx.read_blocks(zf, limits)
    deadline.check()
    return _flow(blocks, chars, media, spec, kind)


def _flow(blocks: list[Block], chars: int, media: bool, spec: FormSpec, kind: str) -> Extraction:
    """The fields of a flow document (DOCX, ODT) from its paragraphs and table rows."""
    from parsers.flow import assemble, block_texts
    from parsers.text import matcher_for

    if chars == 0:
        if media:
            return _unreadable(spec, kind, "scan", "only images, no text")
        return _unreadable(spec, kind, "not_the_form", "the document has no text")
    matcher = matcher_for(spec)
    identification = spec.identifier().identify(block_texts(blocks))
    return assemble(blocks, matcher).extraction(matcher, kind, identification)
