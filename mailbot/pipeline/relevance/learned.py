"""What the mailbox has learned, looked up for one message (the stage's only store access)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from mailbot.names import Side
from mailbot.pipeline.relevance.evidence import Learned, Taught
from mailbot.pipeline.relevance.vocabulary import terms
from mailbot.storage import learning
from mailbot.storage.store import Store, iso


def learned_for(store: Store, text: str, sender: str | None, thread_ids: Iterable[str]) -> Learned:
    """The counts of the message's terms and the teaching of its sender or thread."""
    with store.reading():
        found = learning.lookup(store, terms(text), sender, thread_ids)
    return Learned(
        everyday_documents=found.everyday_documents,
        call_documents=found.call_documents,
        counts=found.counts,
        taught=tuple(Taught(kind, side) for kind, side in found.taught),
    )


def learn_everyday(store: Store, text: str) -> None:
    """A message judged unrelated: its words and phrases count as everyday mail (statistics
    only, inside the record stage's transaction)."""
    learning.add_document(store, Side.EVERYDAY, terms(text))


def wrote_about_call(store: Store, sender: str | None, before: datetime) -> bool:
    """The sender's earlier mail was about the call (an application or correspondence)."""
    if not sender:
        return False
    with store.reading():
        return learning.wrote_about_call(store, sender, iso(before))
