"""The extraction result, the parse limits and the reason texts."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from parsers.spec import DEFAULT_FORM, FormSpec

if TYPE_CHECKING:
    from parsers.identify import Identification

#: the keys of the built-in (DKRES) form, in form order; code iterates over a FormSpec instead
FIELD_KEYS: tuple[str, ...] = DEFAULT_FORM.keys

#: key -> the letter label of the built-in form's fields
FIELD_LABELS_PL: Mapping[str, str] = MappingProxyType({f.key: f.label for f in DEFAULT_FORM.fields})

#: reason code -> a short Polish phrase for an applicant-facing reply
REASON_TEXT_PL: Mapping[str, str] = MappingProxyType(
    {
        "scan": (
            "plik jest skanem lub zdjęciem – nie zawiera tekstu, który można odczytać maszynowo"
        ),
        "encrypted": "plik jest zabezpieczony hasłem lub zaszyfrowany",
        "not_the_form": "plik nie jest formularzem zgłoszeniowym naboru (nie znaleziono jego pól)",
        "corrupt": "plik jest uszkodzony i nie daje się otworzyć",
        "unsupported_format": "format pliku nie jest obsługiwany (prosimy o DOCX, ODT lub PDF)",
        "too_large": "plik jest zbyt duży",
        "limit_exceeded": (
            "plik przekracza dopuszczalne limity (liczba stron, rozmiar po rozpakowaniu "
            "lub czas odczytu)"
        ),
        "converter_missing": "tego formatu nie można obecnie przetworzyć automatycznie "
        "(prosimy o DOCX, ODT lub PDF)",
        "conversion_failed": "nie udało się przekształcić pliku do formatu, który można odczytać",
    }
)


@dataclass(frozen=True)
class ParseLimits:
    """Resource limits for one file; defaults are sane for a public mailbox."""

    max_bytes: int = 20 * 1024 * 1024  # input file size
    max_zip_members: int = 2000
    max_uncompressed: int = 100 * 1024 * 1024  # total uncompressed size of a zip container
    max_ratio: int = 200  # per-member compression ratio
    max_pdf_pages: int = 50
    max_seconds: float = 20.0  # best-effort time budget for one file


def empty_fields(spec: FormSpec | None = None) -> dict[str, Any]:
    """All keys of the form with "nothing read" values: text None, choices [], statements
    False."""
    return (spec or DEFAULT_FORM).empty_fields()


@dataclass(frozen=True)
class Printed:
    """Which of the form's printed texts the reader recognised in a file, whatever was filled
    in: the keys whose label was found (a text field's label, the choice field's heading),
    the choice numbers whose text was found (ticked or not), the statements found."""

    labels: frozenset[str] = frozenset()
    options: frozenset[int] = frozenset()
    statements: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Extraction:
    """What was read from one file (never raises to build; see parsers.extract)."""

    readable: bool
    reason: str | None
    kind: str
    fields: Mapping[str, Any]
    sources: Mapping[str, str] = field(default_factory=dict)
    detail: str | None = None
    suggestion: str | None = None
    #: which of the form's own texts the file carries (None: not looked at, e.g. a scan)
    identification: Identification | None = None
    #: the form's labels, choices and statements recognised (None: the file was not read as a
    #: document, e.g. a scan); not in ``to_json``: ``mailbot check`` shows it for the blank form
    printed: Printed | None = None

    def to_json(self) -> dict[str, Any]:
        fields = {
            k: (list(v) if isinstance(v, list | tuple) else v) for k, v in self.fields.items()
        }
        return {
            "readable": self.readable,
            "reason": self.reason,
            "fields": fields,
            "kind": self.kind,
            "sources": dict(self.sources),
            "identification": (
                self.identification.to_json() if self.identification is not None else None
            ),
        }
