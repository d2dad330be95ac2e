"""The form's lines of ``mailbot check``: the call's blank form read against ``[form]``, and a
filled example read field by field — an office writing next year's config sees its mistakes
before the call opens.

``form.blank`` names the blank form applicants download (relative to the config file; the
built-in DKRES form uses the blank mailbot ships). It is read as an application would be, and
each of these is one line, with the fix when it is not ok: the file reads as the call's form;
each identifying element found or missing (``[form.identify]``); each field's label, the
choice's heading and every choice, each statement found or missing; and nothing read as a value
from the blank — a text read as a value there is a label the spec does not know, a heading
missing from ``form.headings`` or text missing from ``form.stop``, and the line names it.

``mailbot check --sample FILLED`` then shows what a filled example yields: each field with its
label, the value and where in the file it came from, and the status and problems validation
would give it (received inside the call's window).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import replace
from difflib import SequenceMatcher
from pathlib import Path
from typing import Any

import parsers
from mailbot.config import Config
from mailbot.mail.mime import AttachedFile
from mailbot.models import Envelope, FormRead, FoundFiles, Verdict
from mailbot.ops.checkline import Check, State
from mailbot.pipeline.texts import format_value
from mailbot.pipeline.validate import Facts, validate
from parsers import Extraction, FieldSpec, FormSpec
from parsers.model import Printed
from parsers.words import ENUMERATOR, fold, norm

#: the blank of the built-in (DKRES) form, which mailbot ships
BUILTIN_BLANK = Path(__file__).resolve().parents[1] / "assets" / "formularz-zgloszeniowy.docx"
#: a value line of more words than this read from the blank is taken for running text
_LONG_TEXT_WORDS = 12
#: words (folded) of what ends a form rather than labels a value: signatures, stamps, clauses
_ENDS_FORM = re.compile(r"\b(?:podpis\w*|piecz\w*|klauzul\w*|administrator\w* danych|rodo)\b")


def blank_path(config: Config) -> Path | None:
    """The call's blank form: ``form.blank`` against the config file's folder; the shipped
    blank for the built-in form; else None."""
    spec = config.form
    if spec.blank:
        path = Path(spec.blank).expanduser()
        if not path.is_absolute() and config.path is not None:
            path = config.path.parent / path
        return path
    if spec == parsers.DEFAULT_FORM and BUILTIN_BLANK.is_file():
        return BUILTIN_BLANK
    return None


def check_form(config: Config, sample: Path | None = None) -> Iterator[Check]:
    """The blank form's lines, then (``sample``) the filled example's."""
    path = blank_path(config)
    if path is None:
        yield Check(
            "form.blank",
            "warn",
            "not set: the form spec is not checked against the call's blank form",
            'set form.blank = "…" to the blank form applicants download (a path relative to '
            "the config file), then run mailbot check again",
        )
    else:
        yield from check_blank(config.form, path)
    if sample is not None:
        yield from check_sample(config, sample)


def _file(path: Path, item: str, fix: str) -> bytes | Check:
    """The file's bytes, or the FAIL line saying it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as exc:
        return Check(
            item, "FAIL", f"{path} cannot be read ({exc.strerror or type(exc).__name__})", fix
        )


# --- the blank form --------------------------------------------------------------------------


def check_blank(spec: FormSpec, path: Path) -> Iterator[Check]:
    data = _file(
        path, "form.blank", "correct form.blank: the path of the file, relative to the config file"
    )
    if isinstance(data, Check):
        yield data
        return
    got = parsers.extract(data, spec)
    if got.readable:
        yield Check("form.blank", "ok", f"{path.name} ({got.kind}) reads as the call's form")
    elif got.reason == "not_the_form":
        yield Check(
            "form.blank",
            "FAIL",
            f"{path.name} ({got.kind}) is not read as the call's form: {got.detail}",
            "write the texts named below as the blank prints them",
        )
    else:
        yield Check(
            "form.blank",
            "FAIL",
            f"{path.name} ({got.kind}) cannot be read: {got.reason}"
            + (f" ({got.detail})" if got.detail else ""),
            "give the blank form as DOCX, ODT or PDF with its text (not a scan)",
        )
    if got.identification is not None:
        yield from _identifying(spec, got)
    if got.printed is None:
        return
    for f in spec.fields:
        yield from _printed(f, got.printed)
    if got.readable:
        yield from _values_read(spec, got, data)


def _element_key(spec: FormSpec, text: str) -> str:
    """The config key an identifying element comes from (its text as the spec spells it)."""
    if text == spec.title:
        return "form.title"
    if text in spec.headings:
        return "form.headings"
    for f in spec.fields:
        names = [o.name for o in f.options]
        if text in names or text == " | ".join(names):
            return f"form.fields.{f.key}.options"
        if text in f.labels or text == " | ".join(f.labels):
            return f"form.fields.{f.key}.labels"
    return "form.identify.phrases"


def _identifying(spec: FormSpec, got: Extraction) -> Iterator[Check]:
    ident = got.identification
    assert ident is not None
    for text in ident.found:
        yield Check("form.identify", "ok", f"found „{_short(text)}” ({_element_key(spec, text)})")
    for text in ident.missing:
        key = _element_key(spec, text)
        if ident.identified:  # the others are enough; e.g. a title that is a name for people
            yield Check(
                "form.identify", "ok", f"not printed on the blank: „{_short(text)}” ({key})"
            )
        else:
            yield Check(
                "form.identify",
                "FAIL",
                f"not found on the blank: „{_short(text)}”",
                f"write it in {key} as the blank prints it",
            )
    yield Check(
        "form.identify",
        "ok" if ident.identified else "FAIL",
        f"{ident.summary()}: the blank is "
        + ("the call's form" if ident.identified else "not known as the call's form"),
        "a file is the call's form only when it carries enough of the texts only it prints",
    )


def _printed(f: FieldSpec, printed: Printed) -> Iterator[Check]:
    item = f"form.fields.{f.key}"
    if f.type == "checkbox":
        found = f.key in printed.statements
        what = "statement"
    else:
        found = f.key in printed.labels
        what = "heading" if f.type == "groups" else "label"
    if found:
        yield Check(item, "ok", f"{what} found on the blank („{_short(f.labels[0])}”)")
    else:
        yield Check(
            item,
            "FAIL" if f.type != "groups" else "warn",
            f"{what} not found on the blank (looked for "
            + ", ".join(f"„{_short(x)}”" for x in f.labels)
            + ")",
            f"write the {what} as the blank prints it first in {item}.labels",
        )
    for option in f.options:
        if option.number in printed.options:
            yield Check(item, "ok", f"choice {option.number} found („{_short(option.name)}”)")
        else:
            yield Check(
                item,
                "FAIL",
                f"choice {option.number} not found on the blank („{_short(option.name)}”)",
                f"write the text of choice {option.number} as the blank prints it in "
                f"{item}.options",
            )


def _lines_read(spec: FormSpec, data: bytes) -> dict[str, Any]:
    """The blank read again with every text field multi-line: the lines of each value as
    they stand in the file (a one-line field joins them with spaces)."""
    fields = tuple(replace(f, multiline=True) if f.type == "text" else f for f in spec.fields)
    return dict(parsers.extract(data, replace(spec, fields=fields)).fields)


def _values_read(spec: FormSpec, got: Extraction, data: bytes) -> Iterator[Check]:
    """Nothing may be read as a value from the blank: each value read names its cause."""
    clean = True
    lines_read: dict[str, Any] | None = None
    for f in spec.fields:
        value = got.fields.get(f.key)
        item = f"form.fields.{f.key}"
        if f.type == "checkbox" and value:
            clean = False
            yield Check(
                item,
                "FAIL",
                f"the statement is read as ticked on the blank ({got.sources.get(f.key, '')})",
                "the blank must print an empty box (☐) before the statement",
            )
        elif f.type == "groups" and value:
            clean = False
            yield Check(
                item,
                "FAIL",
                f"choice(s) {', '.join(map(str, value))} are read as chosen on the blank",
                f"print empty boxes (☐) on the blank, and write every choice of {item}.options "
                "as the blank prints it (choices not found make the others read as chosen)",
            )
        elif f.type == "text" and isinstance(value, str) and value.strip():
            clean = False
            if lines_read is None:
                lines_read = _lines_read(spec, data)
            again = lines_read.get(f.key)
            lines = again.splitlines() if isinstance(again, str) and again.strip() else [value]
            for line in lines:
                cause, fix = _cause(line, _likely_field(line, spec, got.printed))
                yield Check(
                    "form.blank",
                    "FAIL",
                    f"„{_short(line)}” is read as the value of „{f.label}” ({item}; "
                    f"{got.sources.get(f.key, 'in the file')}): {cause}",
                    fix,
                )
    if clean:
        yield Check("form.blank", "ok", "nothing is read as a value from the blank")


def _likely_field(text: str, spec: FormSpec, printed: Printed | None) -> str | None:
    """The text field whose label was not found on the blank and that ``text`` resembles most
    (or the only such field): the label the spec may spell otherwise."""
    missing = [
        f for f in spec.fields if f.type == "text" and printed and f.key not in printed.labels
    ]
    seen = norm(text)

    def likeness(f: FieldSpec) -> float:
        return max(SequenceMatcher(None, seen, norm(x)).ratio() for x in f.labels)

    best = max(missing, key=likeness, default=None)
    if best is None or (len(missing) > 1 and likeness(best) < 0.4):
        return None
    return best.key


def _cause(line: str, field: str | None = None) -> tuple[str, str]:
    """Why a text printed on the blank was read as a value, and the fix; ``field``: the field
    whose label it may be."""
    text = line.strip()
    words = text.split()
    letters = [c for c in text if c.isalpha()]
    if ENUMERATOR.match(fold(text)) or (len(words) > 1 and letters and text.upper() == text):
        return (
            "a section title the spec does not list",
            f'add "{text}" to form.headings',
        )
    if len(words) > _LONG_TEXT_WORDS or _ENDS_FORM.search(fold(text)):
        return (
            "text the spec does not stop at (a signature, a clause, an instruction)",
            'add its beginning, e.g. "' + " ".join(words[:6]) + '", to form.stop',
        )
    if field is not None:
        return (
            f"a label the spec does not know (form.fields.{field}'s label was not found)",
            f'add "{text}" to form.fields.{field}.labels (if it is a section title, to '
            "form.headings)",
        )
    return (
        "a label the spec does not know, or a heading or closing text it does not list",
        f"if it is a field's label, add \"{text}\" to that field's labels; if a section "
        "title, to form.headings; if it ends the form (a signature, a clause), to form.stop",
    )


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


# --- a filled example ------------------------------------------------------------------------


def sample_verdict(config: Config, name: str, data: bytes) -> tuple[Extraction, Verdict]:
    """What the pipeline reads from a filled form and decides about it, as if it came by
    e-mail inside the call's window."""
    spec = config.form
    got = parsers.extract(data, spec)
    digest = hashlib.sha256(data).hexdigest()
    attached = AttachedFile(
        "2", name, "application/octet-stream", parsers.sniff(data), data, digest
    )
    read = FormRead(
        attached if got.readable else None,
        got if got.readable else None,
        ((attached, got),),
        (),
    )
    call = config.call
    envelope = Envelope(
        "<check@mailbot.invalid>",
        "kandydat@example.pl",
        "Zgłoszenie",
        (),
        call.opens_at + (call.closes_at - call.opens_at) / 2,
        "internaldate",
        digest,
        len(data),
    )
    return got, validate(Facts(envelope, FoundFiles((attached,), None), read, call))


def check_sample(config: Config, path: Path) -> Iterator[Check]:
    spec = config.form
    data = _file(path, "sample", "give the path of a filled form")
    if isinstance(data, Check):
        yield data
        return
    got, verdict = sample_verdict(config, path.name, data)
    if not got.readable:
        yield Check(
            "sample",
            "FAIL",
            f"{path.name} ({got.kind}) is not read as the call's form: {got.reason}"
            + (f" ({got.detail})" if got.detail else ""),
            "check the form lines above; a scan is read by a person, never by mailbot",
        )
        return
    yield Check("sample", "ok", f"{path.name} ({got.kind}) reads as the call's form")
    names = {g.number: g.name for g in config.call.groups}
    for f in spec.fields:
        value = got.fields.get(f.key)
        count = len(value) if isinstance(value, list) else 1
        shown = " / ".join(format_value(f.kind, value, names).splitlines())
        where = got.sources.get(f.key)
        yield Check(
            f"sample {f.key}",
            "ok",
            f"„{f.letter_label(count)}”: {shown}" + (f" [{where}]" if where else ""),
        )
    state: State = "ok" if verdict.status == "accepted" else "warn"
    codes = ", ".join(verdict.codes)
    yield Check(
        "sample status",
        state,
        verdict.status + (f" ({codes})" if codes else ""),
        "the problems below are what the letter would ask the applicant to correct",
    )
    for problem in verdict.problems:
        yield Check(f"sample {problem.code}", "warn", f"{problem.message} {problem.fix}")
    for note in verdict.notes:
        yield Check("sample note", "ok", note)
