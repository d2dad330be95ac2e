"""lxml for the DOCX and ODT readers: the one safe parser, names without namespaces."""

from __future__ import annotations

from lxml import etree

from parsers.zipsafe import Refused

_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_xml(data: bytes) -> etree._Element:
    """Parse one XML part: no entities resolved, no DTD or network, comments dropped."""
    try:
        return etree.fromstring(data, parser=_PARSER)
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise Refused("corrupt", f"XML part cannot be parsed ({type(exc).__name__})") from None


#: tag -> local name, filled as documents are read (bounded)
LOCAL_NAMES: dict[object, str] = {}


def local_name(el: etree._Element) -> str:
    """The local name (any namespace); "" for comments, processing instructions, entities."""
    tag = el.tag
    ln = LOCAL_NAMES.get(tag)
    if ln is None:
        ln = tag[tag.rfind("}") + 1 :] if isinstance(tag, str) else ""
        if len(LOCAL_NAMES) < 5000:
            LOCAL_NAMES[tag] = ln
    return ln


def attr(el: etree._Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace."""
    for k, v in el.attrib.items():
        if isinstance(k, str) and k[k.rfind("}") + 1 :] == name:
            return str(v)
    return None
