"""Runs a whole test mailbox through mailbot and checks what a careful employee expects.

A mailbox is data: ``tests/mailboxes/<name>/mail/*.eml`` (each message as its sender's client
wrote it, attachments included) and ``tests/mailboxes/<name>/mailbox.toml``: one
``[[message]]`` per file, in the order the server took them in, and the mailbox's ``[checks]``.
The keys of a message:

- ``slug``, ``file``, ``received`` (the INTERNALDATE given at APPEND), ``folder`` ("INBOX");
- ``expect``: its disposition, a list of the acceptable ones, or "not fetched" (before
  ``imap.since``: never read, recorded or answered);
- ``about_call``: whether it concerns the call (mailboxes judged "about-the-call");
- ``applications``: one entry per application it yields, ``[status, "live"|"superseded"]`` or
  ``[who, status, "live"|"superseded"]`` (who: the form's e-mail, else the sender);
- ``letters``: the kinds of the automatic letters it deserves ("*": any kind);
- ``second_pass``: delivered after the first poll; ``answers``: the letter it is written in the
  thread of, ``{to = address, kind = ...}`` (the first such letter) or ``{message = slug}``
  (the letter answering that message). ``{letter_subject}``, ``{letter_message_id}`` and
  ``{reference}`` in its headers and text are that letter's subject, Message-ID and number;
- ``why``: what a person would see in it.

`run` delivers the first pass, polls, writes and delivers the second pass, polls, polls once
more (which must do nothing) and returns the `Outcome`; `check` lists every way it falls short
of the data (`CHECKS` names the mailbox-wide checks ``[checks]`` may switch on).
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from mailbot.ops import jobs
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of

HERE = Path(__file__).resolve().parent
WARSAW = ZoneInfo("Europe/Warsaw")
CAUGHT = ("application", "correspondence")
NOT_FETCHED = "not fetched"
REFERENCE = re.compile(r"\b[A-Z][A-Z0-9]*-\d{4}-\d{4}\b")
CHECKS = (
    "dispositions",  # "exact" | "about-the-call"
    "everyday_in_queue_at_most",
    "letters",  # "by-recipient" | "by-thread"
    "processed_counts",
    "replied_only_applications",
    "withheld",  # [message ids] | {message id = text in the reason}
    "live_applicants",
    "numbering",  # the references' prefix
    "letter_reference",  # {message, to, kind}
    "unrelated_keep_nothing",
    "excerpts",
    "digest_contains",
    "mailbox_untouched",
    "sent_folder_copies",
)


@dataclass(frozen=True)
class Message:
    """One message of a test mailbox, as stored, and what must happen to it."""

    slug: str
    raw: bytes
    received: datetime
    folder: str = "INBOX"
    expect: frozenset[str] | None = None  # None: no disposition is prescribed
    about_call: bool | None = None
    applications: tuple[tuple[str, ...], ...] = ()
    letters: tuple[str, ...] = ()
    second_pass: bool = False
    answers: dict[str, str] | None = None
    why: str = ""

    @property
    def headers(self) -> EmailMessage:
        return message_from_bytes(self.raw.split(b"\n\n", 1)[0], policy=policy.default)  # type: ignore[return-value]

    @property
    def message_id(self) -> str:
        return str(self.headers["Message-ID"]).strip()

    @property
    def subject(self) -> str:
        return str(self.headers["Subject"] or "")

    @property
    def address(self) -> str:
        return parseaddr(str(self.headers["From"]))[1].lower()

    @property
    def fetched(self) -> bool:
        return self.expect != {NOT_FETCHED}

    @property
    def letter(self) -> bool:
        return bool(self.letters)


@dataclass(frozen=True)
class Mailbox:
    name: str
    checks: dict[str, Any]
    messages: tuple[Message, ...]

    @property
    def first(self) -> list[Message]:
        return [m for m in self.messages if not m.second_pass]

    @property
    def second(self) -> list[Message]:
        return [m for m in self.messages if m.second_pass]

    @property
    def history(self) -> list[Message]:
        return [m for m in self.messages if not m.fetched]

    @property
    def judged(self) -> list[Message]:
        """The first pass's messages mailbot must read."""
        return [m for m in self.first if m.fetched]


def load(name: str) -> Mailbox:
    """The mailbox ``tests/mailboxes/<name>``."""
    folder = HERE / name
    data = tomllib.loads((folder / "mailbox.toml").read_text(encoding="utf-8"))
    unknown = set(data.get("checks", {})) - set(CHECKS)
    if unknown:
        raise ValueError(f"{name}: unknown checks {sorted(unknown)}; known: {CHECKS}")
    messages = []
    for item in data["message"]:
        expect = item.get("expect")
        messages.append(
            Message(
                slug=item["slug"],
                raw=(folder / "mail" / item["file"]).read_bytes(),
                received=item["received"],
                folder=item.get("folder", "INBOX"),
                expect=None
                if expect is None
                else frozenset([expect] if isinstance(expect, str) else expect),
                about_call=item.get("about_call"),
                applications=tuple(tuple(a) for a in item.get("applications", ())),
                letters=tuple(item.get("letters", ())),
                second_pass=item.get("second_pass", False),
                answers=item.get("answers"),
                why=item.get("why", ""),
            )
        )
    mailbox = Mailbox(name, data.get("checks", {}), tuple(messages))
    for what in ("slug", "message_id"):
        values = [getattr(m, what) for m in mailbox.messages]
        repeated = [v for v, n in Counter(values).items() if n > 1]
        if repeated:
            raise ValueError(f"{name}: {what} repeated: {repeated}")
    return mailbox


def deliver(dovecot: Any, user: str, messages: Iterable[tuple[Message, bytes]]) -> None:
    """APPEND each message to its folder with its INTERNALDATE, in the order given."""
    with dovecot.client(user) as client:
        for m, raw in messages:
            if m.folder.upper() != "INBOX" and not client.folder_exists(m.folder):
                client.create_folder(m.folder)
            client.append(m.folder, raw, msg_time=m.received)


def in_thread(m: Message, letter_message_id: str, letter_subject: str) -> bytes:
    """The message as written in the thread of a letter: its placeholders filled in."""
    found = REFERENCE.search(letter_subject)
    values = {
        "{letter_message_id}": letter_message_id,
        "{letter_subject}": letter_subject,
        "{reference}": found[0] if found else "",
    }

    def fill(text: str) -> str:
        for key, value in values.items():
            text = text.replace(key, value)
        return text

    msg = message_from_bytes(m.raw, policy=policy.default)
    assert isinstance(msg, EmailMessage)
    for name, value in list(msg.items()):
        if "{" in str(value):
            msg.replace_header(name, fill(str(value)))
    for part in msg.walk():
        if part.is_multipart() or part.get_content_maintype() != "text":
            continue
        if part.get_content_disposition() == "attachment":
            continue
        text = part.get_content()
        if any(key in text for key in values):
            part.set_content(fill(text), subtype=part.get_content_subtype())  # type: ignore[attr-defined]
    return msg.as_bytes()


@dataclass
class Outcome:
    """What mailbot did with a mailbox: the polls, the letters, the store's export."""

    first: Any
    second: Any
    again: Any
    sent_before_again: int
    received: list[Any]  # the letters that reached SMTP
    records: dict[str, dict[str, Any]]  # message id -> exported message
    apps: dict[str, list[dict[str, Any]]]  # message id -> exported applications
    queue: dict[str, list[str]]  # message id -> kinds of its items in the attention queue
    flags_before: dict[int, tuple[bytes, ...]]
    flags_after: dict[int, tuple[bytes, ...]]
    sent_folder: int | None  # messages in the \\Sent folder, if there is one
    store_facts: dict[str, Any] = field(default_factory=dict)


def pick_letter(mailbox: Mailbox, answers: dict[str, str], received: list[Any]) -> Any:
    """The letter a second-pass message answers (None: there is none)."""
    for r in received:
        kind = kind_of(r.message["X-Mailbot-Reply"])
        if "kind" in answers and kind != answers["kind"]:
            continue
        if "to" in answers and r.rcpt_tos != [answers["to"]]:
            continue
        if "message" in answers:
            answered = next(m for m in mailbox.messages if m.slug == answers["message"])
            if (r.message["In-Reply-To"] or "").strip() != answered.message_id:
                continue
        return r.message
    return None


def run(mailbox: Mailbox, dovecot: Any, user: str, smtp_sink: Any, config: Any) -> Outcome:
    deliver(dovecot, user, [(m, m.raw) for m in mailbox.first])
    flags_before = dovecot.fetch_flags(user)
    first = jobs.poll(config)
    assert first.ok, first.problem()
    smtp_sink.wait_for(sum(len(m.letters) for m in mailbox.first), timeout=30)
    threaded = []
    for m in mailbox.second:
        if not m.answers:
            threaded.append((m, m.raw))
            continue
        letter = pick_letter(mailbox, m.answers, list(smtp_sink.messages))
        if letter is None and "message" in m.answers:  # the person answers their own message
            answered = next(x for x in mailbox.messages if x.slug == m.answers["message"])
            letter = {"Message-ID": answered.message_id, "Subject": answered.subject}
        assert letter is not None, f"{m.slug}: no letter {m.answers} to answer"
        threaded.append((m, in_thread(m, str(letter["Message-ID"]), str(letter["Subject"]))))
    deliver(dovecot, user, threaded)
    second = jobs.poll(config)
    assert second.ok, second.problem()
    sent_before_again = len(smtp_sink.messages)
    again = jobs.poll(config)
    flags_after = dovecot.fetch_flags(user)
    with dovecot.client(user) as client:
        sent_folders = [n for f, _s, n in client.list_folders() if b"\\Sent" in f]
    sent_folder = len(dovecot.fetch_flags(user, sent_folders[0])) if sent_folders else None

    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
        queue: dict[str, list[str]] = defaultdict(list)
        if mailbox.checks.get("dispositions") == "about-the-call":
            from mailbot.ops.review import attention

            mid_of_pk = dict(store.db.execute("SELECT id, message_id FROM messages").fetchall())
            for item in attention(config, store, with_lines=False):
                if item.message_pk is not None:
                    queue[mid_of_pk.get(item.message_pk, f"pk {item.message_pk}")].append(item.kind)
        facts: dict[str, Any] = {
            "unrelated": store.db.execute(
                "SELECT m.raw_file, (SELECT count(*) FROM attachments t "
                "WHERE t.message_pk = m.id) FROM messages m WHERE m.disposition = 'unrelated'"
            ).fetchall(),
            "excerpts": {
                mid: (
                    store.db.execute(
                        "SELECT excerpt FROM messages WHERE message_id = ?", [mid]
                    ).fetchone()
                    or [None]
                )[0]
                for mid in mailbox.checks.get("excerpts", {})
            },
        }
        if mailbox.checks.get("digest_contains"):
            from mailbot.ops.digest import build_digest

            facts["digest"] = build_digest(config, store).text
    apps: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in data["applications"]:
        apps[a["message_id"]].append(a)
    return Outcome(
        first=first,
        second=second,
        again=again,
        sent_before_again=sent_before_again,
        received=list(smtp_sink.messages),
        records={r["message_id"]: r for r in data["messages"]},
        apps=apps,
        queue=queue,
        flags_before=flags_before,
        flags_after=flags_after,
        sent_folder=sent_folder,
        store_facts=facts,
    )
