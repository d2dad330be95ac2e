"""Each relevance rule on its own, then the one decision, on made-up evidence."""

from __future__ import annotations

import pytest

import parsers
from mailbot.config import DEFAULT_KEYWORDS
from mailbot.mail.mime import AttachedFile
from mailbot.models import Finding, FormRead, FoundFiles
from mailbot.pipeline import relevance
from mailbot.pipeline.relevance import Evidence, decide, judge


def attached(name: str | None, kind: str = "pdf", refused: str | None = None) -> AttachedFile:
    return AttachedFile(
        part="2",
        filename=name,
        declared_type="application/pdf",
        kind=kind,
        data=b"x" * 20_000,
        sha256=name or "h",
        refused=refused,
    )


def result(readable: bool, reason: str | None = None, **fields: object) -> parsers.Extraction:
    values = parsers.empty_fields()
    values.update(fields)
    return parsers.Extraction(readable=readable, reason=reason, kind="pdf", fields=values)


def evidence(
    subject: str = "",
    text: str = "",
    files: tuple = (),
    thread: str | None = None,
    readable: bool = False,
) -> Evidence:
    found = FoundFiles(files=tuple(f for f, _ in files), truncated=None)
    tried = tuple(files)
    chosen = next((f for f, r in files if r.readable), None) if readable else None
    extraction = next((r for _, r in files if r.readable), None) if readable else None
    forms = (FormRead(chosen=chosen, extraction=extraction, tried=tried, refused=()),)
    return Evidence(
        subject=subject,
        text=text,
        found=found,
        forms=forms,
        thread=thread,
        keywords=DEFAULT_KEYWORDS,
    )


FORM = (attached("cokolwiek.docx", "docx"), result(True, full_name="Anna"))
SCAN_NAMED = (attached("formularz_skan.pdf"), result(False, "scan"))
SCAN_PLAIN = (attached("IMG_0012.pdf"), result(False, "scan"))
INVOICE = (attached("FV_2024_123.pdf"), result(False, "not_the_form"))
PHOTO = (attached("wakacje.jpg", "image"), result(False, "scan"))


def test_normalise_folds_case_diacritics_and_space():
    assert relevance.normalise("  Zgłoszenie  do NABORU\n Łódź ") == "zgloszenie do naboru lodz"


def test_form_read():
    assert relevance.form_read(evidence(files=(FORM,), readable=True))
    assert relevance.form_read(evidence(files=(SCAN_NAMED,))) is None


@pytest.mark.parametrize(
    "ev, fires",
    [
        (evidence(files=(SCAN_NAMED,)), True),  # the file is named as the form
        (evidence("skan", "W załączniku skan formularza.", files=(SCAN_PLAIN,)), True),
        (evidence("Zgłoszenie", "", files=(SCAN_PLAIN,)), True),
        (evidence("skan", "x", files=(SCAN_PLAIN,)), False),  # nothing says it is the form
        (evidence("Zgłoszenie", "przesyłam"), False),  # no file at all
        (evidence(files=(FORM,), readable=True), False),  # read: form_read, not form_meant
    ],
)
def test_form_meant(ev, fires):
    assert bool(relevance.form_meant(ev)) is fires


@pytest.mark.parametrize(
    "text",
    [
        "Rezygnuję z udziału w naborze.",
        "Niniejszym wycofuję moje zgłoszenie.",
        "Proszę o wycofanie mojego zgłoszenia do grupy 2",
        "REZYGNACJA",
    ],
)
def test_withdrawal(text):
    assert relevance.withdrawal(evidence("Re: nabór", text))


def test_withdrawal_needs_its_words():
    assert relevance.withdrawal(evidence("Urlop", "Wycofuję się z obiadu o 13.")) is None


def test_reply_to_mailbot():
    assert relevance.reply_to_mailbot(evidence(thread="numer DKRES-2024-0007 w temacie"))
    assert relevance.reply_to_mailbot(evidence("Re: Obiad")) is None


@pytest.mark.parametrize(
    "subject, text",
    [
        ("", "Dzień dobry, w załączeniu przesyłam formularz zgłoszeniowy."),
        ("", "Przesyłam zgłoszenie naszej organizacji."),
        ("", "Formularz w załączniku."),
        ("", "Zgłaszam się do grupy nr 3."),
        ("Zgłoszenie do grupy roboczej", "Dzień dobry"),
        ("", "Chciałabym zgłosić swoją kandydaturę."),
        ("", "Załączam wypełniony formularz."),
    ],
)
def test_sends_application(subject, text):
    assert relevance.sends_application(evidence(subject, text))


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Faktura VAT 123/2024", "W załączeniu przesyłam fakturę za hotel."),
        ("Zgłoszenie awarii", "Drukarka nie działa."),
        ("Re: Zgłoszenie", "Dziękuję za potwierdzenie!"),
    ],
)
def test_sends_application_not_on_other_mail(subject, text):
    assert relevance.sends_application(evidence(subject, text)) is None


def test_question():
    assert relevance.question(evidence("Pytanie", "Czy można złożyć dwa zgłoszenia?"))
    assert relevance.question(evidence("Pytanie", "Proszę o informację.")) is None


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Pytanie o NABÓR", ""),
        ("", "chodzi o termin naboru"),
        ("", "W naborze do grup roboczych"),
        ("", "komitetu rozwoju"),
        ("", "formularza zgłoszeniowego"),
        ("DKRES", ""),
        ("", "zgloszenie"),  # no diacritics typed
    ],
)
def test_call_words_cover_inflections_without_diacritics(subject, text):
    assert relevance.call_words(evidence(subject, text))


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Obiad o 13?", "Idziemy?"),
        ("Faktura", "W załączeniu faktura za hotel."),
        ("Newsletter", "Nowości w naszym sklepie: rabaty!"),
        ("Spotkanie", "Zaproszenie na spotkanie zespołu, sala 12."),
        ("Urlop", "Nabożeństwo w niedzielę"),  # a word that only starts like "nabór" is not it
    ],
)
def test_call_words_not_in_other_mail(subject, text):
    assert relevance.call_words(evidence(subject, text)) is None


def test_call_words_come_from_config():
    ev = Evidence(
        subject="Konkurs grantowy",
        text="",
        found=FoundFiles((), None),
        forms=(),
        thread=None,
        keywords=("konkurs",),
    )
    assert relevance.call_words(ev) == Finding("call_words", "konkurs")


def test_unreadable_document():
    assert relevance.unreadable_document(evidence(files=(SCAN_PLAIN,)))
    assert relevance.unreadable_document(evidence(files=(INVOICE,))) is None  # read: not it
    assert relevance.unreadable_document(evidence(files=(PHOTO,))) is None  # a picture


def test_own_text_cuts_quoted_mail():
    text = (
        "Dziękuję bardzo!\n\nW dniu 14.05.2024 o 10:31, Nabór DKRES pisze:\n"
        "> Otrzymaliśmy Pani zgłoszenie do naboru\n> przesyłam formularz\n"
    )
    assert relevance.own_text(text) == "Dziękuję bardzo!"
    outlook = "Dzięki\n\n-----Original Message-----\nFrom: x\nprzesyłam formularz"
    assert relevance.own_text(outlook) == "Dzięki"
    assert relevance.own_text("> cytat\nmoje słowa") == "moje słowa"


@pytest.mark.parametrize(
    "signals, expected",
    [
        (("form_read", "withdrawal", "reply_to_mailbot"), "application"),  # a form always wins
        (("form_read", "other_purpose"), "application"),
        (("form_meant", "other_purpose"), "correspondence"),
        (("sends_application", "other_purpose"), "correspondence"),
        (("other_purpose",), "unrelated"),
        (("withdrawal", "sends_application"), "correspondence"),
        (("form_meant",), "application"),
        (("form_meant", "reply_to_mailbot"), "application"),
        (("reply_to_mailbot", "sends_application"), "correspondence"),
        (("reply_to_mailbot",), "correspondence"),
        (("sends_application",), "application"),
        (("sends_application", "question"), "correspondence"),  # in doubt: a person reads it
        (("call_words",), "correspondence"),
        (("unreadable_document",), "correspondence"),
        (("question",), "unrelated"),
        ((), "unrelated"),
    ],
)
def test_decide(signals, expected):
    disposition, reason = decide([Finding(s, "") for s in signals])
    assert disposition == expected and reason


def test_judge_runs_every_rule_and_keeps_an_excerpt():
    ev = evidence(
        "Pytanie o nabór",
        "Dzień dobry,\nczy mogę złożyć zgłoszenie pocztą?\nPozdrawiam\nJan\nstopka\nstopka2",
    )
    rel = judge(ev)
    assert rel.disposition == "correspondence"
    assert set(rel.signals) == {"question", "call_words"}
    assert rel.excerpt.splitlines() == [
        "Dzień dobry,",
        "czy mogę złożyć zgłoszenie pocztą?",
        "Pozdrawiam",
        "Jan",
    ]


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Szkolenie z ekonomii społecznej", "W załączeniu przesyłamy formularz zgłoszeniowy."),
        ("Zgłoszenie serwisowe", "Zgłoszenie serwisowe w załączeniu."),
        ("Wniosek", "W załączeniu formularz urlopowy."),
        ("Faktura", "Przesyłam fakturę i formularz."),
    ],
)
def test_other_purpose(subject, text):
    assert relevance.other_purpose(evidence(subject, text))


def test_other_purpose_in_a_file_name():
    assert relevance.other_purpose(
        evidence(
            "Formularz", "", files=((attached("formularz_urlopowy.pdf"), result(False, "scan")),)
        )
    )


def test_other_purpose_not_in_an_application():
    assert (
        relevance.other_purpose(
            evidence(
                "Zgłoszenie do grupy roboczej", "W załączeniu przesyłam formularz zgłoszeniowy."
            )
        )
        is None
    )


@pytest.mark.parametrize(
    "subject, text, files, expected",
    [
        # an office's other forms never make an application, even with the call's words in them
        (
            "Szkolenie z ekonomii społecznej",
            "W załączeniu przesyłamy formularz zgłoszeniowy.",
            (INVOICE,),
            "correspondence",
        ),
        ("Zgłoszenie serwisowe", "Zgłoszenie serwisowe w załączeniu.", (), "correspondence"),
        (
            "Wniosek urlopowy",
            "W załączeniu skan formularza urlopowego.",
            (SCAN_PLAIN,),
            "correspondence",
        ),
        # an applicant who forgot the form, or sent a scan of it
        ("Zgłoszenie", "W załączeniu przesyłam formularz zgłoszeniowy.", (), "application"),
        ("skan formularza", "", (SCAN_PLAIN,), "application"),
        # the wrong file sent as the application
        ("Zgłoszenie do naboru", "Przesyłam zgłoszenie.", (INVOICE,), "application"),
        ("Faktura 12/2024", "W załączeniu faktura.", (INVOICE,), "unrelated"),
    ],
)
def test_judge_on_office_mail_and_applicants(subject, text, files, expected):
    assert judge(evidence(subject, text, files=files)).disposition == expected


OFFICE_FORM = (attached("formularz_oceny_okresowej.docx", "docx"), result(False, "not_the_form"))
OTHER_DOC_NAMED = (attached("zgloszenie_kandydata.docx", "docx"), result(False, "not_the_form"))


def test_form_meant_not_by_an_office_form_read_as_another_document():
    # read and found to be another document: "formularz" in its name or the text is not enough
    assert (
        relevance.form_meant(
            evidence("Ocena okresowa", "formularz do wypełnienia", files=(OFFICE_FORM,))
        )
        is None
    )
    # ... but a name in the call's own words still says it was meant as the form
    assert relevance.form_meant(evidence("", "", files=(OTHER_DOC_NAMED,)))


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Nabór wniosków – FEDS", "W załączeniu regulamin naboru i formularz wniosku."),
        ("Dotacje 2024", "Ruszył nabór na dofinansowanie. Formularz w załączeniu."),
        ("Materiały biurowe", "W załączeniu formularz zapotrzebowania."),
        ("Ocena okresowa 2024", "W załączeniu przesyłam formularz oceny okresowej."),
        ("Delegacja", "W załączeniu formularz delegacji do podpisu."),
    ],
)
def test_other_purpose_of_office_and_grant_forms(subject, text):
    assert relevance.other_purpose(evidence(subject, text))
    assert judge(evidence(subject, text, files=(OFFICE_FORM,))).disposition != "application"


BLANK = (attached("formularz-zgloszeniowy.docx", "docx"), result(True))


def test_blank_form_is_the_announcement_passed_on_not_an_application():
    ev = evidence(
        "Trwa nabór – przekaż dalej",
        "W załączeniu formularz zgłoszeniowy do wypełnienia.",
        files=(BLANK,),
        readable=True,
    )
    assert relevance.form_read(ev) is None
    assert relevance.blank_form(ev)
    assert judge(ev).disposition == "correspondence"
    # one field filled in is a form, not the template
    filled = (attached("f.docx", "docx"), result(True, full_name="Anna"))
    assert relevance.blank_form(evidence(files=(filled,), readable=True)) is None
    assert judge(evidence(files=(filled,), readable=True)).disposition == "application"


def test_another_systems_numbered_ticket_is_another_purpose():
    scan = (attached("zgloszenie_2024_05_8812.pdf"), result(False, "scan"))
    ev = evidence(
        "Potwierdzenie przyjęcia zgłoszenia nr 2024/05/8812",
        "Państwa zgłoszenie nr 2024/05/8812 zostało zarejestrowane.",
        files=(scan,),
    )
    assert relevance.other_purpose(ev)
    assert judge(ev).disposition == "correspondence"
    # the call's own reference number is no other purpose
    assert (
        relevance.other_purpose(evidence("Re: zgłoszenie nr DKRES-2024-0007", "Dziękuję")) is None
    )


def test_the_mailbox_owners_own_mail_is_never_an_application_without_a_form():
    def own(subject: str, text: str, files: tuple = ()) -> Evidence:
        ev = evidence(subject, text, files=files)
        return Evidence(
            subject=ev.subject,
            text=ev.text,
            found=ev.found,
            forms=ev.forms,
            thread=None,
            keywords=DEFAULT_KEYWORDS,
            from_call=True,
        )

    ev = own("Formularz zgłoszeniowy", "W załączeniu przesyłam formularz zgłoszeniowy.")
    assert relevance.own_mail(ev)
    assert judge(ev).disposition == "correspondence"
    assert (
        judge(
            evidence("Formularz zgłoszeniowy", "W załączeniu przesyłam formularz zgłoszeniowy.")
        ).disposition
        == "application"
    )
    # her scan of a form that came by post is still an application
    assert judge(own("zgłoszenie – pocztą", "", files=(SCAN_NAMED,))).disposition == "application"


def test_a_colleagues_mail_without_the_form_read_is_never_an_application():
    def from_colleague(subject: str, text: str, files: tuple = (), readable: bool = False):
        ev = evidence(subject, text, files=files, readable=readable)
        return Evidence(
            subject=ev.subject,
            text=ev.text,
            found=ev.found,
            forms=ev.forms,
            thread=None,
            keywords=DEFAULT_KEYWORDS,
            from_colleague=True,
        )

    zfss = from_colleague(
        "ZFŚS", "W załączeniu przesyłam formularz do podpisu.", files=(SCAN_PLAIN,)
    )
    assert relevance.colleague(zfss)
    assert judge(zfss).disposition == "correspondence"  # "formularz": a person reads it
    assert judge(from_colleague("Obiad o 13?", "Idziemy?")).disposition == "unrelated"
    # a colleague passing on an applicant's filled form: the form wins
    assert (
        judge(from_colleague("PD: Zgłoszenie", "", files=(FORM,), readable=True)).disposition
        == "application"
    )
    # the same words from outside the institution are an attempt to apply
    assert (
        judge(
            evidence("ZFŚS", "W załączeniu przesyłam formularz do podpisu.", files=(SCAN_PLAIN,))
        ).disposition
        == "application"
    )


def _normalise_by_definition(text: str) -> str:
    import unicodedata

    text = text.lower().replace("ł", "l")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@pytest.mark.parametrize(
    "text",
    [
        "Zgłoszenie do NABORU – Grupa Robocza ds. Przedsiębiorstw Społecznych",
        "ŁÓDŹ, Żółć  gęślą\tjaźń\n\nDKRES-2024-0007",
        "W załączeniu przesyłam formularz zgłoszeniowy.",
        "plain ascii text, 123",
        "",
    ],
)
def test_normalise_is_its_definition_on_polish_text(text):
    assert relevance.normalise(text) == _normalise_by_definition(text)
