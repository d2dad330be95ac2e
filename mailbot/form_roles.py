"""What the fields of the call's form are for, derived from its spec (``[form]``).

Nothing in mailbot names a field of one particular form: the lists for the resolution, the
digest, the workspace and the superseding of one person's applications ask this module which
field holds the applicant's name, which one their organisation, which one the choice, and how
the choice is spoken of ("Grupa robocza nr 3", "Komisje tematyczne").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from parsers import FieldSpec, FormSpec
from parsers.text import fold

#: kinds of field that a list for the resolution may show (one line of text each)
ANNEX_KINDS = ("text", "email", "phone", "date")


def _plain_text(f: FieldSpec) -> bool:
    """A one-line text field (not an e-mail, phone, date or multi-line text)."""
    return f.type == "text" and f.kind == "text" and not f.multiline


def name_key(spec: FormSpec) -> str | None:
    """The field with the applicant's name: ``salutation_from``, else the form's first one-line
    text field; None when the form has no such field."""
    if spec.salutation_from:
        return spec.salutation_from
    return next((f.key for f in spec.fields if _plain_text(f)), None)


def organisation_key(spec: FormSpec) -> str | None:
    """The field naming the applicant's organisation (``organisation_from``), or None: then no
    organisation is shown anywhere (never another field in its place)."""
    return spec.organisation_from


def choice_field(spec: FormSpec) -> FieldSpec | None:
    """The form's one choice field (the groups, areas, commissions … people apply to)."""
    return spec.groups_field


def default_annex_keys(spec: FormSpec) -> tuple[str, ...]:
    """The fields that name the person and their organisation: the one-line text fields of the
    form's first part (before its first choice, free text or statement), in form order, the
    name first. The address (multi-line), e-mail, phone and dates are left out."""
    first_part: list[str] = []
    for f in spec.fields:
        if f.type != "text" or f.kind == "free_text":
            break
        if _plain_text(f):
            first_part.append(f.key)
    name = name_key(spec)
    if name is None:
        return tuple(first_part)
    return (name, *(k for k in first_part if k != name))


def choice_label(spec: FormSpec, count: int = 1) -> str:
    """How the choice is named: its label, or its plural for more than one ("Komisje
    tematyczne"); "Wybór" for a form without a choice."""
    f = choice_field(spec)
    return f.letter_label(count) if f is not None else "Wybór"


def choice_plural(spec: FormSpec) -> str:
    """The choice's plural label (its label when the spec gives no plural)."""
    f = choice_field(spec)
    if f is None:
        return "Wybór"
    return f.label_plural or f.label


def heading(f: FieldSpec) -> str:
    """A field's heading in a list people read: its export ``column`` when the spec names one,
    else its label (a column left at the key is for programs, not people)."""
    return f.column if f.column != f.key else f.label


def numbered(spec: FormSpec, number: int) -> str:
    """One position of the choice: "Grupa robocza nr 3", "Komisja tematyczna nr 3"."""
    return f"{choice_label(spec)} nr {number}"


def titled(spec: FormSpec, number: int, name: str) -> str:
    """One position of the choice with the call's name for it, never saying the label twice:
    "Komisja tematyczna nr 3 – Ekologia i przestrzeń miejska", but "Grupa robocza ds. promocji
    i współpracy z biznesem (nr 3)" when the name already begins with the label, and the name
    alone when it also gives the number ("Grupa robocza nr 3 ds. promocji …")."""
    label = choice_label(spec)
    if name.casefold().startswith(label.casefold()):
        if re.search(rf"\bnr\.?\s*{number}\b", name, re.IGNORECASE):
            return name
        return f"{name} (nr {number})"
    return f"{numbered(spec, number)} – {name}"


def _normal(text: str) -> str:
    """Lower case, no diacritics, one space between words: how a person key spells a value."""
    return " ".join(fold(text).split())


def name_in(fields: Mapping[str, Any], name_key: str | None) -> str | None:
    """The value of the form's name field (:func:`name_key`), normalised (:func:`_normal`;
    None when empty or when the form has no such field)."""
    name = fields.get(name_key) if name_key else None
    return _normal(name) if isinstance(name, str) and name.strip() else None


def person_key(fields: Mapping[str, Any], spec: FormSpec) -> str | None:
    """``person:name|organisation`` from the form (organisation empty when the form has no
    field for it), or None when it names nobody."""
    name = name_in(fields, name_key(spec))
    if name is None:
        return None
    key = organisation_key(spec)
    organisation = fields.get(key) if key else None
    org = _normal(organisation) if isinstance(organisation, str) else ""
    return f"person:{name}|{org}"


def person_of(applicant: str, fields: Mapping[str, Any], spec: FormSpec) -> str | None:
    """The person an application's form names, as stored with it (``person_key``): the key of
    an applicant known by name, the form's person for one known by e-mail, else none. The
    record stage stores it with each new application; migration 11 computed it for the
    applications stored before."""
    if applicant.startswith("person:"):
        return applicant
    if applicant.startswith("email:"):
        return person_key(fields, spec)
    return None
