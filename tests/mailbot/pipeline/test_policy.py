"""The reply policy: every rule, and the decision."""

from __future__ import annotations

from email import message_from_string

import pytest

from mailbot.pipeline import policy
from mailbot.pipeline.policy import ReplyFacts, decide


def facts(**kw: object) -> ReplyFacts:
    base = dict(
        sender="anna@example.pl",
        status="accepted",
        no_reply=(),
        authentication=None,
        sent_to_sender_today=0,
        sent_last_hour=0,
        per_sender_per_day=5,
        per_hour=60,
        evidence="formularz naboru odczytany",
    )
    base.update(kw)
    return ReplyFacts(**base)  # type: ignore[arg-type]


def test_an_ordinary_application_is_answered_with_its_status():
    assert decide(facts()) == policy.ReplyDecision("accepted", None)


@pytest.mark.parametrize(
    "kw, words",
    [
        ({"sender": None}, "adresu nadawcy"),
        ({"no_reply": ("mailing list (List-Id)",)}, "List-Id"),
        ({"authentication": "dmarc=fail"}, "dmarc=fail"),
        ({"sent_last_hour": 60}, "na godzinę"),
        ({"sent_to_sender_today": 6}, "dzienny limit"),
        ({"evidence": None}, "nie ma pewności"),
        ({"sender": "D.Butryn@dops.wroc.pl", "call_address": "d.butryn@dops.wroc.pl"}, "do siebie"),
        (
            {"sender": "k.nowak@dops.wroc.pl", "call_address": "d.butryn@dops.wroc.pl"},
            "współpracownika",
        ),
    ],
)
def test_withheld_with_a_reason(kw, words):
    decision = decide(facts(**kw))
    assert decision.template is None
    assert decision.withheld and words in decision.withheld


def test_at_the_sender_cap_one_limit_notice_goes():
    assert decide(facts(sent_to_sender_today=5)).template == "limit_reached"


@pytest.mark.parametrize(
    "header, failed",
    [
        ("mx.dops.wroc.pl; dmarc=fail (p=reject) header.from=example.com", True),
        ("mx; spf=fail smtp.mailfrom=example.com; dkim=none", True),
        ("mx; spf=fail smtp.mailfrom=example.com; dkim=pass header.d=example.com", False),
        ("mx; spf=softfail smtp.mailfrom=example.com", False),
        ("mx; dkim=pass; spf=pass; dmarc=pass", False),
    ],
)
def test_authentication_results(header, failed):
    msg = message_from_string(f"Authentication-Results: {header}\nFrom: a@example.com\n\nx\n")
    assert bool(policy.authentication_failure(msg)) is failed


def test_no_authentication_results_is_no_failure():
    assert policy.authentication_failure(message_from_string("From: a@b.pl\n\nx\n")) is None


def test_a_letter_goes_to_others_than_the_call_itself():
    assert decide(facts(call_address="d.butryn@dops.wroc.pl")).template == "accepted"


def test_a_public_mail_service_makes_no_colleagues():
    assert policy.is_colleague("k.nowak@dops.wroc.pl", "d.butryn@dops.wroc.pl")
    assert not policy.is_colleague("jan@gmail.com", "nabor.dkres@gmail.com")
    assert not policy.is_colleague("d.butryn@dops.wroc.pl", "d.butryn@dops.wroc.pl")
    assert decide(
        facts(sender="jan@gmail.com", call_address="nabor.dkres@gmail.com")
    ) == policy.ReplyDecision("accepted", None)
