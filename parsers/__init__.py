"""Form extractors: read the application form's fields from DOCX, ODT, PDF and office files.

The public contract (other code is written against these names):
``extract``, ``sniff``, ``empty_fields``, ``Extraction``, ``ParseLimits``, ``FormSpec``,
``FormSpecError``, ``DEFAULT_FORM``, ``FIELD_KEYS``, ``FIELD_LABELS_PL``, ``REASON_TEXT_PL``.
"""

from parsers.core import extract
from parsers.model import (
    FIELD_KEYS,
    FIELD_LABELS_PL,
    REASON_TEXT_PL,
    Extraction,
    ParseLimits,
    empty_fields,
)
from parsers.sniff import sniff
from parsers.spec import DEFAULT_FORM, FieldSpec, FormSpec, FormSpecError, GroupOption

__all__ = [
    "DEFAULT_FORM",
    "FIELD_KEYS",
    "FIELD_LABELS_PL",
    "REASON_TEXT_PL",
    "Extraction",
    "FieldSpec",
    "FormSpec",
    "FormSpecError",
    "GroupOption",
    "ParseLimits",
    "empty_fields",
    "extract",
    "sniff",
]
