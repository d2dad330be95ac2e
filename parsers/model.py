"""The extraction result, the parse limits and the fixed field keys of the contract."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

#: the 12 keys of the DKRES form, in form order (every Extraction.fields carries all of them)
FIELD_KEYS: tuple[str, ...] = (
    "full_name", "organisation", "organisation_type", "position", "address", "email", "phone",
    "groups", "experience", "accepts_rules", "consents_gdpr", "place_and_date",
)

#: key -> the short Polish label as printed on the form (for replies to applicants)
FIELD_LABELS_PL: Mapping[str, str] = MappingProxyType({
    "full_name": "Imię i nazwisko",
    "organisation": "Nazwa reprezentowanego podmiotu / instytucji",
    "organisation_type": "Rodzaj podmiotu",
    "position": "Stanowisko / pełniona funkcja",
    "address": "Adres do korespondencji",
    "email": "Adres e-mail",
    "phone": "Telefon kontaktowy",
    "groups": "Grupa robocza",
    "experience": "Doświadczenie i uzasadnienie kandydatury",
    "accepts_rules": "Oświadczenie o zapoznaniu się z Regulaminem i jego akceptacji",
    "consents_gdpr": "Zgoda na przetwarzanie danych osobowych",
    "place_and_date": "Miejscowość i data",
})

#: reason code -> a short Polish phrase for an applicant-facing reply
REASON_TEXT_PL: Mapping[str, str] = MappingProxyType({
    "scan": "plik jest skanem lub zdjęciem – nie zawiera tekstu, który można odczytać maszynowo",
    "encrypted": "plik jest zabezpieczony hasłem lub zaszyfrowany",
    "not_the_form": "plik nie jest formularzem zgłoszeniowym naboru (nie znaleziono jego pól)",
    "corrupt": "plik jest uszkodzony i nie daje się otworzyć",
    "unsupported_format": "format pliku nie jest obsługiwany (prosimy o DOCX, ODT lub PDF)",
    "too_large": "plik jest zbyt duży",
    "limit_exceeded": "plik przekracza dopuszczalne limity (liczba stron, rozmiar po rozpakowaniu "
                      "lub czas odczytu)",
    "converter_missing": "tego formatu nie można obecnie przetworzyć automatycznie "
                         "(prosimy o DOCX, ODT lub PDF)",
    "conversion_failed": "nie udało się przekształcić pliku do formatu, który można odczytać",
})


@dataclass(frozen=True)
class ParseLimits:
    """Resource limits for one file; defaults are sane for a public mailbox."""

    max_bytes: int = 20 * 1024 * 1024          # input file size
    max_zip_members: int = 2000
    max_uncompressed: int = 100 * 1024 * 1024  # total uncompressed size of a zip container
    max_ratio: int = 200                       # per-member compression ratio
    max_pdf_pages: int = 50
    max_seconds: float = 20.0                  # best-effort time budget for one file


def empty_fields(keys: tuple[str, ...] = FIELD_KEYS) -> dict[str, Any]:
    """All keys with "nothing read" values: text None, groups [], statements False."""
    out: dict[str, Any] = {}
    for key in keys:
        if key == "groups":
            out[key] = []
        elif key in ("accepts_rules", "consents_gdpr"):
            out[key] = False
        else:
            out[key] = None
    return out


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

    def to_json(self) -> dict[str, Any]:
        fields = {k: (list(v) if isinstance(v, list | tuple) else v)
                  for k, v in self.fields.items()}
        return {"readable": self.readable, "reason": self.reason, "fields": fields,
                "kind": self.kind, "sources": dict(self.sources)}
