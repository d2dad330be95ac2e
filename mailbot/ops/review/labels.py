"""What the workspace, the digest and the exports call a status or a problem, in Polish; the
decisions a person may make and the notice of each."""

from __future__ import annotations

from collections.abc import Mapping

import parsers
from mailbot import names
from mailbot.pipeline.texts import STATUS_LABELS
from mailbot.pipeline.validate import problem_codes

#: what a person may decide about an application
DECISION_STATUSES = names.DECISION_STATUSES
#: decisions whose applicant may be told, and the template of the notice
NOTICE_TEMPLATES: Mapping[str, str] = {
    "accepted": "review/accepted.txt.j2",
    "incomplete": "review/incomplete.txt.j2",
    "rejected": "review/rejected.txt.j2",
    "not_application": "review/not_application.txt.j2",
}
#: a problem a person wrote in their own words
OTHER_PROBLEM = "other"

#: problem code -> what is wrong, in Polish (the digest and the workspace never show codes);
#: the codes of one field of the form are worded from its label (:func:`problem_text`)
PROBLEM_TEXTS: Mapping[str, str] = {
    "early": "wpłynęło przed otwarciem naboru",
    "late": "wpłynęło po terminie",
    "no_form": "brak załączonego formularza",
    "form_unreadable": "formularza nie udało się odczytać automatycznie",
    "attachment_refused": "załącznik za duży lub zbyt złożony do odczytania",
    "parts_not_read": "wiadomość ma więcej części, niż odczytano automatycznie",
    "unknown_group": "wskazano pozycję spoza naboru",
    OTHER_PROBLEM: "inny problem (opisany w uwagach)",
}
#: a field's problem code, ``<prefix><key>`` or ``<key><suffix>``, and what it says of the
#: field, by the field's kind ("" for any); ``{label}`` is the field's label
FIELD_PROBLEM_TEXTS: tuple[tuple[str, str, str, str], ...] = (
    ("missing_", "", "choice", "nie zaznaczono żadnej pozycji w polu „{label}”"),
    ("missing_", "", "statement", "nie zaznaczono pola „{label}”"),
    ("missing_", "", "", "nie wypełniono pola „{label}”"),
    ("invalid_", "", "email", "niepoprawny adres e-mail w polu „{label}”"),
    ("invalid_", "", "phone", "niepoprawny numer telefonu w polu „{label}”"),
    ("invalid_", "", "", "pole „{label}” nie ma oczekiwanej postaci"),
    ("too_many_", "", "", "zaznaczono za dużo pozycji w polu „{label}”"),
    ("too_few_", "", "", "zaznaczono za mało pozycji w polu „{label}”"),
    ("", "_too_long", "", "za długi tekst w polu „{label}”"),
)


def problem_text(code: str, spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> str:
    """A problem code in Polish; a code of one field of the form (``missing_<key>``,
    ``invalid_<key>``, ``<key>_too_long`` …) names the field by its label in ``spec``."""
    if code in PROBLEM_TEXTS:
        return PROBLEM_TEXTS[code]
    for f in spec.fields:
        for prefix, suffix, kind, text in FIELD_PROBLEM_TEXTS:
            if code == f"{prefix}{f.key}{suffix}" and kind in ("", f.kind):
                return text.format(label=f.label)
    fields = [f for f in spec.fields if f.key in code]
    if fields:
        label = max(fields, key=lambda f: len(f.key)).label
        return f"problem w polu „{label}” (do sprawdzenia przez pracownika)"
    return "inny problem (do sprawdzenia przez pracownika)"


def problem_choices(spec: parsers.FormSpec) -> list[tuple[str, str]]:
    """(code, Polish text) of every problem a person can pick when asking for a correction:
    the problems validation can find in a form of this call's spec."""
    return [(c, problem_text(c, spec)) for c in problem_codes(spec)]


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


#: a status a person set reads as such (the machine's "przyjęte (kompletne, w terminie)" is
#: not said of a late application a person accepted)
DECIDED_LABELS: Mapping[str, str] = {
    "accepted": "przyjęte – decyzja pracownika",
    "incomplete": "niekompletne – decyzja pracownika (czekamy na poprawki)",
    "rejected": "odrzucone – decyzja pracownika",
    "not_application": "nie jest zgłoszeniem – decyzja pracownika",
}


def decided_status_label(status: str, decided: bool) -> str:
    """The status in Polish; set by a person (``decided``): "przyjęte – decyzja pracownika"."""
    if decided and status in DECIDED_LABELS:
        return DECIDED_LABELS[status]
    return status_label(status)
