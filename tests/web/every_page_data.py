"""A mailbox in which every page of the workspace has each of its states, read by real passes
from Dovecot and answered through aiosmtpd: the demo's example inbox and the coordinator's
everyday mail (:mod:`tests.web.mailbox_jobs`), plus

- a long list: 230 applications on time for one group (Zgłoszenia, Wiadomości and the
  Committee's list run to several pages) and 60 late ones (Do zrobienia runs to two pages);
- an applicant whose name carries a right-to-left override and whose organisation is one
  3,000-character word, a question with both in its subject and text;
- scans whose OCR reading is done, failed (over its time limit) and still pending;
- withdrawals: one proposed, one partial, one done by a person (``mailbot review withdraw``);
- a reply that came back as a bounce (a DSN from MAILER-DAEMON);
- a decision and a correction made by a person (``mailbot review decide`` / ``correct``).

Used by the browser test that walks every page (tests/web/test_browser_every_page.py)."""

from __future__ import annotations

import email
import email.utils
import subprocess
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from integration.helpers import write_config

from mailbot.config import Config, load_config
from mailbot.ops import jobs
from mailbot.ops.demo import example_inbox
from mailbot.ops.samples import Applicant, email_with, filled_docx
from mailbot.storage.store import Store

from .mailbox_jobs import FORWARD_ID, GONE_ID, MISJUDGED_ID, QUESTION_ID, everyday_jobs

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CALL = "d.butryn@dops.wroc.pl"

#: a right-to-left override: what follows it is shown backwards unless it is isolated
RTL = "\u202e"
#: one word of 3,000 characters (no space, no hyphen): it must wrap, not widen a list
LONG_WORD = ("Zażółćgęśląjaźń" * 200)[:3000]
RTL_NAME = f"Ewa {RTL}akswoN"
LONG_SUBJECT = f"Pytanie {RTL}ortsinim {LONG_WORD[:300]}"
#: what the DSN's server said (its own words: shown after "serwer:")
BOUNCE_REASON = "550 5.1.1 <{to}>: Recipient address rejected: User unknown in virtual mailbox"
BOUNCE_SUBJECT = "Undelivered Mail Returned to Sender"

FIRST = ("Anna", "Maria", "Katarzyna", "Agnieszka", "Barbara", "Jan", "Piotr", "Tomasz", "Paweł")
LAST = ("Nowak", "Wójcik", "Kamińska", "Lewandowska", "Zielińska", "Szymański", "Woźniak")
LONG_LIST = 230
LATE = 60


@dataclass(frozen=True)
class EveryPage:
    config_path: Path
    config: Config
    question: int  # a question (correspondence)
    forwarded: str  # an application a colleague passed on (its confirmation withheld)
    misjudged: int  # judged unrelated, still in the mailbox (read live)
    gone: int  # judged unrelated, deleted from the mailbox
    long_question: int  # the question whose subject and text carry the long word and RTL
    rtl_reference: str  # the application of the RTL name and the long organisation
    withdrawn: str  # withdrawn by a person
    withdrawal_done: int  # the message that withdrew it
    withdrawal_proposed: int  # a message that plainly withdraws (proposed)
    withdrawal_partial: int  # a message that withdraws from one group
    bounce: int  # the DSN
    bounced_reference: str  # the application whose reply bounced
    scans: dict[str, str]  # OCR state -> the reference of a scan in it
    decided: str  # rejected by a person
    corrected: str  # corrected by a person
    superseded: str  # replaced by a later form
    late: str
    pdf: str  # a PDF form, shown in the page
    docx: str  # a Word form, shown as PDF (LibreOffice)


def _person(i: int, **kw: object) -> Applicant:
    first, last = FIRST[i % len(FIRST)], LAST[(i // len(FIRST)) % len(LAST)]
    values: dict[str, object] = {
        "full_name": f"{first} {last}",
        "organisation": f"Spółdzielnia Socjalna nr {i}",
        "email": f"kandydat{i}@spoldzielnia{i}.example.pl",
        "groups": (1,),
        "place_and_date": "Wrocław, 15.05.2024",
    }
    values.update(kw)
    return replace(Applicant(), **values)  # type: ignore[arg-type]


def _application(person: Applicant, when: datetime, subject: str = "Zgłoszenie") -> bytes:
    return email_with(
        f"{person.full_name} <{person.email}>",
        subject,
        "Dzień dobry,\nw załączeniu przesyłam formularz zgłoszeniowy.\nZ poważaniem",
        to=CALL,
        date=when - timedelta(seconds=40),
        attachments=(("formularz.docx", filled_docx(person), DOCX),),
        received=when,
    )


def _plain(sender: str, subject: str, body: str, when: datetime, message_id: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = CALL
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(when - timedelta(seconds=40))
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


def _scan(pages: list[bytes], sender: str, message_id: str, when: datetime) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = CALL
    msg["Subject"] = "Zgłoszenie do naboru – skan formularza"
    msg["Date"] = email.utils.format_datetime(when - timedelta(seconds=40))
    msg["Message-ID"] = message_id
    msg.set_content("Dzień dobry,\nw załączeniu podpisany formularz zgłoszeniowy (skan).\n")
    for n, page in enumerate(pages, 1):
        msg.add_attachment(page, maintype="image", subtype="jpeg", filename=f"skan-{n}.jpg")
    return msg.as_bytes()


WITHDRAW_WHOLE = 3
WITHDRAW_PROPOSED = 4
WITHDRAW_PARTIAL = 5
BOUNCED = 6
RTL_ONE = 7


def mail(scan_pages: list[bytes]) -> list[tuple[bytes, datetime]]:
    """(message, INTERNALDATE) of everything beyond the jobs' mail."""
    out: list[tuple[bytes, datetime]] = []
    start = datetime(2024, 5, 9, 8, 0, tzinfo=WARSAW)
    for i in range(LONG_LIST):
        when = start + timedelta(minutes=83 * i)
        if i == RTL_ONE:
            person = _person(i, full_name=RTL_NAME, organisation=LONG_WORD)
        elif i == WITHDRAW_PARTIAL:
            person = _person(i, groups=(1, 3))
        else:
            person = _person(i)
        out.append((_application(person, when), when))
    late = datetime(2024, 5, 26, 9, 0, tzinfo=WARSAW)
    for i in range(LATE):
        when = late + timedelta(minutes=7 * i)
        person = _person(1000 + i, groups=(2,))
        out.append((_application(person, when, "Zgłoszenie (po terminie)"), when))

    def sender(i: int) -> str:
        p = _person(i)
        return f"{p.full_name} <{p.email}>"

    asked = datetime(2024, 5, 22, 14, 0, tzinfo=WARSAW)
    out += [
        (
            _plain(
                sender(WITHDRAW_WHOLE),
                "Rezygnacja",
                "Dzień dobry,\nproszę o wycofanie mojego zgłoszenia do grup roboczych Komitetu."
                "\nZ poważaniem",
                asked,
                "<wycofanie-calosc@example.pl>",
            ),
            asked,
        ),
        (
            _plain(
                sender(WITHDRAW_PROPOSED),
                "Wycofanie zgłoszenia",
                "Dzień dobry,\nproszę o wycofanie mojego zgłoszenia w naborze do grup roboczych."
                "\nZ poważaniem",
                asked + timedelta(minutes=5),
                "<wycofanie-propozycja@example.pl>",
            ),
            asked + timedelta(minutes=5),
        ),
        (
            _plain(
                sender(WITHDRAW_PARTIAL),
                "Zmiana zgłoszenia",
                "Dzień dobry,\nproszę o wycofanie mojego zgłoszenia z grupy 3, w grupie 1 "
                "pozostaję.\nZ poważaniem",
                asked + timedelta(minutes=10),
                "<wycofanie-czesc@example.pl>",
            ),
            asked + timedelta(minutes=10),
        ),
        (
            _plain(
                f"{RTL_NAME} <kandydat{RTL_ONE}@spoldzielnia{RTL_ONE}.example.pl>",
                LONG_SUBJECT,
                f"Dzień dobry,\nczy nazwa organizacji {LONG_WORD} zmieści się w formularzu "
                f"naboru do grup roboczych?\n{RTL}ezcżaiwz z\nEwa",
                asked + timedelta(minutes=15),
                "<pytanie-dlugie@example.pl>",
            ),
            asked + timedelta(minutes=15),
        ),
    ]
    out += [
        (
            _scan(
                scan_pages,
                "Halina Mróz <h.mroz@zaz-milicz.example.pl>",
                "<skan-odczytany@example.pl>",
                datetime(2024, 5, 12, 9, 0, tzinfo=WARSAW),
            ),
            datetime(2024, 5, 12, 9, 0, tzinfo=WARSAW),
        ),
        (
            _scan(
                scan_pages,
                "Zenon Kruk <z.kruk@cis-trzebnica.example.pl>",
                "<skan-nieudany@example.pl>",
                datetime(2024, 5, 13, 9, 0, tzinfo=WARSAW),
            ),
            datetime(2024, 5, 13, 9, 0, tzinfo=WARSAW),
        ),
    ]
    return out


def dsn(to: str, reply_message_id: str) -> bytes:
    """A DSN as Postfix writes it, returning the reply's headers."""
    reason = BOUNCE_REASON.format(to=to)
    return (
        "From: MAILER-DAEMON@mx.dops.wroc.pl (Mail Delivery System)\r\n"
        f"To: {CALL}\r\nSubject: {BOUNCE_SUBJECT}\r\n"
        "Auto-Submitted: auto-replied\r\nMessage-ID: <bounce.1@mx.dops.wroc.pl>\r\n"
        "Date: Thu, 23 May 2024 08:00:00 +0200\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\r\n\r\n'
        "--B\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        "--B\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.dops.wroc.pl\r\n\r\n"
        f"Final-Recipient: rfc822; {to}\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        f"Diagnostic-Code: smtp; {reason}\r\n\r\n"
        "--B\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: {CALL}\r\nTo: {to}\r\nMessage-ID: {reply_message_id}\r\n"
        "Subject: DKRES\r\n\r\n--B--\r\n"
    ).encode()


def mailbot(config_path: Path, *args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(config_path), *args],
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 0, (args, done.stdout, done.stderr)
    return done.stdout


def empty_config(tmp: Path, dovecot, imap_user: str, smtp_sink) -> Path:
    """The rig's config: OCR left to the test (``ocr_pass_seconds = 0``), no reply cap."""
    return write_config(
        tmp,
        dovecot,
        imap_user,
        smtp_sink,
        limits={"ocr_pass_seconds": 0, "replies_per_hour": 100_000},
        batch_size=100,
    )


def fill(
    config_path: Path, dovecot, imap_user: str, smtp_sink, scan_pages: list[bytes], env, monkeypatch
) -> EveryPage:
    """Deliver everything, run the passes, read the scans, make a person's changes."""
    config = load_config(config_path)
    everything = [
        (raw, email.utils.parsedate_to_datetime(email.message_from_bytes(raw)["Date"]))
        for _d, raw in example_inbox()
    ]
    everything = [(raw, when + timedelta(seconds=40)) for raw, when in everything]
    everything += everyday_jobs() + mail(scan_pages)
    uids: dict[str, int] = {}
    with dovecot.client(imap_user) as client:
        for raw, when in everything:
            result = client.append("INBOX", raw, msg_time=when)
            uid = _appended_uid(result)
            mid = email.message_from_bytes(raw)["Message-ID"]
            if mid and uid:
                uids[mid.strip()] = uid
    report = jobs.poll(config)
    assert report.ok, report.summary()

    with Store(config.storage.database, config.storage.files) as store:
        db = store.db

        def message(mid: str) -> int:
            row = db.execute("SELECT id FROM messages WHERE message_id = ?", [mid]).fetchone()
            assert row, mid
            return int(row[0])

        def reference_of(address: str) -> str:
            row = db.execute(
                "SELECT a.reference FROM applications a JOIN messages m ON m.id = a.message_pk "
                "WHERE m.sender = ? AND a.superseded = 0 ORDER BY a.id LIMIT 1",
                [address],
            ).fetchone()
            assert row, address
            return str(row[0])

        bounced_to = _person(BOUNCED).email
        reply_id = db.execute(
            "SELECT r.reply_message_id FROM replies r "
            "JOIN applications a ON a.id = r.application_pk "
            "JOIN messages m ON m.id = a.message_pk WHERE m.sender = ? AND r.state = 'sent'",
            [bounced_to],
        ).fetchone()[0]
    dovecot.deliver(imap_user, dsn(str(bounced_to), reply_id))
    assert jobs.poll(config).ok

    # OCR: the oldest scan read, the next one failing (over its time limit), the demo's pending
    from mailbot.pipeline.ocr import enqueue, read_next

    with Store(config.storage.database, config.storage.files) as store:
        enqueue(store)
        first = read_next(store, config.form, config.limits)
        second = read_next(store, config.form, replace(config.limits, max_ocr_seconds=0.2))
    assert first is not None and first.state == "done", first
    assert second is not None and second.state == "failed", second

    with Store(config.storage.database, config.storage.files) as store:
        db = store.db
        scans = {
            str(state): str(ref)
            for state, ref in db.execute(
                "SELECT p.state, a.reference FROM prefills p "
                "JOIN applications a ON a.id = p.application_pk"
            )
        }
        assert set(scans) == {"done", "failed", "pending"}, scans
        withdraw_whole = message("<wycofanie-calosc@example.pl>")
        withdrawn = reference_of(_person(WITHDRAW_WHOLE).email)
        late = db.execute(
            "SELECT reference FROM applications WHERE status = 'late' AND superseded = 0 "
            "ORDER BY id LIMIT 1"
        ).fetchone()[0]
        superseded = db.execute(
            "SELECT reference FROM applications WHERE superseded = 1 LIMIT 1"
        ).fetchone()[0]
        forwarded = db.execute(
            "SELECT a.reference FROM applications a JOIN messages m ON m.id = a.message_pk "
            "WHERE m.message_id = ?",
            [FORWARD_ID],
        ).fetchone()[0]
        pdf = reference_of("p.nowak@boleslawiec.example.pl")
        docx = reference_of("a.kowalska@cis-olawa.example.pl")
        data = EveryPage(
            config_path=config_path,
            config=config,
            question=message(QUESTION_ID),
            forwarded=str(forwarded),
            misjudged=message(MISJUDGED_ID),
            gone=message(GONE_ID),
            long_question=message("<pytanie-dlugie@example.pl>"),
            rtl_reference=reference_of(_person(RTL_ONE).email),
            withdrawn=withdrawn,
            withdrawal_done=withdraw_whole,
            withdrawal_proposed=message("<wycofanie-propozycja@example.pl>"),
            withdrawal_partial=message("<wycofanie-czesc@example.pl>"),
            bounce=message("<bounce.1@mx.dops.wroc.pl>"),
            bounced_reference=reference_of(str(bounced_to)),
            scans=scans,
            decided=reference_of(_person(10).email),
            corrected=reference_of(_person(11).email),
            superseded=str(superseded),
            late=str(late),
            pdf=pdf,
            docx=docx,
        )
    # a person's changes, on the command line
    mailbot(config_path, "review", "withdraw", withdrawn, "--message", str(withdraw_whole), env=env)
    mailbot(
        config_path,
        "review",
        "decide",
        data.decided,
        "--status",
        "rejected",
        "--note",
        "Osoba zgłosiła się dwukrotnie.",
        env=env,
    )
    mailbot(
        config_path,
        "review",
        "correct",
        data.corrected,
        "--set",
        "groups=1 i 3",
        "--set",
        "phone=+48 600 100 200",
        env=env,
    )
    # the unrelated message that is gone from the mailbox
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX")
        client.delete_messages([uids[GONE_ID]])
        client.expunge()
    return data


def _appended_uid(result: object) -> int | None:
    """The UID from APPENDUID in an APPEND's answer (``[APPENDUID 1 42] …``)."""
    text = result.decode() if isinstance(result, bytes) else str(result)
    import re

    found = re.search(r"APPENDUID \d+ (\d+)", text)
    return int(found.group(1)) if found else None
