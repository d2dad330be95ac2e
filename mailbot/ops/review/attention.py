"""The attention queue ("Do zrobienia"): everything that needs a person, and the first lines
of a message's text shown with it."""

from __future__ import annotations

import email.policy
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.parser import BytesParser

import parsers
from mailbot.config import Config
from mailbot.errors import MailbotError
from mailbot.mail.mime import one_line
from mailbot.pipeline.delivery import undelivered_text
from mailbot.storage import review as review_store
from mailbot.storage.store import Store


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
