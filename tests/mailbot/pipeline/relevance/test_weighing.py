"""The one relevance decision: the findings weighed, the disposition and whether the evidence is
strong enough for an automatic letter — on findings, then on whole made-up messages of a
secretariat's mailbox."""

from __future__ import annotations

import pytest
from relevance_evidence import (
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

from mailbot.models import Finding
from mailbot.pipeline.relevance import Learned, Taught, decide, judge, score
from mailbot.pipeline.relevance.weighing import ABOUT_CALL, WEIGHTS


def f(signal: str, weight: float = 0.0) -> Finding:
    return Finding(signal, "", weight)


def test_the_weights_decide_about_or_not():
    assert score([f("call_group", 3.0), f("other_purpose", -2.5)]) == 0.5
    assert decide([f("call_words", 1.0)]).disposition == "unrelated"  # generic words only
    assert decide([f("call_group", 3.0)]).disposition == "correspondence"
    assert decide([f("call_group", 3.0), f("other_purpose", -2.5)]).disposition == "unrelated"
    assert decide([f("applies", ABOUT_CALL)]).disposition == "application"
    reason = decide([f("call_group", 3.0)]).reason
    assert "waga +3.0" in reason


@pytest.mark.parametrize(
    "findings, disposition, strong",
    [
        # a form read wins, and is strong unless another purpose is named
        ([f("form_read", 10), f("withdrawal", 2), f("other_purpose", -1.5)], "application", True),
        ([f("form_read", 10), f("other_purpose", -2.5)], "application", False),
        ([f("form_read", 10), f("other_call", -3)], "application", False),
        # mailbot's own thread
        ([f("reply_to_mailbot", 6)], "correspondence", False),
        ([f("reply_to_mailbot", 6), f("form_meant", 2)], "application", True),
        ([f("reply_to_mailbot", 6), f("applies", 2)], "correspondence", False),
        # attempts to apply
        ([f("applies", 2), f("call_group", 3)], "application", True),
        ([f("applies", 2), f("call_name", 1.5)], "application", True),
        ([f("applies", 2), f("call_words", 0.4)], "application", False),  # names no call
        ([f("applies", 2), f("call_group", 3), f("question", 0.5)], "correspondence", False),
        ([f("applies", 2), f("call_group", 3), f("other_purpose", -1.5)], "correspondence", False),
        ([f("applies", 2), f("call_group", 3), f("bulk", -2.5)], "correspondence", False),
        ([f("applies", 2), f("blank_form", 2)], "correspondence", False),  # passes the form on
        ([f("form_meant", WEIGHTS["form_named_call"])], "application", True),
        ([f("form_meant", 2.0)], "application", False),
        ([f("form_meant", 2.0), f("applicant", 1.5)], "application", True),
        ([f("form_meant", 2.0), f("call_group", 3.0)], "application", True),
        ([f("form_meant", 2.0), f("applicant", 1.5), f("colleague", -1)], "correspondence", False),
        # the owner's and colleagues' mail, withdrawals
        ([f("own_mail", -1), f("form_meant", 2.0)], "application", False),
        ([f("own_mail", -1), f("call_name", 4)], "correspondence", False),
        ([f("colleague", -1), f("applies", 2), f("call_group", 3)], "correspondence", False),
        ([f("withdrawal", 2), f("applies", 2)], "correspondence", False),
        ([f("question", 0.5)], "unrelated", False),
        ([], "unrelated", False),
    ],
)
def test_decide(findings, disposition, strong):
    decision = decide(findings)
    assert decision.disposition == disposition and decision.reason
    assert bool(decision.strong) is strong


# --- whole messages ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "subject, text, kw",
    [
        # the missed question: the group by its number, "kandydować", no keyword
        ("Pytanie – grupa nr 4", "Dzień dobry, kto może kandydować do tej grupy?", {}),
        ("Pytanie", "Czy mogę zgłosić się do grup 2 i 5 jednocześnie?", {}),
        ("", "Proszę o przesłanie formularza zgłoszeniowego do grup roboczych.", {}),
        ("Wyniki?", "Kiedy będzie wiadomo, kto wszedł do grup?", {"applicant": True}),
        ("RE: nabór", "Ile mamy już zgłoszeń do grup roboczych?", {"from_colleague": True}),
        ("Rezygnacja", "Rezygnuję z udziału w naborze.", {}),
        # a question about applying, in the call's mailbox, naming nothing else
        ("Pytanie", "Dzień dobry, do kiedy trwa nabór?", {}),
        ("", "Czy formularz trzeba podpisać odręcznie?", {}),
        ("Zgłoszenie skanem?", "Dzień dobry, czy mogę wysłać skan?", {}),
    ],
)
def test_questions_about_the_call_are_caught(subject, text, kw):
    assert judge(evidence(subject, text, **kw)).disposition == "correspondence"


@pytest.mark.parametrize(
    "subject, text, files, kw",
    [
        ("Posiedzenie Komitetu – 29 maja", "Zapraszam na posiedzenie Komitetu DKRES.", (), {}),
        (
            "Spotkanie grupy roboczej ds. przedsiębiorstw społecznych",
            "Zapraszam członków grupy roboczej na spotkanie, porządek obrad w załączeniu.",
            (),
            {},
        ),
        ("Protokół z posiedzenia DKRES", "W załączeniu protokół do uwag.", (), {}),
        (
            "Newsletter – maj",
            "Zapraszamy na webinar o ekonomii społecznej.",
            (),
            {"bulk": ("mailing list (List-Id)",)},
        ),
        ("Zapraszamy na webinar o ekonomii społecznej", "Formularz rejestracyjny online.", (), {}),
        ("Faktura 45/2024", "Faktura za catering na posiedzenie Komitetu.", (), {}),
        (
            "Szkolenie OWES",
            "W załączeniu przesyłamy formularz zgłoszeniowy na szkolenie.",
            (OTHER_FORM,),
            {},
        ),
        (
            "Przedstawiciel Uczelni w DKRES",
            "Uprzejmie zgłaszam Pana dr. Jana Nowaka jako przedstawiciela Uczelni w Komitecie.",
            ((attached("Pismo Rektora - przedstawiciel w DKRES.pdf"), result(False, "scan")),),
            {},
        ),
        (
            "DKRES – lista obecności 16.05",
            "W załączeniu skan.",
            (SCAN_DKRES,),
            {"from_colleague": True},
        ),
        (
            "Okólnik",
            "Przesyłam formularz sprawozdania za 2023 r. Ministerstwo Rodziny.",
            (),
            {},
        ),
        ("Prośba o patronat", "Zwracamy się do Komitetu z prośbą o patronat.", (), {}),
        ("Skład Komitetu", "Redakcja prosi o skład Komitetu i grup roboczych.", (), {}),
        ("Wesołych Świąt", "Wszystkiego dobrego!", (), {"applicant": True}),
        # questions about everything else
        ("Czerwiec", "Czy Komitet zbiera się w czerwcu?", (), {}),
        ("ROPS", "Czy wysłałaś już formularz do ROPS?", (), {"from_colleague": True}),
        ("Szkolenie", "Czy otrzymali Państwo nasz formularz zgłoszeniowy na szkolenie?", (), {}),
    ],
)
def test_everyday_mail_of_the_secretariat_is_unrelated(subject, text, files, kw):
    rel = judge(evidence(subject, text, files, **kw))
    assert rel.disposition == "unrelated", rel.findings


@pytest.mark.parametrize(
    "subject, text, files, kw, strong",
    [
        ("Zgłoszenie", "W załączeniu formularz.", (FORM,), {}, True),
        ("", "Zgłaszam się do grupy nr 3.", (), {}, True),
        ("Zgłoszenie do naboru", "W załączeniu przesyłam formularz zgłoszeniowy.", (), {}, True),
        (
            "Zgłoszenie do grupy roboczej",
            "",
            ((attached("IMG_1.jpg", "image"), result(False, "scan")),),
            {},
            True,
        ),
        ("", "", (SCAN_CALL,), {}, True),  # a scan named as this call's form
        ("skan formularza", "", (SCAN_PLAIN,), {"applicant": True}, True),  # from an applicant
        # nothing names this call: an application a person confirms, no letter
        ("skan formularza", "", (SCAN_PLAIN,), {}, False),
        ("", "", (SCAN_NAMED,), {}, False),
        (
            "Zgłoszenie – S. Kruk",
            "Przesyłam formularz zgłoszeniowy, plik za duży: link.",
            (),
            {},
            False,
        ),
        # the form read, but the message serves another purpose: a person confirms it
        ("Szkolenie 20 maja – zgłoszenie", "W załączeniu formularz.", (FORM,), {}, False),
    ],
)
def test_applications_and_their_letters(subject, text, files, kw, strong):
    readable = any(r.readable for _, r in files)
    rel = judge(evidence(subject, text, files, readable=readable, **kw))
    assert rel.disposition == "application", rel.findings
    assert bool(rel.strong) is strong, rel.findings


def test_the_mailbox_owners_scan_of_a_postal_form_is_an_application_never_answered():
    own = judge(evidence("zgłoszenie J. Mróz – pocztą", "", (SCAN_NAMED,), from_call=True))
    assert own.disposition == "application" and own.strong is None
    note = judge(
        evidence("notatka", "Dzwoniła p. Sroka w sprawie naboru do grup roboczych.", from_call=True)
    )
    assert note.disposition == "correspondence"


def test_the_blank_form_passed_on_is_no_application():
    blank = (attached("formularz-zgloszeniowy.docx", "docx"), result(True))
    rel = judge(
        evidence(
            "Trwa nabór do grup roboczych DKRES – przekaż dalej",
            "W załączeniu formularz zgłoszeniowy do wypełnienia.",
            (blank,),
            readable=True,
        )
    )
    assert rel.disposition == "correspondence"


def test_late_mail_that_merely_mentions_the_committee_is_no_application():
    rel = judge(evidence("Komitet", "Przesyłam informację dla Komitetu o naszej działalności."))
    assert rel.disposition == "unrelated"


def test_the_coordinators_judgement_weighs_on_the_next_message_of_the_sender():
    text = ("Pytanie o grupy", "Czy grupy robocze DKRES spotkają się w czerwcu?")
    assert judge(evidence(*text)).disposition == "unrelated"
    taught = Learned(taught=(Taught("sender", "call"),))
    assert judge(evidence(*text, learned=taught)).disposition == "correspondence"
    question = ("Grupa nr 4", "Czy grupa nr 4 spotka się w czerwcu?")
    everyday = Learned(taught=(Taught("sender", "everyday"),))
    assert judge(evidence(*question)).disposition == "correspondence"
    assert judge(evidence(*question, learned=everyday)).disposition == "unrelated"


def test_judge_keeps_every_finding_and_an_excerpt():
    rel = judge(
        evidence(
            "Pytanie o nabór",
            "Dzień dobry,\nczy mogę zgłosić się do grupy nr 2?\nPozdrawiam\nJan\nstopka\nstopka2",
        )
    )
    assert rel.disposition == "correspondence"
    assert {"question", "call_group", "candidacy"} <= set(rel.signals)
    assert all(isinstance(x.weight, float) and x.detail for x in rel.findings)
    assert rel.excerpt.splitlines() == [
        "Dzień dobry,",
        "czy mogę zgłosić się do grupy nr 2?",
        "Pozdrawiam",
        "Jan",
    ]
