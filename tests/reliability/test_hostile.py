"""Hostile and broken mail through `mailbot import`: bombs, absurd MIME trees, broken encodings,
path and header injection, template syntax. Every message gets a disposition and — a person
sent each of them — one reply; nothing crashes; memory stays bounded; nothing an attacker wrote
becomes a header, a path or template code.
"""

from __future__ import annotations

import os
import re
import struct
import time
import zlib
from email.header import Header
from pathlib import Path

import pytest

from mailbot.ops import samples
from parsers import office

from . import helpers as h

pytestmark = pytest.mark.integration

MAX_ATTACHMENT = 2 * 1024 * 1024
RSS_LIMIT_MB = 512  # limits.max_parse_memory's default: what one reading process may use
DOC_TYPE = "application/msword"
TEMPLATE = "{{ 7*7 }} {% raw %}x{% endraw %}"
REPLY_HEADERS = {
    "from",
    "to",
    "subject",
    "date",
    "message-id",
    "in-reply-to",
    "references",
    "auto-submitted",
    "x-auto-response-suppress",
    "x-mailbot-reply",
    "content-type",
    "content-transfer-encoding",
    "mime-version",
}
CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)


# --- builders --------------------------------------------------------------------------------


def _zip(members: list[tuple[str, bytes, int, int, int, int]]) -> bytes:
    """A zip from (name, payload, method, crc, compressed size, declared size) tuples."""
    out, central = bytearray(), bytearray()
    for name, payload, method, crc, csize, usize in members:
        offset = len(out)
        encoded = name.encode()
        out += (
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                csize,
                usize,
                len(encoded),
                0,
            )
            + encoded
            + payload
        )
        central += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                csize,
                usize,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(central), len(out), 0
    )
    return bytes(out + central + end)


def zip_bomb_docx(gib: int = 1, declared: int | None = None) -> bytes:
    """A DOCX-looking zip whose word/document.xml inflates to ``gib`` GiB of zeros.

    The deflate stream is one fully flushed 1 MiB block of zeros repeated (identical bytes
    every time), so building it costs nothing. ``declared`` lies about the inflated size.
    """
    chunk = bytes(1 << 20)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = co.compress(chunk) + co.flush(zlib.Z_FULL_FLUSH)
    n = gib * 1024
    stream = block * n + b"\x03\x00"  # then an empty final block
    crc = 0
    for _ in range(n):
        crc = zlib.crc32(chunk, crc)
    size = n << 20
    ct = CONTENT_TYPES
    return _zip(
        [
            ("[Content_Types].xml", ct, 0, zlib.crc32(ct), len(ct), len(ct)),
            (
                "word/document.xml",
                stream,
                8,
                crc,
                len(stream),
                size if declared is None else declared,
            ),
        ]
    )


def many_pages_pdf(pages: int) -> bytes:
    """A valid PDF with ``pages`` pages (and as many objects), all sharing one content stream."""
    first_page = 4
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids ["
        + b" ".join(b"%d 0 R" % (first_page + i) for i in range(pages))
        + b"] /Count %d >>" % pages,
        b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (Formularz) Tj ET\nendstream",
    ]
    objects += [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>"
        for _ in range(pages)
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def head(
    sender: str,
    msgid: str,
    subject: str = "Zgłoszenie do naboru",  # names the call: a letter goes (strong evidence)
    name: str = "Jan Test",
    extra: str = "",
) -> str:
    return (
        f"From: {Header(name, 'utf-8').encode()} <{sender}>\r\nTo: {h.CALL}\r\n"
        f"Subject: {Header(subject, 'utf-8').encode()}\r\n"
        f"Date: Tue, 14 May 2024 10:00:00 +0200\r\nMessage-ID: {msgid}\r\n{extra}"
        "MIME-Version: 1.0\r\n"
    )


def with_file(sender: str, msgid: str, data: bytes, filename: str, ctype: str, **kw: str) -> bytes:
    return (
        (
            head(sender, msgid, **kw) + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
            "--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nW załączeniu.\r\n--B\r\n"
            f'Content-Type: {ctype}; name="{filename}"\r\n'
            f'Content-Disposition: attachment; filename="{filename}"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + h.b64(data).encode()
        + b"--B--\r\n"
    )


def nested(sender: str, depth: int, docx: bytes) -> bytes:
    top = head(sender, "<nested@hostile.example.pl>")
    opening = "".join(
        f'Content-Type: multipart/mixed; boundary="n{i}"\r\n\r\n--n{i}\r\n' for i in range(depth)
    )
    inner = (
        f'Content-Type: {h.DOCX_TYPE}; name="f.docx"\r\n'
        'Content-Disposition: attachment; filename="f.docx"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + h.b64(docx)
    )
    closing = "".join(f"\r\n--n{i}--\r\n" for i in reversed(range(depth)))
    return (top + opening + inner + closing).encode()


def many_parts(sender: str, parts: int) -> bytes:
    body = "".join(
        "--M\r\nContent-Type: text/plain; charset=utf-8\r\n"
        f'Content-Disposition: attachment; filename="p{i}.txt"\r\n\r\nczesc {i}\r\n'
        for i in range(parts)
    )
    return (
        head(sender, "<parts@hostile.example.pl>")
        + 'Content-Type: multipart/mixed; boundary="M"\r\n\r\n'
        + body
        + "--M--\r\n"
    ).encode()


def hostile_messages(docx: bytes) -> dict[str, bytes]:
    """name -> raw message; each from its own (person's) address."""
    s = "{}@hostile.example.pl".format
    pdf_type = "application/pdf"
    huge = os.urandom(3 * MAX_ATTACHMENT)
    broken_b64 = h.b64(docx)
    broken_b64 = broken_b64[:2000] + "!!@@##$$%%^^&&**" + broken_b64[2000:-7] + "=\r\n"
    template_docx = samples.filled_docx(
        samples.Applicant(
            full_name=TEMPLATE, email=s("template"), organisation="{{ config }} {% for x in y %}"
        )
    )
    msgs = {
        "zip_bomb": with_file(
            s("bomb"), "<bomb@hostile.example.pl>", zip_bomb_docx(1), "formularz.docx", h.DOCX_TYPE
        ),
        "zip_bomb_lying": with_file(
            s("liar"),
            "<liar@hostile.example.pl>",
            zip_bomb_docx(1, declared=30_000),
            "formularz.docx",
            h.DOCX_TYPE,
        ),
        "nested_200": nested(s("nested"), 200, docx),
        "parts_5000": many_parts(s("parts"), 5000),
        "huge_attachment": with_file(
            s("huge"), "<huge@hostile.example.pl>", b"%PDF-1.4\n" + huge, "skan.pdf", pdf_type
        ),
        "pdf_5000_pages": with_file(
            s("pages"),
            "<pages@hostile.example.pl>",
            many_pages_pdf(5000),
            "formularz.pdf",
            pdf_type,
        ),
        "broken_base64": (
            head(s("b64"), "<b64@hostile.example.pl>")
            + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
            f'Content-Type: {h.DOCX_TYPE}; name="f.docx"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n" + broken_b64 + "--B--\r\n"
        ).encode(),
        "unknown_charset": (
            f"From: =?x-klingon?q?Qapla=F1?= <{s('charset')}>\r\n"
            f"To: {h.CALL}\r\nSubject: =?x-unknown-42?B?//79?= zgloszenie\r\n"
            "Date: Tue, 14 May 2024 10:00:00 +0200\r\n"
            "Message-ID: <charset@hostile.example.pl>\r\nMIME-Version: 1.0\r\n"
            "Content-Type: text/plain; charset=x-klingon\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n"
        ).encode()
        + b"\xff\xfe\x00tekst \xc5\x82 zglaszam sie do naboru\r\n",
        "eight_bit_headers": b"From: \xa3ukasz \xc5\x81\xc3\xb3d\xc5\xba <"
        + s("8bit").encode()
        + b">\r\nTo: "
        + h.CALL.encode()
        + b"\r\nSubject: Zg\xc5\x82oszenie \xb3\xb9czy\xff\r\n"
        b"Date: Tue, 14 May 2024 10:00:00 +0200\r\nMessage-ID: <8bit@hostile.example.pl>\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: text/plain\r\n\r\nprzesy\xb3am zg\xb3oszenie "
        b"do naboru, za\xb3\xb9cznik\r\n",
        "path_filename": (
            head(s("path"), "<path@hostile.example.pl>")
            + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\n'
            f'Content-Type: {h.DOCX_TYPE}; name="../../etc/passwd"\r\n'
            "Content-Disposition: attachment;\r\n"
            " filename*=utf-8''..%2F..%2Fetc%2Fpasswd%0D%0AX-Injected%3A%20yes"
            "%0D%0A%0D%0Abody\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            + h.b64(docx)
            + "--B--\r\n"
        ).encode(),
        "path_filename_plain": with_file(
            s("path2"),
            "<path2@hostile.example.pl>",
            docx,
            "../../../../tmp/mailbot-pwned.docx",
            h.DOCX_TYPE,
        ),
        "header_injection": (
            f"From: =?utf-8?q?Jan=0D=0ABcc=3A_victim=40evil=2Eexample=0D=0A"
            f"X-Injected=3A_yes?= <{s('inject')}>\r\nTo: {h.CALL}\r\n"
            "Subject: =?utf-8?q?Zg=C5=82oszenie=0D=0ABcc=3A_victim=40evil="
            "2Eexample=0D=0AX-Injected=3A_yes?=\r\n"
            "Date: Tue, 14 May 2024 10:00:00 +0200\r\n"
            "Message-ID: <inject@hostile.example.pl>\r\n"
            "In-Reply-To: <a@b>\r\n X-Injected: folded\r\n"
            "References: <x@y> =?utf-8?q?=0D=0AX-Injected=3A_yes?=\r\n"
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "\r\nprzesylam zgloszenie do naboru, brak zalacznika\r\n"
        ).encode(),
        "display_name_address": (
            f"From: =?utf-8?q?victim=40evil=2Eexample?= <{s('spoof')}>"
            f"\r\nTo: {h.CALL}\r\nSubject: pytanie\r\n"
            "Date: Tue, 14 May 2024 10:00:00 +0200\r\n"
            "Message-ID: <spoof@hostile.example.pl>\r\nMIME-Version: 1.0"
            "\r\nContent-Type: text/plain\r\n\r\n"
            "zglaszam sie do naboru, bez formularza\r\n"
        ).encode(),
        "template_syntax": with_file(
            s("template"),
            "<template@hostile.example.pl>",
            template_docx,
            "{{ 7*7 }}.docx",
            h.DOCX_TYPE,
            subject=f"Zgłoszenie {TEMPLATE}",
            name=TEMPLATE,
        ),
    }
    return msgs


def word97(tmp_path: Path, docx: bytes) -> bytes | None:
    """The call's form saved as Word 97 by LibreOffice (None where it is not installed)."""
    soffice = office.find_soffice()
    if soffice is None:
        return None
    work = tmp_path / "word97"
    work.mkdir()
    (work / "form.docx").write_bytes(docx)
    office.run_soffice(
        soffice, work / "form.docx", "doc", timeout=120, max_memory=office.DEFAULT_MAX_MEMORY
    )
    return (work / "form.doc").read_bytes()


# --- the test --------------------------------------------------------------------------------


def _run_import(config: Path, folder: Path) -> tuple[int, str, str, h.Peak, float]:
    """`mailbot import FOLDER` as a child; (exit code, stdout, stderr, peak RSS, seconds).

    The peak is measured by a small wrapper (:func:`helpers.run_measured`), not by this
    process: a child of pytest would report pytest's own peak, and the reader processes the
    import leaves to its fork server would not be counted."""
    out, err = config.parent / "import.out", config.parent / "import.err"
    t0 = time.monotonic()
    with out.open("wb") as o, err.open("wb") as e:
        code, peak = h.run_measured(
            h.cmd(config, "import", str(folder)),
            result=config.parent / "import.peak.json",
            env=h.env(),
            cwd=h.REPO,
            stdout=o,
            stderr=e,
        )
    return (
        code,
        out.read_text(errors="replace"),
        err.read_text(errors="replace"),
        peak,
        time.monotonic() - t0,
    )


def test_hostile_mail_is_contained(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    docx = samples.filled_docx(samples.Applicant())
    msgs = hostile_messages(docx)
    word = word97(tmp_path, docx)
    if word is not None:  # LibreOffice converts it within the import, under the same cap
        msgs["word97"] = with_file(
            "word@hostile.example.pl", "<word@hostile.example.pl>", word, "form.doc", DOC_TYPE
        )
    folder = tmp_path / "in"
    folder.mkdir()
    for name, raw in msgs.items():
        (folder / f"{name}.eml").write_bytes(raw)
    # the process reading each file is capped at the bound the whole import is held to (its
    # peak counts in the import's: it is a reaped descendant)
    config = h.write_config(
        tmp_path,
        dovecot,
        imap_user,
        smtp_sink,
        limits={
            "max_attachment_bytes": MAX_ATTACHMENT,
            "max_parse_memory": RSS_LIMIT_MB * 1024 * 1024,
        },
    )
    passwd_before = Path("/etc/passwd").read_bytes()

    code, out, err, peak, took = _run_import(config, folder)
    print(f"\nhostile import: exit {code}, peak RSS {peak}, {took:.1f} s; {out.strip()}")
    assert code == 0, err[-3000:]
    assert "Traceback" not in err, err[-3000:]
    assert peak.mb < RSS_LIMIT_MB, f"peak RSS {peak}"
    assert not peak.left_running, f"processes still running 30 s after the import: {peak}"
    assert took < 90

    # (the two messages hiding an address in the display name: the test below)
    senders = sorted(
        f"{who}@hostile.example.pl"
        for who in (
            "bomb",
            "liar",
            "nested",
            "parts",
            "huge",
            "pages",
            "b64",
            "charset",
            "8bit",
            "path",
            "path2",
            "template",
        )
    )
    rows = {
        r["raw_file"]: r
        for r in h.query(
            config,
            "SELECT m.*, a.status, a.problems FROM messages m "
            "LEFT JOIN applications a ON a.message_pk = m.id",
        )
    }
    by_sender = {r["sender"]: r for r in rows.values()}
    assert len(rows) == len(msgs), sorted(by_sender)
    assert set(senders) <= set(by_sender)
    for r in rows.values():
        assert r["disposition"] == "application", dict(r)
    statuses = {r["sender"].split("@")[0]: r["status"] for r in rows.values()}
    print("statuses:", statuses)
    assert statuses["bomb"] in ("needs_review", "no_form")
    assert statuses["liar"] in ("needs_review", "no_form")
    assert statuses["pages"] in ("needs_review", "no_form")
    assert statuses["huge"] in ("needs_review", "no_form")
    assert statuses["parts"] in ("needs_review", "no_form")
    bomb = h.query(
        config,
        "SELECT a.readable, a.reason FROM attachments a JOIN messages m "
        "ON m.id = a.message_pk WHERE m.sender = ?",
        ["bomb@hostile.example.pl"],
    )
    assert [tuple(b) for b in bomb] == [(0, bomb[0]["reason"])] and bomb[0]["reason"]
    huge = h.query(
        config,
        "SELECT a.reason, a.file FROM attachments a JOIN messages m "
        "ON m.id = a.message_pk WHERE m.sender = ?",
        ["huge@hostile.example.pl"],
    )
    assert [tuple(x) for x in huge] == [("too_large", None)]
    if word is not None:
        read = h.query(
            config,
            "SELECT a.readable, a.reason FROM attachments a JOIN messages m "
            "ON m.id = a.message_pk WHERE m.sender = ?",
            ["word@hostile.example.pl"],
        )
        assert [tuple(x) for x in read] == [(1, None)]

    # one reply to each sender; only to that sender; no injected header; no template evaluated
    got = smtp_sink.wait_for(len(msgs), timeout=30)
    time.sleep(0.3)
    got = h.replies(smtp_sink)
    assert len(got) == len(msgs)
    assert set(senders) <= {r.rcpt_tos[0] for r in got}
    for r in got:
        assert len(r.rcpt_tos) == 1
        names = {k.lower() for k in r.message}
        assert names <= REPLY_HEADERS, names - REPLY_HEADERS
        head_block = r.data.split(b"\r\n\r\n", 1)[0]
        # no injected header line (where the reply goes: the test below)
        assert not re.search(rb"^(X-Injected|Bcc|Cc)\s*:", head_block, re.MULTILINE | re.I)
        assert not r.message.is_multipart()
        assert len(r.data) < 32_000
    by_to = {r.rcpt_tos[0]: r.message.get_body(("plain",)).get_content() for r in got}
    template_reply = by_to["template@hostile.example.pl"]
    assert "{{ 7*7 }}" in template_reply and "{% raw %}" in template_reply
    assert "{{ config }}" in template_reply
    subject_line = template_reply.split("Temat wiadomości:", 1)[1].splitlines()[1]
    assert "{{ 7*7 }}" in subject_line and "49" not in subject_line
    name_lines = template_reply.split("Imię i nazwisko:", 1)[1].splitlines()[1]
    assert "{{ 7*7 }}" in name_lines and "49" not in name_lines
    # the injection attempt survives only as text in the body, never as a header line
    for text in by_to.values():
        assert not re.search(r"^(Bcc|X-Injected):", text, re.MULTILINE)

    # attachment names never become paths: the store holds only SHA-256-named files
    store_files = h.stored_files(config)
    assert store_files
    for p in store_files:
        rel = p.relative_to(tmp_path / "state" / "files").as_posix()
        assert h.STORED_NAME.match(rel), rel
    assert not Path("/tmp/mailbot-pwned.docx").exists()
    assert Path("/etc/passwd").read_bytes() == passwd_before
    assert not any(p.name in ("passwd", "mailbot-pwned.docx") for p in tmp_path.rglob("*"))
    for r in h.query(config, "SELECT file FROM attachments WHERE file IS NOT NULL"):
        assert h.STORED_NAME.match(r["file"]), r["file"]


def test_reply_goes_to_the_from_address_never_one_hidden_in_the_display_name(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    """An RFC 2047 display name that decodes to address syntax must stay a name."""
    monkeypatch.setenv(h.PASSWORD_ENV, dovecot.password)
    msgs = hostile_messages(samples.filled_docx(samples.Applicant()))
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("header_injection", "display_name_address"):
        (folder / f"{name}.eml").write_bytes(msgs[name])
    extra = (
        "=?utf-8?q?Jan_=3Cvictim2=40evil=2Eexample=3E?=",
        "=?utf-8?q?x=2C_victim3=40evil=2Eexample=2C?=",
    )
    for i, name in enumerate(extra):
        raw = (
            f"From: {name} <angle{i}@hostile.example.pl>\r\nTo: {h.CALL}\r\n"
            f"Subject: pytanie\r\nMessage-ID: <angle{i}@hostile.example.pl>\r\n"
            "Date: Tue, 14 May 2024 10:00:00 +0200\r\n\r\n"
            "zglaszam sie do naboru, bez formularza\r\n"
        )
        (folder / f"angle{i}.eml").write_text(raw)
    config = h.write_config(tmp_path, dovecot, imap_user, smtp_sink)
    done = h.run(config, "import", str(folder))
    assert done.returncode == 0, done.stderr
    expected = [
        "angle0@hostile.example.pl",
        "angle1@hostile.example.pl",
        "inject@hostile.example.pl",
        "spoof@hostile.example.pl",
    ]
    stored = sorted(r[0] for r in h.query(config, "SELECT sender FROM messages"))
    got = sorted(r.rcpt_tos[0] for r in smtp_sink.wait_for(4, timeout=20))
    assert not [a for a in got if "evil" in a], f"replies sent to a third party: {got}"
    assert got == expected
    assert stored == expected
