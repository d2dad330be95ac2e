"""The form as configuration: one spec drives reading, checking, answering and exporting.

``FormSpec.from_mapping`` reads the ``[form]`` table of config.toml (see parsers/README.md);
an empty table gives the DKRES form, which is itself written in that format
(``parsers/forms/dkres.toml``).

Each field has a *kind* (what it is: ``text``, ``email``, ``phone``, ``date``, ``free_text``,
``choice``, ``statement``) and from it a reading *type* (how it is read: ``text``, ``groups``,
``checkbox``), whether it is required, an optional format check and maximum length, the label
used in letters and the column used in exports. A ``choice`` field's options are the texts
*printed on the form* (used to find the ticks); the names shown to people come from the call.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from parsers.spec_check import (
    FormSpecError,
    as_opt_text,
    as_text,
    as_texts,
    choice_bounds,
    unknown_key,
)

if TYPE_CHECKING:
    from parsers.identify import Identifier

__all__ = ["DEFAULT_FORM", "FieldSpec", "FormSpec", "FormSpecError", "GroupOption", "IdentifySpec"]

FIELD_KINDS = ("text", "email", "phone", "date", "free_text", "choice", "statement")
#: older spellings of a kind, still accepted in ``type``
KIND_ALIASES = {"groups": "choice", "checkbox": "statement"}
#: kind -> how the extractors read it
READ_TYPE = {"choice": "groups", "statement": "checkbox"}
FIELD_TYPES = ("text", "groups", "checkbox")
_KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
DKRES_FORM_FILE = Path(__file__).resolve().parent / "forms" / "dkres.toml"

_FORM_KEYS = (
    "title",
    "fields",
    "headings",
    "stop",
    "min_labels",
    "salutation_from",
    "organisation_from",
    "identify",
    "blank",
)
_IDENTIFY_KEYS = ("phrases", "derive", "needed", "pdf_names")
_FIELD_KEYS = (
    "key",
    "type",
    "label",
    "label_plural",
    "labels",
    "pdf_names",
    "multiline",
    "options",
    "required",
    "pattern",
    "format_hint",
    "max_length",
    "column",
    "section",
    "min_choices",
    "max_choices",
)


@dataclass(frozen=True)
class GroupOption:
    number: int
    name: str  # as printed on the form (the text whose box is ticked)


@dataclass(frozen=True)
class FieldSpec:
    """One field of the form.

    ``type`` is how it is read: "text" (``labels`` are the printed label and accepted
    rewordings), "groups" (``labels`` are the section heading, ``options`` the printed choices)
    or "checkbox" (``labels`` are the statement's text; ticked -> True). ``kind`` is what the
    value is, for checking and showing it.
    """

    key: str
    type: str
    label: str  # short Polish label used in letters
    labels: tuple[str, ...]
    pdf_names: tuple[str, ...] = ()
    multiline: bool = False
    options: tuple[GroupOption, ...] = ()
    kind: str = ""  # "" -> derived from type
    required: bool = True
    pattern: str | None = None  # format check (regular expression, whole value)
    format_hint: str | None = None  # how the value should look, for the letter
    max_length: int | None = None
    column: str = ""  # export column ("" -> the key)
    label_plural: str | None = None  # choice: heading when more than one is chosen
    section: str | None = None  # where on the form, e.g. "część IV formularza"
    #: choice: how many boxes may be ticked (None: no bound; nothing ticked is ``required``'s)
    min_choices: int | None = None
    max_choices: int | None = None

    def __post_init__(self) -> None:
        if not self.kind:
            kind = {"groups": "choice", "checkbox": "statement"}.get(self.type, "text")
            object.__setattr__(self, "kind", kind)
        if not self.column:
            object.__setattr__(self, "column", self.key)

    def letter_label(self, count: int = 1) -> str:
        """The label in a letter; plural when a choice field lists more than one."""
        if count > 1 and self.label_plural:
            return self.label_plural
        return self.label


@dataclass(frozen=True)
class IdentifySpec:
    """How a file is recognised as this form (``[form.identify]``): by texts only this form
    prints, and by field names only its fillable PDF has.

    ``phrases``: each entry one identifying element, as the alternative texts that count for
    it (one found is enough); ``derive``: also the elements derived from the form (its title,
    the choice heading, the choice texts, each statement, each free-text heading, its specific
    headings: ``parsers.identify``); ``needed``: how many elements must be found (None: 3, or
    all when there are fewer); ``pdf_names``: a fillable PDF with all these fields is the
    form."""

    phrases: tuple[tuple[str, ...], ...] = ()
    derive: bool = True
    needed: int | None = None
    pdf_names: tuple[str, ...] = ()


#: FormSpec (by id, with the object kept to check it) -> its empty fields, worked out once
_EMPTY: dict[int, tuple[FormSpec, dict[str, Any]]] = {}
#: FormSpec (by id, with the object kept) -> its identifier, built once
_IDENTIFIERS: dict[int, tuple[FormSpec, Identifier]] = {}


@dataclass(frozen=True)
class FormSpec:
    fields: tuple[FieldSpec, ...]
    headings: tuple[str, ...] = ()  # section titles: end a value, never a value themselves
    stop: tuple[str, ...] = ()  # ends a value, never read (signature, clause, footer)
    min_labels: int = 4  # fewer form labels found -> "not_the_form"
    title: str = ""
    salutation_from: str | None = None  # the field with the applicant's name (for "Pani/Pan")
    organisation_from: str | None = None  # the field naming the applicant's organisation
    identify: IdentifySpec = IdentifySpec()  # how a file is recognised as this form
    #: the call's blank form as config.toml names it (a path, relative to the config file):
    #: what ``mailbot check`` reads the spec against; the readers never open it
    blank: str | None = None

    # -- derived views ------------------------------------------------------------------------
    @property
    def keys(self) -> tuple[str, ...]:
        """Output keys, in form order."""
        return tuple(f.key for f in self.fields)

    def field(self, key: str) -> FieldSpec | None:
        for f in self.fields:
            if f.key == key:
                return f
        return None

    def of_kind(self, kind: str) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self.fields if f.kind == kind)

    @property
    def groups_field(self) -> FieldSpec | None:
        for f in self.fields:
            if f.type == "groups":
                return f
        return None

    @property
    def email_key(self) -> str | None:
        """The applicant's e-mail field (the first of kind ``email``)."""
        found = self.of_kind("email")
        return found[0].key if found else None

    def columns(self) -> tuple[tuple[str, str, str], ...]:
        """(key, export column, letter label) for every field, in form order."""
        return tuple((f.key, f.column, f.label) for f in self.fields)

    def empty_fields(self) -> dict[str, Any]:
        hit = _EMPTY.get(id(self))
        if hit is not None and hit[0] is self:
            template = hit[1]
        else:
            template = {
                f.key: [] if f.type == "groups" else False if f.type == "checkbox" else None
                for f in self.fields
            }
            if len(_EMPTY) > 32:
                _EMPTY.clear()
            _EMPTY[id(self)] = (self, template)
        # a new dict (and new lists) every time: callers fill it in
        return {k: [] if v == [] else v for k, v in template.items()}

    def identifier(self) -> Identifier:
        """How a file is recognised as this form (``parsers.identify``), built once (and its
        module imported then: loading a config reads no form)."""
        from parsers.identify import FormTexts, Identifier

        hit = _IDENTIFIERS.get(id(self))
        if hit is not None and hit[0] is self:
            return hit[1]
        ident = self.identify
        built = Identifier(
            FormTexts(
                title=self.title,
                headings=self.headings,
                fields=[(f.kind, f.labels, [o.name for o in f.options]) for f in self.fields],
                phrases=ident.phrases,
                derive=ident.derive,
                needed=ident.needed,
                pdf_names=ident.pdf_names,
            )
        )
        if len(_IDENTIFIERS) > 32:
            _IDENTIFIERS.clear()
        _IDENTIFIERS[id(self)] = (self, built)
        return built

    # -- building -----------------------------------------------------------------------------
    @classmethod
    def from_mapping(
        cls, form: Mapping[str, Any], groups: Sequence[tuple[int, str]] | None = None
    ) -> FormSpec:
        """Build from the ``[form]`` table (may be empty -> the DKRES form).

        ``groups`` ((number, name) pairs) replace the printed texts of the choice field's
        options; mailbot does not pass them (the printed texts find the ticks, the call's
        names are for people)."""
        if not isinstance(form, Mapping):
            raise FormSpecError("form", "a table")
        for k in form:
            if k not in _FORM_KEYS:
                raise unknown_key("form", k, _FORM_KEYS)
        base = DEFAULT_FORM_MAPPING
        title = as_text(form.get("title", base.get("title", "")), "form.title", allow_empty=True)
        headings = as_texts(
            form.get("headings", base.get("headings", [])), "form.headings", empty=True
        )
        stop = as_texts(form.get("stop", base.get("stop", [])), "form.stop", empty=True)
        min_labels = form.get("min_labels", base.get("min_labels", 4))
        if isinstance(min_labels, bool) or not isinstance(min_labels, int) or min_labels < 1:
            raise FormSpecError("form.min_labels", "a whole number >= 1")
        raw_fields = form.get("fields", base.get("fields"))
        if not isinstance(raw_fields, list) or not raw_fields:
            raise FormSpecError("form.fields", "a non-empty array of tables ([[form.fields]])")
        fields = [_field(raw, i) for i, raw in enumerate(raw_fields)]
        seen: set[str] = set()
        for f in fields:
            if f.key in seen:
                raise FormSpecError(f"form.fields.{f.key}.key", "a key used only once")
            seen.add(f.key)
        if sum(1 for f in fields if f.type == "groups") > 1:
            raise FormSpecError("form.fields", 'at most one field of type "choice"')
        salutation_from = form.get(
            "salutation_from", None if "fields" in form else base.get("salutation_from")
        )
        if salutation_from is not None and (
            not isinstance(salutation_from, str) or salutation_from not in seen
        ):
            raise FormSpecError(
                "form.salutation_from", "the key of a field of this form (the applicant's name)"
            )
        blank = form.get("blank")
        if blank is not None:
            blank = as_text(blank, "form.blank")
        organisation_from = form.get(
            "organisation_from", None if "fields" in form else base.get("organisation_from")
        )
        if organisation_from is not None and (
            not isinstance(organisation_from, str)
            or organisation_from not in seen
            or next(f for f in fields if f.key == organisation_from).kind != "text"
        ):
            raise FormSpecError(
                "form.organisation_from",
                "the key of a text field of this form (the applicant's organisation)",
            )
        raw_identify = form.get("identify", {} if "fields" in form else base.get("identify", {}))
        identify = _identify(raw_identify)
        if groups is not None:
            opts = []
            for i, item in enumerate(groups):
                try:
                    number, name = item
                except (TypeError, ValueError):
                    raise FormSpecError(f"call.groups[{i}]", "(number, name)") from None
                if (
                    isinstance(number, bool)
                    or not isinstance(number, int)
                    or not isinstance(name, str)
                    or not name.strip()
                ):
                    raise FormSpecError(f"call.groups[{i}]", "a number and a non-empty name")
                opts.append(GroupOption(number, name.strip()))
            if opts:
                fields = [
                    replace(f, options=tuple(opts)) if f.type == "groups" else f for f in fields
                ]
        spec = cls(
            fields=tuple(fields),
            headings=tuple(headings),
            stop=tuple(stop),
            min_labels=min_labels,
            title=title,
            salutation_from=salutation_from,
            organisation_from=organisation_from,
            identify=identify,
            blank=blank,
        )
        if "identify" in form:  # written in the config: checked now (derived ones always fit)
            found = spec.identifier()
            if found.needed > len(found.elements):
                raise FormSpecError(
                    "form.identify.needed",
                    f"at most the number of the form's identifying texts ({len(found.elements)}:"
                    " identify.phrases, and with derive the title, the choice and its heading, "
                    "each statement and free-text heading, the specific headings)",
                )
            if not found.elements and not identify.pdf_names:
                raise FormSpecError(
                    "form.identify.phrases", "at least one text only this form prints"
                )
        return spec

    @classmethod
    def from_toml(cls, text: str) -> FormSpec:
        """A form file: the ``[form]`` table as config.toml spells it."""
        data = tomllib.loads(text)
        form = data.get("form")
        if not isinstance(form, Mapping) or not form:
            raise FormSpecError("form", "a [form] table")
        return cls.from_mapping(form)


def _identify(raw: Any) -> IdentifySpec:
    """The ``[form.identify]`` table (may be empty: everything derived from the form)."""
    where = "form.identify"
    if not isinstance(raw, Mapping):
        raise FormSpecError(where, "a table (phrases, derive, needed, pdf_names)")
    for k in raw:
        if k not in _IDENTIFY_KEYS:
            raise unknown_key(where, k, _IDENTIFY_KEYS)
    raw_phrases = raw.get("phrases", [])
    if not isinstance(raw_phrases, list):
        raise FormSpecError(f"{where}.phrases", "an array of texts (or of arrays of alternatives)")
    phrases = []
    for i, entry in enumerate(raw_phrases):
        texts = as_texts(entry, f"{where}.phrases[{i}]")
        if not any(c.isalnum() for text in texts for c in text):
            raise FormSpecError(f"{where}.phrases[{i}]", "a text with words")
        phrases.append(tuple(texts))
    derive = raw.get("derive", True)
    if not isinstance(derive, bool):
        raise FormSpecError(f"{where}.derive", "true or false")
    needed = raw.get("needed")
    if needed is not None and (
        isinstance(needed, bool) or not isinstance(needed, int) or needed < 1
    ):
        raise FormSpecError(f"{where}.needed", "a whole number >= 1")
    pdf_names = as_texts(raw.get("pdf_names", []), f"{where}.pdf_names", empty=True)
    return IdentifySpec(tuple(phrases), derive, needed, tuple(pdf_names))


def _field(raw: Any, i: int) -> FieldSpec:
    where = f"form.fields[{i}]"
    if not isinstance(raw, Mapping):
        raise FormSpecError(where, "a table with key, type, label and labels")
    key = raw.get("key")
    if not isinstance(key, str) or not _KEY_RE.match(key):
        raise FormSpecError(f"{where}.key", 'a snake_case key such as "full_name"')
    where = f"form.fields.{key}"
    for k in raw:
        if k not in _FIELD_KEYS:
            raise unknown_key(where, k, _FIELD_KEYS)
    kind = raw.get("type", "text")
    kind = KIND_ALIASES.get(kind, kind)
    if kind not in FIELD_KINDS:
        raise FormSpecError(f"{where}.type", "one of " + ", ".join(FIELD_KINDS))
    ftype = READ_TYPE.get(kind, "text")
    labels = as_texts(raw.get("labels"), f"{where}.labels")
    label = as_text(raw.get("label", labels[0]), f"{where}.label")
    pdf_names = as_texts(raw.get("pdf_names", []), f"{where}.pdf_names", empty=True)
    multiline = raw.get("multiline", kind == "free_text")
    required = raw.get("required", True)
    for name, value in (("multiline", multiline), ("required", required)):
        if not isinstance(value, bool):
            raise FormSpecError(f"{where}.{name}", "true or false")
    pattern = as_opt_text(raw, "pattern", where)
    if pattern is not None:
        if ftype != "text":
            raise FormSpecError(f"{where}.pattern", "a format check only on a text field")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise FormSpecError(f"{where}.pattern", f"a regular expression ({exc})") from None
    max_length = raw.get("max_length")
    if max_length is not None and (
        isinstance(max_length, bool) or not isinstance(max_length, int) or max_length < 1
    ):
        raise FormSpecError(f"{where}.max_length", "a whole number >= 1")
    column = raw.get("column", key)
    if not isinstance(column, str) or not column.strip():
        raise FormSpecError(f"{where}.column", "a non-empty export column name")
    options: list[GroupOption] = []
    raw_opts = raw.get("options", [])
    if ftype != "groups" and raw_opts:
        raise FormSpecError(f"{where}.options", 'options only on the field of type "choice"')
    if ftype == "groups":
        if not isinstance(raw_opts, list) or not raw_opts:
            raise FormSpecError(f"{where}.options", 'an array of {number = 1, name = "..."} tables')
        for j, opt in enumerate(raw_opts):
            if not isinstance(opt, Mapping):
                raise FormSpecError(f"{where}.options[{j}]", "a table {number, name}")
            for k in opt:
                if k not in ("number", "name"):
                    raise unknown_key(f"{where}.options[{j}]", k, ("number", "name"))
            number = opt.get("number")
            if isinstance(number, bool) or not isinstance(number, int) or number < 0:
                raise FormSpecError(f"{where}.options[{j}].number", "a whole number")
            name = as_text(opt.get("name"), f"{where}.options[{j}].name")
            options.append(GroupOption(number, name))
        if len({o.number for o in options}) != len(options):
            raise FormSpecError(f"{where}.options", "each option number once")
    bounds = choice_bounds(raw, where, ftype, len(options))
    return FieldSpec(
        key,
        ftype,
        label,
        tuple(labels),
        tuple(pdf_names),
        multiline,
        tuple(options),
        kind=kind,
        required=required,
        pattern=pattern,
        format_hint=as_opt_text(raw, "format_hint", where),
        max_length=max_length,
        column=column.strip(),
        label_plural=as_opt_text(raw, "label_plural", where),
        section=as_opt_text(raw, "section", where),
        min_choices=bounds[0],
        max_choices=bounds[1],
    )


#: the DKRES form of /work/shared/forms, as the [form] table spells it (parsers/forms/dkres.toml)
DEFAULT_FORM_MAPPING: dict[str, Any] = tomllib.loads(DKRES_FORM_FILE.read_text(encoding="utf-8"))[
    "form"
]

DEFAULT_FORM: FormSpec = FormSpec.from_mapping({})
