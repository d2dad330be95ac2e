#!/usr/bin/env python3
"""Start-up cost of mailbot: `mailbot --help` and a `mailbot poll` with nothing new, as ratios
to a bare `python -c pass` of the same venv, all measured in one run.

Run by hand (pytest does not collect it)::

    python tests/bench/bench_startup.py              # 15 runs of each (about 1 min)
    python tests/bench/bench_startup.py --runs 31

The poll runs against a throw-away Dovecot (tests/rig, STARTTLS) whose mailbox holds 10
messages that an earlier `mailbot poll` already processed (and answered through the rig's
aiosmtpd). Each command is a fresh subprocess; the three are run in turn (a, b, c, a, b, c, ...)
so that load on the machine falls on all of them alike; the median of each is printed. Then the
``python -X importtime`` top entries of ``import mailbot.cli`` and of the nothing-new poll. See
tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from benchrig import (
    Rig,
    log,
    mailbot_command,
    median_ms,
    processed_count,
    python_mailbot,
    timed,
    yes,
)

GOAL_RATIO = 10.0
#: what a nothing-new pass cannot do without: the CLI, the IMAP client, SQLite, the config's TOML
NEEDED_LIBRARIES = ("click", "imapclient", "sqlite3", "tomllib")
#: libraries a nothing-new poll should not need to load (issue: load them when used)
HEAVY = (
    "pypdf",
    "cryptography",
    "jinja2",
    "apscheduler",
    "flask",
    "docx",
    "lxml",
    "phonenumbers",
    "email_validator",
    "tnefparse",
    "sqlite_utils",
    "click",
)


@dataclass(frozen=True)
class Imported:
    name: str
    depth: int
    self_us: float
    cumulative_us: float


def parse_importtime(stderr: str) -> list[Imported]:
    """The lines of ``-X importtime`` (``import time: self | cumulative | name``)."""
    out = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "imported package" in line:
            continue
        try:
            self_us, cumulative_us, name = line[len("import time:") :].split("|", 2)
            depth = (len(name) - len(name.lstrip(" "))) // 2
            out.append(Imported(name.strip(), depth, float(self_us), float(cumulative_us)))
        except ValueError:
            continue
    return out


def importtime(
    command: list[str], runs: int, *, cwd: Path, env: dict[str, str]
) -> tuple[list[Imported], float]:
    """Per-module median over ``runs`` runs of ``-X importtime``; and the median total
    (sum of every module's own time) in ms."""
    selfs: dict[str, list[float]] = defaultdict(list)
    cumulatives: dict[str, list[float]] = defaultdict(list)
    depths: dict[str, int] = {}
    order: list[str] = []
    totals = []
    for _ in range(runs):
        done = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} exited {done.returncode}: {done.stderr[-2000:]}")
        rows = parse_importtime(done.stderr)
        totals.append(sum(r.self_us for r in rows) / 1000)
        for row in rows:
            if row.name not in depths:
                depths[row.name] = row.depth
                order.append(row.name)
            selfs[row.name].append(row.self_us)
            cumulatives[row.name].append(row.cumulative_us)
    merged = [
        Imported(
            name, depths[name], statistics.median(selfs[name]), statistics.median(cumulatives[name])
        )
        for name in order
    ]
    return merged, statistics.median(totals)


def importtime_report(title: str, rows: list[Imported], total_ms: float, top: int) -> str:
    lines = [
        f"{title}: {len(rows)} modules, {total_ms:.1f} ms of imports in all "
        f"(median per module; top {top} by cumulative time)",
        f"  {'cumulative ms':>13} {'self ms':>8}  module",
    ]
    for row in sorted(rows, key=lambda r: r.cumulative_us, reverse=True)[:top]:
        lines.append(
            f"  {row.cumulative_us / 1000:13.1f} {row.self_us / 1000:8.1f}  "
            f"{'  ' * min(row.depth, 6)}{row.name}"
        )
    loaded = {row.name.split(".")[0] for row in rows}
    heavy = ", ".join(f"{name} {'loaded' if name in loaded else 'not loaded'}" for name in HEAVY)
    lines.append(f"  libraries: {heavy}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command (median)")
    parser.add_argument(
        "--processed", type=int, default=10, help="messages already processed in the mailbox"
    )
    parser.add_argument(
        "--importtime-runs",
        type=int,
        default=5,
        help="runs of each `-X importtime` (median per module)",
    )
    parser.add_argument("--top", type=int, default=15, help="importtime entries shown")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)

    started = time.monotonic()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with Rig(keep=args.keep) as rig:
        _user, config = rig.setup("startup")
        rig.fill(_user, args.processed)
        summary = rig.poll(config).stdout.strip()
        log(f"first poll: {summary}")
        got = processed_count(summary)
        if got is not None and got != args.processed:
            raise SystemExit(f"the first poll processed {got}, not {args.processed}: {summary}")
        summary = rig.poll(config).stdout.strip()
        if processed_count(summary) not in (0, None):
            raise SystemExit(f"a second poll still found new mail: {summary}")

        commands = {
            "bare": [sys.executable, "-c", "pass"],
            "help": mailbot_command("--help"),
            "poll": mailbot_command("--config", str(config), "poll"),
            # what any such pass must load: the CLI library, the IMAP client, SQLite, TOML
            "libs": [sys.executable, "-c", f"import {', '.join(NEEDED_LIBRARIES)}"],
        }
        times: dict[str, list[float]] = {key: [] for key in commands}
        cpus: dict[str, list[float]] = {key: [] for key in commands}
        for command in commands.values():  # warm-up: byte-code caches, page cache
            timed(command, cwd=rig.tmp, env=rig.env)
        log(f"timing {args.runs} runs of each (in turn)")
        for _ in range(args.runs):
            for key, command in commands.items():
                elapsed, cpu = timed(command, cwd=rig.tmp, env=rig.env)
                times[key].append(elapsed)
                cpus[key].append(cpu)

        log("python -X importtime")
        cli_rows, cli_total = importtime(
            [sys.executable, "-X", "importtime", "-c", "import mailbot.cli"],
            args.importtime_runs,
            cwd=rig.tmp,
            env=rig.env,
        )
        poll_rows, poll_total = importtime(
            python_mailbot("--config", str(config), "poll", flags=("-X", "importtime")),
            args.importtime_runs,
            cwd=rig.tmp,
            env=rig.env,
        )
        bare_rows, bare_total = importtime(
            [sys.executable, "-X", "importtime", "-c", "pass"],
            args.importtime_runs,
            cwd=rig.tmp,
            env=rig.env,
        )
        poll_after = rig.poll(config).stdout.strip()
        if processed_count(poll_after) not in (0, None):
            raise SystemExit(f"the timed polls found new mail: {poll_after}")

    bare, help_, poll = (median_ms(times[k]) for k in ("bare", "help", "poll"))
    cpu_bare, cpu_help, cpu_poll = (median_ms(cpus[k]) for k in ("bare", "help", "poll"))
    libs, cpu_libs = median_ms(times["libs"]), median_ms(cpus["libs"])
    ratio = poll / bare
    print(
        f"\nmailbot start-up benchmark ({time.monotonic() - started:.0f} s, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; load average at start {load})"
    )
    print(f"  Python   {sys.version.split()[0]} ({sys.executable})")
    print(f"  mailbot  {' '.join(mailbot_command())}")
    print(f"  runs     median of {args.runs} subprocess runs each, wall time, run in turn")
    print()
    rows = [
        ("(a) python -c pass", bare, cpu_bare, ""),
        ("(b) mailbot --help", help_, cpu_help, ""),
        (
            f"(c) mailbot poll, nothing new ({args.processed} processed, Dovecot STARTTLS)",
            poll,
            cpu_poll,
            f"≤ {GOAL_RATIO:g}x: {'met' if ratio <= GOAL_RATIO else 'NOT met'}",
        ),
        (f"(d) python -c 'import {', '.join(NEEDED_LIBRARIES)}'", libs, cpu_libs, ""),
    ]
    width = max(len(r[0]) for r in rows)
    print(
        f"  {'command':{width}}  {'wall ms':>8}  {'ratio to (a)':>12}  {'CPU ms':>7}  "
        f"{'CPU ratio':>9}  goal (wall ratio)"
    )
    for label, ms, cpu, goal in rows:
        print(
            f"  {label:{width}}  {ms:8.1f}  {ms / bare:11.1f}x  {cpu:7.1f}  "
            f"{cpu / cpu_bare if cpu_bare else float('nan'):8.1f}x  {goal}"
        )
    spread = {k: (min(v) * 1000, max(v) * 1000) for k, v in times.items()}
    print(
        f"  (min-max ms: a {spread['bare'][0]:.0f}-{spread['bare'][1]:.0f}, "
        f"b {spread['help'][0]:.0f}-{spread['help'][1]:.0f}, "
        f"c {spread['poll'][0]:.0f}-{spread['poll'][1]:.0f}, "
        f"d {spread['libs'][0]:.0f}-{spread['libs'][1]:.0f})"
    )
    print(
        f"  (d) is the import of the libraries any nothing-new pass needs: (c) is "
        f"{poll / libs:.2f}x (d) by wall time, {cpu_poll / cpu_libs if cpu_libs else 0:.2f}x by CPU"
    )
    cpu_ratio = cpu_poll / cpu_bare if cpu_bare else float("nan")
    print(
        f"\nGOAL nothing-new poll ≤ {GOAL_RATIO:g}x bare python (wall): ratio {ratio:.1f}x, "
        f"met: {yes(ratio <= GOAL_RATIO)}  (CPU-time ratio {cpu_ratio:.1f}x, "
        f"met: {yes(cpu_ratio <= GOAL_RATIO)}; CPU time of the process tree hardly depends "
        "on the machine's load)"
    )
    print()
    print(
        importtime_report(
            "python -X importtime -c 'import mailbot.cli'", cli_rows, cli_total, args.top
        )
    )
    print()
    print(
        importtime_report(
            "python -X importtime -m mailbot poll (nothing new)", poll_rows, poll_total, args.top
        )
    )
    print(
        f"\n  (a bare `python -X importtime -c pass` imports {len(bare_rows)} modules, "
        f"{bare_total:.1f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
