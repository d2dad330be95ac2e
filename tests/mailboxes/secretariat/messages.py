"""The mailbox of the DKRES secretariat (d.butryn@dops.wroc.pl), late April to June 2024.

`MESSAGES`: what reaches the secretariat while the call for the five working groups runs
(6–24 May 2024) — the Committee's own business (meetings, minutes, resolutions, a circular
vote, the current term's working groups), newsletters, other bodies' calls with their own
forms, invoices, colleagues, robots — and the call's mail: applications in every shape,
questions, a withdrawal, a thank-you in the thread of mailbot's letter.

`HISTORY`: about 150 everyday messages of the same secretariat from March 2023 to mid-April
2024, generated from templates, none about this call: the mail `mailbot learn` reads.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from mailbot.ops import samples
from mailbot.ops.samples import Applicant
from mailboxes.model import DOCX, JPEG, PDF, Msg, photo_jpeg

from . import documents as doc
from . import papers
from .history import history

WARSAW = ZoneInfo("Europe/Warsaw")
BUTRYN = "Dorota Butryn <d.butryn@dops.wroc.pl>"


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=WARSAW)


def everyday(
    slug: str, sender: str, subject: str, body: str, received: datetime, why: str, **kw: object
) -> Msg:
    return Msg(slug, sender, subject, body, received, why=why, **kw)  # type: ignore[arg-type]


def form_docx(a: Applicant, tick: str = "☒") -> bytes:
    return samples.filled_docx(a, tick=tick)


def docx_of(a: Applicant, name: str, tick: str = "☒") -> tuple[str, str, object]:
    return (name, DOCX, partial(form_docx, a, tick))


def pdf_of(a: Applicant, name: str) -> tuple[str, str, object]:
    return (name, PDF, partial(samples.filled_pdf, a))


LIST_OWES = (
    ("List-Id", "Newsletter OWES Subregionu Wałbrzyskiego <newsletter.owes-walbrzych.example.pl>"),
    (
        "List-Unsubscribe",
        "<mailto:wypisz@owes-walbrzych.example.pl>, "
        "<https://owes-walbrzych.example.pl/newsletter/wypisz?u=4471>",
    ),
    ("Precedence", "bulk"),
)
LIST_MRPIPS = (
    ("List-Id", "Biuletyn Ekonomii Społecznej <biuletyn-es.mrips.example.gov.pl>"),
    ("List-Unsubscribe", "<https://biuletyn-es.mrips.example.gov.pl/rezygnacja>"),
    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
)
BULK_ONLY = (("List-Unsubscribe", "<https://webinary.fundacja-fise.example.org/wypisz?id=88>"),)


# --- everyday mail ----------------------------------------------------------------------------

EVERYDAY: list[Msg] = [
    everyday(
        "druk_oferta",
        "Biuro Obsługi Klienta – Dobry Druk <bok@dobrydruk.example.pl>",
        "Oferta 77/2024 – materiały na Forum",
        "Dzień dobry,\n\nw odpowiedzi na zapytanie przesyłam ofertę na roll-upy, ulotki i "
        "identyfikatory na Forum. Ceny ważne 14 dni.\n\nPozdrawiam\nKarolina Wilk\nDobry Druk s.c.",
        at(4, 24, 9, 40),
        "a printing house's quote for the Forum",
        attachments=(("Oferta_77_2024.pdf", PDF, papers.print_quote),),
    ),
    everyday(
        "catering_oferta_re",
        "Joanna Górska <biuro@podlipami.example.pl>",
        "RE: Zapytanie ofertowe – catering 16 maja",
        "Pani Doroto,\n\npotwierdzam: serwis kawowy całodzienny i lunch dla 32 osób, "
        "16 maja od 9:30, sala 204. Dieta wegetariańska dla 4 osób – oczywiście.\n\n"
        "Pozdrawiam serdecznie\nJoanna Górska\n\n"
        "-----Original Message-----\nFrom: Dorota Butryn <d.butryn@dops.wroc.pl>\n"
        "Sent: Thursday, April 25, 2024 11:02 AM\n"
        "Subject: Zapytanie ofertowe – catering 16 maja\n\n"
        "> Dzień dobry, proszę o ofertę na catering podczas posiedzenia Dolnośląskiego Komitetu\n"
        "> Rozwoju Ekonomii Społecznej w dniu 16 maja (ok. 32 osoby).\n",
        at(4, 25, 14, 5),
        "a caterer confirms the order for the Committee's meeting (a reply with a quote)",
    ),
    everyday(
        "kierownik_sprawozdanie",
        "Wojciech Marczak <w.marczak@dops.wroc.pl>",
        "Sprawozdanie z działalności DKRES za 2023 – termin",
        "Doroto,\n\nZarząd Województwa prosi o sprawozdanie z działalności Komitetu za 2023 r. "
        "do 10 czerwca. Przygotuj proszę projekt do 31 maja, żeby Przewodnicząca zdążyła "
        "przejrzeć. Dane o posiedzeniach i uchwałach masz w segregatorze.\n\nWojtek",
        at(4, 29, 8, 15),
        "the head of unit asks for the Committee's annual report",
    ),
    everyday(
        "rops_newsletter",
        "Regionalny Ośrodek Polityki Społecznej <rops.info@rops-dolnyslask.example.pl>",
        "Informator ROPS nr 5/2024 – ekonomia społeczna na Dolnym Śląsku",
        "INFORMATOR ROPS 5/2024\n\n1. 34 nowe przedsiębiorstwa społeczne w I kwartale.\n"
        "2. Posiedzenie Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej – 16 maja.\n"
        "3. Targi „Kupuj Społecznie” – zapisy wystawców do 30 czerwca.\n"
        "4. Szkolenie: spółdzielnie socjalne osób prawnych – jak założyć?\n\n"
        "Informator otrzymują partnerzy ROPS. Aby zrezygnować, odpisz „rezygnuję z informatora”.",
        at(5, 6, 7, 30),
        "ROPS's newsletter, sent from Outlook in BCC, no list headers",
        to="undisclosed-recipients:;",
    ),
    everyday(
        "protokol_uwagi_re",
        "Ryszard Olszewski <r.olszewski@kis-klodzko.example.pl>",
        "RE: Projekt protokołu z XI posiedzenia Komitetu",
        "Pani Doroto,\n\nw załączeniu dwie drobne uwagi do projektu protokołu. Poza tym bez "
        "zastrzeżeń.\n\nZ poważaniem\nRyszard Olszewski\nKlub Integracji Społecznej w Kłodzku\n\n"
        "Od: Dorota Butryn\nWysłano: piątek, 3 maja 2024 09:12\nTemat: Projekt protokołu z XI "
        "posiedzenia Komitetu\n\n> Szanowni Państwo, uprzejmie przesyłam projekt protokołu z XI\n"
        "> posiedzenia DKRES. Uwagi proszę zgłaszać do 8 maja.\n",
        at(5, 7, 12, 20),
        "a Committee member's remarks on the minutes, a reply quoting the secretariat",
        attachments=(("uwagi_protokol_XI.docx", DOCX, papers.minutes_remarks_docx),),
    ),
    everyday(
        "owes_szkolenie_blank",
        "OWES Subregionu Wałbrzyskiego <szkolenia@owes-walbrzych.example.pl>",
        "Zaproszenie na szkolenie – klauzule społeczne – formularz zgłoszeniowy",
        "Szanowni Państwo,\n\nOśrodek Wsparcia Ekonomii Społecznej zaprasza przedstawicieli "
        "podmiotów ekonomii społecznej na dwudniowe szkolenie „Klauzule społeczne w zamówieniach "
        "publicznych – jak startować w przetargach” (4–5 czerwca, Wałbrzych).\n\n"
        "W załączeniu przesyłamy formularz zgłoszeniowy. Wypełniony formularz prosimy odesłać "
        "do 27 maja. Prosimy o przekazanie informacji członkom Komitetu.\n\n"
        "Zespół OWES",
        at(5, 7, 13, 45),
        "OWES's training, its BLANK registration form attached",
        attachments=(
            ("Formularz_zgloszeniowy_szkolenie_klauzule.docx", DOCX, doc.owes_training_form),
        ),
    ),
    everyday(
        "kolega_sala_204",
        "Tomasz Gil <t.gil@dops.wroc.pl>",
        "sala 204 na 16.05",
        "Dorota, sala 204 zarezerwowana na posiedzenie Komitetu 16.05 od 9:00 do 15:00, "
        "rzutnik i mikrofony będą. Catering wchodzi bocznym wejściem.\nT.",
        at(5, 8, 9, 5),
        "a colleague booked the room for the Committee's meeting",
    ),
    everyday(
        "czlonek_potwierdza",
        "Barbara Zielińska <b.zielinska@cis-jelenia.example.pl>",
        "RE: XII posiedzenie Komitetu 16 maja – zaproszenie i materiały",
        "Dzień dobry, potwierdzam swoją obecność. Będę również na obiedzie.\n\n"
        "Barbara Zielińska\nCIS w Jeleniej Górze\n\n"
        "-----Wiadomość oryginalna-----\nOd: Dorota Butryn <d.butryn@dops.wroc.pl>\n"
        "Temat: XII posiedzenie Komitetu 16 maja – zaproszenie i materiały\n\n"
        "Porządek obrad:\n1. Przyjęcie protokołu z XI posiedzenia.\n2. Uchwała nr 7/2024 w "
        "sprawie sprawozdania z realizacji RPRES.\n3. Informacja o naborze do grup roboczych "
        "Komitetu na nową kadencję.\n4. Sprawy różne.\n",
        at(5, 8, 11, 30),
        "a member confirms attendance; the quoted agenda mentions the call, her text does not",
    ),
    everyday(
        "ooo_czlonek",
        "Piotr Zając <p.zajac@powiat-olesnica.example.pl>",
        "Automatyczna odpowiedź: XII posiedzenie Komitetu 16 maja – zaproszenie i materiały",
        "Dziękuję za wiadomość. Jestem poza biurem do 13 maja. W pilnych sprawach proszę o "
        "kontakt z sekretariatem Starostwa, tel. 71 314 01 00.\nPiotr Zając",
        at(5, 8, 11, 31),
        "a member's out-of-office auto-reply",
        expect="ignored",
        headers=(("Auto-Submitted", "auto-replied"), ("X-Auto-Response-Suppress", "All")),
    ),
    everyday(
        "grupa_ps_spotkanie",
        "Łukasz Brzeziński <l.brzezinski@spoldzielnie-dolnoslaskie.example.pl>",
        "Spotkanie grupy roboczej ds. przedsiębiorstw społecznych – 21 maja",
        "Szanowni Członkowie grupy roboczej,\n\nzapraszam na kolejne spotkanie grupy roboczej "
        "ds. przedsiębiorstw społecznych, które odbędzie się 21 maja o 11:00 online.\n\n"
        "Proponowany porządek:\n- stan prac nad rekomendacjami dotyczącymi wsparcia "
        "przedsiębiorstw społecznych po okresie dotacji,\n- przygotowanie wystąpienia na "
        "posiedzeniu Komitetu,\n- podsumowanie kadencji.\n\nDorota, prześlesz proszę link "
        "do wszystkich?\n\nŁukasz Brzeziński\nlider grupy",
        at(5, 8, 16, 10),
        "the current term's working group (same title as call group 5) plans its meeting",
    ),
    everyday(
        "rada_pozytku_blank",
        "Wydział Współpracy z Organizacjami Pozarządowymi <ngo@umwd.example.pl>",
        "Nabór kandydatów do Dolnośląskiej Rady Działalności Pożytku Publicznego",
        "Szanowni Państwo,\n\nMarszałek Województwa Dolnośląskiego ogłasza nabór kandydatów na "
        "członków Dolnośląskiej Rady Działalności Pożytku Publicznego V kadencji. Kandydatów "
        "zgłaszają organizacje pozarządowe. Zgłoszenia na załączonym formularzu przyjmujemy do "
        "14 czerwca 2024 r. (decyduje data wpływu).\n\nUprzejmie prosimy DOPS o rozpowszechnienie "
        "informacji wśród podmiotów ekonomii społecznej.\n\nZ wyrazami szacunku\n"
        "Wydział Współpracy z Organizacjami Pozarządowymi\nUrząd Marszałkowski Województwa "
        "Dolnośląskiego",
        at(5, 9, 9, 20),
        "the Marshal's office's call for the Public Benefit Council, BLANK fillable PDF",
        attachments=(
            ("Formularz_zgloszeniowy_kandydata_Rada_Pozytku.pdf", PDF, doc.rada_pozytku_pdf),
        ),
    ),
    everyday(
        "dops_szkolenie_gmina",
        "Renata Pawlik <r.pawlik@ops.zgorzelec.example.pl>",
        "Zgłoszenie na szkolenie 13 czerwca",
        "Dzień dobry,\n\nw załączeniu przesyłam wypełniony formularz zgłoszeniowy na szkolenie "
        "dotyczące współpracy CUS z podmiotami ekonomii społecznej (termin w Legnicy).\n\n"
        "Z poważaniem\nRenata Pawlik\nOśrodek Pomocy Społecznej w Zgorzelcu",
        at(5, 10, 8, 50),
        "a gmina official's FILLED registration form for DOPS's own training",
        attachments=(
            (
                "formularz zgloszeniowy - Pawlik.docx",
                DOCX,
                partial(
                    doc.dops_training_form,
                    {
                        "name": "Renata Pawlik",
                        "org": "Ośrodek Pomocy Społecznej w Zgorzelcu",
                        "position": "specjalista pracy socjalnej",
                        "email": "r.pawlik@ops.zgorzelec.example.pl",
                        "phone": "75 775 20 41",
                        "needs": "brak",
                        "date": "10.05.2024",
                    },
                    2,
                ),
            ),
        ),
    ),
    everyday(
        "projekt_uchwaly_html",
        "Anna Rybak <a.rybak@umwd.example.pl>",
        "Projekt uchwały nr 7/2024 – do materiałów na posiedzenie",
        "",
        at(5, 10, 10, 15),
        "the Marshal's office sends a draft resolution, HTML-only",
        html="<html><body><p>Pani Doroto,</p><p>przesyłam projekt <b>uchwały nr 7/2024</b> "
        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej w sprawie przyjęcia sprawozdania "
        "z realizacji RPRES za 2023 r. Proszę o dołączenie do materiałów na posiedzenie "
        "16 maja.</p><p>Pozdrawiam<br>Anna Rybak<br><i>Departament Polityki Społecznej</i></p>"
        "</body></html>",
        attachments=(("Projekt_uchwaly_7_2024.pdf", PDF, papers.resolution_draft),),
    ),
    everyday(
        "kolega_urlop",
        "Monika Zawada <m.zawada@dops.wroc.pl>",
        "urlop 20-24.05",
        "Hej Dorota,\nprzypominam ze od 20 do 24 maja jestem na urlopie, sprawy PES przejmuje "
        "Tomek. Gdyby dzwonili z OWES w sprawie bazy - prosze przekierowac do niego.\nMonika",
        at(5, 10, 14, 40),
        "a colleague's leave, no diacritics",
    ),
    everyday(
        "ngo_konferencja",
        "Fundacja Spółdzielcza Dolny Śląsk <biuro@fsds.example.org>",
        "Zaproszenie: Konferencja „Spółdzielczość socjalna na Dolnym Śląsku – 10 lat później”",
        "Szanowna Pani,\n\nserdecznie zapraszamy na konferencję 6 czerwca 2024 r. we Wrocławiu. "
        "W programie debata z udziałem przedstawicieli samorządu i spółdzielni socjalnych.\n"
        "Rejestracja przez formularz na stronie fsds.example.org/konferencja do 31 maja.\n\n"
        "Będzie nam miło gościć członków Komitetu.\n\nZarząd Fundacji",
        at(5, 12, 19, 5),
        "an NGO's conference invitation with an online registration form",
    ),
    everyday(
        "owes_newsletter",
        "Newsletter OWES <newsletter@owes-walbrzych.example.pl>",
        "Newsletter OWES | maj 2024: nabory, szkolenia, dotacje dla PS",
        "NEWSLETTER OWES – MAJ 2024\n\n"
        "▶ Nabór wniosków o dotacje na utworzenie miejsc pracy w przedsiębiorstwach społecznych "
        "– do 31 maja.\n▶ Szkolenie: klauzule społeczne (4–5 czerwca) – zapisy trwają.\n"
        "▶ Doradztwo dla grup inicjatywnych – zgłoś się!\n▶ Relacja z Forum Ekonomii "
        "Społecznej w Świdnicy.\n\nOtrzymujesz ten newsletter, bo zapisałeś się na stronie OWES. "
        "Wypisz się: https://owes-walbrzych.example.pl/newsletter/wypisz",
        at(5, 13, 6, 0),
        "OWES's newsletter with List-Id and List-Unsubscribe",
        html="<html><body><h2>NEWSLETTER OWES – MAJ 2024</h2><ul><li>Nabór wniosków o dotacje "
        "na utworzenie miejsc pracy w przedsiębiorstwach społecznych – do 31 maja</li>"
        "<li>Szkolenie: klauzule społeczne</li><li>Doradztwo dla grup inicjatywnych</li></ul>"
        "<p><a href='https://owes-walbrzych.example.pl/newsletter/wypisz'>Wypisz się</a></p>"
        "</body></html>",
        headers=LIST_OWES,
    ),
    everyday(
        "helpdesk_zamkniete",
        "Helpdesk DOPS <helpdesk@dops.wroc.pl>",
        "[Zgłoszenie #8812] Drukarka w pokoju 214 – zgłoszenie zamknięte",
        "Twoje zgłoszenie #8812 zostało zamknięte.\nRozwiązanie: wymieniono bęben.\n"
        "Ta wiadomość została wygenerowana automatycznie – nie odpowiadaj na nią.",
        at(5, 13, 9, 12),
        "the helpdesk system's automatic notice about a service ticket",
        expect="ignored",
        headers=(("Auto-Submitted", "auto-generated"),),
    ),
    everyday(
        "pes_aktualizacja_docx",
        "Spółdzielnia Socjalna Zielona Dolina <biuro@zielonadolina.example.pl>",
        "Aktualizacja danych w bazie PES",
        "Dzień dobry,\n\nprzesyłam formularz aktualizacji danych naszej spółdzielni do bazy "
        "podmiotów ekonomii społecznej – zmienił się adres i osoba do kontaktu.\n\n"
        "Pozdrawiam\nAdam Lis\nprezes zarządu",
        at(5, 13, 11, 25),
        "a cooperative's FILLED PES-database update form (DOCX)",
        attachments=(
            (
                "formularz_aktualizacji_PES.docx",
                DOCX,
                partial(
                    doc.pes_update_docx,
                    "Spółdzielnia Socjalna „Zielona Dolina”",
                    "Adam Lis",
                    "biuro@zielonadolina.example.pl",
                    "665 210 330",
                    "spółdzielnia socjalna",
                ),
            ),
        ),
    ),
    everyday(
        "gmina_zmiana_przedstawiciela",
        "Sekretariat Urzędu Gminy Kobierzyce <sekretariat@kobierzyce.example.pl>",
        "Zmiana przedstawiciela Gminy w Komitecie",
        "Szanowni Państwo,\n\nuprzejmie informuję, że z dniem 1 czerwca 2024 r. Gminę "
        "Kobierzyce w Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej reprezentować będzie "
        "Pani Edyta Wróbel, zastępca kierownika GOPS, w miejsce Pana Henryka Mroza.\n"
        "Pismo Wójta zostanie przesłane pocztą tradycyjną.\n\nZ poważaniem\nSekretariat",
        at(5, 13, 13, 0),
        "a gmina changes its representative IN THE COMMITTEE (not a working group)",
    ),
    everyday(
        "dziennikarz_sklad",
        "Michał Żurek <m.zurek@gazeta-wroclawska.example.pl>",
        "Prośba o informację – skład Komitetu ekonomii społecznej",
        "Dzień dobry,\n\npiszę tekst o ekonomii społecznej w regionie. Czy mogłaby Pani "
        "przesłać aktualny skład Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej i "
        "informację, jakie grupy robocze działają przy Komitecie i czym się zajmują? "
        "Chętnie porozmawiam też z Przewodniczącą.\n\nMichał Żurek\nGazeta Wrocławska, "
        "dział regionalny\ntel. 600 700 800",
        at(5, 14, 10, 35),
        "a journalist asks for the Committee's composition and its working groups",
    ),
    everyday(
        "czlonek_zastepstwo",
        "Katarzyna Bielecka <k.bielecka@pup-legnica.example.pl>",
        "Posiedzenie 16.05 – zastępstwo",
        "Pani Doroto,\n\nniestety nie będę mogła uczestniczyć w posiedzeniu Komitetu 16 maja. "
        "W moim zastępstwie będzie Pan Marcin Duda – upoważnienie w załączeniu przyniesie "
        "osobiście. Czy w takim przypadku może on głosować nad uchwałą nr 7/2024?\n\n"
        "Z poważaniem\nKatarzyna Bielecka\nPowiatowy Urząd Pracy w Legnicy",
        at(5, 14, 15, 20),
        "a member sends a substitute to the meeting and asks about voting",
    ),
    everyday(
        "ministerstwo_okolnik",
        "Departament Ekonomii Społecznej i Solidarnej <desis@mrips.example.gov.pl>",
        "Pismo okólne – sprawozdanie ROPS z realizacji KPRES za 2023 r.",
        "Szanowni Państwo,\n\nw nawiązaniu do pisma okólnego z 29 kwietnia br. przesyłam "
        "formularz sprawozdawczy dotyczący realizacji Krajowego Programu Rozwoju Ekonomii "
        "Społecznej przez regionalne ośrodki polityki społecznej. Wypełniony formularz prosimy "
        "przesłać do 14 czerwca 2024 r. W części B prosimy o informacje o działalności "
        "regionalnego komitetu i jego grup roboczych.\n\nZ poważaniem\nNaczelnik Wydziału\n"
        "Departament Ekonomii Społecznej i Solidarnej MRPiPS",
        at(5, 15, 9, 0),
        "a ministry circular: 'przesyłam formularz' (a reporting form for ROPS)",
        attachments=(("formularz_sprawozdawczy_ROPS_2023.docx", DOCX, doc.ministry_report_form),),
    ),
    everyday(
        "forum_zaproszenie",
        "Forum Ekonomii Społecznej <forum@dops.wroc.pl>",
        "VII Dolnośląskie Forum Ekonomii Społecznej – 22 maja 2024",
        "Szanowni Państwo,\n\nDyrektor Dolnośląskiego Ośrodka Polityki Społecznej oraz "
        "Przewodnicząca Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej zapraszają na "
        "VII Dolnośląskie Forum Ekonomii Społecznej, 22 maja 2024 r., Centrum Konferencyjne "
        "„Nadodrze”. Rejestracja: forum.dops.wroc.pl/rejestracja.\n\nZespół Forum",
        at(5, 15, 12, 0),
        "the Forum Ekonomii Społecznej invitation (DOPS's mailing list, the secretariat on it)",
        to="forum-zaproszeni@dops.wroc.pl",
    ),
    everyday(
        "prezentacja_owes",
        "Dariusz Kowal <d.kowal@owes-jelenia.example.pl>",
        "prezentacja na jutro",
        "Dzien dobry, w zalaczeniu prezentacja OWES na jutrzejsze posiedzenie Komitetu "
        "(punkt sprawy rozne). Prosze o wyswietlenie.\nDariusz Kowal",
        at(5, 15, 17, 55),
        "an OWES head sends slides for the Committee's meeting, no diacritics",
        attachments=(("OWES_JG_posiedzenie_DKRES_16_05.pdf", PDF, papers.presentation_pdf),),
    ),
    everyday(
        "webinar_es",
        "Fundacja FISE – webinary <webinary@fundacja-fise.example.org>",
        "Zapraszamy na webinar o ekonomii społecznej: zakupy społecznie odpowiedzialne w gminie",
        "Zapraszamy na bezpłatny webinar o ekonomii społecznej!\n\n"
        "Temat: Zakupy społecznie odpowiedzialne w gminie – jak współpracować z PES\n"
        "Termin: 23 maja 2024, 10:00–11:30, ZOOM\nProwadzący: dr Tomasz Schimanek\n\n"
        "Zapisy: https://webinary.fundacja-fise.example.org/zso\n"
        "Nie chcesz otrzymywać zaproszeń? Wypisz się.",
        at(5, 16, 8, 0),
        "a webinar invitation about ekonomia społeczna, List-Unsubscribe only",
        headers=BULK_ONLY,
    ),
    everyday(
        "owes_nabor_projekt",
        "Agnieszka Malec <a.malec@owes-legnica.example.pl>",
        "Prośba o rozpowszechnienie – nabór do projektu dla przedsiębiorstw społecznych",
        "Pani Doroto,\n\nuprzejmie prosimy o rozesłanie członkom Komitetu informacji o naborze "
        "do projektu „Wsparcie przedsiębiorstw społecznych w subregionie legnickim”. Nabór "
        "trwa do 15 czerwca, zgłoszenia przyjmujemy przez formularz online. Wsparcie "
        "obejmuje doradztwo, szkolenia i dotacje na nowe miejsca pracy.\n\n"
        "Dziękuję i pozdrawiam\nAgnieszka Malec\nOWES Subregionu Legnickiego",
        at(5, 16, 12, 40),
        "OWES asks to pass on its own project's recruitment ('nabór', 'zgłoszenia')",
    ),
    everyday(
        "lista_obecnosci_skan",
        "Tomasz Gil <t.gil@dops.wroc.pl>",
        "DKRES - lista obecności z posiedzenia 16.05",
        "Skan listy obecności z wczoraj, oryginał w segregatorze.",
        at(5, 17, 8, 20),
        "a colleague's scanned attendance list with 'DKRES' in the subject",
        attachments=(
            ("lista_obecnosci_DKRES_16_05_2024.pdf", PDF, partial(samples.scanned_pdf, 210, 297)),
        ),
    ),
    everyday(
        "faktura_catering",
        "Catering Pod Lipami <faktury@podlipami.example.pl>",
        "Faktura FV/2024/05/118",
        "Dzień dobry,\nw załączeniu faktura za catering podczas posiedzenia w dniu 16.05.2024.\n"
        "Dziękujemy za współpracę!\nJoanna Górska",
        at(5, 17, 9, 45),
        "the caterer's invoice for the Committee's meeting (text PDF)",
        attachments=(("FV_2024_05_118.pdf", PDF, papers.catering_invoice),),
    ),
    everyday(
        "konkurs_zgloszenie_pdf",
        "Aleksandra Kubiak <kontakt@smakibaryczy.example.pl>",
        "Zgłoszenie do konkursu Dolnośląski Lider Ekonomii Społecznej",
        "Dzień dobry,\n\nw załączeniu przesyłam formularz zgłoszeniowy naszej spółdzielni do "
        "konkursu „Dolnośląski Lider Ekonomii Społecznej 2024” w kategorii przedsiębiorstwo "
        "społeczne roku. Regulamin przeczytałam i akceptuję.\n\nPozdrawiam serdecznie\n"
        "Aleksandra Kubiak\nSpółdzielnia Socjalna „Smaki Doliny Baryczy”",
        at(5, 17, 11, 10),
        "a cooperative's FILLED entry to DOPS's contest (PDF), 'przesyłam formularz zgłoszeniowy'",
        attachments=(("Formularz zgloszeniowy - Lider ES 2024.pdf", PDF, doc.contest_pdf_filled),),
    ),
    everyday(
        "wniosek_zwrot_kosztow",
        "Ryszard Olszewski <r.olszewski@kis-klodzko.example.pl>",
        "Wniosek o zwrot kosztów przejazdu – posiedzenie 16.05",
        "Pani Doroto, w załączeniu wniosek o zwrot kosztów dojazdu na posiedzenie Komitetu "
        "wraz ze skanem biletów.\nRyszard Olszewski",
        at(5, 17, 16, 30),
        "a member's FILLED travel-refund form",
        attachments=(
            ("wniosek_zwrot_kosztow_Olszewski.docx", DOCX, doc.travel_refund_docx),
            ("bilety.jpg", JPEG, partial(photo_jpeg, 11, 1600, 1200)),
        ),
    ),
    everyday(
        "cis_jubileusz_html",
        "CIS Bolesławiec <cis@cis-boleslawiec.example.pl>",
        "Zaproszenie na jubileusz 10-lecia CIS",
        "",
        at(5, 18, 9, 0),
        "an HTML-only invitation to a CIS anniversary",
        html="<html><body style='font-family:Calibri'><p>Szanowna Pani Doroto,</p><p>z okazji "
        "<b>10-lecia Centrum Integracji Społecznej w Bolesławcu</b> mamy zaszczyt zaprosić "
        "Panią oraz członków Komitetu na uroczystość, która odbędzie się <b>7 czerwca 2024 r. "
        "o godz. 12:00</b> w sali widowiskowej Bolesławieckiego Ośrodka Kultury.</p>"
        "<p>Prosimy o potwierdzenie obecności do 31 maja.</p><p>Dyrektor CIS<br>Elżbieta "
        "Nowicka</p></body></html>",
    ),
    everyday(
        "student_dane",
        "Julia Kamińska <julia.kaminska@student.uwr.example.edu.pl>",
        "Prośba o dane do pracy magisterskiej",
        "Szanowna Pani,\n\npiszę pracę magisterską o spółdzielniach socjalnych na Dolnym Śląsku. "
        "Czy DOPS udostępnia dane o liczbie przedsiębiorstw społecznych w podziale na powiaty? "
        "Chętnie przyjadę lub zadzwonię.\n\nZ wyrazami szacunku\nJulia Kamińska\n"
        "Uniwersytet Wrocławski",
        at(5, 19, 21, 15),
        "a student asks for data for her thesis",
    ),
    everyday(
        "ministerstwo_biuletyn",
        "Biuletyn Ekonomii Społecznej <biuletyn-es@mrips.example.gov.pl>",
        "Biuletyn Ekonomii Społecznej nr 9/2024",
        "",
        at(5, 20, 7, 0),
        "the ministry's newsletter, HTML-only, List-Id",
        html="<html><body><table width='600'><tr><td><h1>Biuletyn Ekonomii Społecznej "
        "9/2024</h1><p>W numerze: posiedzenie Krajowego Komitetu Rozwoju Ekonomii Społecznej; "
        "nowe rozporządzenie w sprawie statusu przedsiębiorstwa społecznego; regionalne "
        "komitety rozwoju ekonomii społecznej – dobre praktyki z Małopolski; konkurs „Zakup "
        "Prospołeczny”.</p><p><a href='https://biuletyn-es.mrips.example.gov.pl/rezygnacja'>"
        "Rezygnacja z subskrypcji</a></p></td></tr></table></body></html>",
        headers=LIST_MRPIPS,
    ),
    everyday(
        "zwiazek_fw_uchwala_zarzadu",
        "Wojciech Marczak <w.marczak@dops.wroc.pl>",
        "PD: Uchwała Zarządu Województwa w sprawie zmiany składu Komitetu",
        "Do wiadomości i do teczki DKRES.\nW.\n\n"
        "Od: Kancelaria Urzędu Marszałkowskiego <kancelaria@umwd.example.pl>\n"
        "Wysłano: 17 maja 2024 14:02\nDo: DOPS Sekretariat <sekretariat@dops.wroc.pl>\n"
        "Temat: Uchwała Zarządu Województwa w sprawie zmiany składu Komitetu\n\n"
        "W załączeniu uprzejmie przekazujemy uchwałę nr 1234/VI/24 Zarządu Województwa "
        "Dolnośląskiego z dnia 14 maja 2024 r. zmieniającą uchwałę w sprawie powołania "
        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej.\n",
        at(5, 20, 8, 35),
        "the head of unit forwards the Board's resolution on the Committee's members",
        attachments=(("Uchwala_1234_VI_24.pdf", PDF, partial(samples.scanned_pdf, 180, 250)),),
    ),
    everyday(
        "rada_pozytku_wypelniony",
        "Stowarzyszenie Przyjaciół Ziemi Kłodzkiej <biuro@ziemia-klodzka.example.org>",
        "Zgłoszenie kandydata do Rady Pożytku",
        "Szanowna Pani,\n\nw nawiązaniu do informacji przekazanej przez DOPS przesyłamy "
        "zgłoszenie naszej kandydatki, Pani Grażyny Szewczyk, do Dolnośląskiej Rady "
        "Działalności Pożytku Publicznego. Uprzejmie prosimy o przekazanie do Urzędu "
        "Marszałkowskiego lub informację, gdzie powinniśmy je wysłać.\n\nZ poważaniem\n"
        "Jan Szewczyk, Prezes Stowarzyszenia",
        at(5, 20, 10, 5),
        "an association's FILLED Public Benefit Council form (DOCX), a candidate nominated",
        attachments=(
            ("zgloszenie kandydata - Rada Pozytku.docx", DOCX, doc.rada_pozytku_docx_filled),
        ),
    ),
    everyday(
        "glosowanie_obiegowe_skan",
        "Elżbieta Nowicka <e.nowicka@cis-boleslawiec.example.pl>",
        "DKRES – karta do głosowania obiegowego (uchwała nr 8/2024)",
        "Dzień dobry, w załączeniu przesyłam podpisaną kartę do głosowania w trybie "
        "obiegowym. Głosuję za.\nElżbieta Nowicka",
        at(5, 21, 9, 25),
        "a member's scanned circular-vote card, 'DKRES' in the subject",
        attachments=(("karta_glosowania_8_2024.pdf", PDF, samples.scanned_pdf),),
    ),
    everyday(
        "webinar_zatrudnienie_socjalne",
        "Instytut Rozwoju Ekonomii Społecznej <kontakt@ires.example.org>",
        "Webinar: Zatrudnienie socjalne w praktyce CIS i KIS",
        "Dzień dobry,\n\nzapraszamy na webinar „Zatrudnienie socjalne w praktyce CIS i KIS – "
        "zmiany w ustawie” (28 maja, 12:00). Webinar jest skierowany do kadry podmiotów "
        "zatrudnienia socjalnego i reintegracyjnych. Udział bezpłatny, liczba miejsc "
        "ograniczona. Zapisy przez formularz: ires.example.org/webinar-zs\n\nZespół IRES",
        at(5, 21, 14, 0),
        "a webinar invitation whose topic matches call group 4's words, no list headers",
    ),
    everyday(
        "notatka_grupa_promocja",
        "Ewelina Sroka <e.sroka@lgd-kaczawskie.example.pl>",
        "Notatka ze spotkania grupy roboczej ds. promocji i współpracy z biznesem",
        "Pani Doroto,\n\nprzesyłam notatkę z wtorkowego spotkania grupy. Proszę o zamieszczenie "
        "w materiałach na najbliższe posiedzenie Komitetu.\n\nEwelina Sroka",
        at(5, 22, 11, 15),
        "notes of the current term's working group (same title as call group 3)",
        attachments=(("notatka_GR_promocja_14_05_2024.docx", DOCX, papers.working_group_notes),),
    ),
    everyday(
        "kadry_bhp",
        "Dział Kadr DOPS <kadry@dops.wroc.pl>",
        "Szkolenie okresowe BHP – lista osób",
        "Szanowni Państwo,\nw załączeniu harmonogram szkoleń okresowych BHP. Pani Dorota Butryn "
        "– 5 czerwca, godz. 9:00, sala 12. Prosimy o potwierdzenie.\nDział Kadr",
        at(5, 22, 13, 30),
        "HR's health-and-safety training schedule",
    ),
    everyday(
        "kolega_kawa",
        "Monika Zawada <m.zawada@dops.wroc.pl>",
        "kawa?",
        "Wrocilam wczesniej :) kawa o 12?",
        at(5, 23, 10, 55),
        "a colleague, two lines",
    ),
    everyday(
        "pes_aktualizacja_pdf",
        "Mirosław Kaczmarczyk <m.kaczmarczyk@krokdalej.example.org>",
        "Formularz aktualizacji – Fundacja Krok Dalej",
        "Dzień dobry, przesyłam formularz. Proszę o potwierdzenie otrzymania.\n"
        "Mirosław Kaczmarczyk",
        at(5, 23, 12, 20),
        "a foundation's FILLED PES-database update form (PDF), 'przesyłam formularz'",
        attachments=(("formularz_aktualizacji_Krok_Dalej.pdf", PDF, doc.pes_update_pdf),),
    ),
    everyday(
        "rops_ankieta",
        "ROPS – zespół badawczy <badania@rops-dolnyslask.example.pl>",
        "Ankieta: potrzeby PES w zakresie wsparcia (do 7 czerwca)",
        "Szanowni Państwo,\n\nprosimy o wypełnienie krótkiej ankiety o potrzebach podmiotów "
        "ekonomii społecznej: https://ankiety.rops-dolnyslask.example.pl/pes2024 . Wyniki "
        "przedstawimy na posiedzeniu Komitetu jesienią.\n\nZespół badawczy ROPS",
        at(5, 23, 15, 0),
        "ROPS's survey request",
    ),
    everyday(
        "protokol_gr_uslugi_fw",
        "Anna Rybak <a.rybak@umwd.example.pl>",
        "FW: protokół ze spotkania grupy roboczej ds. rozwoju usług społecznych",
        "Pani Doroto, przekazuję protokół od lidera grupy – do archiwum Komitetu.\nA. Rybak\n\n"
        "---------- Forwarded message ---------\n"
        "From: Henryk Sowa <h.sowa@cus-swidnica.example.pl>\n"
        "Date: czw., 23 maj 2024 o 16:40\nSubject: protokół ze spotkania grupy roboczej ds. "
        "rozwoju usług społecznych i deinstytucjonalizacji\nTo: Anna Rybak\n\n"
        "W załączeniu protokół ze spotkania grupy roboczej ds. rozwoju usług społecznych i "
        "deinstytucjonalizacji z 20 maja. Grupa przyjęła stanowisko w sprawie CUS.\n",
        at(5, 24, 9, 10),
        "a forwarded chain with the minutes of a current working group (call group 1's title)",
        attachments=(
            (
                "protokol_GR1_20_05_2024.docx",
                DOCX,
                partial(
                    papers.office_docx_text,
                    "Protokół ze spotkania grupy roboczej ds. rozwoju usług "
                    "społecznych i deinstytucjonalizacji, 20 maja 2024 r.",
                    "Obecni: 6 członków grupy. Przyjęto stanowisko w sprawie roli CUS w "
                    "zlecaniu usług podmiotom ekonomii społecznej.",
                ),
            ),
        ),
    ),
    everyday(
        "faktura_sala",
        "Recepcja Nadodrze <recepcja@nadodrze-hotel.example.pl>",
        "Faktura 0412/H/2024 – Forum 22.05",
        "Szanowni Państwo,\nprzesyłamy fakturę za wynajem sali i obsługę techniczną Forum.\n"
        "Z poważaniem\nDział Sprzedaży",
        at(5, 24, 14, 45),
        "the venue's invoice for the Forum (text PDF)",
        attachments=(("Faktura_0412_H_2024.pdf", PDF, papers.venue_invoice),),
    ),
    everyday(
        "patronat_wniosek",
        "Patrycja Wawrzyniak <p.wawrzyniak@ekonomiawspolna.example.org>",
        "Wniosek o patronat Komitetu – Targi Kupuj Społecznie",
        "Szanowna Pani,\n\nzwracamy się z uprzejmą prośbą o objęcie patronatem honorowym "
        "Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej Targów Przedsiębiorczości "
        "Społecznej „Kupuj Społecznie” (14 września 2024 r.). W załączeniu wypełniony wniosek.\n\n"
        "Z wyrazami szacunku\nPatrycja Wawrzyniak\nFundacja Ekonomii Wspólnej",
        at(5, 27, 10, 0),
        "a request for the Committee's patronage after the deadline, its own filled form",
        attachments=(("wniosek_patronat_DKRES.docx", DOCX, doc.patronage_docx),),
    ),
    everyday(
        "uczelnia_przedstawiciel",
        "Kancelaria Rektora UEW <kancelaria@uew.example.edu.pl>",
        "Przedstawiciel Uczelni w Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej",
        "Szanowna Pani Dyrektor,\n\nw odpowiedzi na pismo w sprawie uzupełnienia składu "
        "Komitetu uprzejmie zgłaszam Pana dr. Macieja Grabowskiego z Katedry Ekonomii "
        "Społecznej jako przedstawiciela Uniwersytetu Ekonomicznego we Wrocławiu w "
        "Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej. Pismo Rektora w załączeniu.\n\n"
        "Z wyrazami szacunku\nKancelaria Rektora",
        at(5, 28, 11, 20),
        "a university nominates its representative IN THE COMMITTEE, after 24 May",
        attachments=(("Pismo Rektora - przedstawiciel w DKRES.pdf", PDF, samples.scanned_pdf),),
    ),
    everyday(
        "forum_program",
        "Forum Ekonomii Społecznej <forum@dops.wroc.pl>",
        "Dziękujemy za udział w Forum – program i prezentacje",
        "Szanowni Państwo,\n\ndziękujemy za udział w VII Dolnośląskim Forum Ekonomii "
        "Społecznej. W załączeniu program; prezentacje prelegentów są dostępne na stronie "
        "forum.dops.wroc.pl. Zapraszamy za rok!\n\nZespół Forum",
        at(5, 28, 15, 0),
        "the Forum's thank-you with its programme",
        to="forum-zaproszeni@dops.wroc.pl",
        attachments=(("Program_Forum_ES_2024.pdf", PDF, papers.agenda_pdf),),
    ),
    everyday(
        "konkurs_blank_info",
        "Sylwia Kurek <s.kurek@dops.wroc.pl>",
        "Konkurs Lider ES – przypomnienie o terminie + formularz",
        "Doroto,\n\nprzypominam, że zgłoszenia do konkursu „Dolnośląski Lider Ekonomii "
        "Społecznej” przyjmujemy do 14 czerwca. Podeślij proszę formularz (w załączeniu pusty) "
        "jeszcze raz członkom Komitetu, niech przekażą swoim podmiotom.\n\nSylwia",
        at(6, 3, 9, 30),
        "a colleague sends the contest's BLANK entry form (DOCX) to pass on",
        attachments=(("formularz_zgloszeniowy_Lider_ES_2024.docx", DOCX, doc.contest_docx_blank),),
    ),
    everyday(
        "kpres_konsultacje",
        "Departament Ekonomii Społecznej i Solidarnej <desis@mrips.example.gov.pl>",
        "Konsultacje projektu aktualizacji KPRES – formularz uwag",
        "Szanowni Państwo,\n\nuprzejmie informuję o konsultacjach projektu aktualizacji "
        "Krajowego Programu Rozwoju Ekonomii Społecznej. Uwagi prosimy zgłaszać na załączonym "
        "formularzu do 28 czerwca. Prosimy o przekazanie informacji członkom regionalnego "
        "komitetu.\n\nDESiS",
        at(6, 4, 8, 10),
        "the ministry's consultation with a blank remarks form",
        attachments=(("formularz_uwag_KPRES.docx", DOCX, doc.consultation_form),),
    ),
    everyday(
        "posiedzenie_termin_czerwiec",
        "Przewodnicząca Komitetu <i.malinowska@rops-dolnyslask.example.pl>",
        "Termin XIII posiedzenia",
        "Pani Doroto,\n\nproponuję XIII posiedzenie Komitetu 27 czerwca. Proszę o rozesłanie "
        "ankiety terminowej. W porządku: przyjęcie sprawozdania rocznego i powołanie członków "
        "grup roboczych na nową kadencję – lista od Pani.\n\nIrena Malinowska",
        at(6, 4, 18, 20),
        "the Chair plans the next meeting (mentions appointing the groups' members)",
    ),
    everyday(
        "owes_newsletter_czerwiec",
        "Newsletter OWES <newsletter@owes-walbrzych.example.pl>",
        "Newsletter OWES | czerwiec 2024",
        "NEWSLETTER OWES – CZERWIEC 2024\n\n▶ Wyniki naboru wniosków o dotacje.\n"
        "▶ Ekonomia społeczna w gminach – cykl spotkań.\n▶ Kalendarz szkoleń na lipiec.\n\n"
        "Wypisz się: https://owes-walbrzych.example.pl/newsletter/wypisz",
        at(6, 5, 6, 0),
        "OWES's June newsletter with List-Id",
        headers=LIST_OWES,
    ),
]


# --- the call's applicants --------------------------------------------------------------------

ZOFIA = Applicant(
    full_name="Zofia Mazur",
    organisation="Stowarzyszenie „Aktywni Razem” w Legnicy",
    organisation_type="organizacja pozarządowa",
    position="Prezeska zarządu",
    address="ul. Złotoryjska 44\n59-220 Legnica",
    email="zofia.mazur@aktywnirazem.example.org",
    phone="604 551 201",
    groups=(1,),
    place_and_date="Legnica, 2.05.2024",
    experience="Od 2012 r. prowadzę usługi opiekuńcze dla seniorów w Legnicy.",
)
KRZYSZTOF = Applicant(
    full_name="Krzysztof Wieczorek",
    organisation="Zakład Aktywności Zawodowej w Bielawie",
    organisation_type="ZAZ",
    position="Kierownik ZAZ",
    address="ul. Wolności 110\n58-260 Bielawa",
    email="k.wieczorek@zaz-bielawa.example.pl",
    phone="74 833 20 17",
    groups=(4,),
    place_and_date="Bielawa, 5.05.2024",
    experience="Kieruję ZAZ od 2016 r., zatrudniamy 42 osoby z niepełnosprawnościami.",
)
HANNA = Applicant(
    full_name="Hanna Sadowska",
    organisation="Gminny Ośrodek Pomocy Społecznej w Miękini",
    organisation_type="JST",
    position="Kierownik GOPS",
    address="ul. Kolejowa 2\n55-330 Miękinia",
    email="h.sadowska@gops-miekinia.example.pl",
    phone="71 317 81 00",
    groups=(1, 2),
    place_and_date="Miękinia, 7.05.2024",
    experience="Przygotowałam gminny program zlecania usług społecznych PES.",
)
BEATA = Applicant(
    full_name="Beata Krawczyk",
    organisation="Fundacja „Dobry Biznes”",
    organisation_type="organizacja pozarządowa",
    position="Koordynatorka projektów CSR",
    address="pl. Solny 14\n50-062 Wrocław",
    email="beata.krawczyk@dobrybiznes.example.org",
    phone="+48 512 300 411",
    groups=(3,),
    place_and_date="Wrocław, 8 maja 2024",
    experience="Łączę firmy z podmiotami ekonomii społecznej w programach wolontariatu.",
)
ROBERT = Applicant(
    full_name="Robert Pawlak",
    organisation="Spółdzielnia Socjalna „Horyzont”",
    organisation_type="spółdzielnia socjalna",
    position="Prezes zarządu",
    address="ul. Długa 5\n58-500 Jelenia Góra",
    email="robert.pawlak@horyzont-ss.example.pl",
    phone="697 210 118",
    groups=(5,),
    place_and_date="Jelenia Góra, 9.05.2024",
    experience="Spółdzielnia prowadzi usługi porządkowe i zieleni od 2017 r.",
)
IWONA = Applicant(
    full_name="Iwona Stępień",
    organisation="Centrum Integracji Społecznej w Wałbrzychu",
    organisation_type="CIS",
    position="Specjalistka ds. reintegracji",
    address="ul. Słowackiego 2\n58-300 Wałbrzych",
    email="i.stepien@cis-walbrzych.example.pl",
    phone="74 842 11 22",
    groups=(4,),
    consents_gdpr=False,
    place_and_date="Wałbrzych, 10.05.2024",
)
MAREK = Applicant(
    full_name="Marek Wróbel",
    organisation="Spółdzielnia Socjalna „Wspólna Sprawa”",
    organisation_type="spółdzielnia socjalna",
    position="Członek zarządu",
    address="ul. Polna 8\n56-400 Oleśnica",
    email="marek.wrobel(at)wspolnasprawa.example.pl",
    phone="601 404 707",
    groups=(5,),
    place_and_date="Oleśnica, 10.05.2024",
)
ELZBIETA = Applicant(full_name="Elżbieta Górecka", email="e.gorecka@wtz-olawa.example.pl")
PAWEL = Applicant(
    full_name="Paweł Kaczmarek",
    organisation="Urząd Miasta Świdnica",
    organisation_type="JST",
    position="Inspektor ds. zamówień publicznych",
    address="ul. Armii Krajowej 49\n58-100 Świdnica",
    email="p.kaczmarek@um.swidnica.example.pl",
    phone="74 856 28 00",
    groups=(2,),
    place_and_date="Świdnica, 11.05.2024",
    experience="Przygotowuję zamówienia z klauzulami społecznymi od 2019 r.",
)
PAWEL_2 = replace(PAWEL, groups=(2, 3), phone="74 856 28 31", place_and_date="Świdnica, 15.05.2024")
JOLANTA = Applicant(
    full_name="Jolanta Michalak",
    organisation="Powiatowe Centrum Pomocy Rodzinie w Trzebnicy",
    organisation_type="JST",
    position="Dyrektor PCPR",
    address="ul. Prusicka 12\n55-100 Trzebnica",
    email="j.michalak@pcpr-trzebnica.example.pl",
    phone="71 312 15 60",
    groups=(1,),
    place_and_date="Trzebnica, 13.05.2024",
)
ARTUR = Applicant(
    full_name="Artur Jasiński",
    organisation="Powiatowe Centrum Pomocy Rodzinie w Trzebnicy",
    organisation_type="JST",
    position="Koordynator pieczy zastępczej",
    address="ul. Prusicka 12\n55-100 Trzebnica",
    email="a.jasinski@pcpr-trzebnica.example.pl",
    phone="71 312 15 64",
    groups=(2,),
    place_and_date="Trzebnica, 13.05.2024",
)
KATARZYNA = Applicant(
    full_name="Katarzyna Lewandowska",
    organisation="Klub Integracji Społecznej w Strzelinie",
    organisation_type="KIS",
    position="Koordynatorka KIS",
    address="ul. Kościuszki 9\n57-100 Strzelin",
    email="k.lewandowska@kis-strzelin.example.pl",
    phone="71 392 04 44",
    groups=(4,),
    place_and_date="Strzelin, 16.05.2024",
)
MALGORZATA = Applicant(
    full_name="Małgorzata Kwiatkowska",
    organisation="Fundacja „Przystań”",
    organisation_type="organizacja pozarządowa",
    position="Prezeska",
    address="ul. Kasprowicza 20\n51-137 Wrocław",
    email="m.kwiatkowska@przystan.example.org",
    phone="503 220 910",
    groups=(1,),
    place_and_date="Wrocław, 16.05.2024",
)
WOJCIECH = Applicant(
    full_name="Wojciech Adamczyk",
    organisation="Stowarzyszenie „Nasza Dolina”",
    organisation_type="organizacja pozarządowa",
    position="Wiceprezes",
    address="Ścinawka Średnia 60\n57-410 Ścinawka Średnia",
    email="w.adamczyk@naszadolina.example.org",
    phone="74 871 90 02",
    groups=(3, 5),
    place_and_date="Ścinawka Średnia, 17.05.2024",
)
LUCYNA = Applicant(
    full_name="Lucyna Pietrzak",
    organisation="Warsztat Terapii Zajęciowej w Ząbkowicach Śląskich",
    organisation_type="WTZ",
    position="Kierowniczka WTZ",
    address="ul. Sienkiewicza 11\n57-200 Ząbkowice Śląskie",
    email="l.pietrzak@wtz-zabkowice.example.pl",
    phone="74 815 30 30",
    groups=(4,),
    accepts_rules=False,
    place_and_date="Ząbkowice, 22.05.2024",
)
TADEUSZ = Applicant(
    full_name="Tadeusz Wójcik",
    organisation="Lokalna Grupa Działania „Partnerstwo Sudety”",
    organisation_type="organizacja pozarządowa",
    position="Dyrektor biura",
    address="ul. Rynek 1\n58-400 Kamienna Góra",
    email="t.wojcik@lgd-sudety.example.org",
    phone="75 645 11 90",
    groups=(1, 5),
    place_and_date="Kamienna Góra, 23.05.2024",
)
MICHAL = Applicant(
    full_name="Michał Szymański",
    organisation="Spółdzielnia Socjalna „Pod Dębem”",
    organisation_type="spółdzielnia socjalna",
    position="Prezes",
    address="ul. Leśna 3\n59-900 Zgorzelec",
    email="michal.szymanski@poddebem.example.pl",
    phone="609 880 101",
    groups=(5,),
    place_and_date="Zgorzelec, 24.05.2024",
)
AGNIESZKA = Applicant(
    full_name="Agnieszka Dudek",
    organisation="Fundacja Inicjatyw Lokalnych „Sąsiedzi”",
    organisation_type="organizacja pozarządowa",
    position="Koordynatorka",
    address="ul. Mickiewicza 30\n58-200 Dzierżoniów",
    email="a.dudek@sasiedzi.example.org",
    phone="606 303 404",
    groups=(3,),
    place_and_date="Dzierżoniów, 24.05.2024",
)


def applying(
    slug: str,
    sender: str,
    subject: str,
    body: str,
    received: datetime,
    why: str,
    status: str,
    *,
    live: bool = True,
    letter: bool = True,
    **kw: object,
) -> Msg:
    return Msg(
        slug,
        sender,
        subject,
        body,
        received,
        about_call=True,
        expect="application",
        letter=letter,
        status=status,
        live=live,
        why=why,
        **kw,
    )  # type: ignore[arg-type]


def asking(
    slug: str, sender: str, subject: str, body: str, received: datetime, why: str, **kw: object
) -> Msg:
    return Msg(
        slug,
        sender,
        subject,
        body,
        received,
        about_call=True,
        expect="correspondence",
        why=why,
        **kw,
    )  # type: ignore[arg-type]


ABOUT_CALL: list[Msg] = [
    applying(
        "zofia_early",
        "Zofia Mazur <zofia.mazur@aktywnirazem.example.org>",
        "Zgłoszenie do grupy roboczej – Zofia Mazur",
        "Dzień dobry,\n\nw załączeniu przesyłam formularz zgłoszeniowy do grupy roboczej ds. "
        "rozwoju usług społecznych i deinstytucjonalizacji.\n\nZ poważaniem\nZofia Mazur",
        at(5, 2, 20, 40),
        "an application sent before the call opened (early)",
        "early",
        attachments=(docx_of(ZOFIA, "Formularz_zgloszeniowy_Mazur.docx"),),
    ),
    applying(
        "krzysztof_docx",
        "Krzysztof Wieczorek <k.wieczorek@zaz-bielawa.example.pl>",
        "Nabór do grup roboczych DKRES – zgłoszenie",
        "Dzień dobry,\n\nw odpowiedzi na ogłoszenie o naborze do grup roboczych przesyłam "
        "wypełniony formularz. Zgłaszam się do grupy nr 4.\n\nKrzysztof Wieczorek\n"
        "Kierownik ZAZ w Bielawie",
        at(5, 6, 8, 12),
        "a neat DOCX application on the first morning",
        "accepted",
        attachments=(docx_of(KRZYSZTOF, "formularz-zgloszeniowy.docx"),),
    ),
    asking(
        "krzysztof_dziekuje",
        "Krzysztof Wieczorek <k.wieczorek@zaz-bielawa.example.pl>",
        "Re: {letter}",
        "Dziękuję za szybkie potwierdzenie. Pozdrawiam serdecznie.\nK. Wieczorek\n\n"
        "W dniu 6.05.2024 o 08:15, Nabór do grup roboczych DKRES pisze:\n"
        "> Dzień dobry,\n> dziękujemy za przesłanie formularza zgłoszeniowego.\n",
        at(5, 6, 9, 30),
        "a thank-you in the thread of mailbot's letter",
        answers_letter_of="krzysztof_docx",
    ),
    applying(
        "hanna_pdf",
        "Hanna Sadowska <h.sadowska@gops-miekinia.example.pl>",
        "Formularz – grupy robocze",
        "Dzień dobry, przesyłam formularz wypełniony w Adobe. Pozdrawiam, Hanna Sadowska, "
        "GOPS Miękinia",
        at(5, 7, 11, 5),
        "the fillable PDF, two groups",
        "accepted",
        attachments=(pdf_of(HANNA, "formularz-zgloszeniowy-wypelnialny.pdf"),),
    ),
    asking(
        "pytanie_tytul_grupy",
        "Teresa Kołodziej <t.kolodziej@wtz-strzegom.example.pl>",
        "Pytanie",
        "Dzień dobry,\n\nczy do grupy ds. podmiotów zatrudnienia socjalnego oraz podmiotów "
        "reintegracyjnych może kandydować kierowniczka warsztatu terapii zajęciowej, czy tylko "
        "CIS i KIS? Nie chciałabym wysyłać dokumentów niepotrzebnie.\n\nTeresa Kołodziej",
        at(5, 8, 7, 50),
        "a question naming a group by its title, asks who may 'kandydować', no obvious keyword",
    ),
    applying(
        "beata_html_docx",
        "Beata Krawczyk <beata.krawczyk@dobrybiznes.example.org>",
        "Zgłoszenie kandydatury – grupa ds. promocji i współpracy z biznesem",
        "",
        at(5, 8, 13, 15),
        "HTML-only mail (Outlook) with the DOCX form",
        "accepted",
        html="<html><body><div style='font-family:Aptos'><p>Dzień dobry,</p><p>w załączeniu "
        "przesyłam formularz zgłoszeniowy – kandyduję do grupy roboczej ds. promocji i "
        "współpracy z biznesem.</p><p>Z pozdrowieniami<br><b>Beata Krawczyk</b><br>Fundacja "
        "„Dobry Biznes”</p></div></body></html>",
        attachments=(docx_of(BEATA, "Zgłoszenie B. Krawczyk.docx"),),
    ),
    asking(
        "pytanie_grupy_2_5",
        "Sebastian Nowicki <s.nowicki@cus-olawa.example.pl>",
        "grupy 2 i 5",
        "",
        at(5, 9, 8, 20),
        "an HTML-only question naming 'grupy 2 i 5'",
        html="<html><body><p>Dzień dobry,</p><p>czy można zgłosić jedną osobę jednocześnie do "
        "grupy 2 i 5? Czy w takim przypadku wypełnia się jeden dokument, czy dwa?</p>"
        "<p>Sebastian Nowicki<br>CUS Oława</p></body></html>",
    ),
    applying(
        "robert_bez_polskich",
        "Robert Pawlak <robert.pawlak@horyzont-ss.example.pl>",
        "zgloszenie DKRES",
        "Dzien dobry\nW zalaczeniu przesylam zgloszenie do grupy roboczej ds przedsiebiorstw "
        "spolecznych.\nPozdrawiam\nRobert Pawlak\n\nWyslane z aplikacji Poczta",
        at(5, 9, 22, 3),
        "a DOCX application, text without Polish letters",
        "accepted",
        attachments=(docx_of(ROBERT, "zgloszenie_DKRES_Robert_Pawlak.docx", "X"),),
    ),
    applying(
        "iwona_bez_zgody",
        "Iwona Stępień <i.stepien@cis-walbrzych.example.pl>",
        "Formularz zgłoszeniowy – Iwona Stępień",
        "Dzień dobry, w załączeniu formularz. Pozdrawiam, Iwona Stępień",
        at(5, 10, 9, 0),
        "a DOCX application without the GDPR consent ticked",
        "incomplete",
        attachments=(docx_of(IWONA, "formularz_Stepien.docx"),),
    ),
    applying(
        "marek_zly_email",
        "Marek Wróbel <biuro@wspolnasprawa.example.pl>",
        "Zgłoszenie do grupy roboczej nr 5",
        "Dzień dobry,\nprzesyłam zgłoszenie naszego członka zarządu do grupy nr 5.\n"
        "Biuro Spółdzielni „Wspólna Sprawa”",
        at(5, 10, 12, 30),
        "a DOCX application whose e-mail field is not an address ('(at)')",
        "incomplete",
        attachments=(docx_of(MAREK, "formularz zgłoszeniowy Wróbel.docx"),),
    ),
    applying(
        "pawel_pierwszy",
        "Paweł Kaczmarek <p.kaczmarek@um.swidnica.example.pl>",
        "Zgłoszenie – nabór do grup roboczych Komitetu",
        "Dzień dobry,\n\nw załączeniu moje zgłoszenie do grupy roboczej ds. zamówień/zleceń "
        "zadań publicznych.\n\nPaweł Kaczmarek\nUrząd Miasta Świdnica",
        at(5, 11, 10, 10),
        "a DOCX application later replaced by the same person",
        "accepted",
        live=False,
        attachments=(docx_of(PAWEL, "formularz_PKaczmarek.docx"),),
    ),
    asking(
        "pytanie_grupa_nr_4_re",
        "Halina Wojciechowska <h.wojciechowska@caritas-legnica.example.pl>",
        "RE: Ogłoszenie – grupy robocze DKRES",
        "A czy w grupie nr 4 jest jeszcze miejsce dla osoby z Caritas? Ile spotkań w roku "
        "to zajmuje?\n\nHalina Wojciechowska\n\n"
        "From: Dorota Butryn <d.butryn@dops.wroc.pl>\nSent: Monday, May 6, 2024 9:00 AM\n"
        "Subject: Ogłoszenie – grupy robocze DKRES\n\n"
        "> Szanowni Państwo, uprzejmie informuję o naborze członków grup roboczych przy\n"
        "> Dolnośląskim Komitecie Rozwoju Ekonomii Społecznej. Formularz w załączniku.\n",
        at(5, 12, 19, 45),
        "a question about 'grupa nr 4' answering the secretariat's announcement (quoted)",
    ),
    applying(
        "elzbieta_skan",
        "Elżbieta Górecka <e.gorecka@wtz-olawa.example.pl>",
        "skan formularza",
        "Dzień dobry, przesyłam podpisany skan formularza zgłoszeniowego do grupy roboczej. "
        "Nie mam Worda w pracy, więc wydrukowałam i wypełniłam ręcznie.\nElżbieta Górecka",
        at(5, 13, 8, 40),
        "a scan of the hand-filled form, named as the form",
        "needs_review",
        attachments=(
            (
                "Formularz zgłoszeniowy - grupy robocze - skan.pdf",
                PDF,
                partial(samples.scanned_pdf, 240, 340),
            ),
        ),
    ),
    asking(
        "prosba_o_formularz",
        "Dominika Sikora <dominika.sikora@gmail.example.com>",
        "link nie działa",
        "Dzień dobry, na stronie DOPS link do dokumentu dla kandydatów do grup przy Komitecie "
        "nie działa (błąd 404). Czy mogłaby Pani przesłać mi go mailem? Chciałabym zgłosić się "
        "do grupy ds. promocji.\n\nDominika Sikora",
        at(5, 13, 11, 0),
        "someone asks to be sent the form",
    ),
    applying(
        "pcpr_kandydat_1",
        "Sekretariat PCPR Trzebnica <sekretariat@pcpr-trzebnica.example.pl>",
        "Zgłoszenie kandydata – J. Michalak",
        "Dzień dobry,\n\nw imieniu Pani Dyrektor przesyłamy formularz zgłoszeniowy do grupy "
        "roboczej nr 1.\n\nSekretariat PCPR w Trzebnicy",
        at(5, 14, 9, 15),
        "a secretariat sends the first of two candidates",
        "accepted",
        attachments=(docx_of(JOLANTA, "J_Michalak_formularz.docx"),),
    ),
    applying(
        "pcpr_kandydat_2",
        "Sekretariat PCPR Trzebnica <sekretariat@pcpr-trzebnica.example.pl>",
        "Zgłoszenie kandydata – A. Jasiński",
        "Dzień dobry,\n\nprzesyłamy drugie zgłoszenie z naszej jednostki – Pan Artur Jasiński, "
        "grupa nr 2.\n\nSekretariat PCPR w Trzebnicy",
        at(5, 14, 9, 40),
        "the same secretariat sends a second, different candidate (both stay live)",
        "accepted",
        attachments=(pdf_of(ARTUR, "A_Jasinski_formularz.pdf"),),
    ),
    applying(
        "pawel_drugi",
        "Paweł Kaczmarek <p.kaczmarek@um.swidnica.example.pl>",
        "Zgłoszenie – nabór do grup roboczych Komitetu (poprawione)",
        "Dzień dobry,\n\nprzesyłam poprawiony formularz – dopisałem grupę nr 3 i zmienił się "
        "mój numer telefonu. Proszę uwzględnić tę wersję.\n\nPaweł Kaczmarek",
        at(5, 15, 14, 25),
        "the same person's corrected application: supersedes the first",
        "accepted",
        attachments=(docx_of(PAWEL_2, "formularz_PKaczmarek_v2.docx"),),
    ),
    applying(
        "katarzyna_bez_zalacznika",
        "Katarzyna Lewandowska <k.lewandowska@kis-strzelin.example.pl>",
        "Zgłoszenie do grupy roboczej",
        "Dzień dobry,\n\nw załączeniu formularz zgłoszeniowy do grupy roboczej ds. podmiotów "
        "zatrudnienia socjalnego.\n\nKatarzyna Lewandowska\nKIS Strzelin",
        at(5, 16, 10, 0),
        "'w załączeniu formularz' with nothing attached",
        "no_form",
        live=False,
    ),
    applying(
        "katarzyna_z_formularzem",
        "Katarzyna Lewandowska <k.lewandowska@kis-strzelin.example.pl>",
        "Odp: {letter}",
        "Przepraszam, teraz z załącznikiem.\nKatarzyna Lewandowska\n\n"
        "W dniu 16.05.2024 o 10:02, Nabór do grup roboczych DKRES pisze:\n"
        "> Nie znaleźliśmy w wiadomości formularza zgłoszeniowego.\n",
        at(5, 16, 11, 20),
        "the form sent in the thread of mailbot's no-form letter",
        "accepted",
        answers_letter_of="katarzyna_bez_zalacznika",
        attachments=(docx_of(KATARZYNA, "formularz KIS Strzelin.docx"),),
    ),
    applying(
        "kolega_przekazuje",
        "Sylwia Kurek <s.kurek@dops.wroc.pl>",
        "PD: Zgłoszenie do grupy roboczej – Fundacja Przystań",
        "Doroto, to przyszło na moją skrzynkę, przekazuję do naboru.\nSylwia\n\n"
        "-----Wiadomość oryginalna-----\n"
        "Od: Małgorzata Kwiatkowska <m.kwiatkowska@przystan.example.org>\n"
        "Wysłano: czwartek, 16 maja 2024 15:12\nDo: Sylwia Kurek <s.kurek@dops.wroc.pl>\n"
        "Temat: Zgłoszenie do grupy roboczej – Fundacja Przystań\n\n"
        "Dzień dobry, przesyłam formularz zgłoszeniowy do grupy nr 1. Pozdrawiam, "
        "Małgorzata Kwiatkowska\n",
        at(5, 17, 8, 5),
        "a DOPS colleague forwards an applicant's form (same domain: a person confirms it)",
        "accepted",
        letter=False,
        attachments=(docx_of(MALGORZATA, "Formularz_Przystan.docx"),),
    ),
    applying(
        "ngo_przekazuje",
        "Jerzy Kalinowski <prezes@naszadolina.example.org>",
        "FW: formularz DKRES",
        "Dzień dobry, przekazuję zgłoszenie naszego wiceprezesa.\nJerzy Kalinowski, Prezes\n\n"
        "---------- Forwarded message ---------\nFrom: Wojciech Adamczyk "
        "<w.adamczyk@naszadolina.example.org>\nDate: pt., 17 maj 2024 o 21:10\n"
        "Subject: formularz DKRES\n\nJurku, wyślij proszę w imieniu stowarzyszenia, "
        "formularz w pdf.\n",
        at(5, 18, 9, 30),
        "an association's president forwards his deputy's PDF form",
        "accepted",
        attachments=(pdf_of(WOJCIECH, "formularz DKRES Adamczyk.pdf"),),
    ),
    asking(
        "pytanie_kandydowac_ps",
        "Oksana Melnyk <oksana.melnyk@ss-razem.example.pl>",
        "Czy mogę kandydować?",
        "Dzień dobry,\npracuję od dwóch lat w spółdzielni socjalnej we Wrocławiu, jestem "
        "obywatelką Ukrainy. Czy mogę kandydować do grupy ds. przedsiębiorstw społecznych? "
        "Czy muszę mieć zgodę zarządu spółdzielni?\nDziękuję, Oksana Melnyk",
        at(5, 19, 18, 30),
        "a question 'czy mogę kandydować' naming group 5 by its title",
    ),
    asking(
        "hanna_rezygnacja",
        "Hanna Sadowska <h.sadowska@gops-miekinia.example.pl>",
        "Rezygnacja z kandydowania",
        "Dzień dobry,\n\nz przyczyn osobistych wycofuję swoje zgłoszenie do grup roboczych. "
        "Przepraszam za kłopot.\n\nHanna Sadowska",
        at(5, 20, 8, 0),
        "a withdrawal of an earlier application (the application stays; a person decides)",
    ),
    applying(
        "stanislawa_zdjecie",
        "Stanisława Baran <stanislawa.baran@onet.example.pl>",
        "formularz zdjęcie",
        "Dzień dobry przesyłam zdjęcie formularza do grupy roboczej nr 1 bo nie mam skanera. "
        "Stanisława Baran\n\nWysłane z iPhone'a",
        at(5, 20, 19, 10),
        "a phone photo of the filled form",
        "needs_review",
        attachments=(("IMG_4471.jpg", JPEG, partial(photo_jpeg, 4)),),
    ),
    asking(
        "pytanie_podpis",
        "Grzegorz Czarnecki <g.czarnecki@zaz-jawor.example.pl>",
        "Podpis na formularzu",
        "Dzień dobry, czy formularz zgłoszeniowy do grup roboczych musi mieć podpis odręczny, "
        "czy wystarczy wpisanie imienia i nazwiska w Wordzie? Do kiedy najpóźniej trzeba go "
        "przesłać?\nGrzegorz Czarnecki",
        at(5, 21, 10, 40),
        "a question about signing the form and the deadline",
    ),
    applying(
        "lucyna_pdf_bez_regulaminu",
        "Lucyna Pietrzak <l.pietrzak@wtz-zabkowice.example.pl>",
        "zgłoszenie – WTZ Ząbkowice",
        "W załączeniu zgłoszenie. Lucyna Pietrzak",
        at(5, 22, 12, 0),
        "the fillable PDF without the rules statement ticked",
        "incomplete",
        attachments=(pdf_of(LUCYNA, "formularz-zgloszeniowy-wypelnialny (1).pdf"),),
    ),
    applying(
        "tadeusz_x_dwie_grupy",
        "Tadeusz Wójcik <t.wojcik@lgd-sudety.example.org>",
        "Kandydatura do grup nr 1 i 5",
        "Szanowna Pani,\n\nuprzejmie przesyłam moją kandydaturę do dwóch grup roboczych "
        "(nr 1 i nr 5). Formularz w załączeniu.\n\nZ wyrazami szacunku\nTadeusz Wójcik\n"
        "Dyrektor biura LGD „Partnerstwo Sudety”",
        at(5, 23, 13, 50),
        "a DOCX application ticked with 'X', two groups",
        "accepted",
        attachments=(docx_of(TADEUSZ, "kandydatura_Wojcik.docx", "X"),),
    ),
    applying(
        "michal_ostatnia_chwila",
        "Michał Szymański <michal.szymanski@poddebem.example.pl>",
        "Zgłoszenie – ostatni dzień",
        "Dobry wieczór, przesyłam formularz w ostatniej chwili, mam nadzieję, że zdążyłem.\n"
        "Michał Szymański",
        at(5, 24, 23, 50),
        "an application ten minutes before the deadline (on time)",
        "accepted",
        attachments=(docx_of(MICHAL, "formularz-zgloszeniowy (2).docx"),),
    ),
    applying(
        "agnieszka_po_terminie",
        "Agnieszka Dudek <a.dudek@sasiedzi.example.org>",
        "Zgłoszenie do grupy ds. promocji",
        "Dzień dobry,\nprzesyłam zgłoszenie. Wiem, że termin minął o północy – bardzo proszę o "
        "wyrozumiałość.\nAgnieszka Dudek",
        at(5, 25, 0, 14),
        "an application fourteen minutes after the deadline (late)",
        "late",
        attachments=(docx_of(AGNIESZKA, "formularz_Dudek.docx"),),
    ),
    asking(
        "pytanie_wyniki",
        "Robert Pawlak <robert.pawlak@horyzont-ss.example.pl>",
        "wyniki?",
        "Dzien dobry, kiedy bedzie wiadomo kto wszedl do grup? Robert Pawlak",
        at(6, 3, 9, 15),
        "an applicant asks when the results will be known, after the call",
    ),
]

MESSAGES: list[Msg] = sorted([*EVERYDAY, *ABOUT_CALL], key=lambda m: m.received)

HISTORY: list[Msg] = history()
