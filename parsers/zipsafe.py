"""Zip containers (DOCX, ODT) opened without trusting them: limits checked before inflating."""

from __future__ import annotations

import io
import zipfile
import zlib

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
        raise Refused(
            "limit_exceeded", f"zip has {len(infos)} members (limit {limits.max_zip_members})"
        )
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > 64 * 1024 and info.file_size > limits.max_ratio * max(
            info.compress_size, 1
        ):
            raise Refused(
                "limit_exceeded",
                "zip member compression ratio "
                f"{info.file_size // max(info.compress_size, 1)} above the limit "
                f"{limits.max_ratio} (zip bomb?)",
            )
    if total > limits.max_uncompressed:
        raise Refused(
            "limit_exceeded", f"zip inflates to {total} bytes (limit {limits.max_uncompressed})"
        )
    return zf


def _read_plain(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    """The member's bytes straight from the container, when it is a plain, whole member:
    stored or deflated, no flags zipfile refuses or needs a password for, the local header
    naming it, the data inflating to exactly the declared size with the declared CRC-32 and
    the deflate stream ending there. zipfile reads such a member to the same bytes without an
    error; anything else (None) is left to zipfile, which also tells what is wrong."""
    fp = zf.fp
    if (
        not isinstance(fp, io.BytesIO)
        or info.flag_bits & 0x61
        or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
    ):
        return None
    data = fp.getvalue()  # the bytes given to open_zip (no copy)
    off = info.header_offset
    head = data[off : off + 30]
    if len(head) != 30 or head[:4] != b"PK\x03\x04":
        return None
    flags = int.from_bytes(head[6:8], "little")
    n_name = int.from_bytes(head[26:28], "little")
    n_extra = int.from_bytes(head[28:30], "little")
    try:
        name = data[off + 30 : off + 30 + n_name].decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        return None
    if name != info.orig_filename:
        return None
    start = off + 30 + n_name + n_extra
    comp = data[start : start + info.compress_size]
    if len(comp) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            return None
        out = comp
    else:
        d = zlib.decompressobj(-15)
        try:
            out = d.decompress(comp, info.file_size + 1)
        except zlib.error:
            return None
        if len(out) != info.file_size or not d.eof or d.unconsumed_tail:
            return None
    if zlib.crc32(out) != info.CRC:
        return None
    return out


def read_member(zf: zipfile.ZipFile, name: str, limits: ParseLimits) -> bytes:
    """Read one member, never more than its declared size nor the container limit."""
    info = zf.getinfo(name)
    if info.flag_bits & 0x1:
        raise Refused("encrypted", "zip member is encrypted")
    cap = min(info.file_size, limits.max_uncompressed)
    if cap == info.file_size:
        out = _read_plain(zf, info)
        if out is not None:
            return out
    try:
        with zf.open(info) as fh:
            out = fh.read(cap + 1)
    except (
        zipfile.BadZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:
        raise Refused("corrupt", f"zip member cannot be read ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - zlib.error and friends
        raise Refused("corrupt", f"zip member cannot be read ({type(exc).__name__})") from None
    if len(out) > cap:
        raise Refused("limit_exceeded", "zip member larger than declared")
    return out


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
