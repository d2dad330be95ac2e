"""mailbot/progress.py: one self-rewriting line for a long pass — count, rate and time left."""

from __future__ import annotations

import io
import re

from mailbot.progress import TerminalProgress


def test_the_line_counts_and_estimates_the_rest() -> None:
    out = io.StringIO()
    progress = TerminalProgress(stream=out, interval=0.0)
    progress.expect(300)
    progress.started -= 10.0  # ten seconds into the pass
    for _ in range(100):
        progress.advance(None)
    last = out.getvalue().split("\r")[-1]
    match = re.fullmatch(r"100/300 messages, ([\d.]+)/s, ETA 0:00:(\d\d) *", last)
    assert match, last
    assert 9.0 <= float(match.group(1)) <= 10.0  # 100 messages in a little over 10 s
    assert 19 <= int(match.group(2)) <= 22  # 200 left at about 10/s
    progress.close()
    assert out.getvalue().endswith("\n")
    assert "300/300" not in out.getvalue()


def test_a_second_batch_adds_to_the_total() -> None:
    out = io.StringIO()
    progress = TerminalProgress(stream=out, interval=0.0)
    progress.expect(5)
    progress.expect(7)
    progress.advance(None)
    assert out.getvalue().split("\r")[-1].startswith("1/12 messages")


def test_without_a_total_there_is_no_eta() -> None:
    out = io.StringIO()
    progress = TerminalProgress(stream=out, interval=0.0)
    progress.advance(None)
    assert out.getvalue().split("\r")[-1].startswith("1 messages, ")
    assert "ETA" not in out.getvalue()


def test_refreshed_at_most_once_an_interval() -> None:
    out = io.StringIO()
    progress = TerminalProgress(stream=out, interval=3600.0)
    for _ in range(50):
        progress.advance(None)
    assert out.getvalue().count("\r") == 1  # the first message drawn, the next 49 not yet
    progress.close()
    assert out.getvalue().split("\r")[-1].startswith("50 messages")


def test_a_pass_that_drew_nothing_writes_nothing() -> None:
    out = io.StringIO()
    TerminalProgress(stream=out, interval=0.0).close()
    assert out.getvalue() == ""  # no stray newline on a pass with nothing to do
