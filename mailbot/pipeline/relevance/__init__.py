"""Relevance stage: does a person's message belong to the call, and is it an application?

The call's mailbox is its owner's working inbox, whose everyday mail speaks the call's language
(the Committee's meetings and minutes, the current working groups, newsletters, other bodies'
calls with their own forms). Evidence is weighed, not counted:

- :mod:`.stems` — how text becomes words and rough stems; :mod:`.vocabulary` — terms, and
  the call's own words derived from its configuration (name, short name, groups' titles and
  numbers, reference prefix); :mod:`.english` — the call's words in English;
  :mod:`.purposes` — the other purposes a message may name (never by the call's own words),
  and what of a message only describes its sender;
- :mod:`.signals` and :mod:`.files` — the rules (of the text and the call's words; of the
  files and the sender): each returns a finding with a weight (for the call or against it)
  and a reason in Polish; a word that fills this mailbox's everyday mail (learned by
  ``mailbot learn`` and from the mail judged unrelated) counts for less (:mod:`.rule`);
- :mod:`.weighing` — the weights and the one decision: the disposition, its reason, and
  whether the evidence is strong enough for an automatic letter.

Quoted text of earlier mail is cut away first (:mod:`.text`). When in doubt a person reads the
message; a letter goes only on strong evidence.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mailbot.models import Relevance
from mailbot.pipeline.relevance.evidence import (
    NOTHING_LEARNED,
    Evidence,
    Learned,
    Taught,
    is_filled,
)
from mailbot.pipeline.relevance.signals import RULES, Rule
from mailbot.pipeline.relevance.text import (
    body_text,
    excerpt,
    html_text,
    mime_text,
    normalise,
    own_text,
)
from mailbot.pipeline.relevance.vocabulary import call_vocabulary, terms
from mailbot.pipeline.relevance.weighing import Decision, decide, score

__all__ = [
    "NOTHING_LEARNED",
    "RULES",
    "Decision",
    "Evidence",
    "Learned",
    "Rule",
    "Taught",
    "body_text",
    "call_vocabulary",
    "decide",
    "excerpt",
    "html_text",
    "is_filled",
    "judge",
    "mime_text",
    "normalise",
    "own_text",
    "score",
    "signals_text",
    "stored_signals",
    "terms",
]


def judge(
    ev: Evidence, rules: Sequence[Rule] = RULES, related_application: int | None = None
) -> Relevance:
    """Run every rule on the evidence and make the one decision."""
    findings = tuple(f for rule in rules if (f := rule(ev)) is not None)
    decision = decide(findings)
    return Relevance(
        disposition=decision.disposition,
        reason=decision.reason,
        findings=findings,
        excerpt=excerpt(ev.text),
        related_application=related_application,
        strong=decision.strong,
    )


def stored_signals(text: str | None) -> list[dict[str, Any]]:
    """A message's findings as the record stage stored them: ``{"signal", "detail", "weight"}``
    each (an older record's ``"signal: detail"`` strings come back with ``weight`` None)."""
    try:
        items = json.loads(text) if text else []
    except ValueError:
        return []
    out: list[dict[str, Any]] = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "signal" in item:
            out.append(
                {
                    "signal": str(item["signal"]),
                    "detail": str(item.get("detail") or ""),
                    "weight": item.get("weight"),
                }
            )
        elif isinstance(item, str):
            signal, _, detail = item.partition(": ")
            out.append({"signal": signal, "detail": detail, "weight": None})
    return out


def signals_text(signals: Sequence[dict[str, Any]]) -> str:
    """The findings on one line, each with its weight: "+4.0 nazwa naboru: …; -2.5 inny cel: …"."""
    parts = []
    for s in signals:
        weight = s.get("weight")
        lead = f"{weight:+.1f} " if isinstance(weight, int | float) else ""
        parts.append(lead + (s.get("detail") or s.get("signal") or ""))
    return "; ".join(parts)
