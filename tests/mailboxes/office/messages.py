"""A second working inbox, written apart from the first one, as a DOPS employee's May 2024 looks.

Outlook replies and forwards (RE:/FW:/PD:/ODP:), HTML-only mail, signatures and newsletters
using the call's words in another sense (a conference's "Komitet Organizacyjny", another
programme's "nabór wniosków"), office forms that are not the call's form (a leave request,
a stationery order, an appraisal form), invoices as PDF scans, calendar invitations, robots;
and the call's own mail: forms as DOCX, PDF, ODT, a photo, a scan, inside a forwarded
message, two forms in one e-mail, DOCX + PDF of one form, a secretariat for two people,
corrections on time and late, early and late mail, a list alias, a failed DMARC check,
questions, thank-yous and a withdrawal. For each message the expected disposition, status,
live/superseded flag and letter are written down; the replies that reached SMTP must be
exactly the deserved ones, the mailbox untouched, and a further poll must do nothing.
"""

from __future__ import annotations

import importlib.util
import io
import json
import random
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
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
CALL = "Butryn Dorota <d.butryn@dops.wroc.pl>"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
PDF = "application/pdf"

_spec = importlib.util.spec_from_file_location(
    "examiner_formbuilder", Path(__file__).resolve().parents[2] / "parsers" / "formbuilder.py"
)
assert _spec and _spec.loader
formbuilder = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(formbuilder)


def at(
    month: int, day: int, hour: int = 10, minute: int = 0, second: int = 0, year: int = 2024
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=WARSAW)


def mail(
    sender: str,
    subject: str,
    body: str | None,
    mid: str,
    *,
    when: datetime,
    attachments: tuple = (),
    headers: tuple = (),
    html: str | None = None,
    to: str = CALL,
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    if subject is not None:
        msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = mid
    for name, value in headers:
        msg[name] = value
    if body is not None:
        msg.set_content(body)
        if html is not None:
            msg.add_alternative(html, subtype="html")
    elif html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content("")
    for filename, data, mime_type in attachments:
        maintype, subtype = mime_type.split("/", 1)
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def office_docx(*lines: str) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def photo(seed: int, size: int = 180_000) -> bytes:
    """A phone photo as far as a mail client can tell: JPEG markers around noise."""
    rng = random.Random(seed)
    return (
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
        + bytes(rng.getrandbits(8) for _ in range(size))
        + b"\xff\xd9"
    )


BLANK_DOCX = (samples.ASSETS / samples.BLANK_DOCX).read_bytes()
BLANK_PDF = (samples.ASSETS / samples.BLANK_PDF).read_bytes()


def zipped(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(name, data)
    return out.getvalue()


def ics(summary: str) -> bytes:
    return (
        "BEGIN:VCALENDAR\r\nPRODID:-//Microsoft Corporation//Outlook 16.0//EN\r\n"
        "METHOD:REQUEST\r\nBEGIN:VEVENT\r\nSUMMARY:" + summary + "\r\n"
        "DTSTART:20240516T080000Z\r\nDTEND:20240516T090000Z\r\nEND:VEVENT\r\n"
        "END:VCALENDAR\r\n"
    ).encode()


def invitation(sender: str, subject: str, text: str, mid: str, when: datetime) -> EmailMessage:
    msg = mail(sender, subject, text, mid, when=when)
    msg.add_alternative(ics(subject).decode(), subtype="calendar", params={"method": "REQUEST"})
    msg.add_attachment(ics(subject), maintype="text", subtype="calendar", filename="invite.ics")
    return msg


def person(name: str, email: str, org: str, groups: tuple[int, ...], **kw) -> samples.Applicant:
    return samples.Applicant(full_name=name, email=email, organisation=org, groups=groups, **kw)


def form(a: samples.Applicant, name: str = "Formularz_zgloszeniowy.docx") -> tuple:
    return (name, samples.filled_docx(a), DOCX)


def pdf(a: samples.Applicant, name: str = "formularz.pdf") -> tuple:
    return (name, samples.filled_pdf(a), PDF)


def odt(a: samples.Applicant, name: str = "zgloszenie.odt") -> tuple:
    values = dict(a.expected_fields())
    return (name, formbuilder.build_odt(values), ODT)


SIGNATURE_DOPS = (
    "\n\n--\nZ poważaniem\n{name}\nDolnośląski Ośrodek Polityki Społecznej\n"
    "ul. Trzebnicka 42-44, 50-230 Wrocław\n"
)

KONRAD = person("Konrad Mazur", "k.mazur@cis-jelenia.example.pl", "CIS Jelenia Góra", (4,))
ZOFIA = person("Zofia Pawlak", "zofia.pawlak@fundacja-most.example.org", "Fundacja Most", (1, 3))
IRENA = person("Irena Górska", "i.gorska@owes-walbrzych.example.pl", "OWES Wałbrzych", (5,))
LECH = person("Lech Bąk", "lech.bak@spoldzielnia-bak.example.pl", "Spółdzielnia Socjalna Bąk", (5,))
ROBERT = person("Robert Kania", "r.kania@zaz-legnica.example.pl", "ZAZ Legnica", (4,))
BOZENA = person(
    "Bożena Wrona", "bozena.wrona@stowarzyszenie-wrona.example.org", "Stowarzyszenie Wrona", (2,)
)
MICHAL = person("Michał Sowa", "m.sowa@gmina-sobotka.example.pl", "Gmina Sobótka", (2,))
NATALIA = person("Natalia Czyż", "n.czyz@gmina-sobotka.example.pl", "Gmina Sobótka", (1,))
OSKAR = person("Oskar Lis", "o.lis@pes-lis.example.pl", "PES Lis sp. z o.o.", (3, 5))
PAULA = person("Paula Kruk", "p.kruk@pes-lis.example.pl", "PES Lis sp. z o.o.", (3,))
RENATA = person("Renata Dudek", "r.dudek@ksow.example.pl", "Fundacja KSOW", (1,))
SZYMON = person("Szymon Gil", "szymon.gil@cis-olesnica.example.pl", "CIS Oleśnica", (4,))
TERESA = person("Teresa Puchała", "t.puchala@mops-olawa.example.pl", "MOPS Oława", (1,))
URSZULA = person(
    "Urszula Zięba", "u.zieba@spoldzielnia-ziebka.example.pl", "Spółdzielnia Ziębka", (5,)
)
WIKTOR = person("Wiktor Szpak", "w.szpak@razem-lubin.example.org", "Razem Lubin", (3,))
ALICJA = person("Alicja Jastrząb", "a.jastrzab@fundacja-j.example.pl", "Fundacja J", (2,))
BARTEK = person("Bartosz Czapla", "b.czapla@czapla.example.com", "Czapla Social", (5,))
CELINA = person("Celina Drozd", "c.drozd@ngo-drozd.example.pl", "NGO Drozd", (1,))
DAMIAN = person("Damian Gołąb", "d.golab@wtz-golab.example.pl", "WTZ Gołąb", (4,))
EDYTA = person("Edyta Kos", "e.kos@kos-es.example.pl", "Kos ES", (3,))
FILIP = person("Filip Pliszka", "f.pliszka@pliszka.example.pl", "Fundacja Pliszka", (2,))
GRAZYNA = person("Grażyna Sikora", "g.sikora@sikora.example.pl", "Stowarzyszenie Sikora", (1,))
HENRYK = person("Henryk Wilga", "h.wilga@wilga.example.pl", "Spółdzielnia Wilga", (4,))
PAWEL = person("Paweł Cichy", "p.cichy@cichy.example.pl", "Fundacja Cichy", (3,))
JERZY = person("Jerzy Sęp", "j.sep@sep.example.pl", "Spółdzielnia Sęp", (2,))
MARIA = person("Maria Sroka", "m.sroka@sroka.example.pl", "Fundacja Sroka", (1,))
ZENON = person("Zenon Bocian", "z.bocian@bocian.example.pl", "Spółdzielnia Bocian", (5,))
WANDA = person("Wanda Kawka", "w.kawka@kawka.example.pl", "Stowarzyszenie Kawka", (3,))
OLA = person("Aleksandra Mewa", "ola.mewa@gmail.example.com", "Fundacja Mewa", (2,))
KSENIA = person("Ksenia Gil", "k.gil@gil.example.pl", "Fundacja Gil", (1,))
LEON = person("Leon Gil", "l.gil@gil.example.pl", "Fundacja Gil", (2,))
IZA = person("Izabela Nowicka", "sekretariat@mops-lubin.example.pl", "MOPS Lubin", (1,))
OLIWIA = person("Oliwia Kaczmarek", "sekretariat@mops-lubin.example.pl", "MOPS Lubin", (2,))
JOANNA = person("Joanna Zając", "j.zajac@zajac.example.pl", "Fundacja Zając", (5,))


@dataclass(frozen=True)
class Expect:
    """What must happen to one message."""

    key: str
    msg: EmailMessage
    disposition: str | frozenset[str] | None  # None: before imap.since, never fetched
    # per application of this message: (form e-mail or sender, status, superseded)
    apps: tuple[tuple[str, str, bool], ...] = ()
    letters: tuple[str, ...] = ()  # templates of the letters that must reach the sender

    @property
    def when(self) -> datetime:  # the INTERNALDATE: when the mail server took it
        return self.msg["Date"].datetime


NO_LETTER = frozenset({"correspondence", "unrelated"})  # either is right; never a letter

_QUOTED_LETTER = (
    "Szanowni Państwo,\n\ndziękujemy za przesłanie zgłoszenia w naborze członków grup "
    "roboczych przy Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej. Zgłoszenie otrzymało "
    "numer {ref}. W załączeniu przesyłamy potwierdzenie.\n"
)


def outlook_reply_html(own: str, quoted_from: str, quoted_subject: str, quoted: str) -> str:
    return (
        "<html><head><style>p.MsoNormal{margin:0}</style></head><body lang=PL>"
        f"<div class=WordSection1><p class=MsoNormal>{own}</p><p class=MsoNormal>&nbsp;</p>"
        "<div><div style='border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm "
        f"0cm'><p class=MsoNormal><b>Od:</b> {quoted_from}<br><b>Wysłane:</b> wtorek, 7 maja "
        f"2024 10:02<br><b>Do:</b> Konrad Mazur<br><b>Temat:</b> {quoted_subject}</p></div></div>"
        f"<p class=MsoNormal>{quoted.replace(chr(10), '<br>')}</p></div></body></html>"
    )


def forwarded_application() -> EmailMessage:
    """A colleague at the city office forwards an applicant's e-mail as an attachment."""
    inner = mail(
        "Zofia Pawlak <zofia.pawlak@fundacja-most.example.org>",
        "Zgłoszenie do grupy roboczej",
        "Dzień dobry, przesyłam formularz.",
        "<zofia-inner@most>",
        when=at(5, 9, 9),
        to="um@um.wroclaw.example.pl",
        attachments=(form(ZOFIA),),
    )
    outer = mail(
        "Kancelaria UM <kancelaria@um.wroclaw.example.pl>",
        "FW: Zgłoszenie do grupy roboczej",
        "Dzień dobry,\nprzekazuję wiadomość, która trafiła do nas omyłkowo.\n"
        "Pozdrawiam\nKancelaria",
        "<fw-zofia@um>",
        when=at(5, 9, 14),
    )
    outer.add_attachment(inner)
    return outer


def inline_forward() -> EmailMessage:
    """A DOPS colleague forwards an applicant's mail inline (Outlook "PD:"), form attached."""
    body = (
        "Dorota, to chyba do Ciebie – przyszło na mój adres.\nMarek\n\n"
        "-----Original Message-----\nFrom: Irena Górska <i.gorska@owes-walbrzych.example.pl>\n"
        "Sent: Friday, May 10, 2024 8:14 AM\nTo: Marek Wójcik <m.wojcik@dops.wroc.pl>\n"
        "Subject: Zgłoszenie do grup roboczych DKRES\n\nDzień dobry,\nw załączeniu przesyłam "
        "formularz zgłoszeniowy.\nIrena Górska"
    )
    return mail(
        "Marek Wójcik <m.wojcik@dops.wroc.pl>",
        "PD: Zgłoszenie do grup roboczych DKRES",
        body,
        "<pd-irena@dops>",
        when=at(5, 10, 9),
        attachments=(form(IRENA, "formularz_IG.docx"),),
    )


def newsletter_html(title: str, items: str) -> str:
    return (
        f"<html><body><table width=600><tr><td><h1>{title}</h1>{items}"
        "<p style='font-size:10px'>Otrzymujesz tę wiadomość, ponieważ zapisałeś się do "
        "newslettera. <a href='https://owes.example.pl/wypisz'>Wypisz się</a></p>"
        "</td></tr></table></body></html>"
    )


def read_receipt() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Szymon Gil <szymon.gil@cis-olesnica.example.pl>"
    msg["To"] = CALL
    msg["Subject"] = "Przeczytano: Nabór do grup roboczych DKRES"
    msg["Date"] = format_datetime(at(5, 16, 12))
    msg["Message-ID"] = "<mdn-szymon@cis>"
    msg.set_content("Wiadomość została przeczytana.")
    msg.add_attachment(
        "Reporting-UA: Outlook\r\nDisposition: manual-action/MDN-sent-manually; displayed\r\n",
        subtype="disposition-notification",
    )
    msg.replace_header("Content-Type", msg["Content-Type"].replace("mixed", "report"))
    return msg


def bounce() -> EmailMessage:
    return mail(
        "Mail Delivery System <MAILER-DAEMON@mx.dops.wroc.pl>",
        "Undelivered Mail Returned to Sender",
        "This is the mail system at host mx.dops.wroc.pl.\n\nI'm sorry to have to "
        "inform you that your message could not be delivered.\n<zarzad@nieistnieje."
        "example.pl>: host not found",
        "<bounce-1@mx>",
        when=at(5, 13, 8),
    )


E = Expect
MAILBOX: list[Expect] = [
    # --- before imap.since (22 April 2024): never fetched, recorded or answered ---
    E(
        "konf_2023",
        mail(
            "Komitet Organizacyjny <konferencja@es-dolnyslask.example.pl>",
            "Konferencja Ekonomia Społeczna 2023 – formularz zgłoszeniowy",
            "W załączeniu przesyłamy formularz zgłoszeniowy na konferencję.",
            "<konf2023@es>",
            when=at(10, 2, year=2023),
        ),
        None,
    ),
    E(
        "projekt_ogl",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "Projekt ogłoszenia o naborze do grup roboczych",
            "Doro, w załączeniu projekt ogłoszenia i formularza zgłoszeniowego, popraw proszę.",
            "<projekt@dops>",
            when=at(4, 8),
            attachments=(
                ("ogloszenie_projekt.docx", office_docx("Ogłoszenie o naborze – projekt"), DOCX),
            ),
        ),
        None,
    ),
    E(
        "fv_marzec",
        mail(
            "Biuro Rachunkowe <faktury@rachunki.example.pl>",
            "Faktura FV/03/2024",
            "W załączeniu faktura.",
            "<fv-03@rach>",
            when=at(3, 28),
            attachments=(("FV_03_2024.pdf", samples.scanned_pdf(), PDF),),
        ),
        None,
    ),
    E(
        "early_2023",
        mail(
            "Henryk Wilga <h.wilga@wilga.example.pl>",
            "Zgłoszenie",
            "Zgłaszam się do komitetu.",
            "<henryk-old@wilga>",
            when=at(11, 20, year=2023),
            attachments=(form(HENRYK),),
        ),
        None,
    ),
    # --- between imap.since and the opening: read, and early applications are early ---
    E(
        "bip",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "ODP: ogłoszenie na BIP",
            "Ogłoszenie o naborze do grup roboczych DKRES jest już na BIP, sprawdź proszę "
            "link." + SIGNATURE_DOPS.format(name="Agnieszka Lis"),
            "<bip@dops>",
            when=at(4, 29, 9),
        ),
        NO_LETTER,
    ),
    E(
        "early",
        mail(
            "Damian Gołąb <d.golab@wtz-golab.example.pl>",
            "Zgłoszenie WTZ Gołąb",
            "Dzień dobry, przesyłam zgłoszenie z wyprzedzeniem.",
            "<damian-1@wtz>",
            when=at(5, 2, 15),
            attachments=(form(DAMIAN),),
        ),
        "application",
        ((DAMIAN.email, "early", True),),
        ("early",),
    ),
    E(
        "early_again",
        mail(
            "Damian Gołąb <d.golab@wtz-golab.example.pl>",
            "Zgłoszenie WTZ Gołąb – ponownie",
            "Zgodnie z odpowiedzią przesyłam formularz ponownie, już w terminie.",
            "<damian-2@wtz>",
            when=at(5, 6, 7, 30),
            attachments=(form(DAMIAN),),
        ),
        "application",
        ((DAMIAN.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "feds",
        mail(
            "Urząd Marszałkowski <informacja@umwd.example.pl>",
            "Nabór wniosków – FEDS 2021-2027, Działanie 8.5",
            "Szanowni Państwo,\ninformujemy o naborze wniosków o dofinansowanie w ramach "
            "programu Fundusze Europejskie dla Dolnego Śląska 2021-2027. W załączeniu "
            "regulamin naboru i formularz wniosku. Wnioski przyjmujemy do 30 czerwca."
            "\n\nDepartament Funduszy Europejskich",
            "<feds@umwd>",
            when=at(5, 3),
            attachments=(
                ("Regulamin_naboru_FEDS.pdf", samples.scanned_pdf(), PDF),
                (
                    "Formularz_wniosku_FEDS.docx",
                    office_docx("Wniosek o dofinansowanie", "Nazwa wnioskodawcy"),
                    DOCX,
                ),
            ),
        ),
        NO_LETTER,
    ),
    # --- during the call (from 6 May 00:00 Warsaw) ---
    E(
        "last_second_early",
        mail(
            "Ksenia Gil <k.gil@gil.example.pl>",
            "Zgłoszenie K. Gil",
            "Formularz w załączeniu.",
            "<ksenia-1@gil>",
            when=at(5, 5, 23, 59, 59),
            attachments=(form(KSENIA),),
        ),
        "application",
        ((KSENIA.email, "early", False),),
        ("early",),
    ),
    E(
        "first_second",
        mail(
            "Leon Gil <l.gil@gil.example.pl>",
            "Zgłoszenie L. Gil",
            "Formularz w załączeniu.",
            "<leon-1@gil>",
            when=at(5, 6, 0, 0, 0),
            attachments=(form(LEON),),
        ),
        "application",
        ((LEON.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "konrad",
        mail(
            "Konrad Mazur <k.mazur@cis-jelenia.example.pl>",
            "Zgłoszenie",
            "Dzień dobry,\nw załączeniu przesyłam formularz zgłoszeniowy.\n\nKonrad "
            "Mazur\nKierownik CIS",
            "<konrad-1@cis>",
            when=at(5, 6, 8, 12),
            attachments=(form(KONRAD),),
        ),
        "application",
        ((KONRAD.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "newsletter_owes",
        mail(
            "OWES Dolny Śląsk <biuro@owes-ds.example.pl>",
            "Newsletter OWES – maj 2024",
            None,
            "<owes-news@owes>",
            when=at(5, 6, 12),
            html=newsletter_html(
                "Ekonomia społeczna na Dolnym Śląsku",
                "<p>Trwa nabór członków grup roboczych przy Dolnośląskim "
                "Komitecie Rozwoju Ekonomii Społecznej! Formularz "
                "zgłoszeniowy w załączniku do ogłoszenia na stronie DOPS. "
                "Zgłoszenia do 24 maja.</p><p>Szkolenie: księgowość PES, "
                "20 maja.</p>",
            ),
        ),
        NO_LETTER,
    ),
    E(
        "kadry_ocena",
        mail(
            "Dział Kadr <kadry@dops.wroc.pl>",
            "Ocena okresowa 2024",
            "Dzień dobry,\nw załączeniu przesyłam formularz oceny okresowej do "
            "wypełnienia i odesłania do 20 maja.\nDział Kadr",
            "<ocena@dops>",
            when=at(5, 6, 13),
            attachments=(
                (
                    "formularz_oceny_okresowej.docx",
                    office_docx(
                        "Formularz oceny okresowej pracownika", "Imię i nazwisko:", "Stanowisko:"
                    ),
                    DOCX,
                ),
            ),
        ),
        NO_LETTER,
    ),
    E(
        "html_only",
        mail(
            "Bożena Wrona <bozena.wrona@stowarzyszenie-wrona.example.org>",
            "Zgłoszenie – Stowarzyszenie Wrona",
            None,
            "<bozena-1@wrona>",
            when=at(5, 7, 11),
            html="<html><body><p>Dzień dobry,</p><p>w załączeniu formularz.</p>"
            "<p>Bożena Wrona<br>Prezes</p></body></html>",
            attachments=(pdf(BOZENA),),
        ),
        "application",
        ((BOZENA.email, "accepted", True),),
        ("accepted",),
    ),
    E(
        "konrad_thanks",
        mail(
            "Konrad Mazur <k.mazur@cis-jelenia.example.pl>",
            "RE: Nabór do grup roboczych DKRES – potwierdzenie",
            None,
            "<konrad-2@cis>",
            when=at(5, 7, 12),
            html=outlook_reply_html(
                "Dziękuję bardzo, pozdrawiam serdecznie.",
                "Nabór do grup roboczych DKRES &lt;d.butryn@dops.wroc.pl&gt;",
                "Nabór do grup roboczych DKRES – potwierdzenie",
                _QUOTED_LETTER.format(ref="DKRES-2024-0099"),
            ),
            headers=(("In-Reply-To", "<never-stored@dops.wroc.pl>"),),
        ),
        NO_LETTER,
    ),
    E(
        "empty_body",
        mail(
            "Lech Bąk <lech.bak@spoldzielnia-bak.example.pl>",
            "",
            None,
            "<lech-1@bak>",
            when=at(5, 7, 22, 41),
            attachments=(form(LECH, "skan0001.docx"),),
        ),
        "application",
        ((LECH.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "question_two",
        mail(
            "Halina Zet <h.zet@fundacja-zet.example.pl>",
            "pytanie",
            "Dzień dobry, czy mogę zgłosić się do dwóch grup? Pracuję w fundacji "
            "i jednocześnie w spółdzielni socjalnej.\nHalina Zet",
            "<halina-1@zet>",
            when=at(5, 8, 9),
        ),
        "correspondence",
    ),
    E(
        "zapotrzebowanie",
        mail(
            "Sekretariat DOPS <sekretariat@dops.wroc.pl>",
            "Zapotrzebowanie na materiały biurowe – czerwiec",
            "Dzień dobry,\nw załączeniu formularz zapotrzebowania. Proszę o "
            "wypełnienie do piątku.\nSekretariat",
            "<zapotrz@dops>",
            when=at(5, 8, 10),
            attachments=(
                (
                    "formularz_zapotrzebowania.xlsx",
                    b"PK\x03\x04" + bytes(3000),
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
            ),
        ),
        NO_LETTER,
    ),
    E(
        "urlop",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "Wniosek urlopowy",
            "Doro, w załączeniu mój wniosek urlopowy na 27-31 maja, podpiszesz jako zastępująca?",
            "<urlop@dops>",
            when=at(5, 8, 11),
            attachments=(("wniosek_urlopowy.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "zofia_fw",
        forwarded_application(),
        "application",
        ((ZOFIA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "faktura_pdf",
        mail(
            "Hotel Gołębiewski <faktury@hotel.example.pl>",
            "Faktura VAT 455/05/2024",
            "Dzień dobry, w załączeniu przesyłamy fakturę za usługę konferencyjną.",
            "<fv-455@hotel>",
            when=at(5, 9, 15),
            attachments=(("Faktura_455_05_2024.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "irena_pd",  # a colleague passes it on: an application, no letter to the colleague
        inline_forward(),
        "application",
        ((IRENA.email, "accepted", False),),
    ),
    E(
        "konferencja",
        mail(
            "Komitet Organizacyjny <konferencja@es-dolnyslask.example.pl>",
            "Zaproszenie – Konferencja Ekonomii Społecznej, Wałbrzych 12.06",
            "Szanowni Państwo,\nzapraszamy na konferencję. Zgłoszenia przez "
            "formularz online do 5 czerwca.\n\nKomitet Organizacyjny Konferencji"
            "\nFundacja Ekonomii Społecznej",
            "<konf2024@es>",
            when=at(5, 10, 10),
        ),
        NO_LETTER,
    ),
    E(
        "narada",
        invitation(
            "Dyrektor DOPS <dyrektor@dops.wroc.pl>",
            "Zaproszenie: Narada działu @ czw. 16 maja 2024 10:00",
            "Zapraszam na naradę, sala 12.",
            "<narada@dops>",
            at(5, 10, 11),
        ),
        NO_LETTER,
    ),
    E(
        "odt",
        mail(
            "Robert Kania <r.kania@zaz-legnica.example.pl>",
            "Formularz ZAZ Legnica",
            "Dzień dobry, przesyłam formularz (LibreOffice).",
            "<robert-1@zaz>",
            when=at(5, 10, 14),
            attachments=(odt(ROBERT),),
        ),
        "application",
        ((ROBERT.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "two_in_one",
        mail(
            "Oskar Lis <o.lis@pes-lis.example.pl>",
            "Zgłoszenia PES Lis",
            "W załączeniu dwa formularze: mój i koleżanki Pauli Kruk.",
            "<oskar-1@lis>",
            when=at(5, 13, 9),
            attachments=(form(OSKAR, "Lis.docx"), form(PAULA, "Kruk.docx")),
        ),
        "application",
        ((OSKAR.email, "accepted", False), (PAULA.email, "accepted", False)),
        ("accepted", "accepted"),
    ),
    E("bounce", bounce(), "ignored"),
    E(
        "docx_pdf",
        mail(
            "Renata Dudek <r.dudek@ksow.example.pl>",
            "ZGŁOSZENIE",
            "Przesyłam formularz w wersji edytowalnej i PDF.",
            "<renata-1@ksow>",
            when=at(5, 13, 12),
            attachments=(form(RENATA), pdf(RENATA)),
        ),
        "application",
        ((RENATA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "sekr_michal",
        mail(
            "Sekretariat Gminy Sobótka <sekretariat@gmina-sobotka.example.pl>",
            "Zgłoszenie kandydata – Michał Sowa",
            "W imieniu Wójta przesyłam zgłoszenie pana Michała Sowy.",
            "<sob-1@sobotka>",
            when=at(5, 13, 13),
            attachments=(form(MICHAL, "zgloszenie_Sowa.docx"),),
        ),
        "application",
        ((MICHAL.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "sekr_natalia",
        mail(
            "Sekretariat Gminy Sobótka <sekretariat@gmina-sobotka.example.pl>",
            "Zgłoszenie kandydatki – Natalia Czyż",
            "W imieniu Wójta przesyłam zgłoszenie pani Natalii Czyż.",
            "<sob-2@sobotka>",
            when=at(5, 13, 14),
            attachments=(pdf(NATALIA, "zgloszenie_Czyz.pdf"),),
        ),
        "application",
        ((NATALIA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "pismo_um",
        mail(
            "Dyrektor DOPS <dyrektor@dops.wroc.pl>",
            "PD: Pismo UMWD",
            "Do wiadomości.",
            "<pismo@dops>",
            when=at(5, 14, 8),
            attachments=(("pismo_UMWD_2024_05_13.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "photo",
        mail(
            "Szymon Gil <szymon.gil@cis-olesnica.example.pl>",
            "Zgłoszenie do grupy roboczej",
            "\nWysłane z iPhone'a",
            "<szymon-1@cis>",
            when=at(5, 14, 19),
            attachments=(("IMG_20240514_190233.jpg", photo(1), "image/jpeg"),),
        ),
        "application",
        (("szymon.gil@cis-olesnica.example.pl", "needs_review", False),),
        ("needs_review",),
    ),
    E(
        "incomplete",
        mail(
            "Teresa Puchała <t.puchala@mops-olawa.example.pl>",
            "formularz",
            "W załączeniu.",
            "<teresa-1@mops>",
            when=at(5, 14, 10),
            attachments=(form(replace(TERESA, groups=())),),
        ),
        "application",
        ((TERESA.email, "incomplete", True),),
        ("incomplete",),
    ),
    E(
        "corrected",
        mail(
            "Teresa Puchała <t.puchala@mops-olawa.example.pl>",
            "ODP: formularz – poprawiony",
            "Przepraszam, zapomniałam zaznaczyć grupę. Poprawiony formularz w załączeniu.",
            "<teresa-2@mops>",
            when=at(5, 15, 9),
            attachments=(form(TERESA),),
        ),
        "application",
        ((TERESA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "ooo",
        mail(
            "Urszula Zięba <u.zieba@spoldzielnia-ziebka.example.pl>",
            "Automatyczna odpowiedź: Nabór do grup roboczych DKRES",
            "Jestem na urlopie do 20 maja.",
            "<ooo-u@ziebka>",
            when=at(5, 15, 10),
            headers=(("Auto-Submitted", "auto-replied"),),
        ),
        "ignored",
    ),
    E(
        "helpdesk",
        mail(
            "Helpdesk DOPS <helpdesk@dops.wroc.pl>",
            "Przerwa techniczna poczty",
            "W sobotę 18 maja w godz. 8-12 poczta nie będzie działać.",
            "<helpdesk@dops>",
            when=at(5, 15, 11),
        ),
        "unrelated",
    ),
    E(
        "wiktor",
        mail(
            "Wiktor Szpak <w.szpak@razem-lubin.example.org>",
            "Zgłoszenie",
            "Przesyłam zgłoszenie.",
            "<wiktor-1@razem>",
            when=at(5, 15, 12),
            attachments=(form(WIKTOR),),
        ),
        "application",
        ((WIKTOR.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "wiktor_scan",
        mail(
            "Wiktor Szpak <w.szpak@razem-lubin.example.org>",
            "Skan formularza z podpisem",
            "W załączeniu skan podpisanego formularza.",
            "<wiktor-2@razem>",
            when=at(5, 16, 9),
            attachments=(("skan_formularza.pdf", samples.scanned_pdf(), PDF),),
        ),
        "application",
        (("w.szpak@razem-lubin.example.org", "needs_review", True),),
        ("needs_review",),
    ),
    E("mdn", read_receipt(), "ignored"),
    E(
        "question_sign",
        mail(
            "Alicja Jastrząb <a.jastrzab@fundacja-j.example.pl>",
            "Pytanie – zgłoszenie do grupy nr 2",
            "Dzień dobry, chciałabym zgłosić się do grupy nr 2. Czy formularz "
            "musi być podpisany przez zarząd fundacji?\nAlicja Jastrząb",
            "<alicja-1@j>",
            when=at(5, 16, 13),
        ),
        "correspondence",
    ),
    E(
        "alicja",
        mail(
            "Alicja Jastrząb <a.jastrzab@fundacja-j.example.pl>",
            "Zgłoszenie – Fundacja J",
            "Dziękuję za odpowiedź, przesyłam podpisany formularz.",
            "<alicja-2@j>",
            when=at(5, 17, 9),
            attachments=(form(ALICJA),),
        ),
        "application",
        ((ALICJA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "list_alias",
        mail(
            "Bartosz Czapla <b.czapla@czapla.example.com>",
            "[zarzad-czapla] zgłoszenie do DKRES",
            "Przesyłam zgłoszenie (kopia do zarządu).",
            "<bartek-1@czapla>",
            when=at(5, 17, 10),
            attachments=(form(BARTEK),),
            headers=(
                ("List-Id", "Zarzad Czapla <zarzad.czapla.example.com>"),
                ("List-Unsubscribe", "<mailto:zarzad-leave@czapla.example.com>"),
                ("Precedence", "list"),
            ),
        ),
        "application",
        ((BARTEK.email, "accepted", False),),
    ),
    E(
        "dmarc",
        mail(
            "Celina Drozd <c.drozd@ngo-drozd.example.pl>",
            "Zgłoszenie",
            "W załączeniu formularz.",
            "<celina-1@drozd>",
            when=at(5, 17, 11),
            attachments=(form(CELINA),),
            headers=(
                (
                    "Authentication-Results",
                    "mx.dops.wroc.pl; spf=pass smtp.mailfrom=mailer.example.net; "
                    "dkim=none; dmarc=fail (p=quarantine dis=none) "
                    "header.from=ngo-drozd.example.pl",
                ),
            ),
        ),
        "application",
        ((CELINA.email, "accepted", False),),
    ),
    E(
        "awaria",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "Zgłoszenie awarii – drukarka",
            "Zgłosiłam awarię drukarki w pokoju 12, serwis przyjdzie jutro.",
            "<awaria@dops>",
            when=at(5, 17, 12),
        ),
        NO_LETTER,
    ),
    E(
        "colleague_count",
        mail(
            "Dyrektor DOPS <dyrektor@dops.wroc.pl>",
            "RE: nabór",
            "Ile mamy już zgłoszeń do grup roboczych? Proszę o krótką informację na czwartek.",
            "<dyr-nabor@dops>",
            when=at(5, 20, 8),
        ),
        "correspondence",
    ),
    E(
        "withdraw",
        mail(
            "Renata Dudek <r.dudek@ksow.example.pl>",
            "Wycofanie zgłoszenia",
            "Dzień dobry, z przyczyn osobistych wycofuję swoją kandydaturę.\nRenata Dudek",
            "<renata-2@ksow>",
            when=at(5, 20, 10),
        ),
        "correspondence",
    ),
    E(
        "edyta",
        mail(
            "Edyta Kos <e.kos@kos-es.example.pl>",
            "Zgłoszenie Kos ES",
            "W załączeniu formularz.",
            "<edyta-1@kos>",
            when=at(5, 21, 10),
            attachments=(form(EDYTA),),
        ),
        "application",
        ((EDYTA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "filip_noatt",
        mail(
            "Filip Pliszka <f.pliszka@pliszka.example.pl>",
            "Zgłoszenie do naboru DKRES",
            "Dzień dobry,\nprzesyłam zgłoszenie do grupy roboczej nr 2.\nFilip Pliszka",
            "<filip-1@pliszka>",
            when=at(5, 22, 10),
        ),
        "application",
        (("f.pliszka@pliszka.example.pl", "no_form", True),),
        ("no_form",),
    ),
    E(
        "filip",
        mail(
            "Filip Pliszka <f.pliszka@pliszka.example.pl>",
            "RE: Zgłoszenie do naboru DKRES",
            "Przepraszam, załącznik.",
            "<filip-2@pliszka>",
            when=at(5, 22, 11),
            attachments=(form(FILIP),),
        ),
        "application",
        ((FILIP.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "grazyna_sig",
        mail(
            "Grażyna Sikora <g.sikora@sikora.example.pl>",
            "formularz Sikora",
            "W załączeniu formularz oraz podpis.",
            "<grazyna-1@sikora>",
            when=at(5, 23, 10),
            attachments=(form(GRAZYNA), ("podpis.jpg", photo(2, 40_000), "image/jpeg")),
        ),
        "application",
        ((GRAZYNA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "henryk_noemail",
        mail(
            "Henryk Wilga <h.wilga@wilga.example.pl>",
            "Zgłoszenie Wilga",
            "W załączeniu formularz.",
            "<henryk-1@wilga>",
            when=at(5, 14, 15),
            attachments=(form(replace(HENRYK, email=None)),),
        ),
        "application",
        (("h.wilga@wilga.example.pl", "incomplete", True),),
        ("incomplete",),
    ),
    E(
        "henryk_fixed",
        mail(
            "Henryk Wilga <h.wilga@wilga.example.pl>",
            "Zgłoszenie Wilga – uzupełnione",
            "Uzupełniłem adres e-mail w formularzu.",
            "<henryk-2@wilga>",
            when=at(5, 15, 8),
            attachments=(form(HENRYK),),
        ),
        "application",
        ((HENRYK.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "zip",
        mail(
            "Paweł Cichy <p.cichy@cichy.example.pl>",
            "Zgłoszenie",
            "W załączeniu spakowane zgłoszenie.",
            "<pawel-1@cichy>",
            when=at(5, 21, 12),
            attachments=(
                (
                    "zgloszenie.zip",
                    zipped("formularz.docx", samples.filled_docx(PAWEL)),
                    "application/zip",
                ),
            ),
        ),
        "application",  # nothing names this call: a person confirms it, no letter
        (("p.cichy@cichy.example.pl", "needs_review", False),),
    ),
    E(
        "tnef",
        mail(
            "Jerzy Sęp <j.sep@sep.example.pl>",
            "Zgłoszenie – J. Sęp",
            "W załączeniu.",
            "<jerzy-1@sep>",
            when=at(5, 21, 13),
            attachments=(
                (
                    "winmail.dat",
                    samples.winmail_dat("formularz.docx", samples.filled_docx(JERZY)),
                    "application/ms-tnef",
                ),
            ),
        ),
        "application",
        ((JERZY.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "text_only",
        mail(
            "Kamila Wróbel <k.wrobel@wrobel.example.pl>",
            "Kandydatura do grupy roboczej nr 1",
            "Dzień dobry,\nzgłaszam swoją kandydaturę do grupy roboczej ds. rozwoju "
            "usług społecznych.\nKamila Wróbel, Stowarzyszenie Wróbel",
            "<kamila-1@wrobel>",
            when=at(5, 22, 14),
        ),
        "application",
        (("k.wrobel@wrobel.example.pl", "no_form", False),),
        ("no_form",),
    ),
    E(
        "ooo_subject",
        mail(
            "Jan Kowal <j.kowal@kowal.example.pl>",
            "Odpowiedź automatyczna: Nabór do grup roboczych DKRES",
            "Dziękuję za wiadomość. Jestem poza biurem do 27 maja.",
            "<ooo-kowal@kowal>",
            when=at(5, 22, 15),
        ),
        "ignored",
    ),
    E(
        "self_note",
        mail(
            "Dorota Butryn <d.butryn@dops.wroc.pl>",
            "notatka – telefony DKRES",
            "Dzwonili w sprawie naboru: p. Mróz (grupa 1), p. Sroka – pytała o "
            "formularz zgłoszeniowy.",
            "<self-1@dops>",
            when=at(5, 20, 15),
        ),
        NO_LETTER,
    ),
    E(
        "self_scan",
        mail(
            "Dorota Butryn <d.butryn@dops.wroc.pl>",
            "zgłoszenie J. Mróz – przyszło pocztą",
            "Skan zgłoszenia, które przyszło pocztą tradycyjną.",
            "<self-2@dops>",
            when=at(5, 20, 16),
            attachments=(("skan_zgloszenia_Mroz.pdf", samples.scanned_pdf(), PDF),),
        ),
        "application",
        (("d.butryn@dops.wroc.pl", "needs_review", False),),
    ),
    E(
        "coordinator_reply",
        mail(
            "Dorota Butryn <d.butryn@dops.wroc.pl>",
            "RE: pytanie",
            "Dzień dobry, tak, można zgłosić się do dwóch grup – proszę "
            "zaznaczyć obie w formularzu.\n\nFrom: Halina Zet\nSent: 8 "
            "maja 2024\nSubject: pytanie\n\nczy mogę zgłosić się do dwóch"
            " grup?",
            "<coord-1@dops>",
            when=at(5, 8, 14),
            headers=(("In-Reply-To", "<halina-1@zet>"),),
        ),
        NO_LETTER,
    ),
    E(
        "link",
        mail(
            "Stefan Kruk <s.kruk@kruk.example.pl>",
            "Zgłoszenie – S. Kruk",
            "Dzień dobry, przesyłam formularz zgłoszeniowy – plik jest za duży, więc "
            "link: https://we.tl/t-AbCdEf123\nStefan Kruk",
            "<stefan-1@kruk>",
            when=at(5, 21, 9),
        ),
        "application",  # nothing names this call: a person confirms it, no letter
        (("s.kruk@kruk.example.pl", "no_form", False),),
    ),
    E(
        "question_with_form",
        mail(
            "Maria Sroka <m.sroka@sroka.example.pl>",
            "formularz M. Sroka",
            "W załączeniu formularz. Czy muszę też wysłać oryginał pocztą?",
            "<maria-1@sroka>",
            when=at(5, 21, 10),
            attachments=(form(MARIA),),
        ),
        "application",
        ((MARIA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "posiedzenie",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "Komitet – posiedzenie 29.05",
            "Przypominam o posiedzeniu Komitetu 29 maja, materiały w załączeniu.",
            "<posiedzenie@dops>",
            when=at(5, 22, 8),
            attachments=(("materialy_posiedzenie.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "two_versions",
        mail(
            "Zenon Bocian <z.bocian@bocian.example.pl>",
            "Zgłoszenie Bocian",
            "Przesyłam formularz (druga wersja z uzupełnionym doświadczeniem).",
            "<zenon-1@bocian>",
            when=at(5, 23, 9),
            attachments=(form(replace(ZENON, experience=None), "v1.docx"), form(ZENON, "v2.docx")),
        ),
        "application",
        ((ZENON.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "wanda_incomplete",
        mail(
            "Wanda Kawka <w.kawka@kawka.example.pl>",
            "Zgłoszenie",
            "W załączeniu.",
            "<wanda-1@kawka>",
            when=at(5, 23, 11),
            attachments=(form(replace(WANDA, groups=())),),
        ),
        "application",
        ((WANDA.email, "incomplete", False),),
        ("incomplete",),
    ),
    E(
        "gmail_fwd",
        mail(
            "Ola Mewa <ola.mewa@gmail.example.com>",
            "Fwd: Zgłoszenie DKRES",
            "Wysłałam na zły adres, przesyłam jeszcze raz.\n\n---------- Forwarded "
            "message ---------\nOd: Ola Mewa <ola.mewa@gmail.example.com>\nDate: "
            "pt., 10 maj 2024 o 09:12\nSubject: Zgłoszenie DKRES\nTo: "
            "<dbutryn@dops.example.pl>\n\nW załączeniu formularz.",
            "<ola-1@gmail>",
            when=at(5, 23, 13),
            attachments=(form(OLA),),
        ),
        "application",
        ((OLA.email, "accepted", False),),
        ("accepted",),
    ),
    E(
        "colleague_paper",
        mail(
            "Kancelaria DOPS <kancelaria@dops.wroc.pl>",
            "zgłoszenie złożone w kancelarii",
            "Pani Doroto, przekazuję informację: p. Jan Mróz złożył dziś "
            "zgłoszenie w formie papierowej, oryginał w kancelarii.",
            "<kanc-1@dops>",
            when=at(5, 20, 12),
        ),
        NO_LETTER,
    ),
    E(
        "blank_share",
        mail(
            "Fundacja Wspierania NGO <biuro@wspieramy.example.org>",
            "Trwa nabór do grup roboczych DKRES – przekaż dalej",
            "Dzień dobry,\nprzesyłamy informację o naborze członków grup "
            "roboczych przy DKRES. W załączeniu formularz zgłoszeniowy do "
            "wypełnienia. Zgłoszenia do 24 maja.\nZespół Fundacji",
            "<share-1@wspieramy>",
            when=at(5, 9, 16),
            attachments=(("formularz-zgloszeniowy.docx", BLANK_DOCX, DOCX),),
        ),
        NO_LETTER,
    ),
    E(
        "director_share",
        mail(
            "Dyrektor DOPS <dyrektor@dops.wroc.pl>",
            "PD: Ogłoszenie o naborze DKRES – do rozpowszechnienia",
            "Do wiadomości i rozesłania do PES.",
            "<dyr-share@dops>",
            when=at(5, 7, 9),
            attachments=(("formularz-zgloszeniowy-wypelnialny.pdf", BLANK_PDF, PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "ticket",
        mail(
            "Biuro Obsługi Klienta <bok@energia.example.pl>",
            "Potwierdzenie przyjęcia zgłoszenia nr 2024/05/8812",
            "Szanowni Państwo,\nPaństwa zgłoszenie nr 2024/05/8812 zostało "
            "zarejestrowane. W załączeniu potwierdzenie.\nBOK Energia",
            "<bok-1@energia>",
            when=at(5, 22, 9),
            attachments=(("zgloszenie_2024_05_8812.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "self_bcc",
        mail(
            "Dorota Butryn <d.butryn@dops.wroc.pl>",
            "Formularz zgłoszeniowy",
            "Dzień dobry,\nzgodnie z rozmową w załączeniu przesyłam formularz "
            "zgłoszeniowy do naboru – link: https://dops.wroc.pl/dkres.\n"
            "Dorota Butryn",
            "<self-3@dops>",
            when=at(5, 21, 15),
            to="Jan Mróz <j.mroz@mroz.example.pl>",
            headers=(("Bcc", "d.butryn@dops.wroc.pl"),),
        ),
        NO_LETTER,
    ),
    E(
        "shared_email",
        mail(
            "Sekretariat MOPS Lubin <sekretariat@mops-lubin.example.pl>",
            "Zgłoszenia MOPS Lubin",
            "W załączeniu zgłoszenia dwóch pracownic MOPS (kontakt przez sekretariat).",
            "<mops-1@lubin>",
            when=at(5, 21, 11),
            attachments=(form(IZA, "Iza.docx"), form(OLIWIA, "Oliwia.docx")),
        ),
        "application",
        (
            ("sekretariat@mops-lubin.example.pl", "accepted", False),
            ("sekretariat@mops-lubin.example.pl", "accepted", False),
        ),
        ("accepted", "accepted"),
    ),
    E(
        "zfss",
        mail(
            "Kasia Nowak <k.nowak@dops.wroc.pl>",
            "ZFŚS – wczasy pod gruszą",
            "Cześć, w załączeniu przesyłam formularz do podpisu, oddaj proszę do piątku.\nKasia",
            "<zfss@dops>",
            when=at(5, 22, 13),
            attachments=(("wniosek_ZFSS_2024.pdf", samples.scanned_pdf(), PDF),),
        ),
        NO_LETTER,
    ),
    E(
        "sprawozdanie",
        mail(
            "Agnieszka Lis <a.lis@dops.wroc.pl>",
            "Sprawozdanie kwartalne",
            "Podeślij proszę dane do sprawozdania do środy.",
            "<spr@dops>",
            when=at(5, 23, 12),
        ),
        "unrelated",
    ),
    E(
        "edge_on_time",
        mail(
            "Joanna Zając <j.zajac@zajac.example.pl>",
            "Zgłoszenie – J. Zając",
            "W ostatniej chwili – formularz w załączeniu.",
            "<joanna-1@zajac>",
            when=at(5, 24, 23, 59, 30),
            attachments=(form(JOANNA),),
        ),
        "application",
        ((JOANNA.email, "accepted", False),),
        ("accepted",),
    ),
    # --- after the deadline ---
    E(
        "late_new",
        mail(
            "Urszula Zięba <u.zieba@spoldzielnia-ziebka.example.pl>",
            "Zgłoszenie Spółdzielnia Ziębka",
            "Przesyłam formularz, przepraszam za spóźnienie.",
            "<urszula-1@ziebka>",
            when=at(5, 25, 0, 0, 30),
            attachments=(form(URSZULA),),
        ),
        "application",
        ((URSZULA.email, "late", False),),
        ("late",),
    ),
    E(
        "late_correction",
        mail(
            "Edyta Kos <e.kos@kos-es.example.pl>",
            "Poprawiony formularz – Kos ES",
            "Poprawiłam opis doświadczenia, proszę o uwzględnienie.",
            "<edyta-2@kos>",
            when=at(5, 27, 9),
            attachments=(form(replace(EDYTA, experience="Nowy opis.")),),
        ),
        "application",
        ((EDYTA.email, "late", True),),
        ("late",),
    ),
    E(
        "wanda_late_fix",
        mail(
            "Wanda Kawka <w.kawka@kawka.example.pl>",
            "RE: Zgłoszenie",
            "Poprawiony formularz – zaznaczyłam grupę.",
            "<wanda-2@kawka>",
            when=at(5, 26, 9),
            attachments=(form(WANDA),),
        ),
        "application",
        ((WANDA.email, "late", True),),
        ("late",),
    ),
    E(
        "late_question",
        mail(
            "Halina Zet <h.zet@fundacja-zet.example.pl>",
            "ODP: pytanie",
            "Czy mogę jeszcze dosłać formularz? Nie zdążyłam.",
            "<halina-2@zet>",
            when=at(5, 27, 10),
        ),
        "correspondence",
    ),
    E(
        "late_unrelated",
        mail(
            "Dyrektor DOPS <dyrektor@dops.wroc.pl>",
            "Plan urlopów – lipiec",
            "Proszę o uzupełnienie planu urlopów.",
            "<plan@dops>",
            when=at(5, 28, 9),
        ),
        "unrelated",
    ),
    E(
        "late_newsletter",
        mail(
            "ROPS Opole <rops@rops-opole.example.pl>",
            "Ekonomia społeczna – biuletyn czerwcowy",
            None,
            "<rops-jun@opole>",
            when=at(6, 3, 9),
            html=newsletter_html(
                "Biuletyn ekonomii społecznej", "<p>Podsumowanie Forum Ekonomii Społecznej.</p>"
            ),
        ),
        NO_LETTER,
    ),
    E(
        "wishes",
        mail(
            "Konrad Mazur <k.mazur@cis-jelenia.example.pl>",
            "Wesołych Świąt!",
            "Zdrowych i spokojnych Świąt Bożego Narodzenia życzy Konrad Mazur z zespołem CIS.",
            "<konrad-3@cis>",
            when=at(12, 20),
        ),
        "unrelated",
    ),
]


@pytest.fixture
def config(tmp_path, dovecot, imap_user, smtp_sink, monkeypatch):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    return load_config(write_config(tmp_path, dovecot, imap_user, smtp_sink))


def exported(config) -> dict:
    with jobs.open_store(config) as store:
        return json.loads(export_json(store, WARSAW))


def address(msg: EmailMessage) -> str:
    return msg["From"].addresses[0].addr_spec.lower()


def test_examiner_mailbox(dovecot, imap_user, smtp_sink, config):
    keys = [e.key for e in MAILBOX]
    assert len(keys) == len(set(keys))
    for e in sorted(MAILBOX, key=lambda e: e.when):  # as the server took them in
        dovecot.append(imap_user, e.msg.as_bytes(), internaldate=e.when)
    before = dovecot.fetch_flags(imap_user)

    first = jobs.poll(config)
    assert first.ok, first.problem()
    fetched = [e for e in MAILBOX if e.disposition is not None]
    deserved = sorted((address(e.msg), t) for e in MAILBOX for t in e.letters)
    smtp_sink.wait_for(len(deserved), timeout=30)

    # in the thread of a real confirmation: a thank-you and a question quoting the number
    sent = list(smtp_sink.messages)
    conf = next(r for r in sent if r.rcpt_tos == [KONRAD.email])
    ref = "DKRES-2024-" + conf.message["Subject"].split("DKRES-2024-")[1][:4]
    thanks = mail(
        "Konrad Mazur <k.mazur@cis-jelenia.example.pl>",
        "RE: " + conf.message["Subject"],
        "Dziękuję!\n\nOd: Nabór <d.butryn@dops.wroc.pl>\nWysłano: 6 maja 2024\n"
        "Temat: " + conf.message["Subject"] + "\n\n> W załączeniu przesyłamy formularz",
        "<konrad-thx2@cis>",
        when=at(5, 8, 8),
        headers=(
            ("In-Reply-To", conf.message["Message-ID"]),
            ("References", conf.message["Message-ID"]),
        ),
    )
    asks = mail(
        "Konrad Mazur <k.mazur@cis-jelenia.example.pl>",
        f"Pytanie {ref}",
        "Czy mogę przesłać jeszcze list polecający?",
        "<konrad-ask@cis>",
        when=at(5, 9, 8),
    )
    # the corrected form in the thread of a confirmation, an Outlook HTML reply
    conf_b = next(r for r in sent if r.rcpt_tos == [BOZENA.email])
    bozena_fix = mail(
        "Bożena Wrona <bozena.wrona@stowarzyszenie-wrona.example.org>",
        "RE: " + conf_b.message["Subject"],
        None,
        "<bozena-2@wrona>",
        when=at(5, 8, 9),
        html=outlook_reply_html(
            "Przesyłam poprawiony formularz (zmiana telefonu).",
            "Nabór do grup roboczych DKRES",
            conf_b.message["Subject"],
            _QUOTED_LETTER.format(ref=""),
        ),
        headers=(("In-Reply-To", conf_b.message["Message-ID"]),),
        attachments=(pdf(replace(BOZENA, phone="+48 700 100 200")),),
    )
    # "here is the form" once more in the thread of the no-form letter, and again no file
    conf_f = next(
        r
        for r in sent
        if r.rcpt_tos == ["f.pliszka@pliszka.example.pl"]
        and kind_of(r.message["X-Mailbot-Reply"]) == "no_form"
    )
    filip_again = mail(
        "Filip Pliszka <f.pliszka@pliszka.example.pl>",
        "Odp: " + conf_f.message["Subject"],
        "W załączeniu przesyłam formularz zgłoszeniowy.\n\nW dniu 22.05.2024 o "
        "10:01, Nabór pisze:\n> Dziękujemy za wiadomość.",
        "<filip-3@pliszka>",
        when=at(5, 22, 12),
        headers=(("In-Reply-To", conf_f.message["Message-ID"]),),
    )
    for extra in (thanks, asks, bozena_fix, filip_again):
        dovecot.append(imap_user, extra.as_bytes(), internaldate=extra["Date"].datetime)
    second = jobs.poll(config)
    assert second.ok and second.messages.processed == 4
    deserved = sorted([*deserved, (BOZENA.email, "accepted")])

    data = exported(config)
    msgs = {m["message_id"]: m for m in data["messages"]}
    apps = data["applications"]
    assert first.messages.processed == len(fetched)

    misjudged = []
    for e in MAILBOX:
        mid = e.msg["Message-ID"]
        if e.disposition is None:
            assert mid not in msgs, e.key
            continue
        got = msgs[mid]["disposition"]
        want = e.disposition if isinstance(e.disposition, frozenset) else {e.disposition}
        if got not in want:
            misjudged.append((e.key, sorted(want), got, msgs[mid].get("reason")))
    for mid in ("<konrad-thx2@cis>", "<konrad-ask@cis>", "<filip-3@pliszka>"):
        if msgs[mid]["disposition"] != "correspondence":
            misjudged.append((mid, ["correspondence"], msgs[mid]["disposition"], None))

    by_mid: dict[str, list[dict]] = {}
    for a in apps:
        by_mid.setdefault(a["message_id"], []).append(a)
    wrong_apps = []
    for e in MAILBOX:
        found = sorted(
            ((a["fields"].get("email") or a["sender"]).lower(), a["status"], bool(a["superseded"]))
            for a in by_mid.get(e.msg["Message-ID"], [])
        )
        if found != sorted(e.apps):
            wrong_apps.append((e.key, sorted(e.apps), found))
    fix = sorted(
        (a["fields"].get("email"), a["status"], bool(a["superseded"]))
        for a in by_mid.get("<bozena-2@wrona>", [])
    )
    if fix != [(BOZENA.email, "accepted", False)]:
        wrong_apps.append(("bozena_fix", [(BOZENA.email, "accepted", False)], fix))

    received = smtp_sink.messages
    got_letters = sorted(
        (r.rcpt_tos[0].lower(), kind_of(r.message["X-Mailbot-Reply"])) for r in received
    )
    extra = sorted(set(got_letters) - set(deserved))
    missing = sorted(set(deserved) - set(got_letters))
    print(
        "misjudged:",
        *misjudged,
        "wrong applications:",
        *wrong_apps,
        "letters not deserved:",
        *extra,
        "letters missing:",
        *missing,
        sep="\n  ",
    )
    assert (misjudged, wrong_apps, got_letters) == ([], [], deserved)

    for m in data["messages"]:
        if m["disposition"] != "application":
            assert m["replied"] is False, m
    withheld = {a["message_id"] for a in apps if a.get("reply_withheld")}
    assert withheld == {
        "<bartek-1@czapla>",
        "<celina-1@drozd>",
        "<self-2@dops>",
        "<pd-irena@dops>",
        "<pawel-1@cichy>",
        "<stefan-1@kruk>",
    }

    # numbering: applications only, from 0001, no gaps; the first poll's in order of receipt,
    # the one read by the second poll after them
    assert sorted(a["reference"] for a in apps) == [
        f"DKRES-2024-{n:04d}" for n in range(1, len(apps) + 1)
    ]
    first_pass = [a for a in apps if a["message_id"] != "<bozena-2@wrona>"]
    ordered = sorted(first_pass, key=lambda a: (a["received_at"], a["reference"]))
    assert [a["reference"] for a in ordered] == [
        f"DKRES-2024-{n:04d}" for n in range(1, len(first_pass) + 1)
    ]
    assert by_mid["<bozena-2@wrona>"][0]["reference"] == f"DKRES-2024-{len(apps):04d}"

    # nothing kept of unrelated mail but its headers
    with jobs.open_store(config) as store:
        rows = store.db.execute(
            "SELECT m.raw_file, (SELECT count(*) FROM attachments t WHERE t.message_pk = m.id) "
            "FROM messages m WHERE m.disposition = 'unrelated'"
        ).fetchall()
        assert rows and all(r == (None, 0) for r in rows)

    # the mailbox is untouched; each letter has its one copy in Sent; a further poll does nothing
    after = dovecot.fetch_flags(imap_user)
    assert len(after) == len(MAILBOX) + 4
    assert {uid: after[uid] for uid in before} == before
    assert not any(b"\\Seen" in f for f in after.values())
    with dovecot.client(imap_user) as client:
        sent_folders = [n for f, _s, n in client.list_folders() if b"\\Sent" in f]
    if sent_folders:
        assert len(dovecot.fetch_flags(imap_user, sent_folders[0])) == len(deserved)
    again = jobs.poll(config)
    assert again.ok and again.messages.processed == 0
    assert again.replies is not None and again.replies.sent == 0
    assert len(smtp_sink.messages) == len(deserved)
