"""``mailbot learn``: what this mailbox's everyday mail looks like, from its history.

Run once by the IT person before going live. It reads over IMAP the mail received before
``imap.since`` (what the pipeline never reads; ``--since``/``--until`` choose another span),
text parts only (:mod:`mailbot.mail.history`), and keeps only word and phrase statistics: for
each term (a stem, or two neighbouring stems) how many messages held it — no bodies, no
addresses, no subjects. A run replaces what an earlier run learned; what was learned since
(mail judged unrelated, the coordinator's teaching) stays. Terms held by a single message are
not kept, and at most :data:`mailbot.storage.learning.MAX_TERMS` of them (the most frequent).
"""

from __future__ import annotations

import time as clock
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from mailbot.config import Config
from mailbot.mail.history import History, HistoryText
from mailbot.ops.lock import pipeline_lock
from mailbot.pipeline.relevance import html_text, own_text, terms
from mailbot.progress import Progress
from mailbot.storage import learning
from mailbot.storage.store import Store, iso, utcnow

LOCK_WAIT = 60  # seconds to wait for a running pass


@dataclass(frozen=True)
class LearnReport:
    messages: int  # history messages read
    without_text: int  # of them, with no text part to learn from
    since: datetime | None
    until: datetime
    kept: learning.Summary
    seconds: float

    def summary(self) -> str:
        k = self.kept
        span = (
            f"{self.since.date().isoformat() if self.since else 'the beginning'} – "
            f"{self.until.date().isoformat()} (before)"
        )
        return "\n".join(
            [
                f"learned from {self.messages} message(s) received {span}"
                + (f", {self.without_text} without text" if self.without_text else "")
                + f", in {self.seconds:.1f} s",
                f"kept: {k.terms} words and phrases with how many messages hold each "
                f"({_size(k.size_bytes)}); no bodies, addresses or subjects",
                f"everyday mail known: {k.history_documents} from the history, "
                f"{k.everyday_documents} judged unrelated or taught since; "
                f"the call's mail taught: {k.call_documents}; "
                f"taught senders {k.taught_senders}, threads {k.taught_threads}",
            ]
        )


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(n // 1000, 1)} kB"


def document_terms(item: HistoryText) -> set[str]:
    """The terms of one history message: its subject and its own words (quotes cut)."""
    text = html_text(item.text) if item.html else item.text
    return terms(item.subject + "\n" + own_text(text))


def count_terms(
    texts: Iterable[HistoryText], progress: Progress | None
) -> tuple[Counter[str], int, int]:
    """How many messages hold each term; (counts, messages, messages without text)."""
    counts: Counter[str] = Counter()
    messages = empty = 0
    for item in texts:
        messages += 1
        if not item.text.strip():
            empty += 1
        counts.update(document_terms(item))
        if progress:
            progress.advance(None)
    return counts, messages, empty


def kept_terms(counts: Counter[str], max_terms: int = learning.MAX_TERMS) -> dict[str, int]:
    """The terms worth keeping: held by two messages or more, the most frequent first."""
    return {t: n for t, n in counts.most_common(max_terms) if n >= 2}


def learn(
    config: Config,
    since: date | None = None,
    until: date | None = None,
    progress: Progress | None = None,
) -> LearnReport:
    """Read the history and replace what an earlier run learned (one transaction)."""
    imap_config = config.require_imap()
    tz = config.call.timezone
    start = datetime.combine(since, time(0, 0), tzinfo=tz) if since else None
    end = datetime.combine(until, time(0, 0), tzinfo=tz) if until else config.mail_since()
    began = clock.monotonic()
    with pipeline_lock(config.storage.lock, wait_seconds=LOCK_WAIT):
        with History(imap_config, start, end) as history:
            if progress:
                progress.expect(history.count)
            counts, messages, empty = count_terms(history, progress)
        with Store(config.storage.database, config.storage.files, form=config.form) as store:
            learning.replace_history(
                store,
                kept_terms(counts),
                messages,
                {
                    "at": iso(utcnow()),
                    "since": start.date().isoformat() if start else None,
                    "until": end.date().isoformat(),
                    "messages": messages,
                },
            )
            kept = learning.summary(store)
    return LearnReport(messages, empty, start, end, kept, clock.monotonic() - began)
