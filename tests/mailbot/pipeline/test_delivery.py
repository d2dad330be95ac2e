"""mailbot/pipeline/delivery.py: why a letter did not arrive, said in Polish from what the
server said; and which addresses only robots write from."""

from __future__ import annotations

import pytest

from mailbot.pipeline.delivery import is_robot_address, meaning, undelivered_text


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("550 5.1.1 <x@y.pl>: Recipient address rejected: User unknown", "adres nie istnieje"),
        # Microsoft 365 says 5.4.1 for an address that does not exist: the words win
        ("550 5.4.1 Recipient address rejected: Access denied", "adres nie istnieje"),
        ("552 5.2.2 Mailbox full", "skrzynka adresata jest pełna"),
        (
            "550 5.7.26 Unauthenticated email is not accepted",
            ("serwer adresata uznał wiadomość za niepotwierdzoną (DMARC/SPF/DKIM)"),
        ),
        ("554 5.7.99 rejected", "serwer adresata odrzucił wiadomość ze względów bezpieczeństwa"),
        ("Host or domain name not found. Name service error", "domena adresu nie istnieje"),
        ("421 Service not available, try later", "serwer adresata jest chwilowo niedostępny"),
        ("status 553 mailbox name not allowed", "adres jest niepoprawny"),
        ("Delivery expired after 5 days", "wiadomości nie udało się doręczyć w wymaganym czasie"),
        ("something nobody has seen", "serwer poczty nie doręczył wiadomości"),
        (None, "serwer poczty nie doręczył wiadomości"),
    ],
)
def test_what_a_refusal_means(reason, said):
    assert meaning(reason) == said


def test_a_basic_code_after_a_capitalised_status_is_read():
    assert meaning("Status 553 mailbox name not allowed") == "adres jest niepoprawny"


def test_the_coordinators_line_keeps_the_servers_own_words_on_one_line():
    line = undelivered_text("550 5.1.1 <x@y.pl>:\n   User unknown")
    assert line == (
        "odpowiedź nie dotarła – adres nie istnieje (serwer: 550 5.1.1 <x@y.pl>: User unknown)"
    )
    refused = undelivered_text("552 5.3.4 Message size exceeds limit", bounced=False)
    assert refused.startswith("serwer poczty nie przyjął odpowiedzi – wiadomość jest za duża")
    assert undelivered_text(None) == "odpowiedź nie dotarła – serwer poczty nie doręczył wiadomości"


@pytest.mark.parametrize(
    "address",
    [
        "MAILER-DAEMON@mx.example.pl",
        "<postmaster@example.pl>",
        "noreply@bank.pl",
        "no-reply@owes.pl",
        "newsletter-noreply@owes.pl",
        "powiadomienia.noreply@gov.pl",
    ],
)
def test_robot_addresses(address):
    assert is_robot_address(address)


@pytest.mark.parametrize(
    "address",
    [
        "anna@example.pl",
        "noreplyanna-x@example.pl".replace("noreply", "re"),
        "",
        None,
        "no-at-sign",
    ],
)
def test_peoples_addresses_are_not_robots(address):
    assert not is_robot_address(address)
