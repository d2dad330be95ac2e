"""mailbot/pipeline/withdrawals.py: what a withdrawal message plainly asks — the whole
application, some groups, or nothing a machine may propose."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from mailbot.config import Group
from mailbot.pipeline.withdrawals import own_text, plain_text, read_withdrawal

GROUPS = (
    Group(1, "Grupa robocza ds. edukacji"),
    Group(2, "Grupa robocza ds. promocji ekonomii społecznej"),
    Group(3, "Grupa robocza ds. finansowania"),
)


@pytest.mark.parametrize(
    "text",
    [
        "Dzień dobry,\nrezygnuję z udziału w naborze.\nAnna Kowalska",
        "Wycofuję swoje zgłoszenie.",
        "Proszę o wycofanie mojej kandydatury. Pozdrawiam",
        "Rezygnacja",
        "REZYGNUJĘ Z UDZIAŁU W NABORZE",
    ],
)
def test_a_plain_withdrawal_of_the_whole_application(text):
    found = read_withdrawal(text, GROUPS)
    assert found is not None and found.groups == ()
    assert found.phrase  # the words that withdraw, shown to the person deciding


@pytest.mark.parametrize(
    ("text", "groups"),
    [
        ("Rezygnuję z grupy 3.", (3,)),
        ("Wycofuję się z grup nr 2 i 1, dziękuję.", (1, 2)),
        ("Rezygnuję z udziału w pracach grupy roboczej numer 2", (2,)),
        ("Rezygnuję z grupy ds. promocji, zostaję w grupie 1", (2,)),
    ],
)
def test_a_withdrawal_from_some_groups_names_them(text, groups):
    found = read_withdrawal(text, GROUPS)
    assert found is not None and found.groups == groups


@pytest.mark.parametrize(
    "text",
    [
        "Czy mogę zrezygnować z grupy 2?",
        "Jeśli nie zostanę przyjęta, rezygnuję z naboru.",
        "Nie rezygnuję z udziału w naborze.",
        "Zastanawiam się, czy wycofać zgłoszenie",
        "Przesyłam formularz zgłoszeniowy.",
        "",
    ],
)
def test_a_question_a_condition_a_negation_or_no_withdrawal_is_nothing(text):
    assert read_withdrawal(text, GROUPS) is None


def test_only_the_senders_own_words_count_not_the_quoted_mail():
    reply = (
        "Dziękuję za informację.\n\nW dniu 10.05.2024 o 10:00, Nabór pisze:\n"
        "> Rezygnuję z udziału w naborze – tak napisała inna osoba."
    )
    assert own_text(reply) == "Dziękuję za informację.\n"
    assert read_withdrawal(reply) is None
    quoted_first = "> rezygnuję z naboru\nProszę o wycofanie mojego zgłoszenia."
    assert own_text(quoted_first) == ""


def test_the_plain_text_part_is_read_else_the_html_without_tags():
    msg = EmailMessage()
    msg.set_content("Rezygnuję z naboru.", charset="windows-1250")
    msg.add_alternative("<p>Inna <b>treść</b></p>", subtype="html")
    assert plain_text(msg.as_bytes()).strip() == "Rezygnuję z naboru."
    html_only = EmailMessage()
    html_only.set_content("<p>Wycofuję <b>zgłoszenie</b></p>", subtype="html")
    text = plain_text(html_only.as_bytes())
    assert "<" not in text and "Wycofuję" in text and "zgłoszenie" in text
    with_file = EmailMessage()
    with_file.set_content("")
    with_file.add_attachment(b"rezygnuje", maintype="text", subtype="plain", filename="a.txt")
    assert "rezygnuje" not in plain_text(with_file.as_bytes())
