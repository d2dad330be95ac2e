"""Validate stage: small rules that each return findings; all run, then one decision.

The rules iterate over the call's form spec (``call.form``): which fields are required, their
kind (e-mail, phone, date, choice, statement), format check and maximum length all come from
it. A reply can then list every problem at once. Each :class:`Problem` carries a stable
``code`` (exported, counted in the digest) and two Polish sentences for the applicant: what is
wrong and how to fix it. What is only unusual becomes a note for the coordinator.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from mailbot.config import CallConfig
from mailbot.models import Envelope, FormRead, FoundFiles, Problem, Status, Verdict
from mailbot.pipeline.checks import Checked, check_date, check_email, check_phone
from mailbot.pipeline.texts import polish_datetime
from parsers import FieldSpec, FormSpec


@dataclass(frozen=True)
class Facts:
    """Everything the rules look at."""

    envelope: Envelope
    found: FoundFiles
    form: FormRead
    call: CallConfig
    #: the end of the correction period a letter gave this sender (``call.corrections_days``);
    #: a corrected form received after closes_at but within it is on time
    correction_until: datetime | None = None

    @property
    def spec(self) -> FormSpec:
        return self.call.form

    @property
    def fields(self) -> Mapping[str, Any]:
        if self.form.extraction is None or not self.form.extraction.readable:
            return {}
        return self.form.extraction.fields


@dataclass(frozen=True)
class Note:
    """Unusual, not wrong: shown to the coordinator, never to the applicant."""

    text: str


Finding = Problem | Note
Rule = Callable[[Facts], Sequence[Finding]]


def _when(facts: Facts, which: str) -> str:
    moment = facts.call.opens_at if which == "opens" else facts.call.closes_at
    return polish_datetime(moment, facts.call.timezone)


def _where(f: FieldSpec) -> str:
    return f" ({f.section})" if f.section else ""


def receipt_window(facts: Facts) -> Sequence[Finding]:
    received = facts.envelope.received_at
    if received < facts.call.opens_at:
        return [
            Problem(
                "early",
                f"Wiadomość wpłynęła przed otwarciem naboru ({_when(facts, 'opens')}).",
                "Prosimy przesłać formularz ponownie w terminie naboru, "
                f"od {_when(facts, 'opens')} do {_when(facts, 'closes')}.",
            )
        ]
    if received > facts.call.closes_at and not (
        facts.correction_until is not None and received <= facts.correction_until
    ):
        return [
            Problem(
                "late",
                f"Wiadomość wpłynęła po terminie naboru, który upłynął {_when(facts, 'closes')}.",
                "Zgłoszenie przesłane po terminie nie może zostać rozpatrzone w tym naborze.",
            )
        ]
    return []


#: the letters that ask for a corrected form and so open a correction period
#: (``call.corrections_days``): the automatic confirmation and incomplete letters, a person's
#: incomplete notice
CORRECTION_LETTERS = ("accepted", "incomplete", "review_incomplete")


def correction_deadline(call: CallConfig, asked_at: datetime) -> datetime | None:
    """The last moment of ``call.corrections_days`` counted from a letter asking for a
    correction: the end of the last day in the call's time zone (the day the letter came is
    not counted, as Polish offices count a period in days); None without such a period."""
    if not call.corrections_days:
        return None
    day = asked_at.astimezone(call.timezone).date() + timedelta(days=call.corrections_days)
    return datetime.combine(day, time(23, 59, 59), tzinfo=call.timezone)


def form_attached(facts: Facts) -> Sequence[Finding]:
    if facts.found.candidates or facts.form.refused or facts.found.truncated:
        return []
    return [
        Problem(
            "no_form",
            "W wiadomości nie znaleźliśmy załączonego formularza zgłoszeniowego.",
            "Prosimy dołączyć wypełniony formularz (plik DOCX lub PDF) jako załącznik "
            "i wysłać go ponownie na ten adres.",
        )
    ]


def form_readable(facts: Facts) -> Sequence[Finding]:
    """The form could not be read: a person will (the letter says so once)."""
    if facts.form.extraction is not None and facts.form.extraction.readable:
        return []
    if not (facts.found.candidates or facts.form.refused or facts.found.truncated):
        return []  # nothing attached: form_attached reports it
    if facts.form.refused or (facts.found.truncated and not facts.found.candidates):
        return [
            Problem(
                "attachment_refused",
                "Załącznik przekracza dopuszczalny rozmiar lub "
                "złożoność wiadomości i nie został odczytany automatycznie.",
                "Jeśli to możliwe, prosimy przesłać sam formularz w pliku DOCX lub PDF.",
            )
        ]
    return [
        Problem(
            "form_unreadable",
            "Nie udało się automatycznie odczytać formularza.",
            "Jeśli to możliwe, prosimy przesłać formularz wypełniony na komputerze "
            "(plik DOCX lub PDF).",
        )
    ]


def message_read_whole(facts: Facts) -> Sequence[Finding]:
    """A message cut at a limit (``limits.max_parts``, ``max_depth``, ``max_message_bytes``)
    is never taken as read: a person looks at the rest (it is kept whole in the store), and the
    coordinator's note says where it was cut."""
    cut = facts.found.truncated
    if not cut:
        return []
    if not facts.found.candidates:
        # nothing attached was read: form_readable reports attachment_refused
        return [Note(f"Wiadomość {cut}: jej plików nie odczytano; jest zapisana w całości.")]
    note = Note(
        f"Wiadomość {cut}: odczytano tylko część plików; całość jest w zapisanej wiadomości."
    )
    return [
        note,
        Problem(
            "parts_not_read",
            "Wiadomość zawiera więcej załączników lub części, niż odczytujemy automatycznie, "
            "dlatego nie wszystkie zostały odczytane.",
            "Pracownik obsługujący nabór przejrzy wiadomość w całości; "
            "nie trzeba przesyłać jej ponownie.",
        ),
    ]


def _filled(f: FieldSpec, value: Any) -> bool:
    if f.type == "groups":
        return bool(value)
    if f.type == "checkbox":
        return value is True
    return isinstance(value, str) and bool(value.strip())


def _missing(f: FieldSpec) -> Problem:
    if f.type == "groups":
        return Problem(
            f"missing_{f.key}",
            f"W polu „{f.label}”{_where(f)} nie zaznaczono żadnej pozycji.",
            f"Prosimy zaznaczyć {_how_many(f)}."
            if f.min_choices or f.max_choices
            else "Prosimy zaznaczyć co najmniej jedną pozycję.",
            f.key,
        )
    if f.type == "checkbox":
        return Problem(
            f"missing_{f.key}",
            f"Nie zaznaczono pola „{f.label}”{_where(f)}.",
            "Prosimy zaznaczyć to oświadczenie – bez niego nie możemy rozpatrzyć zgłoszenia.",
            f.key,
        )
    return Problem(
        f"missing_{f.key}",
        f"Nie wypełniono pola „{f.label}”{_where(f)}.",
        "Prosimy uzupełnić to pole.",
        f.key,
    )


def required_fields(facts: Facts) -> Sequence[Finding]:
    fields = facts.fields
    if not fields:
        return []
    return [
        _missing(f) for f in facts.spec.fields if f.required and not _filled(f, fields.get(f.key))
    ]


def choices_known(facts: Facts) -> Sequence[Finding]:
    f = facts.spec.groups_field
    if f is None or not facts.fields:
        return []
    found = _unknown_choice(f, facts.fields.get(f.key), facts.call.group_numbers())
    return [found] if found else []


def _unknown_choice(f: FieldSpec, value: Any, allowed: AbstractSet[int]) -> Problem | None:
    unknown = sorted(set(value or []) - allowed)
    if not unknown:
        return None
    numbers = ", ".join(str(n) for n in unknown)
    return Problem(
        "unknown_group",
        f"W polu „{f.label}” zaznaczono pozycję spoza naboru (nr {numbers}).",
        "Prosimy wybrać spośród pozycji ogłoszonych w naborze "
        f"(nr {', '.join(str(n) for n in sorted(allowed))}).",
        f.key,
    )


def choice_counts(facts: Facts) -> Sequence[Finding]:
    """As many boxes ticked as the choice field allows (``min_choices`` / ``max_choices``);
    none ticked is ``required_fields``'s to say."""
    f = facts.spec.groups_field
    if f is None or not facts.fields:
        return []
    found = _count_problem(f, facts.fields.get(f.key))
    return [found] if found else []


#: the numbers a letter spells out, for the neuter "pole" ("jedno pole", "dwa pola")
_NUMBER_WORDS = ("", "jedno", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem")


def _boxes(n: int) -> str:
    """The noun "pole" after ``n`` (1 pole, 2 pola, 5 pól, 22 pola)."""
    if n == 1:
        return "pole"
    return "pola" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "pól"


def _in_words(n: int) -> str:
    return _NUMBER_WORDS[n] if n < len(_NUMBER_WORDS) else str(n)


def _how_many(f: FieldSpec) -> str:
    """What the form asks for, as the fix of a letter says it: "jedno pole", "dokładnie dwa
    pola", "najwyżej trzy pola", "co najmniej dwa pola", "od 2 do 4 pól"."""
    least, most = f.min_choices, f.max_choices
    if most == 1:
        return "jedno pole"
    if least is not None and least == most:
        return f"dokładnie {_in_words(least)} {_boxes(least)}"
    if most is not None and least is not None and least > 1:
        return f"od {least} do {most} pól"
    if most is not None:
        return f"najwyżej {_in_words(most)} {_boxes(most)}"
    least = least or 1
    return f"co najmniej {_in_words(least)} {_boxes(least)}"


def _count_problem(f: FieldSpec, value: Any) -> Problem | None:
    """``too_many_<key>`` / ``too_few_<key>``: the count ticked against the field's bounds."""
    count = len(set(value or []))
    if not count:
        return None
    ticked = f"W polu „{f.label}”{_where(f)} zaznaczono {count} {_boxes(count)}"
    most, least = f.max_choices, f.min_choices
    if most is not None and count > most:
        allowed = (
            "można wybrać tylko jedno"
            if most == 1
            else f"należy wybrać dokładnie {_in_words(most)}"
            if least == most
            else f"można wybrać najwyżej {_in_words(most)}"
        )
        return Problem(
            f"too_many_{f.key}",
            f"{ticked}, a {allowed}.",
            f"Prosimy zaznaczyć {_how_many(f)}.",
            f.key,
        )
    if least is not None and count < least:
        needed = (
            f"dokładnie {_in_words(least)}" if least == most else f"co najmniej {_in_words(least)}"
        )
        return Problem(
            f"too_few_{f.key}",
            f"{ticked}, a należy wybrać {needed}.",
            f"Prosimy zaznaczyć {_how_many(f)}.",
            f.key,
        )
    return None


_KIND_CHECKS: dict[str, Callable[[str], Checked]] = {
    "email": check_email,
    "phone": check_phone,
    "date": check_date,
}
_INVALID_TEXT = {
    "email": (
        "Podany adres e-mail wygląda na niepoprawny.",
        "Prosimy sprawdzić adres e-mail w formularzu.",
    ),
    "phone": (
        "Podany numer telefonu wygląda na niepoprawny.",
        "Prosimy podać numer telefonu (9 cyfr, np. 601 234 567 lub 71 344 55 66).",
    ),
}


def problem_codes(spec: FormSpec) -> list[str]:
    """Every problem code the rules below can give for a form of this spec, in the form's
    order: an answer missing, a group not in the call, too many or too few ticked, an answer
    of the wrong form, too long."""
    codes = [f"missing_{f.key}" for f in spec.fields]
    choice = spec.groups_field
    if choice is not None:
        codes.append("unknown_group")
        if choice.max_choices is not None:
            codes.append(f"too_many_{choice.key}")
        if choice.min_choices is not None and choice.min_choices > 1:
            codes.append(f"too_few_{choice.key}")
    codes += [
        f"invalid_{f.key}"
        for f in spec.fields
        if f.type == "text" and (f.kind in _KIND_CHECKS or f.pattern)
    ]
    codes += [f"{f.key}_too_long" for f in spec.fields if f.max_length]
    return codes


def formats_valid(facts: Facts) -> Sequence[Finding]:
    """Each text answer against its kind and the form's format check."""
    found = (_format_finding(f, facts.fields.get(f.key)) for f in facts.spec.fields)
    return [x for x in found if x is not None]


def _format_finding(f: FieldSpec, value: Any) -> Finding | None:
    if f.type != "text" or not isinstance(value, str) or not value.strip():
        return None
    check = _KIND_CHECKS.get(f.kind)
    result = check(value) if check else Checked(True)
    if result.usable and f.pattern and not re.fullmatch(f.pattern, value.strip()):
        result = Checked(False)
    if not result.usable:
        message, fix = _INVALID_TEXT.get(
            f.kind,
            (
                f"Pole „{f.label}” nie ma oczekiwanej postaci.",
                "Prosimy poprawić to pole" + (f" ({f.format_hint})" if f.format_hint else "") + ".",
            ),
        )
        return Problem(f"invalid_{f.key}", message, fix, f.key)
    return Note(f"{f.label}: {result.note}") if result.note else None


def lengths_within(facts: Facts) -> Sequence[Finding]:
    found = (_length_problem(f, facts.fields.get(f.key)) for f in facts.spec.fields)
    return [x for x in found if x is not None]


def _length_problem(f: FieldSpec, text: Any) -> Problem | None:
    if not (f.max_length and isinstance(text, str) and len(text) > f.max_length):
        return None
    return Problem(
        f"{f.key}_too_long",
        f"Pole „{f.label}” ma {len(text)} znaków, a formularz dopuszcza {f.max_length}.",
        f"Prosimy skrócić ten tekst{_where(f)}.",
        f.key,
    )


def answer_problem(f: FieldSpec, value: Any, allowed_choices: AbstractSet[int]) -> Problem | None:
    """What is wrong with one answer by the form spec — the same rules as for a form read by
    machine (a format or kind check, a choice outside the call, too long), for a value a person
    types in or confirms; None when it is right. A missing answer is no problem here: a person
    may leave empty what the applicant left empty."""
    if f.type == "groups":
        return _unknown_choice(f, value, allowed_choices)
    found = _format_finding(f, value)
    if isinstance(found, Problem):
        return found
    return _length_problem(f, value)


#: every rule runs; their problems together make the decision
RULES: tuple[Rule, ...] = (
    receipt_window,
    form_attached,
    form_readable,
    message_read_whole,
    required_fields,
    choices_known,
    choice_counts,
    formats_valid,
    lengths_within,
)


def decide(problems: Sequence[Problem]) -> Status:
    """One decision from all problems, most decisive first."""
    codes = {p.code for p in problems}
    if "early" in codes:
        return "early"
    if "late" in codes:
        return "late"
    if "no_form" in codes:
        return "no_form"
    if codes & {"form_unreadable", "attachment_refused", "parts_not_read"}:
        return "needs_review"
    if codes:
        return "incomplete"
    return "accepted"


def validate(facts: Facts, rules: Sequence[Rule] = RULES) -> Verdict:
    findings = [x for rule in rules for x in rule(facts)]
    problems = tuple(x for x in findings if isinstance(x, Problem))
    notes = tuple(x.text for x in findings if isinstance(x, Note))
    return Verdict(status=decide(problems), problems=problems, notes=notes)
