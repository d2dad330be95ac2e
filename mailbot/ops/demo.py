"""``mailbot demo``: the whole pipeline on an example inbox, with no server and no network.

Builds a Maildir of realistic messages (on time, late, incomplete and then corrected, a scan,
a forgotten attachment, an out-of-office, a fillable PDF), writes a config that sends replies
to a folder of ``.eml`` files, runs the same import job cron would, writes the digest, and
returns a summary of what happened and where the files are.
"""

from __future__ import annotations

import mailbox
import os
import secrets
import tempfile
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import parsers
from mailbot.config import Config, load_config
from mailbot.ops import jobs
from mailbot.ops.digest import build_digest
from mailbot.ops.samples import Applicant, email_with, filled_docx, filled_pdf, scanned_pdf
from mailbot.ops.users import add_user, get_user
from mailbot.pipeline.texts import STATUS_LABELS
from mailbot.storage import reports

WARSAW = ZoneInfo("Europe/Warsaw")
CALL_ADDRESS = "d.butryn@dops.wroc.pl"
DEMO_LOGIN = "demo"

DEMO_CONFIG = """\
# Configuration written by `mailbot demo`: the real call, replies written to ./outbox
[call]
name = "Nabór członków grup roboczych przy Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej"
opens_at = 2024-05-06T00:00:00+02:00
closes_at = 2024-05-24T23:59:59+02:00
timezone = "Europe/Warsaw"
address = "d.butryn@dops.wroc.pl"
reference_prefix = "DKRES-2024"
short_name = "Nabór do grup roboczych DKRES"
next_steps = '''Po zakończeniu naboru Dolnośląski Komitet Rozwoju Ekonomii Społecznej podejmie
uchwałę w sprawie składu grup roboczych. Przyjęcie zgłoszenia nie oznacza jeszcze powołania
do grupy roboczej – o składzie grup zdecyduje Komitet w tej uchwale.'''
{groups}
[call.office]
name = "Dolnośląski Ośrodek Polityki Społecznej we Wrocławiu"
person = "D. Butryn"
address = "ul. Trzebnicka 42–44, 50-230 Wrocław"

[smtp]
directory = "outbox"

[storage]
database = "data/mailbot.db"
files = "data/files"

[digest]
recipients = ["d.butryn@dops.wroc.pl"]
"""

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=WARSAW)


def example_inbox() -> list[tuple[str, bytes]]:
    """(description, message bytes) of the example inbox."""
    anna = Applicant()
    grzegorz = Applicant(
        full_name="Grzegorz Zieliński",
        organisation="Spółdzielnia Socjalna „Łączy Nas”",
        organisation_type="spółdzielnia socjalna",
        position="Prezes Zarządu",
        address="ul. Świdnicka 5/7, 58-100 Świdnica",
        email="g.zielinski@laczynas.example.com",
        phone=None,
        groups=(1, 4),
        experience="Spółdzielnia zatrudnia 14 osób.",
        consents_gdpr=False,
        place_and_date="Świdnica, 20 maja 2024 r.",
    )
    piotr = Applicant(
        full_name="Piotr Nowak",
        organisation="Gmina Miejska Bolesławiec",
        organisation_type="JST",
        position="Naczelnik Wydziału Spraw Społecznych",
        address="Plac Ratuszowy 1, 59-700 Bolesławiec",
        email="p.nowak@boleslawiec.example.pl",
        phone="(75) 645 64 00",
        groups=(2, 5),
        experience="Koordynuję zlecanie zadań publicznych organizacjom pozarządowym.",
        place_and_date="Bolesławiec, 23.05.2024",
    )
    late = Applicant(
        full_name="Jan Wiśniewski",
        organisation="Stowarzyszenie „Razem”",
        email="j.wisniewski@razem.example.org",
        groups=(3,),
        place_and_date="Wrocław, 24.05.2024",
    )

    def mail(
        sender: str,
        subject: str,
        body: str,
        when: datetime,
        *attachments: tuple,
        headers: tuple = (),
    ) -> bytes:
        return email_with(
            sender,
            subject,
            body,
            to=CALL_ADDRESS,
            date=when - timedelta(seconds=40),
            attachments=attachments,
            headers=headers,
            received=when,
        )

    return [
        (
            "on time, complete (Word form, ticked ☒)",
            mail(
                "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
                "Zgłoszenie do grupy roboczej",
                "Dzień dobry,\nw załączeniu przesyłam formularz.\nAnna Kowalska",
                _at(14, 10, 32),
                ("formularz-Kowalska.docx", filled_docx(anna), DOCX),
            ),
        ),
        (
            "incomplete: no phone, no consent (ticked with X)",
            mail(
                "Grzegorz Zieliński <g.zielinski@laczynas.example.com>",
                "Formularz zgłoszeniowy",
                "W załączeniu formularz.",
                _at(20, 9, 5),
                ("zgloszenie.docx", filled_docx(grzegorz, tick="X"), DOCX),
            ),
        ),
        (
            "fillable PDF, filled on the computer",
            mail(
                "Piotr Nowak <p.nowak@boleslawiec.example.pl>",
                "Zgłoszenie – P. Nowak",
                "Dzień dobry, przesyłam zgłoszenie.",
                _at(23, 15, 47),
                ("formularz.pdf", filled_pdf(piotr), "application/pdf"),
            ),
        ),
        (
            "printed, signed and scanned",
            mail(
                "Tomasz Lewandowski <dyrektor@zaz-bystrzyca.example.pl>",
                "Skan formularza – nabór do grup roboczych",
                "W załączniku skan.",
                _at(21, 8, 12),
                ("skan_20240521.pdf", scanned_pdf(), "application/pdf"),
            ),
        ),
        (
            "attachment forgotten",
            mail(
                "Ewa Dąbrowska <ewa.dabrowska@podsniezka.example.pl>",
                "Zgłoszenie",
                "Dzień dobry, zgłaszam się do grupy nr 3.",
                _at(10, 12, 0),
            ),
        ),
        (
            "out-of-office answer (must not be answered)",
            mail(
                "Marek Kaczmarek <m.kaczmarek@gops.example.pl>",
                "Nieobecność: Nabór",
                "Jestem na urlopie do 27 maja.",
                _at(15, 7, 0),
                headers=(("Auto-Submitted", "auto-replied"),),
            ),
        ),
        (
            "late: 14 minutes after the deadline",
            mail(
                "Jan Wiśniewski <j.wisniewski@razem.example.org>",
                "Zgłoszenie",
                "Przepraszam za spóźnienie.",
                _at(25, 0, 14),
                ("formularz.docx", filled_docx(late), DOCX),
            ),
        ),
        (
            "corrected form from the incomplete applicant (replaces the first)",
            mail(
                "Grzegorz Zieliński <g.zielinski@laczynas.example.com>",
                "Re: Formularz zgłoszeniowy",
                "Przesyłam poprawiony formularz.",
                _at(22, 11, 30),
                (
                    "zgloszenie-poprawione.docx",
                    filled_docx(
                        replace(grzegorz, phone="74 852 11 00", consents_gdpr=True), tick="X"
                    ),
                    DOCX,
                ),
            ),
        ),
    ]


@dataclass(frozen=True)
class DemoResult:
    text: str  # what happened and where the files are
    config_path: Path


def _write_private(path: Path, text: str) -> None:
    """The digest names people: written readable by the owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def demo_login(config: Config) -> tuple[str, str | None]:
    """The demo's workspace login; its password when it was made now (shown once), else None."""
    with jobs.open_store(config) as store:
        if get_user(store, DEMO_LOGIN):
            return DEMO_LOGIN, None
        password = secrets.token_urlsafe(12)
        add_user(store, DEMO_LOGIN, password, "coordinator", actor="demo")
    return DEMO_LOGIN, password


def run_demo(
    workdir: Path | None = None, *, web: bool = False, port: int | None = None
) -> DemoResult:
    root = workdir or Path(tempfile.mkdtemp(prefix="mailbot-demo-"))
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    # the working groups as the call's form names them
    choice = parsers.DEFAULT_FORM.groups_field
    assert choice is not None, "the built-in form has its working groups"
    groups = "".join(
        f'\n[[call.groups]]\nnumber = {o.number}\nname = "{o.name}"\n' for o in choice.options
    )
    config_path = root / "config.toml"
    config_path.write_text(DEMO_CONFIG.format(groups=groups), encoding="utf-8")
    inbox_path = root / "inbox"
    box = mailbox.Maildir(inbox_path, create=True)
    examples = example_inbox()
    if len(box) == 0:
        for _description, raw in examples:
            box.add(raw)
    config = load_config(config_path)
    report = jobs.import_paths(config, [inbox_path])
    with jobs.open_store(config) as store:
        # the clock the letters were written by and the workspace runs on: the digest says
        # "now" as the workspace's Pulpit does, and the last check of the mailbox is not
        # later than the digest that reports it
        digest = build_digest(config, store)
        rows = reports.message_outcomes(store)
    _write_private(root / "digest.txt", f"Subject: {digest.subject}\n\n{digest.text}")
    _write_private(root / "digest.html", digest.html)
    lines = [f"mailbot demo — {len(examples)} example messages in {inbox_path}", ""]
    for r in rows:
        outcome = (
            STATUS_LABELS.get(r.status, r.status) if r.status else f"{r.disposition} ({r.reason})"
        )
        extra = " — zastąpione późniejszym" if r.superseded else ""
        lines.append(f"  {r.reference or '-':16} {r.sender or '-':40} {outcome}{extra}")
    lines += [
        "",
        f"pass: {report.summary()}",
        f"replies (.eml files): {root / 'outbox'}",
        f"digest: {root / 'digest.txt'} and {root / 'digest.html'}",
        f"database: {config.storage.database}",
        f"try: mailbot --config {config_path} export --format csv --excel",
        f"     mailbot demo --dir {root} --web  (the workspace in the browser)"
        if not web
        else f"workspace: http://{config.web.host}:{port or config.web.port}/",
    ]
    return DemoResult("\n".join(lines) + "\n", config_path)
