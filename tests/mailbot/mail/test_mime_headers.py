"""Headers as sent (raw 8-bit, RFC 2047 split over lines), .eml files as one message, and
worker jobs that log a failure instead of dying."""

from __future__ import annotations

import logging

import pytest

from mailbot.mail.mime import decode_words, header_text, parse_message, sender_address, walk_files
from mailbot.mail.sources import read_paths
from mailbot.ops import worker

NAME = "Formularz zgłoszeniowy – Wójcik-Żak.docx"


def raw_8bit(charset: str, *, declared: str | None = None) -> bytes:
    ctype = f"; charset={declared}" if declared else ""
    return (
        "From: Jan <jan@example.com>\r\nSubject: Pytanie o nabór\r\n"
        'Content-Type: multipart/mixed; boundary="b"\r\n\r\n'
        f"--b\r\nContent-Type: text/plain{ctype}\r\n\r\nTreść\r\n"
        "--b\r\nContent-Type: application/octet-stream\r\n"
        f'Content-Disposition: attachment; filename="{NAME}"\r\n\r\nPK\x03\x04\r\n--b--\r\n'
    ).encode(charset, "replace")


def names(raw: bytes) -> list[str | None]:
    walk = walk_files(parse_message(raw), max_parts=10, max_depth=5, max_bytes=10_000)
    return [f.filename for f in walk.files]


def test_raw_utf8_subject_and_file_name_are_decoded_not_replaced():
    msg = parse_message(raw_8bit("utf-8"))
    assert header_text(msg, "Subject") == "Pytanie o nabór"
    assert names(raw_8bit("utf-8")) == [NAME]


@pytest.mark.parametrize("charset", ["iso-8859-2", "windows-1250"])
def test_raw_8bit_in_the_messages_own_charset(charset):
    raw = raw_8bit(charset, declared=charset).replace("–".encode(charset, "replace"), b"-")
    msg = parse_message(raw)
    assert header_text(msg, "Subject") == "Pytanie o nabór"
    assert names(raw) == [NAME.replace("–", "-")]


def test_raw_8bit_without_a_declared_charset_falls_back_to_windows_1250():
    raw = raw_8bit("windows-1250")
    assert header_text(parse_message(raw), "Subject") == "Pytanie o nabór"
    assert names(raw) == [NAME]


def test_headers_only_parse_decodes_too():
    assert (
        header_text(parse_message(raw_8bit("utf-8"), headers_only=True), "Subject")
        == "Pytanie o nabór"
    )


def test_international_sender_address_is_kept_intact():
    raw = "From: Jøran <jøran@example.com>\r\nSubject: x\r\n\r\nx".encode()
    assert sender_address(parse_message(raw)) == "jøran@example.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("DKRES =?utf-8?q?=E2=80=93?=\r\n potwierdzenie", "DKRES – potwierdzenie"),
        ("=?utf-8?q?DKRES_=E2=80=93?=\r\n =?utf-8?q?_potwierdzenie?=", "DKRES – potwierdzenie"),
        # a word split over two encoded words (as Python and Outlook fold) comes back whole
        (
            "Re: =?utf-8?q?Nab=C3=B3r_DKRES_=E2=80=93_potwierdzenie_przyj=C4=99c?=\r\n"
            " =?utf-8?q?ia_zg=C5=82oszenia?= DKRES-2024-0001",
            "Re: Nabór DKRES – potwierdzenie przyjęcia zgłoszenia DKRES-2024-0001",
        ),
        ("=?windows-1250?q?Wyj=B9tek?= ok", "Wyjątek ok"),
        ("=?x-unknown?q?abc?= d", "abc d"),
    ],
)
def test_rfc2047_words_across_lines_keep_their_spaces(value, expected):
    raw = f"Subject: {value}\r\n\r\nx".encode()
    assert header_text(parse_message(raw), "Subject") == expected
    assert " ".join(decode_words(value).split()) == expected


QUOTED = b"""From nobody Mon May 13 10:00:00 2024
From: Anna <anna@example.pl>
Subject: Re: Zgloszenie
Message-ID: <a1@example.pl>

Dzien dobry,

From the message below you will see...
From kogos Tue May 14 10:00:00 2024
> cytat
"""


def test_an_eml_file_is_one_message_and_its_from_line_is_dropped(tmp_path):
    path = tmp_path / "wiadomosc.eml"
    path.write_bytes(QUOTED)
    [one] = list(read_paths([path]))
    assert one.raw == QUOTED.split(b"\n", 1)[1]
    assert one.raw.startswith(b"From: Anna")
    # the same in a folder of .eml files
    [again] = list(read_paths([tmp_path]))
    assert again.raw == one.raw


def test_an_mbox_file_is_still_split(tmp_path):
    path = tmp_path / "skrzynka.mbox"
    path.write_bytes(QUOTED)
    assert len(list(read_paths([path]))) > 1  # split at every unescaped "From " line


def test_a_worker_job_that_raises_is_logged_and_returns(caplog):
    calls = []

    @worker.guarded
    def job(x: int) -> None:
        calls.append(x)
        raise UnicodeEncodeError("ascii", "ø", 0, 1, "boom")

    with caplog.at_level(logging.ERROR, logger="mailbot.ops.worker"):
        job(1)
        job(2)
    assert calls == [1, 2]
    assert "job failed; the worker goes on" in caplog.text


def test_the_poll_job_survives_an_unexpected_error(monkeypatch, caplog):
    def boom(config):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(worker.jobs, "poll", boom)
    monkeypatch.setattr(worker, "digest_catch_up", lambda config: None)
    with caplog.at_level(logging.ERROR, logger="mailbot.ops.worker"):
        worker.poll_job(object())  # type: ignore[arg-type]
    assert "poll_job failed" in caplog.text


def test_a_huge_encoded_header_is_decoded_within_bounds():
    import tracemalloc

    word = "=?utf-8?q?Die_hei=C3=9Fe_Zypernsonne_qu=C3=A4lte_Max?="
    raw = ("Subject: " + "\r\n ".join([word] * 4000) + "\r\n\r\nx").encode()  # 230 KB
    tracemalloc.start()
    try:
        subject = header_text(parse_message(raw), "Subject")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert subject.startswith("Die heiße Zypernsonne quälte Max") and len(subject) == 300
    assert peak < 40 * 1024 * 1024, peak


def test_a_maildir_is_read_in_the_order_it_was_delivered(tmp_path):
    """Maildir names hold the microseconds without leading zeros: ``M999950`` was delivered
    before ``M1000`` of the next second but ``M1000`` of the same second came first."""
    box = tmp_path / "box"
    for sub in ("cur", "new", "tmp"):
        (box / sub).mkdir(parents=True)
    names = ["1715000000.M1000P7Q1.host", "1715000000.M999950P7Q2.host", "1715000001.M5P7Q3.host"]
    for i, name in enumerate(reversed(names)):
        (box / "new" / name).write_bytes(f"Subject: {2 - i}\r\n\r\nbody\r\n".encode())
    subjects = [parse_message(m.raw)["Subject"] for m in read_paths([box])]
    assert subjects == ["0", "1", "2"]


def test_files_named_by_numbers_are_read_in_number_order(tmp_path):
    for n in (1, 2, 10):
        (tmp_path / f"{n}.eml").write_bytes(f"Subject: {n}\r\n\r\nbody\r\n".encode())
    subjects = [parse_message(m.raw)["Subject"] for m in read_paths([tmp_path])]
    assert subjects == ["1", "2", "10"]


def test_a_name_with_a_superscript_digit_is_still_read(tmp_path):
    """``²`` counts as a digit for str.isdigit() but int() refuses it: the order must not."""
    for name in ("1.eml", "2²3.eml"):
        (tmp_path / name).write_bytes(f"Subject: {name}\r\n\r\nbody\r\n".encode())
    subjects = [parse_message(m.raw)["Subject"] for m in read_paths([tmp_path])]
    assert subjects == ["1.eml", "2²3.eml"]
