"""mailbot/pipeline/stages.py: a pass over several messages reads each one's form while the
message before it is processed (read ahead), and gives every message what it gives alone.
Real e-mails with filled DOCX forms, the real reader process, a real SQLite store."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from mailbot.models import RawMessage
from mailbot.ops.samples import Applicant, email_with, filled_docx
from mailbot.pipeline import stages
from mailbot.pipeline.context import Context
from mailbot.pipeline.report import PassReport
from mailbot.storage.store import Store
from tests.letters import dkres_config

WARSAW = ZoneInfo("Europe/Warsaw")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
WHEN = datetime(2024, 5, 10, 10, 0, tzinfo=WARSAW)
PEOPLE = (
    Applicant(full_name="Anna Kowalska", email="anna.kowalska@example.pl", groups=(1,)),
    Applicant(full_name="Jan Nowak", email="jan.nowak@example.pl", groups=(2, 3)),
    Applicant(full_name="Zofia Wiśniewska", email="zofia.w@example.pl", groups=(5,)),
)


def _raw(person: Applicant, n: int) -> RawMessage:
    data = email_with(
        f"{person.full_name} <{person.email}>",
        "Zgłoszenie do grupy roboczej",
        "W załączeniu formularz.",
        to="d.butryn@dops.wroc.pl",
        date=WHEN,
        received=WHEN,
        attachments=((f"formularz-{n}.docx", filled_docx(person), DOCX),),
    )
    return RawMessage(raw=data, origin="file", mailbox=f"m{n}.eml")


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[Context]:
    config = dkres_config()
    store = Store(tmp_path / "db.sqlite", tmp_path / "files", form=config.form)
    yield Context(config.call, config.form, config.limits, store, now=lambda: WHEN)
    store.close()


def _names(ctx: Context) -> list[tuple[str, str]]:
    from mailbot.storage import applications

    rows = ctx.store.conn.execute("SELECT reference FROM applications ORDER BY id").fetchall()
    typed = [applications.find(ctx.store, r[0]) for r in rows]
    return [(a.status, str(a.machine.get("full_name"))) for a in typed if a is not None]


def test_a_pass_gives_each_message_what_it_gets_alone(ctx: Context, tmp_path: Path) -> None:
    raws = [_raw(p, n) for n, p in enumerate(PEOPLE)]
    report = stages.run_messages(raws, ctx, None, PassReport())
    assert report.processed == 3
    assert _names(ctx) == [("accepted", p.full_name) for p in PEOPLE]
    config = dkres_config()
    for n, raw in enumerate(raws):  # each alone, in a database of its own, nothing read ahead
        store = Store(tmp_path / f"alone-{n}.sqlite", tmp_path / "files", form=config.form)
        alone = Context(config.call, config.form, config.limits, store, now=lambda: WHEN)
        outcome = stages.process(raw, alone)
        assert (outcome.status, _names(alone)) == ("accepted", [_names(ctx)[n]])
        store.close()


def test_the_next_message_is_read_ahead_with_its_parse_and_files(ctx: Context) -> None:
    raw = _raw(PEOPLE[1], 1)
    ahead = stages.read_ahead(raw, ctx)
    assert ahead is not None and ahead.raw is raw
    assert [f.kind for f in ahead.found.candidates] == ["docx"]
    outcome = stages.process(raw, ctx, ahead)
    assert outcome.status == "accepted"
    assert _names(ctx) == [("accepted", "Jan Nowak")]


def test_a_message_read_ahead_for_another_is_not_used(ctx: Context) -> None:
    ahead = stages.read_ahead(_raw(PEOPLE[0], 0), ctx)
    outcome = stages.process(_raw(PEOPLE[2], 2), ctx, ahead)  # not the message read ahead
    assert outcome.status == "accepted"
    assert _names(ctx) == [("accepted", "Zofia Wiśniewska")]


def test_an_oversized_message_is_not_read_ahead(ctx: Context) -> None:
    raw = _raw(PEOPLE[0], 0)
    small = replace(ctx.limits, max_message_bytes=len(raw.raw) - 1)
    assert stages.read_ahead(raw, Context(ctx.call, ctx.form, small, ctx.store)) is None


def test_a_source_that_fails_after_a_message_lets_that_message_be_processed_first(
    ctx: Context,
) -> None:
    def source() -> Iterator[RawMessage]:
        yield _raw(PEOPLE[0], 0)
        yield _raw(PEOPLE[1], 1)
        raise ConnectionResetError("the server dropped the connection")

    report = PassReport()
    with pytest.raises(ConnectionResetError):
        stages.run_messages(source(), ctx, None, report)
    assert report.processed == 2
    assert [name for _status, name in _names(ctx)] == ["Anna Kowalska", "Jan Nowak"]
