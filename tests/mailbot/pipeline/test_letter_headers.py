"""The letters' policy writes every header byte for byte as the standard library's policy does.

:class:`~mailbot.pipeline.replies.LetterPolicy` skips the standard parser and folder for the
headers that repeat in every letter and for values of a plain shape; these tests build the same
letters with both and compare the bytes, for short and long values, ASCII and Polish ones.
"""

from __future__ import annotations

import email.utils
import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import EmailPolicy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.pipeline.replies import (
    REPLY_POLICY,
    REPLY_POLICY_UTF8,
    PlainHeader,
    build_letter,
    letter_bytes,
    plain_header,
)

REPO = Path(__file__).resolve().parents[3]

STANDARD = EmailPolicy(linesep="\r\n", max_line_length=76)
STANDARD_UTF8 = EmailPolicy(linesep="\r\n", utf8=True, max_line_length=76)

SUBJECTS = [
    "DKRES - potwierdzenie przyjecia zgloszenia DKRES-2024-0001",
    "Nabór do grup roboczych DKRES – potwierdzenie przyjęcia zgłoszenia DKRES-2024-0001",
    'Re: (pytanie) "grupa" nr 3; a\\b <x@y> [z] 100% ok!',
    "A " * 30 + "end",  # too long for one line: folded as the standard folds it
    "x" * 90,  # one long word
    "Re: =?utf-8?q?Nab=C3=B3r?= looks encoded",  # an encoded-word look-alike: not plain
    "two  spaces",  # not plain (kept by the standard parser)
    " leading space",
    "ends with space ",
    "tab\there",
    "",
]
ADDRESSES = [
    "jan.kowalski@example.pl",
    "a_b+c-d%e@sub-domain.example.org",
    "very.long.local.part.that.goes.on.and.on.and.on@a-very-long-domain-name.example.com",
    "x" * 70 + "@example.pl",
    "jan..kowalski@example.pl",
    '"quoted"@example.pl',
    "jøran@example.com",
    "Jan Kowalski <jan@example.pl>",
    "jan@xn--bcher-kva.example",
]
MESSAGE_IDS = [
    "<mailbot.0505ece1785f4c87af1c49dcaeaba179@dops.wroc.pl>",
    "<mailbot.ops.digest.0505ece1785f4c87af1c49dcaeaba179@dops.wroc.pl>",
    "<mailbot." + "a" * 80 + "@example.org>",
    "<not a msgid>",
    "<a@b>",
]


def _dates() -> list[str]:
    rng = random.Random(19)
    zones = [ZoneInfo("Europe/Warsaw"), ZoneInfo("America/St_Johns"), UTC]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    moments = [start + timedelta(seconds=rng.randrange(0, 10**9)) for _ in range(60)]
    return [email.utils.format_datetime(m.astimezone(rng.choice(zones))) for m in moments]


def _folded(policy: EmailPolicy, name: str, value: str) -> bytes:
    msg = EmailMessage(policy=policy)
    msg[name] = value
    return msg.as_bytes()


@pytest.mark.parametrize(
    ("ours", "standard"), [(REPLY_POLICY, STANDARD), (REPLY_POLICY_UTF8, STANDARD_UTF8)]
)
@pytest.mark.parametrize(
    ("name", "values"),
    [
        ("Subject", SUBJECTS),
        ("To", ADDRESSES),
        ("Message-ID", MESSAGE_IDS),
        ("Date", _dates()),
    ],
)
def test_each_header_is_written_as_the_standard_policy_writes_it(
    ours: EmailPolicy, standard: EmailPolicy, name: str, values: list[str]
) -> None:
    for value in values:
        assert _folded(ours, name, value) == _folded(standard, name, value), value


def test_only_plain_values_take_the_short_way() -> None:
    assert isinstance(plain_header("Subject", SUBJECTS[0]), PlainHeader)
    assert isinstance(plain_header("Date", _dates()[0]), PlainHeader)
    for value in (SUBJECTS[1], SUBJECTS[5], SUBJECTS[6], SUBJECTS[9], ""):
        assert plain_header("Subject", value) is None, value
    for value in ADDRESSES[4:8]:
        assert plain_header("To", value) is None, value
    assert plain_header("Message-ID", "<not a msgid>") is None
    assert plain_header("Cc", "jan@example.pl") is None  # only the named headers


def test_a_value_with_a_line_break_is_refused_as_before() -> None:
    msg = EmailMessage(policy=REPLY_POLICY)
    with pytest.raises(ValueError, match="linefeed"):
        msg["Subject"] = "two\r\nlines"


def test_a_whole_letter_is_the_same_under_both_policies() -> None:
    body = "Szanowna Pani,\n\ndziękujemy za zgłoszenie – " + "długi wiersz " * 20 + "\n"
    out = []
    for policy in (REPLY_POLICY, STANDARD):
        msg = EmailMessage(policy=policy)
        msg["From"] = email.utils.formataddr(("Nabór do grup roboczych DKRES", "d.b@dops.wroc.pl"))
        msg["To"] = "zofia.mazur@aktywnirazem.example.org"
        msg["Subject"] = "Nabór do grup roboczych DKRES – potwierdzenie DKRES-2024-0007"
        msg["Date"] = "Fri, 10 May 2024 08:00:00 +0200"
        msg["Message-ID"] = "<mailbot.0505ece1785f4c87af1c49dcaeaba179@dops.wroc.pl>"
        msg["Auto-Submitted"] = "auto-replied"
        msg.set_content(body, charset="utf-8", cte="quoted-printable")
        out.append(msg.as_bytes())
    assert out[0] == out[1]


def _config(tmp_path: Path) -> Path:
    """The shipped config's [call] with a storage folder of the test's own."""
    text = (REPO / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp_path / "config.toml"
    path.write_text(
        text
        + '[imap]\nhost = "127.0.0.1"\nusername = "x"\npassword_env = "X"\n'
        + '[smtp]\nhost = "127.0.0.1"\n'
        + f'[storage]\ndatabase = "{tmp_path}/db.sqlite"\nfiles = "{tmp_path}/files"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("to", ["zofia.mazur@aktywnirazem.example.org", "jøran@example.com"])
@pytest.mark.parametrize("html", [None, "<p>Szanowna Pani</p>"])
def test_a_letter_is_written_as_the_standard_generator_writes_it(
    to: str, html: str | None, tmp_path: Path
) -> None:
    from mailbot.config import load_config

    call = load_config(_config(tmp_path)).call
    body = "Szanowna Pani,\r\n\r\nżółć " + "długi wiersz " * 30 + "\n\nZ poważaniem\n"
    for kind, reference in (("accepted", "DKRES-2024-0001"), ("digest", None)):
        msg, _mid = build_letter(
            call,
            to,
            "Nabór do grup roboczych DKRES – potwierdzenie przyjęcia zgłoszenia DKRES-2024-0001",
            body,
            kind=kind,
            reference=reference,
            in_reply_to="<x1.028e63fd@aktywnirazem.example.org>",
            thread=("<x1.028e63fd@aktywnirazem.example.org>", ["<a@b>", "<c@d>"]),
            automatic="auto-replied",
            html=html,
        )
        assert letter_bytes(msg) == msg.as_bytes()
        assert b"X-Mailbot-Reply: " in letter_bytes(msg)
