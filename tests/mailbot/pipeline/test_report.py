"""mailbot/pipeline/report.py: a pass's counts — skipped and deferred messages apart from the
processed ones, which are counted by disposition and status."""

from __future__ import annotations

from mailbot.models import Outcome
from mailbot.pipeline.report import PassReport


def test_counts_by_disposition_and_status() -> None:
    report = PassReport()
    for outcome in (
        Outcome(1, "application", "accepted", reply_queued=True),
        Outcome(2, "application", "incomplete"),
        Outcome(3, "application", "accepted"),
        Outcome(4, "correspondence"),
        Outcome(None, "skipped"),
        Outcome(None, "deferred"),
        Outcome(None, "deferred"),
    ):
        report.add(outcome)
    assert report.processed == 4
    assert report.skipped == 1
    assert report.deferred == 2
    assert report.by_disposition == {"application": 3, "correspondence": 1}
    assert report.by_status == {"accepted": 2, "incomplete": 1}
