"""Relevance stage: does a person's message belong to the call, and is it an application?

The mailbox is somebody's working inbox: colleagues, invoices, newsletters and invitations
share it with the call's mail. Each signal below is a small rule returning a
:class:`~mailbot.models.Finding` or None; all of them run, then :func:`decide` makes the one
decision:

``form_read``
    a file reads as the call's form (always wins: the message is an application);
``blank_form``
    the call's form read but holding nothing: the blank template passed on with the
    announcement (a newsletter, a colleague sharing the call) — never an application alone;
``form_meant``
    a file that cannot be read but is clearly meant as the form — its name, the subject or the
    text call it the form or the application (a scan of the signed form);
``own_mail``
    sent from the call's own address (the mailbox's owner): without a form, correspondence;
``colleague``
    sent from another address in the call address's domain (a colleague): without a form
    read, never an application;
``withdrawal``
    the text withdraws an application ("rezygnuję", "wycofuję zgłoszenie");
``reply_to_mailbot``
    a reply in the thread of a letter mailbot sent (``In-Reply-To``/``References`` of a stored
    reply) or a subject quoting a reference number (``DKRES-2024-0007``);
``sends_application``
    the text applies, says it sends the application or that the form is attached
    ("zgłaszam się do grupy", "przesyłam zgłoszenie", "w załączeniu formularz");
``question``
    the sender's own text asks something;
``call_words``
    the call's words (``call.keywords``) in the subject or the sender's own text;
``other_purpose``
    the text or a file's name names another purpose (a training, a conference, an invoice, a
    leave, a service request, a newsletter): without a form read, never an application;
``unreadable_document``
    an attached document (not a picture) that might be a filled form but could not be read.

Text is compared normalised (lower case, no diacritics, single spaces); quoted text of earlier
messages is cut away first, so quoting mailbot's own letter never makes a message relevant.
When in doubt a message is ``correspondence``: a person reads it, no letter is sent.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import Message
from functools import cached_property, lru_cache

from mailbot.models import Finding, FormRead, FoundFiles, Relevance, Relevant
from parsers.text import fold

EXCERPT_LINES = 4
EXCERPT_CHARS = 400
MAX_TEXT_CHARS = 20_000

#: words in a file's name, the subject or the text that describe the form or the application
FORM_WORDS = ("formularz", "zgloszen", "zglosz", "kandydatur", "nabor", "dkres")
#: the call's own words among them: a document that was read and found to be some other
#: document counts as meant for the form only when its name says so in these words ("formularz"
#: alone names every office form: an appraisal, an order, a grant application)
CALL_FORM_WORDS = ("zgloszen", "zglosz", "kandydatur", "nabor", "dkres")
#: another purpose named in the text: a training, a conference, an invoice, a newsletter …;
#: with no form read, such a message is never taken as an application (a person reads it)
OTHER_PURPOSE = re.compile(
    r"\b(?:szkoleni|konferencj|webinar|seminari|wydarzeni|konkurs|przetarg|zapytani\w* "
    r"ofertow|ofert|faktur|urlop|serwis|awari|usterk|newsletter|subskrypcj|wypisz|"
    r"unsubscribe|zamowieni|rezerwacj|promocj|rabat|zapotrzebowani|ocen\w* okresow|"
    r"delegacj|sprawozdani|dofinansowani|dotacj|wnioskow)\w*"
    # another system's numbered ticket ("zgłoszenie nr 2024/05/8812"); the call's own
    # reference numbers start with letters (DKRES-2024-0007) and are not matched
    r"|\bzgloszeni\w*\s+(?:nr|numer)\.?\s*\d[\d/.-]*"
)
#: kinds of file an unreadable form may come as (pictures count only when named as the form)
DOCUMENT_KINDS = frozenset({"docx", "odt", "pdf", "doc", "rtf"})

_W = r"(?:[\w.,-]+\s+){0,4}"  # up to four words in between
#: the text says it applies, sends the application, or that the form is attached
SEND_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\bzglaszam(?:y)?\s+(?:sie|swoja|moja|nasza|kandydatur|chec|udzial|pania|pana)",
        r"\b(?:chce|chcialbym|chcialabym|chcielibysmy|pragne|pragniemy)\s+(?:sie\s+)?"
        r"(?:zglosic|kandydowac|aplikowac|wziac udzial w naborze)",
        r"\b(?:zgloszenie|formularz zgloszeniowy)\s+(?:[\w.,-]+\s+){0,2}"
        r"(?:do (?:naboru|grup|komitetu|dkres)|kandydat)",
        r"\b(?:przesylam|przesylamy|przekazuje|przekazujemy|wysylam|wysylamy|skladam|skladamy|"
        r"zalaczam|zalaczamy|dolaczam|dolaczamy|zalaczony|zalaczone)\b\s+"
        + _W
        + r"(?:zgloszen|formularz|kandydatur|dokumenty zgloszeniow)",
        r"\bw zalacz\w*\s+" + _W + r"(?:zgloszen|formularz|kandydatur)",
        r"\b(?:zgloszen\w*|formularz\w*|kandydatur\w*)\s+" + _W + r"w zalacz",
    )
)
WITHDRAW_PATTERNS = tuple(
    re.compile(p)
    for p in (
        r"\brezygnuj\w*",
        r"\brezygnacj\w*",
        r"\bwycof\w*\s+(?:[\w.,-]+\s+){0,3}(?:zgloszen|kandydatur|formularz|wniosek)",
    )
)
#: where quoted earlier mail begins in a reply
QUOTE_STARTS = tuple(
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"^-{2,}\s*(?:original message|oryginalna wiadomo|wiadomo\w+ oryginalna|forwarded message|"
        r"wiadomo\w+ przekazana|tre\w+ przekazanej)",
        r"^\s*(?:w dniu|dnia)\s.{0,200}(?:napisa\w*|pisze)\s*:?\s*$",
        r"^\s*on\s.{0,200}wrote:\s*$",
        r"^\s*(?:od|from):\s.+\n(?:.*\n){0,3}?\s*(?:wys\w*|sent|date|data):\s",
        r"^_{10,}\s*$",
    )
)


def normalise(text: str) -> str:
    """Lower case, no diacritics (ł too; the parsers' own fold), one space between words."""
    return " ".join(fold(text).split())


def _decode(part: Message) -> str:
    try:
        data = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001 - a broken part has no text to read
        return ""
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "windows-1250"):
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


def _html_text(markup: str) -> str:
    markup = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", markup)
    markup = re.sub(r"(?i)<blockquote\b.*", " ", markup, flags=re.S)  # quoted mail
    markup = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", markup)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def body_text(msg: Message) -> str:
    """The message's own text part (plain preferred, else HTML as text); '' if none."""
    plain, markup = None, None
    for part in msg.walk():
        if part.is_multipart():
            continue
        disposition = str(part.get("Content-Disposition") or "").split(";")[0].strip().lower()
        if disposition == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = _decode(part)
        elif ctype == "text/html" and markup is None:
            markup = _decode(part)
        if part.get_content_type() == "message/rfc822":
            break
    text = plain if plain and plain.strip() else _html_text(markup or "")
    return mime_text(text[:MAX_TEXT_CHARS])


def mime_text(text: str) -> str:
    """Text safe to keep and show: no NULs or other control characters but line ends."""
    return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)


def own_text(text: str) -> str:
    """The sender's own words: quoted lines and the quoted earlier message cut away."""
    cut = len(text)
    for pattern in QUOTE_STARTS:
        found = pattern.search(text)
        if found:
            cut = min(cut, found.start())
    lines = [line for line in text[:cut].splitlines() if not line.lstrip().startswith(">")]
    return "\n".join(lines).strip()


def excerpt(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return "\n".join(lines[:EXCERPT_LINES])[:EXCERPT_CHARS]


@dataclass(frozen=True)
class Evidence:
    """What the relevance rules look at, taken from one message after the form was sought."""

    subject: str
    text: str  # the sender's own text (quotes cut)
    found: FoundFiles
    forms: tuple[FormRead, ...]
    thread: str | None  # the stored reply or reference number this message answers, if any
    keywords: tuple[str, ...]
    from_call: bool = False  # sent from the call's own address (the mailbox's owner)
    from_colleague: bool = False  # sent from another address in the call's own domain

    @cached_property
    def filenames(self) -> str:
        names = " ".join(f.filename or "" for f in self.found.files)
        return normalise(re.sub(r"[_.\-]+", " ", names))

    @cached_property  # read by several rules: normalised once per message
    def words(self) -> str:
        return normalise(self.subject + "\n" + self.text)

    @property
    def read_forms(self) -> tuple[FormRead, ...]:
        """Forms read and filled in (the blank template passed on is not one)."""
        return tuple(f for f in self.forms if is_filled(f))

    @property
    def blank_forms(self) -> tuple[FormRead, ...]:
        return tuple(
            f
            for f in self.forms
            if f.extraction is not None and f.extraction.readable and not is_filled(f)
        )


def is_filled(form: FormRead) -> bool:
    """The form was read and at least one of its fields holds something: a blank template
    (the call's form passed on with the announcement) holds nothing."""
    extraction = form.extraction
    if extraction is None or not extraction.readable:
        return False
    return any(v not in (None, "", [], False) for v in extraction.fields.values())


Rule = Callable[[Evidence], Finding | None]


def _says_form(name: str | None, words: tuple[str, ...] = FORM_WORDS) -> bool:
    return bool(name) and any(w in normalise(name or "") for w in words)


def form_read(ev: Evidence) -> Finding | None:
    read = ev.read_forms
    if read:
        names = ", ".join((f.chosen.filename if f.chosen else None) or "załącznik" for f in read)
        return Finding("form_read", names)
    return None


def form_meant(ev: Evidence) -> Finding | None:
    """An unreadable file named as the form, or any unreadable file when the subject or the
    text speaks of the form / the application (a scan of the signed form). A document that was
    read and found to be another document (``not_the_form``) is no scan of the form: it counts
    only when its name uses the call's own words (not an office's "formularz_oceny.docx")."""
    if ev.read_forms:
        return None
    tried = [
        (file, result) for form in ev.forms for file, result in form.tried if not result.readable
    ]
    unreadable = [file for file, result in tried if result.reason != "not_the_form"]
    other_documents = [file for file, result in tried if result.reason == "not_the_form"]
    refused = [f for f in ev.found.files if f.refused]
    files = unreadable + refused
    named = [f for f in files if _says_form(f.filename)] + [
        f for f in other_documents if _says_form(f.filename, CALL_FORM_WORDS)
    ]
    if named:
        return Finding("form_meant", f"{named[0].filename} (nazwa pliku)")
    if not files and not ev.found.truncated:
        return None
    words = normalise(ev.subject + "\n" + ev.text)
    if any(re.search(r"\b" + w, words) for w in FORM_WORDS):
        what = files[0].filename if files else "załącznik"
        return Finding("form_meant", f"{what} (temat lub treść mówi o formularzu)")
    return None


def blank_form(ev: Evidence) -> Finding | None:
    """The call's blank form, read and holding nothing: the announcement passed on (a
    newsletter, a colleague sharing the call), not an application."""
    if ev.read_forms or not ev.blank_forms:
        return None
    chosen = ev.blank_forms[0].chosen
    return Finding("blank_form", (chosen.filename if chosen else None) or "załącznik")


def own_mail(ev: Evidence) -> Finding | None:
    """Sent from the call's own address: the mailbox's owner (a copy to herself, a note, her
    answer to an applicant). Her words about the form are never somebody's application."""
    return Finding("own_mail", "nadawca: adres naboru") if ev.from_call else None


def colleague(ev: Evidence) -> Finding | None:
    """Sent from another address of the institution (the call address's domain): a
    colleague's office mail ("w załączeniu formularz do podpisu") without the call's form
    read is never taken as somebody's application — a person reads it."""
    return Finding("colleague", "nadawca z domeny naboru") if ev.from_colleague else None


def withdrawal(ev: Evidence) -> Finding | None:
    words = ev.words
    for pattern in WITHDRAW_PATTERNS:
        found = pattern.search(words)
        if found:
            return Finding("withdrawal", found.group(0)[:60])
    return None


def reply_to_mailbot(ev: Evidence) -> Finding | None:
    if ev.thread:
        return Finding("reply_to_mailbot", ev.thread)
    return None


def sends_application(ev: Evidence) -> Finding | None:
    words = ev.words
    for pattern in SEND_PATTERNS:
        found = pattern.search(words)
        if found:
            return Finding("sends_application", found.group(0)[:60])
    return None


def question(ev: Evidence) -> Finding | None:
    for line in ev.text.splitlines():
        if "?" in line and not line.lstrip().startswith(("http", "<")):
            return Finding("question", line.strip()[:60])
    return None


@lru_cache(maxsize=16)  # the call's keywords: one pattern per pass, not one per message
def _keyword_pattern(keywords: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = sorted({normalise(k) for k in keywords if k.strip()}, key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(re.escape(a) for a in alternatives) + ")")


def call_words(ev: Evidence) -> Finding | None:
    found = _keyword_pattern(tuple(ev.keywords)).search(ev.words)
    if found:
        return Finding("call_words", found.group(0))
    return None


def other_purpose(ev: Evidence) -> Finding | None:
    found = OTHER_PURPOSE.search(ev.words + "\n" + ev.filenames)
    if found:
        return Finding("other_purpose", found.group(0)[:40])
    return None


def unreadable_document(ev: Evidence) -> Finding | None:
    """A document that could be a filled form but could not be checked (a scanned PDF, an
    encrypted or broken file); a document read and found not to be the form does not count."""
    if ev.read_forms:
        return None
    for form in ev.forms:
        for file, result in form.tried:
            if (
                file.kind in DOCUMENT_KINDS
                and not result.readable
                and result.reason != "not_the_form"
            ):
                return Finding(
                    "unreadable_document", f"{file.filename or file.kind}: {result.reason}"
                )
    return None


#: every signal, in the order they are reported
RULES: tuple[Rule, ...] = (
    form_read,
    form_meant,
    blank_form,
    own_mail,
    colleague,
    withdrawal,
    reply_to_mailbot,
    sends_application,
    question,
    call_words,
    other_purpose,
    unreadable_document,
)


def decide(findings: Sequence[Finding]) -> tuple[Relevant, str]:
    """One decision from every signal: (disposition, reason).

    A form read (and filled in) wins. Without one: the blank form passed on is
    correspondence; so is the mailbox owner's own mail unless it carries a file meant as the
    form (a scan of a form that came by post); a colleague's mail (the call address's domain)
    is correspondence when about the call, else unrelated; a withdrawal is correspondence; a
    message naming another purpose (a training's registration form, a service request, an
    invoice) is never taken as an application; a file meant as the form makes an
    application; a reply in mailbot's thread is correspondence; a text that applies (and asks
    nothing) makes an application; anything else about the call is correspondence (a person
    reads it: never an automatic letter on a guess); the rest is unrelated.
    """
    hit = {f.signal: f for f in findings}
    if "form_read" in hit:
        return "application", "formularz odczytany"
    if "blank_form" in hit:
        return "correspondence", "pusty formularz (wzór), nie zgłoszenie"
    if "own_mail" in hit and "form_meant" not in hit:
        return "correspondence", "wiadomość z adresu naboru"
    if "colleague" in hit:
        if {"form_meant", "sends_application", "call_words", "reply_to_mailbot"} & hit.keys():
            return "correspondence", "wiadomość z instytucji w sprawie naboru"
        return "unrelated", "nie dotyczy naboru"
    if "withdrawal" in hit:
        return "correspondence", "rezygnacja ze zgłoszenia"
    if "other_purpose" not in hit:
        if "form_meant" in hit:
            return "application", "plik przesłany jako formularz, nieodczytany"
        if "reply_to_mailbot" not in hit and "sends_application" in hit and "question" not in hit:
            return "application", "próba zgłoszenia bez formularza"
    if "reply_to_mailbot" in hit:
        return "correspondence", "odpowiedź na wiadomość naboru"
    if {"form_meant", "sends_application", "call_words"} & hit.keys():
        return "correspondence", "wiadomość w sprawie naboru"
    if "unreadable_document" in hit:
        return "correspondence", "załączony dokument, którego nie można odczytać"
    return "unrelated", "nie dotyczy naboru"


def judge(
    ev: Evidence, rules: Sequence[Rule] = RULES, related_application: int | None = None
) -> Relevance:
    findings = tuple(f for rule in rules if (f := rule(ev)) is not None)
    disposition, reason = decide(findings)
    return Relevance(
        disposition=disposition,
        reason=reason,
        findings=findings,
        excerpt=excerpt(ev.text),
        related_application=related_application,
    )
