"""mailbot/models.py: the values that flow through the pipeline and what they derive."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest

from mailbot.mail.mime import MIN_PICTURE_BYTES, AttachedFile
from mailbot.models import (
    DISPOSITIONS,
    STATUSES,
    Composed,
    ComposedReply,
    Finding,
    FoundFiles,
    Letter,
    Problem,
    RawMessage,
    Relevance,
    Verdict,
)
from mailbot.names import ApplicationStatus


def attached(part: str, kind: str, data: bytes = b"x" * 10, refused: str | None = None):
    return AttachedFile(
        part,
        f"plik{part}",
        "application/octet-stream",
        kind,
        data,
        hashlib.sha256(data).hexdigest(),
        refused,
    )


def test_a_raw_message_is_known_by_the_hash_of_its_bytes_and_is_frozen():
    raw = RawMessage(b"From: anna@example.pl\r\n\r\nformularz", "imap", "INBOX", 7, 3)
    assert raw.sha256 == hashlib.sha256(raw.raw).hexdigest()
    assert raw.sha256 is raw.sha256  # computed once
    with pytest.raises(dataclasses.FrozenInstanceError):
        raw.uid = 4  # type: ignore[misc]


def test_the_candidates_are_the_files_that_may_be_the_form():
    docx, pdf = attached("2", "docx"), attached("3", "pdf")
    icon = attached("4", "image", b"\x89PNG" + b"0" * 10)
    photo = attached("5", "image", b"\xff\xd8" + b"0" * MIN_PICTURE_BYTES)
    big = attached("6", "pdf", refused="za duży")
    text = attached("7", "text")
    found = FoundFiles((docx, pdf, icon, photo, big, text), truncated=None)
    assert found.candidates == (docx, pdf, photo)


def test_signals_and_codes_in_the_order_found():
    relevance = Relevance(
        "application",
        "formularz",
        (Finding("form_read", "odczytano formularz", 3.0), Finding("keywords", "nabór", 0.4)),
        excerpt="",
    )
    assert relevance.signals == ("form_read", "keywords")
    verdict = Verdict(
        "incomplete",
        (Problem("missing_phone", "brak telefonu", "dopisz"), Problem("no_consent", "x", "y")),
    )
    assert verdict.codes == ["missing_phone", "no_consent"]


def test_only_letters_not_yet_found_in_sent_are_to_be_sent():
    reply = ComposedReply("accepted", "anna@example.pl", "Potwierdzenie", "<r1@x>", b"raw")
    letters = (
        Letter(draft=None, reference="R-1", reply=reply, withheld=None),  # type: ignore[arg-type]
        Letter(
            draft=None,
            reference="R-2",
            reply=reply,
            withheld=None,  # type: ignore[arg-type]
            sent_at="2024-05-10T10:00:00Z",
        ),
        Letter(draft=None, reference="R-3", reply=None, withheld="List-Id"),  # type: ignore[arg-type]
    )
    assert Composed(letters, counter_read=0, counter_after=3).replies == 1


def test_the_statuses_a_message_can_get_are_application_statuses():
    assert set(STATUSES) <= {str(s) for s in ApplicationStatus}
    assert "application" in DISPOSITIONS and "error" in DISPOSITIONS
