"""mailbot on a person's working inbox (real Dovecot, real aiosmtpd, real SQLite).

The mailbox holds old mail from 2023 and early 2024, colleagues' mail, an invoice and a
newsletter without list headers, a calendar invitation, questions, a thank-you in the thread of
a confirmation, a withdrawal, a forgotten attachment then the form, a secretariat with two
candidates (two e-mails, and one e-mail with two forms), the same form as DOCX + PDF, a late
correction after an on-time application, a scan after a machine-read form, a form through a
list alias, a form whose sender's domain failed DMARC, and mail after the deadline that
concerns the call and mail that does not. Only application attempts are answered.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from zoneinfo import ZoneInfo

import docx
import pytest
from integration.helpers import PASSWORD_ENV, write_config

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of

pytestmark = pytest.mark.integration

WARSAW = ZoneInfo("Europe/Warsaw")
CALL = "d.butryn@dops.wroc.pl"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def mail(
    sender: str,
    subject: str,
    body: str,
    mid: str,
    *,
    attachments: tuple = (),
    headers: tuple = (),
    when: datetime | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = CALL
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when or datetime(2024, 5, 10, tzinfo=UTC))
    msg["Message-ID"] = mid
    for name, value in headers:
        msg[name] = value
    msg.set_content(body)
    for filename, data, mime_type in attachments:
        maintype, subtype = mime_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


def invoice_docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Faktura VAT nr 12/05/2024")
    document.add_paragraph("Hotel Panorama Wrocław – nocleg 2 doby: 560,00 zł")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def invitation() -> bytes:
    msg = EmailMessage()
    msg["From"] = "Dyrektor <dyrektor@dops.wroc.pl>"
    msg["To"] = CALL
    msg["Subject"] = "Zaproszenie: Narada kierowników @ pon. 13 maja 2024 10:00"
    msg["Date"] = "Thu, 9 May 2024 08:00:00 +0200"
    msg["Message-ID"] = "<invite-1@dops.wroc.pl>"
    msg.set_content("Zapraszam na naradę kierowników, sala 12.")
    ics = (
        "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:Narada\r\n"
        "DTSTART:20240513T080000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    msg.add_alternative(ics, subtype="calendar", params={"method": "REQUEST"})
    msg.add_attachment(ics.encode(), maintype="application", subtype="ics", filename="invite.ics")
    return msg.as_bytes()


def at(month: int, day: int, hour: int = 10, year: int = 2024) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=WARSAW)


ANNA = samples.Applicant()
PIOTR = samples.Applicant(
    full_name="Piotr Nowak",
    email="p.nowak@boleslawiec.example.pl",
    organisation="Gmina Bolesławiec",
    groups=(2,),
)
EWA = samples.Applicant(
    full_name="Ewa Dąbrowska",
    email="ewa@podsniezka.example.pl",
    organisation="Fundacja Pod Śnieżką",
    groups=(3,),
)
KAND_A = samples.Applicant(
    full_name="Adam Ares", email="a.ares@gops.example.pl", organisation="GOPS Oława", groups=(1,)
)
KAND_B = samples.Applicant(
    full_name="Beata Bors", email="b.bors@gops.example.pl", organisation="GOPS Oława", groups=(2,)
)
KAND_C = samples.Applicant(
    full_name="Cezary Cis", email="c.cis@gops.example.pl", organisation="GOPS Oława", groups=(3,)
)
KAND_D = samples.Applicant(
    full_name="Dorota Dąb", email="d.dab@gops.example.pl", organisation="GOPS Oława", groups=(5,)
)
GRZEGORZ = samples.Applicant(
    full_name="Grzegorz Zieliński",
    email="g.z@laczynas.example.com",
    organisation="Spółdzielnia Socjalna Łączy Nas",
    groups=(1, 4),
)
TOMASZ = samples.Applicant(
    full_name="Tomasz Lewandowski",
    email="t.lew@zaz.example.pl",
    organisation="ZAZ Bystrzyca",
    groups=(4,),
)
JAN = samples.Applicant(
    full_name="Jan Wiśniewski",
    email="j.wisniewski@razem.example.org",
    organisation="Stowarzyszenie Razem",
    groups=(3,),
)
MARTA = samples.Applicant(
    full_name="Marta Kos", email="m.kos@kos.example.pl", organisation="Fundacja Kos", groups=(2,)
)
OLGA = samples.Applicant(
    full_name="Olga Fałsz", email="olga@spoofed.example.com", organisation="Fundacja X", groups=(2,)
)

SEKRETARIAT = "Sekretariat GOPS <sekretariat@gops.example.pl>"


def form(applicant: samples.Applicant, name: str = "formularz.docx") -> tuple:
    return (name, samples.filled_docx(applicant), DOCX)


def pdf(applicant: samples.Applicant, name: str = "formularz.pdf") -> tuple:
    return (name, samples.filled_pdf(applicant), "application/pdf")


# (key, message, INTERNALDATE, expected disposition, expected status or None)
MAILBOX = [
    # --- history: before imap.since (14 days before the call opens): never fetched ---
    (
        "urlop",
        mail(
            "Kasia <k.nowak@dops.wroc.pl>",
            "Urlop w sierpniu",
            "Cześć, biorę urlop 5–16 sierpnia, zastąpisz mnie?",
            "<old-1@dops>",
        ),
        at(7, 10, year=2023),
        None,
        None,
    ),
    (
        "swieta",
        mail(
            "Dyrektor <dyrektor@dops.wroc.pl>",
            "Życzenia świąteczne",
            "Wesołych Świąt i szczęśliwego Nowego Roku!",
            "<old-2@dops>",
        ),
        at(12, 20, year=2023),
        None,
        None,
    ),
    (
        "haslo",
        mail(
            "Helpdesk <helpdesk@dops.wroc.pl>",
            "Zmiana hasła",
            "Twoje hasło wygaśnie za 7 dni. Zmień je w portalu.",
            "<old-3@dops>",
        ),
        at(1, 15),
        None,
        None,
    ),
    (
        "faktura_old",
        mail(
            "Hotel Panorama <recepcja@panorama.example.pl>",
            "Faktura 12/02/2024",
            "W załączeniu faktura za pobyt.",
            "<old-4@panorama>",
            attachments=(("FV_12_02_2024.docx", invoice_docx(), DOCX),),
        ),
        at(2, 12),
        None,
        None,
    ),
    # --- during the call ---
    (
        "anna",
        mail(
            "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            "Zgłoszenie",
            "Dzień dobry, w załączeniu przesyłam formularz.",
            "<anna-1@cis>",
            attachments=(form(ANNA),),
        ),
        at(5, 7),
        "application",
        "accepted",
    ),
    (
        "ewa_noatt",
        mail(
            "Ewa <ewa@podsniezka.example.pl>",
            "Zgłoszenie do naboru",
            "Dzień dobry, w załączeniu przesyłam formularz zgłoszeniowy.",
            "<ewa-1@pod>",
        ),
        at(5, 8),
        "application",
        "no_form",
    ),
    (
        "ewa_form",
        mail(
            "Ewa <ewa@podsniezka.example.pl>",
            "Zgłoszenie do naboru – z załącznikiem",
            "Przepraszam, teraz z załącznikiem.",
            "<ewa-2@pod>",
            attachments=(form(EWA),),
        ),
        at(5, 8, 11),
        "application",
        "accepted",
    ),
    ("invite", invitation(), at(5, 9), "unrelated", None),
    (
        "piotr",
        mail(
            "Piotr Nowak <p.nowak@boleslawiec.example.pl>",
            "formularz",
            "W załączeniu.",
            "<piotr-1@bol>",
            attachments=(pdf(PIOTR),),
        ),
        at(5, 9, 12),
        "application",
        "accepted",
    ),
    (
        "obiad",
        mail("Kasia <k.nowak@dops.wroc.pl>", "Obiad o 13?", "Idziemy?", "<obiad@dops>"),
        at(5, 10),
        "unrelated",
        None,
    ),
    (
        "newsletter",
        mail(
            "Sklep Biurowy <sklep@biuro.example.pl>",
            "Rabaty tygodnia",
            "Papier A4 taniej o 20%! Sprawdź ofertę.",
            "<news-1@biuro>",
        ),
        at(5, 10, 11),
        "unrelated",
        None,
    ),
    (
        "question",
        mail(
            "Halina <h.zet@fundacja.example.pl>",
            "Pytanie o nabór",
            "Dzień dobry, czy można zgłosić się do dwóch grup roboczych?",
            "<q-1@fund>",
        ),
        at(5, 10, 12),
        "correspondence",
        None,
    ),
    (
        "sekr_a",
        mail(
            SEKRETARIAT,
            "Zgłoszenie – Adam Ares",
            "Przesyłam zgłoszenie kandydata.",
            "<sekr-1@gops>",
            attachments=(form(KAND_A, "ares.docx"),),
        ),
        at(5, 13),
        "application",
        "accepted",
    ),
    (
        "sekr_b",
        mail(
            SEKRETARIAT,
            "Zgłoszenie – Beata Bors",
            "Przesyłam zgłoszenie kandydatki.",
            "<sekr-2@gops>",
            attachments=(form(KAND_B, "bors.docx"),),
        ),
        at(5, 13, 11),
        "application",
        "accepted",
    ),
    (
        "sekr_cd",
        mail(
            SEKRETARIAT,
            "Zgłoszenia – C. Cis, D. Dąb",
            "Przesyłam dwa zgłoszenia.",
            "<sekr-3@gops>",
            attachments=(form(KAND_C, "cis.docx"), form(KAND_D, "dab.docx")),
        ),
        at(5, 13, 12),
        "application",
        "accepted",
    ),
    (
        "grzegorz",
        mail(
            "Grzegorz <g.z@laczynas.example.com>",
            "Formularz – DOCX i PDF",
            "Formularz w dwóch formatach.",
            "<grz-1@ln>",
            attachments=(form(GRZEGORZ), pdf(GRZEGORZ)),
        ),
        at(5, 14),
        "application",
        "accepted",
    ),
    # office mail using the call's everyday words: another purpose named outweighs them
    (
        "szkolenie",
        mail(
            "Ośrodek Wsparcia ES <biuro@owes.example.pl>",
            "Szkolenie: ekonomia społeczna w praktyce",
            "Zapraszamy na szkolenie. W załączeniu przesyłamy formularz zgłoszeniowy na szkolenie.",
            "<owes-1@owes>",
            attachments=(("formularz_szkolenie.docx", invoice_docx(), DOCX),),
        ),
        at(5, 14, 9),
        "unrelated",
        None,
    ),
    (
        "serwis",
        mail(
            "IT <it@dops.wroc.pl>",
            "Zgłoszenie serwisowe nr 4411",
            "Zgłoszenie serwisowe w załączeniu, drukarka w pokoju 12.",
            "<it-1@dops>",
            attachments=(("zgloszenie_4411.pdf", samples.scanned_pdf(), "application/pdf"),),
        ),
        at(5, 14, 10),
        "unrelated",
        None,
    ),
    (
        "faktura",
        mail(
            "Hotel Panorama <recepcja@panorama.example.pl>",
            "Faktura 13/05/2024",
            "W załączeniu faktura za nocleg.",
            "<fv-2@panorama>",
            attachments=(("FV_13_05_2024.docx", invoice_docx(), DOCX),),
        ),
        at(5, 14, 11),
        "unrelated",
        None,
    ),
    (
        "tomasz",
        mail(
            "Tomasz <t.lew@zaz.example.pl>",
            "Zgłoszenie ZAZ",
            "W załączeniu.",
            "<tom-1@zaz>",
            attachments=(form(TOMASZ),),
        ),
        at(5, 15),
        "application",
        "accepted",
    ),
    (
        "tomasz_scan",
        mail(
            "Tomasz <t.lew@zaz.example.pl>",
            "skan podpisanego formularza",
            "Przesyłam jeszcze skan z podpisem.",
            "<tom-2@zaz>",
            attachments=(("skan.pdf", samples.scanned_pdf(), "application/pdf"),),
        ),
        at(5, 16),
        "application",
        "needs_review",
    ),
    (
        "list_alias",
        mail(
            "Jan Wiśniewski <j.wisniewski@razem.example.org>",
            "[zarzad] Zgłoszenie stowarzyszenia",
            "Przesyłam zgłoszenie.",
            "<jan-1@razem>",
            attachments=(form(JAN),),
            headers=(
                ("List-Id", "<zarzad.razem.example.org>"),
                ("Precedence", "list"),
                ("X-Auto-Response-Suppress", "All"),
            ),
        ),
        at(5, 17),
        "application",
        "accepted",
    ),
    (
        "dmarc",
        mail(
            "Olga <olga@spoofed.example.com>",
            "Zgłoszenie",
            "W załączeniu formularz.",
            "<olga-1@spoofed>",
            attachments=(form(OLGA),),
            headers=(
                (
                    "Authentication-Results",
                    "mx.dops.wroc.pl; dmarc=fail (p=reject) header.from=spoofed."
                    "example.com; spf=fail smtp.mailfrom=spoofed.example.com",
                ),
            ),
        ),
        at(5, 17, 11),
        "application",
        "accepted",
    ),
    (
        "withdraw",
        mail(
            "Piotr Nowak <p.nowak@boleslawiec.example.pl>",
            "Rezygnacja",
            "Dzień dobry, niestety rezygnuję z udziału w naborze.",
            "<piotr-2@bol>",
        ),
        at(5, 20),
        "correspondence",
        None,
    ),
    (
        "anna_notes",
        mail(
            "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            "Uwagi",
            "Dodatkowo do mojego zgłoszenia: prowadzę też warsztaty.",
            "<anna-2@cis>",
        ),
        at(5, 21),
        "correspondence",
        None,
    ),
    (
        "ooo",
        mail(
            "Marek <marek@gops.example.pl>",
            "Nieobecność",
            "Jestem na urlopie.",
            "<ooo@gops>",
            headers=(("Auto-Submitted", "auto-replied"),),
        ),
        at(5, 22),
        "ignored",
        None,
    ),
    # --- after the deadline ---
    (
        "anna_late",
        mail(
            "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            "Poprawiony formularz",
            "Przesyłam poprawiony formularz.",
            "<anna-3@cis>",
            attachments=(form(replace(ANNA, position="Dyrektorka CIS")),),
        ),
        at(5, 25, 9),
        "application",
        "late",
    ),
    (
        "marta_late",
        mail(
            "Marta Kos <m.kos@kos.example.pl>",
            "Zgłoszenie",
            "W załączeniu.",
            "<marta-1@kos>",
            attachments=(form(MARTA),),
        ),
        at(5, 26),
        "application",
        "late",
    ),
    (
        "question_late",
        mail(
            "Halina <h.zet@fundacja.example.pl>",
            "Wyniki naboru?",
            "Kiedy będą wyniki naboru do grup roboczych?",
            "<q-2@fund>",
        ),
        at(6, 3),
        "correspondence",
        None,
    ),
    (
        "urlop_late",
        mail(
            "Kasia <k.nowak@dops.wroc.pl>",
            "Grafik urlopów",
            "Uzupełnij proszę grafik na lipiec.",
            "<grafik@dops>",
        ),
        at(6, 4),
        "unrelated",
        None,
    ),
    (
        "wishes",
        mail(
            "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            "Szczęśliwego Nowego Roku",
            "Wszystkiego dobrego w 2025 roku!",
            "<anna-4@cis>",
        ),
        at(1, 2, year=2025),
        "unrelated",
        None,
    ),
]

# (key, template of the reply that must reach SMTP, recipient)
DESERVED = [
    ("anna", "accepted"),
    ("ewa_noatt", "no_form"),
    ("ewa_form", "accepted"),
    ("piotr", "accepted"),
    ("sekr_a", "accepted"),
    ("sekr_b", "accepted"),
    ("sekr_cd", "accepted"),
    ("sekr_cd", "accepted"),
    ("grzegorz", "accepted"),
    ("tomasz", "accepted"),
    ("tomasz_scan", "needs_review"),
    ("anna_late", "late"),
    ("marta_late", "late"),
]


@pytest.fixture
def config(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))


def exported(config) -> dict:
    with jobs.open_store(config) as store:
        return json.loads(export_json(store, WARSAW))


def sender_of(key: str) -> str:
    raw = next(m for k, m, *_ in MAILBOX if k == key)
    line = next(x for x in raw.decode("utf-8", "replace").splitlines() if x.startswith("From:"))
    return line.split("<")[-1].rstrip(">").strip().lower()


def mid_of(key: str) -> str:
    raw = next(m for k, m, *_ in MAILBOX if k == key)
    line = next(
        x
        for x in raw.decode("utf-8", "replace").splitlines()
        if x.lower().startswith("message-id:")
    )
    return line.split(":", 1)[1].strip()


def test_working_mailbox(dovecot, imap_user, smtp_sink, config):
    for _key, raw, when, _d, _s in MAILBOX:
        dovecot.append(imap_user, raw, internaldate=when)
    before = dovecot.fetch_flags(imap_user)

    first = jobs.poll(config)
    assert first.ok, first.problem()
    fetched = [m for m in MAILBOX if m[3] is not None]
    assert first.messages.processed == len(fetched)

    # the thank-you comes in the thread of Anna's confirmation, and a reply quoting her number
    sent = smtp_sink.wait_for(len(DESERVED))
    confirmation = next(
        r
        for r in sent
        if r.rcpt_tos == ["a.kowalska@cis-olawa.example.pl"]
        and kind_of(r.message["X-Mailbot-Reply"]) == "accepted"
    )
    anna_ref = confirmation.message["Subject"].split("DKRES-2024-")[1][:4]
    thanks = mail(
        "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
        "Re: " + confirmation.message["Subject"],
        "Bardzo dziękuję za potwierdzenie!\n\nW dniu 7.05.2024 Nabór DKRES pisze:\n"
        "> Otrzymaliśmy Pani zgłoszenie. W załączeniu przesyłam formularz.\n",
        "<anna-thanks@cis>",
        headers=(
            ("In-Reply-To", confirmation.message["Message-ID"]),
            ("References", confirmation.message["Message-ID"]),
        ),
    )
    by_number = mail(
        "Ewa <ewa@podsniezka.example.pl>",
        "Pytanie DKRES-2024-0003",
        "Czy mój formularz jest już sprawdzony?",
        "<ewa-3@pod>",
    )
    dovecot.append(imap_user, thanks, internaldate=at(5, 7, 15))
    dovecot.append(imap_user, by_number, internaldate=at(5, 11))
    second = jobs.poll(config)
    assert second.ok and second.messages.processed == 2

    data = exported(config)
    msgs = {m["message_id"]: m for m in data["messages"]}
    apps = data["applications"]
    misjudged = []
    for key, _raw, _when, disposition, _status in MAILBOX:
        if disposition is None:  # before imap.since: not fetched, nothing stored
            assert mid_of(key) not in msgs, key
            continue
        got = msgs[mid_of(key)]["disposition"]
        if got != disposition:
            misjudged.append((key, disposition, got))
    assert misjudged == []
    assert msgs["<anna-thanks@cis>"]["disposition"] == "correspondence"
    assert msgs["<ewa-3@pod>"]["disposition"] == "correspondence"

    # statuses; one application per applicant form; live / superseded
    by_mid: dict[str, list[dict]] = {}
    for a in apps:
        by_mid.setdefault(a["message_id"], []).append(a)
    for key, _raw, _when, disposition, status in MAILBOX:
        found = by_mid.get(mid_of(key), [])
        if disposition != "application":
            assert found == [], key
            continue
        assert {a["status"] for a in found} == {status}, key
    assert len(by_mid["<sekr-3@gops>"]) == 2  # two candidates' forms in one e-mail
    assert len(by_mid["<grz-1@ln>"]) == 1  # the same form as DOCX and PDF
    live = {(a["fields"]["email"] or a["sender"]) for a in apps if not a["superseded"]}
    assert live == {
        ANNA.email,
        EWA.email,
        PIOTR.email,
        KAND_A.email,
        KAND_B.email,
        KAND_C.email,
        KAND_D.email,
        GRZEGORZ.email,
        TOMASZ.email,
        JAN.email,
        OLGA.email,
        MARTA.email,
    }
    superseded = {a["message_id"]: a for a in apps if a["superseded"]}
    assert set(superseded) == {"<ewa-1@pod>", "<tom-2@zaz>", "<anna-3@cis>"}
    live_by_mid = {a["message_id"] for a in apps if not a["superseded"]}
    assert {"<anna-1@cis>", "<tom-1@zaz>", "<ewa-2@pod>", "<piotr-1@bol>"} <= live_by_mid

    # numbering: applications only, in order of receipt, from 0001
    ordered = sorted(apps, key=lambda a: (a["received_at"], a["reference"]))
    assert [a["reference"] for a in ordered] == [
        f"DKRES-2024-{n:04d}" for n in range(1, len(apps) + 1)
    ]
    assert by_mid["<anna-1@cis>"][0]["reference"] == f"DKRES-2024-{anna_ref}"

    # replies: exactly the deserved ones reached SMTP, and nothing else
    received = smtp_sink.messages
    got = sorted((r.rcpt_tos[0].lower(), kind_of(r.message["X-Mailbot-Reply"])) for r in received)
    want = sorted((sender_of(k), t) for k, t in DESERVED)
    assert got == want
    for m in data["messages"]:
        if m["disposition"] != "application":
            assert m["replied"] is False, m
    withheld = {a["message_id"]: a for a in apps if a.get("reply_withheld")}
    assert set(withheld) == {"<jan-1@razem>", "<olga-1@spoofed>"}
    assert "List-Id" in withheld["<jan-1@razem>"]["reply_withheld"]
    assert "dmarc=fail" in withheld["<olga-1@spoofed>"]["reply_withheld"]

    # unrelated mail keeps no body and no files
    with jobs.open_store(config) as store:
        rows = store.db.execute(
            "SELECT m.raw_file, (SELECT count(*) FROM attachments t WHERE t.message_pk = m.id) "
            "FROM messages m WHERE m.disposition = 'unrelated'"
        ).fetchall()
        assert rows and all(r == (None, 0) for r in rows)
        corr = store.db.execute(
            "SELECT excerpt FROM messages WHERE message_id = ?", ["<q-1@fund>"]
        ).fetchone()[0]
        assert "dwóch grup roboczych" in corr

    # the digest lists correspondence, unconfirmed applications and counts unrelated mail
    from mailbot.ops.digest import build_digest

    with jobs.open_store(config) as store:
        text = build_digest(config, store).text
    assert "Pytanie o nabór" in text and "Rezygnacja" in text
    assert "potwierdzenie nie zostało wysłane" in text and "List-Id" in text
    assert "niezwiązane z naborem: 8" in text

    # the mailbox is untouched and a further poll does nothing
    after = dovecot.fetch_flags(imap_user)
    assert len(after) == len(MAILBOX) + 2
    assert {uid: after[uid] for uid in before} == before
    assert not any(b"\\Seen" in f for f in after.values())
    again = jobs.poll(config)
    assert again.ok and again.messages.processed == 0
    assert again.replies is not None and again.replies.sent == 0
    assert len(smtp_sink.messages) == len(DESERVED)
