"""The coordinator's work on the applications: decide, correct, answer, clear the queue.

Each change commits in one transaction together with its event (who, when, what); the values
read by machine are never overwritten: a correction is a layer of its own (``corrections``
holds the history, ``applications.corrected`` the current values), and exports show the
corrected value and mark it. A notice to the applicant or an answer to a question is queued
in the same outbox (table ``replies``, state ``queued``) as every automatic reply, so it is
sent once by the next pass, threaded under the applicant's message.
"""

from __future__ import annotations

import email.policy
import re
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import parsers
from mailbot import names
from mailbot.config import CallConfig, Config
from mailbot.errors import FieldErrors as FieldErrors
from mailbot.errors import MailbotError
from mailbot.errors import ReviewError as ReviewError
from mailbot.mail.mime import one_line
from mailbot.ops.letters import Letter, compose_letter, queue_letter
from mailbot.ops.recipients import Recipient, application_recipients, choose_recipient
from mailbot.pipeline.delivery import undelivered_text
from mailbot.pipeline.record import resupersede
from mailbot.pipeline.render import render
from mailbot.pipeline.replies import call_context, field_rows
from mailbot.pipeline.texts import STATUS_LABELS, polish_datetime
from mailbot.pipeline.validate import answer_problem, problem_codes
from mailbot.storage import review as review_store
from mailbot.storage.review import Correction
from mailbot.storage.store import Store, iso, loads, parse_iso, utcnow
from parsers import office as parsers_office

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


# --- reading ---------------------------------------------------------------------------------


def application_row(store: Store, ref: str) -> dict[str, Any]:
    """The application with this reference number (or id); ReviewError when there is none."""
    ref = ref.strip()
    row = review_store.find_application(store, ref)
    if row is None:
        raise ReviewError(f"no application {ref}")
    return row


def machine_fields(
    row: Mapping[str, Any], spec: parsers.FormSpec = parsers.DEFAULT_FORM
) -> dict[str, Any]:
    fields = spec.empty_fields()
    fields.update(loads(row["fields"], {}))
    return fields


def effective_fields(
    row: Mapping[str, Any], spec: parsers.FormSpec = parsers.DEFAULT_FORM
) -> dict[str, Any]:
    """The values read by machine with the corrections laid over them."""
    fields = machine_fields(row, spec)
    fields.update(loads(row.get("corrected"), {}))
    return fields


#: words that may stand between group numbers ("4 i 5", "4 oraz 5", "grupy nr 4, 5")
_CHOICE_WORDS = re.compile(r"(?i)\b(i|oraz|a|and|nr|numer|grupa|grupy|gr)\b\.?")
_YES = ("tak", "t", "yes", "y", "true", "1", "x", "zaznaczone", "zaznaczono")
_NO = ("nie", "n", "no", "false", "0", "", "niezaznaczone")


def parse_field_value(key: str, text: str, spec: parsers.FormSpec = parsers.DEFAULT_FORM) -> Any:
    """A typed value from what a person typed, by the field's kind in the form spec: a choice
    "4, 5" / "4 i 5" / "4 oraz 5" -> [4, 5]; a statement tak/nie -> True/False; text -> the
    text (None when empty). ReviewError (in Polish) when it cannot be read as its kind."""
    f = spec.field(key)
    if f is None:
        raise ReviewError(f"unknown field {key!r}; fields: {', '.join(spec.keys)}")
    text = text.strip()
    if f.type == "groups":
        rest = _CHOICE_WORDS.sub(" ", text)
        if re.sub(r"[\d,;.+&/\s]", "", rest):
            raise ReviewError("Wpisz numery pozycji, np. 4, 5 albo 4 i 5.")
        return sorted({int(n) for n in re.findall(r"\d+", rest)})
    if f.type == "checkbox":
        lowered = text.lower()
        if lowered in _YES:
            return True
        if lowered in _NO:
            return False
        raise ReviewError("Wybierz „tak” albo „nie”.")
    return text or None


def _allowed_choices(spec: parsers.FormSpec, call: CallConfig | None) -> set[int]:
    if call is not None:
        return set(call.group_numbers())
    f = spec.groups_field
    return {o.number for o in f.options} if f is not None else set()


def checked_values(
    changes: Mapping[str, str], spec: parsers.FormSpec, call: CallConfig | None = None
) -> dict[str, Any]:
    """The typed values of ``changes``, each read by its kind and checked by the form spec as
    a form read by machine is (:func:`~mailbot.pipeline.validate.answer_problem`): an e-mail
    address with "@@", a phone number without digits, a group the call does not have are
    refused. :class:`FieldErrors` names every refused field (nothing is saved then)."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    allowed = _allowed_choices(spec, call)
    for key, text in changes.items():
        f = spec.field(key)
        if f is None:
            raise ReviewError(f"unknown field {key!r}; fields: {', '.join(spec.keys)}")
        try:
            value = parse_field_value(key, text, spec)
        except ReviewError as exc:
            errors[key] = exc.message
            continue
        problem = answer_problem(f, value, allowed)
        if problem is not None:
            errors[key] = problem.message + (
                f" Pozycje naboru: {', '.join(str(n) for n in sorted(allowed))}."
                if problem.code == "unknown_group"
                else ""
            )
            continue
        values[key] = value
    if errors:
        raise FieldErrors(errors)
    return values


def corrections(store: Store, application_pk: int) -> list[Correction]:
    return review_store.corrections(store, application_pk)


# --- notices ----------------------------------------------------------------------------------


def notice(
    config: Config,
    store: Store,
    ref: str,
    status: str,
    problems: Sequence[str] = (),
    note: str | None = None,
    *,
    recipient: str | None = None,
) -> Letter:
    """The Polish notice to the applicant about a decision (shown before it is queued), to
    the recipient chosen (:mod:`mailbot.ops.recipients`: ``form`` or ``sender``; by default
    the form's e-mail), greeting as that recipient is greeted."""
    if status not in NOTICE_TEMPLATES:
        raise ReviewError(
            f"no notice for the decision {status!r} (notices: {', '.join(NOTICE_TEMPLATES)})",
            "no_notice",
            status=status,
        )
    row = application_row(store, ref)
    to = choose_recipient(config, row, recipient)
    fields = effective_fields(row)
    context = {
        "call": call_context(config.call),
        "reference": row["reference"],
        "received_at_text": polish_datetime(parse_iso(row["received_at"]), config.call.timezone),
        "problems": [problem_text(c, config.form) for c in problems if c != OTHER_PROBLEM],
        "note": (note or "").strip(),
        "fields": field_rows(fields, config.call),
        "salutation": to.salutation,
    }
    subject, body = render(NOTICE_TEMPLATES[status], context, config.call.templates_dir)
    return compose_letter(
        config,
        store,
        row["message_pk"],
        to.address,
        subject,
        body,
        f"review_{status}",
        thread=to.sender,
    )


def recipients(config: Config, row: Mapping[str, Any]) -> list[Recipient]:
    """Who a letter about this application may go to (the form's e-mail, the sender)."""
    return application_recipients(config, row)


# --- decisions -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionResult:
    reference: str
    old_status: str
    status: str
    notice_reply_id: int | None


def check_decision(
    status: str, problems: Sequence[str] = (), note: str | None = None
) -> tuple[list[str], str | None]:
    """The rules of a person's decision: (problem codes, note) as they are recorded. A
    decision must be chosen; incomplete needs problems or a note; rejected needs a reason."""
    if status not in DECISION_STATUSES:
        raise ReviewError(
            f"status must be one of: {', '.join(DECISION_STATUSES)}", "decision_missing"
        )
    note = (note or "").strip() or None
    codes = [c.strip() for c in problems if c.strip()]
    if status == "incomplete" and not codes and not note:
        raise ReviewError(
            "incomplete: name the problems (--problem CODE) or write one (--note)",
            "problems_missing",
        )
    if status == "incomplete" and note and OTHER_PROBLEM not in codes:
        codes.append(OTHER_PROBLEM)
    if status == "rejected" and not note:
        raise ReviewError("rejected: give the reason (--note)", "reason_missing")
    if status != "incomplete":
        codes = [c for c in codes if c != OTHER_PROBLEM]
    return codes, note


def decide(
    config: Config,
    store: Store,
    ref: str,
    status: str,
    *,
    actor: str,
    problems: Sequence[str] = (),
    note: str | None = None,
    notify: bool = False,
    recipient: str | None = None,
) -> DecisionResult:
    """Record a person's decision on an application (and queue the notice when asked, to the
    recipient chosen)."""
    codes, note = check_decision(status, problems, note)
    row = application_row(store, ref)
    letter = (
        notice(config, store, ref, status, codes, note, recipient=recipient) if notify else None
    )
    now = iso(utcnow())
    reply_id = None
    with store.transaction():
        review_store.decide_application(
            store,
            row["id"],
            status,
            codes,
            by=actor,
            at=now,
            note=note,
            machine_status=row["status"],
        )
        if "not_application" in (status, row["status"]):
            resupersede(
                store,
                {row["applicant_key"]} if row["applicant_key"] else set(),
                {row["sender"].lower()} if row["sender"] else set(),
                config.form,
            )
        store.event(
            "decision",
            row["message_pk"],
            f"{row['reference']} {row['status']} -> {status} {','.join(codes)}".strip(),
            actor=actor,
        )
        if letter:
            reply_id = queue_letter(store, letter, row["message_pk"], row["id"])
            store.event(
                "notice_queued",
                row["message_pk"],
                f"{row['reference']} {letter.template}",
                actor=actor,
            )
    return DecisionResult(row["reference"], row["status"], status, reply_id)


def correct(
    store: Store,
    ref: str,
    changes: Mapping[str, str],
    *,
    actor: str,
    call: CallConfig | None = None,
) -> list[Correction]:
    """Type in or fix fields; each change is kept with who, when, old and new. Every value is
    checked by the form spec first (:func:`checked_values`): one refused value saves none."""
    spec = call.form if call is not None else parsers.DEFAULT_FORM
    row = application_row(store, ref)
    current = effective_fields(row, spec)
    layer = loads(row.get("corrected"), {})
    made: list[Correction] = []
    now = iso(utcnow())
    for key, new in checked_values(changes, spec, call).items():
        old = current.get(key)
        if new == old:
            continue
        layer[key] = new
        made.append(Correction(key, old, new, actor, now))
    if not made:
        return []
    with store.transaction():
        review_store.record_corrections(store, row["id"], made, layer)
        store.event(
            "correction",
            row["message_pk"],
            f"{row['reference']} {', '.join(c.field for c in made)}",
            actor=actor,
        )
    return made


# --- messages: handled entries --------------------------------------------------------------


def message_row(store: Store, message_pk: int) -> dict[str, Any]:
    row = review_store.find_message(store, message_pk)
    if row is None:
        raise ReviewError(f"no message {message_pk}", "no_message", message_pk=message_pk)
    return row


def latest_message_pk(store: Store, row: Mapping[str, Any]) -> int:
    """The applicant's latest message since the application (the application's own at least)."""
    latest = review_store.latest_message_from(
        store, (row["sender"] or "").lower(), row["received_at"]
    )
    return latest if latest is not None else row["message_pk"]


#: how an entry may be named: message:N, application:N, reply:N
ENTRY_KINDS = ("message", "application", "reply")


def entry_number(item: str) -> tuple[str, int]:
    """(kind, number) of an entry of the attention queue; ReviewError for anything else."""
    kind, _, number = item.partition(":")
    if kind not in ENTRY_KINDS or not number.isdigit():
        raise ReviewError(f"unknown entry {item!r}", "unknown_entry", item=item)
    return kind, int(number)


def mark_handled(store: Store, item: str, *, actor: str, how: str = "done") -> None:
    """Take an entry off the attention queue (``message:N``, ``application:N``, ``reply:N``)."""
    kind, number = entry_number(item)
    with store.transaction():
        review_store.record_handled(store, item, actor, how)
        store.event("handled", number if kind == "message" else None, f"{item} {how}", actor=actor)


def mark_not_application(store: Store, message_pk: int, *, actor: str) -> None:
    message_row(store, message_pk)
    with store.transaction():
        store.event("decision", message_pk, "not_application", actor=actor)
        review_store.record_handled(store, f"message:{message_pk}", actor, "not_application")


# --- the attention queue ---------------------------------------------------------------------


@dataclass(frozen=True)
class AttentionItem:
    """One entry of "Do zrobienia": what it is and where it is cleared."""

    kind: str  # needs_review | correspondence | not_confirmed | late | possible_correction |
    #            error | reply_failed (unrelated_in_window: listed apart, not in the queue)
    label: str  # Polish
    item: str  # message:N, application:N or reply:N
    message_pk: int | None
    reference: str | None
    received_at: str
    sender: str | None
    subject: str | None
    detail: str
    lines: tuple[str, ...] = field(default_factory=tuple)
    withdrawal: str | None = None  # the application a withdrawal is proposed for (a person sets it)


ATTENTION_LABELS: Mapping[str, str] = {
    "needs_review": "do sprawdzenia (formularz nieodczytany)",
    "correspondence": "korespondencja (pytanie, wycofanie, podziękowanie)",
    "not_confirmed": "potwierdzenie nie zostało wysłane",
    "late": "zgłoszenie po terminie",
    "possible_correction": "możliwa poprawka zgłoszenia",
    "error": "błąd przetwarzania wiadomości",
    "reply_failed": "odpowiedź niedostarczona",
    "unrelated_in_window": "wiadomość uznana za niezwiązaną (w czasie naboru)",
}


def first_lines(store: Store, raw_file: str | None, count: int = 3) -> tuple[str, ...]:
    """The first lines of a message's text (for correspondence in the queue and the digest)."""
    text = message_text(store, raw_file)
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.startswith(">")]
    return tuple(one_line(ln, 160) for ln in lines[:count])


def message_text(store: Store, raw_file: str | None) -> str:
    """The plain text of a stored message (the HTML part flattened when there is no text)."""
    if not raw_file:
        return ""
    try:
        return text_of(store.read_file(raw_file))
    except MailbotError:
        return ""


def text_of(raw: bytes) -> str:
    """The plain text of a message's bytes (the HTML part flattened when there is no text)."""
    msg = BytesParser(policy=email.policy.default).parsebytes(raw)
    try:
        body = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
        if body is None:
            return ""
        content = body.get_content()
    except (LookupError, ValueError, AttributeError):
        return ""
    if body.get_content_type() == "text/html":
        content = re.sub(r"<[^>]+>", " ", content)
    return str(content)


def attention(config: Config, store: Store, *, with_lines: bool = True) -> list[AttentionItem]:
    """Everything that needs a person, oldest first within each kind."""
    items: list[AttentionItem] = []
    seen: set[str] = set()

    def add(
        kind: str,
        item: str,
        message_pk: int | None,
        reference: str | None,
        received_at: str | None,
        sender: str | None,
        subject: str | None,
        detail: str,
        lines: tuple[str, ...] = (),
    ) -> None:
        if item in seen:
            return
        seen.add(item)
        items.append(
            AttentionItem(
                kind,
                ATTENTION_LABELS[kind],
                item,
                message_pk,
                reference,
                received_at or "",
                sender,
                subject,
                detail,
                lines,
            )
        )

    def add_application(
        kind: str, a: review_store.OpenApplication, detail: str, lines: tuple[str, ...] = ()
    ) -> None:
        add(
            kind,
            f"application:{a.id}",
            a.message_pk,
            a.reference,
            a.received_at,
            a.sender,
            a.subject,
            detail,
            lines,
        )

    def add_message(
        kind: str, m: review_store.OpenMessage, detail: str, lines: tuple[str, ...] = ()
    ) -> None:
        add(
            kind,
            f"message:{m.message_pk}",
            m.message_pk,
            None,
            m.received_at,
            m.sender,
            m.subject,
            detail,
            lines,
        )

    for a in review_store.unread_forms_open(store):
        if a.reason is None and a.filename is not None:  # the form was read: the message was cut
            why = "wiadomość ma więcej części, niż odczytano automatycznie: przejrzyj ją całą"
        else:
            why = parsers.REASON_TEXT_PL.get(a.reason or "", "nie udało się odczytać pliku")
        add_application("needs_review", a, f"{a.filename or 'załącznik'}: {why}")
    for a in review_store.unconfirmed_applications_open(store):
        add_application(
            "not_confirmed",
            a,
            "zgłoszenie zapisane, ale potwierdzenie do osoby zgłaszającej nie zostało wysłane: "
            + (a.reply_withheld or "brak adresu nadawcy"),
        )
    for a in review_store.late_applications_open(store):
        add_application(
            "late",
            a,
            "wpłynęło po terminie naboru"
            + (
                " – poprawka zgłoszenia przyjętego w terminie, które pozostaje aktualne"
                if a.supersede_note == "late_correction"
                else ""
            ),
        )
    for a in review_store.possible_corrections_open(store):
        add_application(
            "possible_correction",
            a,
            "możliwa poprawka: nieodczytany maszynowo formularz osoby, której wcześniejsze "
            "zgłoszenie odczytano i pozostaje aktualne",
        )
    for a in review_store.formless_messages_of_applicants_open(store):
        add_application(
            "possible_correction",
            a,
            "osoba zgłaszająca ma już zgłoszenie; ta wiadomość nie ma formularza",
            first_lines(store, a.raw_file) if with_lines else (),
        )
    for m in review_store.correspondence_open(store):
        add_message(
            "correspondence",
            m,
            m.reason or "",
            first_lines(store, m.raw_file) if with_lines else (),
        )
    for m in review_store.failed_messages_open(store):
        add_message("error", m, m.reason or "")
    for r in review_store.failed_replies_open(store):
        bounced = r.state == "bounced"  # the MTA took it, the next hop returned it
        add(
            "reply_failed",
            f"reply:{r.id}",
            r.message_pk,
            r.reference,
            (r.bounced_at or r.queued_at) if bounced else r.queued_at,  # dated by the bounce
            r.to_addr,
            r.subject,
            undelivered_text(r.bounce_reason or r.last_error, bounced=bounced),
        )
    # mail judged unrelated is no queue item: the coordinator finds it apart
    # (mailbot.ops.teach.unrelated_in_window) and may say it is about the call
    return items


def with_first_lines(store: Store, items: Sequence[AttentionItem]) -> list[AttentionItem]:
    """The entries with the first lines of their message's text (for the ones shown)."""
    out = []
    for item in items:
        if (
            item.kind in ("correspondence", "unrelated_in_window", "possible_correction")
            and not item.lines
            and item.message_pk
        ):
            raw_file = review_store.message_raw_file(store, item.message_pk)
            item = replace(item, lines=first_lines(store, raw_file))
        out.append(item)
    return out


# --- the stored form -------------------------------------------------------------------------

EXTENSIONS: Mapping[str, str] = {
    "pdf": ".pdf",
    "docx": ".docx",
    "odt": ".odt",
    "doc": ".doc",
    "rtf": ".rtf",
    "image": "",
    "zip": ".zip",
}
CONTENT_TYPES: Mapping[str, str] = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".doc": "application/msword",
    ".rtf": "application/rtf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


@dataclass(frozen=True)
class StoredFile:
    attachment_pk: int
    path: Path  # inside the file store, checked
    download_name: str  # the original name with its proper extension, made safe
    content_type: str

    @property
    def inline(self) -> bool:
        return self.content_type == "application/pdf"


def _safe_name(name: str | None, fallback: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f\"<>:|?*]", "_", base).strip(" .")
    return base[:120] or fallback


def stored_file(store: Store, attachment_pk: int) -> StoredFile:
    """An attached file with its proper name and type; never a path outside the store."""
    row = review_store.stored_attachment(store, attachment_pk)
    if row is None or not row.file:
        raise ReviewError(f"no stored file for attachment {attachment_pk}")
    filename, kind, rel = row.filename, row.kind, row.file
    root = store.files.resolve()
    path = (root / rel).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise ReviewError(f"no stored file for attachment {attachment_pk}")
    name = _safe_name(filename, f"zalacznik-{attachment_pk}")
    suffix = Path(name).suffix.lower()
    proper = EXTENSIONS.get(kind or "", "")
    if proper and suffix != proper:
        name += proper
        suffix = proper
    return StoredFile(
        attachment_pk, path, name, CONTENT_TYPES.get(suffix, "application/octet-stream")
    )


PREVIEW_KINDS = ("docx", "odt", "doc", "rtf")
PREVIEW_SUFFIX = ".preview.pdf"  # beside the file; a purge removes it with the file


def pdf_preview(
    store: Store,
    attachment_pk: int,
    timeout: float = 60.0,
    max_memory: int = parsers_office.DEFAULT_MAX_MEMORY,
) -> Path | None:
    """A Word/LibreOffice form as PDF for the browser (LibreOffice headless, under the memory
    cap of a process reading a file and ``timeout``; made once, kept private beside the file).
    None when the file is not such a form, LibreOffice is missing or the conversion fails."""
    row = review_store.stored_attachment(store, attachment_pk)
    if row is None or row.kind not in PREVIEW_KINDS or not row.sha256:
        return None
    source = stored_file(store, attachment_pk)
    sha = str(row.sha256)
    cached = store.files / f"{sha[:2]}/{sha}{PREVIEW_SUFFIX}"
    if cached.is_file():
        return cached
    soffice = parsers_office.find_soffice()
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="mailbot-preview-") as tmp:
        src = Path(tmp) / f"form.{row.kind}"
        src.write_bytes(source.path.read_bytes())
        try:
            parsers_office.run_soffice(soffice, src, "pdf", timeout=timeout, max_memory=max_memory)
        except (subprocess.TimeoutExpired, OSError):
            return None
        pdf = src.with_suffix(".pdf")
        if not pdf.is_file():
            return None
        store.save_file(pdf.read_bytes(), sha, PREVIEW_SUFFIX)
    return cached


def preview_possible(store: Store, attachment_pk: int) -> bool:
    """Whether the file can be shown as PDF: a Word/LibreOffice form and LibreOffice present."""
    row = review_store.stored_attachment(store, attachment_pk)
    return bool(row and row.kind in PREVIEW_KINDS and parsers_office.find_soffice())


def form_file(store: Store, ref: str) -> StoredFile | None:
    row = application_row(store, ref)
    if not row["attachment_pk"]:
        return None
    try:
        return stored_file(store, row["attachment_pk"])
    except ReviewError:
        return None


# --- one application, whole --------------------------------------------------------------------


def applicant_keys(row: Mapping[str, Any]) -> list[str]:
    return sorted({k.lower() for k in (row.get("sender"), row.get("applicant_email")) if k})


def history(store: Store, row: Mapping[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The applicant's messages, applications and replies (with their text), and events."""
    keys = applicant_keys(row) or [""]
    messages = review_store.messages_from(store, keys)
    applications = review_store.applications_of(store, keys)
    replies = []
    for r in review_store.replies_to(store, keys):
        text = ""
        try:
            msg = BytesParser(policy=email.policy.default).parsebytes(r["raw"] or b"")
            part = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
            text = part.get_content() if part is not None else ""
        except (LookupError, ValueError, AttributeError):
            text = ""
        replies.append({**{k: r[k] for k in r if k != "raw"}, "text": text})
    message_ids = [m["id"] for m in messages] or [row["message_pk"]]
    events = review_store.events_of_messages(store, message_ids)
    return {
        "messages": messages,
        "applications": applications,
        "replies": replies,
        "events": events,
    }
