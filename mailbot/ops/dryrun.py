"""``--dry-run``: the whole pipeline on a scratch copy; nothing sent, nothing changed.

The database is copied (SQLite backup API, read-only on the original) into a private scratch
folder with its own file store; the pipeline runs there against the real mailbox — opened
read-only, fetched with ``BODY.PEEK`` — or the real files; nothing is sent, archived or saved
to a Sent folder; then one line per message is read back from the scratch copy and the copy is
deleted. The real database and file store are never opened for writing.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from mailbot.config import Config
from mailbot.errors import StorageError
from mailbot.logs import mask_emails
from mailbot.pipeline.relevance import signals_text, stored_signals
from mailbot.pipeline.stages import PassReport
from mailbot.storage import reprocessing
from mailbot.storage.store import Store, parse_iso


@dataclass(frozen=True)
class DryRunLine:
    received_at: str  # local time, "YYYY-MM-DD HH:MM"
    sender: str  # masked
    subject: str
    disposition: str
    status: str | None
    reply: str  # the reply that would be sent, or why none
    reasons: str = ""  # the relevance findings with their weights

    def text(self) -> str:
        subject = (self.subject or "(bez tematu)")[:50]
        return (
            f"{self.received_at}  {self.sender:32.32}  {subject:50}  {self.disposition:14}"
            f"  {self.status or '-':12}  {self.reply}"
            + (f"  [{self.reasons}]" if self.reasons else "")
        )


@dataclass(frozen=True)
class DryRunReport:
    lines: tuple[DryRunLine, ...]
    messages: PassReport

    def text(self) -> str:
        out = [line.text() for line in self.lines]
        replies = sum(1 for line in self.lines if line.reply.startswith("reply: "))
        counts: dict[str, int] = {}
        for line in self.lines:
            counts[line.disposition] = counts.get(line.disposition, 0) + 1
        totals = ", ".join(f"{n} {d}" for d, n in sorted(counts.items()))
        out.append(
            f"dry run: {len(self.lines)} message(s) ({totals or 'none'}); "
            f"{replies} reply(ies) would be sent; nothing was sent or changed"
        )
        return "\n".join(out) + "\n"


@contextmanager
def scratch_store(config: Config) -> Iterator[Store]:
    """A private copy of the database with an empty file store, deleted afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="mailbot-dry-run-"))
    try:
        database = folder / "mailbot.db"
        if config.storage.database.exists():
            try:
                source = sqlite3.connect(f"file:{config.storage.database}?mode=ro", uri=True)
                target = sqlite3.connect(database)
                try:
                    source.backup(target)
                finally:
                    target.close()
                    source.close()
            except sqlite3.Error as exc:
                raise StorageError(
                    f"cannot copy the database {config.storage.database} for the dry run: {exc}"
                ) from exc
        with Store(database, folder / "files") as store:
            yield store
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def dry_run(config: Config, work: Callable[[Store], PassReport]) -> DryRunReport:
    """Run ``work`` (a pass of the pipeline) on a scratch copy; report what it would do."""
    with scratch_store(config) as store:
        last = reprocessing.last_message_pk(store)
        report = work(store)
        lines = tuple(_lines(store, last, config.call.timezone))
    return DryRunReport(lines, report)


def _lines(store: Store, after: int, tz: ZoneInfo) -> Iterator[DryRunLine]:
    for r in reprocessing.dry_run_rows(store, after):
        if r.template and r.reply_state == "sent":
            reply = f"answered before: its {r.template} letter is in Sent (not sent again)"
        elif r.template:
            reply = f"reply: {r.template}"
        elif r.reply_withheld:
            reply = f"no reply: {r.reply_withheld}"
        else:
            reply = "no reply" + (f" ({r.reason})" if r.disposition == "ignored" else "")
        yield DryRunLine(
            received_at=parse_iso(r.received_at).astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            sender=mask_emails(r.sender or "-"),
            subject=r.subject or "",
            disposition=r.disposition,
            status=r.status,
            reply=reply,
            reasons=mask_emails(signals_text(stored_signals(r.signals))),
        )
