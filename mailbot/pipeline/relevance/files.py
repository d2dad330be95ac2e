"""The relevance signals of a message's files and of who sends it in which thread: the call's
form read, its blank passed on, a file meant as the form, an unreadable document; a reply in
mailbot's thread, a sender who wrote about the call before, the owner's and colleagues'
addresses, list headers, the coordinator's teaching."""

from __future__ import annotations

import re

from mailbot.models import Finding
from mailbot.pipeline.relevance.evidence import Evidence
from mailbot.pipeline.relevance.rule import finding as _finding
from mailbot.pipeline.relevance.rule import names as _names
from mailbot.pipeline.relevance.rule import remembered
from mailbot.pipeline.relevance.text import normalise
from mailbot.pipeline.relevance.vocabulary import BOUNDARY, content, stem, words
from mailbot.pipeline.relevance.weighing import WEIGHTS as W

#: words in a file's name, the subject or the text that describe a form or an application
FORM_WORDS = ("formularz", "zgloszen", "zglosz", "kandydatur", "wniosek zgloszen")
#: kinds of file an unreadable form may come as (pictures count only when named as the form)
DOCUMENT_KINDS = frozenset({"docx", "odt", "pdf", "doc", "rtf"})
#: fewer words than this beside an unreadable document: the document is the message
BARE_WORDS = 5


# --- the form ------------------------------------------------------------------------------


def form_read(ev: Evidence) -> Finding | None:
    read = ev.read_forms
    if read:
        names = _names(f.chosen for f in read)
        return _finding("form_read", f"formularz naboru odczytany: {names}", W["form_read"])
    return None


def blank_form(ev: Evidence) -> Finding | None:
    """The call's blank form, read and holding nothing: the announcement passed on."""
    if ev.read_forms or not ev.blank_forms:
        return None
    chosen = ev.blank_forms[0].chosen
    return _finding("blank_form", f"pusty formularz naboru (wzór): {_names([chosen])}", W["blank"])


def _says_form(name: str) -> bool:
    return any(w in name for w in FORM_WORDS)


def _names_call(name: str, ev: Evidence) -> bool:
    """A file name naming this call's form: the form's words and the call's own words."""
    seq = content([stem(w) for w in words(re.sub(r"[_.\-]+", " ", name))])
    vocab = ev.vocab
    return _says_form(name) and any(s in vocab.objects or s == vocab.head for s in seq)


@remembered
def form_meant(ev: Evidence) -> Finding | None:
    """A file that cannot be read but is meant as the form: its name calls it the form (this
    call's form: the call's own words in it), or the subject or the text speaks of the form. A
    document read and found to be another document counts only when its name names this call's
    form; "DKRES" alone in a name names no form (an attendance list, a voting card)."""
    if ev.read_forms:
        return None
    tried = [
        (file, result) for form in ev.forms for file, result in form.tried if not result.readable
    ]
    unreadable = [f for f, r in tried if r.reason != "not_the_form"]
    other_documents = [f for f, r in tried if r.reason == "not_the_form"]
    files = unreadable + [f for f in ev.found.files if f.refused]
    for f in files + other_documents:
        name = ev_name(f)
        if _names_call(name, ev):
            return _finding(
                "form_meant",
                f"plik {f.filename} nazwany jak formularz naboru",
                W["form_named_call"],
            )
    for f in files:
        if _says_form(ev_name(f)):
            return _finding(
                "form_meant", f"plik {f.filename} nazwany jak formularz", W["form_named"]
            )
    if not files and not ev.found.truncated:
        return None
    if any(re.search(r"\b" + w, ev.words) for w in FORM_WORDS):
        what = files[0].filename if files else "załącznik"
        return _finding(
            "form_meant", f"{what}: temat lub treść mówi o formularzu", W["form_in_text"]
        )
    return None


def ev_name(file: object) -> str:
    return normalise(re.sub(r"[_.\-]+", " ", getattr(file, "filename", None) or ""))


def unreadable_document(ev: Evidence) -> Finding | None:
    """A document that could be a filled form but could not be checked (a scanned PDF, an
    encrypted or broken file): more when the message says next to nothing beside it (a person
    should look); a document read and found not to be the form does not count, nor one already
    counted as meant for the form."""
    if ev.read_forms or form_meant(ev) is not None:
        return None
    for form in ev.forms:
        for file, result in form.tried:
            if (
                file.kind in DOCUMENT_KINDS
                and not result.readable
                and result.reason != "not_the_form"
            ):
                bare = sum(1 for w in ev.seq if len(w) > 2 and w != BOUNDARY) < BARE_WORDS
                return _finding(
                    "unreadable_document",
                    f"dokument, którego nie można odczytać: {file.filename or file.kind}"
                    + (" (wiadomość poza nim prawie nic nie mówi)" if bare else ""),
                    W["unreadable_bare" if bare else "unreadable"],
                )
    return None


# --- who and which thread ------------------------------------------------------------------


def reply_to_mailbot(ev: Evidence) -> Finding | None:
    if ev.thread:
        return _finding("reply_to_mailbot", f"odpowiedź na list naboru ({ev.thread})", W["reply"])
    return None


def applicant(ev: Evidence) -> Finding | None:
    if ev.applicant and not ev.thread:
        return _finding(
            "applicant",
            "nadawca pisał już w sprawie naboru (zgłoszenie lub pytanie)",
            W["applicant"],
        )
    return None


def own_mail(ev: Evidence) -> Finding | None:
    """Sent from the call's own address: the mailbox's owner (a copy to herself, a note)."""
    return (
        _finding("own_mail", "wiadomość z adresu naboru", W["own_mail"]) if ev.from_call else None
    )


def colleague(ev: Evidence) -> Finding | None:
    """Sent from another address of the institution: office mail, never an application
    without the call's form read."""
    if ev.from_colleague:
        return _finding("colleague", "nadawca z instytucji (domena adresu naboru)", W["colleague"])
    return None


def bulk(ev: Evidence) -> Finding | None:
    """List and bulk headers: a newsletter or a mailing, not a person writing to the call."""
    strong = [h for h in ev.bulk if "X-Auto-Response-Suppress" not in h]
    if strong:
        return _finding("bulk", f"wysyłka masowa lub lista ({strong[0]})", W["bulk"])
    if ev.bulk:
        return _finding("bulk", f"wysyłka z systemu biurowego ({ev.bulk[0]})", W["bulk_weak"])
    return None


def taught(ev: Evidence) -> Finding | None:
    """The coordinator judged this sender's or this thread's mail before."""
    if not ev.learned.taught:
        return None
    weight = 0.0
    said = []
    for t in ev.learned.taught:
        sign = 1 if t.side == "call" else -1
        weight += sign * W[f"taught_{t.kind}"]
        who = "nadawca" if t.kind == "sender" else "wątek"
        said.append(
            f"{who} oznaczony przez pracownika jako "
            + ("dotyczący naboru" if sign > 0 else "niezwiązany z naborem")
        )
    return _finding("taught", "; ".join(said), weight)
