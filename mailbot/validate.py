"""Validate stage: small rules that each return problems; all run, then one decision.

A reply can then list every problem at once. Each :class:`Problem` carries a stable ``code``
(exported, counted in the digest) and two Polish sentences for the applicant: what is wrong and
how to fix it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import parsers

from .config import CallConfig
from .models import Envelope, FormRead, FoundFiles, Problem, Status, Verdict
from .texts import polish_datetime

REQUIRED_TEXT_FIELDS: tuple[str, ...] = (
    "full_name", "organisation", "organisation_type", "position", "address", "email", "phone",
    "experience", "place_and_date",
)
EXPERIENCE_MAX_CHARS = 2000
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+$")

RESEND = ("i przesłać poprawiony formularz w odpowiedzi na tę wiadomość "
          "(kolejne zgłoszenie zastąpi poprzednie).")


@dataclass(frozen=True)
class Facts:
    """Everything the rules look at."""

    envelope: Envelope
    found: FoundFiles
    form: FormRead
    call: CallConfig

    @property
    def fields(self) -> Mapping[str, Any]:
        if self.form.extraction is None or not self.form.extraction.readable:
            return {}
        return self.form.extraction.fields


Rule = Callable[[Facts], Sequence[Problem]]


def _label(key: str) -> str:
    return parsers.FIELD_LABELS_PL.get(key, key)


def _when(facts: Facts, which: str) -> str:
    moment = facts.call.opens_at if which == "opens" else facts.call.closes_at
    return polish_datetime(moment, facts.call.timezone)


def receipt_window(facts: Facts) -> Sequence[Problem]:
    received = facts.envelope.received_at
    if received < facts.call.opens_at:
        return [Problem("early", f"Wiadomość wpłynęła przed otwarciem naboru "
                        f"({_when(facts, 'opens')}).",
                        "Prosimy przesłać formularz ponownie w terminie naboru, "
                        f"od {_when(facts, 'opens')} do {_when(facts, 'closes')}.")]
    if received > facts.call.closes_at:
        return [Problem("late", f"Wiadomość wpłynęła po terminie naboru, który upłynął "
                        f"{_when(facts, 'closes')}.",
                        "Zgłoszenie przesłane po terminie nie może zostać rozpatrzone w tym "
                        "naborze.")]
    return []


def form_attached(facts: Facts) -> Sequence[Problem]:
    if facts.found.candidates or facts.form.refused or facts.found.truncated:
        return []
    return [Problem("no_form", "W wiadomości nie znaleźliśmy załączonego formularza "
                    "zgłoszeniowego.",
                    "Prosimy dołączyć wypełniony formularz (plik DOCX lub PDF) jako załącznik "
                    "i wysłać go ponownie na ten adres.")]


def form_readable(facts: Facts) -> Sequence[Problem]:
    if facts.form.extraction is not None and facts.form.extraction.readable:
        return []
    if not (facts.found.candidates or facts.form.refused or facts.found.truncated):
        return []  # nothing attached: form_attached reports it
    if facts.form.refused or (facts.found.truncated and not facts.found.candidates):
        return [Problem("attachment_refused", "Załącznik przekracza dopuszczalny rozmiar lub "
                        "złożoność wiadomości i nie został odczytany automatycznie.",
                        "Pracownik sprawdzi zgłoszenie. Jeśli to możliwe, prosimy przesłać "
                        "sam formularz w pliku DOCX lub PDF mniejszym niż 10 MB.")]
    return [Problem("form_unreadable", "Nie udało się automatycznie odczytać formularza.",
                    "Zgłoszenie sprawdzi pracownik. Jeśli to możliwe, prosimy przesłać formularz "
                    "wypełniony na komputerze (plik DOCX lub PDF).")]


def required_fields(facts: Facts) -> Sequence[Problem]:
    fields = facts.fields
    if not fields:
        return []
    problems = []
    for key in REQUIRED_TEXT_FIELDS:
        value = fields.get(key)
        if not (isinstance(value, str) and value.strip()):
            problems.append(Problem(f"missing_{key}", f"Nie wypełniono pola „{_label(key)}”.",
                                    f"Prosimy uzupełnić pole „{_label(key)}” " + RESEND, key))
    return problems


def groups_chosen(facts: Facts) -> Sequence[Problem]:
    fields = facts.fields
    if not fields:
        return []
    chosen = list(fields.get("groups") or [])
    if not chosen:
        return [Problem("missing_groups", "Nie zaznaczono żadnej grupy roboczej (część II "
                        "formularza).", "Prosimy zaznaczyć co najmniej jedną grupę roboczą w "
                        "części II formularza " + RESEND, "groups")]
    unknown = sorted(set(chosen) - facts.call.group_numbers())
    if unknown:
        numbers = ", ".join(str(n) for n in unknown)
        allowed = ", ".join(str(g.number) for g in facts.call.groups)
        return [Problem("unknown_group", f"Wskazano grupę spoza naboru (nr {numbers}).",
                        f"Prosimy wybrać grupy spośród ogłoszonych w naborze (nr {allowed}) "
                        + RESEND, "groups")]
    return []


def statements_ticked(facts: Facts) -> Sequence[Problem]:
    fields = facts.fields
    if not fields:
        return []
    problems = []
    if fields.get("accepts_rules") is not True:
        problems.append(Problem(
            "missing_accepts_rules",
            "Nie zaznaczono oświadczenia o zapoznaniu się z Regulaminem Komitetu i akceptacji "
            "jego postanowień (część IV).",
            "Prosimy zaznaczyć to oświadczenie w części IV formularza " + RESEND,
            "accepts_rules"))
    if fields.get("consents_gdpr") is not True:
        problems.append(Problem(
            "missing_consents_gdpr",
            "Nie zaznaczono zgody na przetwarzanie danych osobowych (część IV).",
            "Bez tej zgody nie możemy rozpatrzyć zgłoszenia. Prosimy zaznaczyć zgodę w części "
            "IV formularza " + RESEND, "consents_gdpr"))
    return problems


def contact_valid(facts: Facts) -> Sequence[Problem]:
    fields = facts.fields
    problems = []
    email_value = fields.get("email")
    if isinstance(email_value, str) and email_value.strip() and \
            not _EMAIL.match(email_value.strip()):
        problems.append(Problem("invalid_email", "Podany adres e-mail wygląda na niepoprawny.",
                                "Prosimy sprawdzić adres e-mail w formularzu " + RESEND,
                                "email"))
    phone = fields.get("phone")
    if isinstance(phone, str) and phone.strip():
        digits = re.sub(r"\D", "", phone)
        if not re.fullmatch(r"[0-9+()\-\s./]+(?:\s*(?:wew\.?|w\.)\s*\d+)?", phone.strip()) or \
                not 9 <= len(digits) <= 15:
            problems.append(Problem("invalid_phone", "Podany numer telefonu wygląda na "
                                    "niepoprawny.", "Prosimy podać numer telefonu (9 cyfr, "
                                    "ewentualnie z numerem kierunkowym) " + RESEND, "phone"))
    return problems


def experience_length(facts: Facts) -> Sequence[Problem]:
    text = facts.fields.get("experience")
    if isinstance(text, str) and len(text) > EXPERIENCE_MAX_CHARS:
        return [Problem("experience_too_long", f"Opis doświadczenia ma {len(text)} znaków, a "
                        f"formularz dopuszcza {EXPERIENCE_MAX_CHARS}.",
                        "Prosimy skrócić opis w części III formularza " + RESEND,
                        "experience")]
    return []


#: every rule runs; their problems together make the decision
RULES: tuple[Rule, ...] = (
    receipt_window,
    form_attached,
    form_readable,
    required_fields,
    groups_chosen,
    statements_ticked,
    contact_valid,
    experience_length,
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
    if codes & {"form_unreadable", "attachment_refused"}:
        return "needs_review"
    if codes:
        return "incomplete"
    return "accepted"


def validate(facts: Facts, rules: Sequence[Rule] = RULES) -> Verdict:
    problems = tuple(p for rule in rules for p in rule(facts))
    return Verdict(status=decide(problems), problems=problems)
