#!/usr/bin/env python3
"""End-to-end benchmark of mailbot against a throw-away Dovecot and aiosmtpd (tests/rig).

Run by hand (pytest does not collect it)::

    python tests/bench/bench_pipeline.py            # full run (about 20 min on 2 cores)
    python tests/bench/bench_pipeline.py --quick    # smoke run with small sizes
    python tests/bench/bench_pipeline.py --skip-large

Prints the machine, then ONE table: reply latency (IDLE if ``mailbot.mail.idle`` exists, else the
scheduled worker and back-to-back ``mailbot poll``), a pass with nothing new (10 vs 10,000
processed messages), backlog throughput vs. the IMAP fetch floor, peak RSS of ``mailbot poll``
for two backlog sizes, and form extraction time vs. its floor. Then the cProfile top 10 of a
backlog pass. See tests/bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib.util
import io
import os
import platform
import pstats
import random
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[2]
for _path in (str(REPO / "tests"), str(REPO)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

SAMPLES_DIR = Path(os.environ.get("MAILBOT_FORM_SAMPLES", "/work/shared/forms/samples"))
WARSAW = ZoneInfo("Europe/Warsaw")
CALL_ADDRESS = "d.butryn@dops.wroc.pl"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MIN_SIZE, MAX_SIZE = 30 * 1024, 60 * 1024

FULL = {
    "latency": 50,
    "scheduled": 30,
    "small": 10,
    "large": 10_000,
    "backlog": 2_000,
    "rss_small": 1_000,
    "rss_large": 10_000,
    "profile": 500,
    "repeats": 15,
    "extract_repeats": 15,
}
QUICK = {
    "latency": 10,
    "scheduled": 8,
    "small": 10,
    "large": 1_000,
    "backlog": 200,
    "rss_small": 100,
    "rss_large": 1_000,
    "profile": 100,
    "repeats": 5,
    "extract_repeats": 5,
}


def log(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- machine


def machine() -> list[tuple[str, str]]:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    from rig.dovecot import dovecot_binary

    binary = dovecot_binary()
    dovecot = "not found"
    if binary:
        dovecot = subprocess.run(
            [binary, "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
    import imapclient
    import pypdf

    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("RAM", ram),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_version()} ({sys.executable})"),
        ("Dovecot", dovecot),
        ("load", "load average at start " + " ".join(f"{x:.2f}" for x in os.getloadavg())),
        ("libs", f"imapclient {imapclient.__version__}, pypdf {pypdf.__version__}"),
    ]


# --------------------------------------------------------------------------- messages

BODY_PARAGRAPHS = [
    "Dzień dobry,",
    "w odpowiedzi na ogłoszenie o naborze członków grup roboczych przy Dolnośląskim Komitecie "
    "Rozwoju Ekonomii Społecznej przesyłam w załączniku wypełniony formularz zgłoszeniowy. "
    "Formularz podpisałam i zeskanowałam tylko stronę z podpisem, resztę wypełniłam w edytorze.",
    "Od kilku lat pracuję w podmiocie ekonomii społecznej i chętnie podzielę się doświadczeniem "
    "z zakresu reintegracji społecznej i zawodowej, współpracy z samorządem gminnym oraz "
    "zlecania zadań publicznych organizacjom pozarządowym. Uczestniczyłam w pracach "
    "partnerstwa lokalnego na rzecz rozwoju usług społecznych w powiecie oławskim.",
    "Gdyby w formularzu czegoś brakowało, proszę o informację — uzupełnię niezwłocznie. "
    "Jestem dostępna telefonicznie w dni robocze w godzinach 8:00–16:00.",
    "Z wyrazami szacunku",
]
SIGNATURE = """--
{name}
{position}
{organisation}
ul. Wrocławska 12, 55-200 Oława
tel. +48 71 303 12 34 | kom. {phone}
www.cis-olawa.example.pl

Treść tej wiadomości i załączniki mogą zawierać informacje poufne, przeznaczone wyłącznie dla
adresata. Jeżeli nie jest Pan/Pani adresatem tej wiadomości, prosimy o poinformowanie nadawcy
i usunięcie wiadomości. Administratorem danych osobowych jest Centrum Integracji Społecznej
w Oławie; szczegóły przetwarzania danych: www.cis-olawa.example.pl/rodo.
Przed wydrukowaniem tej wiadomości pomyśl o środowisku.
"""

FIRST = [
    "Anna",
    "Piotr",
    "Katarzyna",
    "Tomasz",
    "Magdalena",
    "Krzysztof",
    "Agnieszka",
    "Paweł",
    "Joanna",
    "Marcin",
    "Ewa",
    "Michał",
    "Barbara",
    "Łukasz",
    "Zofia",
    "Jakub",
]
LAST = [
    "Kowalska",
    "Nowak",
    "Wiśniewska",
    "Wójcik",
    "Kamińska",
    "Lewandowski",
    "Zielińska",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowska",
    "Jankowski",
    "Mazur",
    "Krawczyk",
]
ASCII = str.maketrans("ąćęłńóśźżĄĆĘŁŃÓŚŹŻ", "acelnoszzACELNOSZZ")


def logo_png(seed: int, width: int = 40, height: int = 24) -> bytes:
    """A small PNG with noisy pixels (about 3 KB): the logo in an e-mail signature."""
    rnd = random.Random(seed)
    rows = b"".join(
        b"\x00" + bytes(rnd.randrange(256) for _ in range(width * 3)) for _ in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@dataclass
class Corpus:
    """Template messages with placeholders; ``message(n)`` gives a distinct one in bytes."""

    templates: list[bytes] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)

    SENDER = b"SNDR0000000"
    MSGID = b"MSGID000000000"

    def message(self, n: int) -> bytes:
        raw = self.templates[n % len(self.templates)]
        return raw.replace(self.SENDER, b"n%010d" % n).replace(self.MSGID, b"bench%09d" % n)

    @staticmethod
    def message_id(n: int) -> str:
        return f"<bench{n:09d}.{n % 97}@bench.example.pl>"


def build_corpus(count: int = 24) -> Corpus:
    """``count`` applicants (half DOCX, half fillable PDF), each a 30-60 KB e-mail."""
    from mailbot.ops import samples

    corpus = Corpus()
    rnd = random.Random(7)
    for i in range(count):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 5) % len(LAST)]
        name = f"{first} {last}"
        local = f"{first}.{last}".lower().translate(ASCII)
        applicant = samples.Applicant(
            full_name=name,
            email=f"{local}.{i}@example.pl",
            phone=f"+48 60{i % 10} {rnd.randrange(100, 999)} {rnd.randrange(100, 999)}",
            groups=tuple(sorted(rnd.sample(range(1, 6), rnd.choice((1, 1, 2))))),
            experience="Od 2015 r. pracuję w ekonomii społecznej; prowadzę reintegrację "
            "zawodową i społeczną uczestników, współpracuję z samorządem.",
        )
        kind = "docx" if i % 2 == 0 else "pdf"
        if kind == "docx":
            attachment = (
                "Formularz zgłoszeniowy - " + name + ".docx",
                samples.filled_docx(applicant),
                DOCX_TYPE,
            )
        else:
            attachment = (
                f"formularz_{local}.pdf",
                compact_pdf(samples.filled_pdf(applicant)),
                "application/pdf",
            )
        sender = f"{name} <{local}.{Corpus.SENDER.decode()}@example.pl>"
        date = datetime(2024, 5, 7 + i % 14, 9 + i % 8, (i * 7) % 60, tzinfo=WARSAW)
        signature = SIGNATURE.format(
            name=name,
            position=applicant.position,
            organisation=applicant.organisation,
            phone=applicant.phone,
        )
        for extras in (("html", "logo"), ("logo",), (), ("short",)):
            raw = _email(sender, name, applicant, signature, date, attachment, extras, i)
            if len(raw) <= MAX_SIZE:
                break
        corpus.templates.append(raw)
        corpus.kinds.append(kind)
    sizes = [len(corpus.message(n)) for n in range(count)]
    if min(sizes) < MIN_SIZE or max(sizes) > MAX_SIZE:
        raise SystemExit(
            f"generated messages of {min(sizes)}-{max(sizes)} bytes, outside {MIN_SIZE}-{MAX_SIZE}"
        )
    return corpus


def compact_pdf(data: bytes) -> bytes:
    """The filled PDF re-saved with its page content compressed (-3%), as a "reduce file
    size" option does, so that the e-mail stays under 60 KB."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        page.compress_content_streams(level=9)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _email(
    sender: str,
    name: str,
    applicant: object,
    signature: str,
    date: datetime,
    attachment: tuple[str, bytes, str],
    extras: tuple[str, ...],
    seed: int,
) -> bytes:
    if "short" in extras:  # the PDF form alone is ~43 KB (~59 KB in base64)
        text = "\n\n".join(BODY_PARAGRAPHS[:2] + BODY_PARAGRAPHS[-1:]) + "\n" + name + "\n"
    else:
        text = "\n\n".join(BODY_PARAGRAPHS) + "\n" + name + "\n\n" + signature
    msg = EmailMessage()
    msg["Received"] = (
        "from mail.example.pl (mail.example.pl [192.0.2.10]) by mx.dops.wroc.pl "
        f"with ESMTPS id 4Vb1{seed:04d}; {format_datetime(date)}"
    )
    msg["From"] = sender
    msg["To"] = f"Nabór DKRES <{CALL_ADDRESS}>"
    msg["Subject"] = f"Zgłoszenie do grupy roboczej - {name}"
    msg["Date"] = format_datetime(date)
    msg["Message-ID"] = f"<{Corpus.MSGID.decode()}.{seed}@bench.example.pl>"
    msg["MIME-Version"] = "1.0"
    msg["User-Agent"] = "Mozilla Thunderbird 115.10.1"
    msg["Content-Language"] = "pl"
    msg.set_content(text)
    if "html" in extras:
        paragraphs = "".join(f"<p>{p}</p>" for p in BODY_PARAGRAPHS)
        sig = signature.replace("\n", "<br>\n")
        logo = '<img src="cid:logo@cis" alt="logo">' if "logo" in extras else ""
        msg.add_alternative(
            f'<html><body style="font-family: Calibri, sans-serif">'
            f'{paragraphs}<p>{name}</p><div class="sig">{logo}<br>{sig}'
            f"</div></body></html>",
            subtype="html",
        )
    filename, data, mime_type = attachment
    maintype, subtype = mime_type.split("/", 1)
    if "logo" in extras:
        msg.add_attachment(
            logo_png(seed),
            maintype="image",
            subtype="png",
            filename="logo_cis.png",
            disposition="inline",
            cid="<logo@cis>",
        )
    msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    del applicant
    return msg.as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


def message_id_of(raw: bytes) -> str:
    match = re.search(rb"^Message-ID:\s*(<[^>]+>)", raw, re.MULTILINE | re.IGNORECASE)
    return match.group(1).decode() if match else ""


# --------------------------------------------------------------------------- servers


SINK_CHILD = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
from rig.smtp import SmtpSink
sink = SmtpSink(port=int(sys.argv[2]))
def record(received):
    when = time.time()
    sys.stdout.write(f"{when:.6f}\t{received.message.get('In-Reply-To', '')}\n")
    sys.stdout.flush()
sink._record = record
sink.start()
sys.stdout.write("ready\n"); sys.stdout.flush()
sys.stdin.read()
sink.stop()
"""


class Sink:
    """The rig's SmtpSink in a child process (so it never competes with mailbot for the GIL);
    records the receipt time of each reply by its In-Reply-To."""

    def __init__(self) -> None:
        from rig import free_port

        self.host, self.port = "127.0.0.1", free_port()
        self.proc = subprocess.Popen(
            [sys.executable, "-c", SINK_CHILD, str(REPO / "tests"), str(self.port)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        if self.proc.stdout.readline().strip() != "ready":
            raise SystemExit("SMTP sink did not start")
        self.received: dict[str, float] = {}
        self.count = 0
        self._cond = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            when, _, reply_to = line.rstrip("\n").partition("\t")
            with self._cond:
                self.received[reply_to.strip()] = float(when)
                self.count += 1
                self._cond.notify_all()

    def wait_reply(self, message_id: str, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            while message_id not in self.received:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._cond.wait(left)
            return self.received[message_id]

    def wait_count(self, n: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._cond:
            while self.count < n:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self) -> None:
        with contextlib.suppress(Exception):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


# ru_maxrss of a child started by this (large) process would count this process's pages (vfork
# and exec record the old mm's high-water mark); a small wrapper forks mailbot and reads it.
RSS_WRAPPER = r"""
import os, sys
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as out:
    out.write(f"{usage.ru_maxrss}\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


class Bench:
    def __init__(self, args: argparse.Namespace, sizes: dict[str, int]) -> None:
        from integration.helpers import PASSWORD_ENV
        from rig import Dovecot

        self.args, self.sizes = args, sizes
        self.tmp = Path(tempfile.mkdtemp(prefix="mailbot-bench-"))
        self.dovecot = Dovecot()
        self.dovecot.start()
        os.environ[PASSWORD_ENV] = self.dovecot.password
        self.sink = Sink()
        self.corpus = build_corpus()
        self.rows: list[tuple[str, ...]] = []
        self.notes: list[str] = []
        self.profile_text = ""
        self._n = 0  # next message number (unique Message-ID and sender)

    def close(self) -> None:
        self.sink.close()
        self.dovecot.cleanup()
        if not self.args.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ set-up helpers

    def setup(self, name: str, extra: str = "") -> tuple[str, Path]:
        """A fresh mailbox and a mailbot config (own database) pointing at it."""
        from integration.helpers import write_config

        user = self.dovecot.new_user("bench")
        folder = self.tmp / name
        folder.mkdir()
        path = write_config(
            folder, self.dovecot, user, self.sink, extra=extra, limits={"replies_per_hour": 100_000}
        )
        text = path.read_text(encoding="utf-8").replace(
            "batch_size = 7", f"batch_size = {self.args.batch_size}"
        )
        path.write_text(text, encoding="utf-8")
        with self.dovecot.client(user) as client:
            client.select_folder("INBOX")  # creates the Maildir
        return user, path

    def numbers(self, count: int) -> range:
        start, self._n = self._n, self._n + count
        return range(start, start + count)

    def fill(self, user: str, count: int) -> None:
        """Deliver ``count`` messages straight into the Maildir, as an MTA's local delivery
        does (file in new/, mtime = receipt time); Dovecot indexes them at the next SELECT."""
        import pwd

        new = self.dovecot.maildir(user) / "new"
        uid, gid = pwd.getpwnam("nobody").pw_uid, pwd.getpwnam("nobody").pw_gid
        base = datetime(2024, 5, 10, 8, 0, tzinfo=WARSAW).timestamp()
        started = time.monotonic()
        for k, n in enumerate(self.numbers(count)):
            raw = self.corpus.message(n)
            name = f"{int(base) + k}.M{n}P{os.getpid()}.bench,S={len(raw)}"
            tmp = new.parent / "tmp" / name
            tmp.write_bytes(raw)
            os.chown(tmp, uid, gid)
            os.chmod(tmp, 0o600)
            os.utime(tmp, (base + k * 30, base + k * 30))
            os.rename(tmp, new / name)
        with self.dovecot.client(user) as client:
            client.select_folder("INBOX", readonly=True)  # index them now, not in the run
        log(f"filled {count} messages in {time.monotonic() - started:.1f} s")

    def config(self, path: Path):
        from mailbot.config import load_config

        return load_config(path)

    def mailbot(self, path: Path, *command: str) -> list[str]:
        return [sys.executable, "-m", "mailbot", "--config", str(path), *command]

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(":")
        return env

    def add(self, *row: str) -> None:
        self.rows.append(row)

    # ------------------------------------------------------------------ 1. latency

    def latency(self) -> None:
        if importlib.util.find_spec("mailbot.mail.idle") is not None and not self.args.no_idle:
            self._latency_worker(
                "IDLE (`mailbot run`, schedule.idle = true)",
                idle=True,
                count=self.sizes["latency"],
                one_by_one=True,
            )
            return
        why = "--no-idle" if self.args.no_idle else "mailbot.mail.idle not found"
        self.notes.append(f"latency measured without IMAP IDLE ({why})")
        self._latency_worker(
            "scheduled worker, `mailbot run`, poll_minutes = 1, no IDLE",
            idle=False,
            count=self.sizes["scheduled"],
            one_by_one=False,
        )
        self._latency_cron(self.args.cron_seconds, self.sizes["latency"])

    def _deliverer(self, user: str) -> Callable[[bytes], None]:
        client = self.dovecot.client(user)
        self._clients.append(client)

        def deliver(raw: bytes) -> None:
            client.append("INBOX", raw)  # INTERNALDATE = now, as a real delivery

        return deliver

    def _measure(
        self, user: str, count: int, one_by_one: bool, timeout: float, gap: tuple[float, float]
    ) -> list[float]:
        """Deliver ``count`` messages (APPEND); latency = reply's SMTP receipt - delivery."""
        self._clients: list = []
        deliver = self._deliverer(user)
        rnd = random.Random(11)
        sent: list[tuple[str, float]] = []
        try:
            for n in self.numbers(count):
                raw = self.corpus.message(n)
                mid = message_id_of(raw)
                t0 = time.time()
                deliver(raw)
                sent.append((mid, t0))
                if one_by_one and self.sink.wait_reply(mid, timeout) is None:
                    log(f"no reply to {mid} within {timeout} s")
                time.sleep(rnd.uniform(*gap))
            latencies = []
            for mid, t0 in sent:
                got = self.sink.wait_reply(mid, timeout)
                if got is not None:
                    latencies.append(got - t0)
            if len(latencies) < len(sent):
                self.notes.append(
                    f"{len(sent) - len(latencies)} of {len(sent)} replies never "
                    "arrived (latency over the timeout)"
                )
            return latencies
        finally:
            for client in self._clients:
                with contextlib.suppress(Exception):
                    client.logout()

    def _latency_worker(self, label: str, *, idle: bool, count: int, one_by_one: bool) -> None:
        user, path = self.setup(
            "latency-idle" if idle else "latency-worker",
            extra=f"\n[schedule]\npoll_minutes = 1\nidle = {'true' if idle else 'false'}\n",
        )
        proc = subprocess.Popen(
            self.mailbot(path, "run"),
            env=self.env(),
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(5)  # the worker's first (empty) pass
            if proc.poll() is not None:
                raise SystemExit(f"mailbot run exited: {proc.stderr.read()[-2000:]}")
            log(f"latency: {label}, {count} messages")
            gap = (0.2, 1.5) if one_by_one else (2.0, 10.0)
            latencies = self._measure(user, count, one_by_one, timeout=150, gap=gap)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        how = "one by one" if one_by_one else "at random 2-10 s intervals"
        self._latency_row(f"reply latency, {label}; {len(latencies)} msgs {how}", latencies)

    def _latency_cron(self, every: float, count: int) -> None:
        user, path = self.setup("latency-cron")
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                started = time.monotonic()
                subprocess.run(
                    self.mailbot(path, "poll"),
                    env=self.env(),
                    cwd=self.tmp,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    check=False,
                )
                stop.wait(max(0.0, every - (time.monotonic() - started)))

        thread = threading.Thread(target=loop, daemon=True)
        thread.start()
        try:
            time.sleep(every + 3)
            log(f"latency: `mailbot poll` started every {every:g} s, {count} messages")
            latencies = self._measure(user, count, True, timeout=60, gap=(0.0, every))
        finally:
            stop.set()
            thread.join(timeout=60)
        self._latency_row(
            f"reply latency, `mailbot poll` (subprocess) started every {every:g} s "
            f"(cron style, no IDLE); {len(latencies)} msgs one by one",
            latencies,
        )

    def _latency_row(self, label: str, latencies: list[float]) -> None:
        if not latencies:
            self.add(label, "no replies", "", "", "p95 < 5 s", "NO")
            return
        p50, p95 = percentile(latencies, 50), percentile(latencies, 95)
        self.add(
            label,
            f"p50 {p50:.2f} s / p95 {p95:.2f} s",
            f"max {max(latencies):.2f} s",
            "",
            "p95 < 5 s",
            yes(p95 < 5),
        )

    # ------------------------------------------------------------------ 2. nothing new

    def nothing_new(self, count: int, path: Path | None = None) -> float:
        """Median wall time of jobs.poll(config) in-process when nothing is new."""
        from mailbot.ops import jobs

        if path is None:
            user, path = self.setup(f"idle-pass-{count}")
            self.fill(user, count)
            report = jobs.poll(self.config(path))
            assert report.messages.processed == count, report.summary()
        config = self.config(path)
        jobs.poll(config)  # warm-up
        times = []
        for _ in range(self.sizes["repeats"]):
            started = time.perf_counter()
            report = jobs.poll(config)
            times.append(time.perf_counter() - started)
            assert report.messages.processed == 0, report.summary()
        median = statistics.median(times)
        log(f"nothing new with {count} processed: median {median * 1000:.1f} ms")
        return median

    # ------------------------------------------------------------------ 3. throughput

    def floor_fetch(self, user: str, batch: int) -> float:
        """Seconds to fetch every message with BODY.PEEK[] + INTERNALDATE in mailbot's batches
        over the same kind of connection (STARTTLS, verified), no processing."""
        started = time.perf_counter()
        with self.dovecot.client(user, starttls=True) as client:
            client.select_folder("INBOX", readonly=True)
            uids = sorted(client.search(["UID", "1:*"]))
            total = 0
            for i in range(0, len(uids), batch):
                response = client.fetch(uids[i : i + batch], ["BODY.PEEK[]", "INTERNALDATE"])
                total += sum(len(item[b"BODY[]"]) for item in response.values())
        elapsed = time.perf_counter() - started
        log(f"floor: fetched {len(uids)} messages, {total / 1e6:.1f} MB in {elapsed:.2f} s")
        return elapsed

    def throughput(self) -> None:
        from mailbot.ops import jobs

        count = self.sizes["backlog"]
        user, path = self.setup("backlog")
        self.fill(user, count)
        floor = min(self.floor_fetch(user, self.args.batch_size) for _ in range(2))
        config = self.config(path)
        log(f"backlog: jobs.poll over {count} messages")
        started = time.perf_counter()
        report = jobs.poll(config)
        elapsed = time.perf_counter() - started
        assert report.messages.processed == count, report.summary()
        log(f"backlog: {report.summary()} in {elapsed:.1f} s")
        rate, floor_rate = count / elapsed, count / floor
        self.add(
            f"backlog throughput, {count:,} msgs, one process (jobs.poll in-process, "
            f"incl. sending {report.replies.sent if report.replies else 0:,} replies)",
            f"{rate:.1f} msg/s ({elapsed:.1f} s)",
            f"fetch floor {floor_rate:.0f} msg/s ({floor:.2f} s)",
            f"{rate / floor_rate:.3f} of floor",
            "≥ 100 msg/s",
            yes(rate >= 100),
        )
        self.summary_statuses = report.summary()

    def profile(self) -> None:
        from mailbot.ops import jobs

        count = self.sizes["profile"]
        user, path = self.setup("profile")
        self.fill(user, count)
        config = self.config(path)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        report = jobs.poll(config)
        profiler.disable()
        elapsed = time.perf_counter() - started
        assert report.messages.processed == count, report.summary()
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats("cumulative").print_stats(10)
        out.write("\n--- same run, top 15 by own time (tottime) ---\n")
        stats.sort_stats("tottime").print_stats(15)
        dump = self.tmp.parent / "mailbot-bench-profile.pstats"
        stats.dump_stats(str(dump))
        self.profile_text = (
            f"cProfile of jobs.poll over a {count}-message backlog "
            f"({elapsed:.1f} s under the profiler; stats saved to {dump})\n" + _trim(out.getvalue())
        )

    # ------------------------------------------------------------------ 4. RSS

    def rss(self, count: int) -> tuple[float, Path]:
        """Peak RSS (MiB) of `mailbot poll` over a backlog of ``count``, via wait4 ru_maxrss."""
        user, path = self.setup(f"rss-{count}")
        self.fill(user, count)
        log(f"rss: `mailbot poll` over {count} messages")
        result = self.tmp / f"rss-{count}.txt"
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-c", RSS_WRAPPER, str(result), *self.mailbot(path, "poll")],
            env=self.env(),
            cwd=self.tmp,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        elapsed = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit(f"mailbot poll exited {proc.returncode}: {proc.stderr[-3000:]!r}")
        peak = int(result.read_text().split()[0]) / 1024
        log(
            f"rss: {count} messages in {elapsed:.1f} s ({count / elapsed:.1f} msg/s), "
            f"ru_maxrss {peak:.1f} MiB"
        )
        self.rss_rates.append((count, elapsed))
        return peak, path

    # ------------------------------------------------------------------ 5. extraction

    def extraction(self) -> None:
        import parsers

        files = sorted(p for p in SAMPLES_DIR.glob("*") if p.suffix in (".docx", ".pdf"))
        if not files:
            self.add("extraction per form", f"no samples in {SAMPLES_DIR}", "", "", "", "")
            return
        spec, limits = parsers.DEFAULT_FORM, parsers.ParseLimits()
        repeats = self.sizes["extract_repeats"]
        for path in files:
            data = path.read_bytes()
            measured = median_time(lambda d=data: parsers.extract(d, spec, limits), repeats)
            result = parsers.extract(data, spec, limits)
            floor = median_time(lambda d=data, s=path.suffix: extract_floor(d, s), repeats)
            self.add(
                f"extract {path.name} ({len(data) // 1024} KB; "
                f"{'readable' if result.readable else result.reason})",
                f"{measured * 1000:.1f} ms",
                f"floor {floor * 1000:.1f} ms",
                f"{measured / floor:.1f}x floor",
                "",
                "",
            )

    rss_rates: list[tuple[int, float]]


def extract_floor(data: bytes, suffix: str) -> object:
    """The least any extractor must do: DOCX unzip + one lxml parse of word/document.xml;
    PDF one PdfReader open + the text of every page."""
    if suffix == ".docx":
        from lxml import etree

        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return etree.fromstring(archive.read("word/document.xml"))
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return [page.extract_text() for page in reader.pages]


def median_time(func: Callable[[], object], repeats: int) -> float:
    func()  # warm-up (imports, caches)
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * pct / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _trim(text: str) -> str:
    keep = [
        line
        for line in text.splitlines()
        if line.strip() and not line.startswith(("   Ordered by", "   List reduced"))
    ]
    return "\n".join(
        line.replace(str(REPO) + "/", "").replace(sys.prefix, "<venv>") for line in keep
    )


def table(rows: list[tuple[str, ...]]) -> str:
    header = ("measurement", "result", "floor / reference", "ratio", "goal", "met")
    cols = [header, *rows]
    widths = [max(len(r[i]) for r in cols) for i in range(len(header))]
    widths[0] = min(widths[0], 80)

    def line(row: tuple[str, ...]) -> str:
        return "| " + " | ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) + " |"

    sep = "|-" + "-|-".join("-" * w for w in widths) + "-|"
    return "\n".join([line(header), sep, *(line(r) for r in rows)])


@contextlib.contextmanager
def step(name: str) -> Iterator[None]:
    started = time.monotonic()
    log(f"--- {name}")
    yield
    log(f"--- {name} done in {time.monotonic() - started:.0f} s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    parser.add_argument(
        "--skip-large",
        action="store_true",
        help="skip the 10,000-message mailboxes (nothing-new and RSS)",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile pass")
    parser.add_argument(
        "--only",
        default="latency,idle,throughput,profile,rss,extract",
        help="comma-separated subset of: latency,idle,throughput,profile,rss,extract",
    )
    parser.add_argument(
        "--batch-size", type=int, default=25, help="imap.batch_size (mailbot's default 25)"
    )
    parser.add_argument(
        "--cron-seconds",
        type=float,
        default=2.0,
        help="without IDLE: start `mailbot poll` every N seconds",
    )
    parser.add_argument(
        "--no-idle",
        action="store_true",
        help="measure latency of the scheduled worker and of cron-style polls "
        "even when mailbot.mail.idle exists",
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch folders")
    args = parser.parse_args(argv)
    sizes = dict(QUICK if args.quick else FULL)
    only = set(args.only.split(","))
    if args.no_profile:
        only.discard("profile")

    started = time.monotonic()
    info = machine()
    bench = Bench(args, sizes)
    bench.rss_rates = []
    try:
        if "extract" in only:
            with step("extraction"):
                bench.extraction()
        if "throughput" in only:
            with step("backlog throughput"):
                bench.throughput()
        if "profile" in only:
            with step("profile"):
                bench.profile()
        large_path = None
        if "rss" in only:
            with step("peak RSS"):
                small, _ = bench.rss(sizes["rss_small"])
                if args.skip_large:
                    bench.add(
                        f"peak RSS, `mailbot poll` over {sizes['rss_small']:,}-msg backlog",
                        f"{small:.1f} MiB",
                        "",
                        "",
                        "ratio ≤ 1.2",
                        "skipped large",
                    )
                else:
                    large, large_path = bench.rss(sizes["rss_large"])
                    bench.add(
                        f"peak RSS, `mailbot poll` over {sizes['rss_large']:,} vs "
                        f"{sizes['rss_small']:,}-msg backlog (ru_maxrss)",
                        f"{large:.1f} MiB",
                        f"{small:.1f} MiB",
                        f"{large / small:.2f}",
                        "≤ 1.2",
                        yes(large / small <= 1.2),
                    )
                    for count, secs in bench.rss_rates:
                        bench.notes.append(
                            f"`mailbot poll` subprocess over {count:,}: "
                            f"{secs:.0f} s, {count / secs:.1f} msg/s"
                        )
        if "idle" in only:
            with step("nothing new"):
                small_t = bench.nothing_new(sizes["small"])
                if args.skip_large:
                    bench.add(
                        f"pass with nothing new, {sizes['small']} processed (jobs.poll median)",
                        f"{small_t * 1000:.1f} ms",
                        "",
                        "",
                        "ratio ≤ 1.2",
                        "skipped large",
                    )
                else:
                    large_t = bench.nothing_new(
                        sizes["large"], large_path if sizes["large"] == sizes["rss_large"] else None
                    )
                    bench.add(
                        f"pass with nothing new: {sizes['large']:,} vs {sizes['small']} "
                        "processed msgs in the folder (jobs.poll in-process, median of "
                        f"{sizes['repeats']})",
                        f"{large_t * 1000:.1f} ms",
                        f"{small_t * 1000:.1f} ms",
                        f"{large_t / small_t:.2f}",
                        "≤ 1.2",
                        yes(large_t / small_t <= 1.2),
                    )
        if "latency" in only:
            with step("latency"):
                bench.latency()
    finally:
        bench.close()

    order = ("reply latency", "pass with", "backlog", "peak RSS", "extract")
    bench.rows.sort(
        key=lambda r: next((i for i, p in enumerate(order) if r[0].startswith(p)), len(order))
    )
    mode = "QUICK" if args.quick else "FULL"
    print(
        f"\nmailbot pipeline benchmark ({mode} run, {time.monotonic() - started:.0f} s, "
        f"{time.strftime('%Y-%m-%d %H:%M')}; imap.batch_size = {args.batch_size}, STARTTLS)"
    )
    for key, value in info:
        print(f"  {key:8} {value}")
    corpus = bench.corpus
    sizes_b = [len(t) for t in corpus.templates]
    print(
        f"  mail     {len(corpus.templates)} applicants ({corpus.kinds.count('docx')} DOCX, "
        f"{corpus.kinds.count('pdf')} fillable PDF), {min(sizes_b) // 1024}-"
        f"{max(sizes_b) // 1024} KB each, distinct sender and Message-ID per message"
    )
    print()
    print(table(bench.rows))
    for note in bench.notes:
        print(f"  note: {note}")
    if bench.profile_text:
        print("\n" + bench.profile_text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
