"""The call's own words never name another purpose, and mail in English about the call is
caught while everyday English mail is not: on the shipped DKRES call and on the youth council's
call of examples/youth-council, whose name holds "Rada Miasta"."""

from __future__ import annotations

from pathlib import Path

import pytest
from relevance_evidence import VOCAB, evidence

from mailbot.config import load_config
from mailbot.models import FormRead, FoundFiles
from mailbot.pipeline import relevance
from mailbot.pipeline.relevance import Evidence, judge
from mailbot.pipeline.relevance import signals as sig
from mailbot.pipeline.relevance.purposes import other_purposes, sender_lines
from mailbot.pipeline.relevance.text import normalise
from parsers.text import fold

REPO = Path(__file__).resolve().parents[4]
YOUTH = load_config(REPO / "examples" / "youth-council" / "config.toml").call
YOUTH_VOCAB = relevance.call_vocabulary(YOUTH)


def youth(subject: str, text: str) -> Evidence:
    return Evidence(
        subject=subject,
        text=text,
        found=FoundFiles(files=(), truncated=None),
        forms=(FormRead(chosen=None, extraction=None, tried=(), refused=()),),
        thread=None,
        keywords=YOUTH.keywords,
        vocabulary=YOUTH_VOCAB,
    )


def labels(text: str, vocab: relevance.vocabulary.CallVocabulary) -> set[str]:
    return {label for label, _ in other_purposes(normalise(text), vocab)}


# --- the call's own words --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Zgłoszenie kandydatury - Młodzieżowa Rada Miasta",
        "kandydaturę do Młodzieżowej Rady Miasta",
        "w Młodzieżowej Radzie Miasta Kamienna Wola",
        "chcę zostać radnym młodzieżowym",
        "komisja edukacji",  # a commission the card lets one choose
    ],
)
def test_the_youth_councils_own_name_names_no_other_body(text):
    assert "inny organ (rada, komisja)" not in labels(text, YOUTH_VOCAB)
    assert labels(text, YOUTH_VOCAB) == set()


@pytest.mark.parametrize(
    "text, label",
    [
        ("posiedzenie Rady Seniorów", "inny organ (rada, komisja)"),
        ("nabór do Rady Działalności Pożytku Publicznego", "inny organ (rada, komisja)"),
        ("komisja rewizyjna", "inny organ (rada, komisja)"),
        ("faktura za catering", "faktura, zamówienie, rezerwacja lub płatność"),
    ],
)
def test_other_bodies_still_name_another_purpose_for_the_youth_council(text, label):
    assert label in labels(text, YOUTH_VOCAB)


def test_the_dkres_calls_own_words_name_no_purpose_and_others_still_do():
    # "zamówień" is a word of group 2's title; "przedstawiciel w DKRES" is the owner's matter
    assert labels("grupa ds. zamówień/zleceń zadań publicznych", VOCAB) == set()
    assert "faktura, zamówienie, rezerwacja lub płatność" in labels("zamówienie cateringu", VOCAB)
    assert "przedstawiciel w organie, nie nabór" in labels(
        "nowy przedstawiciel uczelni w DKRES", VOCAB
    )


def test_a_call_that_fills_its_owner_has_no_representative_purpose():
    assert YOUTH_VOCAB.target and not VOCAB.target
    assert labels("członek Młodzieżowej Rady Miasta", YOUTH_VOCAB) == set()


def test_applying_to_the_youth_council_without_the_card_is_an_application_with_a_letter():
    ev = youth(
        "Zgłoszenie kandydatury - Młodzieżowa Rada Miasta",
        "Dzień dobry,\nzgłaszam swoją kandydaturę do Młodzieżowej Rady Miasta. "
        "Karta zgłoszenia w załączniku.\nJulia Dąbrowska\n",
    )
    judged = judge(ev)
    assert judged.disposition == "application"
    assert judged.strong is not None
    assert all(f.weight > 0 for f in judged.findings)


def test_another_council_is_not_the_youth_councils_call():
    judged = judge(
        youth(
            "Posiedzenie Rady Seniorów",
            "Zapraszam na posiedzenie Rady Seniorów w czwartek. W załączeniu porządek obrad.",
        )
    )
    assert judged.disposition == "unrelated"


def test_the_youth_councils_own_name_after_nabor_is_no_other_call():
    own = youth("Pytanie", "Czy nabór kandydatów do Młodzieżowej Rady trwa jeszcze?")
    assert sig.other_call(own) is None
    other = youth("Nabór do Rady Seniorów", "Trwa nabór do Rady Seniorów, zapraszamy.")
    assert sig.other_call(other) is not None
    # the DKRES call's owner is not what it fills: "nabór do Komitetu" is another call
    assert sig.other_call(evidence("x", "Trwa nabór do Komitetu.")) is not None


# --- English ---------------------------------------------------------------------------------

FOREIGN = (
    "Question",
    "Hello,\nI run a small catering business in Wrocław and we employ people at risk of "
    "exclusion.\nCan a foreign citizen be a member of the working group on social "
    "enterprises? Do I need to fill in the form in Polish?\nBest regards,\nMaria Lopez\n"
    "Lopez Catering sp. z o.o.",
)


def test_an_english_question_about_the_working_groups_is_caught():
    judged = judge(evidence(*FOREIGN))
    assert judged.disposition == "correspondence"
    signals = {f.signal: f for f in judged.findings}
    assert signals["question"].weight >= 2.0
    assert "other_purpose" not in signals  # the catering business only says who asks


def test_what_describes_the_sender_is_told_apart():
    about, rest = sender_lines(fold(FOREIGN[1]))
    assert "catering business" in about and "lopez catering" in about
    assert "working group" in rest and "catering" not in rest


def test_an_english_working_group_by_number_is_the_calls_group():
    judged = judge(
        evidence(
            "Application - working group no. 5",
            "Dear Sir or Madam,\nI would like to apply for membership of working group no. 5.",
        )
    )
    assert judged.disposition == "correspondence"
    assert any(f.signal == "call_group" for f in judged.findings)


@pytest.mark.parametrize(
    "subject, text",
    [
        (
            "Social Economy Europe Newsletter - May 2024",
            "Dear members,\nIn this issue: new funding opportunities, a call for applications "
            "for the Social Innovation Award, and our annual conference in Brussels. Apply by "
            "30 June.\nUnsubscribe here.",
        ),
        (
            "Invoice 2024/05/113",
            "Dear Sir or Madam,\nplease find attached the invoice for the catering services "
            "provided at the Committee meeting on 15 May. Payment due in 14 days.\nKind regards",
        ),
        (
            "Invitation: European Social Economy Conference",
            "Dear colleagues,\nWe are pleased to invite you to the conference on social "
            "enterprises in Kraków. Registration form is available online. Working group "
            "sessions will discuss membership models. Would you like to apply as a speaker?",
        ),
        (
            "Call for papers: Journal of Social Entrepreneurship",
            "Dear researchers,\nWe invite applications and submissions for a special issue. "
            "Can members of our editorial board apply? Yes. Deadline: 1 September.",
        ),
        (
            "Your booking confirmation",
            "Thank you for your reservation. Your booking for the meeting room is confirmed. "
            "Do you need a projector?",
        ),
    ],
)
def test_everyday_english_mail_stays_out_of_the_queue(subject, text):
    assert judge(evidence(subject, text)).disposition == "unrelated"


def test_a_candidate_for_a_member_joins_nothing_of_the_call_by_itself():
    other = evidence("x", "Zgłaszam kandydata na członka Rady Pożytku.")
    assert sig.call_name(other) is None
    ours = evidence("x", "Zgłaszam kandydata na członka grupy roboczej nr 3.")
    assert sig.call_name(ours) is not None
