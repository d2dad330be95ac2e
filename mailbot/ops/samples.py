"""Filled application forms and e-mails made by mailbot's own code.

Used by ``mailbot demo`` (its example inbox) and by the tests. Starts from the DKRES call's
blank forms shipped in ``mailbot/assets``: the Word form is filled cell by cell with
python-docx, the fillable PDF with pypdf, and a "scan" is a PDF page holding only an image.
Which value goes where comes from the built-in form's spec (``parsers/forms/dkres.toml``):
the Word form's first table holds its first-part fields in form order, the fillable PDF's
fields carry the spec's first ``pdf_names``.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from importlib import resources

import docx
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from parsers import DEFAULT_FORM

ASSETS = resources.files("mailbot") / "assets"
BLANK_DOCX = "formularz-zgloszeniowy.docx"
BLANK_PDF = "formularz-zgloszeniowy-wypelnialny.pdf"

_TEXTS = [f for f in DEFAULT_FORM.fields if f.type == "text"]
_CHOICE = DEFAULT_FORM.groups_field
assert _CHOICE is not None, "the built-in form has its working groups"
# the Word form's first table: a row per field of the form's first part (before the choice)
DOCX_ROWS = tuple(f.key for f in DEFAULT_FORM.fields[: DEFAULT_FORM.fields.index(_CHOICE)])
# the fillable PDF's text fields, by key
PDF_TEXT_FIELDS = {f.key: f.pdf_names[0] for f in _TEXTS}
# its boxes: the choice's (``grupa_{n}``) and the statements'
PDF_CHOICE = _CHOICE.pdf_names[0]
PDF_STATEMENTS = {f.key: f.pdf_names[0] for f in DEFAULT_FORM.fields if f.type == "checkbox"}


@dataclass(frozen=True)
class Applicant:
    full_name: str | None = "Anna Kowalska"
    organisation: str | None = "Centrum Integracji Społecznej w Oławie"
    organisation_type: str | None = "CIS"
    position: str | None = "Kierowniczka CIS"
    address: str | None = "ul. Wrocławska 12\n55-200 Oława"
    email: str | None = "a.kowalska@cis-olawa.example.pl"
    phone: str | None = "+48 601 234 567"
    groups: tuple[int, ...] = (4,)
    experience: str | None = "Od 2015 r. kieruję Centrum Integracji Społecznej."
    accepts_rules: bool = True
    consents_gdpr: bool = True
    place_and_date: str | None = "Oława, 14.05.2024"
    signature: str | None = field(default=None)

    def expected_fields(self) -> dict[str, object]:
        """The fields the built-in form's reader should give for this applicant."""
        values = {key: getattr(self, key) for key in DEFAULT_FORM.keys}
        return {k: sorted(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _set_cell(cell: docx.table._Cell, text: str | None) -> None:  # type: ignore[name-defined]
    lines = (text or "").split("\n")
    paragraph = cell.paragraphs[0]
    paragraph.text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def filled_docx(applicant: Applicant, tick: str = "☒") -> bytes:
    """The Word form filled in the neat way: values in the value cells, boxes ticked."""
    document = docx.Document(io.BytesIO((ASSETS / BLANK_DOCX).read_bytes()))
    tables = document.tables
    for row, key in zip(tables[0].rows, DOCX_ROWS, strict=True):
        _set_cell(row.cells[1], getattr(applicant, key))
    _set_cell(tables[1].rows[0].cells[0], applicant.experience)
    _set_cell(tables[2].rows[0].cells[1], applicant.place_and_date)
    _set_cell(tables[2].rows[1].cells[1], applicant.signature or applicant.full_name)
    boxes = [p for p in document.paragraphs if p.text.startswith("☐")]
    ticks = [n in applicant.groups for n in range(1, 6)]
    ticks += [bool(getattr(applicant, key)) for key in PDF_STATEMENTS]
    for paragraph, ticked in zip(boxes, ticks, strict=True):
        if ticked:
            run = paragraph.runs[0]
            run.text = run.text.replace("☐", tick, 1)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def filled_pdf(applicant: Applicant) -> bytes:
    """The fillable PDF with its fields filled, as Acrobat or a browser would save it."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO((ASSETS / BLANK_PDF).read_bytes())))
    values: dict[str, str] = {
        name: getattr(applicant, key) or "" for key, name in PDF_TEXT_FIELDS.items()
    }
    for n in range(1, 6):
        values[PDF_CHOICE.format(n=n)] = "/Yes" if n in applicant.groups else "/Off"
    for key, name in PDF_STATEMENTS.items():
        values[name] = "/Yes" if getattr(applicant, key) else "/Off"
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    writer.set_need_appearances_writer(True)
    for annotation in writer.pages[0].get("/Annots", []):
        obj = annotation.get_object()
        name = obj.get("/T")
        if name in values and values[name] in ("/Yes", "/Off"):
            obj[NameObject("/AS")] = NameObject(values[name])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def scanned_pdf(width: int = 200, height: int = 280) -> bytes:
    """A one-page PDF holding only a grey image: what a scanner produces, no text at all."""
    pixels = zlib.compress(bytes([200]) * (width * height))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(pixels))
        + pixels
        + b"\nendstream",
    ]
    content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    return pdf_from_objects(objects)


def email_with(
    sender: str,
    subject: str,
    body: str,
    *,
    to: str,
    date: datetime,
    attachments: tuple[tuple[str, bytes, str], ...] = (),
    headers: tuple[tuple[str, str], ...] = (),
    received: datetime | None = None,
) -> bytes:
    """An e-mail as a mail client sends it; ``received`` adds a server's Received: line."""
    msg = EmailMessage()
    if received is not None:
        msg["Received"] = (
            f"from mail.example.pl by mx.dops.wroc.pl with ESMTPS; {format_datetime(received)}"
        )
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">"))
    for name, value in headers:
        msg[name] = value
    msg.set_content(body)
    for filename, data, mime_type in attachments:
        maintype, subtype = mime_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def winmail_dat(filename: str, data: bytes) -> bytes:
    """A minimal Outlook ``winmail.dat`` (TNEF) carrying one file, as Outlook in RTF mode sends."""

    def attribute(level: int, attr_id: int, value: bytes) -> bytes:
        checksum = sum(value) & 0xFFFF
        return struct.pack("<BII", level, attr_id, len(value)) + value + struct.pack("<H", checksum)

    return (
        b"\x78\x9f\x3e\x22"
        + struct.pack("<H", 0x0101)
        + attribute(1, 0x00089006, b"\x01\x00\x00\x00")  # attTnefVersion
        + attribute(2, 0x00069002, b"\x00" * 14)  # attAttachRendData: an attachment
        + attribute(2, 0x00018010, filename.encode("latin-1") + b"\x00")  # attAttachTitle
        + attribute(2, 0x0006800F, data)
    )  # attAttachData


def pdf_from_objects(objects: list[bytes]) -> bytes:
    """A PDF file of these objects (object 1 the catalogue), with its cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
