"""A mailbox of the coordinator's everyday jobs, read by a real pass: the demo's example inbox,
a question about the call, a candidate's form passed on by a colleague (its confirmation is
withheld), and two messages a person would call applications that mailbot judged unrelated
(their bytes are not kept: the workspace fetches them from the mailbox by UID).

Used by the browser test of the jobs and by the test-client tests that need the mailbox."""

from __future__ import annotations

import email.utils
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

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUESTION_ID = "<pytanie-mazur@fundacja-ekonomia.example.pl>"
FORWARD_ID = "<przekazane-nowicka@dops.wroc.pl>"
MISJUDGED_ID = "<dokumenty-wojcik@stowarzyszenie-razem.example.org>"
GONE_ID = "<informacja-lis@spoldzielnia-lis.example.pl>"
CANDIDATE = "m.nowicka@spoldzielnia-nowa.example.pl"
COLLEAGUE = "sekretariat@dops.wroc.pl"


def _plain(sender: str, subject: str, body: str, when: datetime, message_id: str) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "d.butryn@dops.wroc.pl"
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(when - timedelta(seconds=40))
    msg["Message-ID"] = message_id
    msg.set_content(body)
    return msg.as_bytes()


def everyday_jobs() -> list[tuple[bytes, datetime]]:
    """(message, INTERNALDATE) of the jobs' mail, in the call's window."""
    nowicka = replace(
        Applicant(),
        full_name="Maria Nowicka",
        organisation="Spółdzielnia Socjalna „Nowa Droga”",
        organisation_type="spółdzielnia socjalna",
        position="Prezeska zarządu",
        address="ul. Kolejowa 3\n56-400 Oleśnica",
        email=CANDIDATE,
        phone="+48 602 111 222",
        groups=(2,),
        place_and_date="Oleśnica, 16.05.2024",
    )
    forward_at = datetime(2024, 5, 17, 9, 0, tzinfo=WARSAW)
    forward = email_with(
        f"Sekretariat DOPS <{COLLEAGUE}>",
        "Fw: zgłoszenie p. Marii Nowickiej",
        "Dzień dobry,\nprzekazuję formularz p. Marii Nowickiej, który przyszedł pocztą.\n"
        "Sekretariat",
        to="d.butryn@dops.wroc.pl",
        date=forward_at - timedelta(seconds=40),
        attachments=(("formularz-nowicka.docx", filled_docx(nowicka), DOCX),),
        received=forward_at,
    )
    parsed = email.message_from_bytes(forward)
    del parsed["Message-ID"]
    parsed["Message-ID"] = FORWARD_ID
    question_at = datetime(2024, 5, 16, 10, 0, tzinfo=WARSAW)
    misjudged_at = datetime(2024, 5, 18, 11, 0, tzinfo=WARSAW)
    gone_at = datetime(2024, 5, 19, 12, 0, tzinfo=WARSAW)
    return [
        (
            _plain(
                "Katarzyna Mazur <k.mazur@fundacja-ekonomia.example.pl>",
                "Pytanie o nabór do grup roboczych",
                "Dzień dobry,\nczy do grupy roboczej nr 2 może kandydować osoba, która dopiero "
                "zakłada spółdzielnię socjalną?\nZ poważaniem\nKatarzyna Mazur",
                question_at,
                QUESTION_ID,
            ),
            question_at,
        ),
        (parsed.as_bytes(), forward_at),
        (
            _plain(
                "Marek Wójcik <m.wojcik@stowarzyszenie-razem.example.org>",
                "Dokumenty",
                "Dzień dobry,\nw nawiązaniu do rozmowy telefonicznej przesyłam informację o sobie: "
                "od 2016 r. prowadzę spółdzielnię socjalną w Oleśnicy i chciałbym działać na rzecz "
                "promocji.\nPozdrawiam\nMarek Wójcik",
                misjudged_at,
                MISJUDGED_ID,
            ),
            misjudged_at,
        ),
        (
            _plain(
                "Alicja Lis <a.lis@spoldzielnia-lis.example.pl>",
                "Informacja",
                "Dzień dobry,\nw nawiązaniu do rozmowy przesyłam informację: prowadzę spółdzielnię "
                "w Miliczu i chętnie włączę się w prace.\nAlicja Lis",
                gone_at,
                GONE_ID,
            ),
            gone_at,
        ),
    ]


@dataclass(frozen=True)
class Jobs:
    config_path: Path
    config: Config
    question: int  # message id of the question (correspondence)
    forwarded: str  # reference of the application a colleague passed on (no letter)
    late: str  # reference of the demo's late application
    misjudged: int  # message id judged unrelated, still in the mailbox
    gone: int  # message id judged unrelated, deleted from the mailbox after the pass
    gone_uid: int


def build(tmp: Path, dovecot, imap_user: str, smtp_sink, **config_args) -> Jobs:
    """Fill the mailbox, run a real pass (its letters reach the SMTP sink), delete one
    unrelated message from the mailbox; return where everything is."""
    path = write_config(tmp, dovecot, imap_user, smtp_sink, **config_args)
    config = load_config(path)
    for _description, raw in example_inbox():
        parsed = email.message_from_bytes(raw)
        when = email.utils.parsedate_to_datetime(parsed["Date"]) + timedelta(seconds=40)
        dovecot.append(imap_user, raw, internaldate=when)
    uids = {}
    for raw, when in everyday_jobs():
        uid = dovecot.append(imap_user, raw, internaldate=when)
        uids[email.message_from_bytes(raw)["Message-ID"]] = uid
    report = jobs.poll(config)
    assert report.ok, report.summary()
    with Store(config.storage.database, config.storage.files) as store:

        def message(mid: str) -> tuple[int, str, str | None]:
            row = store.db.execute(
                "SELECT id, disposition, raw_file FROM messages WHERE message_id = ?", [mid]
            ).fetchone()
            assert row, mid
            return int(row[0]), str(row[1]), row[2]

        question, kind, _ = message(QUESTION_ID)
        assert kind == "correspondence"
        forwarded_pk, kind, _ = message(FORWARD_ID)
        assert kind == "application"
        forwarded, withheld = store.db.execute(
            "SELECT reference, reply_withheld FROM applications WHERE message_pk = ?",
            [forwarded_pk],
        ).fetchone()
        assert withheld and "współpracownika" in withheld
        late = store.db.execute(
            "SELECT reference FROM applications WHERE status = 'late' AND superseded = 0"
        ).fetchone()[0]
        misjudged, kind, raw_file = message(MISJUDGED_ID)
        assert kind == "unrelated" and raw_file is None
        gone, kind, raw_file = message(GONE_ID)
        assert kind == "unrelated" and raw_file is None
    with dovecot.client(imap_user) as client:
        client.select_folder("INBOX")
        client.delete_messages([uids[GONE_ID]])
        client.expunge()
    return Jobs(path, config, question, forwarded, late, misjudged, gone, uids[GONE_ID])
