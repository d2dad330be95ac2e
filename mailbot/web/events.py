"""The event log's details as the coordinator reads them.

Events are recorded with short technical details ("DKRES-2024-0004 needs_review -> accepted",
"message:12 done", "is_application (unrelated)"): what the command line and the log show. The
workspace says them in Polish: the statuses, dispositions, problems and entries of a detail
are named as everywhere else on its pages, and the arrows and marks read as words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flask import current_app, has_app_context

from mailbot.ops.prefill import REASON_TEXT_PL
from mailbot.ops.review import DECIDED_LABELS, PROBLEM_TEXTS, STATUS_LABELS

from .labels import DISPOSITION_LABELS, HANDLED_LABELS

HOW: Mapping[str, str] = HANDLED_LABELS
DISPOSITIONS: Mapping[str, str] = {**DISPOSITION_LABELS, "missing": "brak"}
KINDS: Mapping[str, str] = {
    "is_application": "uznano za zgłoszenie",
    "is_correspondence": "uznano za korespondencję w sprawie naboru",
    "not_application": "uznano, że to nie jest zgłoszenie",
}
MARKS: Mapping[str, str] = {
    "->": "→",
    "(superseded)": "(zastąpione)",
    "(reply queued)": "(odpowiedź w kolejce do wysłania)",
    "(unchanged)": "(bez zmian)",
    "; no reply:": "; bez automatycznej odpowiedzi:",
    "(not sent again)": "(nie wysłano ponownie)",
}
#: the signals named after a disposition's reason ("… (waga +10.8): question, call_words")
SIGNALS: Mapping[str, str] = {
    "applicant": "nadawca już złożył zgłoszenie",
    "applies": "zgłoszenie kandydata w treści",
    "blank_form": "pusty formularz naboru",
    "bulk": "wysyłka masowa",
    "call_group": "grupa naboru",
    "call_name": "nazwa naboru",
    "call_words": "słowa związane z naborem",
    "candidacy": "kandydowanie",
    "colleague": "nadawca z instytucji",
    "everyday": "zwroty codziennej poczty",
    "form_meant": "plik formularza",
    "form_read": "formularz odczytany",
    "other_call": "inny nabór",
    "other_purpose": "inny cel",
    "own_application": "własne zgłoszenie",
    "own_mail": "wiadomość z adresu naboru",
    "question": "pytanie",
    "reply_to_mailbot": "odpowiedź na list naboru",
    "taught": "wcześniejsze oceny pracownika",
    "unreadable_document": "nieczytelny plik",
    "withdrawal": "rezygnacja",
}
_ENTRY = re.compile(r"\b(message|application|reply):(\d+)\b")
_WORD = re.compile(r"\b[a-z][a-z_]+\b")
_REPLY = re.compile(r"^reply (\d+)$")
_NOTICE = re.compile(r"^(\S+) review_(\w+)$")
_NOTE = re.compile(r"^(\S+) nr (\d+)$")
_JUDGED = re.compile(r"^(is_application|is_correspondence|not_application)(?: \((\w+)\))?$")
_HANDLED = re.compile(r"^(message|application|reply):(\d+) (\w+)$")
_MESSAGE = re.compile(r"\(message (\d+)\)")
_OCR_FAILED = re.compile(r"^(\S+) (\w+)(?::.*)?$", re.S)
_DECISION = re.compile(r"^(\S+) (\w+) -> (\w+)(?: (\S+))?$")
ENTRY_NAMES = {"message": "wiadomość", "application": "zgłoszenie", "reply": "odpowiedź"}


def _word(match: re.Match[str]) -> str:
    return _word_of(match.group(0))


def _word_of(word: str) -> str:
    for table in (HOW, KINDS, STATUS_LABELS, DISPOSITIONS, PROBLEM_TEXTS, SIGNALS):
        if word in table:
            return table[word]
    config = current_app.extensions["mailbot_config"] if has_app_context() else None
    if config is not None and (named := config.form.field(word)) is not None:
        return f"„{named.label}”"
    if word.startswith("missing_"):
        key = word.removeprefix("missing_")
        field = config.form.field(key) if config else None
        return f"nie wypełniono pola „{field.label if field else key.replace('_', ' ')}”"
    return word


def event_detail(event: Mapping[str, Any]) -> str:
    """An event's detail in Polish."""
    kind, detail = str(event.get("kind") or ""), str(event.get("detail") or "")
    if kind == "ocr_failed" and (found := _OCR_FAILED.match(detail)):
        # the reader's own words after the code are English: the code's Polish text instead
        ref, code = found.groups()
        return f"{ref}: {REASON_TEXT_PL.get(code, 'nie udało się odczytać skanu')}"
    if kind == "answer_queued" and _REPLY.match(detail):
        return "odpowiedź w kolejce do wysłania"
    if kind == "notice_queued" and (found := _NOTICE.match(detail)):
        status = STATUS_LABELS.get(found.group(2), found.group(2))
        return f"{found.group(1)}: powiadomienie („{status}”) w kolejce do wysłania"
    if kind == "note" and (found := _NOTE.match(detail)):
        return f"{found.group(1)}: dodano notatkę"
    if kind == "decision" and (found := _JUDGED.match(detail)):
        before = found.group(2)
        return KINDS[found.group(1)] + (
            f" (wcześniej: {DISPOSITIONS.get(before, before)})" if before else ""
        )
    if kind == "handled" and (found := _HANDLED.match(detail)):
        entry, number, how = found.groups()
        return f"{ENTRY_NAMES[entry]} nr {number}: {HOW.get(how, how)}"
    if kind == "decision" and (found := _DECISION.match(detail)):
        ref, old, new, codes = found.groups()
        text = f"{ref}: {STATUS_LABELS.get(old, old)} → {DECIDED_LABELS.get(new, new)}"
        if codes:
            text += "; braki: " + ", ".join(_word_of(c) for c in codes.split(","))
        return text
    for mark, words in MARKS.items():
        detail = detail.replace(mark, words)
    detail = _MESSAGE.sub(lambda m: f"(wiadomość nr {m.group(1)})", detail)
    detail = _ENTRY.sub(lambda m: f"{ENTRY_NAMES[m.group(1)]} nr {m.group(2)}", detail)
    detail = re.sub(r"(?<=\s)(\w+(?:,\w+)+)$", lambda m: m.group(1).replace(",", ", "), detail)
    return _WORD.sub(_word, detail)
