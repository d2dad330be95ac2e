"""The restore drill and the reinstall drill against a real Dovecot and aiosmtpd.

A :class:`Drill` fills the call's mailbox with applications, runs passes, and counts what the
issue counts: second replies (letters beyond the first to one applicant), applications lost
(missing from the database, the export or the resolution list), reference numbers given to more
than one person, and the copies in the Sent folder. How the state is backed up and put back is
given by the caller (``mailbot backup`` / ``restore``, or plain file copies).
"""

from __future__ import annotations

import email.parser
import re
import shutil
import sqlite3
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from mailbot.config import Config, load_config
from mailbot.ops import export, jobs, resolution, samples

from .helpers import write_config

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SENT, ARCHIVE = "Sent", "Archiwum"
FIRST_NAMES = [
    "Anna",
    "Barbara",
    "Celina",
    "Dorota",
    "Ewa",
    "Filomena",
    "Grażyna",
    "Halina",
    "Irena",
    "Joanna",
    "Katarzyna",
    "Lucyna",
    "Maria",
    "Natalia",
    "Olga",
    "Paulina",
    "Renata",
    "Sylwia",
    "Teresa",
    "Urszula",
    "Weronika",
    "Zofia",
]
SURNAMES = [
    "Nowak",
    "Wiśniewska",
    "Wójcik",
    "Kowalczyk",
    "Kamińska",
    "Lewandowska",
    "Zielińska",
    "Szymańska",
    "Woźniak",
    "Dąbrowska",
    "Kozłowska",
    "Jankowska",
    "Mazur",
    "Kwiatkowska",
    "Krawczyk",
    "Piotrowska",
    "Grabowska",
    "Pawłowska",
]


@dataclass(frozen=True)
class Figures:
    """What one drill measured."""

    letters: int  # letters to applicants the SMTP server received
    second_replies: int  # letters beyond the first to one applicant
    lost_db: int  # applicants without a live application in the database
    lost_export: int  # … missing from `mailbot export`'s applications
    lost_resolution: int  # … missing from the resolution list (everyone)
    numbers_given_twice: int  # numbers carried by letters or records of more than one person
    sent_copies: int  # messages in the Sent folder
    sent_copies_per_letter: int  # the most copies of one letter (by Message-ID) in Sent
    sent_copies_per_person: int  # the most letters to one applicant in Sent
    last_number: str | None  # the number of the last applicant

    def line(self) -> str:
        return (
            f"letters {self.letters}, second replies {self.second_replies}, lost "
            f"{self.lost_db}/{self.lost_export}/{self.lost_resolution} (db/export/list), "
            f"numbers given twice {self.numbers_given_twice}, Sent copies {self.sent_copies} "
            f"(max {self.sent_copies_per_letter} per letter, {self.sent_copies_per_person} per "
            f"applicant), last number {self.last_number}"
        )


@dataclass
class Drill:
    tmp: Path
    dovecot: object
    user: str
    sink: object
    archive: bool
    save_sent: bool = True
    people: list[samples.Applicant] = field(default_factory=list)
    config_path: Path = field(init=False)

    def __post_init__(self) -> None:
        extra = f'sent_folder = "{SENT}"\n' + (
            f'archive_folder = "{ARCHIVE}"\n' if self.archive else ""
        )
        if not self.save_sent:
            extra += "save_sent = false\n"
        self.config_path = write_config(
            self.tmp, self.dovecot, self.user, self.sink, imap_extra=extra
        )

    @property
    def config(self) -> Config:
        return load_config(self.config_path)

    @property
    def state(self) -> Path:
        return self.config.storage.database.parent

    def deliver(self, count: int, when: datetime | None = None) -> list[samples.Applicant]:
        """``count`` new applicants' forms delivered to INBOX (received during the call, or
        ``when``)."""
        new = []
        for _ in range(count):
            i = len(self.people)
            person = samples.Applicant(
                full_name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {SURNAMES[i % len(SURNAMES)]}",
                email=f"kandydatka{i + 1:02d}@example.pl",
                groups=((i % 5) + 1,),
            )
            at = when or datetime(2024, 5, 10, 9, 0, tzinfo=WARSAW) + timedelta(minutes=7 * i)
            raw = samples.email_with(
                f"{person.full_name} <{person.email}>",
                "Zgłoszenie do grupy roboczej",
                "Dzień dobry, w załączeniu przesyłam formularz zgłoszeniowy.",
                to="d.butryn@dops.wroc.pl",
                date=at,
                attachments=(("formularz.docx", samples.filled_docx(person), DOCX),),
            )
            self.dovecot.append(self.user, raw, internaldate=at)  # type: ignore[attr-defined]
            self.people.append(person)
            new.append(person)
        return new

    def poll(self) -> jobs.JobReport:
        report = jobs.poll(self.config)
        assert report.mailbox_error is None, report.mailbox_error
        return report

    def reinstall(self) -> None:
        """A new machine: the database and the file store are gone, the mailbox is not."""
        shutil.rmtree(self.state)

    def letters(self) -> list[tuple[str, str, str]]:
        """(recipient, reference in the subject, Message-ID) of every letter to an applicant."""
        out = []
        for received in self.sink.messages:  # type: ignore[attr-defined]
            subject = str(received.message["Subject"] or "")
            if received.message.get("X-Mailbot-Reply") is None or "digest" in subject.lower():
                continue
            number = re.search(r"DKRES-2024-\d{4}", subject)
            out.append(
                (
                    received.rcpt_tos[0].lower(),
                    number.group(0) if number else "",
                    str(received.message["Message-ID"]),
                )
            )
        return out

    def sent_folder(self) -> list[tuple[str, str]]:
        """(Message-ID, recipient) of each message in the Sent folder."""
        with self.dovecot.client(self.user) as client:  # type: ignore[attr-defined]
            if not client.folder_exists(SENT):
                return []
            client.select_folder(SENT, readonly=True)
            uids = client.search("ALL")
            data = client.fetch(uids, ["BODY.PEEK[HEADER.FIELDS (MESSAGE-ID TO)]"]) if uids else {}
        out = []
        for item in data.values():
            head = email.parser.BytesHeaderParser().parsebytes(
                item[b"BODY[HEADER.FIELDS (MESSAGE-ID TO)]"]
            )
            out.append((str(head["Message-ID"]).strip(), str(head["To"]).strip().lower()))
        return out

    def figures(self) -> Figures:
        config = self.config
        emails = {p.email.lower() for p in self.people if p.email}
        letters = [x for x in self.letters() if x[0] in emails]
        per_person = Counter(to for to, _ref, _mid in letters)
        holders: dict[str, set[str]] = {}
        for to, ref, _mid in letters:
            if ref:
                holders.setdefault(ref, set()).add(to)
        with jobs.open_store(config) as store:
            rows = store.conn.execute(
                "SELECT reference, lower(json_extract(fields, '$.email')), superseded "
                "FROM applications"
            ).fetchall()
            exported = export.applications(store, config.call.timezone)
            everyone = resolution.resolution_lists(store, config.call)[-1].members
        for ref, address, _superseded in rows:
            if ref and address:
                holders.setdefault(ref, set()).add(address)
        live = {address for _ref, address, superseded in rows if not superseded}
        in_export = {
            str(a["fields"].get("email") or "").lower() for a in exported if not a["superseded"]
        }
        by_ref = {ref: address for ref, address, _s in rows}
        in_list = {by_ref.get(m.reference) for m in everyone}
        last = self.people[-1].email.lower() if self.people and self.people[-1].email else None
        last_numbers = sorted(ref for ref, address, _s in rows if address == last)
        copies = self.sent_folder()
        sent = Counter(mid for mid, _to in copies)
        to_person = Counter(to for _mid, to in copies if to in emails)
        return Figures(
            letters=len(letters),
            second_replies=sum(n - 1 for n in per_person.values() if n > 1),
            lost_db=len(emails - live),
            lost_export=len(emails - in_export),
            lost_resolution=len(emails - in_list),
            numbers_given_twice=sum(1 for who in holders.values() if len(who) > 1),
            sent_copies=sum(sent.values()),
            sent_copies_per_letter=max(sent.values(), default=0),
            sent_copies_per_person=max(to_person.values(), default=0),
            last_number=last_numbers[-1] if last_numbers else None,
        )


def copy_state(config: Config, dest: Path) -> None:
    """The state copied as an IT person would without ``mailbot backup``: the database through
    SQLite's backup API, the file store as files."""
    dest.mkdir(parents=True)
    source = sqlite3.connect(config.storage.database)
    target = sqlite3.connect(dest / "mailbot.db")
    with target:
        source.backup(target)
    source.close()
    target.close()
    shutil.copytree(config.storage.files, dest / "files")


def put_state_back(config: Config, source: Path) -> None:
    """The copy put back by hand: the state folder replaced by the copy."""
    state = config.storage.database.parent
    shutil.rmtree(state)
    state.mkdir(mode=0o700)
    shutil.copy2(source / "mailbot.db", config.storage.database)
    shutil.copytree(source / "files", config.storage.files)
