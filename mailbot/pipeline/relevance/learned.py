"""What the mailbox has learned, looked up for one message (the stage's only store access)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from weakref import WeakKeyDictionary

from mailbot.names import Side
from mailbot.pipeline.relevance.evidence import Learned, Taught
from mailbot.pipeline.relevance.vocabulary import terms
from mailbot.storage import learning
from mailbot.storage.store import Store, iso

#: the statistics a store's pass judges against, read once (again when a person teaches or a
#: history is learned: the generation changes)
_SNAPSHOTS: WeakKeyDictionary[Store, learning.Snapshot] = WeakKeyDictionary()


def snapshot(store: Store) -> learning.Snapshot:
    known = _SNAPSHOTS.get(store)
    if known is None or known.generation != learning.generation(store):
        known = _SNAPSHOTS[store] = learning.load(store)
    return known


def learned_for(store: Store, sender: str | None, thread_ids: Iterable[str]) -> Learned:
    """The learned statistics and the teaching of the message's sender or thread."""
    with store.reading():
        snap = snapshot(store)
        taught = learning.taught_for(store, sender, thread_ids)
    return Learned(
        everyday_documents=snap.everyday_documents,
        call_documents=snap.call_documents,
        counts=snap.counts,
        taught=tuple(Taught(kind, side) for kind, side in taught),
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
