"""The form as configuration: labels, field keys, group names and statements.

``FormSpec.from_mapping`` reads the ``[form]`` table of config.toml (see parsers/README.md);
an empty table gives the DKRES form (``DEFAULT_FORM``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from parsers.model import FIELD_KEYS

FIELD_TYPES = ("text", "groups", "checkbox")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


class FormSpecError(ValueError):
    """A bad ``[form]`` table: ``key`` is the dotted path, ``expected`` what should be there."""

    def __init__(self, key: str, expected: str) -> None:
        super().__init__(f"{key}: expected {expected}")
        self.key = key
        self.expected = expected


@dataclass(frozen=True)
class GroupOption:
    number: int
    name: str


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form.

    type "text": ``labels`` are the printed label and accepted rewordings;
    type "groups": ``labels`` are the section heading, ``options`` the groups to tick;
    type "checkbox": ``labels`` are the statement's text (ticked -> True).
    """

    key: str
    type: str
    label: str                      # short Polish label for replies
    labels: tuple[str, ...]
    pdf_names: tuple[str, ...] = ()
    multiline: bool = False
    options: tuple[GroupOption, ...] = ()


#: FormSpec (by id, with the object kept to check it) -> its empty fields, worked out once
_EMPTY: dict[int, tuple[FormSpec, dict[str, Any]]] = {}


@dataclass(frozen=True)
class FormSpec:
    fields: tuple[FieldSpec, ...]
    headings: tuple[str, ...] = ()     # section titles: end a value, never a value themselves
    stop: tuple[str, ...] = ()         # ends a value, never read (signature, clause, footer)
    min_labels: int = 4                # fewer form labels found -> "not_the_form"
    title: str = ""

    # -- derived views ------------------------------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        """Output keys: the contract's 12 keys first, then any extra keys of this form."""
        own = tuple(f.key for f in self.fields)
        return own + tuple(k for k in FIELD_KEYS if k not in own)

    def field(self, key: str) -> FieldSpec | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    @property
    def groups_field(self) -> FieldSpec | None:
        for f in self.fields:
            if f.type == "groups":
                return f
        return None

    def empty_fields(self) -> dict[str, Any]:
        hit = _EMPTY.get(id(self))
        if hit is not None and hit[0] is self:
            template = hit[1]
        else:
            template = {}
            types = {f.key: f.type for f in self.fields}
            for key in self.keys:
                t = types.get(key, "groups" if key == "groups" else
                              "checkbox" if key in ("accepts_rules", "consents_gdpr") else "text")
                template[key] = [] if t == "groups" else False if t == "checkbox" else None
            if len(_EMPTY) > 32:
                _EMPTY.clear()
            _EMPTY[id(self)] = (self, template)
        # a new dict (and new lists) every time: callers fill it in
        return {k: [] if v == [] else v for k, v in template.items()}

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def from_mapping(cls, form: Mapping[str, Any],
                     groups: Sequence[tuple[int, str]] | None = None) -> FormSpec:
        """Build from the ``[form]`` table (may be empty -> the DKRES form); ``groups`` are the
        call's (number, name) pairs, which replace the group names of the form."""
        if not isinstance(form, Mapping):
            raise FormSpecError("form", "a table")
        known = {"title", "fields", "headings", "stop", "min_labels"}
        for k in form:
            if k not in known:
                raise FormSpecError(f"form.{k}", "one of " + ", ".join(sorted(known)))
        base = DEFAULT_FORM_MAPPING
        title = _str(form.get("title", base["title"]), "form.title", allow_empty=True)
        headings = _str_list(form.get("headings", base["headings"]), "form.headings", empty=True)
        stop = _str_list(form.get("stop", base["stop"]), "form.stop", empty=True)
        min_labels = form.get("min_labels", base["min_labels"])
        if isinstance(min_labels, bool) or not isinstance(min_labels, int) or min_labels < 1:
            raise FormSpecError("form.min_labels", "a whole number >= 1")
        raw_fields = form.get("fields", base["fields"])
        if not isinstance(raw_fields, list) or not raw_fields:
            raise FormSpecError("form.fields", "a non-empty array of tables ([[form.fields]])")
        fields = [_field(raw, i) for i, raw in enumerate(raw_fields)]
        seen: set[str] = set()
        for f in fields:
            if f.key in seen:
                raise FormSpecError(f"form.fields.{f.key}.key", "a key used only once")
            seen.add(f.key)
        if sum(1 for f in fields if f.type == "groups") > 1:
            raise FormSpecError("form.fields", "at most one field of type \"groups\"")
        if groups is not None:
            opts = []
            for i, item in enumerate(groups):
                try:
                    number, name = item
                except (TypeError, ValueError):
                    raise FormSpecError(f"call.groups[{i}]", "(number, name)") from None
                if isinstance(number, bool) or not isinstance(number, int) \
                        or not isinstance(name, str) or not name.strip():
                    raise FormSpecError(f"call.groups[{i}]", "a number and a non-empty name")
                opts.append(GroupOption(number, name.strip()))
            if opts:
                fields = [FieldSpec(f.key, f.type, f.label, f.labels, f.pdf_names, f.multiline,
                                    tuple(opts)) if f.type == "groups" else f for f in fields]
        return cls(fields=tuple(fields), headings=tuple(headings), stop=tuple(stop),
                   min_labels=min_labels, title=title)


def _str(v: Any, key: str, allow_empty: bool = False) -> str:
    if not isinstance(v, str) or (not allow_empty and not v.strip()):
        raise FormSpecError(key, "a non-empty string" if not allow_empty else "a string")
    return v.strip()


def _str_list(v: Any, key: str, empty: bool = False) -> list[str]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list | tuple) or (not v and not empty):
        raise FormSpecError(key, "an array of non-empty strings")
    out = []
    for item in v:
        if not isinstance(item, str) or not item.strip():
            raise FormSpecError(key, "an array of non-empty strings")
        out.append(item.strip())
    return out


def _field(raw: Any, i: int) -> FieldSpec:
    where = f"form.fields[{i}]"
    if not isinstance(raw, Mapping):
        raise FormSpecError(where, "a table with key, type, label and labels")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise FormSpecError(f"{where}.key", "a snake_case key such as \"full_name\"")
    where = f"form.fields.{key}"
    allowed = {"key", "type", "label", "labels", "pdf_names", "multiline", "options"}
    for k in raw:
        if k not in allowed:
            raise FormSpecError(f"{where}.{k}", "one of " + ", ".join(sorted(allowed)))
    ftype = raw.get("type", "text")
    if ftype not in FIELD_TYPES:
        raise FormSpecError(f"{where}.type", "one of " + ", ".join(FIELD_TYPES))
    labels = _str_list(raw.get("labels"), f"{where}.labels")
    label = _str(raw.get("label", labels[0]), f"{where}.label")
    pdf_names = _str_list(raw.get("pdf_names", []), f"{where}.pdf_names", empty=True)
    multiline = raw.get("multiline", False)
    if not isinstance(multiline, bool):
        raise FormSpecError(f"{where}.multiline", "true or false")
    options: list[GroupOption] = []
    raw_opts = raw.get("options", [])
    if ftype != "groups" and raw_opts:
        raise FormSpecError(f"{where}.options", "options only on the field of type \"groups\"")
    if ftype == "groups":
        if not isinstance(raw_opts, list) or not raw_opts:
            raise FormSpecError(f"{where}.options",
                                "an array of {number = 1, name = \"...\"} tables")
        for j, opt in enumerate(raw_opts):
            if not isinstance(opt, Mapping):
                raise FormSpecError(f"{where}.options[{j}]", "a table {number, name}")
            number = opt.get("number")
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise FormSpecError(f"{where}.options[{j}].number", "a whole number")
            name = _str(opt.get("name"), f"{where}.options[{j}].name")
            options.append(GroupOption(number, name))
    return FieldSpec(key, ftype, label, tuple(labels), tuple(pdf_names), multiline,
                     tuple(options))


#: the DKRES form of /work/shared/forms, as the [form] table would spell it
DEFAULT_FORM_MAPPING: dict[str, Any] = {
    "title": "Formularz zgłoszeniowy – grupy robocze DKRES",
    "min_labels": 4,
    "headings": [
        "Załącznik nr 3",
        "FORMULARZ ZGŁOSZENIOWY",
        "I. Dane kandydatki / kandydata",
        "IV. Oświadczenia",
    ],
    "stop": [
        "Podpis kandydatki / kandydata",
        "Podpis",
        "Czytelny podpis",
        "Klauzula informacyjna",
        "Projekt „Koordynacja działań w zakresie polityki społecznej",
    ],
    "fields": [
        {"key": "full_name", "type": "text", "label": "Imię i nazwisko",
         "labels": ["Imię i nazwisko", "Imię, nazwisko", "Nazwisko i imię",
                    "Imię i nazwisko kandydatki / kandydata"],
         "pdf_names": ["imie_nazwisko", "imie_i_nazwisko"]},
        {"key": "organisation", "type": "text",
         "label": "Nazwa reprezentowanego podmiotu / instytucji",
         "labels": ["Nazwa reprezentowanego podmiotu / instytucji",
                    "Nazwa reprezentowanego podmiotu", "Nazwa podmiotu / instytucji",
                    "Nazwa podmiotu", "Nazwa instytucji", "Reprezentowany podmiot",
                    "Nazwa organizacji"],
         "pdf_names": ["nazwa_podmiotu", "podmiot", "instytucja"]},
        {"key": "organisation_type", "type": "text", "label": "Rodzaj podmiotu",
         "labels": ["Rodzaj podmiotu (np. CIS, KIS, ZAZ, WTZ, ŚDS, spółdzielnia socjalna, "
                    "organizacja pozarządowa, JST, inny)", "Rodzaj podmiotu", "Typ podmiotu"],
         "pdf_names": ["rodzaj_podmiotu", "typ_podmiotu"]},
        {"key": "position", "type": "text", "label": "Stanowisko / pełniona funkcja",
         "labels": ["Stanowisko / pełniona funkcja", "Stanowisko", "Pełniona funkcja",
                    "Stanowisko / funkcja", "Funkcja"],
         "pdf_names": ["stanowisko", "funkcja"]},
        {"key": "address", "type": "text", "label": "Adres do korespondencji", "multiline": True,
         "labels": ["Adres do korespondencji", "Adres korespondencyjny", "Adres"],
         "pdf_names": ["adres", "adres_korespondencyjny"]},
        {"key": "email", "type": "text", "label": "Adres e-mail",
         "labels": ["Adres e-mail", "E-mail", "Adres email", "Adres poczty elektronicznej"],
         "pdf_names": ["email", "e_mail", "adres_email"]},
        {"key": "phone", "type": "text", "label": "Telefon kontaktowy",
         "labels": ["Telefon kontaktowy", "Telefon", "Nr telefonu", "Numer telefonu",
                    "Tel."],
         "pdf_names": ["telefon", "tel", "nr_telefonu"]},
        {"key": "groups", "type": "groups", "label": "Grupa robocza",
         "labels": ["II. Grupa robocza, do której zgłasza się kandydatka / kandydat "
                    "(proszę zaznaczyć właściwe pole)",
                    "Grupa robocza (proszę zaznaczyć właściwe pole)",
                    "Grupa robocza, do której zgłasza się kandydatka / kandydat"],
         "pdf_names": ["grupa_{n}", "grupa{n}"],
         "options": [
             {"number": 1, "name": "Grupa robocza ds. rozwoju usług społecznych i "
                                   "deinstytucjonalizacji"},
             {"number": 2, "name": "Grupa robocza ds. zamówień/zleceń zadań publicznych "
                                   "realizowanych przez PES, w tym zlecania usług społecznych"},
             {"number": 3, "name": "Grupa robocza ds. promocji i współpracy z biznesem"},
             {"number": 4, "name": "Grupa robocza ds. podmiotów zatrudnienia socjalnego oraz "
                                   "podmiotów reintegracyjnych"},
             {"number": 5, "name": "Grupa robocza ds. przedsiębiorstw społecznych"},
         ]},
        {"key": "experience", "type": "text", "multiline": True,
         "label": "Doświadczenie i uzasadnienie kandydatury",
         "labels": ["III. Doświadczenie kandydatki / kandydata w obszarze działania grupy oraz "
                    "uzasadnienie kandydatury (maks. 2000 znaków)",
                    "Doświadczenie kandydatki / kandydata w obszarze działania grupy oraz "
                    "uzasadnienie kandydatury",
                    "Doświadczenie i uzasadnienie kandydatury (maks. 2000 znaków)",
                    "Doświadczenie i uzasadnienie kandydatury", "Uzasadnienie kandydatury",
                    "Doświadczenie kandydatki / kandydata"],
         "pdf_names": ["uzasadnienie", "doswiadczenie"]},
        {"key": "accepts_rules", "type": "checkbox",
         "label": "Oświadczenie o zapoznaniu się z Regulaminem i jego akceptacji",
         "labels": ["Oświadczam, że zapoznałam/zapoznałem się z Regulaminem Dolnośląskiego "
                    "Komitetu Rozwoju Ekonomii Społecznej i akceptuję jego postanowienia."],
         "pdf_names": ["accepts_rules", "regulamin", "oswiadczenie_1"]},
        {"key": "consents_gdpr", "type": "checkbox",
         "label": "Zgoda na przetwarzanie danych osobowych",
         "labels": ["Wyrażam zgodę na przetwarzanie moich danych osobowych zawartych w "
                    "niniejszym formularzu przez Dolnośląski Ośrodek Polityki Społecznej w celu "
                    "przeprowadzenia naboru do grup roboczych działających przy Komitecie."],
         "pdf_names": ["consents_gdpr", "zgoda_rodo", "rodo", "oswiadczenie_2"]},
        {"key": "place_and_date", "type": "text", "label": "Miejscowość i data",
         "labels": ["Miejscowość i data", "Miejscowość, data", "Data i miejscowość",
                    "Miejsce i data"],
         "pdf_names": ["miejscowosc_data", "miejscowosc_i_data", "data"]},
    ],
}

DEFAULT_FORM: FormSpec = FormSpec.from_mapping({})
