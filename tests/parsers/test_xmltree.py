"""parsers/xmltree.py: the one XML parser of the DOCX and ODT readers resolves no entity, loads no
DTD, and names elements and attributes without their namespaces."""

from __future__ import annotations

import pytest

from parsers.xmltree import attr, local_name, parse_xml
from parsers.zipsafe import Refused

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def test_names_without_namespaces() -> None:
    root = parse_xml(
        f'<w:document xmlns:w="{W}"><w:body><w:p w:rsidR="00AB"><w:t>Anna</w:t></w:p>'
        "</w:body></w:document>".encode()
    )
    assert local_name(root) == "document"
    paragraph = root[0][0]
    assert local_name(paragraph) == "p"
    assert attr(paragraph, "rsidR") == "00AB"
    assert attr(paragraph, "missing") is None
    assert paragraph[0].text == "Anna"


def test_comments_and_processing_instructions_are_dropped() -> None:
    root = parse_xml(b"<a><!-- a note --><?mso-application progid?><b>x</b></a>")
    assert [local_name(child) for child in root] == ["b"]


def test_an_entity_is_not_expanded() -> None:
    data = (
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        b"<a>&secret;</a>"
    )
    try:
        root = parse_xml(data)
    except Refused as refused:
        assert refused.reason == "corrupt"
    else:
        assert "root:" not in "".join(root.itertext())


def test_broken_xml_is_refused_as_corrupt() -> None:
    with pytest.raises(Refused) as refused:
        parse_xml(b"<w:document><w:body>")
    assert refused.value.reason == "corrupt"
    with pytest.raises(Refused):
        parse_xml(b"")
