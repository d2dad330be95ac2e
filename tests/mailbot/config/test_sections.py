"""mailbot/config/sections.py: each table's loader — the call's window, groups and address,
the From name, the digest, the limits and the workspace's address — naming the key on error."""

from __future__ import annotations

import tomllib
from datetime import time
from pathlib import Path

import pytest

from mailbot.config import sections
from mailbot.config.declared import default
from mailbot.config.model import SmtpConfig
from mailbot.config.tables import Table
from mailbot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[3]


def call_table(**changes: object) -> Table:
    data = tomllib.loads((ROOT / "config.toml").read_text(encoding="utf-8"))["call"]
    for name, value in changes.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return Table(data, "call", "config.toml")


def refused(call) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        call()
    return caught.value


def test_the_shipped_call_loads_with_its_groups_in_order_and_its_text_on_one_line():
    t = call_table(groups=[{"number": 3, "name": "C"}, {"number": 1, "name": "A"}])
    call = sections.load_call(t)
    assert [g.number for g in call.groups] == [1, 3]
    assert "\n" not in call.next_steps and "  " not in call.next_steps
    assert call.opens_at < call.closes_at
    assert call.corrections_days is None and call.form_url is None


def test_the_calls_mistakes_name_their_key():
    assert refused(lambda: sections.load_call(call_table(timezone="Europe/Wroclaw"))).key == (
        "call.timezone"
    )
    early = call_table(closes_at=call_table().data["opens_at"])
    assert refused(lambda: sections.load_call(early)).expected == (
        "expected a moment after call.opens_at"
    )
    assert refused(lambda: sections.load_call(call_table(groups=[]))).key == "call.groups"
    twice = call_table(groups=[{"number": 1, "name": "A"}, {"number": 1, "name": "B"}])
    assert refused(lambda: sections.load_call(twice)).expected == "expected each group number once"
    assert refused(lambda: sections.load_call(call_table(address="d.butryn dops"))).key == (
        "call.address"
    )
    assert refused(lambda: sections.load_call(call_table(keywords=["nabór", " "]))).key == (
        "call.keywords"
    )
    url = refused(lambda: sections.load_call(call_table(form_url="www.example.org/nabor")))
    assert url.key == "call.form_url"


def test_keywords_and_a_form_address_when_given():
    call = sections.load_call(
        call_table(keywords=[" rada seniorów "], form_url="https://example.org/nabor")
    )
    assert call.keywords == ("rada seniorów",)
    assert call.form_url == "https://example.org/nabor"


def smtp(from_name: str | None) -> SmtpConfig:
    t = Table({"host": "smtp.example.pl", "port": 587, "security": "starttls"}, "smtp", None)
    if from_name is not None:
        t.data["from_name"] = from_name  # type: ignore[index]
    return sections.load_smtp(t, Path("/"))


def test_the_from_name_is_smtp_from_name_else_nabor_and_the_short_name():
    call = sections.load_call(call_table(short_name="Rada Seniorów"))
    assert sections.sender_name_of(call, smtp("Biuro Rady"), True) == "Biuro Rady"
    assert sections.sender_name_of(call, smtp(None), True) == "Nabór Rada Seniorów"
    assert sections.sender_name_of(call, None, False) == "Nabór"
    own = sections.load_call(call_table(short_name="Nabór do grup roboczych DKRES"))
    assert sections.sender_name_of(own, None, True) == "Nabór do grup roboczych DKRES"
    assert refused(lambda: smtp('Biuro "Rady"')).key == "smtp.from_name"


def test_the_digest_takes_one_address_or_a_list_and_a_time_of_day():
    assert sections.load_digest(None).recipients == tuple(default("digest.recipients"))
    one = sections.load_digest(Table({"recipients": "k@example.pl", "at": "06:45"}, "digest", None))
    assert one.recipients == ("k@example.pl",) and one.at == time(6, 45)
    bad = Table({"recipients": ["k@example.pl", "nie-adres"]}, "digest", None)
    assert refused(lambda: sections.load_digest(bad)).key == "digest.recipients"
    late = Table({"at": "7.30"}, "digest", None)
    assert refused(lambda: sections.load_digest(late)).key == "digest.at"


def test_the_limits_feed_the_isolated_reader_and_keep_its_own_cap_when_left_out():
    limits = sections.load_limits(Table({"max_pdf_pages": 9}, "limits", None))
    assert limits.parse.max_pdf_pages == 9
    from parsers import ParseLimits

    assert limits.parse.max_bytes == ParseLimits().max_bytes
    given = sections.load_limits(Table({"max_attachment_bytes": 1_000_000}, "limits", None))
    assert given.parse.max_bytes == given.max_attachment_bytes == 1_000_000


def test_the_workspaces_public_address_ends_with_one_slash():
    web = sections.load_web(Table({"public_url": "https://nabor.example.pl/app//"}, "web", None))
    assert web.public_url == "https://nabor.example.pl/app/"
    bad = Table({"public_url": "nabor.example.pl"}, "web", None)
    assert refused(lambda: sections.load_web(bad)).key == "web.public_url"
    assert sections.load_web(None).public_url is None


def test_storage_paths_default_under_the_configs_folder(tmp_path):
    storage = sections.load_storage(None, tmp_path)
    assert storage.database.is_relative_to(tmp_path)
    assert storage.files.is_relative_to(tmp_path) and storage.lock.is_relative_to(tmp_path)
