"""mailbot/pipeline/relevance/text.py: the words the relevance rules read are the sender's own —
the text part (plain, else HTML flattened), without quoted earlier mail, control characters or
diacritics."""

from __future__ import annotations

from email.message import EmailMessage

from mailbot.pipeline.relevance.text import (
    EXCERPT_CHARS,
    body_text,
    excerpt,
    html_text,
    mime_text,
    normalise,
    own_text,
)


def test_normalise_folds_case_polish_letters_and_spaces() -> None:
    assert normalise("  Zgłoszenie   do ŁÓDZKIEJ\tGrupy  ") == "zgloszenie do lodzkiej grupy"


def test_the_plain_part_is_preferred_and_attachments_are_not_text() -> None:
    msg = EmailMessage()
    msg.set_content("Przesyłam formularz zgłoszeniowy.")
    msg.add_alternative("<p>Inna <b>treść</b> w HTML</p>", subtype="html")
    msg.add_attachment(b"Tekst z zalacznika", maintype="text", subtype="plain", filename="a.txt")
    text = body_text(msg)
    assert "Przesyłam formularz zgłoszeniowy." in text
    assert "HTML" not in text and "zalacznika" not in text


def test_html_only_mail_is_flattened_without_scripts_styles_or_quotes() -> None:
    markup = (
        "<html><head><style>p{color:red}</style><script>alert(1)</script></head><body>"
        "<p>Dzień dobry,</p><p>pytanie o nabór &amp; termin</p>"
        "<blockquote>Wcześniejsza wiadomość: formularz</blockquote></body></html>"
    )
    text = html_text(markup)
    assert "Dzień dobry," in text and "pytanie o nabór & termin" in text
    for gone in ("color", "alert", "Wcześniejsza"):
        assert gone not in text
    msg = EmailMessage()
    msg.set_content(markup, subtype="html")
    assert "pytanie o nabór & termin" in body_text(msg)


def test_a_part_in_windows_1250_without_a_declared_charset_is_read() -> None:
    msg = EmailMessage()
    msg.set_payload("Zażółć gęślą jaźń".encode("windows-1250"))
    msg["Content-Type"] = "text/plain"
    msg["Content-Transfer-Encoding"] = "8bit"
    assert body_text(msg) == "Zażółć gęślą jaźń"


def test_quoted_mail_is_cut_away() -> None:
    reply = (
        "Dziękuję, rozumiem.\n"
        "\n"
        "W dniu 14.05.2024 o 10:00, Nabór DKRES <d.butryn@dops.wroc.pl> napisał:\n"
        "> Potwierdzamy przyjęcie zgłoszenia do grupy roboczej nr 2.\n"
    )
    assert own_text(reply) == "Dziękuję, rozumiem."
    outlook = (
        "Przekazuję dalej.\n"
        "Od: Anna Kowalska <anna@example.pl>\n"
        "Wysłano: wtorek, 14 maja 2024 10:00\n"
        "Temat: formularz\n"
    )
    assert own_text(outlook) == "Przekazuję dalej."
    assert own_text("Pierwsza linia\n> cytat\nOstatnia linia") == "Pierwsza linia\nOstatnia linia"
    assert own_text("On Tue, 14 May 2024, Anna wrote:\n> old") == ""


def test_control_characters_go_but_line_ends_stay() -> None:
    assert mime_text("a\x00b\x07c\r\nd\te\x7f") == "abc\r\nd\te"


def test_an_excerpt_is_four_lines_and_bounded() -> None:
    assert excerpt("\n\n1\n  2  \n\n3\n4\n5\n") == "1\n2\n3\n4"
    assert len(excerpt("x" * 5000)) == EXCERPT_CHARS
