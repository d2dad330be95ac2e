"""What every relevance signal shares: the rule's type, a finding with a rounded weight, a rule
other rules ask about computed once, and the discount of a word this mailbox's everyday mail
is full of."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

from mailbot.models import Finding
from mailbot.pipeline.relevance.evidence import Evidence

Rule = Callable[[Evidence], Finding | None]


def remembered(rule: Rule) -> Rule:
    """A rule other rules ask about too: its finding is computed once per message."""
    name = rule.__name__

    @wraps(rule)
    def once(ev: Evidence) -> Finding | None:
        if name not in ev.memo:
            ev.memo[name] = rule(ev)
        return ev.memo[name]  # type: ignore[return-value]

    return once


def discount(ev: Evidence, terms: Iterable[str], floor: float) -> float:
    """How much of its weight a call-side finding keeps when its words fill this mailbox's
    everyday mail (1 without a history; ``floor`` for a word in a fifth of it or more); the
    coordinator's "Dotyczy naboru" on messages holding it raises it again."""
    share = max((ev.learned.everyday_share(t) for t in terms), default=0.0)
    kept = max(floor, 1.0 - 4.0 * share)
    called = max((ev.learned.call_share(t) for t in terms), default=0.0)
    return min(1.0, kept + called)


def finding(signal: str, detail: str, weight: float) -> Finding:
    return Finding(signal, detail, round(weight, 2))


def names(files: Iterable[object]) -> str:
    return ", ".join(getattr(f, "filename", None) or "załącznik" for f in files)
