"""mailbot end to end against a real Dovecot (IMAP, STARTTLS verified) and a real aiosmtpd.

Mail in the shapes real clients send, appended with explicit INTERNALDATEs; `mailbot poll`
run twice; statuses, fields and the replies that reached the SMTP server asserted.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import load_config
from mailbot.ops import jobs, samples
from mailbot.ops.export import export_json
from mailbot.stamp import kind_of

from .helpers import PASSWORD_ENV, write_config

pytestmark = pytest.mark.integration

WARSAW = ZoneInfo("Europe/Warsaw")
SHARED = Path(__file__).resolve().parents[1] / "fixtures" / "forms" / "samples"  # published
CALL = "d.butryn@dops.wroc.pl"


def sample(name: str) -> bytes:
    path = SHARED / name
    if not path.exists():
        pytest.skip(f"shared samples not found at {SHARED}")
    return path.read_bytes()


def expected(name: str) -> dict:
    data = json.loads((SHARED / name).read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if k not in ("expect", "file")}


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode("ascii")


def fold(fields: dict) -> dict:
    out = {}
    for key, value in fields.items():
        if isinstance(value, str):
            value = " ".join(value.replace("\n", ", ").replace(",,", ",").split())
        out[key] = value
    return out


def thunderbird(docx: bytes) -> bytes:
    return (
        "Message-ID: <5f1c2a9e-tb@cis-olawa.example.pl>\r\n"
        "Date: Tue, 14 May 2024 10:31:12 +0200\r\nMIME-Version: 1.0\r\n"
        "User-Agent: Mozilla Thunderbird\r\nContent-Language: pl\r\n"
        f"To: {CALL}\r\nFrom: Anna Kowalska <a.kowalska@cis-olawa.example.pl>\r\n"
        "Subject: =?UTF-8?Q?Zg=C5=82oszenie_do_grupy_roboczej?=\r\n"
        'Content-Type: multipart/mixed; boundary="------------tb0123"\r\n\r\n'
        "This is a multi-part message in MIME format.\r\n--------------tb0123\r\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\nDzień dobry,\r\nprzesyłam formularz.\r\n\r\n"
        "--------------tb0123\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;"
        '\r\n name="formularz-Kowalska.docx"\r\n'
        'Content-Disposition: attachment; filename="formularz-Kowalska.docx"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(docx) + "\r\n--------------tb0123--\r\n"
    ).encode("utf-8")


def outlook_cp1250(docx: bytes) -> bytes:
    body = "Dzień dobry,\r\nw załączeniu zgłoszenie spółdzielni.\r\nŁączę pozdrowienia"
    return (
        b"From: =?windows-1250?Q?Grzegorz_Zieli=F1ski?= <G.Zielinski@laczynas.example.com>\r\n"
        + f'To: "Nabór DKRES" <{CALL}>\r\n'.encode()
        + b"Subject: =?windows-1250?Q?Zg=B3oszenie_sp=F3=B3dzielni?=\r\n"
        b"Date: Mon, 20 May 2024 09:05:00 +0000\r\n"
        b"Message-ID: <AM0PR07MB1234@eurprd07.prod.outlook.com>\r\n"
        b"X-MS-Has-Attach: yes\r\nContent-Language: pl-PL\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="_004_AM0PR07_"\r\n\r\n'
        b"--_004_AM0PR07_\r\n"
        b'Content-Type: multipart/alternative; boundary="_000_AM0PR07_"\r\n\r\n'
        b'--_000_AM0PR07_\r\nContent-Type: text/plain; charset="windows-1250"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + body.encode("windows-1250") + b"\r\n\r\n"
        b'--_000_AM0PR07_\r\nContent-Type: text/html; charset="windows-1250"\r\n'
        b"Content-Transfer-Encoding: 8bit\r\n\r\n<html><body><p>"
        + body.encode("windows-1250")
        + b"</p></body></html>\r\n--_000_AM0PR07_--\r\n\r\n"
        b"--_004_AM0PR07_\r\n"
        b"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;"
        b"\r\n\tname*=windows-1250''Zg%B3oszenie%20%A3%B9czy%20Nas.docx\r\n"
        b"Content-Description: =?windows-1250?Q?Zg=B3oszenie_=A3=B9czy_Nas.docx?=\r\n"
        b"Content-Disposition: attachment;\r\n"
        b"\tfilename*=windows-1250''Zg%B3oszenie%20%A3%B9czy%20Nas.docx; size=38784\r\n"
        b"Content-Transfer-Encoding: base64\r\n\r\n"
        + b64(docx).encode()
        + b"\r\n--_004_AM0PR07_--\r\n"
    )


def apple_mail_inline(pdf: bytes) -> bytes:
    return (
        "From: =?utf-8?Q?Ewa_D=C4=85browska?= <ewa.dabrowska@podsniezka.example.pl>\r\n"
        'Content-Type: multipart/mixed; boundary="Apple-Mail=_8F2A"\r\n'
        "Mime-Version: 1.0 (Mac OS X Mail 16.0)\r\n"
        "Subject: =?utf-8?Q?Formularz_zg=C5=82oszeniowy?=\r\n"
        "Date: Fri, 10 May 2024 12:00:00 +0200\r\n"
        f"To: {CALL}\r\nMessage-Id: <1B2C3D4E-APPLE@podsniezka.example.pl>\r\n\r\n"
        "--Apple-Mail=_8F2A\r\nContent-Transfer-Encoding: 7bit\r\n"
        "Content-Type: text/plain;\r\n\tcharset=us-ascii\r\n\r\nW zalaczeniu.\r\n\r\n"
        "--Apple-Mail=_8F2A\r\nContent-Disposition: inline;\r\n\tfilename=formularz.pdf\r\n"
        'Content-Type: application/pdf;\r\n\tx-unix-mode=0644;\r\n\tname="formularz.pdf"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(pdf) + "\r\n--Apple-Mail=_8F2A--\r\n"
    ).encode()


def forwarded(inner: bytes) -> bytes:
    return (
        b"From: Sekretariat GOPS <sekretariat@gops-olawa.example.pl>\r\n"
        + f"To: {CALL}\r\n".encode()
        + b"Subject: Fwd: Zgloszenie\r\nDate: Thu, 16 May 2024 08:00:00 +0200\r\n"
        b"Message-ID: <fwd-1@gops-olawa.example.pl>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="FWD"\r\n\r\n--FWD\r\n'
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nPrzekazuje zgloszenie pani Anny.\r\n"
        b"--FWD\r\nContent-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"
        + inner
        + b"\r\n--FWD--\r\n"
    )


def html_only(pdf: bytes) -> bytes:
    return (
        "From: Piotr Nowak <p.nowak@boleslawiec.example.pl>\r\n"
        f"To: {CALL}\r\nSubject: zgloszenie\r\nDate: Thu, 23 May 2024 15:47:00 +0200\r\n"
        "Message-ID: <html-only-1@boleslawiec.example.pl>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="H"\r\n\r\n--H\r\n'
        "Content-Type: text/html; charset=utf-8\r\n\r\n<p>Dzie&#324; dobry</p>\r\n--H\r\n"
        'Content-Type: application/octet-stream; name="dokument"\r\n'
        'Content-Disposition: attachment; filename="dokument"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(pdf) + "\r\n--H--\r\n"
    ).encode()


def plain(
    sender: str,
    subject: str,
    msgid: str,
    extra_headers: str = "",
    body: str = "x",
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    head = (
        f"From: {sender}\r\nTo: {CALL}\r\nSubject: {subject}\r\n"
        f"Date: Wed, 15 May 2024 07:00:00 +0200\r\nMessage-ID: {msgid}\r\n{extra_headers}"
        "MIME-Version: 1.0\r\n"
    )
    if attachment is None:
        return (head + "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n").encode()
    name, data = attachment
    return (
        head + 'Content-Type: multipart/mixed; boundary="P"\r\n\r\n--P\r\n'
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n--P\r\n"
        f'Content-Type: application/octet-stream; name="{name}"\r\n'
        f'Content-Disposition: attachment; filename="{name}"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n" + b64(data) + "\r\n--P--\r\n"
    ).encode()


def bounce() -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.dops.wroc.pl>\r\n"
        f"To: {CALL}\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        "Date: Wed, 15 May 2024 07:01:00 +0200\r\nMessage-ID: <bounce-1@mx.dops.wroc.pl>\r\n"
        "Auto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="R"\r\n\r\n'
        "--R\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n--R\r\n"
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx\r\n\r\n"
        "Final-Recipient: rfc822; nobody@example.pl\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "--R--\r\n"
    ).encode()


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, 5, day, hour, minute, tzinfo=WARSAW)


@pytest.fixture
def mailbox_env(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)
    return load_config(path), path


def test_realistic_mailbox_polled_twice(dovecot, imap_user, smtp_sink, mailbox_env):
    config, _ = mailbox_env
    s01, s02 = sample("s01-docx-ticked.docx"), sample("s02-docx-x-two-groups.docx")
    s03, s04 = sample("s03-pdf-from-word.pdf"), sample("s04-pdf-fillable.pdf")
    s05, s06 = sample("s05-docx-no-consent.docx"), sample("s06-pdf-scan.pdf")
    corrected = samples.filled_docx(
        samples.Applicant(
            full_name="Małgorzata Wójcik-Żak",
            email="m.wojcik.zak@otwartedrzwi.example.org",
            organisation="Warsztat Terapii Zajęciowej",
            organisation_type="WTZ",
            position="Terapeutka",
            address="Rynek 3, 59-220 Legnica",
            phone="600100200",
        )
    )
    deliveries = [
        ("thunderbird", thunderbird(s01), at(14, 10, 31)),
        ("outlook", outlook_cp1250(s02), at(20, 11, 5)),
        ("apple", apple_mail_inline(s04), at(10, 12, 0)),
        ("forward", forwarded(thunderbird(s01).replace(b"5f1c2a9e-tb", b"orig-fwd")), at(16, 8, 0)),
        ("html", html_only(s03), at(23, 15, 47)),
        # a scan is an application when it is named or described as the form; nothing in it
        # names this call's form, so a person confirms it (no letter)
        (
            "scan",
            plain(
                "Tomasz <dyrektor@zaz-bystrzyca.example.pl>",
                "skan formularza",
                "<scan-1@zaz>",
                attachment=("skan.pdf", s06),
            ),
            at(21, 8, 12),
        ),
        (
            "no_consent",
            plain(
                "Małgorzata <m.wojcik.zak@otwartedrzwi.example.org>",
                "formularz",
                "<wtz-1@otwartedrzwi>",
                attachment=("f.docx", s05),
            ),
            at(7, 9, 0),
        ),
        (
            "resubmission",
            plain(
                "Małgorzata <m.wojcik.zak@otwartedrzwi.example.org>",
                "poprawiony",
                "<wtz-2@otwartedrzwi>",
                attachment=("f2.docx", corrected),
            ),
            at(8, 9, 0),
        ),
        (
            "no_attachment",
            plain(
                "Jan <jan.kowal@example.pl>",
                "Zgłoszenie",
                "<noatt@ex>",
                body="Zgłaszam się do grupy 3.",
            ),
            at(12, 9, 0),
        ),
        (
            "ooo",
            plain(
                "Marek <marek@gops.example.pl>",
                "Nieobecność",
                "<ooo@gops>",
                "Auto-Submitted: auto-replied\r\nX-Auto-Response-Suppress: All\r\n",
            ),
            at(15, 7, 0),
        ),
        ("bounce", bounce(), at(15, 7, 1)),
        (
            "list",
            plain(
                "Lista <ekonomia-spoleczna@lists.example.org>",
                "[PES] Newsletter",
                "<list-1@lists>",
                "List-Id: <pes.lists.example.org>\r\nPrecedence: list\r\n",
            ),
            at(15, 7, 2),
        ),
        # 00:05 on 25 May in Warsaw is 22:05 on 24 May in UTC: late
        (
            "late",
            plain(
                "Jan Wiśniewski <j.wisniewski@razem.example.org>",
                "Zgłoszenie",
                "<late-1@razem>",
                attachment=(
                    "f.docx",
                    samples.filled_docx(samples.Applicant(email="j.wisniewski@razem.example.org")),
                ),
            ),
            datetime(2024, 5, 24, 22, 5, tzinfo=UTC),
        ),
    ]
    uids = {}
    for name, raw, when in deliveries:
        uids[name] = dovecot.append(imap_user, raw, internaldate=when)
    # the same message delivered twice (as an MTA does, e.g. to an alias and to the box)
    dovecot.append(imap_user, thunderbird(s01), internaldate=at(14, 10, 31))

    report = jobs.poll(config)
    assert report.ok, report.problem()
    assert report.messages.processed == len(deliveries) + 1

    with jobs.open_store(config) as store:
        data = json.loads(export_json(store, WARSAW))
    by_mid = {a["message_id"]: a for a in data["applications"]}
    msgs = {m["message_id"]: m for m in data["messages"]}

    tb = by_mid["<5f1c2a9e-tb@cis-olawa.example.pl>"]
    assert tb["status"] == "accepted" and tb["problems"] == []
    assert fold(tb["fields"]) == fold(expected("s01-docx-ticked.json"))
    assert tb["attachment"] == "formularz-Kowalska.docx"
    assert tb["received_at"] == "2024-05-14T10:31:00+02:00"

    ol = by_mid["<AM0PR07MB1234@eurprd07.prod.outlook.com>"]
    assert ol["status"] == "accepted"
    assert ol["attachment"] == "Zgłoszenie Łączy Nas.docx"
    assert fold(ol["fields"]) == fold(expected("s02-docx-x-two-groups.json"))
    assert ol["sender"] == "G.Zielinski@laczynas.example.com"

    apple = by_mid["<1B2C3D4E-APPLE@podsniezka.example.pl>"]
    assert apple["status"] == "accepted"
    assert fold(apple["fields"]) == fold(expected("s04-pdf-fillable.json"))

    fwd = by_mid["<fwd-1@gops-olawa.example.pl>"]
    assert fwd["status"] == "accepted" and fwd["fields"]["full_name"] == "Anna Kowalska"

    html = by_mid["<html-only-1@boleslawiec.example.pl>"]
    assert html["status"] == "accepted"
    assert fold(html["fields"]) == fold(expected("s03-pdf-from-word.json"))

    scan = by_mid["<scan-1@zaz>"]
    assert scan["status"] == "needs_review"
    assert all(v in (None, [], False) for v in scan["fields"].values())
    assert "nie ma pewności" in scan["reply_withheld"]

    first, second = by_mid["<wtz-1@otwartedrzwi>"], by_mid["<wtz-2@otwartedrzwi>"]
    assert first["status"] == "incomplete" and first["problems"] == ["missing_consents_gdpr"]
    assert (first["superseded"], second["superseded"]) == (True, False)
    assert second["status"] == "accepted"

    assert by_mid["<noatt@ex>"]["status"] == "no_form"
    assert by_mid["<late-1@razem>"]["status"] == "late"
    assert by_mid["<late-1@razem>"]["received_at"] == "2024-05-25T00:05:00+02:00"

    for mid in ("<ooo@gops>", "<bounce-1@mx.dops.wroc.pl>"):
        assert msgs[mid]["disposition"] == "ignored", mid
        assert msgs[mid]["replied"] is False
    # list mail is read (List-Id stops the reply, not the reading); this one is not the call's
    assert msgs["<list-1@lists>"]["disposition"] == "unrelated"
    assert msgs["<list-1@lists>"]["replied"] is False
    dispositions = sorted(m["disposition"] for m in data["messages"])
    assert dispositions.count("duplicate") == 1

    # exactly one reply per message that deserves one, each to its sender
    deserving = {a["sender"].lower() for a in data["applications"] if not a["reply_withheld"]}
    received = smtp_sink.wait_for(9)
    assert len(received) == 9
    assert {r.rcpt_tos[0].lower() for r in received} == deserving
    templates = sorted(kind_of(r.message["X-Mailbot-Reply"]) for r in received)
    assert templates == sorted(["accepted"] * 6 + ["incomplete", "no_form", "late"])
    for r in received:
        assert r.message["Auto-Submitted"] == "auto-replied"
        assert r.message["In-Reply-To"]
        assert r.mail_from == CALL
    outlook_reply = next(r for r in received if r.rcpt_tos[0] == "G.Zielinski@laczynas.example.com")
    text = outlook_reply.message.get_body(("plain",)).get_content()
    assert "Spółdzielnia Socjalna „Łączy Nas”" in text
    assert outlook_reply.message["In-Reply-To"] == "<AM0PR07MB1234@eurprd07.prod.outlook.com>"
    assert all(
        m["replied"]
        for m in data["messages"]
        if m["disposition"] == "application" and m["message_id"] != "<scan-1@zaz>"
    )

    # \Seen neither set nor needed; nothing moved
    flags = dovecot.fetch_flags(imap_user)
    assert len(flags) == len(deliveries) + 1
    assert not any(b"\\Seen" in f for f in flags.values())

    # the second poll does nothing
    again = jobs.poll(config)
    assert again.ok and again.messages.processed == 0
    assert again.replies is not None and again.replies.sent == 0
    assert len(smtp_sink.messages) == 9


def test_cli_poll_exit_codes(tmp_path, dovecot, imap_user, smtp_sink, mailbox_env):
    _, path = mailbox_env
    dovecot.append(
        imap_user,
        plain(
            "Jan <jan@example.pl>",
            "Zgłoszenie do naboru",
            "<q1@ex>",
            body="W załączeniu przesyłam formularz zgłoszeniowy.",
        ),
        internaldate=at(12, 9),
    )
    env = dict(os.environ)
    ok = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), "poll"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert ok.returncode == 0, ok.stderr
    assert "1 new message" in ok.stdout
    assert len(smtp_sink.wait_for(1)) == 1
    # a wrong password: non-zero exit and one line saying why
    env[PASSWORD_ENV] = "wrong"
    bad_config = path.read_text().replace(f'username = "{imap_user}"', f'username = "{imap_user}x"')
    bad_config = bad_config.replace("password_env", "password_env")
    path.write_text(bad_config)
    failed = subprocess.run(
        [sys.executable, "-m", "mailbot", "--config", str(path), "poll"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert failed.returncode != 0
    assert "IMAP" in failed.stderr and len(failed.stderr.strip().splitlines()) == 1


def test_tls_is_verified_by_default(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink, security="ssl")
    text = path.read_text().replace(f'ca_file = "{dovecot.cafile}"\n', "")
    path.write_text(text)
    report = jobs.poll(load_config(path))
    assert not report.ok
    assert "certificate" in (report.mailbox_error or "").lower()
    path.write_text(
        text.replace(
            "timeout = 10\nbatch_size", f'ca_file = "{dovecot.cafile}"\ntimeout = 10\nbatch_size'
        )
    )
    assert jobs.poll(load_config(path)).ok
