#!/usr/bin/env python3
"""The walk: which of mailbot's modules one message enters from fetch to send, and what one
decision in the workspace reads.

Run by hand (pytest does not collect it; ``tests/unit/test_walk.py`` asserts its figures)::

    python tests/bench/walk.py            # both walks, about 20 s (the demo is built first)
    python tests/bench/walk.py --json     # the figures as one JSON object

**From fetch to send.** The demo's data (``mailbot demo``: a real pipeline run over its
example inbox) gets one more application, a Word form in an ``.eml`` file. With
``sys.setprofile`` over the frames of ``mailbot.*`` modules, it follows that message through
the same calls a pass makes: fetch (``mail.sources.read_paths``), the pipeline
(``pipeline.stages.run_messages``: classify, find the form, extract, relevance, validate,
compose, record) and send (``mail.outbox.send_pending``, replies written as ``.eml`` files).
The module being run is the module of the innermost ``mailbot`` frame; each time it changes
the walk has entered a module, and entering a module it had left before is a *return*. It
prints the modules in the order they were first entered, how many times the walk returned to
each, and the order in which it entered the pipeline's stage modules
(:data:`mailbot.pipeline.stages.STAGE_MODULES` where it exists).

**One decision.** The workspace (the Flask app over the same data, a coordinator logged in)
gets one POST of "Zdecyduj" — accept the scanned application and send the notice, confirmed —
under the same profile, with SQLite's trace callback on every connection opened meanwhile: the
modules and returns as above, and the ``SELECT`` statements that read the ``applications``
table.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
for _path in (str(REPO), str(REPO / "tests")):
    if _path not in sys.path:
        sys.path.insert(0, _path)

WARSAW = ZoneInfo("Europe/Warsaw")
#: the scanned application of the demo (needs a person's decision)
SCAN = "DKRES-2024-0004"
#: the order of the pipeline's stages and the module of each, as pipeline/stages.py gave it
#: before it listed them itself (the walk of older code is measured against this)
DEFAULT_STAGES: tuple[tuple[str, str], ...] = (
    ("fetch", "mailbot.mail.sources"),
    ("classify", "mailbot.pipeline.classify"),
    ("relevance", "mailbot.pipeline.relevance"),
    ("validate", "mailbot.pipeline.validate"),
    ("compose", "mailbot.pipeline.compose"),
    ("record", "mailbot.pipeline.record"),
    ("send", "mailbot.mail.outbox"),
)
_READS_APPLICATIONS = re.compile(r"(?is)^\s*SELECT\b.*\b(FROM|JOIN)\s+applications\b")


@dataclass
class Walk:
    """The modules a run entered, in order, and how often it came back to one it had left."""

    entries: list[str] = field(default_factory=list)  # every module entered, in order
    called: list[bool] = field(default_factory=list)  # per entry: by a call (else a return)

    @property
    def modules(self) -> list[str]:
        """Each module once, in the order first entered."""
        return list(dict.fromkeys(self.entries))

    @property
    def returns(self) -> Counter[str]:
        """Module → how many times the walk entered it again after leaving it."""
        seen: set[str] = set()
        back: Counter[str] = Counter()
        for module in self.entries:
            if module in seen:
                back[module] += 1
            seen.add(module)
        return back

    @property
    def called_back(self) -> Counter[str]:
        """Module → how many times a call entered it again after the walk had left it (coming
        back to a caller by returning is not counted)."""
        seen: set[str] = set()
        back: Counter[str] = Counter()
        for module, by_call in zip(self.entries, self.called, strict=True):
            if module in seen and by_call:
                back[module] += 1
            seen.add(module)
        return back

    def entered(self, prefixes: dict[str, str]) -> list[str]:
        """The stages whose module the walk entered, in order (a stage's module is the module
        named, or a module inside that package); consecutive entries of one stage collapse."""
        out: list[str] = []
        for module in self.entries:
            for stage, name in prefixes.items():
                if module == name or module.startswith(name + "."):
                    if not out or out[-1] != stage:
                        out.append(stage)
                    break
        return out


def _module(frame: FrameType | None) -> str | None:
    """The module of the innermost ``mailbot`` frame from ``frame`` outwards."""
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name == "mailbot" or name.startswith("mailbot."):
            return str(name)
        frame = frame.f_back
    return None


@contextmanager
def walking() -> Iterator[Walk]:
    """Follow the module being run while the block runs (this thread)."""
    walk = Walk()
    current: list[str | None] = [None]

    def enter(module: str | None, by_call: bool) -> None:
        if module is not None and module != current[0]:
            walk.entries.append(module)
            walk.called.append(by_call)
        if module is not None:
            current[0] = module

    def profile(frame: FrameType, event: str, _arg: object) -> None:
        if event == "call":
            name = frame.f_globals.get("__name__", "")
            if name == "mailbot" or name.startswith("mailbot."):
                enter(name, True)
        elif event == "return":
            name = frame.f_globals.get("__name__", "")
            if name == "mailbot" or name.startswith("mailbot."):
                enter(_module(frame.f_back), False)

    sys.setprofile(profile)
    try:
        yield walk
    finally:
        sys.setprofile(None)


@contextmanager
def traced_selects() -> Iterator[list[str]]:
    """Every SQL statement run on a connection opened while the block runs."""
    statements: list[str] = []
    real = sqlite3.connect

    def connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = real(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    sqlite3.connect = connect  # type: ignore[assignment]
    try:
        yield statements
    finally:
        sqlite3.connect = real  # type: ignore[assignment]


def application_reads(statements: list[str]) -> list[str]:
    """The statements that read the applications table."""
    return [s for s in statements if _READS_APPLICATIONS.match(s)]


def stage_modules() -> dict[str, str]:
    """Stage → its module, from pipeline/stages.py when it lists them, else as it did."""
    from mailbot.pipeline import stages

    listed = getattr(stages, "STAGE_MODULES", None)
    return dict(listed or DEFAULT_STAGES)


# --- the data --------------------------------------------------------------------------------


def demo(root: Path) -> Any:
    """The demo's config over a fresh copy of its data."""
    from mailbot.config import load_config
    from mailbot.ops.demo import run_demo

    run_demo(root)
    return load_config(root / "config.toml")


def new_application(folder: Path) -> Path:
    """One more application: a Word form from a new applicant, on time, as an .eml file."""
    from mailbot.ops.samples import Applicant, email_with, filled_docx

    person = Applicant(
        full_name="Halina Walczak",
        organisation="Fundacja „Krok Dalej”",
        email="h.walczak@krokdalej.example.org",
        groups=(2, 4),
        place_and_date="Legnica, 17 maja 2024 r.",
    )
    when = datetime(2024, 5, 17, 9, 41, tzinfo=WARSAW)
    raw = email_with(
        "Halina Walczak <h.walczak@krokdalej.example.org>",
        "Zgłoszenie do grupy roboczej",
        "Dzień dobry,\nprzesyłam wypełniony formularz.\nHalina Walczak",
        to="d.butryn@dops.wroc.pl",
        date=when,
        received=when,
        attachments=(
            (
                "formularz-Walczak.docx",
                filled_docx(person),
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        ),
    )
    path = folder / "walczak.eml"
    path.write_bytes(raw)
    return path


# --- the two walks ---------------------------------------------------------------------------


@dataclass
class MessageWalk:
    walk: Walk
    stages: list[str]  # the stages entered, in order (consecutive entries collapsed)
    order: list[str]  # the stages as stages.py lists them
    outcome: str  # disposition and status of the message
    sent: int  # replies sent


def walk_message(config: Any, eml: Path) -> MessageWalk:
    """Fetch → send for the one message in ``eml``, in-process, as a pass runs it."""
    from mailbot.mail.outbox import send_pending
    from mailbot.mail.sources import read_paths
    from mailbot.mail.transport import open_transport
    from mailbot.ops import jobs
    from mailbot.pipeline.report import PassReport
    from mailbot.pipeline.stages import run_messages

    store = jobs.open_store(config)
    ctx = jobs.context(config, store)
    transport = open_transport(config.smtp)
    stages = stage_modules()
    try:
        with walking() as walk:
            raws = list(read_paths([eml]))
            report = run_messages(raws, ctx, None, PassReport())
            sent = send_pending(store, transport, config.call.address)
    finally:
        transport.close()
        store.close()
    outcome = ", ".join(f"{n} {s}" for s, n in sorted(report.by_status.items()))
    return MessageWalk(walk, walk.entered(stages), list(stages), outcome, sent.sent)


@dataclass
class DecisionWalk:
    walk: Walk
    reads: list[str]  # SELECTs of the applications table, in order
    status: int  # the POST's HTTP status
    decided: str | None  # the application's status afterwards


def walk_decision(config: Any, ref: str = SCAN) -> DecisionWalk:
    """One "Zdecyduj" POST in the workspace: accept, with the notice, confirmed."""
    from mailbot.ops import jobs
    from mailbot.ops.users import add_user
    from mailbot.web import create_app
    from mailbot.web.security import LoginThrottle

    with jobs.open_store(config) as store:
        add_user(store, "koordynatorka", "haslo-koordynatorki-1", "coordinator")
    app = create_app(config, secret="walk-secret-" + "x" * 20, throttle=LoginThrottle())
    client = app.test_client()
    token = _token(client.get("/logowanie").text)
    client.post(
        "/logowanie",
        data={"csrf_token": token, "login": "koordynatorka", "password": "haslo-koordynatorki-1"},
    )
    page = client.get(f"/zgloszenie/{ref}/zdecyduj")
    token = _token(page.text)
    form = {"csrf_token": token, "status": "accepted", "notify": "1", "confirm": "1"}
    with traced_selects() as statements, walking() as walk:
        response = client.post(f"/zgloszenie/{ref}/zdecyduj", data=form)
    with jobs.open_store(config) as store:
        row = store.conn.execute(
            "SELECT status FROM applications WHERE reference = ?", [ref]
        ).fetchone()
    return DecisionWalk(
        walk, application_reads(statements), response.status_code, row[0] if row else None
    )


def _token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if not found:
        raise SystemExit("no CSRF token on the workspace's page")
    return found.group(1)


def run(root: Path) -> tuple[MessageWalk, DecisionWalk]:
    config = demo(root / "demo")
    message = walk_message(config, new_application(root))
    decision = walk_decision(config)
    return message, decision


# --- the report ------------------------------------------------------------------------------


def _short(module: str) -> str:
    return module.removeprefix("mailbot.").replace(".", "/") + ".py"


def _walk_lines(walk: Walk, top: int = 12) -> list[str]:
    back = walk.returns
    called = walk.called_back
    lines = [
        f"  modules entered: {len(walk.modules)}; returns to a module already left: "
        f"{sum(back.values())} (by a call: {sum(called.values())})",
        "  modules (first entered → returns): "
        + ", ".join(f"{_short(m)} {back.get(m, 0)}" for m in walk.modules),
        "  most returns: "
        + (", ".join(f"{_short(m)} {n}" for m, n in back.most_common(top)) or "none"),
        "  most calls back: "
        + (", ".join(f"{_short(m)} {n}" for m, n in called.most_common(top)) or "none"),
    ]
    return lines


def report(message: MessageWalk, decision: DecisionWalk) -> str:
    lines = [f"from fetch to send (one Word application: {message.outcome}; sent {message.sent})"]
    lines += _walk_lines(message.walk)
    lines.append("  stage order of stages.py: " + " → ".join(message.order))
    lines.append("  stages as entered:        " + " → ".join(message.stages))
    once = message.stages == message.order
    lines.append(f"  each stage's module once, in order: {'yes' if once else 'NO'}")
    lines.append("")
    lines.append(
        f"one decision in the workspace (POST Zdecyduj, HTTP {decision.status}, "
        f"status now {decision.decided})"
    )
    lines += _walk_lines(decision.walk)
    lines.append(f"  SELECTs reading applications: {len(decision.reads)}")
    lines += [f"    {' '.join(s.split())[:150]}" for s in decision.reads]
    return "\n".join(lines)


def figures(message: MessageWalk, decision: DecisionWalk) -> dict[str, Any]:
    return {
        "message": {
            "modules": len(message.walk.modules),
            "returns": sum(message.walk.returns.values()),
            "by_module": dict(message.walk.returns.most_common()),
            "called_back": sum(message.walk.called_back.values()),
            "stages": message.stages,
            "order": message.order,
        },
        "decision": {
            "modules": len(decision.walk.modules),
            "returns": sum(decision.walk.returns.values()),
            "by_module": dict(decision.walk.returns.most_common()),
            "called_back": sum(decision.walk.called_back.values()),
            "application_reads": len(decision.reads),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--trace", action="store_true", help="also print every module the message entered"
    )
    args = parser.parse_args(argv)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="mailbot-walk-") as tmp:
        message, decision = run(Path(tmp))
    if args.json:
        print(json.dumps(figures(message, decision), indent=2))
    else:
        print(report(message, decision))
        if args.trace:
            print("\nthe message's walk:")
            for module, by_call in zip(message.walk.entries, message.walk.called, strict=True):
                print(f"  {'→' if by_call else '←'} {_short(module)}")
        print(f"\n({time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__: list[str] = [
    "DecisionWalk",
    "MessageWalk",
    "Walk",
    "application_reads",
    "demo",
    "new_application",
    "walk_decision",
    "walk_message",
    "walking",
]
