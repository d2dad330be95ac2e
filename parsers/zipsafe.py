"""Zip containers (DOCX, ODT) opened without trusting them: limits checked before inflating."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

from parsers.model import ParseLimits


class Refused(Exception):
    """The file breaks a rule; ``reason`` is the Extraction reason code."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def open_zip(data: bytes, limits: ParseLimits) -> zipfile.ZipFile:
    """Open and check the central directory: member count, total and per-member sizes and
    compression ratios, all from the declared sizes, before anything is inflated."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise Refused("corrupt", f"not a readable zip container ({type(exc).__name__})") from None
    if len(infos) > limits.max_zip_members:
        raise Refused("limit_exceeded",
                      f"zip has {len(infos)} members (limit {limits.max_zip_members})")
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 64 * 1024 and \
                info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise Refused("limit_exceeded", "zip member compression ratio "
                          f"{info.file_size // max(info.compress_size, 1)} above the limit "
                          f"{limits.max_ratio} (zip bomb?)")
    if total > limits.max_uncompressed:
        raise Refused("limit_exceeded", f"zip inflates to {total} bytes "
                      f"(limit {limits.max_uncompressed})")
    return zf


def read_member(zf: zipfile.ZipFile, name: str, limits: ParseLimits) -> bytes:
    """Read one member, never more than its declared size nor the container limit."""
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        raise Refused("encrypted", "zip member is encrypted")
    cap = min(info.file_size, limits.max_uncompressed)
    try:
        with zf.open(info) as fh:
            out = fh.read(cap + 1)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError,
            RuntimeError) as exc:
        raise Refused("corrupt", f"zip member cannot be read ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends
        raise Refused("corrupt", f"zip member cannot be read ({type(exc).__name__})") from None
    if len(out) > cap:
        raise Refused("limit_exceeded", "zip member larger than declared")
    return out


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True, remove_pis=True)


def parse_xml(data: bytes) -> etree._Element:
    try:
        return etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise Refused("corrupt", f"XML part cannot be parsed ({type(exc).__name__})") from None


def find_member(zf: zipfile.ZipFile, name: str) -> str | None:
    """The member called ``name``, tolerating a different case and a leading slash."""
    name = name.lstrip("/")
    names = zf.namelist()
    if name in names:
        return name
    low = name.lower()
    for n in names:
        if n.lstrip("/").lower() == low:
            return n
    return None
