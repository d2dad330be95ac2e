"""The sending side's config keys: smtp.helo, smtp.from_name, limits.max_parse_memory."""

from __future__ import annotations

import pytest

from mailbot.config import DEFAULT_MAX_MEMORY, parse_config
from mailbot.errors import ConfigError
from tests.mailbot.test_config import minimal

SMTP = {"smtp__host": "smtp.example.org"}


def test_defaults(tmp_path):
    config = parse_config(minimal(**SMTP), base=tmp_path)
    assert config.smtp is not None
    assert config.smtp.helo is None and config.smtp.from_name is None
    assert config.call.sender_name == "Nabór"
    assert config.limits.max_parse_memory == DEFAULT_MAX_MEMORY
    assert config.limits.parse.max_memory == DEFAULT_MAX_MEMORY


def test_values_are_read(tmp_path):
    config = parse_config(
        minimal(
            **SMTP,
            smtp__helo="mailbot.dops.wroc.pl",
            smtp__from_name="Nabór DKRES",
            limits__max_parse_memory=256 * 1024 * 1024,
            limits__max_parse_seconds=3,
        ),
        base=tmp_path,
    )
    assert config.smtp is not None and config.smtp.helo == "mailbot.dops.wroc.pl"
    assert config.call.sender_name == "Nabór DKRES"
    assert config.limits.parse.max_memory == 256 * 1024 * 1024
    assert config.limits.parse.max_seconds == 3


@pytest.mark.parametrize(
    ("overrides", "key"),
    [
        ({"smtp__helo": "bad name\r\nRCPT"}, "smtp.helo"),
        ({"smtp__from_name": 'Nabór" <evil@x>'}, "smtp.from_name"),
        ({"limits__max_parse_memory": 1024}, "limits.max_parse_memory"),
    ],
)
def test_bad_values_are_named(tmp_path, overrides, key):
    with pytest.raises(ConfigError) as err:
        parse_config(minimal(**SMTP, **overrides), base=tmp_path)
    assert err.value.key == key


def test_addresses_go_out_intact_or_in_their_ascii_domain_form():
    from mailbot.mail.transport import needs_smtputf8 as message_needs_smtputf8
    from mailbot.pipeline.replies import deliverable_address, needs_smtputf8

    assert deliverable_address("anna@example.pl") == "anna@example.pl"
    assert deliverable_address("anna@żółw.pl") == "anna@xn--w-uga1v8h.pl"
    assert deliverable_address("jøran@example.com") == "jøran@example.com"
    assert not needs_smtputf8("anna@xn--w-uga1v8h.pl") and needs_smtputf8("jøran@example.com")
    assert message_needs_smtputf8("To: a@b\r\n\r\nżółw".encode(), ["a@b"]) is False
    assert message_needs_smtputf8("To: jøran@b\r\n\r\nx".encode(), ["a@b"])
    assert message_needs_smtputf8(b"To: a@b\r\n\r\nx", ["jøran@b"])


@pytest.mark.parametrize(
    ("short_name", "from_name", "expected"),
    [
        (None, None, "Nabór"),
        ("DKRES 2024", None, "Nabór DKRES 2024"),
        ("Nabór do grup roboczych DKRES", None, "Nabór do grup roboczych DKRES"),
        ("nabór DKRES", None, "nabór DKRES"),
        ("DKRES 2024", "Sekretariat DKRES", "Sekretariat DKRES"),
    ],
)
def test_one_from_name_as_the_readme_documents(tmp_path, short_name, from_name, expected):
    """smtp.from_name, else "Nabór " + call.short_name (never "Nabór Nabór …"), else "Nabór"."""
    extra: dict[str, object] = {}
    if short_name:
        extra["call__short_name"] = short_name
    if from_name:
        extra["smtp__from_name"] = from_name
    config = parse_config(minimal(**SMTP, **extra), base=tmp_path)
    assert config.call.sender_name == expected
