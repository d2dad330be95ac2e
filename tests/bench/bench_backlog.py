#!/usr/bin/env python3
"""A backlog `mailbot poll` against "the work no pipeline can skip", measured in one run.

Run by hand (pytest does not collect it)::

    python tests/bench/bench_backlog.py              # 1,000 messages (about 2-3 min)
    python tests/bench/bench_backlog.py --quick      # 200 messages
    python tests/bench/bench_backlog.py --count 500 --no-profile

A throw-away Dovecot (tests/rig, STARTTLS) gets N applicants' messages (DOCX and fillable PDF
forms, from ``bench_pipeline.build_corpus``), then, on that same mailbox:

* floor: a fresh ``python`` that does only what any pipeline must: fetch every message over
  IMAP with imapclient (``BODY.PEEK[]`` + ``INTERNALDATE``, the same batch size, STARTTLS with
  the same certificate checks), parse each message once (``email.message_from_bytes`` with the
  policy of mailbot's ``mime`` module), and read each attached form once
  (``parsers.extract`` with the config's form and limits, in the same process);
* pipeline: ``mailbot poll`` (a subprocess, as cron runs it) over the N new messages: it also
  classifies, checks relevance, validates, stores, composes and sends N replies to the rig's
  aiosmtpd;
* floor again (the mailbox is unchanged: mailbot only reads with ``BODY.PEEK``).

Floor and pipeline are wall times of whole processes (interpreter start and library imports
included in both; the import of mailbot's own modules that the floor needs for the policy is
subtracted from it). The floor is the faster of its two runs. Then a cProfile of a separate
``mailbot poll`` over a fresh mailbox of the same messages, restricted to mailbot/ and
parsers/ functions. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import pickle
import pstats
import subprocess
import sys
import time
from pathlib import Path

from benchrig import (
    REPO,
    Rig,
    log,
    mailbot_command,
    processed_count,
    python_mailbot,
    run_timed,
    yes,
)

GOAL_RATIO = 1.5
BATCH_SIZE = 25  # mailbot's default imap.batch_size

# The floor, run by a fresh interpreter: argv[1] is a JSON job, the password is in the
# environment; prints one JSON line with its own phase times.
FLOOR_CHILD = r"""
import time
started = time.perf_counter()
import email, json, os, pickle, ssl, sys
from imapclient import IMAPClient
import parsers
job = json.loads(sys.argv[1])
libraries = time.perf_counter()
import email.policy
from email._policybase import Policy
policy, policy_from = email.policy.compat32, "email.policy.compat32 (mailbot's default)"
for module_name in ("mailbot.mail.mime", "mailbot.mail.mime"):
    try:
        module = __import__(module_name, fromlist=["*"])
    except ImportError:
        continue
    named = getattr(module, "EIGHT_BIT_HEADERS", None)
    found = [(k, v) for k, v in vars(module).items() if isinstance(v, Policy)]
    if isinstance(named, Policy):
        policy, policy_from = named, module_name + ".EIGHT_BIT_HEADERS"
    elif found:
        policy, policy_from = found[0][1], module_name + "." + found[0][0]
    break
policy_import = time.perf_counter() - libraries
with open(job["spec"], "rb") as handle:
    spec, limits = pickle.load(handle)
context = ssl.create_default_context(cafile=job["cafile"])
work = time.perf_counter()
client = IMAPClient(job["host"], port=job["port"], ssl=False, ssl_context=context, timeout=30)
client.normalise_times = False
client.starttls(context)
client.login(job["user"], os.environ[job["password_env"]])
client.select_folder("INBOX", readonly=True)
uids = sorted(client.search(["UID", "1:*"]))
raws = []
for i in range(0, len(uids), job["batch"]):
    batch = uids[i:i + job["batch"]]
    response = client.fetch(batch, ["BODY.PEEK[]", "INTERNALDATE"])
    raws += [bytes(response[uid][b"BODY[]"]) for uid in batch if uid in response]
client.logout()
fetched = time.perf_counter()
messages = [email.message_from_bytes(raw, policy=policy) for raw in raws]
parsed = time.perf_counter()
forms = readable = 0
for msg in messages:
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_maintype() == "text" and not part.get_filename():
            continue
        data = part.get_payload(decode=True)
        if not data or parsers.sniff(data) not in job["form_kinds"]:
            continue
        forms += 1
        readable += parsers.extract(data, spec, limits).readable
done = time.perf_counter()
print(json.dumps({
    "libraries": libraries - started, "policy_import": policy_import, "policy": policy_from,
    "fetch": fetched - work, "parse": parsed - fetched, "forms": done - parsed,
    "messages": len(raws), "bytes": sum(map(len, raws)), "forms_read": forms,
    "readable": readable}))
"""
#: kinds read as forms in the floor (what parsers.extract reads; pictures are logos here)
FORM_KINDS = ["docx", "odt", "pdf", "doc", "rtf"]


def form_and_limits(config: Path) -> tuple[object, object, str]:
    """The config's form spec and parse limits (as plain ``parsers.ParseLimits``), through
    mailbot's config loader if it is found, else the parsers' defaults."""
    import parsers

    try:
        try:
            from mailbot import load_config
        except ImportError:
            from mailbot.config import load_config
        loaded = load_config(config)
        spec = loaded.form
        source = loaded.limits.parse
        limits = parsers.ParseLimits(
            **{f.name: getattr(source, f.name) for f in dataclasses.fields(parsers.ParseLimits)}
        )
        return spec, limits, "the config's [form] and [limits]"
    except Exception as exc:  # noqa: BLE001 - the benchmark still runs, and says so
        log(f"config's form not loaded ({type(exc).__name__}: {exc}); parsers' defaults used")
        return parsers.DEFAULT_FORM, parsers.ParseLimits(), "parsers.DEFAULT_FORM (defaults)"


def floor(rig: Rig, user: str, spec_file: Path) -> tuple[float, float, dict]:
    """Wall and CPU seconds of the floor process (less the import of mailbot's own modules
    that give it the parsing policy), and its report."""
    from integration.helpers import PASSWORD_ENV

    job = {
        "host": rig.dovecot.host,
        "port": rig.dovecot.port,
        "user": user,
        "cafile": rig.dovecot.cafile,
        "batch": BATCH_SIZE,
        "spec": str(spec_file),
        "password_env": PASSWORD_ENV,
        "form_kinds": FORM_KINDS,
    }
    run = run_timed([sys.executable, "-c", FLOOR_CHILD, json.dumps(job)], cwd=rig.tmp, env=rig.env)
    report = json.loads(run.stdout.strip().splitlines()[-1])
    wall, cpu = run.wall - report["policy_import"], run.cpu - report["policy_import"]
    log(
        f"floor: {wall:.2f} s wall, {cpu:.2f} s CPU (fetch {report['fetch']:.2f}, parse "
        f"{report['parse']:.2f}, forms {report['forms']:.2f}; {report['forms_read']} forms)"
    )
    return wall, cpu, report


def pipeline(rig: Rig, config: Path, count: int) -> tuple[float, float, str]:
    run = rig.poll(config)
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    log(f"pipeline: {summary} in {run.wall:.2f} s wall, {run.cpu:.2f} s CPU")
    got = processed_count(summary)
    if got is not None and got != count:
        raise SystemExit(f"mailbot poll processed {got} of {count} messages: {summary}")
    return run.wall, run.cpu, summary


def profile(rig: Rig, count: int, top: int) -> str:
    """cProfile of `python -m mailbot poll` over a fresh mailbox of ``count`` messages."""
    user, config = rig.setup("profile", batch_size=BATCH_SIZE)
    rig.fill(user, count)
    out_file = rig.tmp / "backlog.pstats"
    command = python_mailbot(
        "--config", str(config), "poll", flags=("-m", "cProfile", "-o", str(out_file))
    )
    started = time.perf_counter()
    done = subprocess.run(
        command, cwd=rig.tmp, env=rig.env, capture_output=True, text=True, check=False
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"profiled poll exited {done.returncode}: {done.stderr[-3000:]}")
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    log(f"profiled pipeline: {summary} in {elapsed:.1f} s")
    text = io.StringIO()
    stats = pstats.Stats(str(out_file), stream=text)
    total = stats.total_tt  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(r"/(mailbot|parsers)/", top)
    text.write(f"--- same run: top {top // 2} mailbot/ functions by own time (tottime) ---\n")
    stats.sort_stats("tottime").print_stats(r"/mailbot/", top // 2)
    text.write(
        f"--- same run: top {top // 2} of all functions by own time (libraries, "
        "built-ins: SQLite, pipes, sockets) ---\n"
    )
    stats.sort_stats("tottime").print_stats(top // 2)
    kept = Path("/tmp/mailbot-bench-backlog.pstats")
    stats.dump_stats(str(kept))
    lines = [
        line.replace(str(REPO) + "/", "").replace(sys.base_prefix + "/", "<python>/")
        for line in text.getvalue().splitlines()
        if line.strip()
        and not line.lstrip().startswith(("Ordered by", "List reduced"))
        and "function calls" not in line
        and str(out_file) not in line
    ]
    in_process = any(  # parsers.extract called in this process, not in a reader child
        "/parsers/" in file and func == "extract"
        for file, _line, func in stats.stats  # type: ignore[attr-defined]
    )
    where = (
        ""
        if in_process
        else " parsers.extract did not run in this process: attached files "
        "were read in a child process, so reading shows here as waiting for its answer."
    )
    return (
        f"cProfile of `mailbot poll` over a fresh {count:,}-message backlog ({summary}; "
        f"{elapsed:.1f} s wall under the profiler, {total:.1f} s profiled); top {top} "
        f"mailbot/ and parsers/ functions by cumulative time.{where} "
        f"All stats: python -m pstats {kept}\n" + "\n".join(lines)
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--count",
        type=int,
        default=None,
        help="messages in the backlog (default 1,000; --quick 200)",
    )
    parser.add_argument("--quick", action="store_true", help="200 messages")
    parser.add_argument(
        "--profile-count",
        type=int,
        default=None,
        help="messages in the profiled pass (default: the same as --count)",
    )
    parser.add_argument(
        "--applicants",
        type=int,
        default=24,
        help="distinct applicants (forms, e-mail addresses in them) the messages cycle "
        "through (default 24; as many as --count for a backlog of different people)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile pass")
    parser.add_argument("--top", type=int, default=25, help="profile entries shown")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args(argv)
    count = args.count or (200 if args.quick else 1_000)
    profile_count = args.profile_count or count

    started = time.monotonic()
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    with Rig(keep=args.keep, applicants=args.applicants) as rig:
        user, config = rig.setup("backlog", batch_size=BATCH_SIZE)
        spec, limits, spec_from = form_and_limits(config)
        spec_file = rig.tmp / "form.pickle"
        spec_file.write_bytes(pickle.dumps((spec, limits)))
        rig.fill(user, count)
        replies_before = rig.sink.count
        floor_1, cpu_1, report_1 = floor(rig, user, spec_file)
        pipe, pipe_cpu, summary = pipeline(rig, config, count)
        floor_2, cpu_2, report_2 = floor(rig, user, spec_file)
        replies = rig.sink.count - replies_before
        profile_text = "" if args.no_profile else profile(rig, profile_count, args.top)
        load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())

    least, least_cpu = min(floor_1, floor_2), min(cpu_1, cpu_2)
    report = report_1 if floor_1 <= floor_2 else report_2
    ratio, cpu_ratio = pipe / least, pipe_cpu / least_cpu
    per = 1000 / count
    kinds = rig.corpus.kinds
    print(
        f"\nmailbot backlog benchmark ({time.monotonic() - started:.0f} s, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; load average at start {load}, at end {load_end})"
    )
    print(f"  Python   {sys.version.split()[0]} ({sys.executable})")
    print(f"  mailbot  {' '.join(mailbot_command())}")
    print(
        f"  mail     {count:,} messages, {report['bytes'] / 1e6:.1f} MB, from "
        f"{len(kinds)} applicants ({kinds.count('docx')} DOCX, {kinds.count('pdf')} fillable "
        f"PDF), distinct sender and Message-ID each; imap.batch_size = {BATCH_SIZE}, STARTTLS"
    )
    print(
        f"  floor    policy {report['policy']}; form {spec_from}; "
        f"{report['forms_read']} forms read, {report['readable']} readable"
    )
    print(f"  pipeline {summary}; {replies} replies arrived at the SMTP sink")
    print()
    print(f"  {'':22} {'wall s':>7} {'ms/msg':>7} {'CPU s':>7} {'ms/msg':>7}")
    rows = [
        ("pipeline: mailbot poll", pipe, pipe_cpu),
        ("floor (faster of 2)", least, least_cpu),
        ("added by the pipeline", pipe - least, pipe_cpu - least_cpu),
    ]
    for label, seconds, cpu in rows:
        print(f"  {label:22} {seconds:7.2f} {seconds * per:7.1f} {cpu:7.2f} {cpu * per:7.1f}")
    print(f"  {'ratio':22} {ratio:6.2f}x {'':7} {cpu_ratio:6.2f}x")
    print(
        f"  floor runs: {floor_1:.2f} s before, {floor_2:.2f} s after the pipeline (wall); "
        f"the faster one: start + libraries {report['libraries']:.2f}, fetch "
        f"{report['fetch']:.2f}, parse {report['parse']:.2f}, read the forms "
        f"{report['forms']:.2f} s"
    )
    print(
        f"\nGOAL backlog pipeline ≤ {GOAL_RATIO:g}x its floor (wall): ratio {ratio:.2f}x, "
        f"met: {yes(ratio <= GOAL_RATIO)}  (CPU-time ratio {cpu_ratio:.2f}x, met: "
        f"{yes(cpu_ratio <= GOAL_RATIO)}; CPU time of the process tree, Dovecot's and the SMTP "
        f"sink's not counted, hardly depends on the machine's load)"
    )
    if profile_text:
        print("\n" + profile_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
