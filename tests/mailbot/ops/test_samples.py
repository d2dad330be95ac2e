"""mailbot/ops/samples.py: the filled forms, scans and e-mails mailbot makes for its demo and
its tests are what they say — read back by the real readers."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest
from pypdf import PdfReader
from tnefparse import TNEF

import parsers
from mailbot.ops import samples

ZOFIA = samples.Applicant(
    full_name="Zofia Wiśniewska",
    email="z.wisniewska@example.pl",
    organisation="Fundacja Pod Śnieżką",
    groups=(2, 5),
    consents_gdpr=False,
)


def read(data: bytes) -> dict:
    got = parsers.extract(data)
    assert got.readable, got.detail
    return {k: sorted(v) if isinstance(v, list) else v for k, v in got.fields.items()}


@pytest.mark.parametrize("make", [samples.filled_docx, samples.filled_pdf])
def test_a_filled_form_reads_back_as_its_applicant(make):
    assert read(make(ZOFIA)) == ZOFIA.expected_fields()
    assert read(make(samples.Applicant())) == samples.Applicant().expected_fields()


def test_a_scan_is_one_page_with_no_text():
    data = samples.scanned_pdf()
    pdf = PdfReader(io.BytesIO(data))
    assert len(pdf.pages) == 1 and not pdf.pages[0].extract_text().strip()
    assert parsers.extract(data).reason == "scan"


def test_an_email_carries_its_attachments_and_the_servers_received_line():
    form = samples.filled_docx(ZOFIA)
    raw = samples.email_with(
        "Zofia <z.wisniewska@example.pl>",
        "Zgłoszenie",
        "W załączeniu formularz.",
        to="d.butryn@dops.wroc.pl",
        date=datetime(2024, 5, 10, 8, 0, tzinfo=UTC),
        attachments=(
            (
                "formularz.docx",
                form,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ),
        headers=(("List-Id", "<lista.example.pl>"),),
        received=datetime(2024, 5, 10, 8, 1, tzinfo=UTC),
    )
    msg = message_from_bytes(raw, policy=policy.default)
    assert str(msg["Subject"]) == "Zgłoszenie" and msg["List-Id"] == "<lista.example.pl>"
    assert "mx.dops.wroc.pl" in msg["Received"] and msg["Message-ID"].endswith("example.pl>")
    parts = list(msg.iter_attachments())
    assert [p.get_filename() for p in parts] == ["formularz.docx"]
    assert parts[0].get_content() == form


def test_a_winmail_dat_carries_its_file():
    tnef = TNEF(samples.winmail_dat("formularz.docx", b"PK\x03\x04 form bytes"))
    assert [(a.long_filename(), bytes(a.data)) for a in tnef.attachments] == [
        ("formularz.docx", b"PK\x03\x04 form bytes")
    ]
