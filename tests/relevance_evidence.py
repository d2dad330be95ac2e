"""Made-up evidence for the relevance tests: the shipped call's vocabulary, attached files,
extraction results."""

from __future__ import annotations

from pathlib import Path

import parsers
from mailbot.config import load_config
from mailbot.mail.mime import AttachedFile
from mailbot.models import FormRead, FoundFiles
from mailbot.pipeline import relevance
from mailbot.pipeline.relevance import Evidence

REPO = Path(__file__).resolve().parents[1]
CALL = load_config(REPO / "config.toml").call
VOCAB = relevance.call_vocabulary(CALL)


def attached(name: str | None, kind: str = "pdf", refused: str | None = None) -> AttachedFile:
    return AttachedFile(
        part="2",
        filename=name,
        declared_type="application/pdf",
        kind=kind,
        data=b"x" * 20_000,
        sha256=name or "h",
        refused=refused,
    )


def result(readable: bool, reason: str | None = None, **fields: object) -> parsers.Extraction:
    values = parsers.empty_fields()
    values.update(fields)
    return parsers.Extraction(readable=readable, reason=reason, kind="pdf", fields=values)


def evidence(
    subject: str = "",
    text: str = "",
    files: tuple = (),
    *,
    thread: str | None = None,
    readable: bool = False,
    **kw: object,
) -> Evidence:
    found = FoundFiles(files=tuple(f for f, _ in files), truncated=None)
    chosen = next((f for f, r in files if r.readable), None) if readable else None
    extraction = next((r for _, r in files if r.readable), None) if readable else None
    forms = (FormRead(chosen=chosen, extraction=extraction, tried=tuple(files), refused=()),)
    return Evidence(
        subject=subject,
        text=text,
        found=found,
        forms=forms,
        thread=thread,
        keywords=CALL.keywords,
        vocabulary=VOCAB,
        **kw,  # type: ignore[arg-type]
    )


FORM = (attached("cokolwiek.docx", "docx"), result(True, full_name="Anna"))
BLANK = (attached("formularz-zgloszeniowy.docx", "docx"), result(True))
SCAN_NAMED = (attached("formularz_skan.pdf"), result(False, "scan"))
SCAN_CALL = (attached("formularz_nabor_grupy_robocze.pdf"), result(False, "scan"))
SCAN_PLAIN = (attached("IMG_0012.pdf"), result(False, "scan"))
SCAN_DKRES = (attached("lista_DKRES_16_05.pdf"), result(False, "scan"))
OTHER_FORM = (
    attached("formularz_zgloszeniowy_szkolenie.docx", "docx"),
    result(False, "not_the_form"),
)
