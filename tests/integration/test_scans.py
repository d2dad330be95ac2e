"""Scans through the whole path — Dovecot, aiosmtpd, the pipeline, real Tesseract: a scan's
application is recorded and answered at once; its pages are read with OCR afterwards, off the
path of other mail; what OCR read is stored beside the application and never decides anything.

The scans are the printed filled form (tests/fixtures/forms/samples/s03-pdf-from-word.pdf)
rendered to JPEG pages with pdftoppm, as a scanner or a phone gives them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of
from mailbot.storage.store import Store

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration
WARSAW = ZoneInfo("Europe/Warsaw")
FORM = Path(__file__).parents[1] / "fixtures" / "forms" / "samples" / "s03-pdf-from-word.pdf"
EXPECTED = json.loads(FORM.with_suffix(".json").read_text(encoding="utf-8"))
CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")
WHEN = datetime(2024, 5, 20, 10, 0, tzinfo=WARSAW)


def need(program: str, package: str) -> None:
    if shutil.which(program) is None:
        message = f"{program} not installed (apt-get install {package})"
        if CI:
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> list[bytes]:
    """The two pages of the filled form as JPEG at 200 dpi."""
    need("pdftoppm", "poppler-utils")
    need("tesseract", "tesseract-ocr tesseract-ocr-pol")
    folder = tmp_path_factory.mktemp("pages")
    subprocess.run(
        ["pdftoppm", "-jpeg", "-jpegopt", "quality=85", "-r", "200", str(FORM), str(folder / "p")],
        check=True,
    )
    return [p.read_bytes() for p in sorted(folder.glob("p-*.jpg"))]


@pytest.fixture(scope="module")
def banner(tmp_path_factory) -> bytes:
    """A strip of the page as a wide picture, as a logo in a signature is: not a page."""
    folder = tmp_path_factory.mktemp("banner")
    subprocess.run(
        [
            *("pdftoppm", "-png", "-r", "150", "-x", "0", "-y", "0", "-W", "1200", "-H", "160"),
            *("-f", "1", "-l", "1", "-singlefile", str(FORM), str(folder / "b")),
        ],
        check=True,
    )
    return (folder / "b.png").read_bytes()


def scan_message(pages: list[bytes], *, inline: bytes | None = None) -> bytes:
    """Piotr Nowak's signed form, one JPEG per page; with ``inline``, the pages and that
    picture are shown in the HTML body instead of attached."""
    msg = EmailMessage()
    msg["From"] = "Piotr Nowak <p.nowak@boleslawiec.example.pl>"
    msg["To"] = "d.butryn@dops.wroc.pl"
    msg["Subject"] = "Zgłoszenie do naboru – skan formularza"
    msg["Date"] = format_datetime(WHEN)
    msg["Message-ID"] = make_msgid(domain="boleslawiec.example.pl")
    text = "Dzień dobry,\nw załączeniu przesyłam podpisany formularz zgłoszeniowy (2 strony).\n"
    msg.set_content(text)
    if inline is None:
        for n, page in enumerate(pages, 1):
            msg.add_attachment(page, maintype="image", subtype="jpeg", filename=f"skan-{n}.jpg")
        return msg.as_bytes()
    cids = [make_msgid(domain="boleslawiec.example.pl") for _ in range(len(pages) + 1)]
    images = "".join(f'<p><img src="cid:{c[1:-1]}"></p>' for c in cids)
    msg.add_alternative(f"<p>{text}</p>{images}", subtype="html")
    html = msg.get_payload()[1]
    for cid, data, kind in [(cids[0], inline, "png")] + [
        (c, p, "jpeg") for c, p in zip(cids[1:], pages, strict=True)
    ]:
        html.add_related(data, maintype="image", subtype=kind, cid=cid, disposition="inline")
    return msg.as_bytes()


def docx_message(i: int) -> bytes:
    person = samples.Applicant(
        full_name=f"Osoba Testowa {i}", email=f"osoba{i}@example.pl", groups=(1,)
    )
    return samples.email_with(
        f"Osoba Testowa {i} <osoba{i}@example.pl>",
        "Zgłoszenie do naboru",
        "W załączeniu przesyłam formularz zgłoszeniowy.",
        to="d.butryn@dops.wroc.pl",
        date=WHEN,
        attachments=(
            (
                "formularz.docx",
                samples.filled_docx(person),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ),
    )


def prefill_row(config) -> dict:
    with Store(config.storage.database, config.storage.files) as store:
        rows = list(store.db.query("SELECT * FROM prefills"))
    assert len(rows) == 1, rows
    return rows[0]


def exported(config) -> dict:
    with Store(config.storage.database, config.storage.files) as store:
        return json.loads(export_json(store, WARSAW, spec=config.form))


def right(read: dict, key: str) -> bool:
    want, got = EXPECTED[key], read[key]
    if isinstance(want, str) and isinstance(got, str):
        return " ".join(want.split()).lower() == " ".join(got.split()).lower()
    return want == got


def test_two_jpeg_pages_one_application_one_letter_then_the_prefill(
    tmp_path, dovecot, imap_user, smtp_sink, pages, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    dovecot.append(imap_user, scan_message(pages), internaldate=WHEN)
    report = jobs.poll(config)
    assert report.ok, report.summary()
    assert report.messages.by_status == {"needs_review": 1}
    assert report.replies.sent == 1 and report.scans is not None and report.scans.done == 1
    letters = smtp_sink.wait_for(1)
    assert len(letters) == 1 and letters[0].rcpt_tos == ["p.nowak@boleslawiec.example.pl"]
    assert kind_of(letters[0].message["X-Mailbot-Reply"]) == "needs_review"
    with Store(config.storage.database, config.storage.files) as store:
        apps = list(store.db.query("SELECT * FROM applications"))
        sent_at = store.db.execute("SELECT sent_at FROM replies").fetchone()[0]
        kinds = [r[0] for r in store.db.execute("SELECT reason FROM attachments ORDER BY id")]
    assert len(apps) == 1 and kinds == ["scan", "scan"]
    row = prefill_row(config)
    assert row["state"] == "done" and row["pages"] == 2
    assert sent_at <= row["started_at"]  # the letter went out before OCR began
    (app,) = exported(config)["applications"]
    assert app["status"] == "needs_review" and app["problems"] == ["form_unreadable"]
    assert all(v in (None, [], False) for v in app["fields"].values())  # never OCR's values
    prefill = app["prefill"]
    assert set(prefill) == {"fields", "confidence", "engine"}
    assert prefill["engine"].startswith("tesseract ")
    read = prefill["fields"]
    keys = [k for k in config.form.keys if k in EXPECTED]
    hits = [k for k in keys if right(read, k)]
    print(
        f"prefill of the two JPEG pages: {len(hits)}/{len(keys)} fields right; wrong: "
        f"{sorted(set(keys) - set(hits))}"
    )
    assert right(read, "full_name") and right(read, "email") and read["groups"] == [2, 5]
    assert len(hits) >= 0.8 * len(keys)
    assert all(0.0 <= c <= 1.0 for c in prefill["confidence"].values())
    # a second pass reads nothing again
    assert jobs.poll(config).scans.read == []


def test_pages_inline_in_the_body_are_the_form_a_banner_is_not(
    tmp_path, dovecot, imap_user, smtp_sink, pages, banner, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    config = load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))
    dovecot.append(imap_user, scan_message(pages, inline=banner), internaldate=WHEN)
    report = jobs.poll(config)
    assert report.messages.by_status == {"needs_review": 1} and report.replies.sent == 1
    with Store(config.storage.database, config.storage.files) as store:
        found = list(store.db.query("SELECT kind, reason FROM attachments ORDER BY id"))
    assert found == [
        {"kind": "image", "reason": None},  # the banner: not tried as a page
        {"kind": "image", "reason": "scan"},
        {"kind": "image", "reason": "scan"},
    ]
    row = prefill_row(config)
    assert row["state"] == "done" and row["pages"] == 2


def test_a_scan_over_the_ocr_time_limit_stays_plain_needs_review(
    tmp_path, dovecot, imap_user, smtp_sink, pages, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, limits={"max_ocr_seconds": 1})
    config = load_config(path)
    dovecot.append(imap_user, scan_message(pages + pages), internaldate=WHEN)
    report = jobs.poll(config)
    assert report.replies.sent == 1 and report.scans.failed == 1
    row = prefill_row(config)
    assert row["state"] == "failed" and row["reason"] == "time_limit", row
    (app,) = exported(config)["applications"]
    assert app["status"] == "needs_review" and "prefill" not in app


def test_check_finds_tesseract(tmp_path, dovecot, smtp_sink, pages):
    """With Tesseract and its Polish data installed, ``mailbot check`` says so (the line when
    they are missing is tests/unit/test_prefill.py's)."""
    config = write_config(tmp_path, dovecot, "nobody", smtp_sink)
    found = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config), "check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    ocr = [ln for ln in found.stdout.splitlines() if ln[6:].startswith("OCR")]
    assert len(ocr) == 1 and ocr[0].startswith("ok    OCR") and "tesseract" in ocr[0], ocr
    assert "(pol)" in ocr[0]


def test_a_docx_is_answered_while_a_scan_is_being_read(
    tmp_path, dovecot, imap_user, smtp_sink, pages, monkeypatch
):
    """`mailbot run` with IDLE: the DOCX that arrives while the worker's OCR thread reads a
    scan is answered before that read ends, as fast as without a scan."""
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, poll_minutes=60)
    path.write_text(
        path.read_text().replace('recipients = ["koordynator@dops.example.pl"]', "recipients = []")
    )
    config = load_config(path)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "-v", "--config", str(path), "run"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        time.sleep(3)  # the start-up pass, then the watcher enters IDLE
        quiet_started = time.monotonic()
        dovecot.append(imap_user, docx_message(0), internaldate=WHEN)
        smtp_sink.wait_for(1, timeout=30)
        quiet = time.monotonic() - quiet_started
        # a scan of four pages: its letter at once, then the OCR thread reads it
        dovecot.append(imap_user, scan_message(pages + pages), internaldate=WHEN)
        smtp_sink.wait_for(2, timeout=30)
        deadline = time.monotonic() + 60
        while prefill_state(config) != "reading":
            assert time.monotonic() < deadline, "the scan was not taken for reading"
            time.sleep(0.05)
        busy_started = time.monotonic()
        dovecot.append(imap_user, docx_message(1), internaldate=WHEN)
        smtp_sink.wait_for(3, timeout=30)
        busy = time.monotonic() - busy_started
        state_when_answered = prefill_state(config)
        deadline = time.monotonic() + 180
        while prefill_state(config) == "reading":
            assert time.monotonic() < deadline, "the scan was never read"
            time.sleep(0.2)
    finally:
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
    print(f"DOCX reply latency: {quiet:.2f} s alone, {busy:.2f} s while a scan was read")
    assert worker.returncode == 0, err[-2000:]
    assert state_when_answered == "reading"  # answered before the OCR of the scan ended
    assert prefill_state(config) == "done"
    assert [m.rcpt_tos[0] for m in smtp_sink.messages] == [
        "osoba0@example.pl",
        "p.nowak@boleslawiec.example.pl",
        "osoba1@example.pl",
    ]


def prefill_state(config) -> str | None:
    with Store(config.storage.database, config.storage.files) as store:
        row = store.db.execute("SELECT state FROM prefills").fetchone()
    return row[0] if row else None


def test_stopping_the_worker_stops_a_read_at_once_and_it_is_read_again_later(
    tmp_path, dovecot, imap_user, smtp_sink, pages, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, poll_minutes=60)
    config = load_config(path)
    dovecot.append(imap_user, scan_message(pages + pages), internaldate=WHEN)
    worker = subprocess.Popen(
        [sys.executable, "-m", "mailbot", "-v", "--config", str(path), "run"],
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while prefill_state(config) != "reading" and time.monotonic() < deadline:
            time.sleep(0.05)
        taken = prefill_state(config) == "reading"
    finally:
        stopped = time.monotonic()
        worker.send_signal(signal.SIGTERM)
        _out, err = worker.communicate(timeout=60)
    took = time.monotonic() - stopped
    assert taken, f"the scan was not taken for reading: {prefill_state(config)}; {err[-3000:]}"
    assert worker.returncode == 0, err[-2000:]
    assert took < 10, f"the worker took {took:.1f} s to stop"
    row = prefill_row(config)
    assert row["state"] == "pending" and row["attempts"] == 0  # read again, not counted
    report = jobs.poll(config)  # the next pass reads it
    assert report.scans.done == 1 and prefill_row(config)["state"] == "done"
