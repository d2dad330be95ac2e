"""call.corrections_days through the real stages: a letter asking for a correction gives that
many days, so a corrected form received after closes_at but within them is on time — never a
"too late" letter to someone the previous letter gave the time — and one after them is late.
Real e-mails with filled DOCX forms, a real SQLite store."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.config import Config
from mailbot.models import RawMessage
from mailbot.ops.samples import Applicant, email_with, filled_docx
from mailbot.pipeline.context import Context
from mailbot.pipeline.stages import process
from mailbot.pipeline.validate import correction_deadline
from mailbot.storage.store import Store
from tests.letters import dkres_config

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ANNA = Applicant()
ASKED = datetime(2024, 5, 23, 10, 0, tzinfo=WARSAW)  # her incomplete form, the day before closing


def _config(days: int | None) -> Config:
    config = dkres_config()
    call = replace(config.call, corrections_days=days)
    return replace(config, call=call)


def _send(ctx: Context, clock: list[datetime], when: datetime, person: Applicant, n: int) -> str:
    clock[0] = when  # the pass runs as the message arrives
    raw = email_with(
        "Anna Kowalska <a.kowalska@cis-olawa.example.pl>",
        "Zgłoszenie",
        "W załączeniu formularz.",
        to=ctx.call.address,
        date=when,
        received=when,
        attachments=((f"formularz-{n}.docx", filled_docx(person), DOCX),),
    )
    outcome = process(RawMessage(raw=raw, origin="file", mailbox=f"m{n}.eml"), ctx)
    assert outcome.status is not None
    return outcome.status


@pytest.fixture
def run(tmp_path: Path):
    def go(days: int | None, corrected_at: datetime) -> tuple[str, str, str]:
        config = _config(days)
        clock = [ASKED]
        store = Store(tmp_path / f"db-{days}-{corrected_at:%d}.sqlite", tmp_path / "files")
        ctx = Context(config.call, config.form, config.limits, store, now=lambda: clock[0])
        first = _send(ctx, clock, ASKED, replace(ANNA, phone=None), 1)
        second = _send(ctx, clock, corrected_at, ANNA, 2)
        letters = [r[0] for r in store.conn.execute("SELECT template FROM replies ORDER BY id")]
        store.close()
        return first, second, ",".join(letters)

    return go


def test_a_correction_within_the_period_is_on_time(run):
    first, second, letters = run(7, datetime(2024, 5, 28, 9, 0, tzinfo=WARSAW))
    assert (first, second, letters) == ("incomplete", "accepted", "incomplete,accepted")


def test_without_a_period_or_after_it_the_correction_is_late(run):
    assert run(None, datetime(2024, 5, 28, 9, 0, tzinfo=WARSAW))[1:] == ("late", "incomplete,late")
    # 7 days from 23 May end with 30 May
    assert run(7, datetime(2024, 5, 30, 23, 0, tzinfo=WARSAW))[1] == "accepted"
    assert run(7, datetime(2024, 5, 31, 0, 30, tzinfo=WARSAW))[1] == "late"


def test_the_period_ends_with_its_last_day_in_the_calls_time_zone():
    call = _config(7).call
    end = correction_deadline(call, datetime(2024, 5, 23, 22, 30, tzinfo=ZoneInfo("UTC")))
    # 23 May 22:30 UTC is 24 May 00:30 in Warsaw: the day is not counted, 7 days from it
    assert end == datetime(2024, 5, 31, 23, 59, 59, tzinfo=WARSAW)
    assert correction_deadline(_config(None).call, datetime(2024, 5, 23, tzinfo=WARSAW)) is None
