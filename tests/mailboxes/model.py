"""The record of one test message (`Msg`) and small builders for what test mailboxes attach.

A mailbox (``tests/mailboxes/<name>/messages.py``) is a list of `Msg`: the message as it is
written (sender, subject, text, HTML, headers, attachments as recipes), when the server took it
in (INTERNALDATE) and what a careful employee of the call's office would do with it
(``about_call``, ``expect``, ``letter``, ``status``, ``live``). `Msg.to_bytes` builds the
RFC 5322 bytes at test time, the same bytes on every run apart from the attachments' own
content: fixed Message-ID, Date and MIME boundaries; ZIP-based attachments (DOCX) get fixed
member times. `deliver` APPENDs messages to a Dovecot user with their INTERNALDATE.

A message that answers one of mailbot's own letters names the message whose letter it answers
(``answers_letter_of``, a slug): it can only be written once that letter exists, so a runner
delivers it after a first pass with `Msg.in_thread_of` (the letter's Message-ID and subject).

Builders for other bodies' documents: `office_docx` (python-docx: paragraphs, label/value
tables, tick boxes), `text_pdf` (a PDF of text lines, as "print to PDF" makes it, Polish
letters included), `fillable_pdf` (an AcroForm with named text fields and tick boxes) and
`photo_jpeg` (a phone photo of a page).
"""

from __future__ import annotations

import io
import random
import zipfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import docx

CALL_ADDRESS = "d.butryn@dops.wroc.pl"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
JPEG = "image/jpeg"

Recipe = Callable[[], bytes]
Attachment = tuple[str, str, Recipe]  # (file name, MIME type, recipe)

EXPECTS = ("application", "correspondence", "unrelated", "ignored")
STATUSES = ("accepted", "incomplete", "late", "early", "needs_review", "no_form")


@dataclass(frozen=True)
class Msg:
    """One message of a test mailbox and what a careful employee would do with it."""

    slug: str
    sender: str  # "Name <addr>"
    subject: str  # may hold "{letter}": the subject of the letter it answers
    body: str  # plain text; "" with `html` set: an HTML-only message
    received: datetime  # aware: the INTERNALDATE given at APPEND
    to: str = CALL_ADDRESS
    html: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    attachments: tuple[Attachment, ...] = ()
    folder: str = "INBOX"
    about_call: bool = False
    expect: str = "unrelated"
    letter: bool = False
    status: str | None = None
    live: bool | None = None
    why: str = ""
    answers_letter_of: str | None = None  # slug of the message whose letter this answers
    sent_minutes_before: int | None = None  # Date: this long before `received` (default 1–9)

    def __post_init__(self) -> None:
        if self.received.utcoffset() is None:
            raise ValueError(f"{self.slug}: received must be timezone-aware")
        if self.expect not in EXPECTS:
            raise ValueError(f"{self.slug}: expect {self.expect!r} not in {EXPECTS}")
        if self.expect == "application" and self.status not in STATUSES:
            raise ValueError(f"{self.slug}: an application needs a status from {STATUSES}")
        if self.expect != "application" and (self.status or self.letter):
            raise ValueError(f"{self.slug}: only applications have a status or a letter")
        if not self.body and self.html is None:
            raise ValueError(f"{self.slug}: a message needs a body or html")

    @property
    def address(self) -> str:
        return parseaddr(self.sender)[1].lower()

    @property
    def message_id(self) -> str:
        domain = self.address.rsplit("@", 1)[-1] or "example.invalid"
        return f"<{self.slug}.{zlib.crc32(self.slug.encode()):08x}@{domain}>"

    @property
    def date(self) -> datetime:
        minutes = self.sent_minutes_before
        if minutes is None:
            minutes = 1 + zlib.crc32(self.slug.encode()) % 9
        return self.received - timedelta(minutes=minutes)

    def in_thread_of(self, letter_message_id: str, letter_subject: str) -> Msg:
        """This message as written in answer to a letter: its subject and thread headers."""
        return replace(
            self,
            subject=self.subject.replace("{letter}", letter_subject),
            headers=(
                *self.headers,
                ("In-Reply-To", letter_message_id),
                ("References", letter_message_id),
            ),
            answers_letter_of=None,
        )

    def to_bytes(self) -> bytes:
        msg = EmailMessage()
        msg["From"] = self.sender
        msg["To"] = self.to
        msg["Subject"] = self.subject
        msg["Date"] = format_datetime(self.date)
        msg["Message-ID"] = self.message_id
        msg["MIME-Version"] = "1.0"
        for name, value in self.headers:
            msg[name] = value
        if self.body:
            msg.set_content(self.body)
            if self.html is not None:
                msg.add_alternative(self.html, subtype="html")
        else:
            msg.set_content(self.html or "", subtype="html")
        for filename, mime_type, recipe in self.attachments:
            maintype, subtype = mime_type.split("/", 1)
            data = _stable_zip(recipe())
            msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
        for number, part in enumerate(msg.walk()):
            if part.is_multipart():
                part.set_boundary(f"=_{self.slug}_{number}_{zlib.crc32(self.slug.encode()):x}")
        return msg.as_bytes()


def _stable_zip(data: bytes) -> bytes:
    """A ZIP container (DOCX, XLSX) with fixed member times, so its bytes repeat."""
    if not data.startswith(b"PK\x03\x04"):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def deliver(dovecot, user: str, messages: Iterable[Msg]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """APPEND each message to its folder with its INTERNALDATE, in order of receipt; slug -> UID."""
    uids: dict[str, int] = {}
    with dovecot.client(user) as client:
        for m in sorted(messages, key=lambda m: m.received):
            if m.folder.upper() != "INBOX" and not client.folder_exists(m.folder):
                client.create_folder(m.folder)
            response = client.append(m.folder, m.to_bytes(), msg_time=m.received)
            text = response.decode() if isinstance(response, bytes) else str(response)
            if "APPENDUID" in text:
                uids[m.slug] = int(text.split("APPENDUID", 1)[1].split("]")[0].split()[1])
    return uids


# --- builders for attachments -----------------------------------------------------------------

Block = str | tuple[str, object]


def office_docx(*blocks: Block) -> bytes:
    """A Word document: a string is a paragraph; ("h", text) a heading; ("table", [(label,
    value), ...]) a two-column table; ("boxes", [(ticked, text), ...]) tick-box lines;
    ("cell", text) a one-cell box (a free-text answer)."""
    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        kind, content = block
        if kind == "h":
            document.add_heading(str(content), level=2)
        elif kind == "title":
            document.add_heading(str(content), level=1)
        elif kind == "table":
            rows = list(content)  # type: ignore[call-overload]
            table = document.add_table(rows=len(rows), cols=2)
            table.style = "Table Grid"
            for row, (label, value) in zip(table.rows, rows, strict=True):
                row.cells[0].text = label
                row.cells[1].text = value or ""
        elif kind == "boxes":
            for ticked, text in content:  # type: ignore[attr-defined]
                document.add_paragraph(("☒ " if ticked else "☐ ") + text)
        elif kind == "cell":
            table = document.add_table(rows=1, cols=1)
            table.style = "Table Grid"
            table.rows[0].cells[0].text = str(content)
        else:
            raise ValueError(kind)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# Helvetica with WinAnsi plus the Polish letters WinAnsi lacks, on codes no Polish text uses
_POLISH = "ąćęłńśźżĄĆĘŁŃŚŹŻ"
_LOWER = ("aogonek", "cacute", "eogonek", "lslash", "nacute", "sacute", "zacute", "zdotaccent")
_GLYPHS = [*_LOWER, *(name.capitalize() for name in _LOWER)]
_CODE = {c: 0xC0 + i for i, c in enumerate(_POLISH)}
_FONT = (
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
    b"/BaseEncoding /WinAnsiEncoding /Differences [192 "
    + " ".join(f"/{g}" for g in _GLYPHS).encode()
    + b"] >> >>"
)


def _pdf_text(text: str) -> bytes:
    out = bytearray(b"(")
    for c in text:
        if c in _CODE:
            out.append(_CODE[c])
        elif c in "()\\":
            out += b"\\" + c.encode()
        else:
            out += c.encode("cp1252", "replace")
    return bytes(out + b")")


def _pdf_utf16(text: str) -> bytes:
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _pdf_file(objects: list[bytes]) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R /Info << /Producer (Microsoft Word) >> >>\n"
        b"startxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _wrap(line: str, width: int) -> list[str]:
    words, lines, current = line.split(" "), [], ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    return [*lines, current]


def text_pdf(lines: Sequence[str], *, size: float = 10.5) -> bytes:
    """A PDF of text lines (wrapped at about 95 characters), pages of A4 as a word processor
    prints them. A line starting with "# " is a bold-looking title (larger type)."""
    pages: list[list[bytes]] = [[]]
    y = 790.0
    for raw in lines:
        big = raw.startswith("# ")
        text = raw[2:] if big else raw
        font = size + 3 if big else size
        for piece in _wrap(text, 80 if big else 95) if text else [""]:
            if y < 60:
                pages.append([])
                y = 790.0
            pages[-1].append(b"BT /F1 %.1f Tf 56 %.1f Td %s Tj ET" % (font, y, _pdf_text(piece)))
            y -= font * 1.45
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", _FONT]
    kids = []
    for content in pages:
        stream = b"\n".join(content)
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids),
        len(kids),
    )
    return _pdf_file(objects)


@dataclass(frozen=True)
class PdfField:
    """A field of a fillable PDF: printed label, field name, value (a tick box: True/False)."""

    label: str
    name: str
    value: str | bool | None = None
    height: float = 18


@dataclass(frozen=True)
class FillablePdf:
    title: Sequence[str]
    fields: Sequence[PdfField]
    footer: Sequence[str] = field(default_factory=tuple)


def fillable_pdf(form: FillablePdf) -> bytes:
    """One A4 page: title lines, then each field's label left and its box right (AcroForm)."""
    content: list[bytes] = []
    y = 800.0
    for line in form.title:
        content.append(b"BT /F1 12 Tf 56 %.1f Td %s Tj ET" % (y, _pdf_text(line)))
        y -= 18
    y -= 10
    objects: list[bytes] = [b"", b"", _FONT]  # catalog, pages, font
    widgets: list[int] = []
    page_number = 4 + 2 * len(form.fields)  # the page object comes after the widgets
    for f in form.fields:
        tick = isinstance(f.value, bool)
        for i, piece in enumerate(_wrap(f.label, 42 if not tick else 90)):
            x = 80 if tick else 56
            content.append(
                b"BT /F1 9.5 Tf %d %.1f Td %s Tj ET" % (x, y - 12 - 11 * i, _pdf_text(piece))
            )
        rect = (56, y - 16, 70, y - 2) if tick else (300, y - f.height, 540, y)
        if tick:
            on = bool(f.value)
            state = b"/Yes" if on else b"/Off"
            appearance = len(objects) + 2
            objects.append(
                b"<< /Type /Annot /Subtype /Widget /FT /Btn /T %s /V %s /AS %s "
                b"/Rect [%d %.1f %d %.1f] /P %d 0 R /F 4 /MK << /ZaDb (4) >> "
                b"/AP << /N << /Yes %d 0 R /Off %d 0 R >> >> >>"
                % (_pdf_text(f.name), state, state, *rect, page_number, appearance, appearance)
            )
            stream = b""
            objects.append(
                b"<< /Type /XObject /Subtype /Form /BBox [0 0 14 14] /Length %d >>\nstream\n"
                % len(stream)
                + stream
                + b"\nendstream"
            )
        else:
            value = _pdf_utf16(f.value) if f.value else b"()"
            objects.append(
                b"<< /Type /Annot /Subtype /Widget /FT /Tx /T %s /V %s /Rect [%d %.1f %d %.1f] "
                b"/P %d 0 R /F 4 /DA (/Helv 10 Tf 0 g) /MK << /BC [0 0 0] >> >>"
                % (_pdf_text(f.name), value, *rect, page_number)
            )
            objects.append(b"<< /Producer (filler) >>")  # keeps two objects per field
        widgets.append(len(objects) - 1)
        y -= max(f.height, 11 * len(_wrap(f.label, 42))) + 12
    for line in form.footer:
        for piece in _wrap(line, 100):
            content.append(b"BT /F1 8 Tf 56 %.1f Td %s Tj ET" % (y, _pdf_text(piece)))
            y -= 11
    stream = b"\n".join(content)
    annots = b" ".join(b"%d 0 R" % n for n in widgets)
    objects.append(
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        b"/F1 3 0 R /Helv 3 0 R >> >> /Contents %d 0 R /Annots [%s] >>" % (len(objects) + 2, annots)
    )
    assert len(objects) == page_number
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    objects[0] = (
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /NeedAppearances true "
        b"/DA (/Helv 10 Tf 0 g) /DR << /Font << /Helv 3 0 R >> >> >> >>" % annots
    )
    objects[1] = b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page_number
    return _pdf_file(objects)


def photo_jpeg(seed: int, width: int = 3024, height: int = 4032) -> bytes:
    """A phone photo of a sheet as a baseline greyscale JPEG with the camera's EXIF: a pale,
    grainy page with darker bands where lines of writing are (no imaging library needed)."""
    rng = random.Random(seed)
    paper, ink = 200 + seed % 30, 70
    cols, rows = (width + 7) // 8, (height + 7) // 8
    dc_codes = {0: "0", 10: "10", 11: "110"}  # DC difference category -> Huffman code
    bits: list[str] = []
    previous = 0
    for row in range(rows):
        band = row % 5 == 2 and row > 8 * height // 1600
        for col in range(cols):
            line = band and cols // 12 < col < cols - cols // 12 - (row * 7 + seed * 13) % (
                cols // 3
            )
            value = 8 * ((ink if line else paper) - 128)  # the block's DC coefficient
            diff, previous = value - previous, value
            size = abs(diff).bit_length()
            bits.append(dc_codes[size])
            if size:
                bits.append(format(diff if diff > 0 else diff + (1 << size) - 1, f"0{size}b"))
            if rng.random() < 0.7:  # the paper's grain: one small AC coefficient
                bits.append("10" + rng.choice("01"))
            bits.append("0")  # end of block
    stream = "".join(bits)
    stream += "1" * (-len(stream) % 8)
    data = bytearray()
    for k in range(0, len(stream), 8):
        byte = int(stream[k : k + 8], 2)
        data += b"\xff\x00" if byte == 0xFF else bytes([byte])

    def segment(marker: int, payload: bytes) -> bytes:
        return bytes([0xFF, marker]) + (len(payload) + 2).to_bytes(2, "big") + payload

    make, model = b"Apple\x00", b"iPhone 12\x00"
    exif = (
        b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x02\x00"
        + b"\x0f\x01\x02\x00"
        + len(make).to_bytes(4, "little")
        + (38).to_bytes(4, "little")
        + b"\x10\x01\x02\x00"
        + len(model).to_bytes(4, "little")
        + (44).to_bytes(4, "little")
        + b"\x00\x00\x00\x00"
        + make
        + model
    )
    size_field = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return (
        b"\xff\xd8"
        + segment(0xE1, exif)
        + segment(0xDB, b"\x00" + b"\x01" * 64)
        + segment(0xC0, b"\x08" + size_field + b"\x01\x01\x11\x00")
        + segment(0xC4, bytes([0x00, 1, 1, 1] + [0] * 13 + [0, 10, 11]))  # DC table
        + segment(0xC4, bytes([0x10, 1, 1] + [0] * 14 + [0x00, 0x01]))  # AC: EOB, (0,1)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + bytes(data)
        + b"\xff\xd9"
    )
