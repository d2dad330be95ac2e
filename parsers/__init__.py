"""Form extractors: read the application form's fields from DOCX, ODT, PDF and office files.

The public contract (other code is written against these names):
``extract``, ``sniff``, ``empty_fields``, ``Extraction``, ``ParseLimits``, ``FormSpec``,
``FormSpecError``, ``DEFAULT_FORM``, ``FIELD_KEYS``, ``FIELD_LABELS_PL``, ``REASON_TEXT_PL``.

Each name is imported from its module when it is first used (PEP 562), so ``import parsers``
costs nothing until a form is read: a run that reads none does not load the readers.
"""

from __future__ import annotations

from importlib import import_module

# imported now: the function shares its name with its module, which would shadow it when
# the module is first imported
from parsers.sniff import sniff

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy knows the name)
if TYPE_CHECKING:
    from typing import Any

    from parsers.core import extract
    from parsers.model import (
        FIELD_KEYS,
        FIELD_LABELS_PL,
        REASON_TEXT_PL,
        Extraction,
        ParseLimits,
        empty_fields,
    )
    from parsers.spec import DEFAULT_FORM, FieldSpec, FormSpec, FormSpecError, GroupOption

#: public name -> the module that defines it
_HOME = {
    "extract": "parsers.core",
    "FIELD_KEYS": "parsers.model",
    "FIELD_LABELS_PL": "parsers.model",
    "REASON_TEXT_PL": "parsers.model",
    "Extraction": "parsers.model",
    "ParseLimits": "parsers.model",
    "empty_fields": "parsers.model",
    "DEFAULT_FORM": "parsers.spec",
    "FieldSpec": "parsers.spec",
    "FormSpec": "parsers.spec",
    "FormSpecError": "parsers.spec",
    "GroupOption": "parsers.spec",
}

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


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'parsers' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
