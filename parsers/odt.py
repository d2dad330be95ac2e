"""ODT (OpenDocument text): content.xml read once with lxml, same rules as DOCX."""

from __future__ import annotations

from parsers.flow import Block
from parsers.model import ParseLimits
from parsers.zipsafe import Refused


def read(data: bytes, limits: ParseLimits) -> tuple[list[Block], int, bool]:
    raise Refused("unsupported_format", "ODT reading is not available yet")
