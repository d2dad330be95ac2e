"""A hard limit on reading one file: hostile attachments are stopped by the child process's
clock or memory cap, the message is ``needs_review`` with the reason, and the pass goes on.

The hostile files are real: a 7 KiB PDF whose one page holds 100 000 compressed text operators
(about 8 s for the parsers in-process against a 2 s budget, which they check only between
pages), and a 2 MiB DOCX whose 20 MiB of XML takes some 400 MiB to parse.
"""

from __future__ import annotations

import io
import random
import time
import zipfile
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest

import parsers
from mailbot.config import IsolatedLimits, load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.pipeline import isolate
from parsers import office

from .helpers import REPO

pytestmark = pytest.mark.integration

CALL = "d.butryn@dops.wroc.pl"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIB = 1024 * 1024


def heavy_pdf(operators: int = 100_000) -> bytes:
    """A tiny PDF with one page whose content stream is very long once inflated."""
    ops = b"BT /F1 1 Tf 0 0 Td " + b"(Imie i nazwisko) Tj 1 0 Td " * operators + b"ET\n"
    content = zlib.compress(ops, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content)
        + content
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return samples.pdf_from_objects(objects)


def memory_hog_docx(xml_mib: int = 20) -> bytes:
    """The call's Word form with megabytes of small paragraphs added (within the zip limits:
    random text keeps the compression ratio low)."""
    source = zipfile.ZipFile(io.BytesIO(samples.filled_docx(samples.Applicant())))
    rnd = random.Random(1)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "word/document.xml":
                target.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            # streamed into the zip: the test process itself never holds the megabytes
            with target.open(item.filename, "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                for _ in range(xml_mib * 16):
                    member.write(
                        b"".join(
                            b"<w:p><w:r><w:t>%06x</w:t></w:r><w:r><w:t>b</w:t></w:r></w:p>"
                            % rnd.getrandbits(24)
                            for _ in range(MIB // 16 // 60)
                        )
                    )
                member.write(tail)
    return out.getvalue()


def limits(seconds: float = 2.0, memory_mib: int = 256) -> IsolatedLimits:
    return IsolatedLimits(max_seconds=seconds, max_memory=memory_mib * MIB)


def good_docx() -> bytes:
    return samples.filled_docx(samples.Applicant())


def test_a_heavy_page_is_stopped_by_the_clock_and_the_next_file_is_read_at_once():
    isolate.extract(good_docx(), parsers.DEFAULT_FORM, limits())  # the child is running
    started = time.monotonic()
    result = isolate.extract(heavy_pdf(), parsers.DEFAULT_FORM, limits(seconds=1.0))
    took = time.monotonic() - started
    assert (result.readable, result.reason) == (False, "limit_exceeded")
    assert "time limit of 1 s" in (result.detail or "")
    assert took < 1.0 + isolate.GRACE_SECONDS + 1.0, took
    started = time.monotonic()
    after = isolate.extract(good_docx(), parsers.DEFAULT_FORM, limits())
    assert after.readable
    assert time.monotonic() - started < 2.0  # a fresh child, not a wait


def test_a_memory_hog_is_stopped_by_the_cap():
    result = isolate.extract(memory_hog_docx(), parsers.DEFAULT_FORM, limits(memory_mib=128))
    assert (result.readable, result.reason) == (False, "limit_exceeded")
    assert "memory limit of 128 MiB" in (result.detail or "")
    assert isolate.extract(good_docx(), parsers.DEFAULT_FORM, limits()).readable


def test_isolation_gives_the_same_result_as_in_process():
    pdf = samples.filled_pdf(samples.Applicant())
    for data in (good_docx(), pdf):
        assert isolate.extract(data, parsers.DEFAULT_FORM, limits()) == parsers.extract(
            data, parsers.DEFAULT_FORM, limits()
        )


@pytest.mark.skipif(office.find_soffice() is None, reason="LibreOffice is not installed")
def test_a_doc_is_converted_and_read_within_the_cap(tmp_path):
    """The reading process keeps its address-space cap for a DOC too; LibreOffice, which it
    starts, runs under the same cap as a data limit, and a form converts and reads as usual."""
    form = tmp_path / "form.docx"
    form.write_bytes(good_docx())
    cap = 512 * MIB
    assert (
        office.run_soffice(str(office.find_soffice()), form, "doc", timeout=120, max_memory=cap)
        == 0
    )
    doc = form.with_suffix(".doc").read_bytes()
    result = isolate.extract(doc, parsers.DEFAULT_FORM, limits(seconds=60, memory_mib=512))
    assert result.readable, result.detail
    assert result.kind == "doc"


def test_hostile_attachments_are_needs_review_and_the_import_goes_on(tmp_path, smtp_sink):
    call = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    config_path = tmp_path / "config.toml"
    config_path.write_text(
        call
        + f"""
[smtp]
host = "{smtp_sink.host}"
port = {smtp_sink.port}
security = "none"

[storage]
database = "state/mailbot.db"
files = "state/files"
lock = "state/mailbot.lock"

[limits]
max_parse_seconds = 1
max_parse_memory = {128 * MIB}
""",
        encoding="utf-8",
    )
    inbox = tmp_path / "in"
    inbox.mkdir()
    files = {
        "1-heavy": ("formularz.pdf", heavy_pdf(), "application/pdf"),
        "2-hog": ("formularz.docx", memory_hog_docx(), DOCX_TYPE),
        "3-good": ("formularz.docx", good_docx(), DOCX_TYPE),
    }
    for name, attachment in files.items():
        Path(inbox / f"{name}.eml").write_bytes(
            samples.email_with(
                f"Osoba <{name}@kandydat.test>",
                "Zgłoszenie do naboru",
                "W załączeniu formularz.",
                to=CALL,
                date=datetime(2024, 5, 14, 10, 0, tzinfo=UTC),
                attachments=(attachment,),
            )
        )
    config = load_config(config_path)
    started = time.monotonic()
    report = jobs.import_paths(config, [inbox], send=False)
    took = time.monotonic() - started
    assert report.messages.by_status == {"needs_review": 2, "accepted": 1}, report.summary()
    assert took < 10, took  # in-process the heavy PDF alone takes about 8 s
    with jobs.open_store(config) as store:
        rows = store.db.execute(
            "SELECT m.sender, t.reason FROM attachments t JOIN messages m ON m.id = t.message_pk "
            "ORDER BY m.sender"
        ).fetchall()
        data = export_json(store, config.call.timezone)
    assert [tuple(r) for r in rows] == [
        ("1-heavy@kandydat.test", "limit_exceeded"),
        ("2-hog@kandydat.test", "limit_exceeded"),
        ("3-good@kandydat.test", None),
    ]
    assert '"needs_review"' in data


def test_a_file_read_ahead_has_its_clock_from_the_hand_over():
    """The child read the file while mailbot did other work: when mailbot asks for it after
    the file's time is gone, the answer is the time limit at once, and the next file is read."""
    reader = isolate.IsolatedReader(name="mailbot-parse-ahead-test")
    try:
        reader.read_ahead(heavy_pdf(), parsers.DEFAULT_FORM, limits(seconds=1.0))
        time.sleep(1.0 + isolate.GRACE_SECONDS + 0.5)  # the rest of the message's work
        started = time.monotonic()
        result = reader.extract(heavy_pdf(), parsers.DEFAULT_FORM, limits(seconds=1.0))
        assert time.monotonic() - started < 0.5
        assert result.reason == "limit_exceeded" and "time limit of 1 s" in result.detail
        assert reader.extract(good_docx(), parsers.DEFAULT_FORM, limits()).readable
    finally:
        reader.close()
