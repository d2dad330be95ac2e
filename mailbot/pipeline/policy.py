"""Reply policy: whether an application gets an automatic letter, apart from what it is.

Classification says what a message is; this module alone says whether mailbot may answer it.
Each rule returns the reason a reply is withheld (Polish, shown to the coordinator) or None;
all run, the first reason wins. An application whose reply is withheld is still stored,
numbered and counted — only the letter is not sent, and the digest says why.

- no usable sender address;
- the sender is the call's own address (the mailbox's owner sending herself a scan that came
  by post, or a note): a letter to oneself confirms nothing;
- headers that forbid an automatic reply (``List-Id``, ``Precedence: bulk``,
  ``X-Auto-Response-Suppress`` …; the hits of :data:`mailbot.pipeline.classify.NO_REPLY_RULES`);
- the receiving server's ``Authentication-Results`` say the sender's domain failed DMARC, or
  SPF failed with no DKIM pass: the From address may be forged, so nothing goes to it;
- the evidence that it is an application in *this* call is not strong (the relevance stage's
  :attr:`~mailbot.models.Relevance.strong`: the call's form read, a reply in mailbot's thread
  with the form, a file named as this call's form, a text applying to this call or its groups):
  a letter never goes on a guess, a person confirms it;
- the global cap ``limits.replies_per_hour`` (a flood of forged senders must not turn the
  institution's address into a spam cannon);
- the per-sender cap ``limits.replies_per_sender_per_day``: at the cap one "limit reached"
  letter goes instead, after it nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message

from mailbot.config import LimitsConfig
from mailbot.mail import mime
from mailbot.storage import replies
from mailbot.storage.store import Store

_RESULT = re.compile(r"\b(dmarc|spf|dkim)\s*=\s*([a-z]+)")


@dataclass(frozen=True)
class ReplyFacts:
    """Everything the reply rules look at for one application."""

    sender: str | None
    status: str
    no_reply: tuple[str, ...]  # reply-forbidding header hits from the classify stage
    authentication: str | None  # why the sender's address may be forged, or None
    sent_to_sender_today: int  # replies queued to this sender in the last 24 hours
    sent_last_hour: int  # replies queued to anyone in the last hour
    per_sender_per_day: int
    per_hour: int
    call_address: str | None = None  # the call's own address (``call.address``)
    # why the relevance stage is sure this is an application in this call, or None
    evidence: str | None = None


@dataclass(frozen=True)
class ReplyDecision:
    template: str | None  # the reply template (a status or "limit_reached"), or None
    withheld: str | None  # why no reply goes out (Polish), or None when one does


Rule = Callable[[ReplyFacts], str | None]


def authentication_failure(msg: Message) -> str | None:
    """DMARC fail, or SPF fail without a DKIM pass, in ``Authentication-Results``."""
    results: dict[str, set[str]] = {}
    for value in mime.header_values(msg, "Authentication-Results"):
        for method, result in _RESULT.findall(value.lower()):
            results.setdefault(method, set()).add(result)
    if "fail" in results.get("dmarc", set()):
        return "dmarc=fail"
    if "fail" in results.get("spf", set()) and "pass" not in results.get("dkim", set()):
        return "spf=fail, brak dkim=pass"
    return None


def no_sender(facts: ReplyFacts) -> str | None:
    return None if facts.sender else "brak adresu nadawcy, na który można odpowiedzieć"


def sender_is_the_call(facts: ReplyFacts) -> str | None:
    if (
        facts.sender
        and facts.call_address
        and facts.sender.strip().lower() == facts.call_address.strip().lower()
    ):
        return "wiadomość wysłana z adresu naboru (do siebie): potwierdzenie nie ma adresata"
    return None


#: mail services anyone can have an address at: sharing one with the call's mailbox says nothing
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "yahoo.com",
        "icloud.com",
        "proton.me",
        "protonmail.com",
        "wp.pl",
        "o2.pl",
        "onet.pl",
        "op.pl",
        "interia.pl",
        "interia.eu",
        "poczta.fm",
        "gazeta.pl",
        "tlen.pl",
        "vp.pl",
        "int.pl",
    }
)


def is_colleague(sender: str | None, call_address: str | None) -> bool:
    """Another address in the call mailbox's own domain (the institution's staff), unless that
    domain is a public mail service."""
    if not sender or not call_address or sender.lower() == call_address.lower():
        return False
    domain = call_address.rsplit("@", 1)[-1].lower()
    return domain not in PUBLIC_MAIL_DOMAINS and sender.rsplit("@", 1)[-1].lower() == domain


def sender_is_a_colleague(facts: ReplyFacts) -> str | None:
    """A colleague passing on an applicant's form gets no automatic letter in the applicant's
    place: a person confirms it to the applicant."""
    if is_colleague(facts.sender, facts.call_address):
        return (
            "wiadomość od współpracownika (ta sama domena co skrzynka naboru): "
            "potwierdzenie do osoby zgłaszającej wysyła pracownik"
        )
    return None


def reply_forbidden(facts: ReplyFacts) -> str | None:
    if facts.no_reply:
        return (
            "nagłówki wiadomości zabraniają automatycznej odpowiedzi ("
            + ", ".join(facts.no_reply)
            + ")"
        )
    return None


def sender_not_authenticated(facts: ReplyFacts) -> str | None:
    if facts.authentication:
        return (
            "adres nadawcy mógł zostać podrobiony: serwer poczty nie potwierdził domeny "
            f"({facts.authentication})"
        )
    return None


def weak_evidence(facts: ReplyFacts) -> str | None:
    """An automatic letter only on strong evidence that the message applies to this call."""
    if facts.evidence:
        return None
    return (
        "nie ma pewności, że to zgłoszenie w tym naborze (ani formularz naboru, ani treść "
        "wskazująca nabór lub grupę): potwierdzenie wysyła pracownik po sprawdzeniu"
    )


def hourly_cap(facts: ReplyFacts) -> str | None:
    if facts.sent_last_hour >= facts.per_hour:
        return f"osiągnięto limit {facts.per_hour} odpowiedzi na godzinę"
    return None


def sender_cap(facts: ReplyFacts) -> str | None:
    if facts.sent_to_sender_today > facts.per_sender_per_day:
        return f"osiągnięto dzienny limit {facts.per_sender_per_day} odpowiedzi do tego nadawcy"
    return None


RULES: tuple[Rule, ...] = (
    no_sender,
    sender_is_the_call,
    sender_is_a_colleague,
    reply_forbidden,
    sender_not_authenticated,
    weak_evidence,
    hourly_cap,
    sender_cap,
)


def decide(facts: ReplyFacts, rules: Sequence[Rule] = RULES) -> ReplyDecision:
    reasons = [r for rule in rules if (r := rule(facts))]
    if reasons:
        return ReplyDecision(None, reasons[0])
    if facts.sent_to_sender_today == facts.per_sender_per_day:
        return ReplyDecision("limit_reached", None)
    return ReplyDecision(facts.status, None)


def reply_for(
    store: Store,
    msg: Message,
    sender: str | None,
    status: str,
    no_reply: tuple[str, ...],
    limits: LimitsConfig,
    now: datetime,
    call_address: str | None = None,
    queued_now: int = 0,
    queued_now_to_sender: int = 0,
    evidence: str | None = None,
) -> ReplyDecision:
    """Gather the facts for one application from the store and decide. ``queued_now`` and
    ``queued_now_to_sender`` are the letters composed for the same message before this one
    (not yet in the store); ``evidence`` is why the relevance stage is sure it applies to this
    call (None: no letter, a person confirms it)."""
    return decide(
        ReplyFacts(
            sender=sender,
            status=status,
            no_reply=no_reply,
            call_address=call_address,
            authentication=authentication_failure(msg),
            sent_to_sender_today=store.replies_since(sender, now - timedelta(days=1))
            + queued_now_to_sender
            if sender
            else 0,
            sent_last_hour=replies.replies_queued_since(store, now - timedelta(hours=1))
            + queued_now,
            per_sender_per_day=limits.replies_per_sender_per_day,
            per_hour=limits.replies_per_hour,
            evidence=evidence,
        )
    )
