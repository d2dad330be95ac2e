"""The one relevance decision: the findings weighed, in one place.

Every signal's weight is in :data:`WEIGHTS` (positive: for the call; negative: against it). A
message is about the call when its findings weigh :data:`ABOUT_CALL` or more — a word that fills
the everyday mail ("Komitet", "ekonomii społecznej") weighs 0.4 at most, another purpose named
in the subject -2.5, a text that applies 2 — and then:

- a form of the call read (and filled in) always makes an application;
- a reply in mailbot's own thread is correspondence (an application when it carries a file
  meant as the form);
- the mailbox owner's and colleagues' mail, a withdrawal, the blank form passed on, a question
  are correspondence: a person reads them;
- an attempt to apply (a file meant as the form, a text that applies and asks nothing, without
  the blank form it passes on) is an application, unless the message serves another purpose
  (another purpose or call named, list headers): then a person reads it.

An application gets an automatic letter only on strong evidence (:attr:`Decision.strong`): the
call's form read (in a message that names no other purpose); a reply in mailbot's thread with
the form; a file named as *this call's* form, or meant as the form by someone who already
applied; a text that applies and names the call or its groups — and nothing against.
Everything else goes to a person, with no letter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from mailbot.models import Finding, Relevant

WEIGHTS: Mapping[str, float] = {
    # the form
    "form_read": 10.0,
    "blank": 2.0,
    "form_named_call": 4.0,
    "form_named": 2.0,
    "form_in_text": 2.0,
    "unreadable": 0.5,
    "unreadable_bare": 2.0,
    # who writes, in which thread
    "reply": 6.0,
    "applicant": 1.5,
    "taught_sender": 4.0,
    "taught_thread": 4.0,
    # what the text says
    "withdrawal": 2.0,
    "applies": 2.0,
    "own_application": 2.0,
    "candidacy": 1.0,
    "question": 0.5,
    "call_question": 2.0,
    # the call's own words
    "call_name": 4.0,
    "call_prefix": 3.0,
    "call_object": 3.0,
    "call_head": 1.5,
    "group": 3.0,
    "call_word": 0.4,
    "call_keyword": 2.5,
    "call_words_max": 1.0,
    # against the call
    "other_call": -3.0,
    "purpose_subject": -2.5,
    "purpose_text": -1.5,
    "purpose_max": -5.0,
    "bulk": -2.5,
    "bulk_weak": -0.5,
    "own_mail": -1.0,
    "colleague": -1.0,
    "everyday_phrase": -0.5,
    "everyday_max": -2.5,
}
#: from this weight on a message is about the call
ABOUT_CALL = 2.0
#: signals that name this call itself (its name, its groups), not any call
CALL_SPECIFIC = frozenset({"call_name", "call_group"})
#: signals that the message serves another purpose: never an application without the form
PURPOSE_ELSEWHERE = frozenset({"other_purpose", "other_call", "bulk"})


class Decision(NamedTuple):
    disposition: Relevant
    reason: str  # Polish, for a person
    strong: str | None  # why an automatic letter may go (Polish), or None


def score(findings: Sequence[Finding]) -> float:
    return round(sum(f.weight for f in findings), 2)


def decide(findings: Sequence[Finding]) -> Decision:
    """One decision from every finding (see the module's text)."""
    hit = {f.signal: f for f in findings}
    total = score(findings)
    weighed = f"waga {total:+.1f}"
    if "form_read" in hit:
        if (
            PURPOSE_ELSEWHERE & hit.keys()
            and _purpose_weight(findings) <= WEIGHTS["purpose_subject"]
        ):
            # the form read, yet the message serves another purpose: a person confirms it
            return Decision("application", f"formularz odczytany, inny cel ({weighed})", None)
        return Decision("application", "formularz naboru odczytany", "formularz naboru odczytany")
    if "reply_to_mailbot" in hit:
        if "form_meant" in hit:
            return Decision(
                "application",
                "plik formularza w odpowiedzi na list naboru",
                "odpowiedź w wątku listu naboru",
            )
        return Decision("correspondence", "odpowiedź na list naboru", None)
    purpose = PURPOSE_ELSEWHERE & hit.keys()
    if "own_mail" in hit and "form_meant" in hit and not purpose:
        # the owner's scan of a form that came by post: an application (never answered)
        return Decision("application", f"plik formularza z adresu naboru ({weighed})", None)
    if total < ABOUT_CALL:
        return Decision("unrelated", f"nie dotyczy naboru ({weighed})", None)
    if "own_mail" in hit:
        return Decision("correspondence", f"wiadomość z adresu naboru ({weighed})", None)
    if "colleague" in hit:
        return Decision(
            "correspondence", f"wiadomość z instytucji w sprawie naboru ({weighed})", None
        )
    if "withdrawal" in hit:
        return Decision("correspondence", f"rezygnacja ze zgłoszenia ({weighed})", None)
    attempt = "form_meant" in hit or (
        "applies" in hit and "question" not in hit and "blank_form" not in hit
    )
    if not attempt or purpose:
        if "blank_form" in hit:
            return Decision("correspondence", f"pusty formularz naboru (wzór) ({weighed})", None)
        return Decision("correspondence", f"wiadomość w sprawie naboru ({weighed})", None)
    return Decision("application", _attempt_reason(hit, weighed), _strong(hit, findings))


def _purpose_weight(findings: Sequence[Finding]) -> float:
    return sum(f.weight for f in findings if f.signal in PURPOSE_ELSEWHERE)


def _attempt_reason(hit: Mapping[str, Finding], weighed: str) -> str:
    if "form_meant" in hit:
        return f"plik przesłany jako formularz, nieodczytany ({weighed})"
    return f"próba zgłoszenia bez formularza ({weighed})"


def _strong(hit: Mapping[str, Finding], findings: Sequence[Finding]) -> str | None:
    """Why the application may be answered automatically, or None (a person confirms it)."""
    against = [f for f in findings if f.weight < 0]
    if against:
        return None
    names_call = bool(CALL_SPECIFIC & hit.keys())
    meant = hit.get("form_meant")
    if meant is not None:
        if meant.weight >= WEIGHTS["form_named_call"]:
            return "plik nazwany jak formularz naboru"
        if names_call:
            return "plik formularza; wiadomość wskazuje nabór lub grupę"
        if "applicant" in hit:
            return "plik formularza od osoby, która już złożyła zgłoszenie"
        return None
    if "applies" in hit and names_call:
        return "treść zgłasza kandydata i wskazuje nabór lub grupę"
    return None
