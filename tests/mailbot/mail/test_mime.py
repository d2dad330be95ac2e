import base64
import email.policy
import re
from email.message import EmailMessage

from mailbot.mail.mime import (
    ascii_message_ids,
    decode_8bit,
    header_text,
    parse_message,
    set_thread_headers,
    walk_files,
)
from mailbot.ops import samples

DOCX_BYTES = samples.filled_docx(samples.Applicant())
PDF_BYTES = samples.filled_pdf(samples.Applicant())


def b64(data: bytes) -> str:
    return base64.encodebytes(data).decode()


def walk(raw: bytes, **limits):
    opts = {"max_parts": 100, "max_depth": 10, "max_bytes": 10**7} | limits
    return walk_files(parse_message(raw), **opts)


def test_outlook_rfc2231_windows1250_filename_and_octet_stream():
    raw = (
        "From: a@example.pl\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n'
        "Content-Type: text/plain; charset=windows-1250\n\nW załączeniu\n--XX\n"
        "Content-Type: application/octet-stream\n"
        "Content-Disposition: attachment;\n"
        " filename*=windows-1250''Zg%B3oszenie%20%9Cwi%EAte.docx\n"
        "Content-Transfer-Encoding: base64\n\n" + b64(DOCX_BYTES) + "--XX--\n"
    ).encode()
    found = walk(raw)
    assert len(found.files) == 1
    f = found.files[0]
    assert f.filename == "Zgłoszenie święte.docx"
    assert f.kind == "docx" and f.declared_type == "application/octet-stream"


def test_rfc2047_filename_and_inline_pdf_named_wrongly():
    raw = (
        "From: a@example.pl\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="XX"\n\n--XX\n'
        "Content-Type: text/html; charset=utf-8\n\n<p>Formularz</p>\n--XX\n"
        'Content-Type: image/jpeg; name="=?UTF-8?B?Zm9ybXVsYXJ6LmpwZw==?="\n'
        'Content-Disposition: inline; filename="=?UTF-8?B?Zm9ybXVsYXJ6LmpwZw==?="\n'
        "Content-Transfer-Encoding: base64\n\n" + b64(PDF_BYTES) + "--XX--\n"
    ).encode()
    (f,) = walk(raw).files
    assert f.filename == "formularz.jpg"
    assert f.kind == "pdf"  # decided by the bytes, not the name or the declared type
    assert f.may_be_form


def test_forwarded_message_attachment_is_found():
    inner = samples.email_with(
        "Anna <anna@example.pl>",
        "Zgłoszenie",
        "x",
        to="nabor@example.org",
        date=__import__("datetime").datetime(2024, 5, 10),
        attachments=(("f.docx", DOCX_BYTES, "application/msword"),),
    )
    raw = (
        b"From: sekretariat@example.pl\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/mixed; boundary="OUT"\n\n--OUT\n'
        b"Content-Type: text/plain\n\nPrzekazuje.\n--OUT\n"
        b"Content-Type: message/rfc822\n\n" + inner + b"\n--OUT--\n"
    )
    files = walk(raw).files
    assert [f.kind for f in files] == ["docx"]
    assert files[0].part.startswith("2.")


def test_limits_stop_the_walk_with_a_reason():
    parts = "".join("--B\nContent-Type: application/octet-stream\n\nxyz\n" for _ in range(50))
    raw = f'From: a@x.pl\nContent-Type: multipart/mixed; boundary="B"\n\n{parts}--B--\n'.encode()
    found = walk(raw, max_parts=10)
    assert found.truncated and "10" in found.truncated
    big = walk(raw, max_bytes=2)
    assert all(f.refused == "too_large" for f in big.files)


def test_malformed_mime_does_not_raise():
    for raw in (
        b"",
        b"\xff\xfe\x00garbage",
        b"Content-Type: multipart/mixed\n\n--\n--",
        b'Content-Type: multipart/mixed; boundary="a"\n\n--a\nContent-Transfer-'
        b"Encoding: base64\n\n!!!not base64!!!\n",
    ):
        walk(raw)


def test_a_signature_logo_is_not_a_form_candidate_but_a_photo_is():
    def with_image(size: int) -> bytes:
        png = b"\x89PNG\r\n\x1a\n" + b"\x00" * size
        return (
            'From: a@example.pl\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary="R"'
            "\n\n--R\nContent-Type: text/html\n\n<img src=cid:logo>\n--R\n"
            "Content-Type: image/png\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\n"
            + b64(png)
            + "--R--\n"
        ).encode()

    (logo,) = walk(with_image(3000)).files
    assert logo.kind == "image" and not logo.may_be_form
    (photo,) = walk(with_image(200_000)).files
    assert photo.kind == "image" and photo.may_be_form


def test_form_inside_an_outlook_winmail_dat_is_found():
    raw = (
        "From: a@example.pl\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="T"\n\n--T\n'
        "Content-Type: text/plain\n\nZgloszenie w zalaczniku.\n--T\n"
        'Content-Type: application/ms-tnef; name="winmail.dat"\n'
        'Content-Disposition: attachment; filename="winmail.dat"\n'
        "Content-Transfer-Encoding: base64\n\n"
        + b64(samples.winmail_dat("formularz.docx", DOCX_BYTES))
        + "--T--\n"
    ).encode()
    files = walk(raw).files
    assert [f.filename for f in files] == ["winmail.dat", "formularz.docx"]
    inner = files[1]
    assert inner.kind == "docx" and inner.may_be_form and inner.data == DOCX_BYTES
    assert inner.part == "2.tnef1"


def test_encoded_subject_split_across_lines_keeps_its_spaces():
    import email as email_module

    from mailbot.mail.mime import decode_words

    raw = (
        b"Subject: Re: =?UTF-8?Q?Nab=C3=B3r_do_grup_roboczych_DKRES_=E2=80=93?=\r\n"
        b" potwierdzenie zg=?UTF-8?Q?=C5=82oszenia?=\r\n\r\nx"
    )
    value = email_module.message_from_bytes(raw).get("Subject")
    assert decode_words(value) == "Re: Nabór do grup roboczych DKRES – potwierdzenie zgłoszenia"
    # between two encoded words the folding whitespace is not text (RFC 2047)
    raw = b"Subject: =?UTF-8?Q?Zg=C5=82o?=\r\n =?UTF-8?Q?szenie?=\r\n\r\nx"
    assert decode_words(email_module.message_from_bytes(raw).get("Subject")) == "Zgłoszenie"


def test_a_nul_the_server_sent_as_0x80_is_dropped_not_read_as_windows_1250():
    # Dovecot hands out a NUL in a header as the byte 0x80
    assert decode_8bit("Zgłoszenie".encode() + b"\x80 do grupy") == "Zgłoszenie do grupy"
    assert decode_8bit(b"Zgloszenie\x80") == "Zgloszenie"
    # a 0x80 inside a UTF-8 character is that character; windows-1250 text stays itself
    assert decode_8bit("Ā i €".encode()) == "Ā i €"
    assert decode_8bit("Zgłoszenie 100 €".encode("windows-1250")) == "Zgłoszenie 100 €"
    msg = parse_message(b"Subject: Zg\xc5\x82oszenie\x80 do grupy\r\n\r\nx")
    assert header_text(msg, "Subject") == "Zgłoszenie do grupy"
    # a C1 control character sent as UTF-8 does not survive into anything mailbot writes
    msg = parse_message("Subject: Zgłoszenie\u0080\u009b do grupy\r\n\r\nx".encode())
    assert header_text(msg, "Subject").split() == ["Zgłoszenie", "do", "grupy"]


def test_reply_threading_headers_hold_ascii_message_ids_never_encoded():
    long_id = "<" + "A" * 100 + "@EURPRD10.PROD.OUTLOOK.COM>"
    for policy in (email.policy.SMTP, email.policy.SMTPUTF8):
        msg = EmailMessage(policy=policy)
        msg["Subject"] = "Zgloszenie"
        set_thread_headers(
            msg, long_id, ["<a@example.pl>", "<zażółć@example.pl>", "<b\udc80@x>", long_id]
        )
        msg.set_content("x")
        head = msg.as_bytes().split(b"\r\n\r\n")[0]
        lines = re.sub(rb"\r\n[ \t]+", b" ", head).decode("ascii").split("\r\n")
        assert f"In-Reply-To: {long_id}" in lines
        assert f"References: <a@example.pl> {long_id}" in lines
    assert ascii_message_ids(["<a b@x>", "<ą@x>", "<ok@x>", "<ok@x>", "<x\x00@y>"]) == ["<ok@x>"]
    msg = EmailMessage()
    set_thread_headers(msg, "<zażółć@example.pl>", ["<a@example.pl>"])
    assert msg["In-Reply-To"] is None and msg["References"] is None
