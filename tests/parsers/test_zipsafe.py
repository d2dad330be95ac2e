"""parsers/zipsafe.py: a zip container is checked from its central directory before anything is
inflated, and a member is read to its declared size and no further."""

from __future__ import annotations

import io
import zipfile

import pytest

from parsers.model import ParseLimits
from parsers.zipsafe import Refused, find_member, open_zip, read_member


def container(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize("method", [zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED])
def test_a_member_reads_back_whole(method: int) -> None:
    text = "Imię i nazwisko: Anna Kowalska\n".encode() * 50
    zf = open_zip(container({"word/document.xml": text}, method), ParseLimits())
    assert read_member(zf, "word/document.xml", ParseLimits()) == text


def test_not_a_zip_is_corrupt() -> None:
    with pytest.raises(Refused) as refused:
        open_zip(b"%PDF-1.7 not a zip at all", ParseLimits())
    assert refused.value.reason == "corrupt"


def test_too_many_members_are_refused_before_reading() -> None:
    data = container({f"part{i}.xml": b"<a/>" for i in range(6)})
    with pytest.raises(Refused) as refused:
        open_zip(data, ParseLimits(max_zip_members=5))
    assert refused.value.reason == "limit_exceeded"
    assert "6 members" in refused.value.detail
    assert open_zip(data, ParseLimits(max_zip_members=6))


def test_a_zip_bomb_is_refused_by_its_declared_ratio() -> None:
    data = container({"word/document.xml": b"\0" * 2_000_000})  # deflates about 1000:1
    with pytest.raises(Refused) as refused:
        open_zip(data, ParseLimits(max_ratio=200))
    assert refused.value.reason == "limit_exceeded"
    assert "ratio" in refused.value.detail
    assert open_zip(data, ParseLimits(max_ratio=10_000))


def test_the_total_inflated_size_is_limited() -> None:
    data = container({"a.xml": b"a" * 40_000, "b.xml": b"b" * 40_000}, zipfile.ZIP_STORED)
    with pytest.raises(Refused) as refused:
        open_zip(data, ParseLimits(max_uncompressed=50_000))
    assert refused.value.reason == "limit_exceeded"


def test_a_member_larger_than_the_container_limit_is_refused() -> None:
    data = container({"a.xml": b"a" * 30_000}, zipfile.ZIP_STORED)
    zf = open_zip(data, ParseLimits())
    with pytest.raises(Refused) as refused:
        read_member(zf, "a.xml", ParseLimits(max_uncompressed=10_000))
    assert refused.value.reason == "limit_exceeded"


def test_a_damaged_member_is_corrupt_not_a_crash() -> None:
    text = b"<w:document>" + b"tekst formularza " * 400 + b"</w:document>"
    data = bytearray(container({"word/document.xml": text}))
    start = data.index(b"word/document.xml") + len("word/document.xml")  # the local header's
    for i in range(start + 10, start + 60):  # a stretch of the deflated data, overwritten
        data[i] ^= 0x5A
    zf = open_zip(bytes(data), ParseLimits())
    with pytest.raises(Refused) as refused:
        read_member(zf, "word/document.xml", ParseLimits())
    assert refused.value.reason == "corrupt"


def test_an_encrypted_member_is_named_so() -> None:
    data = bytearray(container({"content.xml": b"<office:document/>"}, zipfile.ZIP_STORED))
    # the "encrypted" flag in the central directory entry (and the local header)
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        at = data.index(sig)
        flag_at = at + (8 if sig == b"PK\x01\x02" else 6)
        data[flag_at] |= 0x01
    zf = open_zip(bytes(data), ParseLimits())
    with pytest.raises(Refused) as refused:
        read_member(zf, "content.xml", ParseLimits())
    assert refused.value.reason == "encrypted"


def test_a_member_is_found_whatever_its_case_or_leading_slash() -> None:
    zf = open_zip(container({"Word/Document.xml": b"<a/>", "/content.xml": b"<b/>"}), ParseLimits())
    assert find_member(zf, "word/document.xml") == "Word/Document.xml"
    assert find_member(zf, "/Word/Document.xml") == "Word/Document.xml"
    assert find_member(zf, "content.xml") == "/content.xml"
    assert find_member(zf, "styles.xml") is None
