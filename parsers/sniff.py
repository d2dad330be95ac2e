"""The kind of a file, decided by its bytes only (never its name or declared MIME type)."""

from __future__ import annotations

import io

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ODF = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.text-template": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}


def sniff(data: bytes) -> str:
    """ "docx", "odt", "pdf", "doc", "rtf", "image", "xlsx", "pptx", "ods", "odp", "xls",
    "ppt", "zip", "html", "text" or "unknown"."""
    try:
        return _sniff(data)
    except Exception:  # noqa: BLE001 - sniffing never fails
        return "unknown"


def _sniff(data: bytes) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.lstrip()[:5] == b"{\\rtf":
        return "rtf"
    if _is_image(data):
        return "image"
    low = head.lstrip().lower()
    if low.startswith((b"<!doctype html", b"<html")):
        return "html"
    if low.startswith(b"<?xml") and b"<office:document" in data[:4096]:
        return "odt"  # flat ODF (.fodt)
    if head and all(b >= 0x20 or b in (9, 10, 13) for b in head[:512]):
        return "text"
    return "unknown"


def _is_image(data: bytes) -> bool:
    return (
        data.startswith(
            (
                b"\xff\xd8\xff",
                b"\x89PNG\r\n\x1a\n",
                b"GIF87a",
                b"GIF89a",
                b"II*\x00",
                b"MM\x00*",
                b"BM",
            )
        )
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
        or (
            data[4:8] == b"ftyp"
            and data[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"avif", b"hevc")
        )
    )


def _zip_kind(data: bytes) -> str:
    # fast path: an ODF's first member is the stored "mimetype"; a DOCX names word/ parts
    if data[30:38] == b"mimetype":
        kind = _ODF.get(data[38 : 38 + 60].split(b"PK")[0].strip())
        if kind:
            return kind
    if b"[Content_Types].xml" in data and b"word/document.xml" in data:
        return "docx"
    import zipfile  # only for zip files the fast paths above do not name

    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        names = zf.namelist()
    except Exception:  # noqa: BLE001 - a broken zip is still a zip
        return "zip"
    lower = {n.lower().lstrip("/") for n in names}
    if "mimetype" in lower:
        info = next(i for i in zf.infolist() if i.filename.lower().lstrip("/") == "mimetype")
        if info.compress_type == zipfile.ZIP_STORED and info.file_size < 200:
            # stored, uncompressed: its bytes are in the local entry right after the header
            off = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            kind = _ODF.get(data[off : off + info.file_size].strip())
            if kind:
                return kind
    if "[content_types].xml" in lower:
        if any(n.startswith("word/") for n in lower):
            return "docx"
        if any(n.startswith("xl/") for n in lower):
            return "xlsx"
        if any(n.startswith("ppt/") for n in lower):
            return "pptx"
        return "docx"  # a renamed main part; the reader follows [Content_Types].xml
    if "content.xml" in lower and "meta-inf/manifest.xml" in lower:
        return "odt"
    if "word/document.xml" in lower:
        return "docx"
    return "zip"


def _ole_kind(data: bytes) -> str:
    # the directory entry names are UTF-16LE; finding them is enough to tell the kinds apart
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "docx"  # an OOXML file encrypted with a password (Office wraps it in OLE)
    if "WordDocument".encode("utf-16-le") in data:
        return "doc"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "xls"
    if "PowerPoint Document".encode("utf-16-le") in data:
        return "ppt"
    return "ole"
