"""Small lxml helpers shared by the DOCX and ODT readers: names without namespaces."""

from __future__ import annotations

from lxml import etree

#: tag -> local name, filled as documents are read (bounded)
LOCAL_NAMES: dict[object, str] = {}


def local_name(el: etree._Element) -> str:
    """The local name (any namespace); "" for comments, processing instructions, entities."""
    tag = el.tag
    ln = LOCAL_NAMES.get(tag)
    if ln is None:
        ln = tag[tag.rfind("}") + 1:] if isinstance(tag, str) else ""
        if len(LOCAL_NAMES) < 5000:
            LOCAL_NAMES[tag] = ln
    return ln


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace."""
    for k, v in el.attrib.items():
        if k[k.rfind("}") + 1:] == name:
            return v
    return None
