"""Letters built by the real code: a config, a sample applicant, the validate stage, the
reply composer and the render environment of mailbot (used by the template tests and to print
sample letters: ``python tests/letters.py accepted``)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import sys
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import parsers
from mailbot.config import Config, load_config
from mailbot.mail.mime import AttachedFile
from mailbot.models import Envelope, FormRead, FoundFiles
from mailbot.pipeline.replies import ReplyInputs, compose_reply
from mailbot.pipeline.validate import Facts, validate

REPO = Path(__file__).resolve().parents[1]
OUTCOMES = ("accepted", "incomplete", "late", "early", "needs_review", "no_form", "limit_reached")

#: when a sample message arrived, relative to the call's window (for DKRES: 3 May 2024 09:15,
#: 14 May 2024 10:32 and 25 May 2024 08:05 in Warsaw)
BEFORE_OPENING = timedelta(days=2, hours=14, minutes=45)
AFTER_OPENING = timedelta(days=8, hours=10, minutes=32)
AFTER_CLOSING = timedelta(hours=8, minutes=5, seconds=1)


def received_for(config: Config, outcome: str) -> datetime:
    call = config.call
    if outcome == "early":
        return call.opens_at - BEFORE_OPENING
    if outcome == "late":
        return call.closes_at + AFTER_CLOSING
    return call.opens_at + AFTER_OPENING


DKRES_APPLICANT: dict[str, Any] = {
    "full_name": "Anna Kowalska",
    "organisation": "Centrum Integracji Społecznej w Oławie",
    "organisation_type": "CIS",
    "position": "Kierowniczka CIS",
    "address": "ul. Wrocławska 12\n55-200 Oława",
    "email": "a.kowalska@cis-olawa.example.pl",
    "phone": "kom. 601 234 567",
    "groups": [1, 4],
    "experience": "Od 2015 r. kieruję Centrum Integracji Społecznej w Oławie; prowadzę "
    "reintegrację zawodową i społeczną ok. 60 uczestników rocznie.\n"
    "W latach 2019–2023 koordynowałam partnerstwo lokalne na rzecz ekonomii "
    "społecznej.",
    "accepts_rules": True,
    "consents_gdpr": True,
    "place_and_date": "Oława, 14.05.2024",
}


def dkres_config() -> Config:
    return load_config(REPO / "config.toml")


def facts_for(
    config: Config,
    outcome: str,
    fields: Mapping[str, Any],
    received: datetime | None = None,
    subject: str = "Zgłoszenie – CIS Oława",
    filename: str = "formularz-zgloszeniowy.docx",
) -> Facts:
    when = received or received_for(config, outcome)
    envelope = Envelope(
        message_id="<sample.1@example.pl>",
        sender="a.kowalska@example.pl",
        subject=subject,
        references=(),
        received_at=when,
        received_at_source="internaldate",
        sha256="0" * 64,
        size=2048,
    )
    if outcome == "no_form":
        return Facts(envelope, FoundFiles((), None), FormRead(None, None, (), ()), config.call)
    data = b"sample form"
    attached = AttachedFile(
        "2", filename, "application/octet-stream", "docx", data, hashlib.sha256(data).hexdigest()
    )
    if outcome == "needs_review":
        extraction = parsers.Extraction(
            readable=False, reason="scan", kind="pdf", fields=config.form.empty_fields()
        )
        read = FormRead(None, None, ((attached, extraction),), ())
    else:
        values = config.form.empty_fields()
        values.update(fields)
        extraction = parsers.Extraction(readable=True, reason=None, kind="docx", fields=values)
        read = FormRead(attached, extraction, ((attached, extraction),), ())
    return Facts(envelope, FoundFiles((attached,), None), read, config.call)


def letter(
    config: Config,
    outcome: str,
    fields: Mapping[str, Any] | None = None,
    written_at: datetime | None = None,
    **kwargs: Any,
) -> tuple[str, str, str]:
    """(status decided by validate, subject, body) of the reply the real code composes
    (``written_at``: when it is composed; by default on receipt)."""
    facts = facts_for(config, outcome, DKRES_APPLICANT if fields is None else fields, **kwargs)
    verdict = validate(facts)
    template = "limit_reached" if outcome == "limit_reached" else verdict.status
    reply = compose_reply(
        ReplyInputs(
            facts.envelope,
            verdict,
            facts.form,
            config.call,
            f"{config.call.reference_prefix}-0007",
            template,
            config.limits.replies_per_sender_per_day,
            config.limits.max_attachment_bytes,
            written_at=written_at,
        )
    )
    assert reply is not None
    message = email.message_from_bytes(reply.raw, policy=email.policy.default)
    body = message.get_content().replace("\r\n", "\n")  # type: ignore[attr-defined]
    return verdict.status, str(message["Subject"]), body


if __name__ == "__main__":
    cfg = dkres_config() if len(sys.argv) < 3 else load_config(Path(sys.argv[2]))
    status, subj, text = letter(cfg, sys.argv[1] if len(sys.argv) > 1 else "accepted")
    print(f"Subject: {subj}\n\n{text}")
