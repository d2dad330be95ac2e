"""Each relevance signal on its own, on made-up evidence with the shipped call's vocabulary:
what makes it fire, what it weighs, what does not make it fire."""

from __future__ import annotations

import pytest
from relevance_evidence import (
    BLANK,
    FORM,
    OTHER_FORM,
    SCAN_CALL,
    SCAN_DKRES,
    SCAN_NAMED,
    SCAN_PLAIN,
    attached,
    evidence,
    result,
)

from mailbot.models import FoundFiles
from mailbot.pipeline import relevance
from mailbot.pipeline.relevance import Evidence, Learned, Taught
from mailbot.pipeline.relevance import signals as sig
from mailbot.pipeline.relevance.weighing import WEIGHTS


def test_form_read_weighs_most_and_a_blank_form_is_the_announcement():
    read = sig.form_read(evidence(files=(FORM,), readable=True))
    assert read and read.weight == WEIGHTS["form_read"]
    blank = evidence(files=(BLANK,), readable=True)
    assert sig.form_read(blank) is None
    assert sig.blank_form(blank) and sig.blank_form(blank).weight == WEIGHTS["blank"]


@pytest.mark.parametrize(
    "ev, weight",
    [
        (evidence(files=(SCAN_CALL,)), WEIGHTS["form_named_call"]),  # names this call's form
        (evidence(files=(SCAN_NAMED,)), WEIGHTS["form_named"]),  # named as a form
        (evidence("skan", "W załączniku skan formularza.", (SCAN_PLAIN,)), WEIGHTS["form_in_text"]),
        (evidence("skan", "x", (SCAN_PLAIN,)), None),  # nothing says it is a form
        (evidence("DKRES", "lista obecności", (SCAN_DKRES,)), None),  # "DKRES" names no form
        (evidence("Zgłoszenie", "przesyłam"), None),  # no file at all
        (evidence(files=(OTHER_FORM,)), None),  # another body's form, read: not meant as ours
    ],
)
def test_form_meant(ev, weight):
    found = sig.form_meant(ev)
    assert (found.weight if found else None) == weight


def test_unreadable_document_only_when_not_counted_as_the_form():
    said = evidence(
        "Dokumenty", "Przesyłam dokumenty do sprawy, o której rozmawialiśmy.", (SCAN_PLAIN,)
    )
    assert sig.unreadable_document(said).weight == WEIGHTS["unreadable"]
    # a scan with next to nothing around it: a person should look at it
    bare = sig.unreadable_document(evidence("skan", "x", (SCAN_PLAIN,)))
    assert bare.weight == WEIGHTS["unreadable_bare"]
    assert sig.unreadable_document(evidence(files=(SCAN_NAMED,))) is None  # form_meant has it
    assert sig.unreadable_document(evidence(files=(OTHER_FORM,))) is None


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
        ("Zgłoszenie", ""),
    ],
)
def test_applies(subject, text):
    assert sig.applies(evidence(subject, text)).weight == WEIGHTS["applies"]


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Faktura VAT 123/2024", "W załączeniu przesyłam fakturę za hotel."),
        ("Zgłoszenie awarii", "Drukarka nie działa."),
        ("Re: Zgłoszenie", "Dziękuję za potwierdzenie!"),
    ],
)
def test_applies_not_on_other_mail(subject, text):
    assert sig.applies(evidence(subject, text)) is None


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
    assert sig.withdrawal(evidence("Re: nabór", text))


def test_withdrawal_needs_its_words():
    assert sig.withdrawal(evidence("Urlop", "Wycofuję się z obiadu o 13.")) is None
    assert sig.withdrawal(evidence("Biuletyn", "Rezygnacja z subskrypcji: kliknij.")) is None


def test_question_reply_and_own_application():
    assert sig.question(evidence("Pytanie", "Czy można złożyć dwa zgłoszenia?"))
    assert sig.question(evidence("Pytanie", "Proszę o informację.")) is None
    assert sig.reply_to_mailbot(evidence(thread="numer DKRES-2024-0007 w temacie"))
    assert sig.reply_to_mailbot(evidence("Re: Obiad")) is None
    assert sig.own_application(evidence("Uwagi", "Dodatkowo do mojego zgłoszenia: …"))
    assert sig.own_application(evidence("Uwagi", "Dodatkowo: …")) is None


@pytest.mark.parametrize(
    "subject, text, shown",
    [
        ("", "Trwa nabór członków grup roboczych przy DKRES", "nabor"),
        ("Nabór do grup roboczych DKRES – pytanie", "", "nabor grup robocz"),
        ("", "w naborze do grupy roboczej", "nabor grup robocz"),
        # the owner spelt out is its acronym: "nabór … Dolnośląskiego Komitetu …"
        ("", "o naborze Dolnośląskiego Komitetu Rozwoju Ekonomii Społecznej", "nabor dkres"),
        ("", "Ile mamy zgłoszeń do grup roboczych?", "zgłoszenie do grup robocz"),
        ("", "Czy mogę zgłosić się do dwóch grup?", "zgłoszenie do grup"),
        ("Pytanie DKRES-2024", "", "DKRES-2024"),
    ],
)
def test_call_name_from_the_configuration(subject, text, shown):
    found = sig.call_name(evidence(subject, text))
    assert found and shown in found.detail and found.weight > 0


@pytest.mark.parametrize(
    "subject, text",
    [
        ("Posiedzenie Komitetu", "Zapraszam na posiedzenie Dolnośląskiego Komitetu Rozwoju ES."),
        ("Spotkanie", "spotkanie grupy roboczej w czwartek"),  # the groups' words alone
        ("Newsletter", "ekonomia społeczna, formularz, DKRES"),
        ("Nabór wniosków", "Trwa nabór wniosków o dotacje."),
    ],
)
def test_no_call_name_in_the_everyday_mail(subject, text):
    found = sig.call_name(evidence(subject, text))
    assert found is None or found.weight <= WEIGHTS["call_head"]


def test_the_call_head_alone_counts_only_where_one_applies_and_no_other_call_is_named():
    assert "bez nazwy innego" in sig.call_name(evidence("Zgłoszenie do naboru", "")).detail
    assert sig.call_name(evidence("Nabór do Rady Pożytku", "Zgłaszam kandydata.")) is None


@pytest.mark.parametrize(
    "subject, text, number",
    [
        ("Pytanie – grupa nr 4", "Kto może kandydować?", 4),
        ("", "Chcę się zgłosić do grupy 2 i 5", 2),
        ("", "do grup nr 2, 3 oraz 5", 2),
        ("", "grupy roboczej ds. promocji i współpracy z biznesem", 3),
        ("", "Grupa Robocza ds. Przedsiębiorstw Społecznych – pytanie", 5),
    ],
)
def test_call_group_by_number_or_title(subject, text, number):
    found = sig.call_group(evidence(subject, text))
    assert found and found.weight == WEIGHTS["group"]
    assert str(number) in found.detail or "grupa naboru" in found.detail


@pytest.mark.parametrize(
    "text",
    [
        "grupa 9",  # not a group of the call
        "grupa 5 osób przyjdzie",  # a number of people
        "wsparcie przedsiębiorstw społecznych w regionie",  # the title's words, no group
    ],
)
def test_call_group_not_without_the_group(text):
    assert sig.call_group(evidence("", text)) is None


def test_call_words_weigh_little_and_configured_words_weigh_as_the_name():
    generic = sig.call_words(evidence("Komitet", "DKRES, formularz, ekonomii społecznej, nabór"))
    assert generic and generic.weight == WEIGHTS["call_words_max"]
    ev = Evidence(
        subject="Konkurs grantowy",
        text="",
        found=FoundFiles((), None),
        forms=(),
        thread=None,
        keywords=("konkurs",),
    )
    chosen = sig.call_words(ev)
    assert chosen and chosen.weight == WEIGHTS["call_keyword"] and "konkurs" in chosen.detail
    assert sig.call_words(evidence("Obiad o 13?", "Idziemy?")) is None
    # a word that only starts like "nabór" is not it
    assert sig.call_words(evidence("Urlop", "Nabożeństwo w niedzielę")) is None


@pytest.mark.parametrize(
    "subject, text, purpose",
    [
        ("Posiedzenie Komitetu 29.05", "", "posiedzenie"),
        ("", "W załączeniu protokół z posiedzenia", "protokół"),
        ("Faktura 12/2024", "", "faktura"),
        ("Newsletter OWES", "", "newsletter"),
        ("Zaproszenie na webinar o ekonomii społecznej", "", "webinar"),
        ("Konferencja ES", "", "konferencja"),
        ("Konkurs Lider ES", "", "konkurs"),
        ("", "prośba o objęcie patronatem", "patronat"),
        ("", "jako przedstawiciel Uczelni w Dolnośląskim Komitecie", "przedstawiciel"),
        ("Karta do głosowania DKRES", "", "głosowanie"),
        ("Lista obecności", "", "obecności"),
        ("", "Państwa zgłoszenie nr 2024/05/8812 zostało przyjęte", "innym systemie"),
        ("Nabór do Rady Działalności Pożytku Publicznego", "", "rada"),
    ],
)
def test_other_purpose(subject, text, purpose):
    found = sig.other_purpose(evidence(subject, text))
    assert found and purpose in found.detail.lower() and found.weight < 0


def test_other_purpose_weighs_more_in_the_subject_and_has_a_floor():
    in_subject = sig.other_purpose(evidence("Szkolenie", ""))
    in_text = sig.other_purpose(evidence("", "szkolenie"))
    assert in_subject.weight == WEIGHTS["purpose_subject"] < in_text.weight
    many = sig.other_purpose(evidence("Faktura, szkolenie, konferencja, konkurs, newsletter", ""))
    assert many.weight == WEIGHTS["purpose_max"]


def test_the_calls_own_words_name_no_other_purpose():
    # group 2's title says "zamówień/zleceń zadań publicznych": no order, no invoice
    assert sig.other_purpose(evidence("", "grupa ds. zamówień/zleceń zadań publicznych")) is None
    # a file's name counts too
    assert sig.other_purpose(
        evidence("Formularz", "", ((attached("formularz_urlopowy.pdf"), result(False, "scan")),))
    )


def test_other_call():
    assert sig.other_call(evidence("Nabór wniosków – FEDS", ""))
    assert sig.other_call(evidence("Trwa nabór do grup roboczych", "")) is None
    assert sig.other_call(evidence("Pytanie o nabór", "Kiedy wyniki?")) is None  # a sentence ends


def test_who_writes_and_how():
    assert sig.own_mail(evidence(from_call=True)).weight == WEIGHTS["own_mail"]
    assert sig.colleague(evidence(from_colleague=True)).weight == WEIGHTS["colleague"]
    assert sig.applicant(evidence(applicant=True)).weight == WEIGHTS["applicant"]
    assert sig.bulk(evidence(bulk=("mailing list (List-Id)",))).weight == WEIGHTS["bulk"]
    assert sig.bulk(evidence(bulk=("X-Auto-Response-Suppress",))).weight == WEIGHTS["bulk_weak"]
    assert sig.own_mail(evidence()) is None and sig.bulk(evidence()) is None


def test_taught_sender_and_thread_weigh_for_the_side_taught():
    every = sig.taught(evidence(learned=Learned(taught=(Taught("sender", "everyday"),))))
    assert every.weight == -WEIGHTS["taught_sender"] and "niezwiązany" in every.detail
    both = sig.taught(
        evidence(learned=Learned(taught=(Taught("sender", "call"), Taught("thread", "call"))))
    )
    assert both.weight == WEIGHTS["taught_sender"] + WEIGHTS["taught_thread"]
    assert sig.taught(evidence()) is None


def test_a_word_that_fills_the_everyday_mail_says_little():
    text = "Pytanie o Komitet i ekonomię społeczną"
    alone = sig.call_words(evidence("", text))
    everyday = Learned(everyday_documents=1000, counts={"komitet": (400, 0), "ekonomi": (300, 0)})
    learned = sig.call_words(evidence("", text, learned=everyday))
    assert learned.weight < alone.weight
    # a group's title the current term's groups also use keeps half of its weight at least
    title = "grupy roboczej ds. promocji i współpracy z biznesem"
    busy = Learned(everyday_documents=1000, counts={"promocj wspolprac": (900, 0)})
    assert sig.call_group(evidence("", title, learned=busy)).weight >= WEIGHTS["group"] / 2
    # the coordinator's "Dotyczy naboru" on such messages gives the weight back
    taught = Learned(
        everyday_documents=1000,
        call_documents=10,
        counts={"komitet": (400, 9), "ekonomi": (300, 9)},
    )
    assert sig.call_words(evidence("", text, learned=taught)).weight == alone.weight


def test_everyday_likeness_from_the_learned_history():
    learned = Learned(
        everyday_documents=200,
        counts={"porzadek obrad": (30, 0), "material posiedzen": (20, 0), "dzien dobr": (50, 0)},
    )
    found = sig.everyday_likeness(
        evidence("Porządek obrad", "materiały posiedzenia", learned=learned)
    )
    assert found and found.weight < 0 and "porzadek obrad" in found.detail
    # greetings are in every letter: never the everyday side's own
    assert sig.everyday_likeness(evidence("Dzień dobry", "", learned=learned)) is None
    assert sig.everyday_likeness(evidence("Porządek obrad", "")) is None  # nothing learned


def test_own_text_cuts_quoted_mail():
    text = (
        "Dziękuję bardzo!\n\nW dniu 14.05.2024 o 10:31, Nabór DKRES pisze:\n"
        "> Otrzymaliśmy Pani zgłoszenie do naboru\n> przesyłam formularz\n"
    )
    assert relevance.own_text(text) == "Dziękuję bardzo!"
    outlook = "Dzięki\n\n-----Original Message-----\nFrom: x\nprzesyłam formularz"
    assert relevance.own_text(outlook) == "Dzięki"
    assert relevance.own_text("> cytat\nmoje słowa") == "moje słowa"


def test_normalise_folds_case_diacritics_and_space():
    assert relevance.normalise("  Zgłoszenie  do NABORU\n Łódź ") == "zgloszenie do naboru lodz"


def test_stored_signals_read_old_and_new_records():
    new = '[{"signal": "call_group", "detail": "grupa naboru: „grupa nr 4”", "weight": 3.0}]'
    assert relevance.stored_signals(new) == [
        {"signal": "call_group", "detail": "grupa naboru: „grupa nr 4”", "weight": 3.0}
    ]
    assert relevance.stored_signals('["question: Czy?"]') == [
        {"signal": "question", "detail": "Czy?", "weight": None}
    ]
    assert relevance.stored_signals(None) == [] and relevance.stored_signals("x") == []
    assert (
        relevance.signals_text(relevance.stored_signals(new)) == "+3.0 grupa naboru: „grupa nr 4”"
    )
