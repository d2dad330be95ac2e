"""parsers/model.py: the extraction result and what an empty form is."""

from __future__ import annotations

from parsers import DEFAULT_FORM, FormSpec
from parsers.model import (
    FIELD_KEYS,
    FIELD_LABELS_PL,
    Extraction,
    Printed,
    empty_fields,
)

CARD = FormSpec.from_mapping(
    {
        "fields": [
            {"key": "imie_nazwisko", "type": "text", "labels": ["Imię i nazwisko"]},
            {"key": "adres_email", "type": "email", "labels": ["E-mail"]},
            {"key": "zgoda", "type": "statement", "labels": ["Wyrażam zgodę."]},
        ],
    }
)


def test_an_empty_form_has_every_key_with_nothing_read():
    empty = empty_fields()
    assert list(empty) == list(FIELD_KEYS) == list(DEFAULT_FORM.keys)
    assert all(v in (None, [], False) for v in empty.values())
    assert empty_fields(CARD) == {"imie_nazwisko": None, "adres_email": None, "zgoda": False}


def test_the_built_in_labels_name_every_field():
    assert set(FIELD_LABELS_PL) == set(FIELD_KEYS)
    assert all(label.strip() for label in FIELD_LABELS_PL.values())


def test_to_json_gives_lists_and_leaves_out_what_only_check_shows():
    ext = Extraction(
        readable=True,
        reason=None,
        kind="docx",
        fields={"groups": (1, 3), "full_name": "Anna"},
        sources={"full_name": "table 1 row 1"},
        printed=Printed(labels=frozenset({"full_name"})),
    )
    out = ext.to_json()
    assert out == {
        "readable": True,
        "reason": None,
        "fields": {"groups": [1, 3], "full_name": "Anna"},
        "kind": "docx",
        "sources": {"full_name": "table 1 row 1"},
        "identification": None,
    }
    assert "printed" not in out and "detail" not in out
