"""The X-Mailbot-Reply header: what it carries, that it stays ASCII and unencoded in a real
letter, and that every form of it reads back."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from pathlib import Path

import pytest

from mailbot.config import load_config
from mailbot.ops.check import sample_inputs
from mailbot.pipeline.replies import compose_reply
from mailbot.stamp import Stamp, fold_stamp, format_stamp, kind_of, parse_stamp

REPO = Path(__file__).resolve().parents[2]
LONG_ID = "<CAKx8vQ3" + "a1b2c3d4e5" * 12 + "@mail.gmail.com>"


def test_the_parts_read_back() -> None:
    value = format_stamp("accepted", "DKRES-2024-0007", "<abc@example.pl>")
    assert value == "ref=DKRES-2024-0007; in-reply-to=<abc@example.pl>; kind=accepted"
    assert parse_stamp(value) == Stamp("accepted", "DKRES-2024-0007", "<abc@example.pl>")
    assert kind_of(value) == "accepted"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("accepted", Stamp("accepted")),  # the bare kind, as the digest and notices carry
        ("digest", Stamp("digest")),
        (  # folded: read as one line
            " ref=DKRES-2024-0001;\r\n in-reply-to=<a@b>;\r\n kind=no_form",
            Stamp("no_form", "DKRES-2024-0001", "<a@b>"),
        ),
        ("kind=late; ref=X-1", Stamp("late", "X-1")),  # order does not matter
        (  # a broken Message-ID is left out
            "ref=DKRES-2024-0001; in-reply-to=<a b@c>; kind=accepted",
            Stamp("accepted", "DKRES-2024-0001", None),
        ),
        ("ref=DKRES-2024-0001", None),  # no kind: not mailbot's
        ("", None),
        ("Zażółć gęślą jaźń", None),
    ],
)
def test_any_form_parses(value: str, expected: Stamp | None) -> None:
    assert parse_stamp(value) == expected


def test_what_is_not_plain_ascii_is_left_out() -> None:
    assert format_stamp("accepted", "DKRES-2024-0001", "<zgłoszenie@example.pl>") == (
        "ref=DKRES-2024-0001; kind=accepted"
    )
    assert format_stamp("accepted", None, "<a;b@example.pl>") == "accepted"
    assert format_stamp("accepted", None, "<" + "x" * 300 + "@example.pl>") == "accepted"
    with pytest.raises(ValueError):
        format_stamp("przyjęte")


def test_folding_happens_only_between_the_parts() -> None:
    value = format_stamp("accepted", "DKRES-2024-0007", LONG_ID)
    folded = fold_stamp("X-Mailbot-Reply", value)
    assert folded.endswith(b"\r\n") and b"=?" not in folded
    lines = folded.decode("ascii").split("\r\n")[:-1]
    assert lines[0].startswith("X-Mailbot-Reply: ref=DKRES-2024-0007;")
    assert all(line.startswith(" ") for line in lines[1:])
    assert parse_stamp(" ".join(lines).split(":", 1)[1]) == parse_stamp(value)


@pytest.mark.parametrize("template", ["accepted", "needs_review", "limit_reached"])
def test_a_letter_carries_its_number_and_the_message_it_answers(template: str) -> None:
    config = load_config(REPO / "config.toml")
    inputs = sample_inputs(config, template)
    inputs = dataclasses.replace(
        inputs, envelope=dataclasses.replace(inputs.envelope, message_id=LONG_ID)
    )
    letter = compose_reply(inputs)
    assert letter is not None
    head = letter.raw.split(b"\r\n\r\n", 1)[0]
    assert b"=?" not in head.split(b"X-Mailbot-Reply:", 1)[1].split(b"\r\nContent-Type")[0]
    parsed = email.message_from_bytes(letter.raw, policy=email.policy.default)
    stamp = parse_stamp(str(parsed["X-Mailbot-Reply"]))
    assert stamp == Stamp(template, "DKRES-2024-0001", LONG_ID)
    assert parsed["In-Reply-To"] is not None
