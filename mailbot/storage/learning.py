"""What the mailbox has learned, in SQL: word and phrase statistics and a person's teaching.

``learned_terms`` holds, per term (a stem or two neighbouring stems, see
:func:`mailbot.pipeline.relevance.terms`), how many messages held it: of the history ``mailbot
learn`` read (``history``, replaced by each run), of the everyday mail since (``everyday``:
judged unrelated, or a person said "Nie dotyczy naboru") and of mail about the call (``call``:
a person said "Dotyczy naboru"). No bodies, addresses or subjects are kept. ``taught`` holds a
person's judgement by sender (a hash of the address) or by thread (a hash of a Message-ID).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from mailbot.names import (
    LEARNED_CALL_KEY,
    LEARNED_EVERYDAY_KEY,
    LEARNED_GENERATION_KEY,
    LEARNED_HISTORY_KEY,
    LEARNED_RUN_KEY,
    Side,
    TaughtKind,
)
from mailbot.storage.store import Store

#: at most this many terms are kept (the most frequent): well under 5 MB
MAX_TERMS = 80_000
#: everyday messages learned between two prunings of terms seen only once
PRUNE_EVERY = 500


def sender_key(address: str) -> str:
    """The sender as ``taught`` remembers it: a hash of the lower-case address."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:32]


def thread_key(message_id: str) -> str:
    return hashlib.sha256(message_id.strip().lower().encode()).hexdigest()[:32]


class Lookup(NamedTuple):
    """The statistics of one message's terms and the teaching that applies to it."""

    everyday_documents: int  # history + everyday since
    call_documents: int
    counts: dict[str, tuple[int, int]]  # term -> (history + everyday, call)
    taught: list[tuple[str, str]]  # (kind, side)


def _count(store: Store, key: str) -> int:
    value = store.get_state(key)
    return int(value) if value and value.isdigit() else 0


def documents(store: Store) -> tuple[int, int, int]:
    """(history, everyday since, call) messages the statistics come from."""
    return (
        _count(store, LEARNED_HISTORY_KEY),
        _count(store, LEARNED_EVERYDAY_KEY),
        _count(store, LEARNED_CALL_KEY),
    )


@dataclass(frozen=True)
class Snapshot:
    """Every learned term's counts, read once (a pass judges many messages against them)."""

    everyday_documents: int  # history + everyday since
    call_documents: int
    counts: dict[str, tuple[int, int]]  # term -> (history + everyday, call)
    generation: str


def generation(store: Store) -> str:
    """Changes when a history is learned or a person teaches (not with each everyday message
    the record stage counts: those count from the next pass on)."""
    return store.get_state(LEARNED_GENERATION_KEY) or "0"


def bump_generation(store: Store) -> None:
    store.set_state(LEARNED_GENERATION_KEY, str(int(generation(store)) + 1))


def load(store: Store) -> Snapshot:
    """Every term's counts (at most :data:`MAX_TERMS` and those learned since)."""
    history, everyday, call = documents(store)
    counts = {
        term: (every, called)
        for term, every, called in store.conn.execute(
            "SELECT term, history + everyday, call FROM learned_terms"
        )
    }
    return Snapshot(history + everyday, call, counts, generation(store))


def taught_for(
    store: Store, sender: str | None, thread_ids: Iterable[str]
) -> list[tuple[str, str]]:
    """(kind, side) of the teaching that applies to a message's sender or thread."""
    keys = [(TaughtKind.SENDER.value, sender_key(sender))] if sender else []
    keys += [(TaughtKind.THREAD.value, thread_key(i)) for i in dict.fromkeys(thread_ids) if i]
    if not keys:
        return []
    clause = " OR ".join("(kind = ? AND key = ?)" for _ in keys)
    params = [v for pair in keys for v in pair]
    rows = store.conn.execute(f"SELECT kind, side FROM taught WHERE {clause}", params)
    return sorted({(str(k), str(s)) for k, s in rows})


def lookup(
    store: Store, terms: Iterable[str], sender: str | None, thread_ids: Iterable[str]
) -> Lookup:
    """One message's terms' counts and the teaching by its sender or thread."""
    snap = load(store)
    counts = {t: snap.counts[t] for t in terms if t in snap.counts}
    return Lookup(
        snap.everyday_documents, snap.call_documents, counts, taught_for(store, sender, thread_ids)
    )


def wrote_about_call(store: Store, sender: str, before: str) -> bool:
    """Whether this sender's earlier mail (received before ``before``, ISO) was an application
    or correspondence about the call."""
    row = store.conn.execute(
        "SELECT 1 FROM messages WHERE lower(sender) = ? AND received_at < ? "
        "AND disposition IN ('application', 'correspondence') LIMIT 1",
        [sender.lower(), before],
    ).fetchone()
    return row is not None


def message_pk(store: Store, key: str) -> int | None:
    """The stored message a person names (to teach by it): its number, its Message-ID
    (``<…>``) or the reference number of one of its applications."""
    if key.isdigit():
        row = store.conn.execute("SELECT id FROM messages WHERE id = ?", [int(key)]).fetchone()
    elif key.startswith("<"):
        row = store.conn.execute(
            "SELECT id FROM messages WHERE message_id = ? ORDER BY id DESC LIMIT 1", [key]
        ).fetchone()
    else:
        row = store.conn.execute(
            "SELECT message_pk FROM applications WHERE upper(reference) = upper(?)", [key]
        ).fetchone()
    return int(row[0]) if row else None


def add_document(store: Store, side: Side, terms: Iterable[str], weight: int = 1) -> None:
    """Count one message's terms for a side (inside the caller's transaction)."""
    column = "call" if side == Side.CALL else "everyday"
    rows = [(t, weight) for t in set(terms)]
    store.conn.executemany(
        f"INSERT INTO learned_terms (term, {column}) VALUES (?, ?) "
        f"ON CONFLICT (term) DO UPDATE SET {column} = {column} + excluded.{column}",
        rows,
    )
    key = LEARNED_CALL_KEY if side == Side.CALL else LEARNED_EVERYDAY_KEY
    total = _count(store, key) + weight
    store.set_state(key, str(total))
    if side == Side.EVERYDAY and total % PRUNE_EVERY < weight:
        prune(store)


def prune(store: Store, max_terms: int = MAX_TERMS) -> int:
    """Drop terms seen once since the last run of ``mailbot learn`` and, beyond ``max_terms``,
    the rarest; returns how many went."""
    gone = store.conn.execute(
        "DELETE FROM learned_terms WHERE history = 0 AND everyday + call <= 1"
    ).rowcount
    (count,) = store.conn.execute("SELECT count(*) FROM learned_terms").fetchone()
    if count > max_terms:
        gone += store.conn.execute(
            "DELETE FROM learned_terms WHERE term IN (SELECT term FROM learned_terms "
            "ORDER BY history + everyday + call ASC, term LIMIT ?)",
            [count - max_terms],
        ).rowcount
    return gone


def replace_history(
    store: Store, counts: Mapping[str, int], messages: int, run: Mapping[str, Any]
) -> None:
    """What ``mailbot learn`` read replaces what an earlier run read (one transaction)."""
    with store.transaction():
        store.conn.execute("UPDATE learned_terms SET history = 0 WHERE history != 0")
        store.conn.executemany(
            "INSERT INTO learned_terms (term, history) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET history = excluded.history",
            counts.items(),
        )
        store.set_state(LEARNED_HISTORY_KEY, str(messages))
        store.set_state(LEARNED_RUN_KEY, json.dumps(dict(run), ensure_ascii=False))
        prune(store)
        bump_generation(store)


def teach(store: Store, kind: TaughtKind, key: str, side: Side, by: str, at: str) -> None:
    """Remember a person's judgement of a sender or a thread (the latest one counts)."""
    store.conn.execute(
        "INSERT INTO taught (kind, key, side, by, at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (kind, key) DO UPDATE SET side = excluded.side, by = excluded.by, "
        "at = excluded.at",
        [kind.value, key, side.value, by, at],
    )
    bump_generation(store)


@dataclass(frozen=True)
class Summary:
    """What is kept, for ``mailbot learn`` and ``mailbot check``."""

    terms: int
    history_documents: int
    everyday_documents: int
    call_documents: int
    taught_senders: int
    taught_threads: int
    size_bytes: int
    last_run: dict[str, Any]


def summary(store: Store) -> Summary:
    (terms,) = store.conn.execute("SELECT count(*) FROM learned_terms").fetchone()
    taught = dict(store.conn.execute("SELECT kind, count(*) FROM taught GROUP BY kind").fetchall())
    history, everyday, call = documents(store)
    try:
        run = json.loads(store.get_state(LEARNED_RUN_KEY) or "{}")
    except ValueError:
        run = {}
    return Summary(
        terms=int(terms),
        history_documents=history,
        everyday_documents=everyday,
        call_documents=call,
        taught_senders=int(taught.get(TaughtKind.SENDER.value, 0)),
        taught_threads=int(taught.get(TaughtKind.THREAD.value, 0)),
        size_bytes=size_bytes(store),
        last_run=run if isinstance(run, dict) else {},
    )


def size_bytes(store: Store) -> int:
    """The bytes the learned tables take in the database file (their pages)."""
    try:
        row = store.conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name IN ('learned_terms', 'taught')"
        ).fetchone()
        if row and row[0] is not None:
            return int(row[0])
    except sqlite3.Error:  # dbstat is optional in SQLite builds: estimate instead
        pass
    row = store.conn.execute(
        "SELECT coalesce(sum(length(term) + 12), 0) FROM learned_terms"
    ).fetchone()
    return int(row[0]) + 80 * summary_taught(store)


def summary_taught(store: Store) -> int:
    (count,) = store.conn.execute("SELECT count(*) FROM taught").fetchone()
    return int(count)
