"""The digest as the e-mailed face of "Do zrobienia", on the demo's real pipeline data."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from web.workspace_data import add_message, demo_copy, open_store

from mailbot.cli import cli
from mailbot.ops import review
from mailbot.ops.digest import build_digest

NOW = datetime(2024, 5, 25, 6, 0, tzinfo=UTC)


@pytest.fixture
def config(tmp_path):
    return demo_copy(tmp_path)


def test_digest_is_polish_lists_correspondence_and_links(config):
    config = replace(config, web=replace(config.web, public_url="https://nabor.example.org/"))
    with open_store(config) as store:
        pk = add_message(
            store,
            "correspondence",
            sender="Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
            subject="Pytanie o grupę",
            body="Dzień dobry,\nczy mogę zmienić grupę?",
        )
        digest = build_digest(config, store, NOW)
    for text in (digest.text, digest.html):
        # problems in Polish, never codes
        assert "missing_" not in text and "form_unreadable" not in text
        assert "nie wypełniono pola „Telefon kontaktowy”" in text
        # correspondence with its subject and first lines, linked to the workspace
        assert "Pytanie o grupę" in text and "czy mogę zmienić grupę?" in text
        assert f"https://nabor.example.org/wiadomosc/{pk}" in text
        assert "https://nabor.example.org/zgloszenie/DKRES-2024-0004" in text
        # no phone numbers, no postal addresses
        assert "(75) 645 64 00" not in text and "Plac Ratuszowy" not in text
        assert "74 852 11 00" not in text and "Świdnicka 5/7" not in text
    assert "DO ZROBIENIA (3)" in digest.text  # the scan, the late one, the question


def test_digest_counts_agree_and_groups_list_names_with_statuses(config):
    with open_store(config) as store:
        digest = build_digest(config, store, NOW)
        live = store.db.execute(
            "SELECT count(*) FROM applications WHERE superseded = 0"
        ).fetchone()[0]
        messages = store.db.execute("SELECT count(*) FROM messages").fetchone()[0]
    text = digest.text
    by_status = [
        int(n)
        for n in re.findall(
            r"^- \S.*: (\d+)$",
            text.split("Aktualne zgłoszenia według wyniku:")[1].split("Razem:")[0],
            re.M,
        )
    ]
    assert sum(by_status) == live
    assert re.search(rf"^Razem: {live}$", text, re.M)
    assert f"Odebrane wiadomości: {messages}" in text
    inside, other = (
        int(n) for n in re.findall(r"w tym zgłoszenia: (\d+).*?błędy\): (\d+)", text, re.S)[0]
    )
    assert inside + other == messages
    group4 = text.split("4. Grupa robocza")[1].split("5. Grupa robocza")[0]
    assert "Anna Kowalska" in group4 and "przyjęte" in group4
    assert "Grzegorz Zieliński" in group4 and group4.count("Grzegorz Zieliński") == 1


def test_a_decided_entry_leaves_the_digest(config):
    with open_store(config) as store:
        review.decide(config, store, "DKRES-2024-0004", "accepted", actor="anna")
        review.correct(
            store,
            "DKRES-2024-0004",
            {"full_name": "Tomasz Lewandowski", "groups": "5"},
            actor="anna",
        )
        text = build_digest(config, store, NOW).text
    todo = text.split("DO ZROBIENIA")[1].split("STAN ZGŁOSZEŃ")[0]
    assert "DKRES-2024-0004" not in todo
    group5 = text.split("5. Grupa robocza")[1].split("=====")[0]
    assert "Tomasz Lewandowski" in group5


def test_demo_writes_the_digest_private(tmp_path):
    result = CliRunner().invoke(cli, ["demo", "--dir", str(tmp_path / "d")])
    assert result.exit_code == 0, result.output
    for name in ("digest.txt", "digest.html"):
        assert (tmp_path / "d" / name).stat().st_mode & 0o777 == 0o600


def test_overview_counts_applications_per_local_day(config):
    from datetime import date

    from mailbot.ops.overview import overview

    with open_store(config) as store:
        view = overview(config, store, NOW)
    per_day = {d.day: d.count for d in view.per_day}
    assert per_day[date(2024, 5, 6)] == 0 and date(2024, 5, 24) in per_day
    # Anna 14 May 10:32, Grzegorz 20 and 22 May, the scan 21 May, Piotr 23 May (Warsaw time)
    assert [per_day[date(2024, 5, d)] for d in (14, 20, 21, 22, 23)] == [1, 1, 1, 1, 1]
    assert sum(per_day.values()) == 5  # the late one (25 May) is outside; no_form not counted
    assert view.days_left is None and view.total_live == sum(c for _s, _l, c in view.by_status)
