"""mailbot/cli_learn.py: `mailbot learn [--since] [--until]` from the command line against a
real Dovecot: it reads only the history before the call's mail, and says what it kept."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from integration.helpers import PASSWORD_ENV, write_config

from mailbot.cli import cli
from mailbot.ops import samples

WARSAW = ZoneInfo("Europe/Warsaw")


def mail(n: int, day: datetime) -> bytes:
    return samples.email_with(
        f"Kasia <k{n}@dops.wroc.pl>",
        f"Posiedzenie Komitetu nr {n}",
        "Przesyłam protokół z posiedzenia Komitetu i porządek obrad kolejnego spotkania.",
        to="d.butryn@dops.wroc.pl",
        date=day,
    )


@pytest.mark.integration
def test_learn_reads_the_history_only_and_a_window_of_it(
    tmp_path, dovecot, imap_user, smtp_sink, monkeypatch
):
    monkeypatch.setenv(PASSWORD_ENV, dovecot.password)
    path = write_config(tmp_path, dovecot, imap_user, smtp_sink)  # imap.since: 22 April 2024
    for n, day in enumerate(
        [
            datetime(2024, 2, 1, 9),
            datetime(2024, 3, 15, 9),
            datetime(2024, 4, 2, 9),
            datetime(2024, 5, 8, 9),
        ]
    ):
        when = day.replace(tzinfo=WARSAW)
        dovecot.append(imap_user, mail(n, when), internaldate=when)
    runner = CliRunner()
    done = runner.invoke(cli, ["learn", "--config", str(path)])
    assert done.exit_code == 0, done.output
    assert "learned from 3 message(s) received the beginning – 2024-04-22 (before)" in done.output
    window = runner.invoke(
        cli, ["--config", str(path), "learn", "--since", "2024-03-01", "--until", "2024-04-01"]
    )
    assert window.exit_code == 0, window.output
    assert "learned from 1 message(s) received 2024-03-01 – 2024-04-01 (before)" in window.output
    assert (
        runner.invoke(cli, ["--config", str(path), "learn", "--since", "1.03.2024"]).exit_code == 2
    )


def test_learn_without_a_mailbox_names_the_table_to_add(tmp_path):
    root = Path(__file__).resolve().parents[2]
    call = (root / "config.toml").read_text(encoding="utf-8").split("[imap]")[0]
    path = tmp_path / "config.toml"
    path.write_text(call + '\n[storage]\ndatabase = "db/m.db"\nfiles = "db/f"\n', encoding="utf-8")
    done = CliRunner().invoke(cli, ["--config", str(path), "learn"])
    assert done.exit_code == 78
    assert done.output.startswith("mailbot: [imap]")
